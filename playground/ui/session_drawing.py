"""Drawing on the session's plot: adding points (a class, a value or a 1-D (x, y) pair), erasing, clearing, and
the class or value new points get. ``SessionDrawing`` is a mixin of ``Session``: it uses the session's scene,
points and signals, and ``_set_points`` (one undo step, sent to the worker).
"""

from __future__ import annotations

import numpy as np

from ..data.points import PointSet
from ..data.scene import DRAWN_VALUE, MAX_CLASSES, mode_of


class SessionDrawing:
    def begin_stroke(self) -> None:
        self.edits.begin_stroke()

    def end_stroke(self) -> None:
        self.edits.end_stroke()

    def add_points(self, X, y=None) -> None:
        """Add points at data coordinates X (n, d); 2-D points take ``current_class`` (classification) or
        ``current_value`` (2-D regression) unless y is given.

        Points outside the drawing bounds are clipped onto the border, and the status bar says so.
        """
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        mode = mode_of(self.mode)
        X = X.reshape(-1, 2)  # 2-D points, or 1-D points as (x, y) pairs from the plot: both clipped to the plot
        (x0, x1), (y0, y1) = self.bounds
        clipped = np.column_stack([np.clip(X[:, 0], x0, x1), np.clip(X[:, 1], y0, y1)])
        if mode.inputs == 1:
            inputs, targets = clipped[:, :1], clipped[:, 1:]
        else:
            inputs = clipped
            if mode.classification:
                targets = np.full(len(X), self.current_class if y is None else y, dtype=np.intp)
            else:
                targets = np.full((len(X), 1), self.current_value if y is None else y, dtype=np.float64)
        if not np.array_equal(clipped, X):
            self.message.emit("a point outside the plotted range was moved onto its border")
        self._set_points(self.points.added(inputs, targets))

    def remove_near(self, center, radius: float) -> int:
        """Remove the points within ``radius`` of ``center`` (plot coordinates); returns how many."""
        pts = self.points
        if not len(pts):
            return 0
        coords = np.column_stack([pts.X[:, 0], pts.y[:, 0]]) if pts.X.shape[1] == 1 else pts.X
        near = np.hypot(*(coords - np.asarray(center, dtype=float)).T) <= radius
        if near.any():
            self._set_points(pts.without(near))
        return int(near.sum())

    def clear_points(self) -> None:
        mode = mode_of(self.mode)
        self._set_points(PointSet.empty(mode.inputs, mode.classification))
        self.scene_replaced.emit()

    def set_current_class(self, label: int) -> None:
        if not 0 <= label < MAX_CLASSES:
            raise ValueError(f"class must lie in 1..{MAX_CLASSES}")
        self._change(current_class=label)
        self.settings_changed.emit()

    def set_current_value(self, value: float) -> bool:
        """The target new points get in 2-D regression; a value outside ``DRAWN_VALUE`` is refused with a message."""
        if not DRAWN_VALUE.low <= value <= DRAWN_VALUE.high:
            self.message.emit(f"value: must lie in {DRAWN_VALUE.low:g} to {DRAWN_VALUE.high:g}; got {value!r}")
            return False
        self._change(current_value=float(value))
        self.settings_changed.emit()
        return True
