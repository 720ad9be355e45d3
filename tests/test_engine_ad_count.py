"""The multiplication counts of engine/ad_count.py against a brute count: a tiny instrumented scalar autodiff
that runs both modes on the real network's computation, one scalar operation at a time, and counts every
multiplication it does. Its gradients must equal the engine's backprop, so what it counts is a gradient."""

import numpy as np
import pytest

from playground.engine import Network
from playground.engine.activations import get_activation
from playground.engine.ad_count import gradient_cost, input_gradient_chain, optimal_chain_cost, product_cost
from playground.engine.losses import get_loss


class Graph:
    """Scalar nodes in topological order. A node ``varies`` if it depends on a parameter: only those carry
    tangents (forward mode) and adjoints (reverse mode); inputs and the loss's derivative g are constants."""

    def __init__(self, activation):
        self.sigma = get_activation(activation)
        self.ops, self.values, self.varies, self.params = [], [], [], []

    def _node(self, op, value, varies, args=()):
        self.ops.append((op, args))
        self.values.append(float(value))
        self.varies.append(varies)
        return len(self.values) - 1

    def const(self, value):
        return self._node("const", value, False)

    def param(self, value):
        self.params.append(self._node("param", value, True))
        return self.params[-1]

    def mul(self, a, b):
        return self._node("mul", self.values[a] * self.values[b], self.varies[a] or self.varies[b], (a, b))

    def add(self, a, b):
        return self._node("add", self.values[a] + self.values[b], self.varies[a] or self.varies[b], (a, b))

    def act(self, a):
        z = np.array([self.values[a]])
        return self._node("act", self.sigma.forward(z)[0], self.varies[a], (a,))

    def slope(self, node):
        """σ′ at the input of an "act" node (a primitive: not counted)."""
        (a,) = self.ops[node][1]
        z, h = np.array([self.values[a]]), np.array([self.values[node]])
        return float(self.sigma.derivative(z, h)[0])

    def reverse(self, out):
        """One backward pass from ∂out/∂out = 1: (gradient over the parameters, multiplications)."""
        adjoint, count = {out: 1.0}, 0
        for node in range(out, -1, -1):
            op, args = self.ops[node]
            if node not in adjoint or op in ("const", "param"):
                continue
            bar = adjoint[node]
            if op == "add":
                for a in args:
                    if self.varies[a]:
                        adjoint[a] = adjoint.get(a, 0.0) + bar
            elif op == "mul":
                a, b = args
                for x, other in ((a, b), (b, a)):
                    if self.varies[x]:
                        adjoint[x] = adjoint.get(x, 0.0) + bar * self.values[other]
                        count += 1
            elif op == "act":
                adjoint[args[0]] = adjoint.get(args[0], 0.0) + bar * self.slope(node)
                count += 1
        return np.array([adjoint.get(p, 0.0) for p in self.params]), count

    def forward_mode(self, out):
        """One tangent pass per parameter (a dense tangent over the nodes that vary): (gradient, multiplications)."""
        gradient, count = [], 0
        for seeded in self.params:
            tangent = {}
            for node, (op, args) in enumerate(self.ops[:out + 1]):
                if not self.varies[node]:
                    continue
                if op == "param":
                    tangent[node] = 1.0 if node == seeded else 0.0
                elif op == "add":
                    tangent[node] = sum(tangent[a] for a in args if self.varies[a])
                elif op == "mul":
                    a, b = args
                    terms = [tangent[x] * self.values[other] for x, other in ((a, b), (b, a)) if self.varies[x]]
                    count += len(terms)
                    tangent[node] = sum(terms)
                elif op == "act":
                    tangent[node] = self.slope(node) * tangent[args[0]]
                    count += 1
            gradient.append(tangent[out])
        return np.array(gradient), count


def build(network, x, g):
    """The scalar graph of gᵀf(x) for one point x (d,), with the parameters in ``Network.parameters`` order."""
    graph = Graph(network.activation)
    sizes = network.layer_sizes
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    flat = network.parameters
    nodes = [None] * flat.size
    # parameters first, in the flat layout (weights of every layer, then the biases)
    for i in range(flat.size):
        nodes[i] = graph.param(flat[i])
    h = [graph.const(v) for v in x]
    w_at, b_at = 0, n_weights
    for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        z = []
        for i in range(fan_out):
            total = nodes[b_at + i]
            for j in range(fan_in):
                total = graph.add(total, graph.mul(nodes[w_at + i * fan_in + j], h[j]))
            z.append(total)
        w_at, b_at = w_at + fan_in * fan_out, b_at + fan_out
        h = z if layer == len(sizes) - 2 else [graph.act(node) for node in z]
    out = graph.const(0.0)
    for gi, fi in zip(g, h):
        out = graph.add(out, graph.mul(graph.const(gi), fi))
    return graph, out


@pytest.mark.parametrize("sizes, activation", [((1, 3, 1), "logistic"), ((2, 4, 3, 2), "tanh"),
                                               ((2, 2), "tanh"), ((1, 2, 2, 2, 1), "relu")])
def test_counts_match_an_instrumented_autodiff_and_its_gradient_is_backprop(sizes, activation):
    network = Network(sizes, activation, seed=3)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=sizes[0]), rng.normal(size=sizes[-1])
    _, g = get_loss("mse").function(network.predict(x[None, :]), y[None, :])  # g = ∂ℓ/∂f for this point
    graph, out = build(network, x, g[0])
    reverse_gradient, reverse_count = graph.reverse(out)
    forward_gradient, forward_count = graph.forward_mode(out)
    _, backprop = network.loss_and_gradients(x[None, :], y[None, :], "mse")
    np.testing.assert_allclose(reverse_gradient, backprop.flat, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(forward_gradient, backprop.flat, rtol=1e-10, atol=1e-13)
    cost = gradient_cost(sizes)
    assert cost.parameters == network.parameters.size
    assert cost.per_pass == reverse_count                       # one backward pass
    assert cost.parameters * cost.per_pass == forward_count     # one tangent pass per parameter
    forward_pass = sum(op == "mul" for op, _ in graph.ops) - sizes[-1]  # the graph's Wh products (not gᵀf's)
    assert cost.forward_pass == forward_pass


def test_the_lecture_network_three_logistic_units():
    """1-3-1: P = 10; one pass: dW 6 + Wᵀδ 3 + σ′ 3 + seed 1 = 13."""
    cost = gradient_cost((1, 3, 1))
    assert (cost.parameters, cost.forward_pass, cost.per_pass) == (10, 6, 13)
    assert (cost.reverse, cost.forward) == (6 + 13, 6 + 10 * 13)


def test_bad_layer_sizes_are_refused_naming_the_field():
    with pytest.raises(ValueError, match="^layer_sizes: "):
        gradient_cost((3,))


def all_orders(shapes):
    """Every way to multiply the chain, by brute force: (cost, shape) of each full parenthesization."""
    if len(shapes) == 1:
        return [(0, shapes[0])]
    results = []
    for k in range(1, len(shapes)):
        for left_cost, (p, q) in all_orders(shapes[:k]):
            for right_cost, (q2, r) in all_orders(shapes[k:]):
                assert q == q2
                results.append((left_cost + right_cost + p * q * r, (p, r)))
    return results


def multiply_in_order(mats, order):
    """Multiply the matrices one at a time in this order, counting p·q·r per product: the costs' independent check."""
    count = 0
    if order == "reverse":
        acc = mats[0]
        for m in mats[1:]:
            count += acc.shape[0] * acc.shape[1] * m.shape[1]
            acc = acc @ m
    else:
        acc = mats[-1]
        for m in reversed(mats[:-1]):
            count += m.shape[0] * m.shape[1] * acc.shape[1]
            acc = m @ acc
    return acc, count


@pytest.mark.parametrize("shapes", [[(1, 4), (4, 3), (3, 5)], [(2, 3), (3, 6), (6, 4), (4, 1), (1, 7)],
                                    [(1, 2), (2, 8), (8, 8), (8, 2)]])
def test_chain_orders_against_brute_force(shapes):
    rng = np.random.default_rng(1)
    mats = [rng.normal(size=s) for s in shapes]
    reverse_product, reverse_count = multiply_in_order(mats, "reverse")
    forward_product, forward_count = multiply_in_order(mats, "forward")
    np.testing.assert_allclose(reverse_product, forward_product, rtol=1e-10, atol=1e-12)
    assert product_cost(shapes, "reverse") == reverse_count
    assert product_cost(shapes, "forward") == forward_count
    best, order = optimal_chain_cost(shapes)
    assert best == min(cost for cost, _ in all_orders(shapes))
    assert order.count("(") == len(shapes) - 1 and all(f"J{i + 1}" in order for i in range(len(shapes)))


def test_the_lecture_chain_d4_d3_d2_d1():
    """∂y/∂a = (D4×D3)(D3×D2)(D2×D1): backward D4·D3·D2 + D4·D2·D1, forward D3·D2·D1 + D4·D3·D1."""
    D1, D2, D3, D4 = 7, 5, 3, 1   # a vector input, a scalar output
    shapes = [(D4, D3), (D3, D2), (D2, D1)]
    assert product_cost(shapes, "reverse") == D4 * D3 * D2 + D4 * D2 * D1 == 50
    assert product_cost(shapes, "forward") == D3 * D2 * D1 + D4 * D3 * D1 == 126
    assert optimal_chain_cost(shapes) == (50, "((J1 J2) J3)")


def test_a_scalar_loss_makes_the_reverse_order_optimal_for_the_input_gradient():
    shapes = input_gradient_chain((2, 8, 8, 2))
    assert shapes == [(1, 2), (2, 8), (8, 8), (8, 2)]
    assert product_cost(shapes, "reverse") == optimal_chain_cost(shapes)[0] == 1 * 2 * 8 + 1 * 8 * 8 + 1 * 8 * 2
    assert product_cost(shapes, "forward") == 8 * 8 * 2 + 2 * 8 * 2 + 1 * 2 * 2
