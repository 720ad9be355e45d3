"""Input checks shared by the network and the trainer: clear ValueErrors naming shapes."""

from __future__ import annotations

import numpy as np


def as_inputs(X, n_inputs: int) -> np.ndarray:
    """X as a finite float64 (n, n_inputs) array, or a ValueError saying what is wrong."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and n_inputs == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(f"inputs X must have shape (n, {n_inputs}); got {X.shape}")
    if not np.isfinite(X).all():
        bad = int(np.argwhere(~np.isfinite(X))[0, 0])
        raise ValueError(f"inputs X contain NaN or inf (first at row {bad})")
    return X


def as_targets(y, n: int, n_outputs: int, classification: bool) -> np.ndarray:
    """Targets checked against n samples and the output layer.

    Classification: (n,) integer labels in [0, n_outputs). Regression: (n, n_outputs) floats.
    """
    y = np.asarray(y)
    if classification:
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"class labels y must have shape ({n},) to match X; got {y.shape}")
        if y.size and not np.issubdtype(y.dtype, np.integer):
            if not np.isfinite(y).all() or (y != np.round(y)).any():
                raise ValueError("class labels y must be whole numbers (NaN, inf or fractions found)")
        y = y.astype(np.intp)
        if y.size and (y.min() < 0 or y.max() >= n_outputs):
            bad = int(y[(y < 0) | (y >= n_outputs)][0])
            raise ValueError(f"class label {bad} is out of range: the network has {n_outputs} outputs, "
                             f"so labels must lie in 0..{n_outputs - 1}")
        return y
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1 and n_outputs == 1:
        y = y[:, None]
    if y.shape != (n, n_outputs):
        raise ValueError(f"regression targets y must have shape ({n}, {n_outputs}) to match X; got {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("targets y contain NaN or inf")
    return y
