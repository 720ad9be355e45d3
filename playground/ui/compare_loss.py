"""Compare mode in the loss and η plots: every run's training loss (solid), test loss (dashed) and, for
classification, training accuracy (dotted, on the accuracy axis) and schedule, each in its run's colour; the loss
header names the runs by colour.

Run 1 is drawn by the loss plot itself: compare mode only re-pens its curves in run 1's colour (its test loss was
the plot's vermillion, which read as run 2's orange). Curves are made once per run and fed with ``setData`` at the
loss plot's own pace (``loss_plot.REFRESH_MS``); the loss axes take the other runs' losses into their range through
``LossPlot.overlays``. The η plot is drawn on run 1's axis (linear, or log₁₀ when run 1's schedule spans more than
10×); the range widens to show every schedule.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QColor

from ..data.scene import mode_of
from .compare_runs import CompareRuns
from .log_axis import format_rate
from .loss_plot import REFRESH_MS, SCHEDULE_POINTS, LossPlot, _pen

TEST_STYLE, ACCURACY_STYLE = Qt.DashLine, Qt.DotLine


def _styled(rgb, style=Qt.SolidLine):
    pen = _pen(rgb)
    pen.setStyle(style)
    return pen


def _positive(steps, values) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(values) & (values > 0)
    return np.asarray(steps, dtype=float)[keep], values[keep]


class RunCurves:
    """One other run's curves: training loss, test loss, training accuracy and schedule."""

    def __init__(self, loss_plot: LossPlot):
        self.loss = loss_plot.loss.plot([], [], antialias=False)
        self.test = loss_plot.loss.plot([], [], antialias=False)
        self.accuracy = pg.PlotDataItem([], [], antialias=False)
        loss_plot.accuracy_view.addItem(self.accuracy)
        self.schedule = loss_plot.lr.plot([], [], antialias=False)

    def all(self):
        return self.loss, self.test, self.accuracy, self.schedule

    def set_colour(self, look, rgb) -> None:
        self.loss.setPen(look.pen(_styled(rgb)))
        self.test.setPen(look.pen(_styled(rgb, TEST_STYLE)))
        self.accuracy.setPen(look.pen(_styled(rgb, ACCURACY_STYLE)))
        self.schedule.setPen(look.pen(_styled(rgb)))

    def clear(self) -> None:
        for curve in self.all():
            curve.setData([], [])

    def show(self, snap) -> None:
        self.loss.setData(*_positive(snap.loss_steps, snap.train_loss))
        self.test.setData(*_positive(snap.loss_steps, snap.test_loss))
        accuracy = np.asarray(snap.train_accuracy, dtype=float)
        keep = np.isfinite(accuracy)
        self.accuracy.setData(np.asarray(snap.loss_steps, dtype=float)[keep], 100.0 * accuracy[keep])


class CompareLossOverlay(QObject):
    def __init__(self, loss_plot: LossPlot, runs: CompareRuns, parent=None):
        super().__init__(parent)
        self.loss_plot, self.runs = loss_plot, runs
        self.curves: list[RunCurves] = []
        self._schedule_key = None
        self._main_step = None  # run 1's step at the last refresh
        loss_plot.overlays.append(self._losses_shown)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        runs.runs_changed.connect(self._on_runs_changed)
        loss_plot.look.changed.connect(self._on_look_changed)  # after the loss plot's own pens are set

    # the curves by kind, for tests and callers that read one kind
    @property
    def loss_curves(self) -> list[pg.PlotDataItem]:
        return [c.loss for c in self.curves]

    @property
    def test_curves(self) -> list[pg.PlotDataItem]:
        return [c.test for c in self.curves]

    @property
    def accuracy_curves(self) -> list[pg.PlotDataItem]:
        return [c.accuracy for c in self.curves]

    @property
    def schedule_curves(self) -> list[pg.PlotDataItem]:
        return [c.schedule for c in self.curves]

    @Slot()
    def _on_look_changed(self) -> None:
        self._colour_curves()

    def _colour_curves(self) -> None:
        """Every run's curves in its colour; run 1's own curves too while other runs are drawn beside them."""
        plot, look = self.loss_plot, self.loss_plot.look
        colours = self.runs.colours
        for curves, rgb in zip(self.curves, colours[1:]):
            curves.set_colour(look, rgb)
        if not self.runs.extras:
            plot.legend_text = None
            plot.test_accuracy_curve.setVisible(True)
            plot._apply_look()  # the loss plot's own pens again
            plot.refresh_legend()
            return
        first = colours[0]
        plot.train_curve.setPen(look.pen(_styled(first)))
        plot.test_curve.setPen(look.pen(_styled(first, TEST_STYLE)))
        plot.train_accuracy_curve.setPen(look.pen(_styled(first, ACCURACY_STYLE)))
        plot.test_accuracy_curve.setVisible(False)  # one accuracy line per run: the training one
        plot.schedule_curve.setPen(look.pen(_styled(first)))
        plot.legend_text = self._legend
        plot.refresh_legend()

    def _legend(self, has_test: bool, has_accuracy: bool) -> str:
        """The loss header in compare mode: each run's number in its colour, then what each line style means."""
        runs = " ".join(f'<span style="color:{QColor(*rgb).name()}; font-weight:bold">━ {i}</span>'
                        for i, rgb in enumerate(self.runs.colours, start=1))
        text = f"<b>Runs</b> {runs} &nbsp; ━ train loss"
        if has_test:  # the runs share their points, so run 1 has a test set when any run has
            text += " &nbsp;╺╸╺╸ test loss"
        if has_accuracy:
            text += " &nbsp;┅┅ accuracy %"
        return text

    @Slot()
    def _on_runs_changed(self) -> None:
        extras = self.runs.extras
        while len(self.curves) < len(extras):
            self.curves.append(RunCurves(self.loss_plot))
        for curves in self.curves[len(extras):]:
            curves.clear()
        for curves in self.curves[:len(extras)]:
            curves.accuracy.setVisible(mode_of(self.runs.mode).classification)
        self._schedule_key = None
        self._colour_curves()
        self._timer.start() if extras else self._timer.stop()
        self._on_timer_timeout()

    def _losses_shown(self) -> tuple[np.ndarray, np.ndarray]:
        """The other runs' (steps, positive training and test losses), for the loss plot's range."""
        steps, losses = [np.zeros(0)], [np.zeros(0)]
        for run in self.runs.extras:
            snap = run.snapshot
            if snap is not None:
                for values in (snap.train_loss, snap.test_loss):
                    s, v = _positive(snap.loss_steps, values)
                    steps.append(s)
                    losses.append(v)
        return np.concatenate(steps), np.concatenate(losses)

    @Slot()
    def _on_timer_timeout(self) -> None:
        for run, curves in zip(self.runs.extras, self.curves):
            if run.snapshot is not None:
                curves.show(run.snapshot)
        self._draw_schedules()
        snap = self.runs.main.snapshot
        if snap is not None and snap.step == self._main_step:
            self.loss_plot.redraw()  # run 1 stopped (diverged, paused): the others' curves still move the ranges
        self._main_step = None if snap is None else snap.step

    def _draw_schedules(self) -> None:
        """Each other run's schedule over the η plot's horizon, redrawn only when the horizon or a schedule changes."""
        plot = self.loss_plot
        settings = [run.settings for run in self.runs.extras]
        key = (plot.horizon, plot.log_rates, repr(self.runs.main.settings), repr(settings))
        if key == self._schedule_key or not plot.horizon:
            return
        self._schedule_key = key
        steps = np.unique(np.linspace(0, plot.horizon, SCHEDULE_POINTS).astype(np.int64))
        shown = []
        for run, curve in zip(self.runs.extras, self.schedule_curves):
            try:
                schedule = run.settings.make_schedule()
            except ValueError:
                continue
            rates = np.array([schedule(int(t)) for t in steps])
            values = np.log10(np.maximum(rates, 1e-300)) if plot.log_rates else rates
            curve.setData(steps, values)
            shown.append(values)
        if shown:
            self._widen_rate_axis(np.concatenate(shown))

    def _widen_rate_axis(self, values: np.ndarray) -> None:
        """Run 1's η range, widened to hold the other runs' schedules (ticks as the loss plot labels them)."""
        plot = self.loss_plot
        run1 = plot.schedule_curve.getData()[1]
        if run1 is None or not len(run1):
            return
        every = np.concatenate([run1, values])
        axis = plot.lr.getAxis("left")
        if plot.log_rates:
            low, high = math.floor(every.min()), math.ceil(every.max())
            plot.lr.setYRange(low, high, padding=0.08)
            axis.setTicks([[(k, format_rate(10.0 ** k)) for k in range(low, high + 1)], []])
        else:
            top = max(float(every.max()), 1e-12)
            plot.lr.setYRange(0, top, padding=0.12)
            axis.setTicks([[(v, format_rate(v)) for v in (0.0, top / 2, top)], []])
