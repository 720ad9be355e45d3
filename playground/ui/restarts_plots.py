"""The restarts' pictures: a strip of final losses (one dot per seed, log scale) and one seed's fit or regions.

``LossStrip`` marks the best seed green and the worst red, rings the main run's seed, and says which seed
was clicked (``seed_clicked``). ``SeedPanel`` draws one seed's trained network on the points it was
trained on: in 1-D the fit (red) with each hidden unit dashed, as the main fit view; in 2-D the decision
regions, from the same functions the worker uses for the live views.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from ..data.scene import CLASSIFICATION, MODES, REGRESSION
from ..engine import FeatureMap, Network
from ..palette import CLASS_COLORS, FIT_RED, POINT_BLUE, surface_rgb, unit_color
from ..worker.snapshot import curves_1d, regions_2d
from .log_axis import LogAxis
from .plot_style import Look, SmoothImageItem, dashed, style_axes

BEST_GREEN = (0, 140, 70)
WORST_RED = (200, 30, 30)
DOT_GREY = (60, 60, 60)
DOT_SIZE = 13
MARK_SIZE = 22
FIT_PEN = pg.mkPen(color=FIT_RED, width=3)


END_LABEL_ROOM = 10  # px: half an end tick label's height


def strip_x(n: int) -> np.ndarray:
    """(n,) horizontal offsets in [-1, 1] for n dots, so dots with equal losses stay apart (deterministic)."""
    return np.array([((7 * i) % 11) / 5.0 - 1.0 for i in range(n)])


class LossStrip(pg.PlotWidget):
    """Final losses on a log axis, one dot per seed; click a dot for ``seed_clicked(seed)``."""

    seed_clicked = Signal(int)

    def __init__(self, look: Look, parent=None):
        super().__init__(parent, background="w", axisItems={"left": LogAxis("left")})
        self.look = look
        self.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.plotItem.vb.setMouseEnabled(False, False)
        self.plotItem.setLogMode(y=True)
        self.hideAxis("bottom")
        # room above and below the plot for the axis' end labels, drawn centred on the ends (they were cut in half)
        self.plotItem.setContentsMargins(0, END_LABEL_ROOM, 0, END_LABEL_ROOM)
        self.setXRange(-1.6, 1.6, padding=0)
        style_axes(self.plotItem)
        self._seeds: list[int] = []
        self._xs, self._losses = np.zeros(0), np.zeros(0)
        self._marks = (-1, -1)  # rows of the best and the worst seed
        self.current = pg.PlotDataItem([], [], pen=None, symbol="o", symbolBrush=None)  # ring: the main run's seed
        self.dots = pg.PlotDataItem([], [], pen=None, symbol="o", symbolPen=pg.mkPen("w", width=1))
        for item in (self.current, self.dots):  # the ring under the dots: a click always lands on a dot
            self.addItem(item)
        self.dots.sigPointsClicked.connect(self._on_dots_points_clicked)
        self.dots.scatter.setData(hoverable=True, tip=self.tip)  # hover a dot: its seed and final loss
        self.apply_look()

    def apply_look(self) -> None:
        look = self.look
        look.style_axes(self.plotItem)
        look.set_axis_label(self.plotItem, "left", "final loss")
        self.current.setSymbolSize(look.size(MARK_SIZE + 10))
        self.current.setSymbolPen(pg.mkPen((20, 20, 20), width=max(2.0, 2 * look.scale)))
        self._draw()

    def show_losses(self, seeds, losses: np.ndarray, best: int, worst: int) -> None:
        """losses: (S,) final losses (NaN: diverged, not drawn); best, worst: rows drawn larger, green and red."""
        self._seeds, self._losses, self._marks = list(seeds), np.asarray(losses, dtype=float), (best, worst)
        self._xs = strip_x(len(losses))
        self._draw()
        shown = np.isfinite(self._losses) & (self._losses > 0)
        if shown.any():
            lo, hi = math.log10(self._losses[shown].min()), math.log10(self._losses[shown].max())
            pad = max(0.15 * (hi - lo), 0.15)
            self.setYRange(lo - pad, hi + pad, padding=0)

    def _draw(self) -> None:
        losses = self._losses
        shown = np.isfinite(losses) & (losses > 0)
        rows = np.flatnonzero(shown)
        best, worst = self._marks
        colors = {best: BEST_GREEN, worst: WORST_RED}
        brushes = [pg.mkBrush(*colors.get(r, DOT_GREY)) for r in rows]
        sizes = [self.look.size(MARK_SIZE if r in colors else DOT_SIZE) for r in rows]
        self.dots.setData(self._xs[rows], losses[rows], data=rows, symbolBrush=brushes, symbolSize=sizes)

    def mark_current(self, seed: int) -> None:
        """Ring the dot of ``seed`` (the main run's), if it is one of the seeds shown."""
        rows = [r for r, s in enumerate(self._seeds) if s == seed and np.isfinite(self._losses[r])]
        self.current.setData(self._xs[rows], self._losses[rows]) if rows else self.current.setData([], [])

    def dot_position(self, row: int):
        """Where the dot of ``row`` is on screen (viewport coordinates), for tests and tooltips."""
        point = self.plotItem.vb.mapViewToScene(pg.Point(self._xs[row], math.log10(self._losses[row])))
        return self.mapFromScene(point)

    def tip(self, x=None, y=None, data=None) -> str:
        """The hover text of the dot of row ``data``."""
        return f"seed {self._seeds[int(data)]}: final loss {self._losses[int(data)]:.2e} (click: train it live)"

    def _on_dots_points_clicked(self, _item, points, *_event) -> None:
        if len(points):
            self.seed_clicked.emit(self._seeds[int(points[0].data())])


class SeedPanel(pg.PlotWidget):
    """One seed's trained network on the training points, titled with its seed and final loss."""

    def __init__(self, look: Look, parent=None):
        super().__init__(parent, background="w")
        self.look = look
        self.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.plotItem.vb.setMouseEnabled(False, False)
        style_axes(self.plotItem)
        self.regions = SmoothImageItem(axisOrder="row-major")
        self.regions.setZValue(-10)
        self.addItem(self.regions)
        self.unit_curves: list[pg.PlotDataItem] = []
        self.fit = self.plot([], [], pen=FIT_PEN)
        self.fit.setZValue(5)
        self.points = pg.ScatterPlotItem(pen=pg.mkPen("w", width=1))
        self.points.setZValue(10)
        self.addItem(self.points)
        self._title = ""
        self.apply_look()

    def apply_look(self) -> None:
        self.look.style_axes(self.plotItem)
        self.fit.setPen(self.look.pen(FIT_PEN))
        for i, curve in enumerate(self.unit_curves):
            curve.setPen(self.look.pen(dashed(unit_color(i))))
        self.points.setSize(self.look.size(9))
        self.set_title(self._title)

    def set_title(self, html: str) -> None:
        self._title = html
        self.setTitle(html, size=f"{self.look.pt('header'):g}pt", color="#222222")

    def show_network(self, network: Network, X: np.ndarray, y: np.ndarray, features: FeatureMap | None = None) -> None:
        """network: the seed's trained network, on φ(x) if ``features``; X (n, d), y: the points it was trained on."""
        mode = MODES[REGRESSION if X.shape[1] == 1 else CLASSIFICATION]
        (x0, x1), (y0, y1) = mode.bounds
        two_d = X.shape[1] == 2
        self.setAspectLocked(two_d)  # regions keep their shape, as in the main 2-D view; in a short dock
        for side in ("left", "bottom"):  # that leaves little height, so the axes give theirs to the picture
            self.showAxis(side, not two_d)
        if X.shape[1] == 1:  # the y range of what is drawn (within the drawing area): the curves as large as they go
            drawn = self._show_curves(network, X, y, (x0, x1), features)
            y0, y1 = max(y0, float(drawn.min())), min(y1, float(drawn.max()))
        else:
            self._show_regions(network, X, y, (x0, x1, y0, y1), features)
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.04)

    def clear_picture(self) -> None:
        """No seed shown: an empty panel without a title."""
        self.regions.clear()
        for item in (*self.unit_curves, self.fit):
            item.setData([], [])
        self.points.clear()
        self.set_title("")

    def _show_curves(self, network: Network, X, y, x_range, features) -> np.ndarray:
        """Draws the points, the fit and the last hidden layer's units; returns every y value drawn."""
        curves = curves_1d(network, x_range, features=features)
        self.regions.clear()
        units = curves.hidden[-1] if curves.hidden else np.zeros((len(curves.xs), 0))
        while len(self.unit_curves) < units.shape[1]:
            self.unit_curves.append(self.plot([], [], pen=self.look.pen(dashed(unit_color(len(self.unit_curves))))))
        for i, item in enumerate(self.unit_curves):
            item.setData(curves.xs, units[:, i]) if i < units.shape[1] else item.setData([], [])
        self.fit.setData(curves.xs, curves.fit)
        targets = y.reshape(len(X), -1)[:, 0]
        self.points.setData(X[:, 0], targets, brush=pg.mkBrush(*POINT_BLUE))
        return np.concatenate([targets, curves.fit, units.ravel()])

    def _show_regions(self, network: Network, X, y, extent, features) -> None:
        regions = regions_2d(network, extent, features=features)
        self.regions.setImage(regions.regions, autoLevels=False, levels=(0, 255))
        x0, x1, y0, y1 = extent
        self.regions.setRect(x0, y0, x1 - x0, y1 - y0)
        for item in self.unit_curves:
            item.setData([], [])
        self.fit.setData([], [])
        if regions.surface is not None:  # 2-D regression: each point in its value's colour, as in the data plot
            brushes = [pg.mkBrush(*c) for c in surface_rgb(np.reshape(y, -1)).astype(int)]
        else:
            brushes = [pg.mkBrush(*CLASS_COLORS[k % len(CLASS_COLORS)]) for k in np.asarray(y, dtype=int).reshape(-1)]
        self.points.setData(X[:, 0], X[:, 1], brush=brushes, pen=pg.mkPen((40, 40, 40), width=1))
