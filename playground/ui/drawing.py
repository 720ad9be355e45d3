"""A plot you draw points on: left press/drag paints a stroke, right press/drag erases.

One stroke (press … release) is one undo step. The view range is fixed to the session's
drawing bounds, so the same click always means the same data coordinates.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt

STROKE_SPACING = 0.04   # minimum distance between painted points, as a fraction of the x range
ERASER_RADIUS = 0.04    # fraction of the x range


class DrawingPlot(pg.PlotWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent, background="w")
        self.session = session
        self._button = None
        self._last_painted = None
        self.setMenuEnabled(False)
        self.plotItem.vb.setMouseEnabled(False, False)
        self.plotItem.hideButtons()
        self.setCursor(Qt.CrossCursor)
        self.apply_bounds()

    def apply_bounds(self) -> None:
        (x0, x1), (y0, y1) = self.session.bounds
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    @property
    def _x_span(self) -> float:
        (x0, x1), _ = self.session.bounds
        return x1 - x0

    # -- coordinates ------------------------------------------------------------------------
    def widget_to_data(self, pos) -> tuple[float, float]:
        """Data coordinates of a viewport position (QPoint or QPointF).

        Through viewportTransform(): PySide6's QGraphicsView.mapToScene takes only integer points.
        """
        scene = self.viewportTransform().inverted()[0].map(QPointF(pos))
        p = self.plotItem.vb.mapSceneToView(scene)
        return p.x(), p.y()

    def data_to_widget(self, x: float, y: float) -> QPoint:
        """Where in the viewport the data point (x, y) is drawn (tests click there)."""
        return self.viewportTransform().map(self.plotItem.vb.mapViewToScene(QPointF(x, y))).toPoint()

    def _in_view(self, pos) -> bool:
        scene = self.viewportTransform().inverted()[0].map(QPointF(pos))
        return self.plotItem.vb.sceneBoundingRect().contains(scene)

    # -- mouse ------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        if event.button() not in (Qt.LeftButton, Qt.RightButton) or not self._in_view(event.position()):
            return super().mousePressEvent(event)  # the axes and the legend under the plot draw nothing
        self._button = event.button()
        self.session.begin_stroke()
        self._last_painted = None
        self._apply_at(event.position())
        event.accept()

    def mouseMoveEvent(self, event):
        if self._button is None:
            return super().mouseMoveEvent(event)
        self._apply_at(event.position())
        event.accept()

    def mouseReleaseEvent(self, event):
        if self._button is None or event.button() != self._button:
            return super().mouseReleaseEvent(event)
        self._button = None
        self.session.end_stroke()
        event.accept()

    def _apply_at(self, pos) -> None:
        point = np.array(self.widget_to_data(pos))
        if self._button == Qt.RightButton:
            self.session.remove_near(point, ERASER_RADIUS * self._x_span)
            return
        if self._last_painted is not None and np.hypot(*(point - self._last_painted)) < STROKE_SPACING * self._x_span:
            return
        self._last_painted = point
        self.session.add_points(point[None, :])
