"""Where compare mode's panels go: the grid (rows × columns) that draws each run's data largest.

A 2-D panel has equal axes over a square-ish drawing area, so a panel much taller than wide shows mostly empty plane
(three in a row in a near-square area: −5…5 vertically around ±1.5 of data). Its grid is chosen from the area's size:
the one whose panels give the square the most pixels (near-ties: fewer empty cells, then fewer rows). A 1-D fit uses any
width, so 1-D runs keep a row of up to three (2 × 2 for four).

The choice depends only on the area's size, the number of runs and a panel's fixed parts (header and axes), never on
the grid itself; ``ComparePanels`` pins its minimum size to something the grid does not change either, so a new
grid can never resize the area that chose it (the wider-panel hook of last round looped on exactly that).
"""

from __future__ import annotations

import math

KEEP_MARGIN = 0.05  # keep the current grid unless another draws the data at least this much larger (no flip-flop)


def row_shape(n: int) -> tuple[int, int]:
    """(rows, columns) for ``n`` panels of 1-D fits: a row for up to 3 (no empty cell), 2 × 2 for 4."""
    return (1, n) if n <= 3 else (2, 2)


def shapes(n: int) -> list[tuple[int, int]]:
    """Every grid for ``n`` panels without an empty row or column: (1, n), …, (n, 1)."""
    found = []
    for rows in range(1, n + 1):
        columns = math.ceil(n / rows)
        if (rows - 1) * columns < n and rows * (columns - 1) < n and (rows, columns) not in found:
            found.append((rows, columns))
    return found


def square_side(shape: tuple[int, int], size: tuple[float, float], fixed: tuple[float, float],
                spacing: float) -> float:
    """The side of the largest square a panel's plot area holds in ``shape`` (pixels; ≤ 0 if none): the area
    ``size`` (w, h) split into cells ``spacing`` apart, less each panel's ``fixed`` (w, h) parts (axes, header)."""
    rows, columns = shape
    width, height = size
    cell_w = (width - (columns - 1) * spacing) / columns - fixed[0]
    cell_h = (height - (rows - 1) * spacing) / rows - fixed[1]
    return min(cell_w, cell_h)


def square_grid(n: int, size: tuple[float, float], fixed: tuple[float, float], spacing: float,
                current: tuple[int, int] | None = None) -> tuple[int, int]:
    """The grid for ``n`` panels of equal-axes plots in an area of ``size``. Grids within ``KEEP_MARGIN`` of the
    largest square side count as equal: among them the ``current`` grid stays (no flip-flop at a boundary), else
    the one with the fewest empty cells, then the fewest rows."""
    candidates = shapes(n)
    if n <= 0 or size[0] <= 0 or size[1] <= 0:
        return current if current in candidates else row_shape(max(n, 1))
    sides = {shape: square_side(shape, size, fixed, spacing) for shape in candidates}
    best = max(sides.values())
    near = [shape for shape in candidates if sides[shape] >= best - abs(best) * KEEP_MARGIN]
    if current in near:
        return current
    return min(near, key=lambda shape: (shape[0] * shape[1] - n, shape[0]))
