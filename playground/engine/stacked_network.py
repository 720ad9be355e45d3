"""S networks of the same layer sizes and activation, one per seed, computed together.

Restarts train the same network from many seeds. Doing that one seed after another costs S
times the numpy call overhead of a step, which dominates on the lecture's small networks;
stacking the seeds on a leading axis makes each layer one batched matmul for all of them.

Parameters live in one (S, P) float64 buffer whose row s is seed s's flat vector in exactly
``Network``'s layout (weights first, then biases), so a row can be copied into a ``Network``
and shown with the single-network code. ``weights[j]`` (S, fan_out, fan_in) and ``biases[j]``
(S, fan_out) are views into it. Nothing mixes seeds: every sum runs within a row, so a seed
whose numbers overflow cannot touch the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from .activations import get_activation
from .network import Network

Array = np.ndarray


class StackedParameters:
    """A (S, P) float64 buffer seen as per-layer ``weights`` (S, fan_out, fan_in) and ``biases`` (S, fan_out).

    Row s is laid out like ``ParameterVector.flat``; used for the parameters and their gradients alike.
    """

    def __init__(self, layer_sizes: tuple[int, ...], n_seeds: int):
        pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.n_weights = sum(fan_in * fan_out for fan_in, fan_out in pairs)
        self.flat = np.zeros((n_seeds, self.n_weights + sum(layer_sizes[1:])))
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        w_at, b_at = 0, self.n_weights
        for fan_in, fan_out in pairs:
            # A column slice of a C-ordered (S, P) array reshapes to (S, fan_out, fan_in) without a copy.
            self.weights.append(self.flat[:, w_at:w_at + fan_in * fan_out].reshape(n_seeds, fan_out, fan_in))
            self.biases.append(self.flat[:, b_at:b_at + fan_out])
            w_at += fan_in * fan_out
            b_at += fan_out

    @property
    def weight_block(self) -> Array:
        """(S, n_weights): every seed's weight matrices, no biases: the ridge term's domain."""
        return self.flat[:, :self.n_weights]


# -- losses per seed -------------------------------------------------------------------------
# The engine's losses (losses.py) reduce a (n, k) array to one Python float and take n from
# axis 0, so they cannot give one value per seed of a (S, n, k) array. These are the same
# formulas with the sample axis at 1 and one value per seed; tests check them against losses.py.

def stacked_mse(scores: Array, y: Array) -> tuple[Array, Array]:
    """Per seed, the mean over samples of Σₖ (f(x)ₖ − yₖ)². scores (S, n, k); y (n, k) or (S, n, k).

    Returns values (S,) and ∂value/∂scores (S, n, k).
    """
    diff = scores - y
    n = scores.shape[1]
    values = np.einsum("snk,snk->s", diff, diff) / n
    diff *= 2.0 / n
    return values, diff


def stacked_cross_entropy(scores: Array, y: Array) -> tuple[Array, Array]:
    """Per seed, the mean over samples of log Σⱼ exp(sⱼ) − s_y. scores (S, n, k); y (n,) or (S, n) labels.

    Shifted by each row's maximum like ``losses.cross_entropy``. Returns values (S,) and ∂/∂scores (S, n, k).
    """
    S, n, k = scores.shape
    # Where each sample's true class sits in the flattened (S·n·k) scores: one fancy index instead of
    # take_along_axis / put_along_axis, whose Python-level set-up cost more than the arithmetic here.
    row_starts = np.arange(S * n).reshape(S, n)
    row_starts *= k
    true_class = (row_starts + y).ravel()
    shifted = scores - np.maximum.reduce(scores, axis=2, keepdims=True)
    e = np.exp(shifted)
    total = np.add.reduce(e, axis=2, keepdims=True)
    true_scores = shifted.reshape(-1)[true_class].reshape(S, n)
    values = (np.add.reduce(np.log(total).reshape(S, n), axis=1) - np.add.reduce(true_scores, axis=1)) / n
    p = e / total
    p.reshape(-1)[true_class] -= 1.0  # ∂/∂scores = (softmax − one-hot) / n; p is fresh, so reshape is a view
    p *= 1.0 / n
    return values, p


STACKED_LOSSES: dict[str, Callable[[Array, Array], tuple[Array, Array]]] = {
    "mse": stacked_mse,
    "cross_entropy": stacked_cross_entropy,
}


def _sum_over_samples(delta: Array, out: Array) -> None:
    """out (S, m) = Σ over the sample axis of delta (S, n, m), added in the single run's order.

    ``Network`` sums its (n, m) delta with np.add.reduce over axis 0: row by row when m > 1, pairwise
    when m = 1 (a contiguous column). einsum adds row by row like the first and is ~3x faster than a
    middle-axis reduce on these shapes; the second is a contiguous reduce here too. Same order, same
    bits: without that, Adam magnifies last-bit differences to ~1e-6 within 500 steps (measured).
    """
    if delta.shape[2] == 1:
        np.add.reduce(delta, axis=1, out=out)
    else:
        np.einsum("snm->sm", delta, out=out)


class StackedForward(NamedTuple):
    """pre_activations[j], activations[j]: (S, n, m_j) per hidden layer; scores: (S, n, k)."""

    pre_activations: list[Array]
    activations: list[Array]
    scores: Array


class StackedNetwork:
    """One MLP [d, m₁, …, m_L, k] per seed in ``seeds``, each initialized exactly as ``Network(sizes, act, seed)``."""

    def __init__(self, layer_sizes: Sequence[int], activation: str, seeds: Sequence[int]):
        if not len(seeds):
            raise ValueError("seeds must name at least one seed")
        first = Network(layer_sizes, activation, seed=seeds[0])  # validates the sizes and the activation
        self.layer_sizes, self.activation = first.layer_sizes, activation
        self.seeds = tuple(int(s) for s in seeds)
        self._sigma = get_activation(activation)
        self._params = StackedParameters(self.layer_sizes, len(self.seeds))
        self._params.flat[0] = first.parameters
        for row, seed in enumerate(self.seeds[1:], start=1):
            first.initialize(seed)  # the single network's own initialization, so each row equals its run
            self._params.flat[row] = first.parameters

    @property
    def n_seeds(self) -> int:
        return len(self.seeds)

    @property
    def parameters(self) -> Array:
        """The (S, P) buffer; row s is seed s's parameters in ``Network.parameters`` layout."""
        return self._params.flat

    @property
    def weights(self) -> list[Array]:
        return self._params.weights

    @property
    def biases(self) -> list[Array]:
        return self._params.biases

    def network(self, row: int) -> Network:
        """A fresh single ``Network`` holding a copy of row ``row``'s parameters."""
        net = Network(self.layer_sizes, self.activation, seed=self.seeds[row])
        net.parameters[...] = self._params.flat[row]
        return net

    def forward(self, X: Array) -> StackedForward:
        """X: (n, d) shared by all seeds or (S, n, d) one batch per seed. Samples are rows: z = o Wᵀ + b."""
        sigma = self._sigma.forward
        zs, hs = [], []
        o = X
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = np.matmul(o, W.transpose(0, 2, 1))
            z += b[:, None, :]
            o = sigma(z)
            zs.append(z)
            hs.append(o)
        scores = np.matmul(o, self.weights[-1].transpose(0, 2, 1))
        scores += self.biases[-1][:, None, :]
        return StackedForward(zs, hs, scores)

    def gradient_into(self, X: Array, y: Array, loss_function, l2: float, grads: StackedParameters,
                      l1: float = 0.0) -> Array:
        """Backpropagation for every seed at once, writing ∂J/∂θ into ``grads``; returns J per seed (S,).

        The same recursion as ``Network.gradient_into``, batched over the seed axis: delta (S, n, m)
        is ∂J/∂z of a layer, ∂J/∂W = deltaᵀ·o_prev and ∂J/∂b = Σ_samples delta per seed.
        """
        fwd = self.forward(X)
        values, delta = loss_function(fwd.scores, y)
        outputs = [X, *fwd.activations]
        derivative = self._sigma.derivative
        for j in range(len(self.weights) - 1, -1, -1):
            np.matmul(delta.transpose(0, 2, 1), outputs[j], out=grads.weights[j])
            _sum_over_samples(delta, out=grads.biases[j])
            if j:
                delta = np.matmul(delta, self.weights[j])
                delta *= derivative(fwd.pre_activations[j - 1], outputs[j])
        if l2:
            w = self._params.weight_block
            values += l2 * np.einsum("sw,sw->s", w, w)
            grads.weight_block[...] += (2.0 * l2) * w
        if l1:  # λ₁Σ|w| with the subgradient sign(w), as Network.gradient_into
            w = self._params.weight_block
            values += l1 * np.abs(w).sum(axis=1)
            grads.weight_block[...] += l1 * np.sign(w)
        return values
