"""Compare mode's runs: the main session (run 1) and up to three ``RunSession``s beside it, on the same points.

Each extra run has its own worker (a process in the app: the runs spread over the cores), network, settings,
optimizer state and step. The main session's points go to every run after each edit; Play, Step and Reset act on
all (``follow_transport``); the speed follows the main session's. Compare mode ends when the main session gets
another scene or mode, or with ``leave`` / ``make_main``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal, Slot

from ..data import session_file
from ..data.compare import MAX_RUNS, CompareScene
from ..data.compare_file import SavedCompare
from .compare_run import (
    RUN_COLORS,
    RunSession,
    describe_differences,
    hand_set_parameters,
    run_facts,
    scene_documents,
)
from .compare_undo import Added, CompareHistory, KeptRun, Removed
from .session import Session

# Up to four workers training flat out on two cores would starve the window that draws them (measured: 4–8 frames/s
# of each panel at full speed); a lower priority for every run's worker keeps the panels drawing and the runs even.
# Only once a worker has started: a new process imports numpy first, which at a low priority on a busy machine
# took minutes (measured here: a run with no picture after 12 s beside three that trained).
WORKER_NICENESS = 5


class WorkerPriority:
    """Lowers each run's worker process to ``WORKER_NICENESS`` at its first snapshot in compare mode (a restarted
    worker too). The main run's stays lowered after compare mode: raising a priority again needs privileges."""

    def __init__(self, comparing: Callable[[], bool]):
        self._comparing = comparing
        self._lowered: set[int] = set()

    def follow(self, session: Session) -> None:
        session.snapshot_changed.connect(lambda _snapshot: self._lower(session))

    def _lower(self, session: Session) -> None:
        process = getattr(session.link.endpoint, "process", None)  # a worker thread has none
        pid = None if process is None else process.pid
        if pid is None or pid in self._lowered or not self._comparing() or not hasattr(os, "setpriority"):
            return
        self._lowered.add(pid)
        try:
            os.setpriority(os.PRIO_PROCESS, pid, WORKER_NICENESS)
        except OSError:
            pass  # gone already, or not ours to change: it trains at normal priority


class CompareRuns(QObject):
    runs_changed = Signal()  # a run came or went, or what differs between them changed (the labels)

    def __init__(self, main: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.main = main
        self.extras: list[RunSession] = []
        self._scene_labels: list[str | None] = [None]  # a scene's (or a file's) label per run
        self._labelled: list[dict | None] = [None]  # each run's network and settings when it got that label
        self._colour_slots: list[int] = [0]  # each run's index into RUN_COLORS, kept for the run's life
        self.key: str | None = None  # the main session's scene while compare mode is on
        self._filling = False  # runs are being added together: one runs_changed when all are there
        self._priority = WorkerPriority(lambda: self.active)
        self._priority.follow(main)
        self.history = CompareHistory(self)  # Ctrl+Z brings a removed run back, takes a duplicated one away
        self.mode = main.mode
        main.points_changed.connect(self._on_main_points_changed)
        main.settings_changed.connect(self._on_main_settings_changed)
        main.model_changed.connect(self._on_main_model_changed)
        main.scene_replaced.connect(self._on_main_scene_replaced)

    # -- read-only views ------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return bool(self.extras)

    @property
    def runs(self) -> list[Session]:
        """Every run in panel order; run 1 is the main session."""
        return [self.main, *self.extras]

    @property
    def labels(self) -> list[str]:
        """What each run is: the scene's words, or what differs from the others once a run was changed."""
        auto = describe_differences(self.runs)
        return [self._given_label(i) or made for i, made in enumerate(auto)]

    @property
    def colours(self) -> list[tuple[int, int, int]]:
        """Each run's colour in panel order: a run keeps its colour when another is removed."""
        return [RUN_COLORS[slot % len(RUN_COLORS)] for slot in self._colour_slots]

    def _given_label(self, index: int) -> str | None:
        """Run ``index``'s scene label while it still describes the run (not after the controls or its menu
        changed it: then the label says what differs)."""
        label = self._scene_labels[index]
        return label if label and self._labelled[index] == run_facts(self.runs[index]) else None

    def _set_labels(self, labels) -> None:
        self._scene_labels = list(labels)
        self._labelled = [run_facts(run) for run in self.runs]

    # -- entering and leaving ----------------------------------------------------------------
    def open_scene(self, scene: CompareScene) -> None:
        """Compare mode on ``scene``: the main session becomes its first run, a new run each for the others."""
        self.leave()
        self.main.pause()
        docs = scene_documents(scene, self.main.steps_per_second)
        self.key, self.mode = scene.key, docs[0].mode
        self.main.apply_document(docs[0])
        self._hand_set(self.main, scene, 0)
        self._filling = True
        for i, doc in enumerate(docs[1:], start=1):
            run = self._new_run()
            run.apply_document(doc)
            self._hand_set(run, scene, i)
        self._filling = False
        self._set_labels(run.label for run in scene.runs)
        self.main.message.emit(f"compare mode: {len(scene.runs)} runs on the same points; Play trains them all")
        self.runs_changed.emit()

    @staticmethod
    def _hand_set(session: Session, scene: CompareScene, index: int) -> None:
        flat = hand_set_parameters(scene, scene.runs[index], session.layer_sizes)
        if flat is not None:
            session.set_parameters(flat)

    def leave(self) -> None:
        """Back to one run: the main session stays as it is; the other runs' workers stop."""
        self.history.clear()
        if not self.extras:
            return
        for run in self.extras:
            run.close()
            run.deleteLater()
        self.extras = []
        self._scene_labels, self._labelled = [None], [None]
        self._colour_slots = [0]
        self.key = None
        self.runs_changed.emit()

    def _new_run(self) -> RunSession:
        run = RunSession(self.main, self)
        self._priority.follow(run)
        self.extras.append(run)
        self._scene_labels.append(None)
        self._labelled.append(None)
        self._colour_slots.append(min(set(range(len(RUN_COLORS) + 1)) - set(self._colour_slots)))
        run.settings_changed.connect(self._on_run_changed)
        run.model_changed.connect(self._on_run_changed)
        return run

    # -- session files ------------------------------------------------------------------------
    def document(self, timeout: float = 1.0) -> session_file.SessionDocument:
        """The main session's document, with the other runs (their weights, optimizer state and step) in compare
        mode; OSError if a worker does not answer in time."""
        doc = self.main.document(timeout)
        if not self.active:
            return doc
        runs = tuple(run.document(timeout) for run in self.extras)
        labels = tuple(self._given_label(i) for i in range(len(self.runs)))
        return replace(doc, compare=SavedCompare(labels, runs))

    def with_runs(self, doc: session_file.SessionDocument, timeout: float = 0.5) -> session_file.SessionDocument:
        """``doc`` (run 1's, e.g. the autosave's) with the other runs added in compare mode; a run whose worker
        does not answer in time gives the newest state the window knows (an autosave must not fail on it)."""
        if not self.active:
            return doc
        runs = tuple(run.document(timeout, fallback=True) for run in self.extras)
        labels = tuple(self._given_label(i) for i in range(len(self.runs)))
        return replace(doc, compare=SavedCompare(labels, runs))

    def apply_document(self, doc: session_file.SessionDocument) -> None:
        """Become the saved session: compare mode again with its runs where they were, or one run."""
        self.leave()
        self.main.apply_document(doc)
        if doc.compare is None:
            return
        self.key, self.mode = doc.preset, doc.mode
        self._filling = True
        for run_doc in doc.compare.runs:
            self._new_run().apply_document(run_doc)
        self._filling = False
        self._set_labels(doc.compare.labels)
        self.runs_changed.emit()

    # -- the mouse's actions ---------------------------------------------------------------------
    def duplicate(self, index: int, then: Callable[[RunSession], None] | None = None) -> bool:
        """A new run copied from run ``index`` (its network, weights, optimizer state, step and curves), added
        once that run's worker answers; ``then(new_run)`` runs after. False if there are ``MAX_RUNS`` already."""
        if len(self.runs) >= MAX_RUNS:
            self.main.message.emit(f"compare mode shows at most {MAX_RUNS} runs; remove one first")
            return False
        source = self.runs[index]
        if not self.active:
            self.key, self.mode = self.main.preset, self.main.mode

        def answered(state: dict | None, error: str | None) -> None:
            if error is not None or state is None:
                self.main.message.emit(f"run {index + 1} could not be copied: {error}")
                return
            run = self._new_run()
            run.apply_document(source.document_from(state))
            if self.main.playing:
                run.play()  # it joins the others
            self.main.message.emit(f"run {len(self.runs)} is a copy of run {index + 1}: change one of its settings "
                                   f"with the ⋮ menu over its panel")
            self.runs_changed.emit()
            self.history.record(Added(len(self.runs) - 1))
            if then is not None:
                then(run)
        source.request_trainer_state(answered)
        return True

    def remove(self, index: int) -> None:
        """Remove run ``index`` (not the main run: make another run main first); one run left leaves compare mode.
        Ctrl+Z brings it back (``compare_undo``)."""
        if index == 0 or index >= len(self.runs):
            return
        self.history.record(Removed(self.detach(index)))
        self.main.message.emit(f"run {index + 1} removed (Ctrl+Z brings it back)")

    def detach(self, index: int) -> KeptRun:
        """Take run ``index`` out of the panels, paused and whole (its worker keeps its state) for undo."""
        run = self.extras.pop(index - 1)
        kept = KeptRun(run, index, self._scene_labels.pop(index), self._labelled.pop(index),
                       self._colour_slots.pop(index), self.key)
        run.pause()
        self.runs_changed.emit()
        return kept

    def insert(self, kept: KeptRun) -> int:
        """Put a detached run back at its panel (or last, if fewer runs are left) on the current points; it plays
        if the others do. Returns its index."""
        if not self.active:
            self.key, self.mode = kept.key, self.main.mode
        index = min(kept.index, len(self.runs))
        self.extras.insert(index - 1, kept.run)
        self._scene_labels.insert(index, kept.label)
        self._labelled.insert(index, kept.labelled)
        free = set(range(len(RUN_COLORS) + 1)) - set(self._colour_slots)
        self._colour_slots.insert(index, kept.colour_slot if kept.colour_slot in free else min(free))
        kept.run.follow_points(self.main.points)
        if self.main.playing:
            kept.run.play()
        self.runs_changed.emit()
        return index

    def make_main(self, index: int) -> None:
        """Leave compare mode keeping run ``index``: the main session takes its network, weights and state."""
        if index == 0:
            self.leave()
            return
        run = self.runs[index]

        def answered(state: dict | None, error: str | None) -> None:
            if error is not None or state is None:
                self.main.message.emit(f"run {index + 1} could not be kept: {error}")
                return
            doc = run.document_from(state)
            self.leave()
            self.main.apply_document(doc)
            self.main.message.emit(f"run {index + 1} is the main run; compare mode is off")
        run.request_trainer_state(answered)

    def label_state(self, index: int) -> tuple:
        """Run ``index``'s scene label and the facts it was given for (undo puts them back)."""
        return self._scene_labels[index], self._labelled[index]

    def set_label_state(self, index: int, state: tuple) -> None:
        self._scene_labels[index], self._labelled[index] = state
        self.runs_changed.emit()

    def changed_by_hand(self, index: int) -> None:
        """Run ``index``'s setting was changed from its panel: its label now says what differs."""
        self._scene_labels[index] = self._labelled[index] = None
        self.runs_changed.emit()

    # -- following the main session ---------------------------------------------------------------
    def follow_transport(self, play: bool | None = None, step: int = 0, reset: bool = False) -> None:
        """After the main session's Play / Pause, Step or Reset: the other runs do the same."""
        for run in self.extras:
            if reset:
                run.reset()
            elif step:
                run.step(step)
            elif play is not None:
                run.play() if play else run.pause()

    @Slot()
    def _on_main_points_changed(self) -> None:
        for run in self.extras:
            run.follow_points(self.main.points)

    @Slot()
    def _on_main_settings_changed(self) -> None:
        for run in self.extras:
            if run.steps_per_second != self.main.steps_per_second:
                run.set_speed(self.main.steps_per_second)
        self._on_run_changed()

    @Slot()
    def _on_main_model_changed(self) -> None:
        if self.main.mode != self.mode or self.main.preset != self.key:
            self.leave()  # the other mode's points, or an opened file: the runs (and the removed ones) cannot follow
        else:
            self._on_run_changed()

    @Slot()
    def _on_main_scene_replaced(self) -> None:
        if self.main.preset != self.key:
            self.leave()  # another scene or a file: the runs (and the removed ones) were this scene's

    @Slot()
    def _on_run_changed(self) -> None:
        if self.active and not self._filling:
            self.runs_changed.emit()
