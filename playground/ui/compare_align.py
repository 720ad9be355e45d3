"""Pause lines the runs up at one step. Each run trains in its own process, so while they play they stand a few steps
apart, and two runs of the same settings show different numbers (a newcomer took it for a bug: at the same step they
are equal, ``tests/test_ui_compare_same_runs.py``). When the teacher pauses, the runs that stopped a little behind
step up to the one furthest on, so the paused headers compare like with like, and the status bar says the step.

Only a small lag is made up, at most ``MAX_CATCH_UP_SECONDS`` of training at the current speed (at full speed,
``FULL_SPEED_SHARE`` of the step): a run that stands far behind on purpose (its seed changed from its ⋮ menu, which
restarts it; a removed run brought back) is left where it is.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Slot

from .compare_runs import CompareRuns

MAX_CATCH_UP_SECONDS = 1.0  # a lag from the processes' timing is a few snapshots (~0.1 s); more is on purpose
FULL_SPEED_SHARE = 0.05  # the speed "as fast as it goes" has no steps per second to count from
WAIT_SECONDS = 5.0  # for every run's paused snapshot; a frozen worker is the watchdog's, not ours
POLL_MS = 40


class PauseAlignment(QObject):
    def __init__(self, runs: CompareRuns, parent=None):
        super().__init__(parent)
        self.runs = runs
        self._deadline = 0.0
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def waiting(self) -> bool:
        """Waiting for the runs' paused snapshots, to line them up."""
        return self._timer.isActive()

    def paused(self) -> None:
        """After the window's Pause (every run was told to pause): line them up once they have all stopped."""
        if self.runs.active:
            self._deadline = time.monotonic() + WAIT_SECONDS
            self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        runs = self.runs.runs
        if not self.runs.active or any(r.playing for r in runs) or time.monotonic() > self._deadline:
            self._timer.stop()  # Play again, compare mode left, or a run that never answered
            return
        if any(r.snapshot is None or not r.up_to_date for r in runs):
            return
        self._timer.stop()
        last = max(r.snapshot.step for r in runs)
        speed = self.runs.main.steps_per_second
        most = MAX_CATCH_UP_SECONDS * speed if speed else FULL_SPEED_SHARE * last
        behind = [r for r in runs if 0 < last - r.snapshot.step <= most]
        for run in behind:
            run.step(last - run.snapshot.step)
        if behind and all(last - r.snapshot.step <= most for r in runs):
            self.runs.main.message.emit(f"paused: every run at step {last:,}")
