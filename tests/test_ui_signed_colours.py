"""One diverging scale for every signed value, read from drawn pixels: a hidden unit's heatmap tile, its enlarged
map and its tile in the network diagram are blue where the unit's output (computed here in plain numpy) is
positive, orange where negative, white where ReLU is off; the colour bars, the weights' links and the
2-D regression surface agree with them."""

from __future__ import annotations

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from test_ui_network_diagram import _forward, _open


def _rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, -1)
    return rows[:, :3 * w].reshape(h, w, 3).astype(int)


def _kind(pixel) -> str:
    """What a pixel reads as: "blue", "orange", "white" or "other" (thresholds of this test, not the code's)."""
    r, g, b = pixel
    if min(r, g, b) >= 235 and max(r, g, b) - min(r, g, b) <= 20:
        return "white"
    if b - r >= 30:
        return "blue"
    if r - b >= 30 and r > g:
        return "orange"
    return "other"


def _expected(value: float, strong: float) -> str | None:
    """The kind a unit output reads as, where it is clearly signed (None: near the edge between, not checked)."""
    if value >= strong:
        return "blue"
    if value <= -strong:
        return "orange"
    return None


def _grid_points(extent, n=7):
    """(n², 2) data points inside ``extent``, off its border (the tiles' edges blend with the frames)."""
    x0, x1, y0, y1 = extent
    fx, fy = np.meshgrid(np.linspace(0.08, 0.92, n), np.linspace(0.08, 0.92, n))
    return np.column_stack([x0 + fx.ravel() * (x1 - x0), y0 + fy.ravel() * (y1 - y0)]), fx.ravel(), fy.ravel()


def _check_tile(rgb, rect, values, fx, fy, covered=None, strong=0.3) -> tuple[int, int]:
    """Pixels of a tile at ``rect`` (pixels; its top row the highest x₂) at fractions (fx, fy) of the extent against
    the unit's ``values`` there, except where ``covered`` (a QRect: the unit's name) lies over the picture: returns
    how many blue and orange points were checked."""
    seen = {"blue": 0, "orange": 0}
    for v, u, w in zip(values, fx, fy):
        want = _expected(v, strong)
        x, y = round(rect.left() + u * rect.width()), round(rect.bottom() - w * rect.height())
        if want is None or (covered is not None and covered.adjusted(-2, -2, 2, 2).contains(x, y)):
            continue
        assert _kind(rgb[y, x]) == want, f"output {v:.2f} drawn {rgb[y, x]} at {x}, {y}"
        seen[want] += 1
    return seen["blue"], seen["orange"]


def _name_over(grid, tile):
    """Where a small tile's name covers its picture (viewport pixels), or None when the name is above the tile."""
    return grid.mapFromScene(tile.title_back.sceneBoundingRect()).boundingRect() if grid.titles_inside else None


def _hidden(window, X):
    snap = window.session.snapshot
    hs, _ = _forward(snap.layer_sizes, snap.parameters, X)
    return hs


@pytest.fixture
def bumps(window, qtbot):
    """Six bumps (2-D regression, tanh 8, 8) trained 300 steps, its unit grid drawn."""
    window.session.load_preset("gaussian")
    train_to(qtbot, window.session, 300)
    grid = window.heatmaps.grid
    qtbot.waitUntil(lambda: all(t.image.image is not None for layer in grid.tiles for t in layer), timeout=5000)
    return window


def test_heatmap_tiles_are_blue_where_the_unit_is_positive_and_orange_where_negative(bumps):
    grid = bumps.heatmaps.grid
    X, fx, fy = _grid_points(bumps.session.snapshot.regions.extent)
    rgb = _rgb(grid.viewport().grab().toImage())
    blue = orange = 0
    for layer, h in zip(grid.tiles, _hidden(bumps, X)):
        for i, tile in enumerate(layer):
            rect = grid.mapFromScene(tile.rect).boundingRect()
            b, o = _check_tile(rgb, rect.adjusted(1, 1, -1, -1), h[:, i], fx, fy, _name_over(grid, tile))
            blue, orange = blue + b, orange + o
    assert blue >= 40 and orange >= 40  # both signs were seen and checked


def test_the_enlarged_unit_has_the_same_colours(bumps, qtbot):
    heatmaps = bumps.heatmaps
    qtbot.mouseClick(heatmaps.grid.viewport(), Qt.LeftButton, pos=heatmaps.tile_center(1, 4))
    large = heatmaps.large
    qtbot.waitUntil(lambda: large.image.image is not None, timeout=3000)
    bumps.session.clear_points()  # the bare map: no point covers a sampled pixel
    wait_fresh(qtbot, bumps.session)
    X, _, _ = _grid_points(bumps.session.snapshot.regions.extent)
    values = _hidden(bumps, X)[1][:, 4]
    rgb = _rgb(large.plot.grab().toImage())
    checked = set()
    for (x, y), v in zip(X, values):
        want = _expected(v, 0.3)
        if want is None:
            continue
        p = large.plot.mapFromScene(large.plotItem.vb.mapViewToScene(QPointF(x, y)))
        assert _kind(rgb[p.y(), p.x()]) == want, f"output {v:.2f} at ({x:.2f}, {y:.2f})"
        checked.add(want)
    assert checked  # some clearly signed part was checked


def test_diagram_tiles_are_blue_where_the_unit_is_positive_and_links_take_the_same_blue(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=60)  # [2, 4, 2] tanh
    canvas = diagram.canvas
    (x0, x1), (y0, y1) = window.session.bounds
    X, fx, fy = _grid_points((x0, x1, y0, y1))
    (h,) = _hidden(window, X)
    rgb = _rgb(canvas.grab().toImage())
    blue = orange = 0
    for i in range(4):
        rect = canvas.mapFromScene(canvas.columns[1].tile_rect(i)).boundingRect()
        # small tiles from a coarse grid: a pixel spans a tenth of a unit, so only clearly signed outputs are checked
        b, o = _check_tile(rgb, rect.adjusted(2, 2, -2, -2), h[:, i], fx, fy, strong=0.6)
        blue, orange = blue + b, orange + o
    assert blue >= 5 and orange >= 5
    # a positive weight's link is the hue of a positive unit, a negative one's the hue of a negative unit
    positive_pen, negative_pen = canvas.links[0][0][-1].pen().color(), canvas.links[0][1][-1].pen().color()
    tile_blue, tile_orange = _strong_tile_colours(rgb, canvas, h, fx, fy)
    assert abs(positive_pen.hue() - tile_blue.hue()) <= 6 and abs(negative_pen.hue() - tile_orange.hue()) <= 6


def _strong_tile_colours(rgb, canvas, h, fx, fy):
    """The drawn colours of the hidden tiles where a unit is nearest +1 and nearest −1."""
    from PySide6.QtGui import QColor
    picks = []
    for pick in (np.argmax, np.argmin):
        k = pick(h.ravel())
        point, unit = divmod(int(k), h.shape[1])
        rect = canvas.mapFromScene(canvas.columns[1].tile_rect(unit)).boundingRect().adjusted(2, 2, -2, -2)
        x, y = round(rect.left() + fx[point] * rect.width()), round(rect.bottom() - fy[point] * rect.height())
        picks.append(QColor(*(int(c) for c in rgb[y, x])))
    return picks


def test_relu_units_are_white_where_off_and_blue_where_on_never_orange(window, qtbot):
    window.session.load_preset("spiral")  # 2 × 16 ReLU
    train_to(qtbot, window.session, 100)
    grid = window.heatmaps.grid
    qtbot.waitUntil(lambda: all(t.image.image is not None for layer in grid.tiles for t in layer), timeout=5000)
    X, fx, fy = _grid_points(window.session.snapshot.regions.extent)
    snap = window.session.snapshot
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    hs, _ = _forward(snap.layer_sizes, snap.parameters, X, sigma=relu)
    x0, x1, y0, y1 = snap.regions.extent
    near = [X + np.array(d) for d in ((0.04 * (x1 - x0), 0), (-0.04 * (x1 - x0), 0), (0, 0.04 * (y1 - y0)),
                                      (0, -0.04 * (y1 - y0)))]  # off here and around: not blended with an on part
    around = [_forward(snap.layer_sizes, snap.parameters, P, sigma=relu)[0] for P in near]
    clearly_off = [np.all([a[j] == 0.0 for a in around], axis=0) & (h == 0.0) for j, h in enumerate(hs)]
    dense, _, _ = _grid_points(snap.regions.extent, n=60)  # each unit's largest output, the top of its scale
    tops = [h.max(axis=0) for h in _forward(snap.layer_sizes, snap.parameters, dense, sigma=relu)[0]]
    rgb = _rgb(grid.viewport().grab().toImage())
    off = on = 0
    for layer, h, top_of, off_of in zip(grid.tiles, hs, tops, clearly_off):
        for i, tile in enumerate(layer):
            rect = grid.mapFromScene(tile.rect).boundingRect().adjusted(1, 1, -1, -1)
            top = top_of[i]
            for v, is_off, u, w in zip(h[:, i], off_of[:, i], fx, fy):
                x, y = round(rect.left() + u * rect.width()), round(rect.bottom() - w * rect.height())
                name = _name_over(grid, tile)
                if name is not None and name.adjusted(-2, -2, 2, 2).contains(x, y):
                    continue  # the unit's name sits in the top-left corner of a small tile
                kind = _kind(rgb[y, x])
                assert kind != "orange", f"ReLU output {v:.2f} drawn orange"
                if is_off:
                    assert kind == "white", f"an off unit drawn {rgb[y, x]}"
                    off += 1
                elif top > 0 and v >= 0.6 * top:
                    assert kind == "blue", f"output {v:.2f} of max {top:.2f} drawn {rgb[y, x]}"
                    on += 1
    assert off >= 20 and on >= 20


def test_the_colour_bars_read_orange_white_blue_from_negative_to_positive(bumps, qtbot):
    heatmaps = bumps.heatmaps
    bar = _rgb(heatmaps.scale_bar.pixmap().toImage())
    middle_row = bar[bar.shape[0] // 2]
    assert [_kind(middle_row[x]) for x in (1, len(middle_row) // 2, -2)] == ["orange", "white", "blue"]
    assert heatmaps.scale_text.text() == "−1 · 0 · +1"
    # the surface's colour bar beside the data plot: +1 at the top blue, −1 at the bottom orange
    plot = bumps.class_plot
    color_bar = plot.surface.color_bar
    rect = plot.mapFromScene(color_bar.bar.sceneBoundingRect()).boundingRect()
    rgb = _rgb(plot.grab().toImage())
    x = rect.center().x()
    kinds = [_kind(rgb[round(rect.top() + f * rect.height()), x]) for f in (0.04, 0.5, 0.96)]
    assert kinds == ["blue", "white", "orange"]
    # ReLU: 0 (off) … max, white to blue
    bumps.session.set_architecture((4,), "relu")
    bar = _rgb(heatmaps.scale_bar.pixmap().toImage())
    middle_row = bar[bar.shape[0] // 2]
    assert [_kind(middle_row[x]) for x in (1, -2)] == ["white", "blue"]
