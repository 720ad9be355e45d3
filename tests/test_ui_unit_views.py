"""The hidden-unit views through the real window: the grid lays out for the space it has, a unit shown large
fills its panel as a square, at both projector sizes, presentation mode on and off."""

from __future__ import annotations

import pytest
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt


def _open_scene(window, qtbot, title_start: str) -> None:
    """Scenes ▸ the scene whose menu title starts so, as a teacher picks it."""
    action = next(a for a in window.menu("scenes").actions() if a.text().startswith(title_start))
    action.trigger()
    wait_fresh(qtbot, window.session)


def test_the_grid_fits_its_panel_after_a_scene_with_no_hidden_layer(make_window, qtbot):
    """The newcomer's path: the plane (no hidden layer: the grid's page was never shown), then six bumps."""
    window = make_window(size=(1280, 720))
    combo = window.controls.mode
    combo.setCurrentIndex(combo.findData("regression-2d"))
    wait_fresh(qtbot, window.session)
    heatmaps = window.heatmaps
    assert window.session.hidden == () and heatmaps.stack.currentWidget() is heatmaps.empty
    _open_scene(window, qtbot, "2-D regression: six bumps")
    assert heatmaps.stack.currentWidget() is heatmaps.scroll
    grid = heatmaps.grid

    def laid_out_in_view() -> bool:
        right = max(t.rect.right() for layer in grid.tiles for t in layer)
        left = min(t.rect.left() for layer in grid.tiles for t in layer)
        return left >= 0 and right <= grid.viewport().width()

    qtbot.waitUntil(laid_out_in_view, timeout=3000)
    # and drawn: every tile in view has its picture at step 0 (no blank boxes)
    qtbot.waitUntil(lambda: all(t.image.image is not None for layer in grid.tiles for t in layer
                                if t.rect.top() < grid.viewport().height()), timeout=3000)


@pytest.mark.parametrize("size, presenting", [((1280, 720), False), ((1280, 720), True),
                                              ((1920, 1080), False), ((1920, 1080), True)])
def test_a_unit_shown_large_fills_its_panel(make_window, qtbot, size, presenting):
    """Six bumps (2-D regression: the units' panel is a wide strip): the enlarged map is as large as the panel lets
    the extent's shape be, not an ~80 px square in an x range of −5 … 5."""
    window = make_window(size=size)
    if presenting:
        window.presentation.set_enabled(True, full_screen=False)
        window.resize(*size)
    _open_scene(window, qtbot, "2-D regression: six bumps")
    heatmaps, large = window.heatmaps, window.heatmaps.large
    qtbot.waitUntil(lambda: heatmaps.grid.tiles[0][0].image.image is not None, timeout=5000)
    qtbot.mouseClick(heatmaps.grid.viewport(), Qt.LeftButton, pos=heatmaps.tile_center(0, 1))
    assert heatmaps.stack.currentWidget() is large
    x0, x1, y0, y1 = window.session.snapshot.regions.extent
    box = large.plotItem.vb

    def fills() -> bool:
        width, height = box.width(), box.height()
        page_w, page_h = large.width(), large.height()
        # the box has the extent's shape (square pixels) and touches the page's width or height, minus the axes
        axes_w, axes_h = large.plot.width() - width, large.plot.height() - height
        shaped = abs(width / height - (x1 - x0) / (y1 - y0)) < 0.03
        touches = min(page_w - axes_w - width, page_h - axes_h - height) <= 2
        return shaped and touches

    qtbot.waitUntil(fills, timeout=3000)
    (vx0, vx1), (vy0, vy1) = box.viewRange()
    assert vx0 == pytest.approx(x0, abs=0.02 * (x1 - x0)) and vx1 == pytest.approx(x1, abs=0.02 * (x1 - x0))
    assert vy0 == pytest.approx(y0, abs=0.02 * (y1 - y0)) and vy1 == pytest.approx(y1, abs=0.02 * (y1 - y0))
    # most of the page's smaller side goes to the map (the axes take the rest)
    assert min(box.width(), box.height()) >= 0.6 * min(large.width(), large.height())
    assert min(box.width(), box.height()) >= 120


def test_in_presentation_mode_esc_first_shows_the_grid_again_then_leaves_the_mode(make_window, qtbot):
    """Two Esc shortcuts (the unit's and presentation mode's) made Qt activate neither: Esc did nothing."""
    window = make_window(size=(1280, 720))
    window.presentation.set_enabled(True, full_screen=False)
    _open_scene(window, qtbot, "Two spirals")
    heatmaps = window.heatmaps
    qtbot.waitUntil(lambda: heatmaps.grid.tiles[0][0].image.image is not None, timeout=5000)
    viewport = heatmaps.grid.viewport()
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=heatmaps.tile_center(0, 1))
    assert heatmaps.stack.currentWidget() is heatmaps.large
    heatmaps.large.setFocus()  # where a click on the unit leaves the keyboard
    qtbot.keyClick(heatmaps.large, Qt.Key_Escape)
    assert heatmaps.stack.currentWidget() is heatmaps.scroll and window.presentation.enabled
    viewport.setFocus()
    qtbot.keyClick(viewport, Qt.Key_Escape)
    assert not window.presentation.enabled
