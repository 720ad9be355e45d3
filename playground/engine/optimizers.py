"""Optimizers: SGD (with momentum) and Adam, with the update rules documented for
torch.optim.SGD (dampening 0, no Nesterov) and torch.optim.Adam (bias-corrected).

``step(params, grads)`` updates the arrays of ``params`` in place; the t-th call (t from 0)
uses the learning rate ``schedule(t)``. The trainer passes one flat buffer, so an update is
a few numpy calls whatever the network's depth.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

from .limits import MAX_STEPS, MOMENTUM, Range
from .schedules import LearningRate, as_schedule
from .validation import finite_vector, number, show, whole

BETA = Range(0.0, 0.9999)  # Adam's decay rates: 1 would never forget

Array = np.ndarray


def _as_list(arrays) -> Sequence[Array]:
    return [arrays] if isinstance(arrays, np.ndarray) else arrays


class Optimizer:
    key = ""

    def __init__(self, learning_rate: LearningRate):
        self.learning_rate = learning_rate
        self.t = 0  # calls to step() so far: the schedule's step counter

    @property
    def learning_rate(self) -> Callable[[int], float]:
        return self._schedule

    @learning_rate.setter
    def learning_rate(self, value: LearningRate) -> None:
        """Replaceable at any time; the optimizer's state (momentum, moments) is kept."""
        self._schedule = as_schedule(value)

    def current_rate(self) -> float:
        return self._schedule(self.t)

    # -- state (session files) -------------------------------------------------------------
    def state(self) -> dict:
        """Everything needed to continue bit for bit, as plain values and fresh arrays (the schedule is not state)."""
        return {"t": self.t}

    def load_state(self, state: dict, size: int) -> None:
        """Inverse of ``state()`` for an optimizer of one flat parameter array of ``size`` (as the trainer uses).

        Checks everything before changing anything; a ValueError names the bad entry.
        """
        self.t = _count(state, "t")

    def _single(self, store: dict) -> Array | tuple | None:
        if set(store) - {0}:
            raise ValueError("optimizer state can be saved for one flat parameter array only")
        return store.get(0)

    def step(self, params, grads) -> None:
        """Update ``params`` in place from ``grads`` (matching arrays or lists of them).

        Mismatched shapes or a NaN or infinite gradient raise a ValueError and change nothing.
        """
        params, grads = _as_list(params), _as_list(grads)
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameter arrays but {len(grads)} gradient arrays")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise ValueError(f"params[{i}]: expected a float array to update in place, got {show(p)}")
            if not isinstance(g, np.ndarray) or g.shape != p.shape:
                raise ValueError(f"grads[{i}]: expected an array of shape {p.shape} like params[{i}], got {show(g)}")
            if not np.isfinite(g).all():
                raise ValueError(f"grads[{i}]: contains NaN or infinity; no update was made")
        self._apply(params, grads)

    def _apply(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """The update itself, on inputs already checked (the trainer checks its one flat gradient)."""
        lr = self._schedule(self.t)
        if not (isinstance(lr, numbers.Real) and math.isfinite(lr)):
            raise ValueError(f"learning rate at step {self.t}: expected a finite number, got {show(lr)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(i, p, g, lr)
        self.t += 1

    def _update(self, i: int, p: Array, g: Array, lr: float) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """p ← p − lr·b with b ← momentum·b + g (b = g on the first step); momentum 0 is plain SGD."""

    key = "sgd"

    def __init__(self, learning_rate: LearningRate, momentum: float = 0.0):
        super().__init__(learning_rate)
        self.momentum = number(momentum, "momentum", MOMENTUM)
        self._buffers: dict[int, Array] = {}

    def state(self) -> dict:
        buffer = self._single(self._buffers)
        return {**super().state(), "buffer": None if buffer is None else buffer.copy()}

    def load_state(self, state: dict, size: int) -> None:
        t = _count(state, "t")
        buffer = _vector(state.get("buffer"), size, "buffer", optional=True)
        self.t = t
        self._buffers = {} if buffer is None else {0: buffer}

    def _update(self, i, p, g, lr):
        if self.momentum:
            buf = self._buffers.get(i)
            if buf is None:
                buf = self._buffers[i] = g.copy()
            else:
                buf *= self.momentum
                buf += g
            g = buf
        p -= lr * g


class Adam(Optimizer):
    """m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""

    key = "adam"

    def __init__(self, learning_rate: LearningRate, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(learning_rate)
        beta1, beta2 = number(beta1, "beta1", BETA), number(beta2, "beta2", BETA)
        eps = number(eps, "eps")
        if eps <= 0:
            raise ValueError(f"eps: expected a number > 0, got {eps:g}")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self._moments: dict[int, tuple[Array, Array]] = {}
        self._updates = 0  # bias correction counts Adam's own updates, like torch's per-parameter 'step'

    def _apply(self, params, grads) -> None:
        self._updates += 1
        try:
            super()._apply(params, grads)
        except ValueError:
            self._updates -= 1
            raise

    def state(self) -> dict:
        moments = self._single(self._moments)
        m, v = (None, None) if moments is None else (moments[0].copy(), moments[1].copy())
        return {**super().state(), "updates": self._updates, "m": m, "v": v}

    def load_state(self, state: dict, size: int) -> None:
        t, updates = _count(state, "t"), _count(state, "updates")
        m = _vector(state.get("m"), size, "m", optional=True)
        v = _vector(state.get("v"), size, "v", optional=True)
        if (m is None) != (v is None):
            raise ValueError("Adam's moments m and v must both be given or both be empty")
        if v is not None and (v < 0).any():
            raise ValueError("Adam's second moment v must be ≥ 0")
        if m is not None and updates == 0:
            raise ValueError("Adam's moments are set but its update count is 0")
        self.t, self._updates = t, updates
        self._moments = {} if m is None else {0: (m, v)}

    def _update(self, i, p, g, lr):
        if i not in self._moments:
            self._moments[i] = (np.zeros_like(p), np.zeros_like(p))
        m, v = self._moments[i]
        b1, b2, t = self.beta1, self.beta2, self._updates
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * (g * g)
        # The same order of operations as torch.optim.Adam, so results agree to the last bit or so.
        denom = np.sqrt(v)
        denom /= math.sqrt(1.0 - b2 ** t)
        denom += self.eps
        p -= (lr / (1.0 - b1 ** t)) * m / denom


def _count(state: dict, name: str) -> int:
    if not isinstance(state, dict):
        raise ValueError(f"optimizer: expected the dict of Optimizer.state(), got {show(state)}")
    return whole(state.get(name), f"optimizer.{name}", 0, MAX_STEPS)


def _vector(value, size: int, name: str, optional: bool = False) -> Array | None:
    """A fresh finite float64 (size,) copy of ``value``; None allowed if ``optional``."""
    if value is None and optional:
        return None
    return finite_vector(value, f"optimizer.{name}", size)


OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}  # key -> label


def make_optimizer(key: str, learning_rate: LearningRate, momentum: float = 0.9) -> Optimizer:
    """The optimizer behind a UI / preset key; ``momentum`` is used by "momentum" only."""
    if key == "sgd":
        return SGD(learning_rate)
    if key == "momentum":
        return SGD(learning_rate, momentum=momentum)
    if key == "adam":
        return Adam(learning_rate)
    raise ValueError(f"unknown optimizer {key!r}; choose one of {', '.join(OPTIMIZERS)}")
