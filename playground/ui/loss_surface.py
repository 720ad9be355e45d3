"""Saddle points (View ▸ Saddle point): why a saddle slows gradient descent, on f(θ₁, θ₂) = θ₁² − θ₂².

Left, the surface as a heatmap with its contour lines and four descent paths, one dot per step: dots
crowd where the steps are short, near the saddle. Right, each path's gradient magnitude |∇f(θₖ)| per
step (log scale): the dip is the slow passage. The numbers come from engine/saddle.py.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..engine.saddle import HESSIAN, critical_point_kind, descent_path, saddle_gradient, saddle_loss, steps_near
from .lecture_words import arrange_parts, scrolling
from .log_axis import LogAxis
from .plot_style import SmoothImageItem, style_axes
from .unit_colors import DIVERGING_LUT
from .view_docks import LazyView, open_action

BOX = 1.5                  # the surface is drawn on [−BOX, BOX]²
STEPS = 150
NEAR = 0.2                 # "near the saddle": within this distance of θ = 0
DEFAULT_RATE = 0.05
SGD_NOISE, SGD_SEED = 0.1, 0  # noise σ per gradient component; this seed shows the escape
# (label, start, noise): three gradient descents and one stochastic one from the same start as the stuck one
PATHS = (("GD (1.4, 0.3)", (1.4, 0.3), 0.0),
         ("GD (1.4, 0.001)", (1.4, 0.001), 0.0),
         ("GD (1.4, 0)", (1.4, 0.0), 0.0),
         ("SGD (1.4, 0)", (1.4, 0.0), SGD_NOISE))
END_NAMES = ("GD 0.3", "GD 0.001", "GD 0", "SGD")  # the curves' names at their ends (by θ₂ at the start)
END_ANCHORS = ((0, 1), (0, 1), (0.5, 1), (0, 0.5))  # above each end; SGD beside its end, clear of the others
PATH_COLORS = ((0, 114, 178), (213, 94, 0), (40, 40, 40), (0, 158, 115))
SLIDE = "Hit a saddle point — Doesn't often happen with SGD — Second partial derivative test"  # the slide's words
GRID = 121


def _explanation() -> str:
    det = float(np.linalg.det(HESSIAN))
    return (f"f = θ₁² − θ₂²: ∇f = 0 at (0, 0), det H = {det:g} &lt; 0: a {critical_point_kind(HESSIAN)}. "
            "Near it |∇f| is small: short steps, crowded dots.")


def _hex(rgb) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


class LossSurfaceView(QWidget):
    """The surface with its paths, their gradient magnitudes, the slide's words and the rate η."""

    def __init__(self, look, parent=None):
        super().__init__(parent)
        self.look = look
        text = self._build_words()
        self._build_plots()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.surface, 4)
        row.addWidget(self.gradients, 5)
        row.addWidget(scrolling(text), 5)
        self.row = row
        self.rate.valueChanged.connect(self._on_rate_value_changed)
        look.changed.connect(self._apply_look)
        self._apply_look()
        self.draw()

    def _build_words(self) -> QVBoxLayout:
        """The slide's words, the rate η and what the paths show, one column."""
        self.rate = QDoubleSpinBox(minimum=0.01, maximum=0.45, singleStep=0.01, value=DEFAULT_RATE, decimals=2,
                                   prefix="learning rate η = ")
        self.rate.setToolTip("Each step multiplies θ₁ by (1 − 2η) and θ₂ by (1 + 2η)")
        self.slide = QLabel(SLIDE)
        self.slide.setWordWrap(True)
        self.words = QLabel(_explanation())
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.RichText)
        text = QVBoxLayout()  # beside the plots, not above them: a view dock is short and the plots need its height
        text.addWidget(self.slide)
        text.addWidget(self.rate)
        text.addWidget(self.words)
        text.addStretch(1)
        return text

    def _build_plots(self) -> None:
        """The loss surface with the paths on it, and each path's gradient magnitude per step."""
        self.surface = pg.PlotWidget(background="w")
        self.surface.setAspectLocked(True)
        self.gradients = pg.PlotWidget(background="w", axisItems={"left": LogAxis("left")})
        self.gradients.plotItem.setLogMode(y=True)
        self.gradients.setXRange(0, STEPS * 1.25, padding=0)  # room for the names at the curves' ends
        for plot in (self.surface, self.gradients):
            plot.setMenuEnabled(False)
            plot.plotItem.hideButtons()
            plot.plotItem.vb.setMouseEnabled(False, False)
            style_axes(plot.plotItem)
            plot.setMinimumHeight(140)
        self._build_surface()
        self.paths = [self.surface.plot([], [], symbol="o") for _ in PATHS]
        self.magnitudes = [self.gradients.plot([], []) for _ in PATHS]
        self.ends = [pg.TextItem(name, color=color, anchor=anchor)
                     for name, anchor, color in zip(END_NAMES, END_ANCHORS, PATH_COLORS)]
        for end in self.ends:  # each curve named at its end: no legend to take the plot's height
            self.gradients.addItem(end)

    def _build_surface(self) -> None:
        ticks = np.linspace(-BOX, BOX, GRID)
        t1, t2 = np.meshgrid(ticks, ticks)   # row i: θ₂ = ticks[i]; column j: θ₁ = ticks[j]
        values = saddle_loss(np.stack([t1, t2], axis=-1))
        image = SmoothImageItem(axisOrder="row-major")
        # the app's one diverging scale: f < 0 orange, f = 0 white, f > 0 blue
        image.setImage(values, levels=(-BOX ** 2, BOX ** 2), lut=DIVERGING_LUT[:, :3])
        image.setRect(-BOX, -BOX, 2 * BOX, 2 * BOX)
        image.setOpacity(0.55)
        self.surface.addItem(image)
        for level in (-1.5, -0.75, -0.25, 0.0, 0.25, 0.75, 1.5):
            curve = pg.IsocurveItem(values.T, level=level, pen=pg.mkPen((90, 90, 90), width=1))
            curve.setParentItem(image)  # the image's coordinates: one unit per grid step
        self.saddle = pg.ScatterPlotItem([0.0], [0.0], symbol="x", size=18, pen=pg.mkPen((0, 0, 0), width=3))
        self.surface.addItem(self.saddle)
        self.surface.setRange(xRange=(-BOX, BOX), yRange=(-BOX, BOX), padding=0)

    def draw(self) -> None:
        """Every path from its start at the current η, and its |∇f| per step."""
        rate = self.rate.value()
        self.results = []
        for (label, start, noise), path_item, magnitude_item in zip(PATHS, self.paths, self.magnitudes):
            path = descent_path(start, rate, STEPS, noise=noise, seed=SGD_SEED, box=BOX)
            norms = np.linalg.norm(saddle_gradient(path), axis=1)
            path_item.setData(path[:, 0], path[:, 1])
            shown = norms > 0  # a log axis cannot show |∇f| = 0
            magnitude_item.setData(np.flatnonzero(shown), norms[shown])
            last = np.flatnonzero(shown)[-1]
            self.ends[len(self.results)].setPos(last, np.log10(norms[last]))  # the log axis plots log10 values
            self.results.append((label, path, steps_near(path, NEAR)))
        shown = np.concatenate([np.linalg.norm(saddle_gradient(path), axis=1) for _, path, _ in self.results])
        shown = np.log10(shown[shown > 0])
        self.gradients.setYRange(shown.min() - 0.3, shown.max() + 1.2, padding=0)  # headroom for the names
        counts = "<br>".join(f"<span style='color:{_hex(color)}'>●</span> {label}: {near}"
                                for (label, _, near), color in zip(self.results, PATH_COLORS))
        self.words.setText(f"{_explanation()}<br><br>Steps within {NEAR:g} of the saddle (of {STEPS}):<br>{counts}")

    @Slot(float)
    def _on_rate_value_changed(self, _rate: float) -> None:
        self.draw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        arrange_parts(self.row, self.width())

    def _apply_look(self) -> None:
        look = self.look
        self.slide.setStyleSheet(f"{look.css('header')} font-style: italic; color: #123a66;")
        for widget in (self.words, self.rate):
            widget.setStyleSheet(look.css("legend"))
        for plot in (self.surface, self.gradients):
            look.style_axes(plot.plotItem)
        look.set_axis_label(self.surface.plotItem, "bottom", "θ₁")
        look.set_axis_label(self.surface.plotItem, "left", "θ₂")
        look.set_axis_label(self.gradients.plotItem, "bottom", "step k")
        look.set_axis_label(self.gradients.plotItem, "left", "|∇f(θₖ)|")
        for end in self.ends:
            end.setFont(look.font("note"))
        for path, magnitude, color in zip(self.paths, self.magnitudes, PATH_COLORS):
            path.setPen(look.pen(pg.mkPen(color, width=2)))
            path.setSymbolBrush(pg.mkBrush(*color))
            path.setSymbolPen(None)
            path.setSymbolSize(look.size(6))
            magnitude.setPen(look.pen(pg.mkPen(color, width=2)))


def install(window) -> LazyView:
    """View ▸ Saddle point: the view in a view dock (tabbed with the others), hidden until chosen, built when first
    shown."""
    def build() -> LossSurfaceView:
        view = LossSurfaceView(window.look)
        view.dock, view.action = dock, action
        return view
    lazy = LazyView(build)
    dock = window.add_dock("Saddle point", "saddle_point", lazy, scrolls=False)
    action = open_action(dock, "&Saddle point (loss surface)", tip="Why a saddle point slows gradient descent: "
                         "f(θ₁, θ₂) = θ₁² − θ₂² and four descent paths")
    window.menu("view").addAction(action)
    return lazy
