"""The network diagram's drawing: columns of tiles, the links between them, and what lies under the mouse.

Speed: every item is made when the layer sizes change (``build``) and placed when the view is
resized (``arrange``); a frame (``draw``) only sets paths and images. A whole column's tiles are one
image (2-D) or one path (1-D), and a weight layer's links are one path per sign and width bucket,
so a frame of a 6 × 64 network touches about 100 items however many links it has (a dense layer draws
its strongest links only: thousands of lines are unreadable, and slow to paint).

Coordinates are the view's pixels (pyqtgraph's GraphicsView with its automatic pixel range).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from ..engine import ParameterVector
from .diagram_column import GAP, HEADER, Column, PathItem, pen, segments
from .diagram_pictures import Curves, Maps
from .graph_view import NEGATIVE, POSITIVE
from .plot_style import Look

MARGIN = 10
MAX_TILE = 84          # px: a lecture network's tiles need not be larger
MIN_TILE = 3
MIN_INPUT_TILE = 14    # px: input tiles put one per row (their links then pass under no other tile) down to this
READABLE_TILE = 30     # px: smaller tiles are put several in a row when the height allows…
ONE_COLUMN_TILE = 24   # px: …unless one tile per row (no link passing under a tile) keeps them this large
LINK_EDGES = (0.1, 0.5, 1.0, 2.0)            # |w| bucket edges
LINK_WIDTHS = (0.6, 1.3, 2.3, 3.5, 5.0)      # px per bucket: thicker = larger |w|
DENSE_LINKS = 64       # a weight layer with more links is drawn fainter, so that the strong ones stand out
MAX_DRAWN_LINKS = 200  # per weight layer: a denser layer shows its strongest links only
HIT_DISTANCE = 5.0     # px: how near a link the mouse must be to hover it
MIN_LINK_GAP, MAX_LINK_GAP = 48, 260  # px between two columns' tiles, for the links


@dataclass(frozen=True)
class Hit:
    """What is under the mouse: kind "unit" (column, index), "link" (weight layer j, target o, source i),
    or "button" (column, +1 or −1)."""

    kind: str
    a: int
    b: int = 0
    c: int = 0


class DiagramCanvas(pg.GraphicsView):
    """Draws one network; ``hit(point)`` says what lies at a point of the view."""

    def __init__(self, parent=None, look: Look | None = None):
        super().__init__(parent, background="w")
        self.setMouseTracking(True)
        self.look = look or Look()  # the window's style tokens: presentation mode scales text, lines and tiles
        self.columns: list[Column] = []
        self.titles: list[tuple[str, str]] = []  # each column's (long, short) name
        self.links: list[list[list[PathItem]]] = []  # [weight layer][sign][bucket]
        self.layer_sizes: tuple[int, ...] = ()
        self.one_d = True
        self._params: ParameterVector | None = None
        self.last_paint_seconds = 0.0  # how long the last paint took (the widget paces its frames by it)
        scene = self.scene()
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(pen(QColor(26, 42, 68), 3 * self.look.scale))  # dark: no unit's colour
        self.highlight.setZValue(10)
        self.highlight_link = PathItem()
        self.highlight_link.setPen(pen(QColor(26, 42, 68), 3 * self.look.scale))  # dark, over links, under tiles
        self.highlight_link.setZValue(0.5)
        self.inactive_veil = PathItem()  # pales the input tiles of features not fed to the network
        self.inactive_veil.setPen(QPen(Qt.NoPen))
        self.inactive_veil.setBrush(QBrush(QColor(255, 255, 255, 190)))
        self.inactive_veil.setZValue(4)  # over the tiles' pictures and curves
        scene.addItem(self.inactive_veil)
        for item in (self.highlight, self.highlight_link):
            item.setVisible(False)
            scene.addItem(item)

    def paintEvent(self, event) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        self.last_paint_seconds = time.perf_counter() - start

    # -- building and placing ----------------------------------------------------------------
    def build(self, layer_sizes: tuple[int, ...], one_d: bool, titles: list[str], input_tiles: int | None = None,
              input_slots=None, input_names: list[str] | None = None) -> None:
        """Columns for ``layer_sizes``; the input column has ``input_tiles`` tiles (default: one per input), input i
        drawn at tile ``input_slots[i]`` (the other tiles pale and unlinked: features not fed to the network)."""
        scene = self.scene()
        for column in self.columns:
            for item in column.items:
                scene.removeItem(item)
        for item in (x for layer in self.links for sign in layer for x in sign):
            scene.removeItem(item)
        self.layer_sizes, self.one_d, self._params = tuple(layer_sizes), one_d, None
        self.input_slots = np.arange(layer_sizes[0]) if input_slots is None else np.asarray(input_slots, int)
        tiles = (layer_sizes[0] if input_tiles is None else input_tiles, *layer_sizes[1:])
        scale = self.look.scale
        for item in (self.highlight, self.highlight_link):
            item.setPen(pen(QColor(26, 42, 68), 3 * scale))
        last = len(layer_sizes) - 1
        # titles: a name each, or (long, short) pairs: the short ones where the long ones would run together
        self.titles = [(t, t) if isinstance(t, str) else tuple(t) for t in titles]
        self.columns = [Column(scene, title, m, one_d, c == last, 0 < c < last, self.look)
                        for c, (m, (title, _)) in enumerate(zip(tiles, self.titles))]
        if input_names:
            self.columns[0].set_tile_names(input_names)
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
                    item.setPen(pen(color, width * (0.6 if dense else 1.0) * scale, strength))
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
        scale = self.look.scale
        header, max_tile, min_gap = HEADER * scale, MAX_TILE * scale, MIN_LINK_GAP * scale
        width, height = max(self.width(), 200), max(self.height(), 120)
        usable_h, usable_w = height - header - MARGIN, width - 2 * MARGIN
        tallest = max(column.size for column in self.columns)

        def fits(tile: float, rows: int):
            across = [-(-c.size // rows) for c in self.columns]
            blocks = [c.block_width(tile, k) for c, k in zip(self.columns, across)]
            return sum(blocks) + (n - 1) * max(min_gap, 1.5 * tile) <= usable_w, across, blocks

        # The most rows (one tile per row reads best: no link passes under a tile) whose tiles are readable;
        # if none is, the largest tiles that fit. Each tile keeps the gap under it for its bias bar.
        choices = [(min(max_tile, usable_h / (rows * (1 + GAP))), rows) for rows in range(tallest, 0, -1)]
        readable = [(tile, rows) for tile, rows in choices
                    if tile >= (ONE_COLUMN_TILE if rows == tallest else READABLE_TILE) and fits(tile, rows)[0]]
        if readable:
            tile, rows = readable[0]
        else:
            tile, rows = MIN_TILE, tallest
            for size in range(int(max_tile), MIN_TILE - 1, -1):
                rows = max(1, int(usable_h // (size * (1 + GAP))))
                if fits(size, rows)[0]:
                    tile = size
                    break
        tile = float(int(max(tile, MIN_TILE)))
        _, across, blocks = fits(tile, rows)
        gap = min(MAX_LINK_GAP * scale, (usable_w - sum(blocks)) / max(n - 1, 1))
        x = (width - sum(blocks) - (n - 1) * gap) / 2
        for column, k, block in zip(self.columns, across, blocks):
            rows_used = -(-column.size // k)
            used = rows_used * tile * (1 + GAP)
            column.place(x + block / 2, tile, k, header + max(0.0, (usable_h - used) / 2), width)
            x += block + gap
        first = self.columns[0]
        if first.across > 1:
            # several input tiles in a row: a left tile's links ran under its right neighbour, so two inputs'
            # weights could not be told apart; one tile per row (smaller, as the height allows) avoids it
            one_row = float(int(min(first.tile, usable_h / (first.size * (1 + GAP)))))
            if one_row >= MIN_INPUT_TILE:
                top = header + max(0.0, (usable_h - first.size * one_row * (1 + GAP)) / 2)
                first.place(first.lefts[0] + first.block_width(first.tile, first.across) / 2, one_row, 1, top, width)
        self._fit_titles()
        veil = QPainterPath()  # over the input tiles the network is not fed
        for tile in sorted(set(range(first.size)) - set(self.input_slots.tolist())):
            veil.addRect(first.tile_rect(tile))
        self.inactive_veil.setPath(veil)

    def _fit_titles(self) -> None:
        """Long column names ("layer 1: 16") while the headers stand apart, else the short ones ("16"): in
        presentation mode "layer 1: 16 − +" ran into "layer 2: 16"."""
        for column, (long, _) in zip(self.columns, self.titles):
            column.set_title(long)
        spans = [column.header_span() for column in self.columns]
        if any(a[1] + 4 > b[0] for a, b in zip(spans, spans[1:])):
            for column, (_, short) in zip(self.columns, self.titles):
                column.set_title(short)

    # -- per frame ---------------------------------------------------------------------------
    def _link_ends(self, j: int):
        """Where the links of weight layer j start (fan_in,) and end (fan_out,): x and y of each."""
        src, dst = self.columns[j], self.columns[j + 1]
        lefts, tops = (src.lefts[self.input_slots], src.tops[self.input_slots]) if j == 0 else (src.lefts, src.tops)
        return (lefts + src.tile_width, tops + src.tile / 2, dst.lefts, dst.tops + dst.tile / 2)

    def draw(self, flat: np.ndarray, pictures: Curves | Maps | None) -> None:
        """Links and bias bars from the parameters ``flat`` (P,), tiles from ``pictures``."""
        self._params = ParameterVector(self.layer_sizes, flat)
        tile = self.columns[0].tile if self.columns else 0.0
        bias_width = float(np.clip(tile * GAP * 0.7, 1.5, 5.0 * self.look.scale))
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
                    item.setPath(segments(xs[i], ys[i], xd[o], yd[o]))
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
            if distance[o, i] <= HIT_DISTANCE * self.look.scale and (best is None or distance[o, i] < best[0]):
                best = (distance[o, i], Hit("link", j, int(o), int(i)))
        return None if best is None else best[1]

    def set_hover(self, hit: Hit | None) -> None:
        """Frame a hovered unit and halo its drawn links in and out (what feeds it, what it feeds), or
        halo a hovered link."""
        self.highlight.setVisible(hit is not None and hit.kind == "unit")
        self.highlight_link.setVisible(hit is not None and hit.kind in ("unit", "link"))
        if hit is None or hit.kind == "button":
            return
        links = [(hit.a, hit.b, hit.c)] if hit.kind == "link" else self.unit_links(hit.a, hit.b)
        path = QPainterPath()
        for j, o, i in links:
            a, b = self.link_segment(j, o, i)
            path.moveTo(a)
            path.lineTo(b)
        self.highlight_link.setPath(path)
        if hit.kind == "unit":
            self.highlight.setRect(self.columns[hit.a].tile_rect(hit.b).adjusted(-2, -2, 2, 2))

    def unit_links(self, column: int, unit: int) -> list[tuple[int, int, int]]:
        """The drawn links (weight layer, target, source) into and out of a unit (of the input column: a tile)."""
        links = []
        if column == 0:  # a tile of the input column: the network's input drawn there, if it is fed
            fed = np.flatnonzero(self.input_slots == unit)
            if not fed.size:
                return []
            unit = int(fed[0])
        if column > 0:
            links += [(column - 1, unit, int(i)) for i in np.flatnonzero(self.drawn[column - 1][unit])]
        if column < len(self.columns) - 1:
            links += [(column, int(o), unit) for o in np.flatnonzero(self.drawn[column][:, unit])]
        return links
