"""Ctrl+Z in compare mode: a removed run comes back exactly as it was, a duplicated run goes again, and a setting
changed from a run's ⋮ menu goes back (its network, weights, training state and settings from before the change).

A removed run is kept whole, paused, with its worker process (its weights, optimizer state, step and curves stay
where they were, no copy to make); Ctrl+Z puts it back at its place, with its label and colour, on the current
points. Up to ``LIMIT`` steps are kept; a run that falls out of the history (or the history cleared by another
scene) is closed then.

The steps are woven into the main session's undo (points and network rebuilds, ui/session_undo.py) by where that
history stood when each was made (``position``): one Ctrl+Z takes back whichever came last, and at the same place
the runs' step is the newer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compare_run import RunSession

LIMIT = 4  # run steps kept for undo; each removed run keeps an idle worker process until it falls out


@dataclass
class KeptRun:
    """A run out of the panels, as it stood there."""

    run: RunSession
    index: int                   # its panel (1.. : run 1 is the main run, never removed)
    label: str | None            # the scene's label for it, while it still described the run
    labelled: dict | None        # the run's facts when it got that label
    colour_slot: int
    key: str | None              # the compare scene it belongs to


@dataclass(frozen=True)
class Removed:
    kept: KeptRun                # undo: put it back


@dataclass(frozen=True)
class Added:
    index: int                   # undo: take the run at this panel out again


@dataclass(frozen=True)
class Changed:
    """A run's setting changed from its ⋮ menu; undo: its network, weights and settings as they were before."""

    run: RunSession
    memo: list                   # [NetworkMemo] once the worker answered (empty until then: not undoable yet)
    label: tuple                 # (the scene's label, the facts it was given for) before the change

    @property
    def ready(self) -> bool:
        return bool(self.memo)


class CompareHistory:
    def __init__(self, runs):
        self.runs = runs  # a CompareRuns: it detaches and inserts runs for us
        self._undo: list[tuple[tuple[int, int], Removed | Added]] = []
        self._redo: list[tuple[tuple[int, int], Removed | Added]] = []
        runs.main.woven_history = self

    def position(self) -> tuple[int, int]:
        """Where the main session's own history stands: its points' and its rebuilds' undo depths."""
        main = self.runs.main
        return main.edits.undo_depth, main.networks.depth

    # -- recording ----------------------------------------------------------------------------
    def record(self, step: Removed | Added) -> None:
        """A run was removed or added by the user: a new step (what was undone cannot be redone any more)."""
        self._undo.append((self.position(), step))
        for _, dropped in self._undo[:-LIMIT]:
            self._close(dropped)
        del self._undo[:-LIMIT]
        self._drop(self._redo)
        self.runs.main.history_changed.emit()

    def record_change(self, index: int) -> None:
        """Run ``index`` (not the main run, whose own undo keeps its rebuilds) is about to change a setting: keep
        its network and state from before (the request goes before the change's commands)."""
        if index == 0:
            return
        step = Changed(self.runs.runs[index], [], self.runs.label_state(index))
        self._keep_network(step)
        self.record(step)

    def _keep_network(self, step: Changed) -> None:
        """Fill ``step`` with its run's network as it is before the next command; undo is enabled once it is."""
        def kept(memo) -> None:
            step.memo.append(memo)
            self.runs.main.history_changed.emit()
        step.run.keep_network(kept)

    def clear(self) -> None:
        """Another scene, a file or leaving compare mode: the kept runs belong to what was there."""
        if self._undo or self._redo:
            self._drop(self._undo)
            self._drop(self._redo)
            self.runs.main.history_changed.emit()

    def _drop(self, steps: list) -> None:
        for _, step in steps:
            self._close(step)
        steps.clear()

    @staticmethod
    def _close(step) -> None:
        if isinstance(step, Removed):
            step.kept.run.close()
            step.kept.run.deleteLater()

    # -- undo and redo (the session asks first, see SessionUndo.woven_history) --------------------------
    def can_undo(self) -> bool:
        return bool(self._undo) and self._undo[-1][0] == self.position() and _ready(self._undo[-1][1])

    def can_redo(self) -> bool:
        return bool(self._redo) and self._redo[-1][0] == self.position() and _ready(self._redo[-1][1])

    def undo(self) -> None:
        position, step = self._undo.pop()
        self._redo.append((position, self._apply(step, "undone")))

    def redo(self) -> None:
        position, step = self._redo.pop()
        self._undo.append((position, self._apply(step, "redone")))

    def _apply(self, step: Removed | Added | Changed, done: str) -> Removed | Added | Changed:
        """Do ``step``; returns the step that takes it back."""
        if isinstance(step, Changed):
            index = self.runs.runs.index(step.run)
            back = Changed(step.run, [], self.runs.label_state(index))
            self._keep_network(back)  # before the restore's commands: the network as it is now
            step.run.restore_network(step.memo[0], done)
            if self.runs.main.playing:
                step.run.play()  # it rejoins the others
            self.runs.set_label_state(index, step.label)
            self.runs.main.message.emit(f"{done}: run {index + 1}'s change from its ⋮ menu ({self.runs.labels[index]})")
            return back
        if isinstance(step, Removed):
            index = self.runs.insert(step.kept)
            self.runs.main.message.emit(f"{done}: run {index + 1} is back where it was")
            return Added(index)
        kept = self.runs.detach(step.index)
        self.runs.main.message.emit(f"{done}: run {step.index + 1} is out of the panels again")
        return Removed(kept)


def _ready(step) -> bool:
    return not isinstance(step, Changed) or step.ready
