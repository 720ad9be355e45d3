"""The network diagram's drawing: columns of tiles, the links between them, and what lies under the mouse.

Speed: every item is made when the layer sizes change (``build``) and placed when the view is
resized (``arrange``); a frame (``draw``) only sets paths and images. A whole column's tiles are one
image (2-D) or one path (1-D), and a weight layer's links are one path per sign and width bucket,
so a frame of a 6 × 64 network touches about 100 items however many links it has.

Coordinates are the view's pixels (pyqtgraph's GraphicsView with its automatic pixel range).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from ..engine import ParameterVector
from ..palette import FIT_RED, POINT_BLUE, UNIT_COLORS, unit_color
from .diagram_pictures import Curves, Maps
from .graph_view import NEGATIVE, POSITIVE
from .plot_style import SmoothImageItem

HEADER = 36            # px above the tiles: the column's name, and − / + for a hidden layer
MARGIN = 10
MAX_TILE = 84          # px: a lecture network's tiles need not be larger
MIN_TILE = 3
READABLE_TILE = 30     # px: smaller tiles are put several in a row when the height allows
CURVE_ASPECT = 1.5     # a 1-D tile is this much wider than tall: a curve reads better wide
GAP = 0.25             # the space between two tiles of a column, as a fraction of a tile
LINK_EDGES = (0.1, 0.5, 1.0, 2.0)            # |w| bucket edges
LINK_WIDTHS = (0.6, 1.3, 2.3, 3.5, 5.0)      # px per bucket: thicker = larger |w|
DENSE_LINKS = 64       # a weight layer with more links is drawn fainter, so that the strong ones stand out
MAX_DRAWN_LINKS = 200  # per weight layer: a denser layer shows its strongest links only
HIT_DISTANCE = 5.0     # px: how near a link the mouse must be to hover it
BUTTON = 22            # px: side of a − / + button
MIN_LINK_GAP, MAX_LINK_GAP = 48, 260  # px between two columns' tiles, for the links


@dataclass(frozen=True)
class Hit:
    """What is under the mouse: kind "unit" (column, index), "link" (weight layer j, target o, source i),
    or "button" (column, +1 or −1)."""

    kind: str
    a: int
    b: int = 0
    c: int = 0


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _pen(color, width: float, strength: float = 1.0) -> QPen:
    """A cosmetic pen of ``color`` blended toward white by ``strength`` < 1: faded like a translucent line
    on the white background, yet opaque, which Qt paints about twice as fast."""
    c = QColor(color)
    c = QColor(*(round(255 - strength * (255 - v)) for v in (c.red(), c.green(), c.blue())))
    pen = QPen(c, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.FlatCap)
    return pen


def _pairs(x0, y0, x1, y1) -> QPainterPath:
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


class _Column:
    """One column's items: title, tile frames, the picture (image or curve path), bias bars, buttons."""

    def __init__(self, scene, title: str, size: int, one_d: bool, output: bool, buttons: bool):
        self.size = size
        self.title = QGraphicsSimpleTextItem(title)
        self.title.setFont(_font(11, bold=True))
        self.title.setBrush(QBrush(QColor(26, 42, 68)))
        self.frames = PathItem()
        self.frames.setPen(_pen(QColor(150, 150, 150), 1))
        self.frames.setBrush(QBrush(QColor("white")))
        self.image = None if one_d else SmoothImageItem(axisOrder="row-major")
        # 1-D: hidden units' curves in the fit plot's unit colours (one path per colour), x dark, the fit red
        if not one_d:
            colors = []
        elif output:
            colors = [(FIT_RED, 2.0)]
        elif buttons:
            colors = [(unit_color(k), 1.0) for k in range(min(size, len(UNIT_COLORS)))]
        else:
            colors = [((40, 40, 40), 1.0)]
        self.curves = []
        for color, width in colors:
            item = PathItem()
            item.setPen(_pen(QColor(*color), width))
            self.curves.append(item)
        self.points = PathItem() if (one_d and output) else None
        if self.points is not None:
            self.points.setPen(QPen(Qt.NoPen))
            self.points.setBrush(QBrush(QColor(*POINT_BLUE, 150)))
        self.bias_bars = [PathItem(), PathItem()]  # b > 0, b < 0
        self.buttons: list[tuple[QGraphicsRectItem, QGraphicsSimpleTextItem, int]] = []
        if buttons:
            for sign, text in ((-1, "−"), (+1, "+")):
                box = QGraphicsRectItem()
                box.setPen(_pen(QColor(120, 120, 120), 1))
                box.setBrush(QBrush(QColor(240, 243, 248)))
                label = QGraphicsSimpleTextItem(text)
                label.setFont(_font(12, bold=True))
                self.buttons.append((box, label, sign))
        self.items = [self.frames, self.title, *(i for i in (self.image, self.points) if i is not None), *self.curves,
                      *self.bias_bars, *(x for box, label, _ in self.buttons for x in (box, label))]
        for item in self.items:
            scene.addItem(item)
            item.setZValue(2)  # over the links
        self.frames.setZValue(1)
        for item in self.curves:
            item.setZValue(3)
        self.tile, self.across = 0.0, 1  # tile: a tile's height; its width is tile × aspect
        self.aspect = CURVE_ASPECT if one_d else 1.0
        self.lefts, self.tops = np.zeros(size), np.zeros(size)

    @property
    def pitch(self) -> float:
        return self.tile * (1.0 + GAP)

    def tile_rect(self, i: int) -> QRectF:
        return QRectF(self.lefts[i], self.tops[i], self.tile_width, self.tile)

    @property
    def tile_width(self) -> float:
        return self.tile * self.aspect

    def block_width(self, tile: float, across: int) -> float:
        return across * tile * (self.aspect + GAP) - tile * GAP

    def place(self, center_x: float, tile: float, across: int, top: float, view_width: float) -> None:
        """Tiles ``tile`` high in rows of ``across``, unit order left to right, then top to bottom."""
        self.tile, self.across = tile, across
        left = center_x - self.block_width(tile, across) / 2
        units = np.arange(self.size)
        self.lefts = left + (self.tile_width + tile * GAP) * (units % across)
        self.tops = top + self.pitch * (units // across)
        frames = QPainterPath()
        for x, y in zip(self.lefts, self.tops):
            frames.addRect(QRectF(x, y, self.tile_width, tile))
        self.frames.setPath(frames)
        # the name, then − and +, centred over the column on one line and never cut off at the view's edges
        title_w = self.title.boundingRect().width()
        width = title_w + len(self.buttons) * (BUTTON + 4) + (6 if self.buttons else 0)
        x = min(max(2.0, center_x - width / 2), view_width - width - 2)
        self.title.setPos(x, (HEADER - 8 - self.title.boundingRect().height()) / 2)
        x += title_w + 6
        for box, label, _ in self.buttons:
            box.setRect(QRectF(x, (HEADER - 8 - BUTTON) / 2, BUTTON, BUTTON))
            r = label.boundingRect()
            label.setPos(x + (BUTTON - r.width()) / 2, box.rect().top() + (BUTTON - r.height()) / 2)
            x += BUTTON + 4
        if self.image is not None and self.image.image is not None:
            self._place_image()

    def _place_image(self) -> None:
        rows = -(-self.size // self.across)
        self.image.setRect(QRectF(self.lefts[0], self.tops[0], self.block_width(self.tile, self.across),
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
            bar.setPen(_pen(color, widths))
            bar.setPath(_pairs(cx[mask], y[mask], cx[mask] + length[mask], y[mask]))

    def unit_at(self, p: QPointF) -> int | None:
        """The unit whose tile, or the gap under it (its bias bar), holds ``p``."""
        inside = ((self.lefts <= p.x()) & (p.x() <= self.lefts + self.tile_width)
                  & (self.tops <= p.y()) & (p.y() < self.tops + self.pitch))
        found = np.flatnonzero(inside)
        return int(found[0]) if len(found) else None

    def button_at(self, p: QPointF) -> int | None:
        return next((sign for box, _, sign in self.buttons if box.rect().contains(p)), None)


class DiagramCanvas(pg.GraphicsView):
    """Draws one network; ``hit(point)`` says what lies at a point of the view."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMouseTracking(True)
        self.columns: list[_Column] = []
        self.links: list[list[list[PathItem]]] = []  # [weight layer][sign][bucket]
        self.layer_sizes: tuple[int, ...] = ()
        self.one_d = True
        self._params: ParameterVector | None = None
        self.last_paint_seconds = 0.0  # how long the last paint took (the widget paces its frames by it)
        scene = self.scene()
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(_pen(QColor(26, 42, 68), 3))  # dark: no unit's colour
        self.highlight.setZValue(10)
        self.highlight_link = PathItem()
        self.highlight_link.setPen(_pen(QColor(255, 200, 0), 8, 0.7))
        self.highlight_link.setZValue(-1)
        for item in (self.highlight, self.highlight_link):
            item.setVisible(False)
            scene.addItem(item)

    def paintEvent(self, event) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        self.last_paint_seconds = time.perf_counter() - start

    # -- building and placing ----------------------------------------------------------------
    def build(self, layer_sizes: tuple[int, ...], one_d: bool, titles: list[str]) -> None:
        scene = self.scene()
        for column in self.columns:
            for item in column.items:
                scene.removeItem(item)
        for item in (x for layer in self.links for sign in layer for x in sign):
            scene.removeItem(item)
        self.layer_sizes, self.one_d, self._params = tuple(layer_sizes), one_d, None
        last = len(layer_sizes) - 1
        self.columns = [_Column(scene, title, m, one_d, c == last, 0 < c < last)
                        for c, (m, title) in enumerate(zip(layer_sizes, titles))]
        self.links = []
        self.drawn = [np.ones((b, a), bool) for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]  # links shown
        for j in range(last):
            dense = layer_sizes[j] * layer_sizes[j + 1] > DENSE_LINKS
            strength = 0.9 if not dense else max(0.3, 0.9 * math.sqrt(DENSE_LINKS / (layer_sizes[j] * layer_sizes[j + 1])))
            layer = []
            for color in (POSITIVE, NEGATIVE):
                items = []
                for width in LINK_WIDTHS:
                    item = PathItem()
                    item.setPen(_pen(color, width * (0.6 if dense else 1.0), strength))
                    scene.addItem(item)
                    items.append(item)
                layer.append(items)
            self.links.append(layer)
        self.set_hover(None)

    def arrange(self) -> None:
        """Place the columns for the view's current size: one tile per row while the tiles stay readable,
        else a tall layer in several tiles per row; the columns spread over the width."""
        n = len(self.columns)
        if not n:
            return
        width, height = max(self.width(), 200), max(self.height(), 120)
        usable_h, usable_w = height - HEADER - MARGIN, width - 2 * MARGIN
        tallest = max(self.layer_sizes)

        def fits(tile: float, rows: int):
            across = [-(-c.size // rows) for c in self.columns]
            blocks = [c.block_width(tile, k) for c, k in zip(self.columns, across)]
            return sum(blocks) + (n - 1) * max(MIN_LINK_GAP, 1.5 * tile) <= usable_w, across, blocks

        # The most rows (one tile per row reads best: no link passes under a tile) whose tiles are readable;
        # if none is, the largest tiles that fit. Each tile keeps the gap under it for its bias bar.
        choices = [(min(MAX_TILE, usable_h / (rows * (1 + GAP))), rows) for rows in range(tallest, 0, -1)]
        readable = [(tile, rows) for tile, rows in choices if tile >= READABLE_TILE and fits(tile, rows)[0]]
        if readable:
            tile, rows = readable[0]
        else:
            tile, rows = MIN_TILE, tallest
            for size in range(int(MAX_TILE), MIN_TILE - 1, -1):
                rows = max(1, int(usable_h // (size * (1 + GAP))))
                if fits(size, rows)[0]:
                    tile = size
                    break
        tile = float(int(max(tile, MIN_TILE)))
        _, across, blocks = fits(tile, rows)
        gap = min(MAX_LINK_GAP, (usable_w - sum(blocks)) / max(n - 1, 1))
        x = (width - sum(blocks) - (n - 1) * gap) / 2
        for column, k, block in zip(self.columns, across, blocks):
            rows_used = -(-column.size // k)
            used = rows_used * tile * (1 + GAP)
            column.place(x + block / 2, tile, k, HEADER + max(0.0, (usable_h - used) / 2), width)
            x += block + gap

    # -- per frame ---------------------------------------------------------------------------
    def _link_ends(self, j: int):
        """Where the links of weight layer j start (fan_in,) and end (fan_out,): x and y of each."""
        src, dst = self.columns[j], self.columns[j + 1]
        return (src.lefts + src.tile_width, src.tops + src.tile / 2, dst.lefts, dst.tops + dst.tile / 2)

    def draw(self, flat: np.ndarray, pictures: Curves | Maps | None) -> None:
        """Links and bias bars from the parameters ``flat`` (P,), tiles from ``pictures``."""
        self._params = ParameterVector(self.layer_sizes, flat)
        tile = self.columns[0].tile if self.columns else 0.0
        bias_width = float(np.clip(tile * GAP * 0.7, 1.5, 5.0))
        for j, W in enumerate(self._params.weights):
            xs, ys, xd, yd = self._link_ends(j)
            magnitude = np.abs(W)
            bucket = np.digitize(magnitude, LINK_EDGES)
            drawn = np.ones(W.shape, bool)
            if W.size > MAX_DRAWN_LINKS:  # thousands of lines are unreadable and slow to paint: the strongest
                drawn = magnitude >= np.partition(magnitude.ravel(), -MAX_DRAWN_LINKS)[-MAX_DRAWN_LINKS]
            self.drawn[j] = drawn
            for sign, items in zip((W > 0, W < 0), self.links[j]):
                for k, item in enumerate(items):
                    o, i = np.nonzero(sign & (bucket == k) & drawn)
                    item.setPath(_pairs(xs[i], ys[i], xd[o], yd[o]))
            self.columns[j + 1].set_biases(self._params.biases[j], bias_width)
        if isinstance(pictures, Maps):
            for column, rgba in zip(self.columns, pictures.rgba):
                column.set_rgba(rgba)
        elif isinstance(pictures, Curves):
            x_range = (pictures.xs[0], pictures.xs[-1])
            for column, v, lo, hi in zip(self.columns, pictures.values, pictures.low, pictures.high):
                column.set_curves(pictures.xs, v, lo, hi, x_range)

    def set_points(self, X: np.ndarray, y: np.ndarray, x_range, y_range) -> None:
        """The training points (1-D) as dots on the output tile, under the fit."""
        column = self.columns[-1] if self.columns else None
        if column is None or column.points is None:
            return
        left, top, side, width = column.lefts[0], column.tops[0], column.tile, column.tile_width
        px = left + (X - x_range[0]) / (x_range[1] - x_range[0]) * width
        py = top + (1.0 - (y - y_range[0]) / (y_range[1] - y_range[0])) * side
        inside = (px >= left) & (px <= left + width) & (py >= top) & (py <= top + side)
        r = max(1.2, side / 40)
        dots = QPainterPath()
        for u, v in zip(px[inside], py[inside]):
            dots.addEllipse(QPointF(u, v), r, r)
        column.points.setPath(dots)

    # -- what is where -----------------------------------------------------------------------
    def link_segment(self, j: int, o: int, i: int) -> tuple[QPointF, QPointF]:
        xs, ys, xd, yd = self._link_ends(j)
        return QPointF(xs[i], ys[i]), QPointF(xd[o], yd[o])

    def hit(self, p: QPointF) -> Hit | None:
        for c, column in enumerate(self.columns):
            sign = column.button_at(p)
            if sign is not None:
                return Hit("button", c, sign)
            i = column.unit_at(p)
            if i is not None:
                return Hit("unit", c, i)
        best = None
        for j in range(len(self.columns) - 1):
            xs, ys, xd, yd = self._link_ends(j)
            if not xs.min() < p.x() < xd.max():
                continue
            ax, ay = xs[None, :], ys[None, :]                  # (1, fan_in) starts
            dx, dy = xd[:, None] - ax, yd[:, None] - ay        # (fan_out, fan_in) directions
            t = np.clip(((p.x() - ax) * dx + (p.y() - ay) * dy) / np.maximum(dx * dx + dy * dy, 1e-9), 0.0, 1.0)
            distance = np.where(self.drawn[j], np.hypot(ax + t * dx - p.x(), ay + t * dy - p.y()), np.inf)
            o, i = np.unravel_index(np.argmin(distance), distance.shape)
            if distance[o, i] <= HIT_DISTANCE and (best is None or distance[o, i] < best[0]):
                best = (distance[o, i], Hit("link", j, int(o), int(i)))
        return None if best is None else best[1]

    def set_hover(self, hit: Hit | None) -> None:
        self.highlight.setVisible(hit is not None and hit.kind == "unit")
        self.highlight_link.setVisible(hit is not None and hit.kind == "link")
        if hit is None:
            return
        if hit.kind == "unit":
            self.highlight.setRect(self.columns[hit.a].tile_rect(hit.b).adjusted(-2, -2, 2, 2))
        elif hit.kind == "link":
            a, b = self.link_segment(hit.a, hit.b, hit.c)
            path = QPainterPath(a)
            path.lineTo(b)
            self.highlight_link.setPath(path)
