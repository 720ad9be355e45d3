"""The computation graph of one training point, as on the lecture's backpropagation slides.

Nodes are the intermediate variables of J for a single point (x, y):

    inputs xₖ (and the target y for regression)
    every hidden unit's pre-activation zᵢ = Σₖ wᵢₖ oₖ + bᵢ and activation hᵢ = σ(zᵢ)
    the output scores (ŷ for regression)
    regression:      residual r = y − ŷ,  loss ℓ = r²             (Σ over outputs when there are several)
    classification:  p_y = softmax(s)_y,  loss ℓ = −log p_y
    with λ > 0:      regularization R = λ Σ w² (weights only) and objective J = ℓ + R

The forward pass fills in node values in topological order (every node after its parents);
the backward pass visits the non-leaf nodes in reverse topological order and gives each
∂J/∂node as the sum over its children of ∂J/∂child · ∂child/∂node — "first sum partial
derivatives from all children, then multiply". Weights and biases are not nodes: a weight
labels the edge it scales, and ∂J/∂w = ∂J/∂z · o (+ 2λw from R) is read off that edge.

``finite_differences`` re-evaluates J with each parameter nudged both ways, an independent
check of every backprop gradient. numpy and the standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..notation import sub, sup
from .activations import get_activation
from .losses import get_loss
from .network import Network, ParameterVector

Array = np.ndarray

MAX_UNITS = 40  # hidden + output units the inspector draws; more would not be readable
LEAF_KINDS = frozenset({"input", "target"})
def fmt(value: float, digits: int = 3) -> str:
    """A number for a slide: ``digits`` significant digits, no trailing zeros, a true minus sign."""
    if value is None:
        return "—"
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0.0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def signed(value: float, digits: int = 3) -> str:
    """A term of a sum: negative numbers in parentheses, as in 0.12 + (−0.30)."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith("−") else text


def relative_error(a, b, floor: float = 1e-7):
    """|a − b| / max(|a|, |b|, floor): 0 when both are (numerically) zero."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)


def too_large_reason(layer_sizes) -> str | None:
    """Why the graph of a network with ``layer_sizes`` would not be readable, or None if it is small enough."""
    units = int(sum(layer_sizes[1:]))
    if units > MAX_UNITS:
        return (f"this network has {units} hidden and output units; the inspector draws networks of up to "
                f"{MAX_UNITS} units so that every value stays readable. Use fewer or smaller hidden layers.")
    return None


@dataclass(frozen=True)
class Node:
    """One intermediate variable. ``column``/``row`` place it in a drawing, columns ordered by layer."""

    key: str
    label: str
    kind: str                    # input | target | pre | act | score | residual | softmax | loss | reg | objective
    column: int
    row: int
    parents: tuple[str, ...]
    layer: int | None = None     # index into network.weights of the layer that computes it (pre / score)
    unit: int | None = None      # its row in that layer


@dataclass(frozen=True)
class Edge:
    """An arrow parent → child; ``parameter`` is the flat index of the weight it carries (None: no weight)."""

    source: str
    target: str
    parameter: int | None


@dataclass(frozen=True)
class Parameter:
    """One entry of the flat parameter vector: a weight W[layer][row, col] or a bias b[layer][row]."""

    index: int
    label: str
    kind: str                 # weight | bias
    layer: int
    row: int
    col: int | None
    node: str                 # the pre-activation / score node it feeds
    source: str | None        # for a weight: the node it scales


@dataclass(frozen=True)
class Term:
    """One child's share of ∂J/∂node: upstream ∂J/∂child times local ∂child/∂node."""

    child: str
    upstream: float
    local: float
    value: float


class ComputationGraph:
    """The graph of J for one point (x, y) of ``network`` under ``loss`` ("mse" or "cross_entropy") and ``l2``.

    x: (d,) inputs. y: (k,) float targets for "mse", or an integer class label for "cross_entropy".
    After construction: ``values[key]`` (forward), ``grads[key]`` = ∂J/∂node for non-leaf nodes,
    ``terms[key]`` the per-child shares summed into it, ``param_grads`` (P,) = ∂J/∂θ in the
    network's flat layout with ``param_data_grads`` + ``param_reg_grads`` its two parts.
    """

    def __init__(self, network: Network, x, y, loss: str = "mse", l2: float = 0.0):
        self.layer_sizes = tuple(network.layer_sizes)
        self.activation = network.activation
        self._sigma = get_activation(network.activation)
        self.classification = get_loss(loss).classification
        self.loss = loss
        self.l2 = float(l2)
        self.flat = network.parameters.copy()
        self.x = np.asarray(x, dtype=np.float64).reshape(self.layer_sizes[0])
        k = self.layer_sizes[-1]
        if self.classification:
            label = int(np.asarray(y).reshape(()))
            if not 0 <= label < k:
                raise ValueError(f"class label {label} is out of range for {k} outputs")
            self.y = label
        else:
            self.y = np.asarray(y, dtype=np.float64).reshape(k)
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.parameters: list[Parameter] = []
        self._build()
        self.node = {n.key: n for n in self.nodes}
        self.children: dict[str, list[str]] = {n.key: [] for n in self.nodes}
        for n in self.nodes:
            for p in n.parents:
                self.children[p].append(n.key)
        self.forward_order = [n.key for n in self.nodes]
        self.backward_order = [key for key in reversed(self.forward_order) if self.node[key].kind not in LEAF_KINDS]
        self._forward()
        self._backward()

    # -- structure --------------------------------------------------------------------------
    @property
    def n_hidden_layers(self) -> int:
        return len(self.layer_sizes) - 2

    @property
    def root(self) -> str:
        return "J" if self.l2 > 0 else "loss"

    def _unit_label(self, letter: str, layer: int, unit: int) -> str:
        """z₂ for one hidden layer; z⁽²⁾₁ when there are several."""
        if self.n_hidden_layers > 1:
            return f"{letter}⁽{sup(layer + 1)}⁾{sub(unit + 1)}"
        return f"{letter}{sub(unit + 1)}"

    def _build(self) -> None:
        d, k, L = self.layer_sizes[0], self.layer_sizes[-1], self.n_hidden_layers
        index = ParameterVector(self.layer_sizes, np.arange(self.flat.size, dtype=np.float64))
        add = self.nodes.append
        inputs = [f"x{i}" for i in range(d)]
        for i, key in enumerate(inputs):
            add(Node(key, "x" if d == 1 else f"x{sub(i + 1)}", "input", 0, i, ()))
        score_col = 2 * L + 1
        if not self.classification:
            for c in range(k):
                add(Node(f"y{c}", "y" if k == 1 else f"y{sub(c + 1)}", "target", score_col, k + c, ()))
        below = inputs
        for j in range(L + 1):
            last = j == L
            m = self.layer_sizes[j + 1]
            W = index.weights[j]
            for i in range(m):
                if last:
                    key = f"s{i}"
                    if self.classification:
                        label = f"s{sub(i + 1)}"
                    else:
                        label = "ŷ" if k == 1 else f"ŷ{sub(i + 1)}"
                    add(Node(key, label, "score", score_col, i, tuple(below), j, i))
                else:
                    key = f"z{j}_{i}"
                    add(Node(key, self._unit_label("z", j, i), "pre", 2 * j + 1, i, tuple(below), j, i))
                for c, source in enumerate(below):
                    self.edges.append(Edge(source, key, int(W[i, c])))
                if not last:
                    h = f"h{j}_{i}"
                    add(Node(h, self._unit_label("h", j, i), "act", 2 * j + 2, i, (key,), j, i))
                    self.edges.append(Edge(key, h, None))
            below = [f"s{i}" if last else f"h{j}_{i}" for i in range(m)]
        scores = below
        if self.classification:
            p_label = f"p{sub(self.y + 1)}"
            add(Node("p", p_label, "softmax", score_col + 1, 0, tuple(scores)))
            self.edges += [Edge(s, "p", None) for s in scores]
            add(Node("loss", "ℓ", "loss", score_col + 2, 0, ("p",)))
            self.edges.append(Edge("p", "loss", None))
        else:
            residuals = []
            for c in range(k):
                r = f"r{c}"
                add(Node(r, "r" if k == 1 else f"r{sub(c + 1)}", "residual", score_col + 1, c, (f"y{c}", f"s{c}")))
                self.edges += [Edge(f"y{c}", r, None), Edge(f"s{c}", r, None)]
                residuals.append(r)
            add(Node("loss", "ℓ", "loss", score_col + 2, 0, tuple(residuals)))
            self.edges += [Edge(r, "loss", None) for r in residuals]
        if self.l2 > 0:
            add(Node("R", "R", "reg", score_col + 2, 1, ()))
            add(Node("J", "J", "objective", score_col + 3, 0, ("loss", "R")))
            self.edges += [Edge("loss", "J", None), Edge("R", "J", None)]
        # the parameters in flat order, with the node each one feeds
        for j in range(L + 1):
            last = j == L
            for i in range(self.layer_sizes[j + 1]):
                node = f"s{i}" if last else f"z{j}_{i}"
                for c in range(self.layer_sizes[j]):
                    source = f"x{c}" if j == 0 else f"h{j - 1}_{c}"
                    self.parameters.append(Parameter(int(index.weights[j][i, c]), self._param_label("w", j, i, c),
                                                     "weight", j, i, c, node, source))
        for j in range(L + 1):
            for i in range(self.layer_sizes[j + 1]):
                node = f"s{i}" if j == L else f"z{j}_{i}"
                self.parameters.append(Parameter(int(index.biases[j][i]), self._param_label("b", j, i, None),
                                                 "bias", j, i, None, node, None))
        self.parameters.sort(key=lambda p: p.index)

    def _param_label(self, letter: str, layer: int, row: int, col: int | None) -> str:
        indices = sub(row + 1) if col is None else f"{sub(row + 1)}{sub(col + 1)}"
        return f"{letter}⁽{sup(layer + 1)}⁾{indices}"

    def describe_parameter(self, index: int) -> str:
        """'w⁽¹⁾₁₂: x₂ → z₁' or 'b⁽¹⁾₁ of z₁' for the inspector's tables."""
        p = self.parameters[index]
        if p.kind == "weight":
            return f"{p.label}: {self.node[p.source].label} → {self.node[p.node].label}"
        return f"{p.label}: bias of {self.node[p.node].label}"

    # -- forward ----------------------------------------------------------------------------
    def _views(self, flat: Array) -> ParameterVector:
        return ParameterVector(self.layer_sizes, flat)

    def _forward_arrays(self, flat: Array):
        """(zs, hs, scores) of the point for parameters ``flat``, computed as the engine does (o Wᵀ + b)."""
        params = self._views(flat)
        o = self.x[None, :]
        zs, hs = [], []
        for W, b in zip(params.weights[:-1], params.biases[:-1]):
            z = o @ W.T
            z += b
            o = self._sigma.forward(z)
            zs.append(z[0])
            hs.append(o[0])
        scores = o @ params.weights[-1].T
        scores += params.biases[-1]
        return zs, hs, scores[0]

    def _loss_of(self, scores: Array) -> tuple[float, float | None, Array | None]:
        """(ℓ, p_y, residuals) for the point's scores."""
        if self.classification:
            shifted = scores - scores.max()
            total = float(np.exp(shifted).sum())
            loss = math.log(total) - float(shifted[self.y])
            return loss, float(np.exp(shifted[self.y]) / total), None
        r = self.y - scores
        return float(np.dot(r, r)), None, r

    def evaluate(self, flat: Array) -> float:
        """J of this point for other parameters ``flat`` (P,): the function the finite differences probe."""
        _, _, scores = self._forward_arrays(np.asarray(flat, dtype=np.float64))
        value = self._loss_of(scores)[0]
        if self.l2 > 0:
            w = flat[:self._views(flat).n_weights]
            value += self.l2 * float(np.dot(w, w))
        return value

    def _forward(self) -> None:
        zs, hs, scores = self._forward_arrays(self.flat)
        self.pre_activations, self.activations, self.scores = zs, hs, scores
        v: dict[str, float] = {}
        for i, xi in enumerate(self.x):
            v[f"x{i}"] = float(xi)
        for j, (z, h) in enumerate(zip(zs, hs)):
            for i in range(z.size):
                v[f"z{j}_{i}"], v[f"h{j}_{i}"] = float(z[i]), float(h[i])
        for i, s in enumerate(scores):
            v[f"s{i}"] = float(s)
        loss, p_y, r = self._loss_of(scores)
        if self.classification:
            e = np.exp(scores - scores.max())
            self.probabilities = e / e.sum()
            v["p"] = p_y
        else:
            self.probabilities = None
            for c in range(r.size):
                v[f"y{c}"], v[f"r{c}"] = float(self.y[c]), float(r[c])
        v["loss"] = loss
        self.weight_sum_of_squares = float(np.dot(self.flat[:self._views(self.flat).n_weights],
                                                  self.flat[:self._views(self.flat).n_weights]))
        if self.l2 > 0:
            v["R"] = self.l2 * self.weight_sum_of_squares
            v["J"] = loss + v["R"]
        self.values = v
        self.objective = v[self.root]

    # -- backward ---------------------------------------------------------------------------
    def _local(self, child: str, node: str) -> float:
        """∂child/∂node at the forward values."""
        c, n = self.node[child], self.node[node]
        v = self.values
        if c.kind in ("pre", "score"):
            params = self._views(self.flat)
            col = n.unit if n.kind == "act" else int(node[1:])
            return float(params.weights[c.layer][c.unit, col])
        if c.kind == "act":
            z = np.array([v[node]])
            return float(self._sigma.derivative(z, np.array([v[child]]))[0])
        if c.kind == "residual":
            return -1.0 if n.kind == "score" else 1.0
        if c.kind == "loss":
            return 2.0 * v[node] if n.kind == "residual" else -1.0 / v[node]
        if c.kind == "softmax":
            i = int(node[1:])
            return v["p"] * ((i == self.y) - float(self.probabilities[i]))
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
                    i = int(key[1:])
                    value = grads["loss"] * (float(self.probabilities[i]) - (i == self.y))
                shares.append(Term(child, upstream, local, value))
            terms[key] = shares
            grads[key] = math.fsum(t.value for t in shares)
        self.grads, self.terms = grads, terms
        # parameters: ∂J/∂W[i, c] = ∂J/∂z_i · o_c (+ 2λW), ∂J/∂b_i = ∂J/∂z_i
        data = np.zeros_like(self.flat)
        for p in self.parameters:
            upstream = grads[p.node]
            data[p.index] = upstream * (self.values[p.source] if p.kind == "weight" else 1.0)
        reg = np.zeros_like(self.flat)
        if self.l2 > 0:
            n_w = self._views(self.flat).n_weights
            reg[:n_w] = 2.0 * self.l2 * self.flat[:n_w]
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

    # -- words and numbers for the inspector ------------------------------------------------
    def label(self, key: str) -> str:
        return self.node[key].label

    def bias_of(self, key: str) -> Parameter | None:
        n = self.node[key]
        if n.kind not in ("pre", "score"):
            return None
        return next(p for p in self.parameters if p.kind == "bias" and p.node == key)

    def forward_text(self, key: str) -> str:
        """The node's forward computation with the numbers in it."""
        n, v = self.node[key], self.values
        lab = n.label
        if n.kind == "input":
            return f"{lab} = {fmt(v[key])}   (the point's input)"
        if n.kind == "target":
            return f"{lab} = {fmt(v[key])}   (the point's target)"
        if n.kind in ("pre", "score"):
            bias = self.bias_of(key)
            w = [p for p in self.parameters if p.kind == "weight" and p.node == key]
            symbolic = " + ".join(f"{p.label}·{self.label(p.source)}" for p in w) + f" + {bias.label}"
            numbers = " + ".join(f"{signed(self.flat[p.index])}·{signed(v[p.source])}" for p in w)
            numbers += f" + {signed(self.flat[bias.index])}"
            if len(w) > 4:
                symbolic = f"Σₖ w·{'x' if n.layer == 0 else 'h'}ₖ + {bias.label}"
                numbers = f"{len(w)} products + {signed(self.flat[bias.index])}"
            return f"{lab} = {symbolic} = {numbers} = {fmt(v[key])}"
        if n.kind == "act":
            z = self.label(n.parents[0])
            return f"{lab} = {self.activation}({z}) = {self.activation}({fmt(v[n.parents[0]])}) = {fmt(v[key])}"
        if n.kind == "residual":
            y, s = n.parents
            return f"{lab} = {self.label(y)} − {self.label(s)} = {fmt(v[y])} − {signed(v[s])} = {fmt(v[key])}"
        if n.kind == "softmax":
            probs = ", ".join(f"p{sub(i + 1)} = {fmt(p)}" for i, p in enumerate(self.probabilities))
            return (f"{lab} = softmax(s){sub(self.y + 1)} = e^s{sub(self.y + 1)} / Σ e^sᵢ = {fmt(v[key])}"
                    f"   (true class {self.y + 1}; {probs})")
        if n.kind == "loss":
            if self.classification:
                return f"ℓ = −log {self.label('p')} = −log {fmt(v['p'])} = {fmt(v[key])}"
            rs = [r for r in n.parents]
            if len(rs) == 1:
                return f"ℓ = r² = {signed(v[rs[0]])}² = {fmt(v[key])}"
            return f"ℓ = Σ r² = {' + '.join(signed(v[r]) + '²' for r in rs)} = {fmt(v[key])}"
        if n.kind == "reg":
            return f"R = λ Σ w² = {fmt(self.l2)} · {fmt(self.weight_sum_of_squares)} = {fmt(v[key])}   (biases not penalized)"
        if n.kind == "objective":
            return f"J = ℓ + R = {fmt(v['loss'])} + {fmt(v['R'])} = {fmt(v[key])}"
        raise ValueError(key)

    def _d(self, key: str) -> str:
        return f"∂J/∂{self.label(key)}"

    def sum_text(self, key: str) -> str:
        """The right-hand side summed over children, e.g. '0.12 + (−0.3) = −0.18' (just the value for one child)."""
        shares = self.terms.get(key, [])
        if len(shares) <= 1:
            return fmt(self.grads[key])
        return " + ".join(signed(t.value) for t in shares) + f" = {fmt(self.grads[key])}"

    def backward_text(self, key: str) -> str:
        """∂J/∂node as the lecture writes it: the sum over children of upstream × local, with numbers."""
        n = self.node[key]
        if key == self.root:
            if n.kind == "loss":
                return "∂J/∂ℓ = 1   (λ = 0, so the objective J is the loss ℓ)"
            return "∂J/∂J = 1"
        shares = self.terms[key]
        parts = []
        for t in shares:
            parts.append(f"{self._d(t.child)}·∂{self.label(t.child)}/∂{n.label}")
        numbers = " + ".join(f"{signed(t.upstream)}·{signed(t.local)}" for t in shares)
        if len(shares) > 4:
            parts = [f"Σ over {len(shares)} children of ∂J/∂child·∂child/∂{n.label}"]
            numbers = " + ".join(signed(t.value) for t in shares[:3]) + " + …"
        text = f"{self._d(key)} = {' + '.join(parts)} = {numbers}"
        if len(shares) > 1:
            text += f" = {' + '.join(signed(t.value) for t in shares) if len(shares) <= 4 else numbers}"
        text += f" = {fmt(self.grads[key])}"
        if n.kind == "reg":
            text += f";  R adds ∂R/∂w = 2λw = {fmt(2 * self.l2)}·w to every weight's gradient"
        if n.kind in ("pre", "score"):
            bias = self.bias_of(key)
            source = "x" if n.layer == 0 else "h"
            text += f";  so ∂J/∂{bias.label} = {fmt(self.grads[key])} and ∂J/∂w = {self._d(key)}·{source}ₖ"
            if self.l2 > 0:
                text += " + 2λw"
        return text

    def parameter_text(self, index: int) -> str:
        """∂J/∂θ of one parameter with its data and regularization parts."""
        p = self.parameters[index]
        g = self._d(p.node)
        if p.kind == "bias":
            return f"∂J/∂{p.label} = {g} = {fmt(self.param_grads[index])}"
        text = (f"∂J/∂{p.label} = {g}·{self.label(p.source)} = {signed(self.grads[p.node])}·"
                f"{signed(self.values[p.source])}")
        if self.l2 > 0:
            text += (f" + 2λ{p.label} = {signed(self.param_data_grads[index])} + "
                     f"{signed(self.param_reg_grads[index])}")
        return text + f" = {fmt(self.param_grads[index])}"
