"""Training points drawn from one cached picture: the points stand still while the network trains under them.

A pyqtgraph ``ScatterPlotItem`` maps and culls all its points on every paint, and each one costs even when empty:
the 2-D view's twelve (train and test points of six classes) took ~2.7 of a compare panel's ~3.8 ms per frame
(offscreen, 500 points, median of 60 repaints of one panel). ``PointCache`` takes over painting a plot's
scatter items: it renders the visible ones once into a pixmap at the painter's resolution and then only blits that
pixmap, until their points, look or the view's transform change (a fingerprint of them is compared per paint).

The scatter items stay in the plot (bounds, legends, visibility, ``setData``: nothing else changes) and are only
flagged ``ItemHasNoContents``, so the view no longer paints them itself. pyqtgraph's SVG exporter paints every visible
item regardless of that flag (vector points, as before), so in export mode this item draws nothing.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem


def _transform_key(t: QTransform) -> tuple[float, ...]:
    return (t.m11(), t.m12(), t.m13(), t.m21(), t.m22(), t.m23(), t.m31(), t.m32(), t.m33())


def _fingerprint(item: pg.ScatterPlotItem) -> tuple:
    """What a scatter item draws: visibility, style and its points' coordinates (cheap: a few µs for 500 points)."""
    if not item.isVisible() or len(item.data) == 0:
        return (False,)
    opts, data = item.opts, item.data
    pen, brush = opts["pen"], opts["brush"]
    return (True, opts["size"], str(opts["symbol"]), pen.color().rgba(), pen.widthF(), brush.color().rgba(),
            hash(data["x"].tobytes()), hash(data["y"].tobytes()), hash(data["size"].tobytes()))


class PointCache(pg.GraphicsObject):
    """Paints ``sources`` (scatter items of one view, lowest first) from a cached pixmap; add it to that view."""

    def __init__(self, sources):
        super().__init__()
        self.sources = list(sources)
        self.renders = 0  # how many times the pixmap was drawn anew (tests and measurements read it)
        self._pixmap: QPixmap | None = None
        self._key = None
        self.setZValue(max(s.zValue() for s in self.sources))
        for source in self.sources:
            source.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)  # painted here instead
            source.sigPlotChanged.connect(self._on_source_plot_changed)

    def _on_source_plot_changed(self, *_args) -> None:
        self.update()  # the source's own update() repaints nothing: it has no contents

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()

    def boundingRect(self) -> QRectF:
        rect = self.viewRect()  # the whole view: points can be anywhere in it
        return QRectF() if rect is None else QRectF(rect)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self._exportOpts is not False:  # the SVG exporter paints the sources themselves
            return
        transform = painter.transform()
        area = transform.mapRect(self.boundingRect()).toAlignedRect()
        if area.isEmpty():
            return
        ratio = widget.devicePixelRatioF() if widget is not None else painter.device().devicePixelRatioF()
        key = (_transform_key(transform), area.getRect(), ratio, tuple(_fingerprint(s) for s in self.sources))
        if key != self._key:
            self._key = key
            self._pixmap = self._render(transform, area, ratio, option, widget)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(area.topLeft(), self._pixmap)
        painter.restore()

    def _render(self, transform: QTransform, area, ratio: float, option, widget) -> QPixmap:
        pixmap = QPixmap(area.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        shifted = transform * QTransform.fromTranslate(-area.left(), -area.top())
        for source in self.sources:  # each draws itself exactly as the view would have (pixel-sized symbols)
            if source.isVisible() and len(source.data):
                painter.save()
                painter.setTransform(shifted)
                source.paint(painter, option, widget)
                painter.restore()
        painter.end()
        self.renders += 1
        return pixmap
