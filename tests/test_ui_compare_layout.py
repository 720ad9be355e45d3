"""2-D compare panels use their area: the grid that draws each run's square of data largest, chosen from the area's
size without feeding back into it (no repaint loop), so a panel shows its data, not −5…5 of empty plane."""

import pytest
from test_ui_compare import _all_fresh, _open

from playground.ui.compare_layout import KEEP_MARGIN, shapes, square_grid, square_side
from playground.ui.paint_counter import PaintCounter
from playground.ui.views_area import DATA_SHARE_PANELS

MOST_EXTRA = 0.30  # a panel's view may show at most this much more than the drawing area on either axis


def test_the_grids_for_n_panels_leave_no_empty_row_or_column():
    assert shapes(2) == [(1, 2), (2, 1)]
    assert shapes(3) == [(1, 3), (2, 2), (3, 1)]
    assert shapes(4) == [(1, 4), (2, 2), (4, 1)]  # 3 × 2 would leave a row empty


@pytest.mark.parametrize(("size", "expected"), [((500, 500), (2, 2)),    # near-square area: 2 × 2, one cell empty
                                                ((1500, 450), (1, 3)),   # wide and short: a row
                                                ((400, 1300), (3, 1))])  # tall and narrow: a column
def test_three_square_panels_take_the_grid_that_draws_them_largest(size, expected):
    fixed = (60, 90)
    # by hand: the largest square each grid holds, e.g. 2 × 2 in 500²: min((500−6)/2 − 60, (500−6)/2 − 90) = 157
    by_hand = {(r, c): min((size[0] - 6 * (c - 1)) / c - 60, (size[1] - 6 * (r - 1)) / r - 90)
               for r, c in shapes(3)}
    assert max(by_hand, key=by_hand.get) == expected
    assert square_grid(3, size, fixed, 6) == expected
    assert square_side(expected, size, fixed, 6) == pytest.approx(by_hand[expected])


def test_a_grid_stays_while_another_is_barely_better():
    fixed, spacing = (60, 90), 6
    size = (560, 620)  # 2 × 2: side 187; a row of 3: side 123; a column: side 109
    assert square_grid(3, size, fixed, spacing) == (2, 2)
    # a row of 2 vs a column of 2: sides 237 and 234.5, within the margin of each other: either stays as it is
    square = (600, 655)
    sides = [square_side(s, square, fixed, spacing) for s in ((1, 2), (2, 1))]
    assert abs(sides[0] - sides[1]) <= KEEP_MARGIN * max(sides)
    assert square_grid(2, square, fixed, spacing, current=(2, 1)) == (2, 1)
    assert square_grid(2, square, fixed, spacing, current=(1, 2)) == (1, 2)
    assert square_grid(2, square, fixed, spacing) == (1, 2)  # no current grid: the one with fewer rows


def _extra(panel) -> tuple[float, float]:
    """How much more than the drawing area the panel's view shows, on x and on y (0.3 = 30 % more)."""
    (x0, x1), (y0, y1) = panel.plot.viewRange()
    (bx0, bx1), (by0, by1) = panel.session.bounds
    return (x1 - x0) / (bx1 - bx0) - 1, (y1 - y0) / (by1 - by0) - 1


def _open_runs(qtbot, window, n):
    compare = _open(qtbot, window, "compare-flat")  # three 2-D runs
    if n == 4:
        compare.runs.duplicate(2)
        qtbot.waitUntil(lambda: len(compare.panels.panels) == 4)
        _all_fresh(qtbot, window)
    return compare


def _settled(qtbot, compare, counters, ms=500) -> list[int]:
    """Paints of each counted widget during ``ms`` of a paused window (a repaint loop paints ~every 16 ms)."""
    before = [c.count for c in counters]
    qtbot.wait(ms)  # an observation window: nothing is awaited, paints are counted
    return [c.count - b for c, b in zip(counters, before)]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("n", [3, 4])
def test_two_d_panels_show_their_data_not_empty_plane(qtbot, make_window, size, n):
    window = make_window(size=size)
    compare = _open_runs(qtbot, window, n)
    panels = compare.panels
    qtbot.waitUntil(lambda: panels.shape == (2, 2))  # this area is near-square: 2 × 2 (with 3 runs, one cell empty)
    qtbot.waitUntil(lambda: all(max(_extra(p)) <= MOST_EXTRA for p in panels.panels))
    for panel in panels.panels:
        extra_x, extra_y = _extra(panel)
        assert min(extra_x, extra_y) == pytest.approx(0, abs=0.02)  # one axis fits the drawing area exactly
        assert max(extra_x, extra_y) <= MOST_EXTRA, (size, n, panel.index, extra_x, extra_y)
    _all_fresh(qtbot, window)
    counters = [PaintCounter(panels), *(PaintCounter(p.plot.viewport()) for p in panels.panels)]
    qtbot.wait(100)  # the first frames after the counters were made
    assert max(_settled(qtbot, compare, counters)) <= 1  # a resize → relayout → resize loop paints every frame


def test_a_wide_short_area_puts_three_panels_in_a_row_and_back_without_a_loop(qtbot, make_window):
    window = make_window(size=(1280, 720))
    compare = _open_runs(qtbot, window, 3)
    panels = compare.panels
    qtbot.waitUntil(lambda: panels.shape == (2, 2))
    window.resize(1900, 480)  # the data area becomes wide and short
    # the grid is chosen at the resize; its layout places the panels when the event loop next runs
    qtbot.waitUntil(lambda: panels.shape == (1, 3) and len({p.geometry().top() for p in panels.panels}) == 1)
    assert len({p.geometry().left() for p in panels.panels}) == 3
    _all_fresh(qtbot, window)  # the regions for the new view ranges have arrived
    counters = [PaintCounter(panels), *(PaintCounter(p.plot.viewport()) for p in panels.panels)]
    qtbot.wait(100)
    assert max(_settled(qtbot, compare, counters)) <= 1  # (a late readout may repaint its panel once)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: panels.shape == (2, 2))


def test_two_d_panel_points_are_smaller_than_the_full_views_and_follow_presentation_mode(qtbot, window):
    from playground.ui.class_plot import POINT_SIZE
    from playground.ui.compare_panels import PANEL_POINT_SCALE

    compare = _open(qtbot, window, "compare-xnor")
    item = compare.panels.panels[1].plot.train_points[0]
    full = window.class_plot.train_points[0]
    assert item.opts["size"] == pytest.approx(PANEL_POINT_SCALE * full.opts["size"])
    window.presentation.action.trigger()  # every size × the look's scale, the panel's after the plot's own restyle
    qtbot.waitUntil(lambda: window.look.scale > 1)
    assert item.opts["size"] == pytest.approx(window.look.size(POINT_SIZE * PANEL_POINT_SCALE))
    assert item.opts["size"] > PANEL_POINT_SCALE * POINT_SIZE
    window.presentation.action.trigger()


def test_the_diagram_steps_aside_for_the_runs_and_comes_back_after_them(qtbot, make_window):
    window = make_window(size=(1920, 1080))
    dock = window.diagram_dock
    dock.show()  # (open at start on a screen of 1280×720 or more; the tests' offscreen screen is smaller)
    qtbot.waitUntil(dock.isVisible)
    views = window.views
    compare = _open(qtbot, window, "compare-flat")
    qtbot.waitUntil(lambda: dock.isHidden())  # it draws run 1 only, and took half the window from the panels
    # the runs take most of the width, the loss plot the rest
    qtbot.waitUntil(lambda: views.sizes()[0] / sum(views.sizes()) >= DATA_SHARE_PANELS[0] - 0.02)
    assert compare.panels.isVisible()
    window.session.load_preset("xor")  # another scene: compare mode ends
    qtbot.waitUntil(lambda: not compare.active and dock.isVisible())
    assert window.class_plot.isVisible()


def test_a_diagram_closed_before_compare_stays_closed_after_it(qtbot, make_window):
    window = make_window(size=(1920, 1080))
    window.diagram_dock.close()
    _open(qtbot, window, "compare-flat")
    window.session.load_preset("xor")
    qtbot.waitUntil(lambda: not window.compare.active and window.class_plot.isVisible())
    assert window.diagram_dock.isHidden()


def test_in_presentation_mode_the_runs_take_up_to_three_quarters_while_the_loss_column_keeps_its_lines(qtbot,
                                                                                                  make_window):
    from PySide6.QtGui import QFontMetrics

    from playground.ui.views_area import SIDE_PANELS_LINES

    window = make_window(size=(1280, 720))
    _open(qtbot, window, "compare-xnor")
    views = window.views
    qtbot.waitUntil(lambda: abs(views.sizes()[0] / sum(views.sizes()) - 0.64) < 0.01)  # normal mode: the controls
    window.presentation.set_enabled(True, full_screen=False)  # (the offscreen screen is 800 px: keep 1280×720)
    qtbot.waitUntil(lambda: window.look.scale > 1 and sum(views.sizes()) > 1200)  # the controls tucked away
    line = QFontMetrics(window.look.font("tick")).height()
    # by hand: the loss column keeps 18 lines of tick text, the panels take between 0.64 and 0.74 of the width
    expected = lambda width: max(0.64 * width, min(0.74 * width, width - 18 * line))  # noqa: E731
    qtbot.waitUntil(lambda: abs(views.sizes()[0] - expected(sum(views.sizes()))) <= 2)
    assert views.sizes()[0] / sum(views.sizes()) > 0.66  # more than normal mode's 0.64
    assert views.sizes()[1] >= SIDE_PANELS_LINES * line - 2
    window.presentation.set_enabled(False)
    qtbot.waitUntil(lambda: abs(views.sizes()[0] / sum(views.sizes()) - 0.64) < 0.01)
