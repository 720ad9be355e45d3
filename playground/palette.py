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

# The one diverging scale of every signed value the app draws: the 2-D regression surface and its points, the hidden
# units' outputs (heatmaps and the diagram's tiles), the weights' and biases' signs in the diagram, the saddle's f.
# Orange below 0, white at 0, blue above, as TensorFlow Playground; the Okabe–Ito blue and orange (darkened a little
# to stay saturated on a washed-out projector), the pair colour-vision deficiencies keep apart. Unsigned values
# that start at 0 (ReLU's 0 … max) take its upper half, white to blue.
NEGATIVE_RGB = (230, 120, 0)    # orange
ZERO_RGB = (255, 255, 255)      # white
POSITIVE_RGB = (0, 100, 180)    # blue
DIVERGING_STOPS = ((-1.0, NEGATIVE_RGB), (0.0, ZERO_RGB), (1.0, POSITIVE_RGB))


def diverging_rgb(values, strength: float = 1.0):
    """(..., 3) float RGB 0–255 for ``values`` (...) on the diverging scale over −1 … 1 (beyond: the end colours;
    NaN: white), at ``strength`` of the colour, the rest white. numpy only, imported here lazily."""
    import numpy as np
    values = np.asarray(values, dtype=np.float64)
    where = np.array([v for v, _ in DIVERGING_STOPS])
    rgb = np.array([c for _, c in DIVERGING_STOPS], dtype=np.float64)
    clipped = np.nan_to_num(np.clip(values, where[0], where[-1]))
    full = np.stack([np.interp(clipped, where, rgb[:, c]) for c in range(3)], axis=-1)
    return 255.0 + (full - 255.0) * strength


# 2-D regression's surface and points take the diverging scale over ±SURFACE_RANGE (beyond: the end colours).
SURFACE_RANGE = 1.0
# The surface is drawn paler than the points (this share of the colour, the rest white), as TensorFlow Playground
# does: a point the network fits keeps its full colour on the paler surface of its own hue, instead of vanishing
SURFACE_STRENGTH = 0.6


def surface_rgb(values, strength: float = 1.0):
    """(..., 3) float RGB 0–255 of surface values (...) on the diverging scale, at ``strength`` of the colour."""
    import numpy as np
    return diverging_rgb(np.asarray(values, dtype=np.float64) / SURFACE_RANGE, strength)
