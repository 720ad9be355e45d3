"""One column of the network diagram: its tiles (frames, pictures, bias bars), title and − / + buttons.

A whole column's tiles are one image (2-D) or one path per colour (1-D), so a frame costs a few
``setImage`` / ``setPath`` calls however many units the layer has. Coordinates are the view's pixels.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from ..palette import FIT_RED, POINT_BLUE, UNIT_COLORS, unit_color
from .graph_view import NEGATIVE, POSITIVE
from .plot_style import MAX_PEN, Look, SmoothImageItem

HEADER = 36            # px above the tiles at scale 1: the column's name, and − / + for a hidden layer
CURVE_ASPECT = 1.5     # a 1-D tile is this much wider than tall: a curve reads better wide
GAP = 0.25             # the space between two tiles of a column, as a fraction of a tile
BUTTON = 22            # px: side of a − / + button at scale 1
TITLE_FONT, BUTTON_FONT, NAME_FONT = "tile_title", "layer_heading", "note"  # the look's font tokens (ui/plot_style.py)


def pen(color, width: float, strength: float = 1.0) -> QPen:
    """A cosmetic pen of ``color`` blended toward white by ``strength`` < 1: faded like a translucent line
    on the white background, yet opaque, which Qt paints about twice as fast. At most MAX_PEN wide (a
    presentation-mode scale times the widest link)."""
    c = QColor(color)
    c = QColor(*(round(255 - strength * (255 - v)) for v in (c.red(), c.green(), c.blue())))
    pen = QPen(c, min(width, MAX_PEN))
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.FlatCap)
    return pen


def segments(x0, y0, x1, y1) -> QPainterPath:
    """One path of the segments (x0, y0)–(x1, y1), arrays of equal length."""
    n = len(y0)
    if n == 0:
        return QPainterPath()
    x, y = np.empty(2 * n), np.empty(2 * n)
    x[0::2], x[1::2], y[0::2], y[1::2] = x0, x1, y0, y1
    return pg.arrayToQPath(x, y, connect="pairs", finiteCheck=False)


class PathItem(QGraphicsItem):
    """A path drawn with one pen and brush. Unlike QGraphicsPathItem, whose bounding box with a wide pen
    strokes the whole path (a second per frame for a layer of 4096 links), its bounds are the path's
    box grown by the pen width."""

    widens_on_export = True  # a cosmetic pen: a 2× image widens it like the plots' lines (export/images.py)

    def __init__(self):
        super().__init__()
        self._path, self._pen, self._brush = QPainterPath(), QPen(Qt.NoPen), QBrush(Qt.NoBrush)
        self._bounds = QRectF()

    def path(self) -> QPainterPath:
        return self._path

    def pen(self) -> QPen:
        return self._pen

    def setPen(self, pen: QPen) -> None:
        self._pen = QPen(pen)
        self._set_bounds()

    def setBrush(self, brush: QBrush) -> None:
        self._brush = QBrush(brush)
        self.update()

    def setPath(self, path: QPainterPath) -> None:
        self._path = path
        self._set_bounds()

    def _set_bounds(self) -> None:
        self.prepareGeometryChange()
        grow = self._pen.widthF() / 2 + 1
        self._bounds = self._path.boundingRect().adjusted(-grow, -grow, grow, grow)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._path

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self._pen)
        painter.setBrush(self._brush)
        painter.drawPath(self._path)


def _curve_pens(size: int, one_d: bool, output: bool, buttons: bool) -> list[tuple[tuple, float]]:
    """(colour, width) of each curve path of a column: 1-D hidden units' curves in the fit plot's unit colours
    (one path per colour), x dark, the fit red; a 2-D column shows images, no curves."""
    if not one_d:
        return []
    if output:
        return [(FIT_RED, 2.0)]
    if buttons:
        return [(unit_color(k), 1.0) for k in range(min(size, len(UNIT_COLORS)))]
    return [((40, 40, 40), 1.0)]


def _unit_buttons(look: Look) -> list[tuple[QGraphicsRectItem, QGraphicsSimpleTextItem, int]]:
    """A hidden column's − and + buttons (box, label, sign): one unit fewer or more."""
    made = []
    for sign, text in ((-1, "−"), (+1, "+")):
        box = QGraphicsRectItem()
        box.setPen(pen(QColor(120, 120, 120), look.scale))
        box.setBrush(QBrush(QColor(240, 243, 248)))
        label = QGraphicsSimpleTextItem(text)
        label.setFont(look.font(BUTTON_FONT, bold=True))
        made.append((box, label, sign))
    return made


class Column:
    """One column's items: title, tile frames, the picture (image or curve path), bias bars, buttons."""

    def __init__(self, scene, title: str, size: int, one_d: bool, output: bool, buttons: bool, look: Look):
        """``look``: the window's style tokens; its scale (presentation mode) enlarges text, lines and buttons."""
        self.size = size
        self.scale = look.scale
        self.header, self.button = HEADER * look.scale, BUTTON * look.scale
        self.title = QGraphicsSimpleTextItem(title)
        self.title.setFont(look.font(TITLE_FONT, bold=True))
        self.title.setBrush(QBrush(QColor(26, 42, 68)))
        self.frames = PathItem()
        self.frames.setPen(pen(QColor(150, 150, 150), look.scale))
        self.frames.setBrush(QBrush(QColor("white")))
        self.image = None if one_d else SmoothImageItem(axisOrder="row-major")
        self.curves = []
        for color, width in _curve_pens(size, one_d, output, buttons):
            item = PathItem()
            item.setPen(pen(QColor(*color), width * look.scale))
            self.curves.append(item)
        self.points = PathItem() if (one_d and output) else None
        if self.points is not None:
            self.points.setPen(QPen(Qt.NoPen))
            self.points.setBrush(QBrush(QColor(*POINT_BLUE, 150)))
        self.bias_bars = [PathItem(), PathItem()]  # b > 0, b < 0
        self.buttons = _unit_buttons(look) if buttons else []
        self._add_items(scene)
        self.name_tags: list[tuple[QGraphicsRectItem, QGraphicsSimpleTextItem]] = []  # set_tile_names
        self._look = look
        self.center_x, self.view_width = 0.0, 0.0  # where place() centred the column, in a view this wide
        self.tile, self.across = 0.0, 1  # tile: a tile's height; its width is tile × aspect
        self.aspect = CURVE_ASPECT if one_d else 1.0
        self.lefts, self.tops = np.zeros(size), np.zeros(size)

    def _add_items(self, scene) -> None:
        """Every item into the scene, over the links: frames lowest, curves over the pictures."""
        self.items = [self.frames, self.title, *(i for i in (self.image, self.points) if i is not None), *self.curves,
                      *self.bias_bars, *(x for box, label, _ in self.buttons for x in (box, label))]
        for item in self.items:
            scene.addItem(item)
            item.setZValue(2)  # over the links
        self.frames.setZValue(1)
        for item in self.curves:
            item.setZValue(3)

    def set_tile_names(self, names: list[str]) -> None:
        """A short name beside each tile (the input column: x₁, x₁², sin(πx₁)…), on a pale box: left of it when
        the tiles stand one per row, else on its top-left corner."""
        scene = self.frames.scene()
        for box, text in self.name_tags:
            scene.removeItem(box)
            scene.removeItem(text)
        self.name_tags = []
        for name in names:
            box = QGraphicsRectItem()
            box.setPen(QPen(Qt.NoPen))
            box.setBrush(QBrush(QColor(255, 255, 255, 215)))
            text = QGraphicsSimpleTextItem(name)
            text.setFont(self._look.font(NAME_FONT))
            text.setBrush(QBrush(QColor(26, 42, 68)))
            for item, z in ((box, 4), (text, 5)):  # over the picture and the curves
                scene.addItem(item)
                item.setZValue(z)
            self.name_tags.append((box, text))
        self.items += [x for tag in self.name_tags for x in tag]
        self._place_names()

    def _place_names(self) -> None:
        for (box, text), x, y in zip(self.name_tags, self.lefts, self.tops):
            r = text.boundingRect()
            if self.across == 1:  # left of the tile, right-aligned, where it hides neither picture nor links
                text.setPos(x - r.width() - 4, y + (self.tile - r.height()) / 2)
            else:                 # several tiles per row: on the tile's top-left corner
                text.setPos(x + 2, y + 1)
            box.setRect(text.mapRectToScene(r).adjusted(-1, 0, 1, 0))

    @property
    def pitch(self) -> float:
        return self.tile * (1.0 + GAP)

    def tile_rect(self, i: int) -> QRectF:
        return QRectF(self.lefts[i], self.tops[i], self.tile_width, self.tile)

    @property
    def tile_width(self) -> float:
        return self.tile * self.aspect

    def block_width(self, tile: float, across: int) -> float:
        """The tiles' width, with the names left of them when the tiles stand one per row."""
        names = self.names_width if across == 1 else 0.0
        return across * tile * (self.aspect + GAP) - tile * GAP + names

    @property
    def names_width(self) -> float:
        """The widest tile name and its margin (0 without names)."""
        return max((text.boundingRect().width() + 6 for _, text in self.name_tags), default=0.0)

    def place(self, center_x: float, tile: float, across: int, top: float, view_width: float) -> None:
        """Tiles ``tile`` high in rows of ``across``, unit order left to right, then top to bottom."""
        self.tile, self.across = tile, across
        left = center_x - self.block_width(tile, across) / 2 + (self.names_width if across == 1 else 0.0)
        units = np.arange(self.size)
        self.lefts = left + (self.tile_width + tile * GAP) * (units % across)
        self.tops = top + self.pitch * (units // across)
        frames = QPainterPath()
        for x, y in zip(self.lefts, self.tops):
            frames.addRect(QRectF(x, y, self.tile_width, tile))
        self.frames.setPath(frames)
        self._place_names()
        self.center_x, self.view_width = center_x, view_width
        self.place_header()
        if self.image is not None and self.image.image is not None:
            self._place_image()

    def header_span(self) -> tuple[float, float]:
        """Where the header (name, − and +) begins and ends."""
        left = min([self.title.pos().x(), *(box.rect().left() for box, _, _ in self.buttons)])
        right = max([self.title.sceneBoundingRect().right(), *(box.rect().right() for box, _, _ in self.buttons)])
        return left, right

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.place_header()

    def place_header(self) -> None:
        """The name, then − and +, centred over the column on one line and never cut off at the view's edges."""
        center_x, view_width = self.center_x, self.view_width
        title_w = self.title.boundingRect().width()
        side, header = self.button, self.header
        width = title_w + len(self.buttons) * (side + 4) + (6 if self.buttons else 0)
        x = min(max(2.0, center_x - width / 2), view_width - width - 2)
        self.title.setPos(x, (header - 8 - self.title.boundingRect().height()) / 2)
        x += title_w + 6
        for box, label, _ in self.buttons:
            box.setRect(QRectF(x, (header - 8 - side) / 2, side, side))
            r = label.boundingRect()
            label.setPos(x + (side - r.width()) / 2, box.rect().top() + (side - r.height()) / 2)
            x += side + 4

    def _place_image(self) -> None:
        rows = -(-self.size // self.across)
        tiles_width = self.across * self.tile * (self.aspect + GAP) - self.tile * GAP
        self.image.setRect(QRectF(self.lefts[0], self.tops[0], tiles_width,
                                  rows * self.pitch - self.tile * GAP))

    def set_rgba(self, rgba: np.ndarray) -> None:
        """rgba (m, H, H, 4): the tiles in their rows, transparent between them, as one image."""
        m, side = rgba.shape[:2]
        gap, across = round(side * GAP), self.across
        rows = -(-m // across)
        padded = np.zeros((rows * across, side + gap, side + gap, 4), np.uint8)
        padded[:m, :side, :side] = rgba
        block = padded.reshape(rows, across, side + gap, side + gap, 4).transpose(0, 2, 1, 3, 4)
        block = block.reshape(rows * (side + gap), across * (side + gap), 4)[:-gap, :-gap]
        first = self.image.image is None or self.image.image.shape != block.shape
        self.image.setImage(np.ascontiguousarray(block), autoLevels=False)
        if first:
            self._place_image()

    def set_curves(self, xs, values, low, high, x_range) -> None:
        """Draw values (m, G) against xs (G,), each tile spanning low…high (m,)."""
        m, g = values.shape
        px = self.lefts[:, None] + ((xs - x_range[0]) / (x_range[1] - x_range[0]) * self.tile_width)[None, :]
        fraction = (values - low[:, None]) / (high - low)[:, None]
        py = self.tops[:, None] + (1.0 - np.clip(fraction, 0.0, 1.0)) * self.tile
        for k, item in enumerate(self.curves):  # units k, k + n, k + 2n, … share path k's colour
            units = slice(k, m, len(self.curves))
            connect = np.ones((len(range(k, m, len(self.curves))), g), np.int32)
            connect[:, -1] = 0  # no line from one tile's last point to the next tile's first
            item.setPath(pg.arrayToQPath(px[units].ravel(), py[units].ravel(), connect=connect.ravel(),
                                         finiteCheck=False))

    def curve_points(self, i: int) -> np.ndarray:
        """The (G, 2) pixels of unit i's drawn curve, read back from its path."""
        n = len(self.curves)
        path = self.curves[i % n].path()
        points = np.array([(path.elementAt(e).x, path.elementAt(e).y) for e in range(path.elementCount())])
        return points.reshape(len(range(i % n, self.size, n)), -1, 2)[i // n]

    def set_biases(self, biases: np.ndarray, widths: float) -> None:
        """A bar in the gap under each tile, right for b > 0 and left for b < 0, as long as half a tile at |b| ≥ 2."""
        cx = self.lefts + self.tile_width / 2
        y = self.tops + self.tile * (1 + GAP / 2)
        length = np.clip(biases / 2.0, -1.0, 1.0) * self.tile / 2
        for bar, mask, color in ((self.bias_bars[0], biases > 0, POSITIVE), (self.bias_bars[1], biases < 0, NEGATIVE)):
            bar.setPen(pen(color, widths))
            bar.setPath(segments(cx[mask], y[mask], cx[mask] + length[mask], y[mask]))

    def unit_at(self, p: QPointF) -> int | None:
        """The unit whose tile, or the gap under it (its bias bar), holds ``p``."""
        inside = ((self.lefts <= p.x()) & (p.x() <= self.lefts + self.tile_width)
                  & (self.tops <= p.y()) & (p.y() < self.tops + self.pitch))
        found = np.flatnonzero(inside)
        return int(found[0]) if len(found) else None

    def button_at(self, p: QPointF) -> int | None:
        return next((sign for box, _, sign in self.buttons if box.rect().contains(p)), None)
