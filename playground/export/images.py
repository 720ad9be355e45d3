"""Raster pictures of widgets: PNG at 1×, 2× or 3× with sharp text, and the clipboard.

The widget is painted with ``QWidget.render`` into a QImage of the scaled size whose device
pixel ratio is the scale, so Qt lays out at the window's size but draws text, lines and
points at the higher resolution (not an upscaled screenshot). pyqtgraph's line pens are
cosmetic (device pixels wide), so they are widened by the scale while rendering: a 2× image
looks like the window, only sharper (measured: red fit pixels 1190 at 1×, 4755 at 2×, 10696 at 3×).
"""

from __future__ import annotations

import math
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QRegion
from PySide6.QtWidgets import QWidget

SCALES = (1, 2, 3)


def widened(pen: QPen, factor: float, max_width: float | None = None) -> QPen:
    """A copy of ``pen`` ``factor`` times as wide (at most ``max_width``); a 0-width cosmetic pen counts as 1 px.

    The one pen-scaling rule: the export widens cosmetic pens by its pixel scale, presentation mode
    widens every line of the views by its factor (``ui.plot_style.Look.pen``).
    """
    wide = QPen(pen)
    width = max(pen.widthF(), 1.0) * factor
    wide.setWidthF(width if max_width is None else min(width, max_width))
    return wide


def _set_axis_pen(axis, pen: QPen) -> None:
    """pyqtgraph's ``AxisItem.setPen`` also paints the axis title in the pen's colour: keep the title's style."""
    style = dict(axis.labelStyle)
    axis.setPen(pen)
    if axis.label.isVisible():
        axis.setLabel(axis.labelText, axis.labelUnits, axis.labelUnitPrefix, **style)
    else:
        axis.labelStyle = style


@contextmanager
def _lines_scaled(widget: QWidget, factor: float):
    """pyqtgraph's pens are cosmetic: their width is in device pixels, so at 2× a curve would come out half as
    thick next to text and points that do scale. Widen every line pen by ``factor`` while rendering."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsRectItem

    restore = []
    if factor != 1.0:
        views = [widget] if isinstance(widget, pg.GraphicsView) else []
        for view in views + widget.findChildren(pg.GraphicsView):
            if not view.isVisibleTo(widget.window()):
                continue
            for item in view.scene().items():
                if isinstance(item, pg.PlotDataItem):
                    pen = item.opts.get("pen")
                    put = item.setPen
                elif isinstance(item, (pg.InfiniteLine,)):
                    pen, put = item.pen, item.setPen
                elif isinstance(item, pg.AxisItem):
                    pen, put = item.pen(), lambda p, axis=item: _set_axis_pen(axis, p)
                elif isinstance(item, QGraphicsRectItem) or getattr(item, "widens_on_export", False):
                    pen, put = item.pen(), item.setPen  # (the network diagram's paths say widens_on_export)
                else:
                    continue
                if not isinstance(pen, QPen) or pen.style() == Qt.NoPen or not pen.isCosmetic():
                    continue
                put(widened(pen, factor))
                restore.append((put, QPen(pen)))
    try:
        yield
    finally:
        for put, pen in reversed(restore):
            put(pen)


def _note_moved_items(widget: QWidget) -> None:
    """Let every graphics scene in ``widget`` tell its views where its moved items were before drawing them here.

    A scene notes a moved item (pyqtgraph's "now" marker) and only later, in a queued call, asks its views to
    repaint the area where the item was last painted. Drawing the view in between (``QWidget.render``) records
    the item's new place as "last painted", so the live view never clears the old place: stale copies pile up
    until a resize. Delivering the queued call first keeps the views' bookkeeping true."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QGraphicsView

    views = [widget] if isinstance(widget, QGraphicsView) else []
    for view in views + widget.findChildren(QGraphicsView):
        if view.scene() is not None:
            QCoreApplication.sendPostedEvents(view.scene(), QEvent.MetaCall)


def render_widget(widget: QWidget, scale: float = 1.0) -> QImage:
    """``widget`` as it shows on screen, drawn at ``scale`` × its size (an opaque white background)."""
    if not (math.isfinite(scale) and 0.25 <= scale <= 8):
        raise ValueError(f"scale must lie between 0.25 and 8; got {scale!r}")
    width, height = round(widget.width() * scale), round(widget.height() * scale)
    if width < 1 or height < 1:
        raise ValueError("the widget has no size to render (is it shown?)")
    image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    with _lines_scaled(widget, scale):
        _note_moved_items(widget)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        try:
            # QWidget's render, also for a QGraphicsView (whose own render() draws the scene, not the widget)
            QWidget.render(widget, painter, QPoint(0, 0), QRegion(),
                           QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren)
        finally:
            painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("could not encode the PNG image")
    buffer.close()
    return bytes(data.data())


def save_png(widget: QWidget, path, scale: float = 1.0) -> QImage:
    """Render ``widget`` at ``scale`` and write it to ``path`` atomically; returns the image."""
    from ..data.session_file import write_atomic
    image = render_widget(widget, scale)
    # The PNG records the pixel density, so a 2× image shows at its logical size in viewers that read it.
    image.setDotsPerMeterX(round(96 / 0.0254 * scale))
    image.setDotsPerMeterY(round(96 / 0.0254 * scale))
    write_atomic(path, png_bytes(image))
    return image


def copy_to_clipboard(widget: QWidget, scale: float = 1.0) -> QImage:
    image = render_widget(widget, scale)
    QGuiApplication.clipboard().setImage(image)
    return image


__all__ = ["SCALES", "copy_to_clipboard", "png_bytes", "render_widget", "save_png", "widened"]
