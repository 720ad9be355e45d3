"""The fixed colour scales of the unit heatmaps: a colour means the same value in every frame.

tanh −1…+1, logistic and step 0…1 on the app's one diverging scale (``palette.diverging_rgb``: orange negative,
white zero, blue positive); ReLU 0…the unit's maximum on its upper half (white to blue); linear ±the unit's
largest magnitude.
"""

from __future__ import annotations

import numpy as np

from ..palette import diverging_rgb

LUT_SIZE = 255  # odd: the middle entry is exactly the scale's middle (0: white)


def _lut(values: np.ndarray) -> np.ndarray:
    """(LUT_SIZE, 4) uint8 RGBA, opaque: the diverging scale's colours of ``values`` (LUT_SIZE,) in −1 … 1."""
    rgb = np.rint(diverging_rgb(values)).astype(np.uint8)
    return np.concatenate([rgb, np.full((len(values), 1), 255, np.uint8)], axis=1)


# Index 0 … LUT_SIZE − 1 spans the scale's −1 … +1 (orange, white, blue) …
DIVERGING_LUT = _lut(np.linspace(-1.0, 1.0, LUT_SIZE))
# … and ReLU's 0 (white: off) … max (blue), the upper half of the same scale.
SEQUENTIAL_LUT = _lut(np.linspace(0.0, 1.0, LUT_SIZE))


def color_scale(activation: str, maps: np.ndarray):
    """The fixed ((low, high), lut) for unit maps (..., H, W) of ``activation``.

    low and high are floats, or arrays (..., 1, 1) with one level per map for ReLU (0 … the
    map's max) and linear (± the map's largest magnitude).
    """
    if activation == "tanh":
        return (-1.0, 1.0), DIVERGING_LUT
    if activation in ("logistic", "step"):
        return (0.0, 1.0), DIVERGING_LUT
    if activation == "relu":
        top = maps.max(axis=(-2, -1), keepdims=True) if maps.size else np.ones((1, 1))
        return (0.0, np.where(top > 0.0, top, 1.0)), SEQUENTIAL_LUT
    top = np.abs(maps).max(axis=(-2, -1), keepdims=True) if maps.size else np.ones((1, 1))
    top = np.where(top > 0.0, top, 1.0)  # linear and anything else: symmetric about 0
    return (-top, top), DIVERGING_LUT


def colorize(maps, activation: str) -> np.ndarray:
    """Unit outputs (..., H, W) -> (..., H, W, 4) uint8 RGBA through the fixed colour scale of ``activation``.

    Done here in numpy, a whole layer at once, rather than by ImageItem's lut: pyqtgraph turns
    a lut into a Qt colour table on every render (256 Python calls per tile per frame), which
    cost ~6 ms a frame for 16 tiles; an RGBA image goes to Qt as it is.
    """
    maps = np.asarray(maps, dtype=np.float32)
    (low, high), lut = color_scale(activation, maps)
    top = LUT_SIZE - 1
    scaled = (maps - low) * (top / (high - low)) + 0.5  # + 0.5: the nearest entry (the cast truncates)
    np.nan_to_num(scaled, copy=False, nan=top / 2 + 0.5)
    np.clip(scaled, 0.0, top, out=scaled)
    return np.take(lut, scaled.astype(np.uint8), axis=0)  # ~10× faster than lut[index] here


def scale_labels(activation: str) -> tuple[str, str, str]:
    """What the left end, the middle and the right end of the colour bar mean."""
    return {"tanh": ("−1", "0", "+1"), "logistic": ("0", "0.5", "1"), "step": ("0", "", "1"),
            "relu": ("0 (off)", "", "max")}.get(activation, ("−max", "0", "+max"))
