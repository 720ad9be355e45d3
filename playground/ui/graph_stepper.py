"""Stepping through a computation graph: how far the forward and backward pass are shown, by hand or on a timer.

``done`` counts the steps shown, the forward steps (one node's value each, in topological order)
and then the backward ones (one node's ∂J/∂node each, in reverse order). ``stepped`` fires for
every step taken, ``moved`` after every change of ``done`` by steps or a jump.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..engine.graph import ComputationGraph

PLAY_INTERVAL_MS = 700


class GraphStepper(QObject):
    stepped = Signal(str, str)         # ("forward" | "backward", node key) of every step taken
    moved = Signal()
    playing_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graph: ComputationGraph | None = None
        self.done = 0
        self.play_timer = QTimer(self)
        self.play_timer.setInterval(PLAY_INTERVAL_MS)
        self.play_timer.timeout.connect(self._on_play_timer_timeout)

    @property
    def total_steps(self) -> int:
        return 0 if self.graph is None else self.graph.total_steps

    @property
    def at_end(self) -> bool:
        return self.graph is not None and self.done >= self.total_steps

    @property
    def current(self) -> tuple[str, str] | None:
        """(phase, node key) of the last step shown, or None before the first."""
        return None if self.graph is None else self.graph.step_at(self.done)

    def set_graph(self, graph: ComputationGraph | None, done: int | None = None) -> None:
        """Step through ``graph`` from ``done`` steps (default: as far as before, within its steps); quietly."""
        self.graph = graph
        if graph is None:
            self.play(False)
        self.done = max(0, min(self.done if done is None else done, self.total_steps))

    def next_step(self) -> bool:
        """Reveal one more node; False at the end of the backward pass."""
        if self.graph is None or self.at_end:
            return False
        self.go_to(self.done + 1)
        return True

    def go_to(self, done: int) -> None:
        if self.graph is None:
            return
        start = self.done
        self.done = max(0, min(done, self.total_steps))
        self.moved.emit()
        for k in range(start + 1, self.done + 1):
            self.stepped.emit(*self.graph.step_at(k))

    @Slot(bool)
    def play(self, on: bool) -> None:
        """Step on the timer until the end (from the start again when already there)."""
        if on and self.graph is None:
            on = False
        if on and self.at_end:
            self.go_to(0)
        if on != self.play_timer.isActive():
            self.play_timer.start() if on else self.play_timer.stop()
        self.playing_changed.emit(on)   # always: a play button pressed with nothing to play springs back

    @Slot()
    def _on_play_timer_timeout(self) -> None:
        if not self.next_step():
            self.play(False)
