"""The look shared by every plot: lecture-hall fonts, dark axes, smooth images, white backgrounds."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPainter

LABEL_STYLE = {"font-size": "14pt", "color": "#222222"}  # axis labels: pass to setLabel(..., **LABEL_STYLE)

def white_background(widget) -> None:
    """Paint ``widget``'s background white, like the plots (slides have white backgrounds)."""
    widget.setAutoFillBackground(True)
    palette = widget.palette()
    palette.setColor(widget.backgroundRole(), QColor("white"))
    widget.setPalette(palette)


def style_axes(plot_item: pg.PlotItem, tick_pt: float = 11.0) -> None:
    """Lecture-hall tick fonts and dark axes on every axis of ``plot_item`` (labels: ``LABEL_STYLE``)."""
    font = QFont()
    font.setPointSizeF(tick_pt)
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" in a label confuses more than it saves
        axis.setTextPen(pg.mkPen(30, 30, 30))
        axis.setPen(pg.mkPen(90, 90, 90))


class SmoothImageItem(pg.ImageItem):
    """An ImageItem drawn with bilinear filtering: a coarse grid looks smooth on a slide, not blocky."""

    smooth = True

    def paint(self, painter, *args):
        painter.setRenderHint(QPainter.SmoothPixmapTransform, self.smooth)
        super().paint(painter, *args)
