"""The fixed colour scales of the unit heatmaps: a colour means the same value in every frame.

tanh −1…+1, logistic and step 0…1 on a diverging map (blue negative, white zero, red positive);
ReLU 0…the unit's maximum on its upper half; linear ±the unit's largest magnitude.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor


def _lut(stops) -> np.ndarray:
    """(256, 4) uint8 RGBA, opaque."""
    positions, colors = zip(*stops)
    return pg.ColorMap(np.array(positions), [QColor(*c) for c in colors]).getLookupTable(0.0, 1.0, 256, alpha=True)


# Blue for negative, white for zero (or the middle of the range), red for positive (ColorBrewer RdBu).
DIVERGING_LUT = _lut([(0.0, (33, 102, 172)), (0.25, (146, 197, 222)), (0.5, (247, 247, 247)),
                      (0.75, (244, 165, 130)), (1.0, (178, 24, 43))])
# ReLU units are 0 (white: off) or positive (red): the upper half of the same map.
SEQUENTIAL_LUT = _lut([(0.0, (247, 247, 247)), (0.5, (244, 165, 130)), (1.0, (178, 24, 43))])


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
    scaled = (maps - low) * (255.0 / (high - low))
    np.nan_to_num(scaled, copy=False, nan=127.5)
    np.clip(scaled, 0.0, 255.0, out=scaled)
    return np.take(lut, scaled.astype(np.uint8), axis=0)  # ~10× faster than lut[index] here


def scale_labels(activation: str) -> tuple[str, str, str]:
    """What the left end, the middle and the right end of the colour bar mean."""
    return {"tanh": ("−1", "0", "+1"), "logistic": ("0", "0.5", "1"), "step": ("0", "", "1"),
            "relu": ("0 (off)", "", "max")}.get(activation, ("−max", "0", "+max"))
