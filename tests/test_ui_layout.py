"""Readable at 1280x720 and 1920x1080, in presentation mode and out of it, with docks open, down to 1024x640.

Measured through the real window: plot and legend geometry against the points' scene positions,
tick labels' rectangles as pyqtgraph lays them out, the heatmap tiles inside the scroll area's
viewport, label colours after an export, sizes after leaving presentation mode.
"""

import re

import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar

from playground.export import images
from playground.ui.plot_style import FONT_TOKENS


def settle(qtbot, window, size):
    """Resize the window (no smaller than its minimum) and let the layouts and the deferred heatmap
    arrangement run."""
    window.resize(*size)
    QApplication.processEvents()
    want = tuple(max(a, b) for a, b in zip(size, window.minimumSizeHint().toTuple()))
    qtbot.waitUntil(lambda: window.size().toTuple() == want, timeout=2_000)
    qtbot.wait(1)  # one turn of the event loop for zero-interval timers (the heatmap grid's arrangement)
    QApplication.processEvents()


def present(qtbot, window, size):
    """Presentation mode at a projector's size (full_screen=False: the offscreen screen is smaller)."""
    settle(qtbot, window, size)
    window.presentation.set_enabled(True, full_screen=False)
    settle(qtbot, window, size)


def load(qtbot, window, preset, steps=300):
    window.session.load_preset(preset)
    train_to(qtbot, window.session, steps)
    QApplication.processEvents()


def data_points_in_scene(plot, xs, ys):
    vb = plot.plotItem.vb
    return [vb.mapViewToScene(QPointF(float(x), float(y))) for x, y in zip(xs, ys)]


def tick_label_rects(axis) -> list[QRectF]:
    """The rectangles pyqtgraph draws ``axis``'s tick labels in (scene coordinates)."""
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    return [axis.mapRectToScene(rect) for rect, _flags, text in specs[2] if text]


def css_points(widget) -> float:
    """The font size a widget's style sheet sets, in points."""
    return float(re.search(r"font-size:\s*([0-9.]+)pt", widget.styleSheet()).group(1))


def assert_no_overlap(rects, what):
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), f"{what}: tick labels overlap ({a} and {b})"


# -- legends never cover the data -------------------------------------------------------------------
@pytest.mark.parametrize("presenting", [False, True])
def test_the_1d_legend_covers_no_point_and_no_part_of_the_fit_at_1280x720(window, qtbot, presenting):
    load(qtbot, window, "bishop-sin", 500)
    (present if presenting else settle)(qtbot, window, (1280, 720))
    plot = window.fit_view.plot
    legend = plot.legend.sceneBoundingRect()
    assert legend.height() > 0 and legend.width() > 0
    view = plot.plotItem.vb.sceneBoundingRect()
    assert not legend.intersects(view), f"the legend {legend} lies over the data area {view}"
    pts = window.session.points
    curves = window.session.snapshot.curves
    scene = data_points_in_scene(plot, pts.X[:, 0], pts.y[:, 0]) + data_points_in_scene(plot, curves.xs, curves.fit)
    assert not [p for p in scene if legend.contains(p) and view.contains(p)]


def test_a_legend_of_ten_units_names_every_unit_inside_the_plot(window, qtbot):
    load(qtbot, window, "bishop-sin", 10)
    window.session.set_architecture([10], window.session.activation)
    wait_fresh(qtbot, window.session)
    train_to(qtbot, window.session, window.session.snapshot.step + 5)
    settle(qtbot, window, (1280, 720))
    plot = window.fit_view.plot
    names = [label.text for _sample, label in plot.legend.items]
    assert [f"h{s}(x)" for s in "₁₂₃₄₅₆₇₈₉"] + ["h₁₀(x)"] == [n for n in names if n.startswith("h")]
    shown = plot.mapToScene(plot.viewport().rect()).boundingRect()
    for _sample, label in plot.legend.items:
        assert shown.contains(label.sceneBoundingRect()), f"{label.text!r} is cut off"
    assert not plot.legend.sceneBoundingRect().intersects(plot.plotItem.vb.sceneBoundingRect())


def test_a_click_on_the_legend_under_the_plot_adds_no_point(window, qtbot):
    load(qtbot, window, "bishop-sin", 10)
    settle(qtbot, window, (1280, 720))
    plot = window.fit_view.plot
    n = len(window.session.points)
    _sample, label = plot.legend.items[0]
    where = plot.mapFromScene(label.sceneBoundingRect().center())
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=where)
    assert len(window.session.points) == n
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.0, 0.5))
    assert len(window.session.points) == n + 1  # (inside the view, a click still adds one)


def test_the_2d_legend_covers_no_point(window, qtbot):
    load(qtbot, window, "spiral", 50)
    present(qtbot, window, (1280, 720))
    plot = window.class_plot
    legend = plot.legend.sceneBoundingRect()
    pts = window.session.points
    assert plot.legend.isVisible() and legend.height() > 0
    assert not [p for p in data_points_in_scene(plot, pts.X[:, 0], pts.X[:, 1]) if legend.contains(p)]


# -- every plot keeps a usable size ------------------------------------------------------------------
def test_presentation_at_1280x720_shows_all_32_unit_heatmaps(window, qtbot):
    load(qtbot, window, "spiral", 50)
    present(qtbot, window, (1280, 720))
    heatmaps = window.heatmaps
    qtbot.waitUntil(lambda: heatmaps.grid.columns > 1, timeout=2_000)
    viewport = heatmaps.scroll.viewport()
    visible = QRectF(0, -heatmaps.grid.pos().y(), viewport.width(), viewport.height())
    tiles = [tile for layer in heatmaps.grid.tiles for tile in layer]
    assert len(tiles) == 32
    shown = [t for t in tiles if visible.contains(t.rect)]
    assert len(shown) == 32, f"only {len(shown)} of 32 heatmaps show"
    # 38 px while the heatmaps had half the side column; now up to two thirds while the loss plots keep 12 lines
    assert min(t.rect.width() for t in tiles) >= 44


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_presentation_tick_labels_of_loss_accuracy_and_rate_do_not_overlap(window, qtbot, size):
    load(qtbot, window, "spiral", 300)
    present(qtbot, window, size)
    qtbot.waitUntil(lambda: window.loss_plot.step_line.value() == 300, timeout=5_000)
    loss, lr = window.loss_plot.loss.plotItem, window.loss_plot.lr.plotItem
    for name, axis in (("loss", loss.getAxis("left")), ("accuracy", loss.getAxis("right")), ("η", lr.getAxis("left"))):
        rects = tick_label_rects(axis)
        assert len(rects) >= 2, f"{name}: {len(rects)} tick labels"
        assert_no_overlap(rects, name)
    line = rects[0].height()
    assert lr.vb.height() >= 3 * line, f"the learning-rate plot is {lr.vb.height():.0f} px tall"
    assert loss.vb.height() >= 4 * line


@pytest.mark.parametrize("dock, preset, size", [("inspector", "spiral", (1280, 720)),
                                                ("hidden_space", "spiral", (1280, 720)),
                                                ("inspector", "bishop-sin", (1280, 720)),
                                                ("inspector", "bishop-sin", (1024, 640))])
def test_an_open_dock_leaves_the_data_plot_the_largest_and_no_plot_a_sliver(window, qtbot, dock, preset, size):
    load(qtbot, window, preset, 50)
    settle(qtbot, window, size)
    data = window.data_plots[0 if preset.startswith("bishop") else 1].plotItem.vb
    before = data.height()
    qtbot.keyClick(window, Qt.Key_I if dock == "inspector" else Qt.Key_H, Qt.ControlModifier)
    widget = window.findChild(QDockWidget, dock)
    qtbot.waitUntil(widget.isVisible, timeout=2_000)
    qtbot.wait(1)  # the dock is sized after it is laid out
    QApplication.processEvents()
    assert window.width() <= size[0], "the dock widened the window past the screen"
    if window.dockWidgetArea(widget) == Qt.BottomDockWidgetArea:
        assert data.height() >= widget.height() - 80, (data.height(), widget.height())
    else:  # a short screen puts it beside the plots (tests/test_ui_layout_docks.py): it takes no height from them
        assert data.height() >= 0.9 * before, (data.height(), before)
    others = [window.loss_plot.loss.plotItem.vb, window.loss_plot.lr.plotItem.vb]
    assert all(data.width() * data.height() > vb.width() * vb.height() for vb in others)
    assert min(vb.height() for vb in others) >= 40
    assert data.height() >= 150


@pytest.mark.parametrize("size", [(1024, 640), (820, 600)])
def test_a_small_window_keeps_a_usable_data_plot_and_loss_plot(window, qtbot, size):
    load(qtbot, window, "bishop-sin", 50)
    settle(qtbot, window, size)
    assert window.width() <= size[0]  # (the controls panel once held the window 951 px wide)
    assert window.fit_view.plot.plotItem.vb.height() >= 150
    assert window.fit_view.plot.plotItem.vb.width() >= 150
    assert window.loss_plot.lr.plotItem.vb.height() >= 40


def test_the_scene_picker_stays_on_the_toolbar_at_1024_px(window, qtbot):
    settle(qtbot, window, (1024, 640))
    picker = window.presets
    assert picker.isVisible(), "the Scene picker went behind the toolbar's » button"
    assert picker.geometry().right() <= window.findChild(QToolBar, "transport").width()


@pytest.mark.parametrize("size, presenting", [((1280, 720), False), ((1280, 720), True), ((1024, 640), False)])
def test_the_heatmaps_header_is_never_cut(window, qtbot, size, presenting):
    load(qtbot, window, "spiral", 20)
    (present if presenting else settle)(qtbot, window, size)
    title = window.heatmaps.title
    assert title.isVisible()
    needed = title.heightForWidth(title.width()) if title.wordWrap() else title.sizeHint().height()
    assert needed <= title.height(), f"the title needs {needed} px and has {title.height()}"
    assert title.sizeHint().width() <= title.width() or title.wordWrap()
    assert window.heatmaps.scale_text.geometry().right() <= window.heatmaps.width()


# -- presentation mode leaves nothing behind; exports change nothing ---------------------------------
def legend_sizes(window):
    plots = [window.fit_view.plot, window.class_plot]
    return {label.opts.get("size") for plot in plots for _sample, label in plot.legend.items}


def test_leaving_presentation_mode_leaves_no_enlarged_legend_even_after_a_scene_change(window, qtbot, tmp_path):
    load(qtbot, window, "bishop-sin", 50)
    settle(qtbot, window, (1280, 720))
    normal = legend_sizes(window)
    assert normal == {f"{FONT_TOKENS['legend']:g}pt"}
    legend = window.fit_view.plot.legend
    box = legend.boundingRect()
    present(qtbot, window, (1280, 720))
    assert legend_sizes(window) != normal
    window.presentation.set_enabled(False)
    settle(qtbot, window, (1280, 720))
    assert legend.boundingRect().height() == pytest.approx(box.height(), abs=1), "the legend's box stayed large"
    assert legend_sizes(window) == normal
    present(qtbot, window, (1280, 720))
    load(qtbot, window, "bishop-x2", 60)  # rebuilds the legend entries while presenting
    window.presentation.set_enabled(False)
    QApplication.processEvents()
    assert legend_sizes(window) == normal
    assert window.look.scale == 1.0


def test_axis_titles_keep_their_colour_after_an_export(window, qtbot, tmp_path):
    load(qtbot, window, "bishop-sin", 50)
    axes = [window.fit_view.plot.plotItem.getAxis(side) for side in ("left", "bottom")]
    axes += [window.loss_plot.loss.plotItem.getAxis("left")]
    before = [dict(a.labelStyle) for a in axes]
    images.save_png(window, tmp_path / "w.png", 2.0)
    assert [dict(a.labelStyle) for a in axes] == before
    assert all("#222222" in a.label.toHtml() or "#222" in a.label.toHtml() for a in axes)


def test_presentation_scales_every_token_by_one_factor_and_lines_with_the_export_rule(window, qtbot):
    load(qtbot, window, "bishop-sin", 50)
    present(qtbot, window, (1920, 1080))
    look = window.look
    assert look.scale == pytest.approx(1.6)
    for token, size in FONT_TOKENS.items():
        assert look.pt(token) == pytest.approx(size * look.scale, abs=0.1)
    axis = window.fit_view.plot.plotItem.getAxis("bottom")
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(FONT_TOKENS["tick"] * look.scale, abs=0.1)
    assert css_points(window.caption) == pytest.approx(FONT_TOKENS["caption"] * look.scale, abs=0.1)
    from playground.ui.fit_plot import FIT_PEN
    assert window.fit_view.plot.fit_curve.opts["pen"].widthF() == images.widened(FIT_PEN, look.scale).widthF()


# -- the host API ------------------------------------------------------------------------------------
def test_features_plug_in_through_the_host_api(window, qtbot):
    banner = window.add_banner("test", "info", "a note for the back row")
    banner.show()
    QApplication.processEvents()
    assert window.banner("test") is banner
    assert banner.geometry().top() >= window.caption.geometry().bottom()
    assert banner.geometry().bottom() <= window.views.geometry().top()
    present(qtbot, window, (1280, 720))
    assert css_points(banner) == pytest.approx(FONT_TOKENS["banner"] * window.look.scale, abs=0.1)
    window.presentation.set_enabled(False)
    assert css_points(banner) == FONT_TOKENS["banner"]
    assert window.menu("view") is window.view_menu
    assert window.data_plots == [window.fit_view.plot, window.class_plot]
    inspector, hidden = (window.findChild(QDockWidget, n) for n in ("inspector", "hidden_space"))
    inspector.show()
    hidden.show()
    assert hidden in window.tabifiedDockWidgets(inspector)  # view docks share one tabbed area
