"""One hidden unit's map shown large ("click one to enlarge"), with the points on top, as large as its panel has
room for.

The map covers the data plot's extent (a square when the data plot is square), with square pixels, and the plot
spans exactly that extent: so the plot's view box, not the widget, must take the extent's shape. The plot is placed
inside this panel so that what its axes leave is the largest rectangle of that shape that fits, centred. (A locked
aspect over a whole wide strip, as in 2-D regression at 1280x720, drew an ~80 px map in an x range of −5 … 5.) The
unit's name is in the panel's header (``UnitHeatmaps``): a title row here would take height from the map.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ..data.points import MAX_CLASSES
from ..palette import CLASS_COLORS
from .plot_style import Look, SmoothImageItem, style_axes, white_background
from .surface_layer import POINT_RIM

POINT_SIZE = 10  # px at scale 1


class _Plot(pg.PlotWidget):
    """The plot itself; any press on it is a click on the panel."""

    pressed = Signal()

    def mousePressEvent(self, event):
        event.accept()
        self.pressed.emit()


class LargeUnitView(QWidget):
    """The map (``image``) and the points of each class (``points``); any click asks to close."""

    close_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        white_background(self)
        self.plot = _Plot(self, background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)
        self.plotItem.vb.setMouseEnabled(False, False)
        self.plotItem.hideButtons()
        style_axes(self.plotItem)
        self.image = SmoothImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        # A dark rim, as on the 2-D regression surface: the map has both classes' hues (orange, blue) and white, and a
        # white rim vanished on the white zero band while a point of the map's own hue blended in
        self.points = [pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen(POINT_RIM, width=1.5),
                                          brush=pg.mkBrush(*CLASS_COLORS[k]))
                       for k in range(MAX_CLASSES)]
        for item in self.points:
            self.plot.addItem(item)
        self.extent: tuple[float, float, float, float] | None = None
        for widget in (self, self.plot):
            widget.setCursor(Qt.PointingHandCursor)
            widget.setToolTip("Click or press Esc to go back to all units")
        self.plot.pressed.connect(self.close_requested)
        # An axis widens for its tick labels only when it paints them: then the plot is placed again (converges: a
        # placement that changes nothing sets no geometry)
        self._place_timer = QTimer(self, singleShot=True, interval=0)
        self._place_timer.timeout.connect(self.place)
        for side in ("left", "bottom"):
            self.plotItem.getAxis(side).geometryChanged.connect(self._place_timer.start)

    @property
    def plotItem(self) -> pg.PlotItem:
        return self.plot.plotItem

    def restyle(self, look: Look) -> None:
        """Tick fonts and point sizes at the look's scale; the plot is placed again for the axes' new room."""
        look.style_axes(self.plotItem)
        for item in self.points:
            item.setSize(look.size(POINT_SIZE))
        self.place()

    def set_extent(self, extent: tuple[float, float, float, float]) -> None:
        """The map covers ``extent`` (x0, x1, y0, y1) and the plot shows exactly that."""
        if extent == self.extent:
            return
        self.extent = extent
        x0, x1, y0, y1 = extent
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.plotItem.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)
        self.place()  # new tick labels may need another width

    def mousePressEvent(self, event):
        event.accept()
        self.close_requested.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.place()

    def place(self) -> None:
        """Put the plot where its view box, the extent's shape, is as large as this panel allows, centred."""
        if not self.isVisible():
            return  # placed when shown: a hidden plot's layout is not measured
        width, height = self.width(), self.height()
        x0, x1, y0, y1 = self.extent or (0.0, 1.0, 0.0, 1.0)
        span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        if min(self.plot.width(), self.plot.height()) < 50:  # never placed: a size the axes can be measured at
            self.plot.setGeometry(0, 0, width, height)
        for _ in range(3):  # the axes' room depends a little on the size (tick labels): measure again where placed
            item = self.plotItem
            item.layout.activate()
            box = item.vb.geometry()
            extra_w, extra_h = item.geometry().width() - box.width(), item.geometry().height() - box.height()
            px_per_unit = max(min((width - extra_w) / span_x, (height - extra_h) / span_y), 1e-3)
            w, h = round(px_per_unit * span_x + extra_w), round(px_per_unit * span_y + extra_h)
            if (w, h) == (self.plot.width(), self.plot.height()):
                break
            self.plot.setGeometry((width - w) // 2, (height - h) // 2, w, h)
        if self.extent is not None:
            x0, x1, y0, y1 = self.extent
            self.plotItem.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)

    def view_box_size(self) -> tuple[float, float]:
        """The view box's width and height in px (what the map may fill)."""
        box = self.plotItem.vb.geometry()
        return box.width(), box.height()
