"""Picking a training point by clicking it in a data plot (for the backprop inspector).

While ``active``, an event filter on the plots' viewports turns a left click into ``picked(index)``
of the nearest point (or ``missed(reason)``) and swallows the press, drag and release, so that the
plot draws no point; a ring marks the picked point in every plot.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal

PICK_RADIUS = 0.08           # a click picks the nearest point within this fraction of the plot's x range


class PointPicker(QObject):
    """An event filter on the data plots: in pick mode a left click picks the nearest point and draws nothing."""

    picked = Signal(int)
    missed = Signal(str)

    def __init__(self, session, plots, parent=None):
        super().__init__(parent)
        self.session = session
        self.plots = list(plots)
        self.active = False
        self.markers = []
        for plot in self.plots:
            plot.viewport().installEventFilter(self)
            marker = pg.ScatterPlotItem(size=30, symbol="o", pen=pg.mkPen(20, 20, 20, width=3),
                                        brush=pg.mkBrush(255, 220, 60, 90))
            marker.setZValue(50)
            plot.addItem(marker)
            self.markers.append(marker)

    def _plot_of(self, viewport):
        return next((p for p in self.plots if p.viewport() is viewport), None)

    def eventFilter(self, watched, event) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if kind in (QEvent.MouseButtonPress, QEvent.MouseButtonDblClick) and event.button() == Qt.LeftButton:
            plot = self._plot_of(watched)
            if plot is not None:
                self.pick_at(plot, plot.widget_to_data(event.position()))
            return True
        return kind in (QEvent.MouseMove, QEvent.MouseButtonRelease) and bool(event.buttons() & Qt.LeftButton
                                                                                or event.button() == Qt.LeftButton)

    def coordinates(self) -> np.ndarray:
        """(n, 2) plot coordinates of the session's points: (x, y) in 1-D, (x₁, x₂) in 2-D."""
        pts = self.session.points
        if not len(pts):
            return np.zeros((0, 2))
        return np.column_stack([pts.X[:, 0], pts.y[:, 0]]) if pts.X.shape[1] == 1 else pts.X

    def pick_at(self, plot, xy) -> None:
        coords = self.coordinates()
        if not len(coords):
            self.missed.emit("no points to inspect: draw or generate some first")
            return
        (x0, x1), (y0, y1) = self.session.bounds
        scale = np.array([x1 - x0, y1 - y0])
        distance = np.hypot(*((coords - np.asarray(xy)) / scale).T)
        nearest = int(np.argmin(distance))
        if distance[nearest] > PICK_RADIUS:
            self.missed.emit("no training point there: click on a point to inspect it")
            return
        self.picked.emit(nearest)

    def mark(self, index: int | None) -> None:
        coords = self.coordinates()
        show = index is not None and 0 <= index < len(coords)
        for marker in self.markers:
            marker.setData([coords[index, 0]], [coords[index, 1]]) if show else marker.setData([], [])
