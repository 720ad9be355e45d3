"""Input checks shared by the engine's constructors, ``Trainer.restore`` and the session-file reader.

Every check raises a ValueError whose message starts with the name it was given, so the same check
says ``seed: expected a whole number from 0 to …, got -1`` to a script and
``trainer.optimizer.t: …`` (the JSON path) to someone opening a file. Messages stay on one line and
show at most a few dozen characters of a bad value.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .limits import Range

SHOWN_CHARACTERS = 40  # of a bad value, in a message


def show(value) -> str:
    """A short one-line picture of a bad value for a message."""
    if isinstance(value, str):
        text = repr(value[:SHOWN_CHARACTERS])  # escapes (\x1f, \U0002ebe1) can make it ten times longer
        return text if len(value) <= SHOWN_CHARACTERS and len(text) <= SHOWN_CHARACTERS + 2 else \
            text[:SHOWN_CHARACTERS - 3] + "..."
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, numbers.Integral):
        text = str(int(value)) if abs(int(value)) < 10**30 else f"a {int(value).bit_length()}-bit number"
        return text
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return type(value).__name__


def whole(value, name: str, low: int, high: int) -> int:
    """``value`` as an int in [low, high]; an integral float (3.0) counts, a bool does not."""
    if type(value) is int and low <= value <= high:  # the common case, without the abstract-class checks
        return value
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected a whole number, got {show(value)}")
    value = int(value)
    if not low <= value <= high:
        bounds = f"≥ {low}" if high >= 2**62 else f"from {low:,} to {high:,}"
        raise ValueError(f"{name}: expected a whole number {bounds}, got {show(value)}")
    return value


def number(value, name: str, allowed: Range | None = None) -> float:
    """``value`` as a finite float (inside ``allowed`` if given); huge integers are refused, not overflowed."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a number, got {show(value)}")
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(f"{name}: expected a finite number, got {show(value)}") from None
    if not math.isfinite(result):
        raise ValueError(f"{name}: expected a finite number, got {show(value)}")
    if allowed is not None and result not in allowed:
        raise ValueError(f"{name}: expected a number {allowed.describe()}, got {result:g}")
    return result


def finite_vector(value, name: str, size: int) -> np.ndarray:
    """A fresh finite float64 (size,) array from a list or array of numbers."""
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name}: expected a list of {size} numbers") from None
    if array.shape != (size,):
        raise ValueError(f"{name}: expected {size} numbers, got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = int(np.argwhere(~np.isfinite(array))[0, 0])
        raise ValueError(f"{name}[{bad}]: expected a finite number, got {show(array[bad])}")
    return array


def as_inputs(X, n_inputs: int) -> np.ndarray:
    """X as a finite float64 (n, n_inputs) array, or a ValueError saying what is wrong."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"inputs X must be an (n, {n_inputs}) array of numbers") from None
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
    try:
        y = np.asarray(y)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("targets y must be an array of numbers") from None
    if classification:
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"class labels y must have shape ({n},) to match X; got {y.shape}")
        if y.size and not np.issubdtype(y.dtype, np.integer):
            if y.dtype.kind not in "fb":
                raise ValueError("class labels y must be whole numbers")
            if not np.isfinite(y).all() or (y != np.round(y)).any():
                raise ValueError("class labels y must be whole numbers (NaN, inf or fractions found)")
            if np.abs(y).max() >= n_outputs + 1:
                raise ValueError(f"class labels y must lie in 0..{n_outputs - 1}")
        y = y.astype(np.intp)
        if y.size and (y.min() < 0 or y.max() >= n_outputs):
            bad = int(y[(y < 0) | (y >= n_outputs)][0])
            raise ValueError(f"class label {bad} is out of range: the network has {n_outputs} outputs, "
                             f"so labels must lie in 0..{n_outputs - 1}")
        return y
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("regression targets y must be numbers") from None
    if y.ndim == 1 and n_outputs == 1:
        y = y[:, None]
    if y.shape != (n, n_outputs):
        raise ValueError(f"regression targets y must have shape ({n}, {n_outputs}) to match X; got {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("targets y contain NaN or inf")
    return y
