"""Undo and redo for the Session: one Ctrl+Z takes back the newest step, a stroke or point edit, or a network
rebuild (its trained weights come back from ``network_undo.NetworkUndo``).

A mixin of ``Session``: it uses the session's points history, link and signals, and adds no state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from ..worker import protocol as cmd
from .network_undo import NetworkMemo


class _NoWovenHistory:
    """What ``woven_history`` is until compare mode weaves its runs' steps in: nothing to take back."""

    @staticmethod
    def can_undo() -> bool:
        return False

    can_redo = can_undo


class SessionUndo:
    # Another history woven into this one, asked first (compare mode's runs, ui/compare_undo.py): its ``can_undo()``
    # / ``can_redo()`` say whether its newest step is the newest of all, ``undo()`` / ``redo()`` take it.
    woven_history = _NoWovenHistory()

    @property
    def can_undo(self) -> bool:
        return (self.woven_history.can_undo() or self.edits.undo_depth > 0
                or self.networks.can_undo(self.edits.undo_depth))

    @property
    def can_redo(self) -> bool:
        return (self.woven_history.can_redo() or self.edits.redo_depth > 0
                or self.networks.can_redo(self.edits.undo_depth))

    def undo(self) -> None:
        """Take back the newest step: a stroke or point edit, or a network rebuild (its weights come back)."""
        if self.woven_history.can_undo():
            self.woven_history.undo()
        elif self.networks.can_undo(self.edits.undo_depth):
            self._with_network_memo(lambda current: self._swap_network(current, undo=True))
        else:
            self._step_points(self.edits.undo, "undone")
        self.history_changed.emit()

    def redo(self) -> None:
        if self.woven_history.can_redo():
            self.woven_history.redo()
        elif self.networks.can_redo(self.edits.undo_depth):
            self._with_network_memo(lambda current: self._swap_network(current, undo=False))
        else:
            self._step_points(self.edits.redo, "redone")
        self.history_changed.emit()

    def _step_points(self, step: Callable[[], bool], done: str) -> None:
        """Undo or redo one stroke or point edit; the status bar says what changed (else an old message stays)."""
        before = len(self.points)
        if step():
            self._points_edited()
            self.message.emit(f"{done}: a stroke or point edit ({before:,} → {len(self.points):,} points)")

    def _swap_network(self, current: NetworkMemo, undo: bool) -> None:
        depth = self.edits.undo_depth
        if undo and self.networks.can_undo(depth):  # still (a second Ctrl+Z may have come first)
            self._become_network(self.networks.undo(current, depth), "undone")
        elif not undo and self.networks.can_redo(depth):
            self._become_network(self.networks.redo(current, depth), "redone")
        self.history_changed.emit()

    def _with_network_memo(self, then: Callable[[NetworkMemo], None]) -> None:
        """``then(memo)`` with the network in use and its whole training state, once the service answers (the
        GUI thread never waits on it); the request is ordered before any command sent after this call."""
        hidden, activation, seed, settings = tuple(self.hidden), self.activation, self.seed, self._settings_for_mode()

        def answered(state: dict | None, error: str | None) -> None:
            if error is not None or state is None:
                self.message.emit(f"the network could not be kept for undo: {error}")
                return
            then(NetworkMemo(hidden, activation, seed, settings, state, int(state["trainer"]["step"])))
        self.request_trainer_state(answered)

    def _remember_network(self) -> None:
        """Before a rebuild throws the weights away: keep them so Ctrl+Z brings them back."""
        depth = self.edits.undo_depth

        def keep(memo: NetworkMemo) -> None:
            self.networks.remember(memo, depth)
            self.history_changed.emit()
        self._with_network_memo(keep)

    def _become_network(self, memo: NetworkMemo, done: str) -> None:
        """Rebuild ``memo``'s network with its weights and training state, then apply the current settings."""
        self.pause()
        saved = memo.state["trainer"]["features"]  # the trainer's state names its feature map: one place
        features = None if saved is None else tuple(saved)
        self._change(hidden=memo.hidden, activation=memo.activation, seed=memo.seed, features=features)
        pts = self.points
        self.snapshot = None
        self._send(cmd.Build(tuple(memo.state["trainer"]["layer_sizes"]), memo.activation, memo.seed, memo.settings,
                             pts.X, pts.y, features))
        self._send(cmd.Restore(memo.state))
        self._send(cmd.Configure(asdict(self._settings_for_mode())))  # the settings chosen since stay
        self.model_changed.emit()
        self.settings_changed.emit()
        self._describe_differences_in_caption()
        on = "" if features is None else f" on φ(x) = ({', '.join(self.scene.feature_map().names)})"
        self.message.emit(f"{done}: back to the network {memo.describe(memo.state['trainer']['layer_sizes'])}{on}")
