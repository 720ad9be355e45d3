"""Restarts on a background thread: N seeds of one run's setup trained as one stacked computation.

The GUI thread only starts the job and receives its signals; it never waits for it. The thread trains
in chunks of ``CHUNK_STEPS`` so that progress is reported and Cancel takes effect within a chunk.
Signals are re-emitted from this main-thread object (a queued relay), so slots and ``qtbot.waitSignal``
always run in the GUI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..engine import FeatureMap, StackedTrainer, TrainingSettings

CHUNK_STEPS = 200  # steps between progress reports and cancel checks (20 seeds × 200 steps ≈ 40 ms here)


@dataclass(frozen=True)
class RestartsSetup:
    """What every seed trains: the main run's network, settings and points at the moment Restarts was asked for.

    X: (n, d) inputs; y: (n, 1) targets (1-D) or (n,) labels (2-D); ``features``: the φ(x) the network takes
    (None: the raw x), so every seed sees the points as the main run does."""

    layer_sizes: tuple[int, ...]
    activation: str
    settings: TrainingSettings
    X: np.ndarray
    y: np.ndarray
    seeds: tuple[int, ...]
    steps: int
    features: FeatureMap | None = None

    @property
    def network_inputs(self) -> np.ndarray:
        """(n, layer_sizes[0]): what the first layer sees, φ(X) or X."""
        return self.X if self.features is None else self.features(self.X)


@dataclass(frozen=True)
class RestartsResult:
    """One row per seed, in the order of ``setup.seeds``: final training loss (NaN if it diverged), why it
    diverged (None if not), and its final parameters (P,) in ``Network.parameters`` layout; ``ranked``: the rows
    from the lowest final loss to the highest, diverged seeds last (the trainer's ranking)."""

    setup: RestartsSetup
    losses: np.ndarray        # (S,)
    diverged: tuple           # (S,) str | None
    parameters: np.ndarray    # (S, P)
    ranked: tuple[int, ...]   # (S,)

    @property
    def best(self) -> int:
        return self.ranked[0]

    @property
    def worst(self) -> int:
        """The highest final loss among the seeds that did not diverge (a diverged seed has no fit to show)."""
        finite = [r for r in self.ranked if np.isfinite(self.losses[r])]
        return finite[-1] if finite else self.ranked[-1]


def train_restarts(setup: RestartsSetup, cancelled=lambda: False, progressed=lambda done: None) -> RestartsResult | None:
    """Train every seed of ``setup`` together; None if ``cancelled()`` became true. Raises ValueError when the
    points cannot be trained on (the trainer's own reason, in words)."""
    trainer = StackedTrainer(setup.layer_sizes, setup.activation, setup.network_inputs, setup.y, setup.settings, setup.seeds)
    if trainer.blocked_reason:
        raise ValueError(trainer.blocked_reason)
    done = 0
    while done < setup.steps:
        if cancelled():
            return None
        taken = trainer.run(min(CHUNK_STEPS, setup.steps - done))
        done += CHUNK_STEPS if taken else setup.steps  # every seed diverged: nothing more to train
        progressed(min(done, setup.steps))
    losses = np.array([np.nan if (reason or m.train_loss is None) else m.train_loss
                       for reason, m in zip(trainer.diverged, trainer.metrics())], dtype=float)
    return RestartsResult(setup, losses, tuple(trainer.diverged), trainer.network.parameters.copy(),
                          tuple(trainer.ranked_rows()))


class RestartsJob(QObject):
    """Runs one ``train_restarts`` at a time on a Python thread (numpy releases the GIL in its matmuls)."""

    progressed = Signal(int, int)   # steps done, steps in all
    finished = Signal(object)       # a RestartsResult
    failed = Signal(str)            # why it could not train (one line)
    cancelled = Signal()
    _relay = Signal(str, object)    # from the thread: (kind, payload); re-emitted here in the GUI thread

    def __init__(self, parent=None):
        super().__init__(parent)
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._relay.connect(self._on_relay)
        self.destroyed.connect(lambda: self._stop.set())  # a closed window stops its restarts at the next chunk

    def start(self, setup: RestartsSetup) -> None:
        self.cancel()  # a new run replaces one still going; the old thread stops at its next chunk
        stop = self._stop = threading.Event()
        self._worker = threading.Thread(target=self._run, args=(setup, stop), name="restarts", daemon=True)
        self._worker.start()

    def cancel(self) -> None:
        self._stop.set()

    def _run(self, setup: RestartsSetup, stop: threading.Event) -> None:
        def tell(kind: str, value) -> None:
            if stop.is_set():  # cancelled: no more progress, and a run that ended anyway says it was cancelled
                if kind == "progress":
                    return
                kind, value = "cancelled", None
            try:
                self._relay.emit(kind, (stop, value))
            except RuntimeError:  # the window (and this object) closed while the thread trained: nobody to tell
                stop.set()
        try:
            result = train_restarts(setup, stop.is_set, lambda done: tell("progress", (done, setup.steps)))
        except Exception as error:  # noqa: BLE001 - shown to the user, not lost in a thread
            tell("failed", f"{error}")
            return
        tell("cancelled" if result is None else "finished", result)

    @Slot(str, object)
    def _on_relay(self, kind: str, payload) -> None:
        stop, value = payload
        if stop is not self._stop:  # a run that was replaced: its late messages are not news
            return
        if kind == "progress":
            self.progressed.emit(*value)
        elif kind == "finished":
            self.finished.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
