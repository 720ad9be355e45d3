"""The diagram's input column as TensorFlow Playground's: a tile per feature φⱼ(x) of the mode with its picture, the
ones fed to the first layer linked and the others pale; a click on a tile toggles the feature (through the real
window, with the mouse), and the pictures match φ computed here in numpy."""

import numpy as np
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt
from test_ui_network_diagram import _open, _view_point

from playground.ui.unit_colors import colorize

FEATURES_2D = ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2")  # the input column's tiles, in order


def _click_tile(qtbot, window, diagram, tile):
    centre = _view_point(diagram, diagram.canvas.columns[0].tile_rect(tile).center())
    with qtbot.waitSignal(window.session.model_changed):
        qtbot.mouseClick(diagram.canvas.viewport(), Qt.LeftButton, pos=centre)
    wait_fresh(qtbot, window.session)
    qtbot.waitUntil(lambda: diagram.drawn_serial == window.session.snapshot.serial)


def _linked_tiles(diagram) -> set[int]:
    """Input tiles a first-layer link starts from (read back from the drawn paths)."""
    column = diagram.canvas.columns[0]
    starts = set()
    for item in (x for sign in diagram.canvas.links[0] for x in sign):
        path = item.path()
        for e in range(0, path.elementCount(), 2):
            starts.add((round(path.elementAt(e).x, 3), round(path.elementAt(e).y, 3)))
    right_edges = {(round(column.lefts[t] + column.tile_width, 3), round(column.tops[t] + column.tile / 2, 3)): t
                   for t in range(column.size)}
    return {right_edges[p] for p in starts}


def _veiled_tiles(diagram) -> set[int]:
    column, veil = diagram.canvas.columns[0], diagram.canvas.inactive_veil.path()
    return {t for t in range(column.size) if veil.contains(column.tile_rect(t).center())}


def test_clicking_feature_tiles_feeds_them_to_the_first_layer_and_back(qtbot, window):
    diagram = _open(qtbot, window, "circles")
    s = window.session
    assert diagram.canvas.columns[0].size == len(FEATURES_2D)
    assert _linked_tiles(diagram) == {0, 1} and _veiled_tiles(diagram) == {2, 3, 4, 5, 6}   # the raw x₁, x₂
    _click_tile(qtbot, window, diagram, 2)                         # x₁² on
    assert s.features == ("x1", "x2", "x1^2") and s.layer_sizes[0] == 3
    assert _linked_tiles(diagram) == {0, 1, 2} and _veiled_tiles(diagram) == {3, 4, 5, 6}
    assert diagram._name(0, 2) == "φ₃ = x₁²"
    _click_tile(qtbot, window, diagram, 3)                         # x₂² on
    _click_tile(qtbot, window, diagram, 0)                         # x₁ off
    _click_tile(qtbot, window, diagram, 1)                         # x₂ off: the lecture's φ(x) = (x₁², x₂²)
    assert s.features == ("x1^2", "x2^2") and s.layer_sizes[0] == 2
    assert _linked_tiles(diagram) == {2, 3} and diagram._name(0, 0) == "x₁ (not fed to the network)"
    assert window.controls.features.buttons["x1^2"].isChecked()    # the controls' φ picker says the same
    assert not window.controls.features.buttons["x1"].isChecked()
    # the tiles' pictures: each feature over the plane, in the unit views' colours (φ computed here)
    column = diagram.canvas.columns[0]
    (x0, x1), (y0, y1) = s.bounds
    width = column.image.image.shape[1]
    side = round(width / (1.25 * column.across - 0.25))
    gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y1, y0, side))  # top row: the highest x₂
    phi = {"x1^2": gx ** 2, "x2^2": gy ** 2, "x1x2": gx * gy, "sin_x2": np.sin(np.pi * gy)}
    gap = side // 4
    for key, values in phi.items():
        r, q = divmod(FEATURES_2D.index(key), column.across)
        drawn = column.image.image[r * (side + gap):r * (side + gap) + side, q * (side + gap):q * (side + gap) + side]
        assert np.abs(drawn.astype(int) - colorize(values, "linear")).max() <= 1, key


def test_the_last_feature_stays_on(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2")                     # 1-D: x, x², x³, sin(πx), cos(πx), |x|
    s = window.session
    assert diagram.canvas.columns[0].size == 6 and _linked_tiles(diagram) == {0}
    centre = _view_point(diagram, diagram.canvas.columns[0].tile_rect(0).center())
    with qtbot.waitSignal(s.message) as refused:
        qtbot.mouseClick(diagram.canvas.viewport(), Qt.LeftButton, pos=centre)
    assert "at least one input feature stays on" in refused.args[0] and s.features is None
    _click_tile(qtbot, window, diagram, 2)                         # x³ on
    assert s.features == ("x", "x^3")
    # the x³ tile's curve is x³ over the plotted x, spanning the tile's height
    column = diagram.canvas.columns[0]
    drawn, r = column.curve_points(2), column.tile_rect(2)
    (x0, x1), _ = s.bounds
    xs = x0 + (drawn[:, 0] - r.left()) / r.width() * (x1 - x0)
    cube = xs ** 3
    expected = r.top() + (1 - (cube - cube.min()) / (cube.max() - cube.min())) * r.height()
    assert np.allclose(drawn[:, 1], expected, atol=1e-6)
