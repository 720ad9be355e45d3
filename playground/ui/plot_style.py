"""The look shared by every view: named style tokens, dark axes, smooth images, white backgrounds.

Every font size, line width and point size a view uses is a named token here, at its normal
size. A view asks its ``Look`` for a token (``look.pt("caption")``, ``look.pen(FIT_PEN)``) and
restyles itself when ``look.changed`` fires; presentation mode only sets ``look.scale``. So
there is one factor, no record of what was there before, and leaving the mode is the same
code path as building the view.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QObject, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from ..export.images import widened

# Point sizes at scale 1 (a 1920x1080 or 1280x720 screen at a desk).
FONT_TOKENS = {
    "caption": 15.0,        # the scene's caption above the plots
    "banner": 13.0,         # why training stopped, step units can't train
    "status": 12.0,         # the status bar's readouts
    "axis_label": 14.0,     # "x", "loss (log scale)", "η"
    "tick": 11.0,           # tick numbers
    "legend": 12.0,         # legend entries under the data plots
    "header": 12.0,         # the headers above the loss and learning-rate plots
    "grid_title": 13.0,     # "Hidden units" above the heatmaps
    "layer_heading": 12.0,  # "layer 1 (16 relu units)"
    "tile_title": 11.0,     # h₁, h₂, … above each heatmap
    "note": 11.0,           # the colour scale's labels, small notes
    "empty": 14.0,          # a view's "nothing to show" message
}
MAX_PEN = 9.0  # px: a scaled pen never gets wider than this (a 4 px fit at ×2 is 8 px)
MIN_VIEW_LINES = 10  # a data plot's view keeps this many lines of tick text in height, whatever its legend takes
AXIS_TEXT = "#222222"
LABEL_STYLE = {"font-size": f"{FONT_TOKENS['axis_label']:g}pt", "color": AXIS_TEXT}  # axis titles at scale 1


class Look(QObject):
    """The style tokens of one window at its current ``scale`` (1 normally; presentation mode enlarges)."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scale = 1.0

    def set_scale(self, scale: float) -> None:
        if scale != self.scale:
            self.scale = scale
            self.changed.emit()

    def pt(self, token: str) -> float:
        """The point size of font ``token`` (a key of ``FONT_TOKENS``) at the current scale."""
        return round(FONT_TOKENS[token] * self.scale, 1)

    def css(self, token: str) -> str:
        """``font-size: …pt;`` for a style sheet."""
        return f"font-size: {self.pt(token):g}pt;"

    def font(self, token: str, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.pt(token))
        font.setBold(bold)
        return font

    def pen(self, pen: QPen) -> QPen:
        """``pen`` (its normal width) at the current scale, at most ``MAX_PEN`` wide."""
        return pen if self.scale == 1.0 else widened(pen, self.scale, MAX_PEN)

    def size(self, pixels: float) -> float:
        """A point symbol's size (px) at the current scale."""
        return pixels * self.scale

    def label_style(self, color: str = AXIS_TEXT) -> dict:
        """Keyword arguments for ``setLabel``: an axis title at the current scale."""
        return {"font-size": f"{self.pt('axis_label'):g}pt", "color": color}

    def style_axes(self, plot_item: pg.PlotItem) -> None:
        """Tick fonts at the current scale on every axis of ``plot_item``, with room for the labels at the axes'
        ends and between the tick labels and the titles (call again on ``changed``)."""
        font = self.font("tick")
        for name in ("left", "bottom", "right", "top"):
            plot_item.getAxis(name).setTickFont(font)
        give_end_labels_room(plot_item, QFontMetrics(font).height())

    def set_axis_label(self, plot_item: pg.PlotItem, side: str, text: str, color: str = AXIS_TEXT) -> None:
        plot_item.setLabel(side, text, **self.label_style(color))


class FollowsLook:
    """Mixin for a view styled from its ``look``: ``_apply_look`` styles it from the look's tokens, now and on every
    change (presentation mode on or off). The data plots shared this wiring, each with its own copy."""

    look: Look

    def follow_look(self) -> None:
        self._apply_look()
        self.look.changed.connect(self._apply_look)

    def _apply_look(self) -> None:
        raise NotImplementedError


def white_background(widget) -> None:
    """Paint ``widget``'s background white, like the plots (slides have white backgrounds)."""
    widget.setAutoFillBackground(True)
    palette = widget.palette()
    palette.setColor(widget.backgroundRole(), QColor("white"))
    widget.setPalette(palette)


def style_axes(plot_item: pg.PlotItem, tick_pt: float = FONT_TOKENS["tick"]) -> None:
    """Lecture-hall tick fonts and dark axes on every axis of ``plot_item`` (labels: ``LABEL_STYLE``)."""
    font = QFont()
    font.setPointSizeF(tick_pt)
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" in a label confuses more than it saves
        axis.setPen(pg.mkPen(90, 90, 90))  # (setPen also recolours the axis title: set titles after this)
        axis.setTextPen(pg.mkPen(30, 30, 30))
    give_end_labels_room(plot_item, QFontMetrics(font).height())


TITLE_GAP = 4          # px between an axis title and its tick labels
BOTTOM_TEXT_FILL = [(0, 0.6), (2, 0.45), (4, 0.3)]  # a horizontal axis fills at most this share with labels: a
                                                   # narrow plot shows fewer ("0  2000  4000"), never a crowd


def give_end_labels_room(plot_item: pg.PlotItem, line: float) -> None:
    """The tick labels at the ends of each axis drawn whole, the titles clear of the tick labels.

    A label at an axis's end reaches half its size past it: pyqtgraph cut the 2-D plot's top "1.5" at the widget's
    edge (or hid an x label at the end). Each axis may draw that far past its end, and the plot keeps that much
    room at the top and the right. pyqtgraph reserves 0.8 of a title's height beside the tick labels, so a large
    title ("η" in presentation mode) touched them: each axis is widened (or heightened) by the rest plus a gap.
    """
    half = int(line / 2) + 2
    for name in ("left", "right", "top", "bottom"):
        axis = plot_item.getAxis(name)
        vertical = name in ("left", "right")
        axis.setStyle(hideOverlappingLabels=half if vertical else int(line))
        if not vertical:
            axis.setStyle(textFillLimits=BOTTOM_TEXT_FILL)
            _space_labels_by_width(axis)
        _keep_title_clear(axis)
    left, _top, _right, bottom = plot_item.layout.getContentsMargins()
    plot_item.layout.setContentsMargins(left, half, int(line) + 2, bottom)


def _space_labels_by_width(axis: pg.AxisItem) -> None:
    """Tick levels no denser than their labels' width allows. pyqtgraph picks about log(length) ticks whatever the
    labels' width, so a 90 px loss plot read "05001000 1500"; now it reads "0  1000" (a digit's width between labels)."""
    if getattr(axis, "_spaced_by_width", False):
        return
    axis._spaced_by_width = True
    choose = axis.tickSpacing

    def tick_spacing(low: float, high: float, size: float):
        levels = choose(low, high, size)
        span = high - low
        if span <= 0 or size <= 0 or not levels:
            return levels
        metrics = QFontMetrics(axis.style["tickFont"] or QFont())
        label = max(metrics.horizontalAdvance(f"{v:.4g}") for v in (low, high, (low + high) / 2))
        fewest = span * (label + metrics.horizontalAdvance("0")) / size  # the closest two labels may be
        kept = [level for level in levels if level[0] >= fewest]
        if kept:
            return kept
        power = 10.0 ** math.floor(math.log10(fewest))
        return [(next(m * power for m in (1, 2, 5, 10) if m * power >= fewest), 0)]

    axis.tickSpacing = tick_spacing


def _keep_title_clear(axis: pg.AxisItem) -> None:
    """After pyqtgraph sizes ``axis`` (title at 0.8 of its height), add the title's other 0.2 and ``TITLE_GAP``."""
    if getattr(axis, "_sized_with_title_gap", False):
        return
    axis._sized_with_title_gap = True
    vertical = axis.orientation in ("left", "right")
    size = axis._updateWidth if vertical else axis._updateHeight

    def sized() -> None:
        size()
        if axis.label is None or not axis.label.isVisible() or (axis.fixedWidth if vertical else axis.fixedHeight):
            return
        extra = 0.2 * axis.label.boundingRect().height() + TITLE_GAP
        if vertical:
            width = axis.maximumWidth() + extra
            axis.setMaximumWidth(width)
            axis.setMinimumWidth(width)
        else:
            height = axis.maximumHeight() + extra
            axis.setMaximumHeight(height)
            axis.setMinimumHeight(height)

    if vertical:
        axis._updateWidth = sized
    else:
        axis._updateHeight = sized
    sized()


def dashed(color, width: float = 2) -> QPen:
    return pg.mkPen(color=color, width=width, style=Qt.DashLine)


class RowLegend(pg.LegendItem):
    """A legend laid out in rows under a plot's x axis, never over its data.

    It lives in the PlotItem's grid (row 4, under the bottom axis), so the layout gives it
    room and the view box shrinks by its height. ``fit_columns`` puts as many entries on a
    row as the plot's width allows; a legend of many entries wraps onto more rows.
    """

    def __init__(self, plot_item: pg.PlotItem, look: Look, token: str = "legend"):
        super().__init__(labelTextSize=f"{look.pt(token):g}pt", labelTextColor=AXIS_TEXT,
                         horSpacing=14, verSpacing=-4)
        self.look, self.token = look, token
        self.plot_item = plot_item
        plot_item.layout.addItem(self, 4, 0, 1, 3)
        plot_item.layout.setRowStretchFactor(4, 0)
        plot_item.vb.sigResized.connect(self.fit_columns)

    def sizeHint(self, which, constraint=QSizeF()):
        hint = super().sizeHint(which, constraint)
        if which == Qt.MinimumSize:  # never holds the plot wide: it re-flows into fewer columns instead
            hint.setWidth(0)
        return hint

    def updateSize(self) -> None:
        # the grid sets our geometry: ask it for a new one instead of setting it (LegendItem.updateSize does)
        self.layout.invalidate()
        self.updateGeometry()

    def _entry_widths(self) -> list[float]:
        # the label's text, not the label item: the grid stretches that to its column
        spacing = 2 * self.layout.horizontalSpacing()
        return [sample.boundingRect().width() + label.item.boundingRect().width() + spacing
                for sample, label in self.items]

    def fit_columns(self, *_args) -> None:
        """As many columns as fit the plot's width; each column is as wide as its widest entry."""
        widths, room = self._entry_widths(), self.plot_item.width()
        columns = 1
        for n in range(len(widths), 1, -1):
            if sum(max(widths[j::n]) for j in range(n)) <= room:
                columns = n
                break
        if columns != self.columnCount:
            self.setColumnCount(columns)
        self._keep_view_room()

    def _keep_view_room(self) -> None:
        """The plot's minimum height: the view's ``MIN_VIEW_LINES`` plus the x axis and every row of this legend
        (a narrow plot wraps its legend onto more rows; they must not eat the data)."""
        widget = self.plot_item.getViewWidget()
        if widget is None:
            return
        line = QFontMetrics(self.look.font("tick")).height()
        legend = self.layout.effectiveSizeHint(Qt.PreferredSize).height() if self.isVisible() else 0.0
        axis = self.plot_item.getAxis("bottom").height()
        minimum = round(MIN_VIEW_LINES * line + legend + axis)
        if minimum != widget.minimumHeight():
            widget.setMinimumHeight(minimum)

    def restyle(self) -> None:
        """Re-render every entry at the look's current size (LegendItem keeps the size of each label's birth)."""
        size = f"{self.look.pt(self.token):g}pt"
        self.setLabelTextSize(size)
        for _sample, label in self.items:
            label.setText(label.text, size=size, color=AXIS_TEXT)
        self.updateSize()
        self.fit_columns()

    def add(self, item, name: str) -> None:
        self.addItem(item, name)
        self.fit_columns()


class SmoothImageItem(pg.ImageItem):
    """An ImageItem drawn with bilinear filtering: a coarse grid looks smooth on a slide, not blocky."""

    smooth = True

    def paint(self, painter, *args):
        painter.setRenderHint(QPainter.SmoothPixmapTransform, self.smooth)
        super().paint(painter, *args)
