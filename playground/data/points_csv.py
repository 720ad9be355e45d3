"""Drawn points to and from CSV (no Qt).

1-D regression: a header ``x,y`` and one point per line. 2-D classification: a header
``x1,x2,label`` with labels 0…5 (class 1 is label 0), or ``x1,x2,class`` with classes 1…6.
Reading accepts a file without a header too (two numeric columns: 1-D; three: 2-D, labels
0…5), commas or semicolons or tabs, and blank lines; every bad line gives a message naming
its line number, and nothing is returned unless the whole file is good.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from .points import MAX_CLASSES, PointSet
from .session_file import MAX_POINTS, write_atomic

MAX_CSV_BYTES = 32 * 1024 * 1024


class PointsFileError(ValueError):
    """A CSV file of points that cannot be read; the message names the line."""


def to_csv(points: PointSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if points.is_classification:
        writer.writerow(["x1", "x2", "label"])
        for (x1, x2), label in zip(points.X.tolist(), points.y.tolist()):
            writer.writerow([repr(float(x1)), repr(float(x2)), int(label)])
    else:
        writer.writerow(["x", "y"])
        for (x,), (y,) in zip(points.X.tolist(), points.y.tolist()):
            writer.writerow([repr(float(x)), repr(float(y))])
    return out.getvalue()


def save_csv(path, points: PointSet) -> None:
    write_atomic(path, to_csv(points).encode("utf-8"))


def _number(text: str, line: int, column: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PointsFileError(f"line {line}, column {column}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise PointsFileError(f"line {line}, column {column}: {text.strip()!r} is not a finite number")
    return value


def from_csv(text: str) -> PointSet:
    """Parse CSV text into a PointSet (1-D for two columns, 2-D for three)."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else "\t" if "\t" in sample and "," not in sample else ","
    rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise PointsFileError("the file has no points")
    header = [cell.strip().lower() for cell in rows[0][1]]
    one_based = False
    try:
        [float(cell) for cell in header]
    except ValueError:  # a header row
        names = {("x", "y"): 2, ("x1", "x2", "label"): 3, ("x1", "x2", "class"): 3}
        if tuple(header) not in names:
            raise PointsFileError(f"line {rows[0][0]}: expected the header x,y (1-D) or x1,x2,label (2-D); "
                                  f"got {','.join(rows[0][1])!r}") from None
        one_based = header[-1] == "class"
        columns = names[tuple(header)]
        rows = rows[1:]
    else:
        columns = len(header)
        if columns not in (2, 3):
            raise PointsFileError(f"line {rows[0][0]}: expected 2 values (x, y) or 3 (x1, x2, label); got {columns}")
    if not rows:
        raise PointsFileError("the file has a header but no points")
    if len(rows) > MAX_POINTS:
        raise PointsFileError(f"{len(rows):,} points is more than the limit of {MAX_POINTS:,}")
    values = []
    what = "x, y" if columns == 2 else "x1, x2, label"
    for line, row in rows:
        if len(row) != columns:
            raise PointsFileError(f"line {line}: expected {columns} values ({what}); got {len(row)}")
        values.append([_number(cell, line, c) for c, cell in enumerate(row, 1)])
    array = np.array(values, dtype=np.float64)
    if columns == 2:
        return PointSet(array[:, :1].copy(), array[:, 1:].copy())
    labels = array[:, 2] - (1 if one_based else 0)
    low, high = (1, MAX_CLASSES) if one_based else (0, MAX_CLASSES - 1)
    for (line, row), label in zip(rows, labels):
        if not (label.is_integer() and 0 <= label < MAX_CLASSES):
            raise PointsFileError(f"line {line}, column 3: the {'class' if one_based else 'label'} must be a whole "
                                  f"number from {low} to {high}; got {row[2].strip()!r}")
    return PointSet(array[:, :2].copy(), labels.astype(np.intp))


def load_csv(path) -> PointSet:
    path = Path(path)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise PointsFileError(f"{path.name} is larger than {MAX_CSV_BYTES // 2**20} MB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsFileError("not a CSV file: it is not UTF-8 text") from None
    return from_csv(text)
