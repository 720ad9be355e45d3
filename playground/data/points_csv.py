"""Drawn points to and from CSV (no Qt).

1-D regression: a header ``x,y`` and one point per line. 2-D classification: a header
``x1,x2,label`` with labels 0…5 (class 1 is label 0), or ``x1,x2,class`` with classes 1…6.
2-D regression: a header ``x1,x2,y`` with any number y (the header is needed: three bare columns are labels).
Reading accepts a file without a header too (two numeric columns: 1-D; three: 2-D, labels
0…5), commas or semicolons or tabs, blank lines, and any line ending (LF, CRLF, or the CR of
old Mac files); every bad line gives a one-line message naming its line number, and nothing is
returned unless the whole file is good. Only a regular file of at most ``MAX_CSV_BYTES`` is read,
and rows are parsed one at a time, so a huge or endless file costs little before it is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable

import numpy as np

from ..engine.validation import show
from .atomic_write import write_atomic
from .bounded_read import one_line, read_regular_file
from .points import PointSet
from .scene import MAX_CLASSES, MAX_CSV_BYTES, MAX_POINTS

MAX_CELL = 1000  # characters of one cell: a number is never longer; a longer cell is refused, not parsed
HEADERS = {("x", "y"): 2, ("x1", "x2", "label"): 3, ("x1", "x2", "class"): 3, ("x1", "x2", "y"): 3}


class PointsFileError(ValueError):
    """A CSV file of points that cannot be read; the message names the line."""


def to_csv(points: PointSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if points.is_classification:
        writer.writerow(["x1", "x2", "label"])
        for (x1, x2), label in zip(points.X.tolist(), points.y.tolist()):
            writer.writerow([repr(float(x1)), repr(float(x2)), int(label)])
    elif points.X.shape[1] == 2:
        writer.writerow(["x1", "x2", "y"])
        for (x1, x2), (y,) in zip(points.X.tolist(), points.y.tolist()):
            writer.writerow([repr(float(x1)), repr(float(x2)), repr(float(y))])
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
        raise PointsFileError(f"line {line}, column {column}: {show(text.strip())} is not a number") from None
    if not math.isfinite(value):
        raise PointsFileError(f"line {line}, column {column}: {show(text.strip())} is not a finite number")
    return value


def _rows(text: str):
    """(line number, cells) of every non-blank row; any line ending; a csv.Error becomes a message."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else "\t" if "\t" in sample and "," not in sample else ","
    lines = io.StringIO(text, newline=None)  # universal newlines: \r\n, \n and a lone \r all end a line
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell beyond csv.field_size_limit() (131,072 characters)
            if "field limit" in str(exc):
                raise PointsFileError(f"line {reader.line_num}: a cell of more than {csv.field_size_limit():,} "
                                      f"characters is not a number") from None
            raise PointsFileError(f"line {reader.line_num}: {one_line(exc, 120)}") from None
        if any(cell.strip() for cell in row):
            for column, cell in enumerate(row, 1):
                if len(cell) > MAX_CELL:
                    raise PointsFileError(f"line {reader.line_num}, column {column}: {len(cell):,} characters is "
                                          f"not a number")
            yield reader.line_num, row


def from_csv(text: str) -> PointSet:
    """Parse CSV text into a PointSet (1-D for two columns, 2-D for three: labels, or numbers under x1,x2,y)."""
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        raise PointsFileError("the file has no points")
    header = [cell.strip().lower() for cell in first[1]]
    one_based, numbers, pending = False, False, []
    try:
        [float(cell) for cell in header]
    except ValueError:  # a header row
        if tuple(header) not in HEADERS:
            raise PointsFileError(f"line {first[0]}: expected the header x,y (1-D), x1,x2,label (2-D classes) "
                                  f"or x1,x2,y (2-D values); got {show(','.join(first[1]))}") from None
        one_based, numbers = header[-1] == "class", tuple(header) == ("x1", "x2", "y")
        columns = HEADERS[tuple(header)]
    else:
        columns = len(header)
        if columns not in (2, 3):
            raise PointsFileError(f"line {first[0]}: expected 2 values (x, y) or 3 (x1, x2, label); got {columns}")
        pending = [first]
    values, lines = [], []
    what = "x, y" if columns == 2 else "x1, x2, y" if numbers else "x1, x2, label"
    for line, row in itertools.chain(pending, rows):
        if len(values) == MAX_POINTS:
            raise PointsFileError(f"more than the limit of {MAX_POINTS:,} points (line {line})")
        if len(row) != columns:
            raise PointsFileError(f"line {line}: expected {columns} values ({what}); got {len(row)}")
        values.append([_number(cell, line, c) for c, cell in enumerate(row, 1)])
        lines.append((line, row))
    if not values:
        raise PointsFileError("the file has a header but no points")
    array = np.array(values, dtype=np.float64)
    if columns == 2 or numbers:
        return PointSet(array[:, :-1].copy(), array[:, -1:].copy())
    labels = array[:, 2] - (1 if one_based else 0)
    low, high = (1, MAX_CLASSES) if one_based else (0, MAX_CLASSES - 1)
    bad = np.flatnonzero((labels != np.round(labels)) | (labels < 0) | (labels >= MAX_CLASSES))
    if bad.size:
        line, row = lines[bad[0]]
        raise PointsFileError(f"line {line}, column 3: the {'class' if one_based else 'label'} must be a whole "
                              f"number from {low} to {high}; got {show(row[2].strip())}")
    return PointSet(array[:, :2].copy(), labels.astype(np.intp))


def load_csv(path, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> PointSet:
    """Read a CSV file of points (see ``bounded_read.read_regular_file`` for ``progress`` and ``cancelled``)."""
    data = read_regular_file(path, MAX_CSV_BYTES, "CSV file of points", PointsFileError, progress, cancelled)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsFileError("not a CSV file: it is not UTF-8 text") from None
    return from_csv(text)
