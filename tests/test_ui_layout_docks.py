"""Where a view dock goes: the data plot stays the largest thing on screen (issue 9, round 3).

Seen before: at 1280×720 an open view dock took the full width × ~242 px under the plots and the 2-D data plot
shrank to 271×237, smaller than the dock; in presentation mode the dock was ~155 px and the hidden-space plot
and the inspector graph scrolled inside it. Now a short screen puts the dock beside the plots (tabbed with the
controls, or right of the plots when the controls are tucked away) and the data plot keeps its height.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget
from test_ui_layout import load, present, settle


def open_dock(qtbot, window, key, name):
    qtbot.keyClick(window, key, Qt.ControlModifier)
    dock = window.findChild(QDockWidget, name)
    qtbot.waitUntil(dock.isVisible, timeout=2_000)
    qtbot.wait(1)  # the dock is placed and sized after it is laid out (a zero-interval timer)
    qtbot.wait(1)
    QApplication.processEvents()
    return dock


def area(vb) -> float:
    return vb.width() * vb.height()


@pytest.mark.parametrize("presenting", [False, True])
@pytest.mark.parametrize("key, name", [(Qt.Key_H, "hidden_space"), (Qt.Key_I, "inspector")])
def test_at_1280x720_a_view_dock_takes_no_height_from_the_data_plot(window, qtbot, presenting, key, name):
    load(qtbot, window, "xnor", 50)
    (present if presenting else settle)(qtbot, window, (1280, 720))
    data = window.class_plot.plotItem.vb
    before = data.height()
    dock = open_dock(qtbot, window, key, name)
    assert window.dockWidgetArea(dock) != Qt.BottomDockWidgetArea
    # (was 237 of 430 px. A dock right of the plots narrows them: the caption may wrap onto one more line and the
    # legend onto a second row, ~60 px in presentation mode; the plots lose no height to the dock itself)
    assert data.height() >= 0.85 * before, (data.height(), before)
    assert data.height() >= 280 and data.width() >= 280, (data.width(), data.height())  # (was 271×237)
    others = [window.loss_plot.loss.plotItem.vb, window.loss_plot.lr.plotItem.vb]
    if name == "hidden_space":
        others.append(window.insight.hidden_space.space.plot.plotItem.vb)
    assert all(area(data) > area(vb) for vb in others), [(vb.width(), vb.height()) for vb in [data, *others]]
    if not presenting:  # it shares the controls' column: the plots keep their width too
        assert dock in window.tabifiedDockWidgets(window.findChild(QDockWidget, "controls"))
    else:  # the controls are tucked away: right of the plots, at most 45 % of the width
        assert window.dockWidgetArea(dock) == Qt.RightDockWidgetArea
        assert dock.width() <= 0.45 * window.width() + 1
    assert window.width() <= 1280


def test_in_presentation_at_1280x720_the_hidden_space_plot_does_not_scroll(window, qtbot):
    load(qtbot, window, "spiral", 50)
    present(qtbot, window, (1280, 720))
    dock = open_dock(qtbot, window, Qt.Key_H, "hidden_space")
    scroll = dock.widget()
    assert scroll.verticalScrollBar().maximum() == 0, "the dock is too short for its view: it scrolls"
    plot = window.insight.hidden_space.space.plot
    assert plot.height() >= 200 and plot.width() >= 200, plot.size()
    assert scroll.viewport().rect().contains(plot.mapTo(scroll.viewport(), plot.rect().bottomRight()))


def test_at_1920x1080_a_view_dock_still_opens_under_the_plots(window, qtbot):
    load(qtbot, window, "xnor", 50)
    settle(qtbot, window, (1920, 1080))
    dock = open_dock(qtbot, window, Qt.Key_H, "hidden_space")
    assert window.dockWidgetArea(dock) == Qt.BottomDockWidgetArea
    data = window.class_plot.plotItem.vb
    assert data.height() >= dock.height() - 80, (data.height(), dock.height())
    assert dock.widget().verticalScrollBar().maximum() == 0


def test_a_dock_moves_back_under_the_plots_when_the_window_grows(window, qtbot):
    load(qtbot, window, "xnor", 50)
    settle(qtbot, window, (1280, 720))
    dock = open_dock(qtbot, window, Qt.Key_H, "hidden_space")
    assert window.dockWidgetArea(dock) == Qt.LeftDockWidgetArea
    settle(qtbot, window, (1920, 1080))
    qtbot.waitUntil(lambda: window.dockWidgetArea(dock) == Qt.BottomDockWidgetArea, timeout=2_000)
    assert dock.isVisible()
    controls = window.findChild(QDockWidget, "controls")
    assert controls.isVisible() and not controls.visibleRegion().isEmpty(), "the controls stayed behind a tab"


def window_for_screen(qtbot, monkeypatch, size):
    """A main window built for a screen of ``size`` (its first size), shown at that size."""
    from PySide6.QtCore import QSize

    from playground.ui.application import create_app
    from playground.ui.main_window import MainWindow

    create_app()
    monkeypatch.setattr(MainWindow, "first_size", lambda self: QSize(*size))
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitUntil(lambda: w.session.up_to_date, timeout=10_000)
    qtbot.wait(1)
    QApplication.processEvents()
    return w


@pytest.mark.parametrize("size, area", [((1920, 1080), Qt.BottomDockWidgetArea), ((1280, 720), Qt.LeftDockWidgetArea)])
def test_the_network_diagram_is_on_at_start_where_it_fits(qtbot, monkeypatch, size, area):
    w = window_for_screen(qtbot, monkeypatch, size)
    try:
        dock = w.diagram_dock
        qtbot.waitUntil(lambda: w.dockWidgetArea(dock) == area, timeout=2_000)
        assert dock.isVisible() and w.view_menu.actions() and dock.toggleViewAction().isChecked()
        controls = w.findChild(QDockWidget, "controls")
        assert not controls.visibleRegion().isEmpty(), "the diagram hides the controls at start"
        if area == Qt.BottomDockWidgetArea:  # under the plots, drawn, the data plot still the largest
            diagram = dock.widget()
            qtbot.waitUntil(lambda: diagram.drawn_serial == w.session.snapshot.serial, timeout=5_000)
            data = w.data_plots[0].plotItem.vb
            assert data.height() >= dock.height() - 80, (data.height(), dock.height())  # (a full-width dock)
            assert diagram.canvas.height() >= 200
        else:  # a tab beside the controls, one click away
            assert dock in w.tabifiedDockWidgets(controls)
    finally:
        w.close()


def test_the_network_diagram_stays_closed_at_start_on_a_small_screen(qtbot, monkeypatch):
    w = window_for_screen(qtbot, monkeypatch, (1024, 640))
    try:
        assert not w.diagram_dock.isVisible()
    finally:
        w.close()


def test_a_dock_beside_the_plots_never_cuts_the_caption(window, qtbot):
    """A dock right of the plots narrows the caption onto more lines: it shows whole lines (at most four, the rest
    in its tooltip), never a line cut in half by the plots below it."""
    load(qtbot, window, "bishop-sin", 20)  # the longest caption
    present(qtbot, window, (1280, 720))
    open_dock(qtbot, window, Qt.Key_I, "inspector")
    caption = window.caption
    inside = caption.contentsRect()
    metrics = caption.fontMetrics()
    from PySide6.QtCore import QRect
    needed = metrics.boundingRect(QRect(0, 0, inside.width(), 100_000), Qt.TextWordWrap, caption.text()).height()
    assert needed <= inside.height(), f"the caption needs {needed} px and shows {inside.height()}"
    assert needed <= 4 * metrics.lineSpacing()
    assert caption.geometry().bottom() < window.views.geometry().top()
    if caption.text() != window.session.caption:
        assert caption.text().endswith("…") and caption.toolTip() == window.session.caption


def test_opening_a_dock_on_a_1024x640_screen_keeps_the_window_on_the_screen(window, qtbot, monkeypatch):
    """The dock opens under the plots and moves beside them a moment later: the window grew to 676 px on its way,
    and Qt never shrinks it again. (A guard: the window kept its height before docks moved.)"""
    from PySide6.QtCore import QRect

    class Screen:  # the only thing the window asks of its screen here
        def availableGeometry(self):
            return QRect(0, 0, 1024, 640)

    load(qtbot, window, "bishop-sin", 20)
    settle(qtbot, window, (1024, 640))
    monkeypatch.setattr(window, "screen", lambda: Screen())
    open_dock(qtbot, window, Qt.Key_I, "inspector")
    qtbot.waitUntil(lambda: window.height() <= 640, timeout=2_000)
    assert window.width() <= 1024


def test_choosing_a_view_brings_it_to_the_front_of_its_tab_and_choosing_it_again_closes_it(qtbot, monkeypatch):
    """At 1280×720 the diagram opens as a tab behind the controls: Ctrl+D must show it, not close it."""
    w = window_for_screen(qtbot, monkeypatch, (1280, 720))
    try:
        dock, controls = w.diagram_dock, w.findChild(QDockWidget, "controls")
        qtbot.waitUntil(lambda: dock in w.tabifiedDockWidgets(controls), timeout=2_000)
        assert dock.visibleRegion().isEmpty() and not controls.visibleRegion().isEmpty()   # behind the controls
        qtbot.keyClick(w, Qt.Key_D, Qt.ControlModifier)
        qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())                        # in front
        assert controls.visibleRegion().isEmpty() and not dock.isHidden()
        qtbot.keyClick(w, Qt.Key_D, Qt.ControlModifier)
        qtbot.waitUntil(dock.isHidden)                                                       # then closed
        ad_modes = next(a for a in w.view_menu.actions() if a.text() == "Reverse vs &forward mode")
        ad_modes.trigger()                                                                   # a view never opened
        qtbot.waitUntil(lambda: not w.ad_modes.dock.visibleRegion().isEmpty())               # opens in front
        assert ad_modes.isChecked()
    finally:
        w.close()


@pytest.mark.parametrize("presentation", [False, True])
def test_at_1280x720_the_loss_plots_keep_half_the_side_column_except_in_presentation_mode(qtbot, monkeypatch,
                                                                                         presentation):
    """The heatmaps may take up to two thirds of the side column only where presentation mode enlarges them; in
    normal mode more than half left the loss plot about 70 px tall."""
    w = window_for_screen(qtbot, monkeypatch, (1280, 720))
    try:
        w.session.load_preset("spiral")
        if presentation:
            w.presentation.set_enabled(True, full_screen=False)
            w.resize(1280, 720)
        heatmaps, loss = w.heatmaps, w.loss_plot
        qtbot.waitUntil(lambda: heatmaps.isVisible() and heatmaps.height() > 0 and loss.height() > 0)
        column = heatmaps.height() + loss.height()
        if presentation:  # as large as the loss plot's minimum allows, at least half
            assert heatmaps.height() >= 0.5 * column - 8
        else:
            assert heatmaps.height() <= 0.5 * column + 8 and loss.height() >= 0.45 * column
    finally:
        w.close()
