"""The unit heatmaps' grid: one small image per hidden unit, grouped by layer, laid out by hand.

The tiles are plain ImageItems placed in pixel coordinates of one GraphicsView (no ViewBox and no
layout engine per tile: 6 layers × 64 units build in a fraction of a second). ``arrange`` picks the
number of columns that makes the tiles largest; a unit's name goes above its tile when the tiles are
roomy, else inside its top-left corner, so a short panel still shows every unit.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from ..notation import unit_name
from .plot_style import Look, SmoothImageItem

MIN_TILE = 32          # px: below this the grid scrolls instead of shrinking the tiles further
ROOMY_TILE = 64        # px: tiles at least this large get their name above them; smaller ones carry it
                       # inside their top-left corner, so a short panel shows every unit (32 at 1280x720)
MAX_TILE = 220         # px: a single unit need not fill a whole panel
SPACING = 6            # px between tiles
MARGIN = 6


class Tile:
    """One unit's heatmap: image, border and title, placed in the grid's pixel coordinates."""

    def __init__(self, scene, name: str, font: QFont):
        self.image = SmoothImageItem(axisOrder="row-major")
        self.frame = QGraphicsRectItem()
        self.frame.setPen(pg.mkPen(150, 150, 150))
        self.title = QGraphicsSimpleTextItem(name)
        self.title.setFont(font)
        self.title.setBrush(pg.mkBrush(30, 30, 30))
        self.title_back = QGraphicsRectItem()  # behind a title inside the tile: readable on any colour
        self.title_back.setPen(pg.mkPen(None))
        self.title_back.setBrush(pg.mkBrush(255, 255, 255, 200))
        self.title_back.setZValue(1)
        self.title.setZValue(2)
        self.rect = QRectF()  # where the heatmap is, in pixels
        for item in (self.image, self.frame, self.title_back, self.title):
            scene.addItem(item)

    def place(self, x: float, y: float, size: float, title_height: float) -> None:
        """The tile's top-left corner at (x, y); its name in a row of ``title_height`` above it, or inside if 0."""
        self.rect = QRectF(x, y + title_height, size, size)
        self.frame.setRect(self.rect)
        if self.image.image is not None:  # ImageItem.setRect needs the image's shape
            self._place_image()
        text = self.title.boundingRect()
        if title_height:
            self.title.setPos(x + (size - text.width()) / 2, y)
        else:
            self.title.setPos(x + 1, y + 1)
            self.title_back.setRect(QRectF(x + 1, y + 1, text.width(), text.height() * 0.85))
        self.title_back.setVisible(not title_height)

    def set_rgba(self, rgba: np.ndarray) -> None:
        first = self.image.image is None or self.image.image.shape != rgba.shape
        self.image.setImage(rgba, autoLevels=False)
        if first:
            self._place_image()

    def _place_image(self) -> None:
        # Data y grows upward, pixel y downward: the image's first row (lowest x₂) goes at the bottom.
        r = self.rect
        self.image.setRect(QRectF(r.left(), r.bottom(), r.width(), -r.height()))

    def remove(self, scene) -> None:
        for item in (self.image, self.frame, self.title_back, self.title):
            scene.removeItem(item)


class TileGrid(pg.GraphicsView):
    """The tiles, laid out by hand; a left press on a tile emits ``tile_clicked(layer, unit)``."""

    tile_clicked = Signal(int, int)

    def __init__(self, look: Look, parent=None):
        super().__init__(parent, background="w")
        self.look = look
        self.tiles: list[list[Tile]] = []
        self.headings: list[QGraphicsSimpleTextItem] = []
        self.columns = 1
        self.titles_inside = False
        self.setCursor(Qt.PointingHandCursor)

    @property
    def title_height(self) -> float:
        """px above each tile for its name (h₁ has a subscript: a line and a little)"""
        return QFontMetrics(self.look.font("tile_title")).height() + 2

    @property
    def layer_height(self) -> float:
        """px of a "layer j" heading"""
        return QFontMetrics(self.look.font("layer_heading", bold=True)).height() + 6

    def build(self, hidden: tuple[int, ...], activation: str) -> None:
        scene = self.scene()
        for tile in (t for layer in self.tiles for t in layer):
            tile.remove(scene)
        for heading in self.headings:
            scene.removeItem(heading)
        self.tiles, self.headings = [], []
        for j, m in enumerate(hidden):
            heading = QGraphicsSimpleTextItem(f"layer {j + 1}   ({m} {activation} unit{'s' if m != 1 else ''})")
            heading.setFont(self.look.font("layer_heading", bold=True))
            heading.setBrush(pg.mkBrush(26, 42, 68))
            scene.addItem(heading)
            self.headings.append(heading)
            tile_font = self.look.font("tile_title")
            self.tiles.append([Tile(scene, unit_name(i), tile_font) for i in range(m)])

    def best_columns(self, width: float, height: float, title_height: float | None = None) -> tuple[int, float]:
        """The tiles per row that make the tiles largest in ``width`` × ``height``, and that size."""
        sizes = [len(layer) for layer in self.tiles]
        if not sizes:
            return 1, 0.0
        title_height = self.title_height if title_height is None else title_height
        usable_w = width - 2 * MARGIN
        usable_h = height - 2 * MARGIN - len(sizes) * self.layer_height
        best, best_size = 1, -math.inf
        for cols in range(1, max(sizes) + 1):
            rows = sum(math.ceil(m / cols) for m in sizes)
            size = min(usable_w / cols - SPACING, usable_h / rows - title_height - SPACING)
            if size > best_size + 0.5:
                best, best_size = cols, size
        if best_size < MIN_TILE:  # too many to fit: as many columns as fit at the minimum size, and scroll
            best = max(1, min(max(sizes), int(usable_w // (MIN_TILE + SPACING))))
            best_size = usable_w / best - SPACING
        return best, min(best_size, MAX_TILE)

    def arrange(self, width: float, height: float) -> float:
        """Place every tile for a visible area of ``width`` × ``height`` px; returns the height needed.

        Names go above the tiles when that leaves them ``ROOMY_TILE`` px or more; else inside them."""
        title_height = self.title_height
        cols, size = self.best_columns(width, height, title_height)
        if size < ROOMY_TILE:
            title_height = 0.0
            cols, size = self.best_columns(width, height, title_height)
        self.titles_inside = title_height == 0.0
        self.columns = cols
        size = max(size, 8.0)
        used = min(cols, max((len(layer) for layer in self.tiles), default=1)) * (size + SPACING) - SPACING
        left = max(MARGIN, (width - used) / 2)  # centre the block of tiles
        y = MARGIN
        layer_height = self.layer_height
        for heading, layer in zip(self.headings, self.tiles):
            heading.setPos(left, y)
            y += layer_height
            for start in range(0, len(layer), cols):
                for c, tile in enumerate(layer[start:start + cols]):
                    tile.place(left + c * (size + SPACING), y, size, title_height)
                y += title_height + size + SPACING
        return y + MARGIN

    def highlight(self, layer: int, unit: int) -> None:
        """Frame unit ``unit`` of hidden ``layer`` (0-based) thick and dark, the others as usual; (−1, −1): none."""
        for j, tiles in enumerate(self.tiles):
            for i, tile in enumerate(tiles):
                bold = (j, i) == (layer, unit)
                tile.frame.setPen(pg.mkPen(26, 42, 68, width=3 * self.look.scale) if bold else pg.mkPen(150, 150, 150))
                tile.frame.setZValue(3 if bold else 0)

    def tile_at(self, pos) -> tuple[int, int] | None:
        point = self.mapToScene(QPoint(int(pos.x()), int(pos.y())))
        for j, layer in enumerate(self.tiles):
            for i, tile in enumerate(layer):
                if tile.rect.adjusted(0, 0 if self.titles_inside else -self.title_height, 0, 0).contains(point):
                    return j, i
        return None

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            hit = self.tile_at(event.position())
            if hit is not None:
                event.accept()
                self.tile_clicked.emit(*hit)
                return
        super().mousePressEvent(event)
