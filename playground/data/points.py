"""The user's drawn points and their edit history (undo / redo), independent of Qt.

A ``PointSet`` is immutable: every edit makes a new one, so undo is a stack of values and
a snapshot of the points can be handed to another process without copying by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scene import MAX_CLASSES  # noqa: F401 - re-exported: the views import it from here


@dataclass(frozen=True)
class PointSet:
    """X: (n, d) inputs. y: (n, 1) float targets in regression (1-D: d = 1, 2-D: d = 2),
    (n,) integer labels in 0..5 in 2-D classification (d = 2)."""

    X: np.ndarray
    y: np.ndarray

    @staticmethod
    def empty(n_inputs: int, classification: bool | None = None) -> PointSet:
        """No points of dimension ``n_inputs``; labels when ``classification`` (None: as the mode with that
        dimension had before 2-D regression, i.e. classification in 2-D)."""
        if classification is None:
            classification = n_inputs == 2
        if not classification:
            return PointSet(np.zeros((0, n_inputs)), np.zeros((0, 1)))
        return PointSet(np.zeros((0, n_inputs)), np.zeros(0, dtype=np.intp))

    @property
    def is_classification(self) -> bool:
        """True for class labels (y of shape (n,)), False for number targets (y of shape (n, 1))."""
        return self.y.ndim == 1

    def __len__(self) -> int:
        return self.X.shape[0]

    def added(self, X, y) -> PointSet:
        X = np.asarray(X, dtype=np.float64).reshape(-1, self.X.shape[1])
        y = np.asarray(y, dtype=self.y.dtype).reshape((-1, *self.y.shape[1:]))
        return PointSet(np.concatenate([self.X, X]), np.concatenate([self.y, y]))

    def without(self, mask: np.ndarray) -> PointSet:
        """The points where ``mask`` (n,) is False."""
        return PointSet(self.X[~mask], self.y[~mask])


class EditHistory:
    """Undo / redo over PointSet values; a stroke (press, drag, release) is one undo step."""

    def __init__(self, points: PointSet, limit: int = 500):
        self.current = points
        self._undo: list[PointSet] = []
        self._redo: list[PointSet] = []
        self._limit = limit
        self._in_stroke = False

    def begin_stroke(self) -> None:
        self._remember()
        self._in_stroke = True

    def end_stroke(self) -> None:
        self._in_stroke = False
        if self._undo and self._undo[-1] is self.current:
            self._undo.pop()  # the stroke changed nothing: no empty undo step

    def apply(self, points: PointSet) -> None:
        """Make ``points`` current; outside a stroke this is one undo step of its own."""
        if not self._in_stroke:
            self._remember()
        self.current = points

    def _remember(self) -> None:
        self._undo.append(self.current)
        del self._undo[:-self._limit]
        self._redo.clear()

    @property
    def undo_depth(self) -> int:
        """How many steps can be undone (the session weaves network rebuilds in by this depth)."""
        return len(self._undo)

    @property
    def redo_depth(self) -> int:
        return len(self._redo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.current)
        self.current = self._undo.pop()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.current)
        self.current = self._redo.pop()
        return True
