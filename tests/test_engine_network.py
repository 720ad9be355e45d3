"""The MLP and its backpropagation, checked against independent computations.

Gradients against central finite differences over the flat parameter vector; losses, the
forward pass and the ridge term against formulas written out here.
"""

import math

import numpy as np
import pytest

from playground.engine import ACTIVATIONS, LOSSES, Network

ACTIVATION_KEYS = ["tanh", "logistic", "relu", "linear"]
HIDDEN = {0: [], 1: [3], 2: [4, 3], 3: [3, 4, 3]}  # hidden layer sizes by depth
EPS = 1e-6


def flat_index_maps(net):
    """For each weight matrix and bias vector, the index into ``net.parameters`` of every entry.

    Found by writing 0, 1, 2, … into the flat vector and reading the views back, so the test does
    not assume the engine's layout; it also proves the views partition the vector exactly.
    """
    saved = net.parameters.copy()
    net.parameters[:] = np.arange(net.parameters.size)
    w_idx = [W.astype(int) for W in net.weights]
    b_idx = [b.astype(int) for b in net.biases]
    net.parameters[:] = saved
    every = np.sort(np.concatenate([i.ravel() for i in w_idx + b_idx]))
    assert np.array_equal(every, np.arange(net.parameters.size))
    return w_idx, b_idx


def numeric_gradient(net, X, y, loss, l2):
    """Central differences (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε, perturbing ``net.parameters`` in place."""
    theta = net.parameters
    grad = np.empty_like(theta)
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + EPS
        plus = net.loss_and_gradients(X, y, loss, l2)[0]
        theta[i] = keep - EPS
        minus = net.loss_and_gradients(X, y, loss, l2)[0]
        theta[i] = keep
        grad[i] = (plus - minus) / (2 * EPS)
    return grad


def hand_forward(net, X):
    """h = σ(Wx + b) unit by unit with Python loops; returns (pre-activations, hidden outputs, scores)."""
    sigma = {
        "tanh": math.tanh,
        "logistic": lambda z: 1.0 / (1.0 + math.exp(-z)),
        "relu": lambda z: max(z, 0.0),
        "linear": lambda z: z,
        "step": lambda z: 1.0 if z >= 0 else 0.0,
    }[net.activation]
    zs, hs = [], []
    o = [list(map(float, row)) for row in np.asarray(X)]
    for layer, (W, b) in enumerate(zip(net.weights, net.biases)):
        fan_out, fan_in = W.shape
        z = [[sum(W[u, i] * row[i] for i in range(fan_in)) + b[u] for u in range(fan_out)] for row in o]
        if layer == len(net.weights) - 1:
            return zs, hs, np.array(z)
        o = [[sigma(v) for v in row] for row in z]
        zs.append(np.array(z))
        hs.append(np.array(o))


def regression_data(rng, n=7, d=2, k=2):
    return rng.normal(size=(n, d)), rng.normal(size=(n, k))


def classification_data(rng, n=7, d=2, k=3):
    y = np.arange(n) % k
    return rng.normal(size=(n, d)), y


def make_case(activation, loss, depth):
    """A network and data for one gradient check; for ReLU, kept away from the kink at z = 0."""
    k = 2 if loss == "mse" else 3
    for seed in range(100):
        rng = np.random.default_rng(seed)
        X, y = regression_data(rng, k=k) if loss == "mse" else classification_data(rng, k=k)
        net = Network([2, *HIDDEN[depth], k], activation, seed=seed)
        net.biases[-1][:] = rng.normal(size=k)  # a non-zero output bias exercises its gradient fully
        zs = hand_forward(net, X)[0]
        if activation != "relu" or all(np.abs(z).min() > 1e3 * EPS for z in zs):
            return net, X, y
    raise AssertionError("no seed keeps every ReLU pre-activation away from 0")


# -- gradients -------------------------------------------------------------------------------


@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("activation", ACTIVATION_KEYS)
def test_gradients_match_central_finite_differences(activation, loss, depth, l2):
    net, X, y = make_case(activation, loss, depth)
    value, grads = net.loss_and_gradients(X, y, loss, l2)
    numeric = numeric_gradient(net, X, y, loss, l2)
    w_idx, b_idx = flat_index_maps(net)
    analytic = np.empty_like(numeric)
    for dW, idx in zip(grads.weights, w_idx):
        analytic[idx] = dW
    for db, idx in zip(grads.biases, b_idx):
        analytic[idx] = db
    assert np.abs(analytic).max() > 1e-3  # a zero gradient would pass trivially
    scale = max(1.0, np.abs(numeric).max())
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * scale)


def test_gradients_mirror_the_parameter_lists_and_are_fresh_arrays():
    net = Network([2, 4, 3, 2], seed=1)
    X, y = regression_data(np.random.default_rng(1))
    _, grads = net.loss_and_gradients(X, y)
    assert [g.shape for g in grads.weights] == [W.shape for W in net.weights]
    assert [g.shape for g in grads.biases] == [b.shape for b in net.biases]
    assert not any(np.shares_memory(g, net.parameters) for g in grads.weights + grads.biases)


# -- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [[2, 1], [1, 3, 1], [2, 8, 8, 3], [3, 5, 4, 2, 6]])
def test_weights_are_fan_out_by_fan_in_float64_and_biases_fan_out(sizes):
    net = Network(sizes, seed=0)
    assert net.layer_sizes == tuple(sizes)
    assert len(net.weights) == len(net.biases) == len(sizes) - 1
    for j, (W, b) in enumerate(zip(net.weights, net.biases)):
        assert W.shape == (sizes[j + 1], sizes[j]) and W.dtype == np.float64
        assert b.shape == (sizes[j + 1],) and b.dtype == np.float64
    assert net.parameters.size == sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def test_writing_into_weights_and_biases_changes_predictions():
    net = Network([2, 3, 1], seed=0)
    X = np.array([[0.3, -0.2], [1.0, 0.5]])
    before = net.predict(X).copy()
    net.weights[0][1, 0] += 0.5
    after_w = net.predict(X).copy()
    assert not np.allclose(after_w, before)
    net.biases[-1][0] += 2.0
    np.testing.assert_allclose(net.predict(X), after_w + 2.0)  # the output bias shifts every score


def test_writing_into_parameters_changes_weights_and_biases():
    net = Network([2, 3, 2], seed=0)
    net.parameters[:] = 0.0
    assert all(not W.any() for W in net.weights) and all(not b.any() for b in net.biases)
    np.testing.assert_array_equal(net.predict(np.ones((4, 2))), np.zeros((4, 2)))


def test_same_seed_same_parameters_different_seed_different():
    a, b, c = Network([2, 8, 3], seed=5), Network([2, 8, 3], seed=5), Network([2, 8, 3], seed=6)
    assert np.array_equal(a.parameters, b.parameters)
    assert not np.array_equal(a.parameters, c.parameters)


# -- forward pass ----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_KEYS + ["step"])
def test_hidden_outputs_and_predict_match_a_hand_written_forward_pass(activation):
    net = Network([2, 4, 3, 2], activation, seed=3)
    X = np.random.default_rng(3).normal(size=(6, 2))
    _, hs, scores = hand_forward(net, X)
    got = net.hidden_outputs(X)
    assert [h.shape for h in got] == [(6, 4), (6, 3)]
    for h_engine, h_hand in zip(got, hs):
        np.testing.assert_allclose(h_engine, h_hand, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(net.predict(X), scores, rtol=1e-12, atol=1e-14)


def test_zero_hidden_layers_is_an_affine_map_with_no_hidden_outputs():
    net = Network([2, 1], seed=0)
    X = np.random.default_rng(0).normal(size=(5, 2))
    assert net.hidden_outputs(X) == []
    np.testing.assert_allclose(net.predict(X), X @ net.weights[0].T + net.biases[0])


def test_step_activation_is_the_threshold_one_at_zero_and_above():
    net = Network([1, 3, 1], "step", seed=0)
    net.weights[0][:] = [[1.0], [-1.0], [2.0]]
    net.biases[0][:] = [0.0, 0.0, -1.0]
    X = np.array([[-1.0], [0.0], [0.5], [2.0]])
    # z = [x, −x, 2x − 1]: at x = 0 the first two units sit exactly on the threshold and fire.
    expected = np.array([[0, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1]], dtype=float)
    np.testing.assert_array_equal(net.hidden_outputs(X)[0], expected)


def test_one_dimensional_inputs_are_accepted_as_a_column_for_one_input_unit():
    net = Network([1, 3, 1], seed=0)
    x = np.linspace(-1, 1, 5)
    np.testing.assert_array_equal(net.predict(x), net.predict(x[:, None]))


# -- losses ----------------------------------------------------------------------------------


def test_mse_is_the_mean_over_samples_of_the_summed_squared_error_without_a_half():
    net = Network([2, 3, 2], seed=2)
    X, y = regression_data(np.random.default_rng(2), n=5, k=2)
    scores = hand_forward(net, X)[2]
    expected = sum(sum((scores[i, k] - y[i, k]) ** 2 for k in range(2)) for i in range(5)) / 5
    assert net.loss_and_gradients(X, y, "mse")[0] == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_is_the_mean_negative_log_softmax_of_the_true_class():
    net = Network([2, 3, 3], seed=2)
    X, y = classification_data(np.random.default_rng(2), n=6, k=3)
    scores = hand_forward(net, X)[2]
    expected = np.mean([-math.log(math.exp(s[c]) / sum(math.exp(v) for v in s)) for s, c in zip(scores, y)])
    assert net.loss_and_gradients(X, y, "cross_entropy")[0] == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_is_stable_for_huge_scores():
    net = Network([1, 2], seed=0)
    net.weights[0][:] = 0.0
    net.biases[0][:] = [1000.0, 0.0]  # scores [1000, 0] for every input
    X = np.zeros((2, 1))
    right, grads = net.loss_and_gradients(X, np.array([0, 0]), "cross_entropy")
    wrong, wrong_grads = net.loss_and_gradients(X, np.array([1, 1]), "cross_entropy")
    # −log softmax = log(1 + e^−1000) ≈ 0 for the winning class and 1000 + log(1 + e^−1000) for the other.
    assert right == pytest.approx(0.0, abs=1e-300)
    assert wrong == pytest.approx(1000.0, rel=1e-15)
    np.testing.assert_allclose(grads.biases[0], [0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(wrong_grads.biases[0], [1.0, -1.0])  # mean of softmax − one-hot


def test_l2_adds_lambda_times_squared_weights_but_not_biases():
    net = Network([2, 4, 3, 2], seed=4)
    X, y = regression_data(np.random.default_rng(4))
    for b in net.biases:
        b[:] = 5.0  # large biases: penalizing them would show
    plain, g0 = net.loss_and_gradients(X, y, "mse", l2=0.0)
    ridge, g1 = net.loss_and_gradients(X, y, "mse", l2=0.1)
    assert ridge - plain == pytest.approx(0.1 * sum(float((W ** 2).sum()) for W in net.weights), rel=1e-12)
    for W, a, b in zip(net.weights, g0.weights, g1.weights):
        np.testing.assert_allclose(b - a, 0.2 * W, rtol=1e-12, atol=1e-15)
    for a, b in zip(g0.biases, g1.biases):
        np.testing.assert_array_equal(a, b)


def test_registries_hold_the_documented_keys():
    assert {"tanh", "logistic", "relu", "linear", "step"} <= set(ACTIVATIONS)
    assert {"mse", "cross_entropy"} <= set(LOSSES)


def test_relu_derivative_is_zero_at_zero():
    relu = ACTIVATIONS["relu"]
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(np.asarray(relu.derivative(z, relu.forward(z)), dtype=float), [0.0, 0.0, 1.0])


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [[], [3], [2, 0, 1], [2, -1], [2, 1.5, 1]])
def test_bad_layer_sizes_raise(sizes):
    with pytest.raises(ValueError, match="layer"):
        Network(sizes)


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown activation 'softplus'") as info:
        Network([2, 3, 1], "softplus")
    for key in ACTIVATION_KEYS:
        assert key in str(info.value)


def test_unknown_loss_lists_the_valid_ones():
    net = Network([2, 1], seed=0)
    with pytest.raises(ValueError, match="unknown loss 'hinge'") as info:
        net.loss_and_gradients(np.zeros((2, 2)), np.zeros((2, 1)), "hinge")
    assert "mse" in str(info.value) and "cross_entropy" in str(info.value)


def test_inputs_of_the_wrong_width_name_both_shapes():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"\(n, 2\).*\(5, 3\)"):
        net.predict(np.zeros((5, 3)))


def test_mismatched_regression_targets_name_both_shapes():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"\(5, 1\).*\(4, 1\)"):
        net.loss_and_gradients(np.zeros((5, 2)), np.zeros((4, 1)), "mse")


def test_mismatched_class_labels_name_both_shapes():
    net = Network([2, 3, 3], seed=0)
    with pytest.raises(ValueError, match=r"\(5,\).*\(4,\)"):
        net.loss_and_gradients(np.zeros((5, 2)), np.zeros(4, int), "cross_entropy")


@pytest.mark.parametrize("bad", [3, -1])
def test_a_label_out_of_range_is_named_with_the_valid_range(bad):
    net = Network([2, 3, 3], seed=0)
    y = np.array([0, 1, bad])
    with pytest.raises(ValueError, match=rf"label {bad} is out of range.*0\.\.2"):
        net.loss_and_gradients(np.zeros((3, 2)), y, "cross_entropy")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_raise(bad):
    net = Network([2, 3, 1], seed=0)
    X = np.zeros((4, 2))
    X[2, 1] = bad
    with pytest.raises(ValueError, match="NaN or inf.*row 2"):
        net.loss_and_gradients(X, np.zeros((4, 1)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_targets_raise(bad):
    net = Network([2, 3, 1], seed=0)
    y = np.zeros((4, 1))
    y[1, 0] = bad
    with pytest.raises(ValueError, match="targets y contain NaN or inf"):
        net.loss_and_gradients(np.zeros((4, 2)), y)


def test_fractional_or_nan_class_labels_raise():
    net = Network([2, 3, 2], seed=0)
    for y in (np.array([0.0, 0.5]), np.array([0.0, np.nan])):
        with pytest.raises(ValueError, match="whole numbers"):
            net.loss_and_gradients(np.zeros((2, 2)), y, "cross_entropy")

