"""One run enlarged for the back of the hall: a double-click on a panel's header (or its ⋮ menu) shows that run alone
and much larger, Esc / a double-click / the menu again shows every run; the state follows its run through a
duplicate and a removal, and ends with compare mode."""

import pytest
from PySide6.QtCore import QRectF, Qt
from test_ui_compare import _action, _all_fresh, _open


def _plane_px(panel) -> float:
    """The side in pixels of the drawing area's square as the panel draws it."""
    (x0, x1), (y0, y1) = panel.session.bounds
    rect = panel.plot.plotItem.vb.mapViewToDevice(QRectF(x0, y0, x1 - x0, y1 - y0)).boundingRect()
    return min(rect.width(), rect.height())


def _on_screen(panels):
    return [p for p in panels.panels if p.isVisible()]


def _double_click_header(qtbot, panel):
    qtbot.mouseDClick(panel.readout, Qt.LeftButton)


def test_a_double_click_on_a_header_shows_that_run_alone_and_large_and_esc_shows_every_run(qtbot, make_window):
    window = make_window(size=(1280, 720))
    compare = _open(qtbot, window, "compare-flat")
    panels = compare.panels
    qtbot.waitUntil(lambda: panels.shape == (2, 2) and _plane_px(panels.panels[2]) > 50)
    small = _plane_px(panels.panels[2])
    points = len(window.session.points)
    with qtbot.waitSignal(panels.enlarged_changed):
        _double_click_header(qtbot, panels.panels[2])
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[2]] and panels.shape == (1, 1))
    qtbot.waitUntil(lambda: _plane_px(panels.panels[2]) > 2 * small)  # measured: 156 px → 400 px at 1280×720
    assert panels.panels[2].label.isVisible() and panels.panels[2].label.full_text() == "3. ReLU"  # its header too
    assert len(window.session.points) == points  # the header's double-click drew nothing
    qtbot.keyClick(window, Qt.Key_Escape)
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 3 and panels.shape == (2, 2))
    assert panels.enlarged is None
    _double_click_header(qtbot, panels.panels[0])  # a second double-click shows every run too
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[0]])
    _double_click_header(qtbot, panels.panels[0])
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 3)


def test_the_run_menu_enlarges_and_in_presentation_mode_esc_first_shows_every_run(qtbot, make_window):
    window = make_window(size=(1280, 720))
    compare = _open(qtbot, window, "compare-xnor")
    panels = compare.panels
    menu = panels.panels[1].menu_button.menu()
    enlarge = _action(menu, "Enlarge")
    assert not enlarge.isChecked()
    enlarge.trigger()
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[1]])
    assert _action(menu, "Enlarge").isChecked()
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: window.presentation.enabled)
    qtbot.keyClick(window, Qt.Key_Escape)  # the run first: the teacher stays in presentation mode
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 2)
    assert window.presentation.enabled
    qtbot.keyClick(window, Qt.Key_Escape)  # then Esc leaves presentation mode as before
    qtbot.waitUntil(lambda: not window.presentation.enabled)
    _action(menu, "Enlarge").trigger()
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[1]])
    _action(menu, "Enlarge").trigger()  # the menu again: every run
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 2 and panels.enlarged is None)


def test_the_enlarged_run_stays_through_a_duplicate_and_ends_with_its_removal_or_compare_mode(qtbot, make_window):
    window = make_window(size=(1280, 720))
    compare = _open(qtbot, window, "compare-flat")
    panels = compare.panels
    tanh = compare.runs.runs[1]
    panels.enlarge(tanh)
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[1]])
    compare.runs.duplicate(2)  # the panels are rebuilt: the same run stays alone on screen
    qtbot.waitUntil(lambda: len(panels.panels) == 4)
    _all_fresh(qtbot, window)
    qtbot.waitUntil(lambda: [p.session for p in _on_screen(panels)] == [tanh])
    compare.runs.remove(3)  # another run goes: still the same one
    qtbot.waitUntil(lambda: len(panels.panels) == 3)
    assert [p.session for p in _on_screen(panels)] == [tanh]
    with qtbot.waitSignal(panels.enlarged_changed):
        compare.runs.remove(1)  # the enlarged run itself goes: every run is shown
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 2 and panels.shape != (1, 1))
    assert panels.enlarged is None
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)  # Ctrl+Z brings the run back, among the others
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 3)
    panels.enlarge(compare.runs.runs[0])
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 1)
    compare.open_scene("compare-xnor")  # another scene: its runs all shown
    _all_fresh(qtbot, window)
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 2)
    assert panels.enlarged is None
    panels.enlarge(compare.runs.runs[1])
    compare.runs.leave()  # one run: the window's own plot; compare mode again starts with every run shown
    qtbot.waitUntil(lambda: not compare.active and panels.enlarged is None)
    compare.open_scene("compare-flat")
    _all_fresh(qtbot, window)
    qtbot.waitUntil(lambda: len(_on_screen(panels)) == 3)


@pytest.mark.parametrize("key", ["compare-units"])
def test_a_one_d_run_enlarges_too(qtbot, make_window, key):
    window = make_window(size=(1280, 720))
    compare = _open(qtbot, window, key)
    panels = compare.panels
    qtbot.waitUntil(lambda: panels.panels[3].plot.width() > 50)
    before = panels.panels[3].plot.plotItem.vb.size()
    _double_click_header(qtbot, panels.panels[3])
    qtbot.waitUntil(lambda: _on_screen(panels) == [panels.panels[3]])
    qtbot.waitUntil(lambda: panels.panels[3].plot.plotItem.vb.size().width() > 1.8 * before.width())
    assert panels.panels[3].plot.plotItem.vb.size().height() > 1.8 * before.height()
