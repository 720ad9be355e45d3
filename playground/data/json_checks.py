"""Checks of parsed JSON values, each naming the JSON path of a bad value (no Qt).

They raise ValueError with messages like ``points.X[3][1]: expected a number, got 'abc'``; the
session-file reader turns them into ``SessionFileError``. Whole numbers and single numbers use the
engine's own checks (``engine.validation``), so a file and a script get the same words.
"""

from __future__ import annotations

import numpy as np

from ..engine.limits import Range
from ..engine.validation import number, show, whole

__all__ = ["choice", "floats", "items", "number", "obj", "show", "text", "whole"]


def obj(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{path}: expected an object, got {show(value)}")
    return value


def text(value, path: str, limit: int) -> str:
    """A string of at most ``limit`` characters that can be written back as UTF-8 (no lone surrogates)."""
    if not isinstance(value, str):
        raise ValueError(f"{path}: expected a string, got {show(value)}")
    if len(value) > limit:
        raise ValueError(f"{path}: {len(value):,} characters is more than the limit of {limit:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{path}: character {exc.start + 1} is half of a character pair (a lone surrogate, "
                         f"U+{ord(value[exc.start]):04X}), which no text file can hold") from None
    return value


def choice(value, path: str, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{path}: expected one of {', '.join(map(repr, allowed))}, got {show(value)}")
    return value


def items(value, path: str, limit: int, what: str = "entries") -> list:
    if not isinstance(value, list):
        raise ValueError(f"{path}: expected a list, got {show(value)}")
    if len(value) > limit:
        raise ValueError(f"{path}: {len(value):,} {what} is more than the limit of {limit:,}")
    return value


def floats(value, path: str, shape: tuple, limit: int, what: str = "numbers", allow_null: bool = False,
           expected: str | None = None, allowed: Range | None = None) -> np.ndarray:
    """A float64 array of ``shape`` (None in shape: any length) from nested lists of finite numbers
    (inside ``allowed`` if given; null becomes NaN if ``allow_null``).

    Fast path through numpy; when it fails, a scan finds the first bad element for the message.
    """
    rows = items(value, path, limit, what)
    length = len(rows)
    want = tuple(length if s is None else s for s in shape)
    if length != want[0]:
        raise ValueError(f"{path}: {expected or f'expected {want[0]} {what}'}, got {length}")
    if length == 0:
        return np.zeros(want)
    try:
        array = np.array(rows if not allow_null else [np.nan if v is None else v for v in rows])
    except (ValueError, TypeError, OverflowError):
        array = None
    if array is not None and array.dtype.kind in "fi" and array.shape == want:
        array = array.astype(np.float64)
        known = array[~np.isnan(array)] if allow_null else array
        if np.isfinite(known).all() and (allowed is None or not known.size
                                         or (known.min() >= allowed.low and known.max() <= allowed.high)):
            return array
    _scan(rows, path, want[1:], allow_null, allowed)
    raise ValueError(f"{path}: expected numbers of shape {list(want)}")  # pragma: no cover - the scan raises


def _scan(rows: list, path: str, inner: tuple, allow_null: bool, allowed: Range | None) -> None:
    """Raise for the first element of ``rows`` that is not a finite number in range (or a row of ``inner`` shape)."""
    for i, item in enumerate(rows):
        where = f"{path}[{i}]"
        if inner:
            if not isinstance(item, list):
                raise ValueError(f"{where}: expected a list of {inner[0]} numbers, got {show(item)}")
            if len(item) != inner[0]:
                raise ValueError(f"{where}: expected {inner[0]} numbers, got {len(item)}")
            _scan(item, where, inner[1:], allow_null, allowed)
        elif not (allow_null and item is None):
            number(item, where, allowed)
