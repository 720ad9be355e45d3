"""Loss over steps (log scale) with accuracy on a right-hand axis, and the learning-rate schedule.

Top: training loss (solid) and held-out loss (dashed, only with a test set) on a log axis;
for classification also the accuracy in percent on the right-hand axis (never for regression, 1-D or 2-D). Bottom: the
schedule step → learning rate as a curve with a marker (vertical line and dot) at the
current step. The schedule curve is recomputed only when the settings change or the step
passes the plotted horizon; per frame only ``setData`` / ``setValue``, and at most every
``REFRESH_MS`` (the newest snapshot wins), because a changing axis repaints its tick text.

Live curves use 2 px pens without antialiasing (thick antialiased pens are slow in pyqtgraph).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from ..data.scene import mode_of
from ..engine.schedules import Cosine, Exponential, InverseTime, Schedule, StepDecay, Warmup
from .log_axis import LogAxis, format_rate
from .plot_style import Look, style_axes, white_background

TRAIN_COLOR = (31, 119, 180)     # blue
TEST_COLOR = (213, 94, 0)        # vermillion
ACCURACY_COLOR = (0, 140, 100)   # green
LR_COLOR = (60, 60, 60)
MARKER_COLOR = (214, 39, 40)
SCHEDULE_POINTS = 400
DEFAULT_HORIZON = 5000
REFRESH_MS = 100  # the loss needs no 50 frames a second: redraw at most 10 times a second
# Minimum plot sizes in lines of tick text (the tick font grows with the look): below these the tick
# labels of the loss, accuracy and η axes pile onto each other (the x axis and its title take ~2.5 lines)
MIN_LOSS_LINES = 8
MIN_RATE_LINES = 7  # (6 before the axis titles got their gap, tests/test_ui_layout_ticks.py)
MIN_WIDTH_LINES = 12
SIDE_BY_SIDE_RATIO = 1.8  # wider than this × the height: the loss and the η plots side by side
ACCURACY_TICKS = [[(v, f"{v:g}") for v in (0, 50, 100)], []]  # three labels fit any height the plot gets
RATE_DOT_SIZE = 12
# short axis titles: a rotated title longer than its plot is cut ("loss (log scal"); the headers say the rest
LOSS_TITLE, ACCURACY_TITLE = "loss (log)", "accuracy %"


MAX_DECADES = 12  # the loss axis spans at most this many powers of ten


def schedule_horizon(schedule: Schedule) -> int:
    """How many steps show the shape of ``schedule``: a whole cosine, three stairs, a decay to 1 %."""
    if isinstance(schedule, Warmup):
        return schedule.warmup_steps + schedule_horizon(schedule.inner)
    if isinstance(schedule, Cosine):
        return int(schedule.total_steps * 1.1)
    if isinstance(schedule, StepDecay):
        return 3 * schedule.step_size
    if isinstance(schedule, Exponential) and 0.0 < schedule.gamma < 1.0:
        return int(min(max(math.log(0.01) / math.log(schedule.gamma), 100), 1_000_000))
    if isinstance(schedule, InverseTime) and schedule.decay > 0.0:
        return int(min(max(99.0 / schedule.decay, 100), 1_000_000))  # down to 1 % of the base rate
    return DEFAULT_HORIZON


def _pen(color, dashed: bool = False):
    return pg.mkPen(color=color, width=2, style=Qt.DashLine if dashed else Qt.SolidLine)


MARKER_PEN = pg.mkPen(MARKER_COLOR, width=1, style=Qt.DashLine)


def _plot(axis_items=None) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w", axisItems=axis_items)
    plot.setMenuEnabled(False)
    plot.plotItem.vb.setMouseEnabled(False, False)
    plot.plotItem.hideButtons()
    plot.showGrid(x=False, y=False)
    # pyqtgraph reserves only 0.8 of an axis title's height: a few px below keep "step" whole at the minimum size
    plot.plotItem.layout.setContentsMargins(1, 1, 4, 6)
    return plot


def _swatch(color, dashed: bool) -> str:
    hex_color = QColor(*color).name()
    glyph = "╺╸╺╸" if dashed else "━━━"
    return f'<span style="color:{hex_color}; font-weight:bold">{glyph}</span>'


def _header() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.RichText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)
    return label


def _panel(header: QLabel, plot: pg.PlotWidget) -> QWidget:
    panel = QWidget()
    column = QVBoxLayout(panel)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(header)
    column.addWidget(plot, 1)
    return panel


class LossPlot(QWidget):
    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(parent)
        self.session = session
        self.look = look or Look(self)
        white_background(self)

        self._build_loss_plot()
        self._build_rate_plot()
        self.horizon = 0
        # other runs' (steps, positive losses) the loss axes must also show (compare mode: ui/compare_loss.py)
        self.overlays: list = []
        self._last_step = 0
        self._schedule_origin = 0
        self.log_rates = False  # the η axis is log₁₀ when the schedule spans more than 10×
        self._build_panels()
        self._apply_look()
        self.look.changed.connect(self._on_look_changed)

        self._legend_key = None
        self.legend_text = None  # compare mode: (has_test, has_accuracy) -> the header naming every run's colour
        self._pending = None
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.settings_changed.connect(self._on_session_settings_changed)
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()
        self._on_session_settings_changed()

    def _build_loss_plot(self) -> None:
        """The loss on a log axis, with the accuracy (linear, in %) on the right axis of its own view box."""
        self.loss_header = _header()
        self.loss = _plot({"left": LogAxis("left")})
        item = self.loss.plotItem
        item.setLogMode(x=False, y=True)
        item.vb.disableAutoRange()
        item.showAxis("right")
        item.getAxis("right").setLogMode(False, False)  # the right axis is the accuracy's, linear
        style_axes(item)
        item.getAxis("right").setTicks(ACCURACY_TICKS)
        self.train_curve = self.loss.plot([], [], pen=_pen(TRAIN_COLOR), antialias=False)
        self.test_curve = self.loss.plot([], [], pen=_pen(TEST_COLOR, dashed=True), antialias=False)
        self.accuracy_view = pg.ViewBox(enableMouse=False, enableMenu=False)
        item.scene().addItem(self.accuracy_view)
        item.getAxis("right").linkToView(self.accuracy_view)
        self.accuracy_view.setXLink(item)
        self.accuracy_view.setYRange(0, 100, padding=0.06)
        self.train_accuracy_curve = pg.PlotDataItem([], [], pen=_pen(ACCURACY_COLOR), antialias=False)
        self.test_accuracy_curve = pg.PlotDataItem([], [], pen=_pen(ACCURACY_COLOR, dashed=True), antialias=False)
        self.accuracy_view.addItem(self.train_accuracy_curve)
        self.accuracy_view.addItem(self.test_accuracy_curve)
        item.vb.sigResized.connect(self._on_loss_view_resized)

    def _build_rate_plot(self) -> None:
        """The learning-rate schedule, with a line and a dot at the current step."""
        self.lr_header = _header()
        self.lr = _plot()
        style_axes(self.lr.plotItem)
        self.schedule_curve = self.lr.plot([], [], pen=_pen(LR_COLOR), antialias=False)
        self.step_line = pg.InfiniteLine(pos=0, angle=90, movable=False, pen=MARKER_PEN)
        self.lr.addItem(self.step_line)
        self.rate_dot = pg.ScatterPlotItem([0], [0], size=RATE_DOT_SIZE, pen=pg.mkPen("w", width=1.5),
                                           brush=pg.mkBrush(*MARKER_COLOR))
        self.lr.addItem(self.rate_dot)

    def _build_panels(self) -> None:
        """Loss above η, or side by side when the space is wide and short (see resizeEvent)."""
        self.panels = QBoxLayout(QBoxLayout.TopToBottom, self)
        self.panels.setSizeConstraint(QLayout.SetNoConstraint)  # minimumSizeHint says how small: side by side
        self.panels.setContentsMargins(0, 0, 0, 0)
        self.panels.setSpacing(0)
        self.panels.addWidget(_panel(self.loss_header, self.loss), 3)
        self.panels.addWidget(_panel(self.lr_header, self.lr), 2)

    # -- look and layout --------------------------------------------------------------------
    @property
    def side_by_side(self) -> bool:
        return self.panels.direction() == QBoxLayout.LeftToRight

    def _panel_minimum(self) -> tuple[int, int, int]:
        """(a panel's minimum width, both panels' minimum height stacked, side by side)."""
        heights = [self.panels.itemAt(i).widget().minimumSizeHint().height() for i in range(2)]
        width = max(self.panels.itemAt(i).widget().minimumSizeHint().width() for i in range(2))
        return width, sum(heights), max(heights)

    def minimumSizeHint(self) -> QSize:
        # side by side when the stacked plots do not fit: the smallest this view can be
        width, _stacked, side = self._panel_minimum()
        return QSize(width, side)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._choose_direction()

    def _choose_direction(self) -> None:
        """Stacked (loss above η) when it fits; side by side when the space is wide, or too short to stack."""
        width, stacked, _side = self._panel_minimum()
        fits_side = self.width() >= 2 * width
        wide = self.width() > SIDE_BY_SIDE_RATIO * self.height()
        direction = QBoxLayout.LeftToRight if fits_side and (wide or self.height() < stacked) else QBoxLayout.TopToBottom
        if direction != self.panels.direction():
            self.panels.setDirection(direction)

    @Slot()
    def _on_look_changed(self) -> None:
        self._apply_look()

    def _apply_look(self) -> None:
        """Fonts, pens and minimum sizes from the look's tokens at its current scale."""
        look = self.look
        for header in (self.loss_header, self.lr_header):
            header.setStyleSheet(f"{look.css('header')} color: #1a2a44; background: white; padding: 2px 6px;")
        for plot in (self.loss, self.lr):
            look.style_axes(plot.plotItem)
        look.set_axis_label(self.loss.plotItem, "left", LOSS_TITLE)
        look.set_axis_label(self.loss.plotItem, "bottom", "step")
        look.set_axis_label(self.lr.plotItem, "left", "η (log)" if self.log_rates else "η")
        look.set_axis_label(self.lr.plotItem, "bottom", "step")
        if mode_of(self.session.mode).classification:
            look.set_axis_label(self.loss.plotItem, "right", ACCURACY_TITLE, QColor(*ACCURACY_COLOR).name())
        for curve, color, dashed in ((self.train_curve, TRAIN_COLOR, False), (self.test_curve, TEST_COLOR, True),
                                     (self.train_accuracy_curve, ACCURACY_COLOR, False),
                                     (self.test_accuracy_curve, ACCURACY_COLOR, True),
                                     (self.schedule_curve, LR_COLOR, False)):
            curve.setPen(look.pen(_pen(color, dashed)))
        self.step_line.setPen(look.pen(MARKER_PEN))
        self.rate_dot.setSize(look.size(RATE_DOT_SIZE))
        line = QFontMetrics(look.font("tick")).height()
        self.loss.setMinimumSize(MIN_WIDTH_LINES * line, MIN_LOSS_LINES * line)
        self.lr.setMinimumSize(MIN_WIDTH_LINES * line, MIN_RATE_LINES * line)
        self.updateGeometry()
        self._choose_direction()

    # -- session signals --------------------------------------------------------------------
    @Slot()
    def _on_session_model_changed(self) -> None:
        classification = mode_of(self.session.mode).classification
        self.loss.plotItem.getAxis("right").setVisible(classification)
        if classification:
            self.look.set_axis_label(self.loss.plotItem, "right", ACCURACY_TITLE, QColor(*ACCURACY_COLOR).name())
        self.accuracy_view.setVisible(classification)
        for curve in (self.train_curve, self.test_curve, self.train_accuracy_curve, self.test_accuracy_curve):
            curve.setData([], [])
        self._pending = None
        self._legend_key = None
        self._update_loss_header(False, False)

    @Slot()
    def _on_session_settings_changed(self) -> None:
        snap = self.session.snapshot
        self._draw_schedule(0 if snap is None else snap.step)

    @Slot(object)
    def _on_session_snapshot_changed(self, snapshot) -> None:
        if self._refresh_timer.isActive():
            self._pending = snapshot  # drawn when the timer fires: at most one frame per interval
            return
        self._draw(snapshot)
        self._refresh_timer.start()

    def redraw(self) -> None:
        """Draw the newest snapshot again: another run's curve (compare mode) may need wider ranges."""
        if self.session.snapshot is not None:
            self._on_session_snapshot_changed(self.session.snapshot)

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        if self._pending is not None:
            snapshot, self._pending = self._pending, None
            self._draw(snapshot)
            self._refresh_timer.start()

    def _draw(self, snapshot) -> None:
        steps = np.asarray(snapshot.loss_steps, dtype=float)
        train = self._set_positive(self.train_curve, steps, snapshot.train_loss)
        test = self._set_positive(self.test_curve, steps, snapshot.test_loss)
        has_accuracy = self._set_finite(self.train_accuracy_curve, steps, snapshot.train_accuracy)
        self._set_finite(self.test_accuracy_curve, steps, snapshot.test_accuracy)
        self._update_loss_header(test.size > 0, has_accuracy)
        others = [overlay() for overlay in self.overlays]
        self._set_loss_range(np.concatenate([steps, *(s for s, _ in others)]),
                             np.concatenate([train, test, *(losses for _, losses in others)]))
        if (snapshot.step > self.horizon or snapshot.step < self._last_step  # beyond it, or a reset
                or snapshot.schedule_origin != self._schedule_origin):      # the schedule was restarted
            self._draw_schedule(snapshot.step)
        self._last_step = snapshot.step
        self.step_line.setValue(snapshot.step)
        rate = snapshot.learning_rate
        self.rate_dot.setData([snapshot.step], [math.log10(rate) if self.log_rates and rate > 0 else rate])
        self._update_lr_header(snapshot.step, snapshot.learning_rate)

    @Slot()
    def _on_loss_view_resized(self) -> None:
        vb = self.loss.plotItem.vb
        self.accuracy_view.setGeometry(vb.sceneBoundingRect())
        self.accuracy_view.linkedViewChanged(vb, self.accuracy_view.XAxis)

    # -- drawing ----------------------------------------------------------------------------
    @staticmethod
    def _set_positive(curve, steps, values) -> np.ndarray:
        """Plot the finite, positive values (a log axis cannot show the rest); returns them."""
        values = np.asarray(values, dtype=float)
        keep = np.isfinite(values) & (values > 0)
        curve.setData(steps[keep], values[keep])
        return values[keep]

    def _set_loss_range(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Set the ranges by hand (autorange would repaint the plot twice a frame)."""
        self.loss.setXRange(0.0, max(float(steps.max()) if steps.size else 0.0, 10.0), padding=0.02)
        if losses.size:
            low, high = np.log10(losses.min()), np.log10(losses.max())
            high = min(high, low + MAX_DECADES)  # a diverged loss (1e126) must not pile up 100 tick labels
            middle, half = (low + high) / 2, max((high - low) / 2, 0.25)
            self.loss.setYRange(middle - 1.06 * half, middle + 1.06 * half, padding=0.0)

    @staticmethod
    def _set_finite(curve, steps, fractions) -> bool:
        fractions = np.asarray(fractions, dtype=float)
        keep = np.isfinite(fractions)
        curve.setData(steps[keep], 100.0 * fractions[keep])
        return bool(keep.any())

    def refresh_legend(self) -> None:
        """Write the loss header again (compare mode changed ``legend_text`` or its runs)."""
        key, self._legend_key = self._legend_key, None
        self._update_loss_header(*(key or (False, False)))

    def _update_loss_header(self, has_test: bool, has_accuracy: bool) -> None:
        key = (has_test, has_accuracy)
        if key == self._legend_key:
            return
        self._legend_key = key
        if self.legend_text is not None:
            self.loss_header.setText(self.legend_text(has_test, has_accuracy))
            return
        text = f"<b>Loss</b> {_swatch(TRAIN_COLOR, False)} train"
        if has_test:
            text += f" {_swatch(TEST_COLOR, True)} test"
        if has_accuracy:
            text += f" &nbsp;&nbsp; <b>Accuracy</b> {_swatch(ACCURACY_COLOR, False)} train"
            if has_test:
                text += f" {_swatch(ACCURACY_COLOR, True)} test"
        self.loss_header.setText(text)

    def _draw_schedule(self, step: int) -> None:
        """Evaluate the schedule on SCHEDULE_POINTS steps from 0 to max(1.2 × step, its horizon)."""
        try:
            schedule = self.session.settings.make_schedule()
        except ValueError:
            return
        self.schedule = schedule
        snap = self.session.snapshot
        # the schedule's clock starts at its origin (a restart moves it there): draw it from that step on
        origin = self._schedule_origin = 0 if snap is None else snap.schedule_origin
        self.horizon = max(int(step * 1.2), origin + schedule_horizon(schedule), 10)
        steps = np.unique(np.linspace(origin, self.horizon, SCHEDULE_POINTS).astype(np.int64))
        rates = np.array([schedule(int(t - origin)) for t in steps])
        self.lr.setXRange(0, self.horizon, padding=0.02)
        # A staircase of 10× drops is invisible after the first on a linear axis: plot log₁₀ η then.
        self.log_rates = bool(rates.min() > 0 and rates.max() / rates.min() > 10)
        if self.log_rates:
            exponents = np.log10(rates)
            low, high = math.floor(exponents.min()), math.ceil(exponents.max())
            self.schedule_curve.setData(steps, exponents)
            self.lr.setYRange(low, high, padding=0.08)
            self.lr.getAxis("left").setTicks([[(k, format_rate(10.0 ** k)) for k in range(low, high + 1)], []])
        else:
            self.schedule_curve.setData(steps, rates)
            top = max(float(rates.max()), 1e-12)
            self.lr.setYRange(0, top, padding=0.12)
            # three labelled ticks: a short plot with six crowded labels reads worse than 0, ½ and the top
            self.lr.getAxis("left").setTicks([[(v, format_rate(v)) for v in (0.0, top / 2, top)], []])
        self.look.set_axis_label(self.lr.plotItem, "left", "η (log)" if self.log_rates else "η")
        describe = getattr(schedule, "describe", None)
        self._schedule_text = describe() if describe else type(schedule).__name__
        if origin:
            self._schedule_text += f", restarted at step {origin:,}"
        if snap is not None:
            self._update_lr_header(snap.step, snap.learning_rate)
        else:
            self._update_lr_header(0, schedule(0))

    def _update_lr_header(self, step: int, rate: float) -> None:
        # (the step is where the red marker stands, and in the status bar: the header stays one line)
        self.lr_header.setText(f"<b>Learning rate η</b> &nbsp; {self._schedule_text} &nbsp; "
                               f'<span style="color:{QColor(*MARKER_COLOR).name()}">● now {rate:.3g}</span>')
