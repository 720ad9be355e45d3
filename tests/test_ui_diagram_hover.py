"""Hovering a unit in the network diagram shows the same unit in the other views: its dashed curve in the 1-D fit
plot bold and dark, its heatmap in the 2-D unit grid framed; leaving it puts them back."""

import numpy as np
from gui_helpers import hover
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from test_ui_network_diagram import _open, _view_point

from playground.ui.fit_plot import HIGHLIGHT_COLOR


def _rgb(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, -1)
    return rows[:, :3 * w].reshape(h, w, 3).astype(int)


def _dark(rgb: np.ndarray) -> np.ndarray:
    return np.abs(rgb - np.array(HIGHLIGHT_COLOR)).max(axis=2) <= 12


def _hover_tile(qtbot, diagram, column, unit):
    with qtbot.waitSignal(diagram.unit_hovered):
        centre = diagram.canvas.columns[column].tile_rect(unit).center()
        hover(diagram.canvas.viewport(), _view_point(diagram, centre))


def _leave(qtbot, diagram):
    with qtbot.waitSignal(diagram.unit_hovered) as left:
        hover(diagram.canvas.viewport(), QPoint(2, diagram.canvas.viewport().height() - 2))
    assert left.args == [-1, -1]


def test_hovering_a_hidden_unit_draws_its_curve_bold_and_dark_in_the_fit_plot(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2", steps=200)   # [1, 3, 1]
    plot = window.fit_view.plot
    curves = plot.unit_curves
    normal_width = curves[2].opts["pen"].widthF()
    assert _dark(_rgb(plot)).sum() < 20   # nothing drawn in the highlight colour yet (axis text is darker)
    _hover_tile(qtbot, diagram, 1, 2)
    pen = curves[2].opts["pen"]
    assert (pen.color().red(), pen.color().green(), pen.color().blue()) == HIGHLIGHT_COLOR
    assert pen.widthF() > normal_width and all(c.opts["pen"].widthF() == normal_width for c in curves[:2])
    # on screen: h₃'s curve, in the highlight colour, where its data are
    dark = _dark(_rgb(plot))
    assert dark.sum() > 200, dark.sum()
    _leave(qtbot, diagram)
    assert curves[2].opts["pen"].widthF() == normal_width
    assert _dark(_rgb(plot)).sum() < 20


def test_hovering_a_unit_of_the_second_layer_frames_its_heatmap_in_the_unit_grid(qtbot, window):
    diagram = _open(qtbot, window, "spiral", steps=50)   # [2, 16, 16, 2]
    grid = window.heatmaps.grid
    tile = grid.tiles[1][5]
    _hover_tile(qtbot, diagram, 2, 5)                     # layer 2, h₆
    assert tile.frame.pen().widthF() >= 3 and all(t.frame.pen().widthF() <= 1 for t in grid.tiles[0])
    rgb = _rgb(grid)
    corner = grid.mapFromScene(tile.rect.topLeft())
    ring = rgb[corner.y() - 2:corner.y() + 2, corner.x() + 4:corner.x() + int(tile.rect.width()) - 4]
    assert _dark(ring).mean() > 0.5                      # a dark frame along the tile's top edge
    _hover_tile(qtbot, diagram, 0, 1)                     # an input: no hidden unit is framed
    assert all(t.frame.pen().widthF() <= 1 for layer in grid.tiles for t in layer)
    _hover_tile(qtbot, diagram, 1, 0)
    assert grid.tiles[0][0].frame.pen().widthF() >= 3
    _leave(qtbot, diagram)
    assert all(t.frame.pen().widthF() <= 1 for layer in grid.tiles for t in layer)
