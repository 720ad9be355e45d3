"""A grid of small heatmaps, one per hidden unit: what each unit computes over the input plane.

Tiles are grouped by hidden layer ("layer 1", "layer 2", …) and titled h₁, h₂, …. Colours
come from a fixed lookup table with fixed levels per activation (tanh −1…+1, logistic and
step 0…1, ReLU 0…the unit's maximum, linear ±the unit's largest magnitude), so a colour
means the same value in every frame. Clicking a tile shows it large, as large as the panel has
room for, with the points on top (``unit_large_view``; click or Esc to go back), and
emits ``unit_selected(layer, unit)``.

Speed: the tiles (``tile_grid``) are made only when the hidden layer sizes or the activation
change, and per frame only the tiles scrolled into view get ``setImage`` of an RGBA image
coloured in numpy (``unit_colors.colorize``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics, QImage, QPixmap
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from ..notation import unit_name
from ..palette import surface_rgb
from .escape_back import EscapeGoesBack
from .plot_style import Look, white_background
from .tile_grid import TileGrid
from .unit_colors import DIVERGING_LUT, SEQUENTIAL_LUT, colorize, scale_labels
from .unit_large_view import LargeUnitView

GRID_TITLE = "<b>Hidden units</b> · click one to enlarge"
SCALE_BAR_WIDTH = 80   # px at scale 1


class UnitHeatmaps(QWidget):
    unit_selected = Signal(int, int)  # (hidden layer index, unit index), both from 0

    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(parent)
        self.session = session
        self.look = look or Look(self)
        white_background(self)
        self.selected: tuple[int, int] | None = None
        self._key = None          # (hidden sizes, activation) the tiles were built for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_pages(), 1)
        self._connect()
        self._apply_look()
        self._on_session_model_changed()

    def _build_header(self) -> QBoxLayout:
        """The title and the colour scale side by side, or the scale under the title when the column is narrow."""
        self.title = QLabel(GRID_TITLE)
        self.title.setWordWrap(True)  # a narrow column wraps the title onto two lines; it is never cut
        self.title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)  # never widens the window
        self.scale_bar = QLabel()
        self.scale_text = QLabel()
        scale = QHBoxLayout()
        scale.setContentsMargins(0, 0, 0, 0)
        scale.addWidget(self.scale_bar, 0, Qt.AlignVCenter)
        scale.addWidget(self.scale_text, 0, Qt.AlignVCenter)
        self.header = QBoxLayout(QBoxLayout.LeftToRight)
        self.header.setContentsMargins(6, 4, 6, 0)
        self.header.addWidget(self.title, 1)
        self.header.addLayout(scale)
        return self.header

    def _build_pages(self) -> QStackedWidget:
        """The grid of tiles (scrolling), the "no hidden layer" note, and one unit large: one shown at a time."""
        self.grid = TileGrid(self.look)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.grid)
        # A stacked page gets its size only while shown: the grid is laid out again when its page gets one (after
        # a scene with no hidden layer it was laid out for a stale size, clipped on the right or left blank).
        self.scroll.installEventFilter(self)
        self.empty = QLabel("No hidden layer: the perceptron has no hidden units to show.")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.large = LargeUnitView()
        self.stack = QStackedWidget()
        for page in (self.scroll, self.empty, self.large):
            self.stack.addWidget(page)
        return self.stack

    def _connect(self) -> None:
        self._arrange_timer = QTimer(self, singleShot=True, interval=0)
        self._arrange_timer.timeout.connect(self._on_arrange_timer_timeout)
        self.grid.tile_clicked.connect(self._on_grid_tile_clicked)
        self.large.close_requested.connect(self._on_large_close_requested)
        self.scroll.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self._escape = EscapeGoesBack(self, self._on_large_close_requested)  # while a unit is shown large
        self.session.model_changed.connect(self._on_session_model_changed)
        self.session.snapshot_changed.connect(self._on_session_snapshot_changed)
        self.session.points_changed.connect(self._on_session_points_changed)
        self.look.changed.connect(self._on_look_changed)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.scroll and event.type() == QEvent.Resize:
            self._arrange_timer.start()
        return super().eventFilter(watched, event)

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
        self.large.restyle(look)
        if self._key is not None:
            self._update_scale_bar(self._key[1])
        if self.selected is not None:
            self._set_large_title()
        self._place_scale()

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
        self._escape.watch(True)
        self._set_large_title()
        self._draw_large_points()
        self._update_large(self.session.snapshot)
        self.stack.setCurrentWidget(self.large)
        self.large.setFocus()
        self.unit_selected.emit(layer, unit)

    def highlight_unit(self, layer: int, unit: int) -> None:
        """Frame hidden unit ``unit`` of ``layer`` (0-based; −1: none) in the grid, e.g. while the diagram hovers it."""
        self.grid.highlight(layer, unit)

    def _set_large_title(self) -> None:
        """The unit's name in the header: a title row in the plot would take height from the map."""
        layer, unit = self.selected
        activation = self._key[1] if self._key else self.session.activation
        # short, so that at 1280x720 it takes one line of the narrow column (the map and the tooltip say the rest)
        self.title.setText(f"<b>Layer {layer + 1}, unit {unit_name(unit)}</b> ({activation}) · Esc: back")
        self._place_scale()

    def show_grid(self) -> None:
        self.selected = None
        self._escape.watch(False)
        self.title.setText(GRID_TITLE)
        self._place_scale()
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
        self._place_scale()
        self._arrange_timer.start()

    def _place_scale(self) -> None:
        """Beside the title if both fit on one line, else under it (the title is never cut)."""
        plain = self.title.text().replace("<b>", "").replace("</b>", "")
        needed = (self.title.fontMetrics().horizontalAdvance(plain) + self.scale_bar.sizeHint().width()
                  + self.scale_text.sizeHint().width() + 40)
        direction = QBoxLayout.LeftToRight if self.width() >= needed else QBoxLayout.TopToBottom
        if direction != self.header.direction():
            self.header.setDirection(direction)  # after the layouts have given the scroll area its new size

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._arrange_timer.start()

    # -- building ---------------------------------------------------------------------------
    def _rebuild(self, hidden: tuple[int, ...], activation: str) -> None:
        self._key = (hidden, activation)
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
        hues = (f"white {low} … blue {high}" if activation == "relu" else
                f"orange {low} · white {mid} · blue {high}" if mid else f"orange {low} … blue {high}")
        self.scale_bar.setToolTip(f"colour scale of the {activation} unit outputs: {hues} (a unit's output, not a class)")
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
        self.large.set_extent(snapshot.regions.extent)

    def _draw_large_points(self) -> None:
        pts = self.session.points
        values = pts.X.shape[1] == 2 and not pts.is_classification  # 2-D regression: points in their value's colour
        for k, item in enumerate(self.large.points):
            if pts.is_classification:
                of_k = pts.y == k
                item.setData(pts.X[of_k, 0], pts.X[of_k, 1])
            elif values and k == 0:
                item.setData(pts.X[:, 0], pts.X[:, 1], brush=[pg.mkBrush(*c) for c in surface_rgb(pts.y[:, 0]).astype(int)])
            else:
                item.setData([], [])
