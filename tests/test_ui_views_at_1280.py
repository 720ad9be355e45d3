"""The Restarts, Saddle point and Reverse-vs-forward views and the status bar at 1280×720, where the view docks
stand beside the plots (~400 px wide): nothing is cut off sideways (a newcomer saw words cut mid-sentence, the
saddle's labels cut, "2000 / 2000 steps" wrapped, the restarts' titles cut, status messages cut mid-word)."""

import pytest
from PySide6.QtWidgets import QBoxLayout, QScrollArea

LONG = ("run 4 is a copy of run 2: change one of its settings with the ⋮ menu card, or remove it, and then "
        "press Play to watch both of them train side by side")


def _open_view(qtbot, window, view):
    view.dock.show()
    view.dock.raise_()
    qtbot.waitUntil(lambda: view.isVisible() and view.width() > 0)


@pytest.mark.parametrize("name", ["saddle", "ad_modes"])
def test_a_narrow_dock_stacks_the_view_and_nothing_scrolls_sideways(qtbot, make_window, name):
    window = make_window(size=(1280, 720))
    view = getattr(window, name)
    _open_view(qtbot, window, view)
    assert view.width() < 640, view.width()   # beside the plots
    assert view.row.direction() == QBoxLayout.TopToBottom
    areas = view.findChildren(QScrollArea)
    qtbot.waitUntil(lambda: not any(area.horizontalScrollBar().isVisible() for area in areas))
    for area in areas:
        assert area.width() >= view.width() - 20   # each part as wide as the dock, not a third of it


def test_a_wide_view_keeps_its_parts_side_by_side(qtbot, make_window):
    window = make_window(size=(1280, 720))
    view = window.saddle
    _open_view(qtbot, window, view)
    view.dock.setFloating(True)
    view.dock.resize(1100, 320)
    qtbot.waitUntil(lambda: view.width() >= 640)
    assert view.row.direction() == QBoxLayout.LeftToRight


def test_the_restarts_progress_and_titles_are_whole_at_1280(qtbot, make_window, fresh):
    window = make_window(size=(1280, 720))
    session, view = window.session, window.restarts
    session.load_preset("bishop-abs")
    fresh(session)
    view.seeds.setValue(6)
    view.steps.setValue(2000)
    _open_view(qtbot, window, view)
    with qtbot.waitSignal(view.result_shown, timeout=30_000):
        view.start()
    bar = view.progress
    assert bar.width() >= bar.fontMetrics().horizontalAdvance(bar.text()) + 20   # "2,000 / 2,000 steps" on one line
    for panel in (view.best_panel, view.worst_panel):
        label = panel.plotItem.titleLabel.item
        assert label.boundingRect().width() <= panel.width()


def test_a_long_status_message_is_elided_and_its_tooltip_holds_all_of_it(qtbot, make_window):
    window = make_window(size=(1280, 720))
    bar = window.statusBar()
    window.session.message.emit(LONG)
    shown = bar.currentMessage()
    assert shown != LONG and shown.endswith("…") and LONG.startswith(shown[:-1])
    readouts = min(w.x() for w in (window.progress, window.rates) if w.isVisible())
    assert bar.fontMetrics().horizontalAdvance(shown) <= readouts
    assert bar.toolTip() == LONG
    window.session.message.emit("short")
    assert bar.currentMessage() == "short" and bar.toolTip() == ""
