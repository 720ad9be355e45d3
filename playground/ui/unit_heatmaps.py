"""A grid of small heatmaps, one per hidden unit: what each unit computes over the input plane.

Tiles are grouped by hidden layer ("layer 1", "layer 2", …) and titled h₁, h₂, …. Colours
come from a fixed lookup table with fixed levels per activation (tanh −1…+1, logistic and
step 0…1, ReLU 0…the unit's maximum, linear ±the unit's largest magnitude), so a colour
means the same value in every frame. Clicking a tile shows it large with the points on
top (click or Esc to go back) and emits ``unit_selected(layer, unit)``.

Speed: the tiles are plain ImageItems placed in pixel coordinates of one GraphicsView (no
ViewBox and no layout engine per tile: 6 layers × 64 units build in a fraction of a second);
they are made only when the hidden layer sizes or the activation change, and per frame only
the tiles scrolled into view get ``setImage`` of an RGBA image coloured here (``colorize``).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QGraphicsRectItem, QGraphicsSimpleTextItem, QHBoxLayout, QLabel, QScrollArea,
                               QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from ..data.points import MAX_CLASSES
from ..palette import CLASS_COLORS
from ..notation import unit_name
from .plot_style import Look, SmoothImageItem, style_axes, white_background

GRID_TITLE = "<b>Hidden units</b> · click one to enlarge"
MIN_TILE = 32          # px: below this the grid scrolls instead of shrinking the tiles further
ROOMY_TILE = 64        # px: tiles at least this large get their name above them; smaller ones carry it
                       # inside their top-left corner, so a short panel shows every unit (32 at 1280x720)
MAX_TILE = 220         # px: a single unit need not fill a whole panel
SPACING = 6            # px between tiles
MARGIN = 6
SCALE_BAR_WIDTH = 80   # px at scale 1

def _lut(stops) -> np.ndarray:
    """(256, 4) uint8 RGBA, opaque."""
    positions, colors = zip(*stops)
    return pg.ColorMap(np.array(positions), [QColor(*c) for c in colors]).getLookupTable(0.0, 1.0, 256, alpha=True)


# Blue for negative, white for zero (or the middle of the range), red for positive (ColorBrewer RdBu).
DIVERGING_LUT = _lut([(0.0, (33, 102, 172)), (0.25, (146, 197, 222)), (0.5, (247, 247, 247)),
                      (0.75, (244, 165, 130)), (1.0, (178, 24, 43))])
# ReLU units are 0 (white: off) or positive (red): the upper half of the same map.
SEQUENTIAL_LUT = _lut([(0.0, (247, 247, 247)), (0.5, (244, 165, 130)), (1.0, (178, 24, 43))])


def color_scale(activation: str, maps: np.ndarray):
    """The fixed ((low, high), lut) for unit maps (..., H, W) of ``activation``.

    low and high are floats, or arrays (..., 1, 1) with one level per map for ReLU (0 … the
    map's max) and linear (± the map's largest magnitude).
    """
    if activation == "tanh":
        return (-1.0, 1.0), DIVERGING_LUT
    if activation in ("logistic", "step"):
        return (0.0, 1.0), DIVERGING_LUT
    if activation == "relu":
        top = maps.max(axis=(-2, -1), keepdims=True) if maps.size else np.ones((1, 1))
        return (0.0, np.where(top > 0.0, top, 1.0)), SEQUENTIAL_LUT
    top = np.abs(maps).max(axis=(-2, -1), keepdims=True) if maps.size else np.ones((1, 1))
    top = np.where(top > 0.0, top, 1.0)  # linear and anything else: symmetric about 0
    return (-top, top), DIVERGING_LUT


def colorize(maps, activation: str) -> np.ndarray:
    """Unit outputs (..., H, W) -> (..., H, W, 4) uint8 RGBA through the fixed colour scale of ``activation``.

    Done here in numpy, a whole layer at once, rather than by ImageItem's lut: pyqtgraph turns
    a lut into a Qt colour table on every render (256 Python calls per tile per frame), which
    cost ~6 ms a frame for 16 tiles; an RGBA image goes to Qt as it is.
    """
    maps = np.asarray(maps, dtype=np.float32)
    (low, high), lut = color_scale(activation, maps)
    scaled = (maps - low) * (255.0 / (high - low))
    np.nan_to_num(scaled, copy=False, nan=127.5)
    np.clip(scaled, 0.0, 255.0, out=scaled)
    return np.take(lut, scaled.astype(np.uint8), axis=0)  # ~10× faster than lut[index] here


def scale_labels(activation: str) -> tuple[str, str, str]:
    """What the left end, the middle and the right end of the colour bar mean."""
    return {"tanh": ("−1", "0", "+1"), "logistic": ("0", "0.5", "1"), "step": ("0", "", "1"),
            "relu": ("0 (off)", "", "max")}.get(activation, ("−max", "0", "+max"))


class _Tile:
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


class _TileGrid(pg.GraphicsView):
    """The tiles, laid out by hand; a left press on a tile emits ``tile_clicked(layer, unit)``."""

    tile_clicked = Signal(int, int)

    def __init__(self, look: Look, parent=None):
        super().__init__(parent, background="w")
        self.look = look
        self.tiles: list[list[_Tile]] = []
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
            self.tiles.append([_Tile(scene, unit_name(i), tile_font) for i in range(m)])

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


class _LargeView(pg.PlotWidget):
    """One unit's map, large, with the points on top; any click asks to close."""

    close_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMenuEnabled(False)
        self.plotItem.vb.setMouseEnabled(False, False)
        self.plotItem.hideButtons()
        self.setAspectLocked(True)
        style_axes(self.plotItem)
        self.image = SmoothImageItem(axisOrder="row-major")
        self.addItem(self.image)
        # A white rim keeps a blue point readable on the blue (negative) side of the map.
        self.points = [pg.ScatterPlotItem(size=10, pen=pg.mkPen(255, 255, 255, width=1.5),
                                          brush=pg.mkBrush(*CLASS_COLORS[k]))
                       for k in range(MAX_CLASSES)]
        for item in self.points:
            self.addItem(item)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Click or press Esc to go back to all units")

    def mousePressEvent(self, event):
        event.accept()
        self.close_requested.emit()


class UnitHeatmaps(QWidget):
    unit_selected = Signal(int, int)  # (hidden layer index, unit index), both from 0

    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(parent)
        self.session = session
        self.look = look or Look(self)
        white_background(self)
        self.selected: tuple[int, int] | None = None
        self._key = None          # (hidden sizes, activation) the tiles were built for
        self._large_extent = None  # the data extent the large view was last placed for

        self.title = QLabel(GRID_TITLE)
        self.title.setWordWrap(True)  # a narrow column wraps the title onto two lines; it is never cut
        self.title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)  # never widens the window
        self.scale_bar = QLabel()
        self.scale_text = QLabel()
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.scale_bar, 0, Qt.AlignVCenter)
        header.addWidget(self.scale_text, 0, Qt.AlignVCenter)

        self.grid = _TileGrid(self.look)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.grid)
        self.empty = QLabel("No hidden layer: the perceptron has no hidden units to show.")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.large = _LargeView()
        self.stack = QStackedWidget()
        for page in (self.scroll, self.empty, self.large):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

        self._arrange_timer = QTimer(self, singleShot=True, interval=0)
        self._arrange_timer.timeout.connect(self._on_arrange_timer_timeout)
        self.grid.tile_clicked.connect(self._on_grid_tile_clicked)
        self.large.close_requested.connect(self._on_large_close_requested)
        self.scroll.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self._escape = QShortcut(QKeySequence(Qt.Key_Escape), self, context=Qt.WidgetWithChildrenShortcut)
        self._escape.activated.connect(self._on_large_close_requested)
        session.model_changed.connect(self._on_session_model_changed)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.points_changed.connect(self._on_session_points_changed)
        self._apply_look()
        self.look.changed.connect(self._on_look_changed)
        self._on_session_model_changed()

    # -- look -------------------------------------------------------------------------------
    @Slot()
    def _on_look_changed(self) -> None:
        self._apply_look()
        self._key = None  # tiles and headings are rebuilt with the new fonts
        self._on_session_model_changed()

    def _apply_look(self) -> None:
        look = self.look
        self.title.setStyleSheet(f"{look.css('grid_title')} color: #1a2a44;")
        self.scale_text.setStyleSheet(f"{look.css('note')} color: #333;")
        self.empty.setStyleSheet(f"{look.css('empty')} color: #444; padding: 20px; background: white;")
        look.style_axes(self.large.plotItem)
        look.set_axis_label(self.large.plotItem, "bottom", "x₁")
        look.set_axis_label(self.large.plotItem, "left", "x₂")
        for item in self.large.points:
            item.setSize(look.size(10))
        if self._key is not None:
            self._update_scale_bar(self._key[1])
        if self.selected is not None:
            self._set_large_title()

    # -- public -----------------------------------------------------------------------------
    @property
    def tile_count(self) -> int:
        return sum(len(layer) for layer in self.grid.tiles)

    def tile_center(self, layer: int, unit: int) -> QPoint:
        """Where tile (layer, unit) is, in ``self.grid``'s viewport coordinates (tests click there)."""
        return self.grid.mapFromScene(self.grid.tiles[layer][unit].rect.center())

    def show_unit(self, layer: int, unit: int) -> None:
        """Show one unit large (with the points on top) and emit ``unit_selected``."""
        self.selected = (layer, unit)
        self._set_large_title()
        self.title.setText("<b>One hidden unit</b> · click it or press Esc to go back")
        self._draw_large_points()
        self._update_large(self.session.snapshot)
        self.stack.setCurrentWidget(self.large)
        self.large.setFocus()
        self.unit_selected.emit(layer, unit)

    def _set_large_title(self) -> None:
        layer, unit = self.selected
        activation = self._key[1] if self._key else self.session.activation
        self.large.setTitle(f"layer {layer + 1}, unit {unit_name(unit)} ({activation})",
                            size=f"{self.look.pt('grid_title'):g}pt", color="#1a2a44")

    def show_grid(self) -> None:
        self.selected = None
        self.title.setText(GRID_TITLE)
        self.stack.setCurrentWidget(self.scroll if self.tile_count else self.empty)
        for label in (self.scale_bar, self.scale_text):
            label.setVisible(bool(self.tile_count))
        self._update_tiles(self.session.snapshot)

    # -- session signals --------------------------------------------------------------------
    @Slot()
    def _on_session_model_changed(self) -> None:
        self._rebuild(tuple(self.session.hidden), self.session.activation)

    @Slot(object)
    def _on_session_snapshot_changed(self, snapshot) -> None:
        if snapshot.regions is None:
            return
        hidden = tuple(snapshot.layer_sizes[1:-1])
        if (hidden, snapshot.activation) != (tuple(self.session.hidden), self.session.activation):
            return  # an older network's snapshot still in flight after a rebuild
        if self._key != (hidden, snapshot.activation):
            self._rebuild(hidden, snapshot.activation)
        if not self.isVisible():
            return
        if self.selected is not None:
            self._update_large(snapshot)
        else:
            self._update_tiles(snapshot)

    @Slot()
    def _on_session_points_changed(self) -> None:
        if self.selected is not None:
            self._draw_large_points()

    @Slot(int, int)
    def _on_grid_tile_clicked(self, layer: int, unit: int) -> None:
        self.show_unit(layer, unit)

    @Slot()
    def _on_large_close_requested(self) -> None:
        if self.selected is not None:
            self.show_grid()

    @Slot(int)
    def _on_scrollbar_value_changed(self, _value: int) -> None:
        self._update_tiles(self.session.snapshot)  # tiles scrolled into view get the newest maps

    @Slot()
    def _on_arrange_timer_timeout(self) -> None:
        self._arrange()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange_timer.start()  # after the layouts have given the scroll area its new size

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._arrange_timer.start()

    # -- building ---------------------------------------------------------------------------
    def _rebuild(self, hidden: tuple[int, ...], activation: str) -> None:
        self._key = (hidden, activation)
        self._large_extent = None
        self._update_scale_bar(activation)
        self.grid.build(hidden, activation)
        self._arrange()
        if self.selected is not None:
            j, i = self.selected
            if j >= len(hidden) or i >= hidden[j]:
                self.selected = None
            else:
                self._set_large_title()
        if self.selected is None:
            self.show_grid()  # draws the newest snapshot into the new tiles, if it fits them

    def _arrange(self) -> None:
        # The scroll area's own size, not its viewport's: the viewport shrinks when the scroll bar shows.
        area = self.scroll.contentsRect()
        width, height = max(area.width(), 120), max(area.height(), 80)
        needed = self.grid.arrange(width, height)
        if needed > height:  # it will scroll: leave room for the scroll bar
            needed = self.grid.arrange(width - self.scroll.verticalScrollBar().sizeHint().width(), height)
        self.grid.setMinimumHeight(int(needed) if needed > height else 0)
        if self.selected is None:
            self._update_tiles(self.session.snapshot)

    def _update_scale_bar(self, activation: str) -> None:
        lut = SEQUENTIAL_LUT if activation == "relu" else DIVERGING_LUT
        strip = np.ascontiguousarray(np.repeat(lut[None, :, :], 2, axis=0))
        image = QImage(strip.data, strip.shape[1], strip.shape[0], strip.strides[0], QImage.Format_RGBA8888)
        line = QFontMetrics(self.look.font("note")).height()
        self.scale_bar.setPixmap(QPixmap.fromImage(image.scaled(round(SCALE_BAR_WIDTH * self.look.scale), line)))
        low, mid, high = scale_labels(activation)
        self.scale_bar.setToolTip(f"colour scale of the {activation} unit outputs")
        self.scale_text.setText(f"{low} … {high}" if not mid else f"{low} · {mid} · {high}")

    # -- per frame --------------------------------------------------------------------------
    def _visible_rows(self) -> tuple[float, float]:
        """The pixel rows of the grid that the scroll area shows."""
        top = -self.grid.pos().y()
        return top, top + self.scroll.viewport().height()

    def _update_tiles(self, snapshot) -> None:
        if (snapshot is None or snapshot.regions is None or self._key is None
                or tuple(snapshot.layer_sizes[1:-1]) != self._key[0]):
            return
        top, bottom = self._visible_rows()
        activation = snapshot.activation
        for layer, maps in zip(self.grid.tiles, snapshot.regions.unit_maps):
            shown = [i for i, tile in enumerate(layer) if tile.rect.bottom() >= top and tile.rect.top() <= bottom]
            if not shown:
                continue  # scrolled out of view: drawn when it scrolls in
            rgba = colorize(maps if len(shown) == len(layer) else maps[shown], activation)
            for i, image in zip(shown, rgba):
                layer[i].set_rgba(image)

    def _update_large(self, snapshot) -> None:
        if snapshot is None or snapshot.regions is None or self.selected is None:
            return
        j, i = self.selected
        maps = snapshot.regions.unit_maps
        if j >= len(maps) or i >= maps[j].shape[0]:
            return
        self.large.image.setImage(colorize(maps[j][i], snapshot.activation), autoLevels=False)
        extent = snapshot.regions.extent
        if extent != self._large_extent:
            self._large_extent = extent
            x0, x1, y0, y1 = extent
            self.large.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.large.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)

    def _draw_large_points(self) -> None:
        pts = self.session.points
        for k, item in enumerate(self.large.points):
            if pts.is_classification:
                of_k = pts.y == k
                item.setData(pts.X[of_k, 0], pts.X[of_k, 1])
            else:
                item.setData([], [])
