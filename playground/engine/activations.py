"""Activation functions σ, by the string keys the UI, presets and session files use.

Each activation gives its forward map and its derivative written in terms of the
pre-activation ``z`` *and* the activation ``h = σ(z)``, because for tanh and the
logistic function the cheap form uses ``h`` (1 − h², h(1 − h)) while ReLU needs ``z``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """σ applied elementwise; ``derivative(z, h)`` returns dσ/dz with z's shape.

    ``differentiable`` is False for the perceptron's step unit: its derivative is
    zero almost everywhere, so gradient descent cannot train through it.
    """

    key: str
    label: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]
    differentiable: bool = True


def _logistic(z: Array) -> Array:
    # 0.5·(1 + tanh(z/2)) is the logistic function without exp overflow for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


ACTIVATIONS: dict[str, Activation] = {
    a.key: a
    for a in (
        Activation("tanh", "tanh", np.tanh, lambda z, h: 1.0 - h * h),
        Activation("logistic", "logistic", _logistic, lambda z, h: h * (1.0 - h)),
        # ReLU's derivative is taken as 0 at z = 0; a boolean mask multiplies like 0.0/1.0 without a cast.
        Activation("relu", "ReLU", lambda z: np.maximum(z, 0.0), lambda z, h: z > 0.0),
        Activation("linear", "linear", lambda z: z, lambda z, h: np.ones_like(z)),
        # The perceptron's threshold unit: 1 where z ≥ 0, else 0 (the lecture's θ is the negated bias).
        Activation("step", "step", lambda z: (z >= 0.0).astype(z.dtype), lambda z, h: np.zeros_like(z),
                   differentiable=False),
    )
}


def get_activation(key: str) -> Activation:
    """The activation registered under ``key``; a ValueError lists the valid keys."""
    try:
        return ACTIVATIONS[key]
    except KeyError:
        raise ValueError(f"unknown activation {key!r}; choose one of {', '.join(ACTIVATIONS)}") from None
