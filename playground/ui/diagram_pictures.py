"""What each tile of the network diagram shows, computed from one network (numpy only, no Qt).

The curves and maps come from the worker's own functions (``curves_1d``, ``regions_2d`` in
worker/snapshot.py) at a small resolution, so a tile shows exactly what the unit views show;
only the class scores are added here, from the last hidden layer's maps and the output weights.

Columns are numbered as ``layer_sizes``: 0 the inputs, 1…L the hidden layers, L+1 the outputs. With a
feature map φ the input column holds the features φⱼ(x), each pictured over x like any unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import Network, softmax
from ..engine.features import FeatureMap
from ..palette import CLASS_COLORS
from ..worker.snapshot import curves_1d, regions_2d
from .unit_colors import color_scale, colorize

CURVE_SAMPLES = 64            # points per 1-D tile curve: a tile is at most ~80 px wide
MAP_SIDES = (32, 24, 20, 16)  # 2-D grid per side, the largest that keeps a forward pass within budget
MAP_BUDGET = 6e6              # multiply-adds per forward pass over the grid (6 × 64 units: 16², ~2 ms)
_CLASS_RGB = np.array(CLASS_COLORS, dtype=np.float32)


@dataclass(frozen=True)
class Curves:
    """1-D tiles. xs: (G,) sample inputs; values[c]: (m_c, G) for column c; low[c], high[c]: (m_c,) the
    value range each tile's height spans (fixed per activation, like the unit views' colour scales)."""

    xs: np.ndarray
    values: list[np.ndarray]
    low: list[np.ndarray]
    high: list[np.ndarray]


@dataclass(frozen=True)
class Maps:
    """2-D tiles. rgba[c]: (m_c, H, H, 4) uint8, row 0 = the highest x₂ (drawn top-down, as on screen)."""

    side: int
    rgba: list[np.ndarray]


def map_side(network: Network, tile_pixels: float = 1e9) -> int:
    """Grid points per side of a 2-D tile for ``network``: the largest of ``MAP_SIDES`` within budget
    and not much finer than the tile's pixels (a multiple of 4, so the gap of a quarter tile between
    tiles is a whole number of rows)."""
    per_point = network.parameters.size
    sharp = max(8, 4 * math.ceil(tile_pixels / 4))
    return min(sharp, next((s for s in MAP_SIDES if s * s * per_point <= MAP_BUDGET), MAP_SIDES[-1]))


def _ranges(values: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """(low, high), each (m,), of the unit views' colour scale for curves ``values`` (m, G)."""
    (low, high), _ = color_scale(activation, values[:, None, :])
    m = values.shape[0]
    return np.broadcast_to(np.asarray(low, float).reshape(-1), (m,)), np.broadcast_to(
        np.asarray(high, float).reshape(-1), (m,))


def feature_curves(features: FeatureMap, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each feature φⱼ over the 1-D inputs xs (G,): values (F, G) and the range (F,), (F,) its tile spans, its
    own over the plotted x (at least a small one: no flat zero span)."""
    values = features(xs[:, None]).T
    middle, half = values.mean(axis=1), np.maximum((values.max(axis=1) - values.min(axis=1)) / 2, 1e-3)
    return values, middle - half, middle + half


def curves(network: Network, x_range: tuple[float, float], y_range: tuple[float, float],
           features: FeatureMap | None = None) -> Curves:
    """The input x (or each feature φⱼ(x)), every hidden unit hᵢ(x) and the fit f(x) over ``x_range``; the fit's
    tile spans ``y_range``."""
    c = curves_1d(network, x_range, CURVE_SAMPLES, features)
    if features is None:
        inputs = c.xs[None, :]
        low, high = [np.array([x_range[0]])], [np.array([x_range[1]])]
    else:
        inputs, lo, hi = feature_curves(features, c.xs)
        low, high = [lo], [hi]
    values = [inputs, *(h.T for h in c.hidden), c.fit[None, :]]
    for h in values[1:-1]:
        lo, hi = _ranges(h, network.activation)
        low.append(lo)
        high.append(hi)
    low.append(np.array([y_range[0]]))
    high.append(np.array([y_range[1]]))
    return Curves(c.xs, values, low, high)


def maps(network: Network, extent: tuple[float, float, float, float], tile_pixels: float = 1e9,
         features: FeatureMap | None = None) -> Maps:
    """The inputs x₁, x₂ (or each feature φⱼ), every hidden unit's map and each class's softmax probability
    (2-D regression: the output surface) over ``extent``.

    Inputs and hidden maps use the unit views' colours; class k goes from white (p = 0) to its colour (p = 1);
    the surface takes the data plot's diverging colours.
    ``tile_pixels``: a tile's size on screen, which bounds the grid.
    """
    side = map_side(network, tile_pixels)
    regions = regions_2d(network, extent, side, features)
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))
    inputs = np.stack([gx, gy]).astype(np.float32)  # (2, H, H), row i = y
    if features is not None:  # (F, H, H): what the first layer reads at each grid point
        inputs = features(np.column_stack([gx.ravel(), gy.ravel()])).T.reshape(-1, side, side).astype(np.float32)
    last = regions.unit_maps[-1] if regions.unit_maps else inputs
    if regions.surface is not None:  # 2-D regression: the output surface in the data plot's colours
        rgb, alpha = regions.regions[None].astype(np.float64), np.full((1, side, side, 1), 255.0)
    else:
        W, b = network.weights[-1], network.biases[-1]
        scores = W @ last.reshape(last.shape[0], -1) + b[:, None]  # (k, H·H): the affine last layer
        p = softmax(scores.T).T.reshape(-1, side, side, 1)
        colours = _CLASS_RGB[np.arange(len(p)) % len(_CLASS_RGB)][:, None, None, :]
        rgb, alpha = 255.0 * (1.0 - p) + colours * p, np.full(p.shape, 255.0)
    outputs = np.concatenate([rgb, alpha], axis=-1).astype(np.uint8)
    columns = [colorize(inputs, "linear"), *(colorize(m, network.activation) for m in regions.unit_maps), outputs]
    return Maps(side, [np.ascontiguousarray(c[:, ::-1]) for c in columns])  # row 0 = top of the tile
