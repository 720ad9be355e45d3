"""Colours shared by the live views, the exported images and the worker's rendered images (no Qt).

Chosen to stay distinct on a washed-out projector and for the common colour-vision
deficiencies (Okabe–Ito based); the fit is the lecture's red, training points its blue.
"""

POINT_BLUE = (31, 119, 180)
FIT_RED = (214, 39, 40)
# Classes 1–6 (label 0–5).
CLASS_COLORS = [
    (0, 114, 178),    # blue
    (230, 159, 0),    # orange
    (0, 158, 115),    # green
    (204, 121, 167),  # pink
    (117, 112, 179),  # purple (a sky blue was too close to class 1 on a projector)
    (213, 94, 0),     # vermillion
]
# Hidden units' dashed curves: distinct from the red fit and blue points.
UNIT_COLORS = [
    (0, 158, 115), (230, 159, 0), (148, 103, 189), (86, 180, 233), (204, 121, 167), (140, 86, 75),
    (188, 189, 34), (23, 190, 207), (127, 127, 127), (0, 90, 50),
]


def unit_color(i: int) -> tuple[int, int, int]:
    return UNIT_COLORS[i % len(UNIT_COLORS)]
