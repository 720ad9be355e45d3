"""A compare scene's step budget in the window: Play pauses every run at ``CompareScene.steps``, where the scene's
point shows (trained on, it can vanish: after ~23,000 steps tanh too reaches 100 % in compare-flat).

Each run lands on the budget exactly: while it plays, once it is within a few snapshots' steps of the budget it is
paused; when its paused snapshot arrives, a ``Step`` takes it the rest of the way. When every run is there the
status bar says so, and that Play goes on. A run at or past the budget is left alone, so Play after the pause
trains on without limit; Reset (step 0) brings the budget back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from ..data.compare_scenes import COMPARE_SCENES
from .compare_runs import CompareRuns
from .session import Session

LOOKAHEAD_SNAPSHOTS = 3  # pause this many snapshots' worth of steps before the budget: a Pause takes a while to land


class StepBudget(QObject):
    def __init__(self, runs: CompareRuns, parent=None):
        super().__init__(parent)
        self.runs = runs
        self._watched: set[int] = set()
        self._landing: set[int] = set()  # runs paused short of the budget, to be stepped onto it
        self._last_step: dict[int, int] = {}
        self._announced = False
        runs.runs_changed.connect(self._on_runs_changed)

    @property
    def steps(self) -> int | None:
        """The open compare scene's budget, or None (not a compare scene: a duplicated run, a file of another)."""
        scene = COMPARE_SCENES.get(self.runs.key) if self.runs.active else None
        return None if scene is None else scene.steps

    @Slot()
    def _on_runs_changed(self) -> None:
        for run in self.runs.runs:
            if id(run) not in self._watched:
                self._watched.add(id(run))
                run.snapshot_changed.connect(lambda snap, run=run: self._on_snapshot(run, snap))
                run.destroyed.connect(lambda *_args, key=id(run): self._watched.discard(key))
        self._announced = False

    def _on_snapshot(self, run: Session, snap) -> None:
        budget = self.steps
        if budget is None or snap is None:
            return
        key, last = id(run), self._last_step.get(id(run), snap.step)
        self._last_step[key] = snap.step
        if snap.step < last or snap.step == 0:
            self._announced = False  # a reset: the budget holds again
        if key in self._landing:
            if run.up_to_date and not run.playing:
                self._landing.discard(key)
                if snap.step < budget:
                    run.step(budget - snap.step)
            return
        if run.playing and snap.step < budget:
            stride = max(snap.step - last, 1)
            if budget - snap.step <= LOOKAHEAD_SNAPSHOTS * stride:
                self._landing.add(key)
                run.pause()
        elif not run.playing and snap.step >= budget and run.up_to_date:
            self._announce_when_all_there(budget)

    def _announce_when_all_there(self, budget: int) -> None:
        runs = self.runs.runs
        if self._announced or any(r.playing or r.snapshot is None or r.snapshot.step < budget for r in runs):
            return
        if any(r.snapshot.step == budget for r in runs):  # not when every run was already past it (Play went on)
            self._announced = True
            # short: the status bar shares its line with the step, loss and speed readout
            self.runs.main.message.emit(f"All runs paused at step {budget:,} (the scene's budget); Play goes on")
