"""The computation graph of one point and the hidden-space numbers, against the engine and finite differences."""

import numpy as np
import pytest

from playground.data import get_preset
from playground.engine import Network
from playground.engine.graph import ComputationGraph, relative_error
from playground.engine.graph_parts import LEAF_KINDS
from playground.engine.hidden_space import (
    boundary_points,
    decision_line,
    grid_lines,
    layer_outputs,
    map_lines,
    nice_extent,
    representation_table,
)
from playground.notation import fmt, signed
from playground.ui.graph_text import GraphText

CASES = [  # (layer sizes, activation, loss)
    ((1, 3, 1), "tanh", "mse"),
    ((1, 1), "linear", "mse"),                 # the lecture's linear regression: ŷ → r → ℓ
    ((2, 3, 2), "logistic", "mse"),
    ((2, 2, 2), "tanh", "cross_entropy"),
    ((2, 4, 3, 3), "tanh", "cross_entropy"),
    ((2, 5, 2), "relu", "cross_entropy"),
    ((2, 2), "tanh", "cross_entropy"),
]


def _point(sizes, loss, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, sizes[0])
    y = int(rng.integers(sizes[-1])) if loss == "cross_entropy" else rng.normal(size=sizes[-1])
    return x, y


def _engine_targets(y, loss):
    return np.array([y]) if loss == "cross_entropy" else np.asarray(y)[None, :]


@pytest.mark.parametrize("sizes, activation, loss", CASES)
def test_forward_values_equal_the_engines_forward_pass(sizes, activation, loss):
    net = Network(sizes, activation, seed=1)
    x, y = _point(sizes, loss)
    g = ComputationGraph(net, x, y, loss)
    fwd = net.forward(x[None, :])
    for j, (z, h) in enumerate(zip(fwd.pre_activations, fwd.activations)):
        for i in range(z.shape[1]):
            assert g.values[f"z{j}_{i}"] == pytest.approx(z[0, i], abs=1e-14)
            assert g.values[f"h{j}_{i}"] == pytest.approx(h[0, i], abs=1e-14)
    for i in range(sizes[-1]):
        assert g.values[f"s{i}"] == pytest.approx(fwd.scores[0, i], abs=1e-14)
    J, _ = net.loss_and_gradients(x[None, :], _engine_targets(y, loss), loss)
    assert g.values["loss"] == pytest.approx(J, rel=1e-13) and g.objective == pytest.approx(J, rel=1e-13)


@pytest.mark.parametrize("sizes, activation, loss", CASES)
@pytest.mark.parametrize("l2", [0.0, 0.03])
def test_backward_equals_the_engines_gradients_on_that_single_point(sizes, activation, loss, l2):
    net = Network(sizes, activation, seed=2)
    x, y = _point(sizes, loss, seed=5)
    g = ComputationGraph(net, x, y, loss, l2)
    J, grads = net.loss_and_gradients(x[None, :], _engine_targets(y, loss), loss, l2)
    assert g.objective == pytest.approx(J, rel=1e-12)
    np.testing.assert_allclose(g.param_grads, grads.flat, rtol=1e-10, atol=1e-13)
    # ∂J/∂z of every unit is the bias gradient the engine computes (δ of the lecture)
    for j, db in enumerate(grads.biases):
        for i in range(db.size):
            key = f"s{i}" if j == len(grads.biases) - 1 else f"z{j}_{i}"
            assert g.grads[key] == pytest.approx(db[i], rel=1e-10, abs=1e-14)
    weights = grads.weight_block.size
    np.testing.assert_allclose(g.param_reg_grads[:weights], 2 * l2 * net.parameters[:weights])
    assert ("J" in g.values) == (l2 > 0) and ("R" in g.values) == (l2 > 0)
    if l2:
        w = net.parameters[:grads.weight_block.size]
        assert g.values["R"] == pytest.approx(l2 * np.dot(w, w)) and g.values["J"] == pytest.approx(J)


@pytest.mark.parametrize("sizes, activation, loss", [c for c in CASES if c[1] != "relu"])
def test_finite_differences_agree_with_backprop(sizes, activation, loss):
    net = Network(sizes, activation, seed=4)
    x, y = _point(sizes, loss, seed=9)
    g = ComputationGraph(net, x, y, loss, l2=0.01)
    fd, rel = g.gradient_check()
    assert fd.shape == g.param_grads.shape
    assert rel.max() < 1e-6
    # and the check can fail: a wrong gradient shows up
    assert relative_error(g.param_grads * 1.01, fd).max() > 5e-3


def test_a_node_with_several_children_sums_their_terms():
    net = Network((2, 3, 2, 2), "tanh", seed=0)
    g = ComputationGraph(net, [0.4, -0.2], 1, "cross_entropy")
    for key in g.backward_order[1:]:
        terms = g.terms[key]
        assert [t.child for t in terms] == g.children[key]
        for t in terms:
            assert t.upstream == g.grads[t.child]
            assert t.value == pytest.approx(t.upstream * t.local)
        assert g.grads[key] == pytest.approx(sum(t.value for t in terms))
    h = "h0_1"  # first-layer unit 2 feeds both units of layer 2
    assert len(g.terms[h]) == 2
    a, b = (t.value for t in g.terms[h])
    text = GraphText(g)
    assert text.sum_text(h) == f"{signed(a)} + {signed(b)} = {fmt(a + b)}"
    assert "∂J/∂h⁽¹⁾₂ = " in text.backward_text(h) and text.sum_text(h) in text.backward_text(h)


@pytest.mark.parametrize("sizes, activation, loss", CASES)
def test_orders_are_topological_then_reverse_topological(sizes, activation, loss):
    net = Network(sizes, activation, seed=0)
    g = ComputationGraph(net, *_point(sizes, loss), loss, l2=0.1)
    seen = set()
    for key in g.forward_order:  # every node after its parents
        assert set(g.node[key].parents) <= seen
        seen.add(key)
    assert seen == set(g.node)
    done = set()
    for key in g.backward_order:  # every node after its children
        assert set(g.children[key]) <= done | {k for k in g.node if g.node[k].kind in LEAF_KINDS}
        done.add(key)
    assert g.backward_order == [k for k in reversed(g.forward_order) if g.node[k].kind not in LEAF_KINDS]
    assert g.backward_order[0] == "J"


def test_the_regression_chain_is_the_lectures():
    net = Network((1, 1), "linear", seed=0)
    net.weights[0][...] = 2.0
    net.biases[0][...] = 0.5
    g = ComputationGraph(net, [1.0], [4.0], "mse", l2=0.1)
    v = g.values
    assert (v["s0"], v["y0"], v["r0"], v["loss"]) == (2.5, 4.0, 1.5, 2.25)   # ŷ = wx + b, r = y − ŷ, ℓ = r²
    assert v["R"] == pytest.approx(0.1 * 4.0) and v["J"] == pytest.approx(2.25 + 0.4)
    assert g.grads["r0"] == 3.0 and g.grads["s0"] == -3.0                      # 2r, −2r
    assert g.param_grads[1] == -3.0                                              # ∂J/∂b = −2r
    assert g.param_grads[0] == pytest.approx(-3.0 * 1.0 + 2 * 0.1 * 2.0)        # −2rx + 2λw
    assert [GraphText(g).label(k) for k in g.forward_order] == ["x", "y", "ŷ", "r", "ℓ", "R", "J"]


def test_an_update_is_minus_eta_times_the_gradient():
    net = Network((2, 3, 2), "tanh", seed=8)
    g = ComputationGraph(net, [0.1, 0.9], 0, "cross_entropy", l2=0.01)
    new = g.updated_parameters(0.25)
    np.testing.assert_array_equal(new, net.parameters - 0.25 * g.param_grads)
    assert g.evaluate(new) < g.objective  # a small step down the gradient lowers J for that point


def test_numbers_read_well():
    assert fmt(1.0) == "1" and fmt(-0.30) == "−0.3" and fmt(0.123456) == "0.123" and fmt(0) == "0"
    assert fmt(1.5e-7) == "1.5e−7" and signed(-2) == "(−2)" and signed(2) == "2"


# -- the lecture's hand-set perceptrons ------------------------------------------------------------

LECTURE_XNOR = {  # i₁, i₂ | hidden layer input h₁ h₂ | hidden layer output h₁ h₂ | o
    (0, 0): ((0, 0), (0, 1), 1),
    (0, 1): ((1, -1), (0, 0), 0),
    (1, 0): ((1, -1), (0, 0), 0),
    (1, 1): ((2, -2), (1, 0), 1),
}


def test_the_hand_set_xnor_network_reproduces_the_lectures_table():
    trainer, data = get_preset("xnor-perceptron").build()
    net = trainer.network
    assert net.activation == "step" and net.layer_sizes == (2, 2, 2)
    table = representation_table(net, data.X)
    for row, corner in enumerate(map(tuple, data.X.astype(int))):
        hidden_in, hidden_out, o = LECTURE_XNOR[corner]
        assert tuple(table.weighted[0][row]) == hidden_in
        assert tuple(table.hidden[0][row]) == hidden_out
        assert table.predicted[row] == o == data.y[row]
    assert tuple(table.thresholds[0]) == (2.0, 0.0)  # θ = −b: h₁ fires at i₁ + i₂ ≥ 2, h₂ at −i₁ − i₂ ≥ 0
    assert trainer.metrics().train_accuracy == 1.0
    # the hidden representations are linearly separable: the output's line splits them
    line, _ = decision_line(net, 1, (0, 1))
    side = np.array([np.dot(line.a, h) + line.c for h in table.hidden[0]])
    assert np.array_equal(side > 0, data.y == 1)


def test_the_and_perceptron_is_the_lectures():
    trainer, data = get_preset("and-perceptron").build()
    net = trainer.network
    assert net.weights[0].tolist() == [[1.0, 1.0]] and net.biases[0].tolist() == [-2.0]  # w₁ = w₂ = 1, θ = 2
    table = representation_table(net, data.X)
    sums = {tuple(x): s for x, s in zip(data.X.astype(int), table.weighted[0][:, 0])}
    assert sums == {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 2}  # the lecture's column w₁i₁ + w₂i₂
    assert np.array_equal(table.predicted, data.y) and trainer.blocked_reason  # right, and untrainable


def test_step_units_pass_no_gradient_but_the_check_still_runs():
    trainer, data = get_preset("xnor-perceptron").build()
    g = ComputationGraph(trainer.network, data.X[1], data.y[1], "cross_entropy")
    hidden = [p.index for p in g.parameters if p.layer == 0]
    assert not g.param_grads[hidden].any()
    fd, rel = g.gradient_check()
    assert not fd[hidden].any() and rel.max() < 1e-6  # (0, 1) is far from every threshold


@pytest.mark.parametrize("key", ["xnor", "and-gate"])
def test_the_same_problems_train_with_tanh_units(key):
    trainer, data = get_preset(key).build()
    assert trainer.network.activation == "tanh" and trainer.blocked_reason is None
    trainer.run(400)
    assert trainer.metrics().train_accuracy == 1.0
    if key == "xnor":  # the trained hidden layer makes the four corners linearly separable
        line, _ = decision_line(trainer.network, 1, (0, 1))
        h = layer_outputs(trainer.network, data.X, 1)
        assert np.array_equal(h @ np.array(line.a) + line.c > 0, data.y == 1)


# -- hidden space --------------------------------------------------------------------------------

def test_layer_coordinates_are_the_engines_hidden_outputs():
    net = Network((2, 3, 4, 2), "tanh", seed=6)
    X = np.random.default_rng(0).uniform(-1, 1, (20, 2))
    for j, h in enumerate(net.hidden_outputs(X), start=1):
        np.testing.assert_array_equal(layer_outputs(net, X, j), h)
    np.testing.assert_array_equal(layer_outputs(net, X, 0), X)
    with pytest.raises(ValueError, match="layer must lie in 0..2"):
        layer_outputs(net, X, 3)


def test_grid_lines_map_through_the_layer():
    net = Network((2, 3, 2), "tanh", seed=1)
    lines = grid_lines((-1, 1, -1, 1), n_lines=5, samples=7)
    assert len(lines) == 10 and all(line.shape == (7, 2) for line in lines)
    assert np.all(lines[0][:, 0] == -1) and np.all(lines[5][:, 1] == -1)
    mapped = map_lines(net, lines, 1, (2, 0))
    for line, image in zip(lines, mapped):
        np.testing.assert_allclose(image, net.hidden_outputs(line)[0][:, [2, 0]])


def test_the_decision_line_is_where_the_two_scores_are_equal():
    net = Network((2, 2, 2), "tanh", seed=3)
    line, why = decision_line(net, 1, (1, 0))
    assert line is not None and "straight" in why
    X = np.random.default_rng(1).uniform(-2, 2, (50, 2))
    h = net.hidden_outputs(X)[0][:, [1, 0]]
    s = net.predict(X)
    np.testing.assert_allclose(h @ np.array(line.a) + line.c, s[:, 1] - s[:, 0], atol=1e-12)
    segment = line.clip((-1, 1, -1, 1))
    if segment is not None:
        assert np.all(np.abs(segment @ np.array(line.a) + line.c) < 1e-9)


def test_elsewhere_the_mapped_boundary_is_drawn_and_said():
    net = Network((2, 3, 2), "tanh", seed=3)
    net.weights[-1][...] = [[1, -1, 0.5], [-1, 1, 0.2]]
    line, why = decision_line(net, 1, (0, 1))
    assert line is None and "3 units" in why
    extent = (-1.5, 1.5, -1.5, 1.5)
    pts = boundary_points(net, extent, 0, (0, 1))
    assert len(pts) > 50
    s = net.predict(pts)
    assert np.abs(s[:, 1] - s[:, 0]).max() < 0.05  # on the boundary, up to the grid's interpolation
    h = boundary_points(net, extent, 1, (0, 1))
    np.testing.assert_allclose(h, net.hidden_outputs(pts)[0][:, :2])
    assert decision_line(Network((2, 2, 2, 2), "tanh"), 1, (0, 1))[0] is None


def test_nice_extent_pads_the_points():
    assert nice_extent(np.array([[0, 0], [1, 1]])) == (-0.25, 1.25, -0.25, 1.25)


@pytest.mark.parametrize("sizes, activation, loss", [c for c in CASES if c[1] != "relu"])
@pytest.mark.parametrize("l2, l1", [(0.0, 0.02), (0.03, 0.02)])
def test_an_l1_penalty_is_in_the_graphs_objective_and_gradients_as_the_engine_trains_it(sizes, activation, loss, l2, l1):
    net = Network(sizes, activation, seed=2)
    x, y = _point(sizes, loss, seed=5)
    g = ComputationGraph(net, x, y, loss, l2, l1=l1)
    J, grads = net.loss_and_gradients(x[None, :], _engine_targets(y, loss), loss, l2, l1)
    assert g.objective == pytest.approx(J, rel=1e-12)
    np.testing.assert_allclose(g.param_grads, grads.flat, rtol=1e-10, atol=1e-13)
    w = net.parameters[:grads.weight_block.size]
    assert g.values["R"] == pytest.approx(l2 * np.dot(w, w) + l1 * np.abs(w).sum())
    np.testing.assert_allclose(g.param_reg_grads[:w.size], 2 * l2 * w + l1 * np.sign(w))
    _, rel = g.gradient_check()  # no weight sits at 0, where |w| has no derivative
    assert rel.max() < 1e-6
    text = GraphText(g)
    assert "λ₁Σ|w|" in text.forward_text("R") and ("λΣw²" in text.forward_text("R")) == (l2 > 0)


def test_a_node_with_many_children_writes_its_sum_once_and_ends_with_the_gradient():
    net = Network((2, 3, 6, 2), "tanh", seed=0)   # a layer-1 unit feeds 6 units: too many terms to write out
    g = ComputationGraph(net, [0.4, -0.2], 1, "cross_entropy")
    key = "h0_0"
    assert len(g.terms[key]) == 6
    text = GraphText(g).backward_text(key)
    first_three = " + ".join(signed(t.value) for t in g.terms[key][:3])
    assert "Σ over 6 children" in text
    assert text.count(first_three) == 1, text   # the shortened sum once, not twice in a row
    assert text.endswith(f" = {fmt(g.grads[key])}"), text
