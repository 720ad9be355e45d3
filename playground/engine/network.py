"""The multilayer perceptron of the lecture and its backpropagation.

f(x) = (a ∘ h⁽ᴸ⁾ ∘ … ∘ h⁽¹⁾)(x) with h⁽ʲ⁾(o) = σ(W⁽ʲ⁾o + b⁽ʲ⁾) and an affine last layer
a(o) = W⁽ᴸ⁺¹⁾o + b⁽ᴸ⁺¹⁾. Samples are rows, so in code a layer computes z = o Wᵀ + b.

All parameters live in one flat float64 buffer, weight matrices first and bias vectors
after, and ``weights`` / ``biases`` are views into it: an optimizer updates the whole
network with a handful of numpy calls whatever its depth, and the ridge term λΣ‖W‖² is
one dot product over the leading slice.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import get_activation
from .limits import L1, L2, MAX_PARAMETERS, MAX_SEED
from .losses import get_loss
from .validation import as_inputs, as_targets, number, show, whole

Array = np.ndarray


def _layer_sizes(layer_sizes) -> tuple[int, ...]:
    """The sizes as ints ≥ 1 whose network fits in ``MAX_PARAMETERS``, or a ValueError in words."""
    try:
        items = list(layer_sizes)
    except TypeError:
        raise ValueError(f"layer_sizes: expected a list of whole numbers like [1, 3, 1], got {show(layer_sizes)}") \
            from None
    if len(items) < 2:
        raise ValueError(f"layer_sizes: needs at least an input and an output size, e.g. [1, 3, 1]; got {items}")
    sizes = tuple(whole(s, f"layer_sizes[{i}]", 1, MAX_PARAMETERS) for i, s in enumerate(items))
    count = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    if count > MAX_PARAMETERS:
        raise ValueError(f"layer_sizes: {list(sizes)} has {count:,} parameters, more than the limit of "
                         f"{MAX_PARAMETERS:,}")
    return sizes


def _seed(seed) -> int | None:
    return None if seed is None else whole(seed, "seed", 0, MAX_SEED)


class ParameterVector:
    """A flat float64 buffer seen as per-layer ``weights`` (fan_out, fan_in) and ``biases`` (fan_out,).

    Used both for a network's parameters and for their gradients, so the two always share a layout.
    """

    def __init__(self, layer_sizes: tuple[int, ...], flat: Array | None = None):
        pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.n_weights = sum(fan_in * fan_out for fan_in, fan_out in pairs)
        size = self.n_weights + sum(layer_sizes[1:])
        self.flat = np.zeros(size) if flat is None else flat
        if self.flat.shape != (size,) or self.flat.dtype != np.float64:
            raise ValueError(f"a parameter vector for layers {list(layer_sizes)} is float64 of shape "
                             f"({size},); got {self.flat.dtype} {self.flat.shape}")
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        w_at, b_at = 0, self.n_weights
        for fan_in, fan_out in pairs:
            self.weights.append(self.flat[w_at:w_at + fan_in * fan_out].reshape(fan_out, fan_in))
            self.biases.append(self.flat[b_at:b_at + fan_out])
            w_at += fan_in * fan_out
            b_at += fan_out

    @property
    def weight_block(self) -> Array:
        """All weight matrices as one contiguous 1-D view (no biases): the ridge term's domain."""
        return self.flat[:self.n_weights]


class ForwardPass(NamedTuple):  # a NamedTuple: cheap to build on the training hot path
    """Every intermediate value of a forward pass over n samples.

    inputs: (n, d); pre_activations[j], activations[j]: (n, m_j) for hidden layer j;
    scores: (n, k) output of the affine last layer.
    """

    inputs: Array
    pre_activations: list[Array]
    activations: list[Array]
    scores: Array


class Network:
    """An MLP with ``layer_sizes`` [d, m₁, …, m_L, k]; zero hidden layers is the perceptron / logistic model."""

    def __init__(self, layer_sizes, activation: str = "tanh", seed: int | None = None):
        self._sigma = get_activation(activation)
        sizes = _layer_sizes(layer_sizes)
        _seed(seed)
        self.layer_sizes = sizes
        self.activation = activation
        self._params = ParameterVector(sizes)
        self.initialize(seed)

    # -- parameters -------------------------------------------------------------------------
    @property
    def weights(self) -> list[Array]:
        """Live views: weights[j] has shape (layer_sizes[j+1], layer_sizes[j])."""
        return self._params.weights

    @property
    def biases(self) -> list[Array]:
        """Live views: biases[j] has shape (layer_sizes[j+1],)."""
        return self._params.biases

    @property
    def parameters(self) -> Array:
        """The flat (P,) buffer behind ``weights`` and ``biases``: writing into it changes the network."""
        return self._params.flat

    @property
    def n_hidden_layers(self) -> int:
        return len(self.layer_sizes) - 2

    def initialize(self, seed: int | None) -> None:
        """Draw fresh parameters from ``np.random.default_rng(seed)``.

        W ~ N(0, gain²/fan_in) (gain √2 for ReLU, else 1) keeps pre-activations of order one;
        hidden biases ~ U(−1, 1)/√fan_in spread the units' turning points over the input range
        (in 1-D each unit's bend sits at −b/v), and the output bias starts at zero.
        """
        rng = np.random.default_rng(_seed(seed))
        gain = np.sqrt(2.0) if self.activation == "relu" else 1.0
        for j, (W, b) in enumerate(zip(self.weights, self.biases)):
            fan_in = W.shape[1]
            W[...] = rng.normal(0.0, gain / np.sqrt(fan_in), size=W.shape)
            last = j == len(self.weights) - 1
            b[...] = 0.0 if last else rng.uniform(-1.0, 1.0, size=b.shape) / np.sqrt(fan_in)

    def copy(self) -> Network:
        twin = Network.__new__(Network)
        twin.layer_sizes, twin.activation, twin._sigma = self.layer_sizes, self.activation, self._sigma
        twin._params = ParameterVector(self.layer_sizes, self._params.flat.copy())
        return twin

    # -- forward ----------------------------------------------------------------------------
    def forward(self, X) -> ForwardPass:
        """Forward pass in topological order, keeping every intermediate value. X: (n, d)."""
        X = as_inputs(X, self.layer_sizes[0])
        return self._forward(X)

    def _forward(self, X: Array) -> ForwardPass:
        sigma = self._sigma.forward
        zs, hs = [], []
        o = X
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = o @ W.T
            z += b
            o = sigma(z)
            zs.append(z)
            hs.append(o)
        scores = o @ self.weights[-1].T
        scores += self.biases[-1]
        return ForwardPass(X, zs, hs, scores)

    def predict(self, X) -> Array:
        """Output scores (n, k) of the affine last layer (no softmax)."""
        return self.forward(X).scores

    def hidden_outputs(self, X) -> list[Array]:
        """One (n, m_j) array per hidden layer: the post-activation output h of every unit."""
        return self.forward(X).activations

    # -- backward ---------------------------------------------------------------------------
    def loss_and_gradients(self, X, y, loss: str = "mse", l2: float = 0.0, l1: float = 0.0):
        """(J, grads) for J = mean loss over the n samples + l2·Σ‖W⁽ʲ⁾‖² + l1·Σ|W⁽ʲ⁾ᵢₖ| (biases not penalized).

        |w| has no derivative at 0: its subgradient sign(w) (0 at w = 0) is used, as TensorFlow Playground does.
        X: (n, d). y: (n, k) floats for "mse", (n,) integer labels for "cross_entropy".
        ``grads.weights`` / ``grads.biases`` mirror the network's lists (fresh arrays).
        """
        loss_def = get_loss(loss)
        X = as_inputs(X, self.layer_sizes[0])
        y = as_targets(y, X.shape[0], self.layer_sizes[-1], loss_def.classification)
        if X.shape[0] == 0:
            raise ValueError("cannot compute a loss over zero samples")
        grads = ParameterVector(self.layer_sizes)
        l2, l1 = number(l2, "l2", L2), number(l1, "l1", L1)
        value = self.gradient_into(X, y, loss_def.function, l2, grads, l1)
        return value, grads

    def gradient_into(self, X: Array, y: Array, loss_function, l2: float, grads: ParameterVector,
                      l1: float = 0.0) -> float:
        """Backpropagation, writing ∂J/∂θ into ``grads`` and returning J. Inputs are trusted (checked upstream).

        Forward in topological order caching z and h; backward in reverse order, where
        delta = ∂J/∂z of a layer, ∂J/∂W = deltaᵀ·o_prev, ∂J/∂b = Σ_samples delta, and
        ∂J/∂o_prev = delta·W sums over all children of each unit at once.
        """
        fwd = self._forward(X)
        value, delta = loss_function(fwd.scores, y)
        outputs = [X, *fwd.activations]
        derivative = self._sigma.derivative
        for j in range(len(self.weights) - 1, -1, -1):
            np.dot(delta.T, outputs[j], out=grads.weights[j])
            np.add.reduce(delta, axis=0, out=grads.biases[j])  # np.sum's wrapper costs ~2 µs more
            if j:
                delta = (delta @ self.weights[j]) * derivative(fwd.pre_activations[j - 1], outputs[j])
        if l2:
            w = self._params.weight_block
            value += l2 * float(np.dot(w, w))
            grads.weight_block[...] += (2.0 * l2) * w
        if l1:
            w = self._params.weight_block
            value += l1 * float(np.abs(w).sum())
            grads.weight_block[...] += l1 * np.sign(w)
        return value

    def __repr__(self) -> str:
        return f"Network({list(self.layer_sizes)}, activation={self.activation!r})"
