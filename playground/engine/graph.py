"""The computation graph of one training point, as on the lecture's backpropagation slides.

Nodes are the intermediate variables of J for a single point (x, y):

    inputs xₖ (and the target y for regression)
    with a feature map: the features φⱼ(x) the first layer reads instead of x
    every hidden unit's pre-activation zᵢ = Σₖ wᵢₖ oₖ + bᵢ and activation hᵢ = σ(zᵢ)
    the output scores (ŷ for regression)
    regression:      residual r = y − ŷ,  loss ℓ = r²             (Σ over outputs when there are several)
    classification:  p_y = softmax(s)_y,  loss ℓ = −log p_y
    with λ > 0:      regularization R = λ Σ w² (weights only) and objective J = ℓ + R

The forward pass takes its values from ``Network.forward`` and the loss from ``losses``;
the backward pass visits the non-leaf nodes in reverse topological order and gives each
∂J/∂node as the sum over its children of ∂J/∂child · ∂child/∂node — "first sum partial
derivatives from all children, then multiply". Weights and biases are not nodes: a weight
labels the edge it scales, and ∂J/∂w = ∂J/∂z · o (+ 2λw from R) is read off that edge.

``finite_differences`` re-evaluates J with each parameter nudged both ways, an independent
check of every backprop gradient. Numbers only: the words and symbols for a slide are the
presentation's (``playground.ui.graph_text``); the nodes, edges and parameters are records of
``graph_parts``. numpy and the standard library only.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import get_activation
from .features import FeatureMap
from .graph_parts import LEAF_KINDS, Edge, Node, Parameter, Term
from .losses import get_loss, softmax
from .network import Network, ParameterVector

Array = np.ndarray

def relative_error(a, b, floor: float = 1e-7):
    """|a − b| / max(|a|, |b|, floor): 0 when both are (numerically) zero."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)


class ComputationGraph:
    """The graph of J for one point (x, y) of ``network`` under ``loss`` ("mse" or "cross_entropy"), ``l2`` (λ)
    and ``l1`` (λ₁): J = ℓ + R with R = λΣw² + λ₁Σ|w| over the weights, as the trainer minimizes.

    x: (d,) inputs. y: (k,) float targets for "mse", or an integer class label for "cross_entropy".
    ``features``: the network reads φ(x) (its first layer is as wide as φ); the graph then has a column of
    feature nodes φⱼ between the inputs and the first layer.
    After construction: ``values[key]`` (forward), ``grads[key]`` = ∂J/∂node for non-leaf nodes,
    ``terms[key]`` the per-child shares summed into it, ``param_grads`` (P,) = ∂J/∂θ in the
    network's flat layout with ``param_data_grads`` + ``param_reg_grads`` its two parts.
    """

    def __init__(self, network: Network, x, y, loss: str = "mse", l2: float = 0.0,
                 features: FeatureMap | None = None, l1: float = 0.0):
        self.layer_sizes = tuple(network.layer_sizes)
        self.features = features
        if features is not None and len(features) != self.layer_sizes[0]:
            raise ValueError(f"the network takes {self.layer_sizes[0]} inputs but the features {features} "
                             f"are {len(features)}")
        self.n_inputs = self.layer_sizes[0] if features is None else features.n_inputs  # d, before φ
        self.activation = network.activation
        self._sigma = get_activation(network.activation)
        self._loss = get_loss(loss)
        self.classification = self._loss.classification
        self.loss = loss
        self.l2, self.l1 = float(l2), float(l1)
        self.regularized = self.l2 > 0 or self.l1 > 0  # then J = ℓ + R has the nodes R and J
        self.flat = network.parameters.copy()
        self._probe = network.copy()  # J at other parameters, for the finite differences
        self.x = np.asarray(x, dtype=np.float64).reshape(self.n_inputs)
        self.phi = self.x if features is None else features(self.x[None, :])[0]  # what the first layer reads
        self.y = self._target(y)
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.parameters: list[Parameter] = []
        self._build_nodes()
        self._build_parameters()
        self.node = {n.key: n for n in self.nodes}
        self.children: dict[str, list[str]] = {n.key: [] for n in self.nodes}
        for n in self.nodes:
            for p in n.parents:
                self.children[p].append(n.key)
        self.forward_order = [n.key for n in self.nodes]
        self.backward_order = [key for key in reversed(self.forward_order) if self.node[key].kind not in LEAF_KINDS]
        self._forward()
        self._backward()

    def _target(self, y):
        k = self.layer_sizes[-1]
        if self.classification:
            label = int(np.asarray(y).reshape(()))
            if not 0 <= label < k:
                raise ValueError(f"class label {label} is out of range for {k} outputs")
            return label
        return np.asarray(y, dtype=np.float64).reshape(k)

    # -- structure --------------------------------------------------------------------------
    @property
    def n_hidden_layers(self) -> int:
        return len(self.layer_sizes) - 2

    @property
    def root(self) -> str:
        return "J" if self.regularized else "loss"

    @property
    def _shift(self) -> int:
        """Columns before the first layer's: the inputs, and the features when there are some."""
        return 1 if self.features is None else 2

    @property
    def score_column(self) -> int:
        return 2 * self.n_hidden_layers + self._shift

    def unit_key(self, layer: int, unit: int) -> str:
        """The key of the node that weight layer ``layer`` reads as its input ``unit``: x (or φ), h, a score."""
        if layer == 0:
            return f"x{unit}" if self.features is None else f"f{unit}"
        return f"s{unit}" if layer == self.n_hidden_layers + 1 else f"h{layer - 1}_{unit}"

    def _feature_parents(self, key: str) -> tuple[str, ...]:
        """The inputs a feature reads: x in 1-D; x₁, x₂ or both in 2-D (its key names them: x1^2, x1x2, sin_x2)."""
        if self.n_inputs == 1:
            return ("x0",)
        return tuple(f"x{i}" for i in range(self.n_inputs) if f"x{i + 1}" in key)

    def _build_nodes(self) -> None:
        k, L = self.layer_sizes[-1], self.n_hidden_layers
        add = self.nodes.append
        for i in range(self.n_inputs):
            add(Node(f"x{i}", "input", 0, i, (), unit=i))
        if self.features is not None:
            for j, key in enumerate(self.features.keys):
                parents = self._feature_parents(key)
                add(Node(f"f{j}", "feature", 1, j, parents, unit=j))
                self.edges += [Edge(x, f"f{j}", None) for x in parents]
        if not self.classification:
            for c in range(k):
                add(Node(f"y{c}", "target", self.score_column, k + c, (), unit=c))
        below = [self.unit_key(0, i) for i in range(self.layer_sizes[0])]
        first = self._shift
        for j in range(L + 1):
            for i in range(self.layer_sizes[j + 1]):
                if j == L:
                    add(Node(f"s{i}", "score", self.score_column, i, tuple(below), j, i))
                else:
                    add(Node(f"z{j}_{i}", "pre", 2 * j + first, i, tuple(below), j, i))
                    add(Node(f"h{j}_{i}", "act", 2 * j + first + 1, i, (f"z{j}_{i}",), j, i))
                    self.edges.append(Edge(f"z{j}_{i}", f"h{j}_{i}", None))
            below = [self.unit_key(j + 1, i) for i in range(self.layer_sizes[j + 1])]
        self._build_loss_nodes(below)

    def _build_loss_nodes(self, scores: list[str]) -> None:
        add, col = self.nodes.append, self.score_column
        if self.classification:
            add(Node("p", "softmax", col + 1, 0, tuple(scores)))
            self.edges += [Edge(s, "p", None) for s in scores]
            add(Node("loss", "loss", col + 2, 0, ("p",)))
            self.edges.append(Edge("p", "loss", None))
        else:
            residuals = [f"r{c}" for c in range(len(scores))]
            for c, r in enumerate(residuals):
                add(Node(r, "residual", col + 1, c, (f"y{c}", f"s{c}"), unit=c))
                self.edges += [Edge(f"y{c}", r, None), Edge(f"s{c}", r, None)]
            add(Node("loss", "loss", col + 2, 0, tuple(residuals)))
            self.edges += [Edge(r, "loss", None) for r in residuals]
        if self.regularized:
            add(Node("R", "reg", col + 2, 1, ()))
            add(Node("J", "objective", col + 3, 0, ("loss", "R")))
            self.edges += [Edge("loss", "J", None), Edge("R", "J", None)]

    def _build_parameters(self) -> None:
        """The parameters in flat order, each with the node it feeds; a weight also labels its edge."""
        L = self.n_hidden_layers
        # the layout's flat index of every weight and bias
        self._index = index = ParameterVector(self.layer_sizes, np.arange(self.flat.size, dtype=np.float64))
        weight_edges = []
        for j in range(L + 1):
            for i in range(self.layer_sizes[j + 1]):
                node = f"s{i}" if j == L else f"z{j}_{i}"
                for c in range(self.layer_sizes[j]):
                    source = self.unit_key(j, c)
                    self.parameters.append(Parameter(int(index.weights[j][i, c]), "weight", j, i, c, node, source))
                    weight_edges.append(Edge(source, node, int(index.weights[j][i, c])))
                self.parameters.append(Parameter(int(index.biases[j][i]), "bias", j, i, None, node, None))
        self.parameters.sort(key=lambda p: p.index)
        self.edges = weight_edges + self.edges
        self._bias = {p.node: p for p in self.parameters if p.kind == "bias"}
        self._weights_into: dict[str, list[Parameter]] = {}
        for p in self.parameters:
            if p.kind == "weight":
                self._weights_into.setdefault(p.node, []).append(p)

    def bias_of(self, key: str) -> Parameter | None:
        """The bias added in a pre-activation or score node (None for any other node)."""
        return self._bias.get(key)

    def weights_into(self, key: str) -> list[Parameter]:
        """The weights summed in a pre-activation or score node, in input order (empty for any other node)."""
        return self._weights_into.get(key, [])

    # -- forward ----------------------------------------------------------------------------
    def _engine_target(self) -> Array:
        """The point's target as the losses take it: (1,) label or (1, k) floats."""
        return np.array([self.y]) if self.classification else self.y[None, :]

    def evaluate(self, flat: Array) -> float:
        """J of this point for other parameters ``flat`` (P,): the function the finite differences probe."""
        self._probe.parameters[...] = flat
        # the engine's own forward pass, without re-checking the one point's shape 2P times
        value = self._loss.function(self._probe._forward(self._X).scores, self._engine_target())[0]
        if self.regularized:
            w = self._probe.parameters[:self._n_weights]
            value += self.l2 * float(np.dot(w, w)) + self.l1 * float(np.abs(w).sum())
        return value

    @property
    def _n_weights(self) -> int:
        return self._index.n_weights

    def _forward(self) -> None:
        self._probe.parameters[...] = self.flat
        fwd = self._probe.forward(self.phi[None, :])
        self._X = fwd.inputs  # (1, d) or (1, F) with features, checked
        self.pre_activations = [z[0] for z in fwd.pre_activations]
        self.activations = [h[0] for h in fwd.activations]
        self.scores = fwd.scores[0]
        loss = self._loss.function(fwd.scores, self._engine_target())[0]
        self.probabilities = softmax(fwd.scores)[0] if self.classification else None
        residuals = None if self.classification else self.y - self.scores
        v: dict[str, float] = {}
        for n in self.nodes:
            if n.kind == "input":
                v[n.key] = float(self.x[n.unit])
            elif n.kind == "feature":
                v[n.key] = float(self.phi[n.unit])
            elif n.kind == "target":
                v[n.key] = float(self.y[n.unit])
            elif n.kind == "pre":
                v[n.key] = float(self.pre_activations[n.layer][n.unit])
            elif n.kind == "act":
                v[n.key] = float(self.activations[n.layer][n.unit])
            elif n.kind == "score":
                v[n.key] = float(self.scores[n.unit])
            elif n.kind == "residual":
                v[n.key] = float(residuals[n.unit])
        if self.classification:
            v["p"] = float(self.probabilities[self.y])
        v["loss"] = loss
        w = self.flat[:self._n_weights]
        self.weight_sum_of_squares = float(np.dot(w, w))
        self.weight_sum_of_magnitudes = float(np.abs(w).sum())
        if self.regularized:
            v["R"] = self.l2 * self.weight_sum_of_squares + self.l1 * self.weight_sum_of_magnitudes
            v["J"] = loss + v["R"]
        self.values = v
        self.objective = v[self.root]

    # -- backward ---------------------------------------------------------------------------
    def _local(self, child: str, node: str) -> float:
        """∂child/∂node at the forward values."""
        c, n = self.node[child], self.node[node]
        v = self.values
        if c.kind in ("pre", "score"):  # ∂z/∂o = the weight on the edge o → z (o: an input or an h)
            return float(self.flat[int(self._index.weights[c.layer][c.unit, n.unit])])
        if c.kind == "act":
            return float(self._sigma.derivative(np.array([v[node]]), np.array([v[child]]))[0])
        if c.kind == "residual":
            return -1.0 if n.kind == "score" else 1.0
        if c.kind == "loss":
            return 2.0 * v[node] if n.kind == "residual" else -1.0 / v[node]
        if c.kind == "softmax":
            return v["p"] * ((n.unit == self.y) - float(self.probabilities[n.unit]))
        if c.kind == "objective":
            return 1.0
        raise ValueError(f"no local derivative of {child} with respect to {node}")

    def _backward(self) -> None:
        grads: dict[str, float] = {self.root: 1.0}
        terms: dict[str, list[Term]] = {self.root: []}
        for key in self.backward_order[1:]:
            shares = []
            for child in self.children[key]:
                upstream, local = grads[child], self._local(child, key)
                value = upstream * local
                if self.node[child].kind == "softmax" and not (math.isfinite(value) and self.values["p"] > 0):
                    # p_y underflowed: (−1/p_y)·p_y(δ − pᵢ) is 0·∞ in floats; its limit is pᵢ − δ
                    i = self.node[key].unit
                    value = grads["loss"] * (float(self.probabilities[i]) - (i == self.y))
                shares.append(Term(child, upstream, local, value))
            terms[key] = shares
            grads[key] = math.fsum(t.value for t in shares)
        self.grads, self.terms = grads, terms
        # parameters: ∂J/∂W[i, c] = ∂J/∂z_i · o_c (+ 2λW), ∂J/∂b_i = ∂J/∂z_i
        data = np.zeros_like(self.flat)
        for p in self.parameters:
            data[p.index] = grads[p.node] * (self.values[p.source] if p.kind == "weight" else 1.0)
        reg = np.zeros_like(self.flat)
        if self.regularized:  # the subgradient sign(w) of |w|, 0 at w = 0, as the engine takes it
            n_w = self._n_weights
            reg[:n_w] = 2.0 * self.l2 * self.flat[:n_w] + self.l1 * np.sign(self.flat[:n_w])
        self.param_data_grads, self.param_reg_grads = data, reg
        self.param_grads = data + reg

    def finite_differences(self, eps: float = 1e-6) -> Array:
        """(P,) central differences (J(θ + εeₚ) − J(θ − εeₚ)) / 2ε, one per parameter."""
        out = np.empty_like(self.flat)
        theta = self.flat.copy()
        for p in range(theta.size):
            keep = theta[p]
            theta[p] = keep + eps
            up = self.evaluate(theta)
            theta[p] = keep - eps
            down = self.evaluate(theta)
            theta[p] = keep
            out[p] = (up - down) / (2 * eps)
        return out

    def gradient_check(self, eps: float = 1e-6) -> tuple[Array, Array]:
        """(finite differences, relative error against backprop), both (P,)."""
        fd = self.finite_differences(eps)
        return fd, relative_error(self.param_grads, fd)

    def updated_parameters(self, learning_rate: float) -> Array:
        """θ − η ∂J/∂θ: one plain gradient step on this point alone."""
        return self.flat - learning_rate * self.param_grads

    def revealed(self, done: int) -> tuple[set[str], set[str]]:
        """(nodes whose value is shown, nodes whose ∂J/∂node is shown) after ``done`` steps of forward + backward."""
        known = set(self.forward_order[:done])
        differentiated = set(self.backward_order[:max(done - len(self.forward_order), 0)])
        return known, differentiated

    def step_at(self, done: int) -> tuple[str, str] | None:
        """The step shown when ``done`` steps are done: (phase, node key) of the last one, or None at the start."""
        if done == 0:
            return None
        n_forward = len(self.forward_order)
        if done <= n_forward:
            return "forward", self.forward_order[done - 1]
        return "backward", self.backward_order[done - n_forward - 1]

    @property
    def total_steps(self) -> int:
        return len(self.forward_order) + len(self.backward_order)
