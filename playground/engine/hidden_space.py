"""The hidden-space view's numbers: the input plane seen through one hidden layer.

Layer 0 is the input itself; layer j ≥ 1 is hidden layer j's activation h⁽ʲ⁾ (n, m_j).
A grid of straight lines over the input plane is mapped through the network so that it
bends the way the layer bends space; the output layer's decision line is a straight line in
the *last* hidden layer's own coordinates (score₂ − score₁ = a·h + c is affine in h), so it is
drawn exactly there when that layer has two units; in any other projection it is drawn as
the image of the input plane's decision boundary. numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

Array = np.ndarray


def layer_outputs(network: Network, X, layer: int) -> Array:
    """(n, m) coordinates of the points X (n, d) in ``layer`` (0: the inputs; j: hidden layer j's h)."""
    X = np.asarray(X, dtype=np.float64)
    if layer == 0:
        return X.copy()
    check_layer(network, layer)
    return network.forward(X).activations[layer - 1]


def check_layer(network: Network, layer: int) -> None:
    if not 0 <= layer <= network.n_hidden_layers:
        raise ValueError(f"layer must lie in 0..{network.n_hidden_layers} (0 is the input); got {layer}")


def nice_extent(X, pad: float = 0.25, minimum_span: float = 1.0) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) around the points X (n, 2), padded by ``pad`` of the span on each side."""
    X = np.asarray(X, dtype=np.float64)
    if X.size == 0:
        return (-1.5, 1.5, -1.5, 1.5)
    lo, hi = X.min(axis=0), X.max(axis=0)
    centre, span = (lo + hi) / 2, np.maximum(hi - lo, minimum_span)
    half = span * (0.5 + pad)
    return (float(centre[0] - half[0]), float(centre[0] + half[0]),
            float(centre[1] - half[1]), float(centre[1] + half[1]))


def grid_lines(extent, n_lines: int = 11, samples: int = 64) -> list[Array]:
    """Straight lines over the input rectangle: ``n_lines`` vertical then ``n_lines`` horizontal, each (samples, 2)."""
    x0, x1, y0, y1 = extent
    t = np.linspace(0.0, 1.0, samples)
    lines = []
    for x in np.linspace(x0, x1, n_lines):
        lines.append(np.column_stack([np.full(samples, x), y0 + (y1 - y0) * t]))
    for y in np.linspace(y0, y1, n_lines):
        lines.append(np.column_stack([x0 + (x1 - x0) * t, np.full(samples, y)]))
    return lines


def map_lines(network: Network, lines: list[Array], layer: int, units: tuple[int, int]) -> list[Array]:
    """Each line (s, 2) of the input plane as (s, 2) coordinates of ``units`` in ``layer`` (one forward pass)."""
    if not lines:
        return []
    stacked = layer_outputs(network, np.concatenate(lines), layer)[:, list(units)]
    return np.split(stacked, np.cumsum([len(line) for line in lines])[:-1])


@dataclass(frozen=True)
class DecisionLine:
    """a·u + c = 0 in the chosen axes u = (u₁, u₂): where score of class 2 − score of class 1 = 0."""

    a: tuple[float, float]
    c: float

    def clip(self, extent) -> Array | None:
        """The segment of the line inside the rectangle (x0, x1, y0, y1), as (2, 2), or None if it misses."""
        x0, x1, y0, y1 = extent
        (a1, a2), c = self.a, self.c
        points = []
        if abs(a2) > 1e-12:
            for x in (x0, x1):
                y = -(a1 * x + c) / a2
                if y0 - 1e-9 <= y <= y1 + 1e-9:
                    points.append((x, y))
        if abs(a1) > 1e-12:
            for y in (y0, y1):
                x = -(a2 * y + c) / a1
                if x0 - 1e-9 <= x <= x1 + 1e-9:
                    points.append((x, y))
        if len(points) < 2:
            return None
        points = np.array(points)
        i, j = np.unravel_index(np.argmax(((points[:, None] - points[None]) ** 2).sum(-1)), (len(points),) * 2)
        return points[[i, j]]


def decision_line(network: Network, layer: int, units: tuple[int, int]) -> tuple[DecisionLine | None, str]:
    """The output's decision line in the axes ``units`` of ``layer``, or None with the reason it is not a line there."""
    check_layer(network, layer)
    k = network.layer_sizes[-1]
    width = network.layer_sizes[layer]
    if k != 2:
        return None, (f"with {k} classes the boundary is made of several pieces: "
                      "drawn as the image of the input plane's boundary")
    if layer != network.n_hidden_layers:
        return None, ("the decision line is straight only in the last hidden layer's space: "
                      "here the input plane's boundary is drawn, mapped through this layer")
    W, b = network.weights[-1], network.biases[-1]
    a = W[1] - W[0]
    if width == 1:  # one unit: the boundary is the threshold h = −c/a, a vertical line over the unit's axis
        return DecisionLine((float(a[0]), 0.0), float(b[1] - b[0])), (
            "decision threshold: s₂ − s₁ = 0 (the scores of classes 2 and 1) where this one unit crosses it")
    if width != 2 or sorted(units) != [0, 1]:
        return None, (f"this layer has {width} units, so the output also depends on units not on these axes: "
                      "the input plane's boundary is drawn, mapped through this layer")
    return DecisionLine((float(a[units[0]]), float(a[units[1]])), float(b[1] - b[0])), (
        "decision line: s₂ − s₁ = 0 (the scores of classes 2 and 1), a straight line in this layer's space")


def boundary_points(network: Network, extent, layer: int, units: tuple[int, int], resolution: int = 161) -> Array:
    """(n, 2): points of the input plane's decision boundary (where the winning class changes), mapped to ``units``.

    Found on a resolution² grid: along every grid edge whose two ends are won by different
    classes, the point where the two classes' scores are equal (linear interpolation).
    """
    x0, x1, y0, y1 = extent
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    scores = network.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(resolution, resolution, -1)
    winner = scores.argmax(axis=2)
    found = []
    for axis in (0, 1):
        a = (slice(None, -1), slice(None)) if axis == 0 else (slice(None), slice(None, -1))
        b = (slice(1, None), slice(None)) if axis == 0 else (slice(None), slice(1, None))
        change = winner[a] != winner[b]
        if not change.any():
            continue
        ia, ib = winner[a][change], winner[b][change]
        sa, sb = scores[a][change], scores[b][change]
        rows = np.arange(len(ia))
        da = sa[rows, ia] - sa[rows, ib]      # > 0 at the a end
        db = sb[rows, ia] - sb[rows, ib]      # < 0 at the b end
        t = np.clip(da / np.where(da - db == 0, 1.0, da - db), 0.0, 1.0)
        pa = np.column_stack([gx[a][change], gy[a][change]])
        pb = np.column_stack([gx[b][change], gy[b][change]])
        found.append(pa + t[:, None] * (pb - pa))
    if not found:
        return np.zeros((0, 2))
    return layer_outputs(network, np.concatenate(found), layer)[:, list(units)]


@dataclass(frozen=True)
class RepresentationTable:
    """The lecture's table for points X (n, d): inputs, each hidden layer's input and output, the output.

    weighted[j] (n, m_j) = W⁽ʲ⁾o (without the bias: the perceptron's w·i, compared with θ = −b);
    pre[j] = weighted[j] + b = z; hidden[j] = h; scores (n, k); predicted (n,) the winning class.
    """

    inputs: Array
    weighted: list[Array]
    pre: list[Array]
    hidden: list[Array]
    thresholds: list[Array]
    scores: Array
    predicted: Array


def representation_table(network: Network, X) -> RepresentationTable:
    fwd = network.forward(X)
    outputs = [fwd.inputs, *fwd.activations]
    weighted = [o @ W.T for o, W in zip(outputs, network.weights[:-1])]
    return RepresentationTable(fwd.inputs, weighted, fwd.pre_activations, fwd.activations,
                               [-b.copy() for b in network.biases[:-1]], fwd.scores, fwd.scores.argmax(axis=1))
