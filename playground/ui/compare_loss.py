"""Compare mode in the loss and η plots: every other run's training loss and schedule over run 1's, each in its run's
colour (run 1 keeps the loss plot's own blue, which is its colour in the panels too).

Curves are made once per run and fed with ``setData`` at the loss plot's own pace (``loss_plot.REFRESH_MS``); the
loss axes take the other runs' losses into their range through ``LossPlot.overlays``. The η plot is drawn on
run 1's axis (linear, or log₁₀ when run 1's schedule spans more than 10×); the range widens to show every schedule.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer, Slot

from .compare_run import RUN_COLORS
from .compare_runs import CompareRuns
from .log_axis import format_rate
from .loss_plot import LR_COLOR, REFRESH_MS, SCHEDULE_POINTS, LossPlot, _pen


class CompareLossOverlay(QObject):
    def __init__(self, loss_plot: LossPlot, runs: CompareRuns, parent=None):
        super().__init__(parent)
        self.loss_plot, self.runs = loss_plot, runs
        self.loss_curves: list[pg.PlotDataItem] = []
        self.schedule_curves: list[pg.PlotDataItem] = []
        self._schedule_key = None
        self._main_step = None  # run 1's step at the last refresh
        loss_plot.overlays.append(self._losses_shown)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        runs.runs_changed.connect(self._on_runs_changed)
        loss_plot.look.changed.connect(self._on_look_changed)  # after the loss plot's own pens are set

    @Slot()
    def _on_look_changed(self) -> None:
        for i, (loss, schedule) in enumerate(zip(self.loss_curves, self.schedule_curves), start=1):
            pen = self.loss_plot.look.pen(_pen(RUN_COLORS[i % len(RUN_COLORS)]))
            loss.setPen(pen)
            schedule.setPen(pen)
        self._colour_run_1()

    def _colour_run_1(self) -> None:
        """Run 1's schedule in its run colour while other schedules are drawn beside it, else the plot's grey."""
        colour = RUN_COLORS[0] if self.runs.extras else LR_COLOR
        self.loss_plot.schedule_curve.setPen(self.loss_plot.look.pen(_pen(colour)))

    @Slot()
    def _on_runs_changed(self) -> None:
        extras = self.runs.extras
        while len(self.loss_curves) < len(extras):
            color = RUN_COLORS[(len(self.loss_curves) + 1) % len(RUN_COLORS)]
            pen = self.loss_plot.look.pen(_pen(color))
            self.loss_curves.append(self.loss_plot.loss.plot([], [], pen=pen, antialias=False))
            self.schedule_curves.append(self.loss_plot.lr.plot([], [], pen=pen, antialias=False))
        for curve in self.loss_curves[len(extras):] + self.schedule_curves[len(extras):]:
            curve.setData([], [])
        self._schedule_key = None
        self._colour_run_1()
        self._timer.start() if extras else self._timer.stop()
        self._on_timer_timeout()

    def _losses_shown(self) -> tuple[np.ndarray, np.ndarray]:
        """The other runs' (steps, positive training losses), for the loss plot's range."""
        steps, losses = [np.zeros(0)], [np.zeros(0)]
        for run in self.runs.extras:
            snap = run.snapshot
            if snap is not None:
                values = np.asarray(snap.train_loss, dtype=float)
                keep = np.isfinite(values) & (values > 0)
                steps.append(np.asarray(snap.loss_steps, dtype=float)[keep])
                losses.append(values[keep])
        return np.concatenate(steps), np.concatenate(losses)

    @Slot()
    def _on_timer_timeout(self) -> None:
        for run, curve in zip(self.runs.extras, self.loss_curves):
            snap = run.snapshot
            if snap is None:
                continue
            values = np.asarray(snap.train_loss, dtype=float)
            keep = np.isfinite(values) & (values > 0)
            curve.setData(np.asarray(snap.loss_steps, dtype=float)[keep], values[keep])
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
