"""The 1-D regression view: training points (blue), the fit (red), every hidden unit dashed.

As in Bishop's PRML Fig 5.3. A toggle shows either the raw unit outputs hᵢ(x) or their
weighted contributions wᵢ·hᵢ(x), which together with the output bias w₀ add up exactly to
the fit (the slide's f(x) = w₀ + Σᵢ wᵢhᵢ(x)); for a deep network a chosen hidden layer's units are shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QLabel, QRadioButton, QSpinBox, QVBoxLayout, QWidget

from ..notation import sub, unit_name
from ..palette import FIT_RED, POINT_BLUE, unit_color
from .drawing import DrawingPlot
from .network_notation import NetworkNotation
from .plot_style import FollowsLook, Look, RowLegend, dashed, style_axes

MAX_UNIT_ENTRIES = 10  # legend entries for units; beyond, one entry says how many more (64 would bury the plot)
FIT_PEN = pg.mkPen(color=FIT_RED, width=4)
BIAS_PEN = pg.mkPen(color=(90, 90, 90), width=2, style=Qt.DotLine)
POINT_SIZE = 11
HIGHLIGHT_COLOR = (26, 42, 68)  # a highlighted unit's curve: dark, no unit's colour


class FitPlot(FollowsLook, DrawingPlot):
    """The plot itself; ``FitView`` adds the unit-display controls above it."""

    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(session, parent)
        self.look = look or Look(self)
        self.show_contributions = False
        self.layer = 0  # which hidden layer's units are drawn
        self._highlighted = (-1, -1)  # (hidden layer, unit) drawn bold and dark, e.g. hovered in the network diagram
        self._cleared = False  # all curves empty (nothing to redraw until a 1-D snapshot comes)
        self._last_step = 0
        style_axes(self.plotItem)
        self.showGrid(x=True, y=True, alpha=0.15)
        # under the x axis, never over the points and curves
        self.legend = RowLegend(self.plotItem, self.look)
        # Items are made once; per frame only setData. Live pens are not antialiased (thick AA pens are slow).
        # A unit's curve is made the first time a layer has that many units (building 64 up front was a third of
        # the window's start), and stacked under the fit and the points like the ones made before it.
        self.unit_curves: list[pg.PlotDataItem] = []
        self.more_units = pg.PlotDataItem([], [], pen=dashed((127, 127, 127)))  # the legend's "… more units"
        self.bias_line = self.plot([], [])
        self.fit_curve = self.plot([], [])
        self.points = pg.ScatterPlotItem(pen=pg.mkPen("w", width=1.5), brush=pg.mkBrush(*POINT_BLUE))
        self.test_points = pg.ScatterPlotItem(pen=pg.mkPen(color=POINT_BLUE, width=2.5),
                                              brush=pg.mkBrush(255, 255, 255))
        self.addItem(self.points)
        self.addItem(self.test_points)
        # Where the fit went when it left the plot (a diverging run): text at the edge it left by
        self.off_plot_hint = pg.TextItem(color=FIT_RED, fill=pg.mkBrush(255, 255, 255, 220))
        self.off_plot_hint.setZValue(20)
        self.off_plot_hint.hide()
        self.addItem(self.off_plot_hint, ignoreBounds=True)
        self.follow_look()
        session.points_changed.connect(self._on_session_points_changed)
        session.settings_changed.connect(self._on_session_points_changed)  # the test fraction splits the points
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        self._on_session_points_changed()

    def _apply_look(self) -> None:
        """Fonts, pens and point sizes from the look's tokens at its current scale."""
        look = self.look
        look.style_axes(self.plotItem)
        look.set_axis_label(self.plotItem, "bottom", "x")
        look.set_axis_label(self.plotItem, "left", "y")
        self.highlight_unit(*self._highlighted)
        self.bias_line.setPen(look.pen(BIAS_PEN))
        self.fit_curve.setPen(look.pen(FIT_PEN))
        for points in (self.points, self.test_points):
            points.setSize(look.size(POINT_SIZE))
        self._legend_key = None  # entries are rebuilt with the new samples and text size
        self.legend.restyle()
        self._sync_legend_entries()

    @Slot()
    def _on_session_points_changed(self) -> None:
        self._draw_points()

    @Slot(object)
    def _on_session_snapshot_changed(self, snapshot) -> None:
        if snapshot.curves is None and self._cleared:
            return  # 2-D mode: this view is hidden and already empty
        if snapshot.step < self._last_step:  # reset or rebuilt: forget a range widened for the old weights
            self.apply_bounds()
        self._last_step = snapshot.step
        self._draw_curves()  # the points do not change with training: drawn when they or the split change

    def _draw_points(self) -> None:
        pts = self.session.points
        if pts.X.shape[1] != 1:
            return
        test = self.session.test_mask
        self.points.setData(pts.X[~test, 0], pts.y[~test, 0])
        self.test_points.setData(pts.X[test, 0], pts.y[test, 0])
        self._has_test = bool(test.any())
        self._sync_legend_entries()

    def _draw_curves(self) -> None:
        snap = self.session.snapshot
        curves = None if snap is None else snap.curves
        self._cleared = curves is None
        if curves is None:
            for item in (self.fit_curve, self.bias_line, *self.unit_curves):
                item.setData([], [])
            self.off_plot_hint.hide()
            return
        xs = curves.xs
        self.fit_curve.setData(xs, curves.fit)
        self._show_where_the_fit_went(xs, curves.fit)
        layer = min(self.layer, len(curves.hidden) - 1)
        units = curves.hidden[layer] if layer >= 0 else np.zeros((len(xs), 0))
        contributions = self.show_contributions and layer == len(curves.hidden) - 1
        if contributions:
            units = units * curves.out_weights  # wᵢ·hᵢ(x); Σᵢ wᵢhᵢ(x) + b = f(x)
            self.bias_line.setData(xs[[0, -1]], [curves.out_bias, curves.out_bias])
            self._grow_y_range(units, curves.out_bias)
        else:
            self.bias_line.setData([], [])
        self._make_unit_curves(units.shape[1])
        for i, item in enumerate(self.unit_curves):
            item.setData(xs, units[:, i]) if i < units.shape[1] else item.setData([], [])
        self._n_units, self._contributions = units.shape[1], contributions
        self._sync_legend_entries()

    def _show_where_the_fit_went(self, xs: np.ndarray, fit: np.ndarray) -> None:
        """If part of the fit lies above or below the view, say so at that edge, with how far it goes."""
        (x0, x1), (y0, y1) = self.viewRange()
        above, below = fit > y1, fit < y0
        if not (above.any() or below.any()):
            self.off_plot_hint.hide()
            return
        up = above.sum() >= below.sum()
        where = np.flatnonzero(above if up else below)
        extreme = float(fit.max() if up else fit.min())
        # two short lines in the left corner of the edge it left by: a narrow plot cuts a long line off
        self.off_plot_hint.setText(f"{'↑' if up else '↓'} the fit leaves the plot at x = {xs[where[0]]:.2g} … "
                                   f"{xs[where[-1]]:.2g}\n{'up' if up else 'down'} to y = {extreme:.3g}")
        self.off_plot_hint.setAnchor((0.0, 0.0) if up else (0.0, 1.0))
        self.off_plot_hint.setPos(x0, y1 if up else y0)
        self.off_plot_hint.show()

    def _grow_y_range(self, units: np.ndarray, bias: float) -> None:
        """Contributions can leave the drawing range: widen the view to show them (never shrink mid-run)."""
        (_, _), (y0, y1) = self.session.bounds
        lo, hi = self.viewRange()[1]
        # at most 10× the drawing range: a diverging network must not squash the picture to a line
        want_lo = max(min(y0, float(np.min(units, initial=bias)), bias) - 0.1, 10 * y0)
        want_hi = min(max(y1, float(np.max(units, initial=bias)), bias) + 0.1, 10 * y1)
        if want_lo < lo or want_hi > hi:
            self.setYRange(min(lo, want_lo), max(hi, want_hi), padding=0)

    _legend_key = None
    _has_test = False
    _n_units = 0
    _contributions = False

    def _sync_legend_entries(self) -> None:
        """Points, the fit, then each unit (up to ``MAX_UNIT_ENTRIES``), rebuilt only when that list changes."""
        key = (self._has_test, self._n_units, self._contributions, len(self.session.hidden))
        if self._legend_key == key:
            return
        self._legend_key = key
        self.legend.clear()
        self.legend.add(self.points, "training points")
        if self._has_test:
            self.legend.add(self.test_points, "test points")
        self.legend.add(self.fit_curve, "fit f(x)")
        n = self._n_units
        shown = n if n <= MAX_UNIT_ENTRIES else MAX_UNIT_ENTRIES - 1
        for i in range(shown):
            h = unit_name(i)
            self.legend.add(self.unit_curves[i], f"w{sub(i + 1)}·{h}(x)" if self._contributions else f"{h}(x)")
        if shown < n:
            self.legend.add(self.more_units, f"… {unit_name(shown)}–{unit_name(n - 1)}")
        if self._contributions:  # the slide's w₀ for one hidden layer (f(x) = w₀ + Σᵢ wᵢhᵢ(x)), b⁽ᴸ⁾ deeper
            self.legend.add(self.bias_line, f"output bias {self._bias_name()}")

    def _bias_name(self) -> str:
        hidden = tuple(self.session.hidden)
        return NetworkNotation((1, *hidden, 1), classification=False).bias(len(hidden), 0)

    def _make_unit_curves(self, n: int) -> None:
        """At least ``n`` unit curves, each under the bias line, the fit and the points (as if made before them)."""
        while len(self.unit_curves) < n:
            curve = self.plot([], [])
            curve.stackBefore(self.bias_line)
            self.unit_curves.append(curve)
            self._style_unit_curve(len(self.unit_curves) - 1)

    def _style_unit_curve(self, i: int) -> None:
        bold = self._highlighted == (self.layer, i)
        curve = self.unit_curves[i]
        curve.setPen(self.look.pen(dashed(HIGHLIGHT_COLOR, 4) if bold else dashed(unit_color(i))))
        curve.setZValue(5 if bold else 0)

    def highlight_unit(self, layer: int, unit: int) -> None:
        """Draw hidden unit ``unit`` of ``layer`` (0-based; −1: none) bold and dark, if its layer is the one shown."""
        self._highlighted = (layer, unit)
        for i in range(len(self.unit_curves)):
            self._style_unit_curve(i)

    def set_unit_display(self, contributions: bool, layer: int) -> None:
        self.show_contributions, self.layer = contributions, layer
        self.highlight_unit(*self._highlighted)
        self.apply_bounds()
        self._draw_curves()


class WrappingRow(QWidget):
    """A label and widgets on one row; narrower, without the label; narrower still, one under the other: the
    1-D view (and the window) can be narrow without cutting "contributions wᵢ·hᵢ(x)" off."""

    def __init__(self, label: QLabel, widgets, parent=None):
        super().__init__(parent)
        self.label, self.widgets = label, list(widgets)
        self.box = QBoxLayout(QBoxLayout.LeftToRight, self)
        self.box.setContentsMargins(4, 0, 4, 0)
        for widget in [label, *self.widgets]:
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def _row_width(self, widgets) -> int:
        shown = [w for w in widgets if not w.isHidden() or w is self.label]
        return sum(w.sizeHint().width() for w in shown) + self.box.spacing() * len(shown) + 8

    def minimumSizeHint(self) -> QSize:
        widest = max((w.minimumSizeHint().width() for w in self.widgets if not w.isHidden()), default=0)
        return QSize(widest + 8, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange(event.size().width())

    def arrange(self, width: int) -> None:
        with_label = width >= self._row_width([self.label, *self.widgets])
        one_row = with_label or width >= self._row_width(self.widgets)
        self.label.setVisible(with_label)
        direction = QBoxLayout.LeftToRight if one_row else QBoxLayout.TopToBottom
        if direction != self.box.direction():
            self.box.setDirection(direction)


class FitView(QWidget):
    """The fit plot with a row of controls: raw unit outputs or contributions, and which layer."""

    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(parent)
        self.session = session
        self.plot = FitPlot(session, self, look)
        self.raw = QRadioButton("unit outputs hᵢ(x)")
        self.contributions = QRadioButton("contributions wᵢ·hᵢ(x)")
        self.raw.setChecked(True)
        self.raw.setToolTip("Each hidden unit's output, dashed in its own colour")
        self.contributions.setToolTip("Each unit's output times its output weight; "
                                      "with the output bias they add up exactly to the red fit")
        group = QButtonGroup(self)
        group.addButton(self.raw)
        group.addButton(self.contributions)
        self.layer = QSpinBox(minimum=1, maximum=1, prefix="layer ")
        self.layer.setToolTip("Which hidden layer's units to draw")
        self.choices = WrappingRow(QLabel("Show:"), [self.raw, self.contributions, self.layer])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choices)
        layout.addWidget(self.plot, 1)
        self.raw.toggled.connect(self._on_display_changed)
        self.layer.valueChanged.connect(self._on_display_changed)
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()

    @Slot()
    def _on_session_model_changed(self) -> None:
        n = len(self.session.hidden)
        self.layer.setMaximum(max(n, 1))
        self.layer.setValue(max(n, 1))  # the last hidden layer feeds the output: contributions make sense there
        self.layer.setVisible(n > 1)
        self.contributions.setEnabled(n > 0)
        # no hidden layer (least squares: f(x) = wx + b): there are no unit outputs to show, and no choice to make
        self.choices.setVisible(n > 0)
        self.plot.apply_bounds()

    @Slot()
    def _on_display_changed(self) -> None:
        last = self.layer.value() == len(self.session.hidden)
        self.contributions.setEnabled(last and len(self.session.hidden) > 0)
        if not last and self.contributions.isChecked():
            self.raw.setChecked(True)
        self.plot.set_unit_display(self.contributions.isChecked(), self.layer.value() - 1)
