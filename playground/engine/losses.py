"""Empirical risks: the mean over n samples of a per-sample loss of the output scores.

Each loss returns ``(value, d_scores)`` where ``d_scores`` (n, k) is ∂value/∂scores,
the seed of the backward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def mse(scores: Array, y: Array) -> tuple[float, Array]:
    """Mean over samples of Σₖ (f(x)ₖ − yₖ)²; no ½ factor, as in the lecture.

    scores, y: (n, k) floats.
    """
    diff = scores - y
    n = scores.shape[0]
    value = float(np.vdot(diff, diff)) / n
    return value, diff * (2.0 / n)


def softmax(scores: Array) -> Array:
    """Row-wise softmax of (n, k) scores, shifted by the row maximum so exp never overflows."""
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(scores: Array, y: Array) -> tuple[float, Array]:
    """Mean over samples of −log softmax(f(x))[y] = log Σⱼ exp(sⱼ) − s_y, by log-sum-exp.

    scores: (n, k) floats; y: (n,) integer class labels in [0, k). Shifting each row by its
    maximum keeps exp from overflowing, and taking the loss as log-sum-exp − score (not
    −log of a probability) keeps it finite even when the true class's probability underflows.
    """
    n = scores.shape[0]
    shifted = scores - np.maximum.reduce(scores, axis=1, keepdims=True)
    e = np.exp(shifted)
    total = np.add.reduce(e, axis=1, keepdims=True)  # np.sum's wrapper costs ~2 µs more on tiny arrays
    rows = np.arange(n)
    value = float(np.add.reduce(np.log(total), axis=None) - np.add.reduce(shifted[rows, y])) / n
    p = e / total
    p[rows, y] -= 1.0  # ∂/∂scores = (softmax − one-hot) / n
    p *= 1.0 / n
    return value, p


@dataclass(frozen=True)
class Loss:
    key: str
    label: str
    function: Callable[[Array, Array], tuple[float, Array]]
    classification: bool


LOSSES: dict[str, Loss] = {
    "mse": Loss("mse", "mean squared error", mse, classification=False),
    "cross_entropy": Loss("cross_entropy", "softmax cross-entropy", cross_entropy, classification=True),
}


def get_loss(key: str) -> Loss:
    """The loss registered under ``key``; a ValueError lists the valid keys."""
    try:
        return LOSSES[key]
    except KeyError:
        raise ValueError(f"unknown loss {key!r}; choose one of {', '.join(LOSSES)}") from None
