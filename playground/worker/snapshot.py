"""What the window draws: an immutable snapshot of the training state, made of fresh arrays.

Everything that costs numpy time per frame (evaluating the network on the plot grids,
colouring the decision regions and unit heatmaps) happens here, in the worker process,
so the GUI process only hands finished arrays to pyqtgraph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Network, softmax
from ..engine.features import FEATURES, FeatureMap
from ..engine.settings import Metrics
from ..palette import CLASS_COLORS, SURFACE_STRENGTH, surface_rgb

_CLASS_RGB = np.array(CLASS_COLORS, dtype=np.float32)


@dataclass(frozen=True)
class Curves1D:
    """1-D regression view. xs: (G,); fit: (G,); hidden[j]: (G, m_j) unit outputs of hidden layer j;
    out_weights: (m_L,) weights of the last hidden layer's units into the output; out_bias: float."""

    xs: np.ndarray
    fit: np.ndarray
    hidden: list[np.ndarray]
    out_weights: np.ndarray | None
    out_bias: float


@dataclass(frozen=True)
class Regions2D:
    """2-D view over ``extent`` (x0, x1, y0, y1): classification's regions or 2-D regression's surface.

    regions: (G, G, 3) uint8 RGB, row i = y, column j = x. Classification: class colour blended toward white
    by (1 − confidence), so the softmax probability shows as intensity. Regression (one output): the output
    on the diverging scale of ``palette.surface_rgb``, paler than the points (``SURFACE_STRENGTH``).
    unit_maps[j]: (m_j, H, H) float32 unit outputs of hidden layer j (H = G, or G/2 for big networks).
    surface: (G, G) float32 the network's output in regression (one output), None in classification.
    """

    extent: tuple[float, float, float, float]
    regions: np.ndarray
    unit_maps: list[np.ndarray]
    surface: np.ndarray | None = None


@dataclass(frozen=True)
class Snapshot:
    serial: int
    commands_handled: int          # how many commands the worker had applied when this was taken
    step: int
    epoch: int
    learning_rate: float
    schedule_origin: int           # the step at which the schedule's clock read 0 (it can be restarted)
    playing: bool
    blocked_reason: str | None
    notice: str | None             # what training did on its own that the user should know (resumed after divergence)
    steps_per_second: float
    metrics: Metrics
    parameters: np.ndarray         # (P,) copy of the flat parameter vector
    layer_sizes: tuple[int, ...]  # the first is φ's width when there are features
    activation: str
    test_mask: np.ndarray          # (n,) bool: which of the session's points are held out
    loss_steps: np.ndarray         # (H,) steps of the loss-history rows
    train_loss: np.ndarray         # (H,) training loss at those steps
    test_loss: np.ndarray          # (H,) held-out loss (NaN without a test set)
    train_accuracy: np.ndarray     # (H,) NaN for regression
    test_accuracy: np.ndarray      # (H,)
    curves: Curves1D | None
    regions: Regions2D | None
    features: tuple[str, ...] | None = None  # the keys of φ the first layer sees (None: the raw x)

    @property
    def n_inputs(self) -> int:
        """d: the dimension of the points (1 or 2), before the feature map."""
        phi = feature_map(self.features)
        return self.layer_sizes[0] if phi is None else phi.n_inputs

    def network_inputs(self, X) -> np.ndarray:
        """What this snapshot's first layer sees for points X (n, d): φ(X), or X itself without features."""
        return _inputs(np.asarray(X, dtype=np.float64), feature_map(self.features))


def feature_map(keys) -> FeatureMap | None:
    """φ for the feature ``keys`` (all of one input dimension, as the Build that made them checked); None: raw x."""
    return None if keys is None else FeatureMap(tuple(keys), FEATURES[keys[0]].n_inputs)


def _inputs(X: np.ndarray, features: FeatureMap | None) -> np.ndarray:
    return X if features is None else features(X)


def curves_1d(network: Network, x_range: tuple[float, float], resolution: int = 240,
              features: FeatureMap | None = None) -> Curves1D:
    """The fit and every hidden unit over ``x_range``; the network sees φ(x) when ``features`` are given."""
    xs = np.linspace(x_range[0], x_range[1], resolution)
    fwd = network.forward(_inputs(xs[:, None], features))
    hidden = [h.copy() for h in fwd.activations]
    out_weights = network.weights[-1][0].copy() if hidden else None
    return Curves1D(xs, fwd.scores[:, 0].copy(), hidden, out_weights, float(network.biases[-1][0]))


def grid_resolution(network: Network, budget: float = 25e6) -> int:
    """Grid points per side: 64 for the lecture's small networks, fewer for big ones, so that one
    forward pass over the grid stays near ``budget`` multiply-adds (6 × 64 units: about 34²)."""
    weights = network.parameters.size
    return int(np.clip(np.sqrt(budget / weights), 32, 64))


def regions_2d(network: Network, extent: tuple[float, float, float, float], resolution: int | None = None,
               features: FeatureMap | None = None, unit_maps: bool = True) -> Regions2D:
    """One forward pass over a resolution² grid gives both the regions (or, for a network of one output: 2-D
    regression, the output surface) and every unit's map (none when ``unit_maps`` is False: no view shows them).

    A few milliseconds per snapshot for small networks (the cost is mostly allocating the
    grid's activations); the window scales the image up smoothly, so boundaries look clean. The network
    sees φ of the grid's points when ``features`` are given.
    """
    resolution = resolution or grid_resolution(network)
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    fwd = network.forward(_inputs(np.column_stack([gx.ravel(), gy.ravel()]), features))
    surface = None
    if fwd.scores.shape[1] == 1:  # regression: a softmax has at least 2 outputs (scene.output_width)
        surface = fwd.scores[:, 0].reshape(resolution, resolution).astype(np.float32)
        regions = surface_rgb(surface, SURFACE_STRENGTH).astype(np.uint8)
    else:
        regions = _class_regions(fwd.scores, resolution)
    # Beyond 32 units the tiles are small: every second grid point is plenty, and a quarter of the bytes.
    every = 2 if sum(h.shape[1] for h in fwd.activations) > 32 and resolution >= 64 else 1
    maps = [h.T.reshape(-1, resolution, resolution)[:, ::every, ::every].astype(np.float32)
            for h in fwd.activations] if unit_maps else []
    return Regions2D(extent, regions, maps, surface)


def _class_regions(scores: np.ndarray, resolution: int) -> np.ndarray:
    """(G, G, 3) uint8: each grid point in its most likely class's colour, paler where the softmax is less sure."""
    p = softmax(scores)
    winner = p.argmax(axis=1)
    confidence = p[np.arange(len(p)), winner][:, None]
    k = p.shape[1]
    # confidence runs from 1/k (undecided: white) to 1 (sure: full class colour)
    strength = (confidence - 1.0 / k) / (1.0 - 1.0 / k) * 0.75
    rgb = 255.0 * (1.0 - strength) + _CLASS_RGB[winner % len(_CLASS_RGB)] * strength
    return rgb.reshape(resolution, resolution, 3).astype(np.uint8)
