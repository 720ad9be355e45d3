"""2-D regression on the plane plot: the points coloured by their value, and the colour bar that says what the
colours mean.

The surface itself is the worker's RGB image (``worker.snapshot.regions_2d``) in the data plot's region item;
this layer adds what only 2-D regression has. Points are discs (training) or squares (held out) filled with
their value's colour on the surface's diverging scale (``palette.surface_rgb``), with a dark rim so a point
stands out on a surface of its own colour. The colour bar sits right of the plot, only in this mode.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from ..palette import DIVERGING_STOPS, SURFACE_RANGE, surface_rgb
from .plot_style import Look

POINT_RIM = (30, 30, 30)
POINT_SCALE = 0.8  # of the classification plot's point size: hundreds of points must leave the surface visible
COLOR_BAR_WIDTH = 18  # px at scale 1
COLOR_BAR_LABEL = "value"  # short: the bar can be as short as a small plot (the tooltip and the legend say more)


def surface_colormap() -> pg.ColorMap:
    """The app's diverging scale (``palette.DIVERGING_STOPS``) as a pyqtgraph colour map over −1 … 1."""
    return pg.ColorMap([(v + 1) / 2 for v, _ in DIVERGING_STOPS], [c for _, c in DIVERGING_STOPS])


class SurfaceLayer:
    """The value-coloured points and the colour bar of one ``ClassificationPlot`` (which adds them to itself)."""

    def __init__(self, plot_item: pg.PlotItem, look: Look):
        self.plot_item, self.look = plot_item, look
        self.train_points = pg.ScatterPlotItem(pen=pg.mkPen(POINT_RIM, width=1.5), symbol="o")
        self.test_points = pg.ScatterPlotItem(pen=pg.mkPen(POINT_RIM, width=2), symbol="s")
        self.train_sample = pg.ScatterPlotItem(pen=pg.mkPen(POINT_RIM, width=1.5), brush=pg.mkBrush(255, 255, 255),
                                               symbol="o")  # legend entries: the shapes, white
        self.test_sample = pg.ScatterPlotItem(pen=pg.mkPen(POINT_RIM, width=2), brush=pg.mkBrush(255, 255, 255),
                                              symbol="s")
        for item in (self.train_points, self.test_points):
            plot_item.addItem(item)
        self.color_bar = pg.ColorBarItem(values=(-SURFACE_RANGE, SURFACE_RANGE), colorMap=surface_colormap(),
                                         interactive=False, colorMapMenu=False, width=COLOR_BAR_WIDTH)
        self.color_bar.setToolTip("Colours of the points (their value y) and of the surface (the network output ŷ, "
                                  "drawn paler): blue above 0, white at 0, orange below (beyond ±1 the end colours)")
        self.color_bar.hide()
        self._bar_in_layout = False

    def restyle(self, point_size: float) -> None:
        """Fonts and sizes from the look at its current scale (presentation mode)."""
        for item in (self.train_points, self.test_points, self.train_sample, self.test_sample):
            item.setSize(POINT_SCALE * point_size)
        axis = self.color_bar.getAxis("right")
        axis.setTickFont(self.look.font("tick"))
        axis.setPen(pg.mkPen(90, 90, 90))
        axis.setTextPen(pg.mkPen(30, 30, 30))
        axis.setLabel(COLOR_BAR_LABEL, **self.look.label_style())
        ticks = QFontMetrics(self.look.font("tick")).horizontalAdvance("−0.5")
        title = QFontMetrics(self.look.font("axis_label")).height()
        axis.setWidth(ticks + title + 14)  # the tick labels and the title beside them, never clipped
        self.color_bar.layout.setColumnFixedWidth(1, self.look.size(COLOR_BAR_WIDTH))

    def show(self, shown: bool) -> None:
        """The colour bar right of the plot in 2-D regression; out of the layout otherwise (no empty column)."""
        if shown and not self._bar_in_layout:
            self.plot_item.layout.addItem(self.color_bar, 2, 5)
            self._bar_in_layout = True
        elif not shown and self._bar_in_layout:
            self.plot_item.layout.removeItem(self.color_bar)
            self._bar_in_layout = False
        self.color_bar.setVisible(shown)
        if not shown:
            self.draw(np.zeros((0, 2)), np.zeros((0, 1)), np.zeros(0, dtype=bool), True)

    def draw(self, X: np.ndarray, y: np.ndarray, test: np.ndarray, test_shown: bool) -> None:
        """X (n, 2), y (n, 1) values, test (n,) bool: the held-out points (drawn only if ``test_shown``)."""
        colors = surface_rgb(y[:, 0]).astype(int) if len(y) else np.zeros((0, 3), dtype=int)
        for item, mask in ((self.train_points, ~test), (self.test_points, test & test_shown)):
            item.setData(X[mask, 0], X[mask, 1], brush=[pg.mkBrush(*c) for c in colors[mask]])
