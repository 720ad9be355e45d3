"""A loss history that stays bounded however long training runs.

Values are averaged over windows of ``stride`` steps; when the buffer fills, neighbouring
rows are merged pairwise and the stride doubles. Memory is fixed, the whole run stays
covered at uniform resolution, and adding a value costs a few float operations.
"""

from __future__ import annotations

import numpy as np

from .limits import HISTORY_CAPACITY


class DecimatingSeries:
    """Rows of (step, mean value over the window ending at step), at most ``capacity`` of them."""

    def __init__(self, capacity: int = HISTORY_CAPACITY):
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be an even number ≥ 4; got {capacity}")
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        self._steps = np.empty(self.capacity)
        self._values = np.empty(self.capacity)
        self._length = 0
        self.stride = 1
        self._window_sum = 0.0
        self._window_count = 0

    def __len__(self) -> int:
        return self._length

    def add(self, step: int, value: float) -> None:
        self._window_sum += value
        self._window_count += 1
        if self._window_count < self.stride:
            return
        self._steps[self._length] = step
        self._values[self._length] = self._window_sum / self._window_count
        self._length += 1
        self._window_sum, self._window_count = 0.0, 0
        if self._length == self.capacity:
            # Halve as soon as the buffer fills, so every row spans the same stride: halving before
            # appending mixed one half-width window into each generation and weighted it like a full one.
            self._halve()

    def _halve(self) -> None:
        half = self.capacity // 2
        self._steps[:half] = self._steps[1::2]  # a merged window ends where its second half ended
        self._values[:half] = 0.5 * (self._values[0::2] + self._values[1::2])
        self._length = half
        self.stride *= 2

    def state(self) -> dict:
        """The rows and the open window as plain values and fresh arrays (for session files)."""
        steps, values = self.arrays()
        return {"capacity": self.capacity, "stride": self.stride, "steps": steps, "values": values,
                "window_sum": self._window_sum, "window_count": self._window_count}

    def restore(self, state: dict) -> None:
        """Inverse of ``state()``; checks everything first, so a ValueError leaves the series as it was."""
        if not isinstance(state, dict):
            raise ValueError("history: expected the dict of DecimatingSeries.state()")

        def whole(name, low):
            value = state.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"history {name} must be a whole number ≥ {low}; got {value!r}")
            return int(value)

        stride, count = whole("stride", 1), whole("window_count", 0)
        try:
            steps = np.array(state.get("steps"), dtype=np.float64).reshape(-1)
            values = np.array(state.get("values"), dtype=np.float64).reshape(-1)
            window_sum = float(state.get("window_sum"))
        except (TypeError, ValueError, OverflowError):
            raise ValueError("history steps and values must be lists of numbers") from None
        if steps.shape != values.shape or steps.size >= self.capacity:
            raise ValueError(f"history needs as many steps as values, fewer than {self.capacity}; "
                             f"got {steps.size} and {values.size}")
        if count >= stride or stride & (stride - 1):
            raise ValueError(f"history stride must be a power of two above the open window; got {stride}, {count}")
        if not np.isfinite(steps).all():
            raise ValueError("history steps must be finite")
        self.clear()
        self.stride, self._window_sum, self._window_count = stride, window_sum, count
        self._steps[:steps.size], self._values[:values.size] = steps, values
        self._length = steps.size

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (steps, values), safe to hand to another thread."""
        return self._steps[:self._length].copy(), self._values[:self._length].copy()
