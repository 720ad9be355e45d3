"""Undo and redo of network rebuilds (new layers, units, activation or seed), woven into the points' undo.

A rebuild throws the trained weights away; ``Session`` saves the worker's whole training state first (as a
session file does) and keeps it here. Each entry remembers how deep the points' undo history was when it
was made, so one Ctrl+Z takes back whichever came last, a stroke or a rebuild, and Ctrl+Shift+Z replays in
order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import TrainingSettings

LIMIT = 20  # networks kept for undo (each a few hundred kB at most: weights, moments, loss curves)


@dataclass(frozen=True)
class NetworkMemo:
    """A network as it was: its shape, seed and settings, and the worker's state ({"trainer", "curves"})."""

    hidden: tuple[int, ...]
    activation: str
    seed: int
    settings: TrainingSettings
    state: dict
    step: int

    def describe(self, layer_sizes) -> str:
        return f"{' → '.join(map(str, layer_sizes))} {self.activation}, seed {self.seed}, at step {self.step:,}"


class NetworkUndo:
    def __init__(self):
        self._undo: list[tuple[int, NetworkMemo]] = []  # (points' undo depth when made, the network before)
        self._redo: list[tuple[int, NetworkMemo]] = []

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    def remember(self, memo: NetworkMemo, points_depth: int) -> None:
        """A rebuild is about to replace ``memo``'s network: a new step in the history (the redo side goes)."""
        self._undo.append((points_depth, memo))
        del self._undo[:-LIMIT]
        self._redo.clear()

    def forget_redo(self) -> None:
        """A new point edit: what was undone cannot be redone any more (as for the points themselves)."""
        self._redo.clear()

    @property
    def depth(self) -> int:
        """How many rebuilds can be undone (with the points' depth: where in the history the session stands)."""
        return len(self._undo)

    def can_undo(self, points_depth: int) -> bool:
        """Whether the newest step at this depth of the points' history is a rebuild."""
        return bool(self._undo) and self._undo[-1][0] == points_depth

    def can_redo(self, points_depth: int) -> bool:
        return bool(self._redo) and self._redo[-1][0] == points_depth

    def undo(self, current: NetworkMemo, points_depth: int) -> NetworkMemo:
        """The network to go back to; ``current`` is kept for redo."""
        _, memo = self._undo.pop()
        self._redo.append((points_depth, current))
        return memo

    def redo(self, current: NetworkMemo, points_depth: int) -> NetworkMemo:
        _, memo = self._redo.pop()
        self._undo.append((points_depth, current))
        return memo
