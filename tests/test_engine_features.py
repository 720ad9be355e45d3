"""Input feature maps φ(x), checked against formulas written out here, and training on them.

Gradients against central finite differences of a loss computed here from scratch (features,
forward pass, loss and ridge term), so a wrong feature, a wrong mapping or a wrong gradient fails.
"""

import math

import numpy as np
import pytest

from playground.data.datasets import circles, make_dataset
from playground.engine import FEATURES, FeatureMap, Network, Trainer, TrainingSettings, feature_keys

# Each key's formula at one point, written with the math module (not numpy, not the engine's lambdas).
CLOSED_FORMS = {
    "x": lambda x: x, "x^2": lambda x: x * x, "x^3": lambda x: x * x * x,
    "sin": lambda x: math.sin(math.pi * x), "cos": lambda x: math.cos(math.pi * x), "abs": lambda x: abs(x),
    "x1": lambda a, b: a, "x2": lambda a, b: b, "x1^2": lambda a, b: a * a, "x2^2": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b, "sin_x1": lambda a, b: math.sin(math.pi * a), "sin_x2": lambda a, b: math.sin(math.pi * b),
}
DISPLAY = {"x": "x", "x^2": "x²", "x^3": "x³", "sin": "sin(πx)", "cos": "cos(πx)", "abs": "|x|",
           "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1x2": "x₁x₂",
           "sin_x1": "sin(πx₁)", "sin_x2": "sin(πx₂)"}
TFPG_2D = {"x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"}  # TensorFlow Playground's input set
EPS = 1e-6


def reference_features(keys, X):
    """φ(X) (n, F) point by point from CLOSED_FORMS."""
    return np.array([[CLOSED_FORMS[key](*row) for key in keys] for row in X])


# -- the map's values ---------------------------------------------------------------------------
def test_the_registry_has_the_lecture_features_and_tensorflow_playgrounds_set():
    assert set(feature_keys(1)) == {"x", "x^2", "x^3", "sin", "cos", "abs"}
    assert set(feature_keys(2)) >= TFPG_2D
    assert set(FEATURES) == set(CLOSED_FORMS)


@pytest.mark.parametrize("n_inputs", [1, 2])
def test_every_feature_matches_its_closed_form(n_inputs):
    X = np.random.default_rng(3).uniform(-1.3, 1.3, (40, n_inputs))
    keys = feature_keys(n_inputs)
    phi = FeatureMap(keys, n_inputs)(X)
    assert phi.shape == (40, len(keys)) and phi.dtype == np.float64
    np.testing.assert_allclose(phi, reference_features(keys, X), rtol=1e-14, atol=1e-15)


def test_columns_follow_the_order_of_the_keys_and_a_1d_vector_is_n_points():
    x = np.array([-0.5, 0.25, 1.0])
    np.testing.assert_array_equal(FeatureMap(("abs", "x^2", "x"), 1)(x), np.column_stack([np.abs(x), x * x, x]))
    X = np.array([[2.0, 3.0]])
    np.testing.assert_array_equal(FeatureMap(("x2^2", "x1x2", "x1"), 2)(X), [[9.0, 6.0, 2.0]])


def test_display_names_use_the_lectures_sub_and_superscripts():
    for n_inputs in (1, 2):
        keys = feature_keys(n_inputs)
        assert FeatureMap(keys, n_inputs).names == tuple(DISPLAY[key] for key in keys)


def test_identity_is_the_raw_coordinates():
    X = np.random.default_rng(0).normal(size=(5, 2))
    assert FeatureMap.identity(2).keys == ("x1", "x2") and FeatureMap.identity(1).keys == ("x",)
    np.testing.assert_array_equal(FeatureMap.identity(2)(X), X)


def test_a_map_is_frozen_hashable_and_takes_a_list():
    fm = FeatureMap(["x1", "x2^2"], 2)
    assert fm.keys == ("x1", "x2^2") and fm == FeatureMap(("x1", "x2^2"), 2) and len({fm, fm}) == 1
    with pytest.raises(AttributeError):
        fm.keys = ("x1",)


def test_parse_reads_comma_separated_keys_with_spaces():
    assert FeatureMap.parse("x1^2, x2^2", 2) == FeatureMap(("x1^2", "x2^2"), 2)
    assert str(FeatureMap.parse("x,sin", 1)) == "x,sin"


# -- bad keys -----------------------------------------------------------------------------------
@pytest.mark.parametrize("n_inputs, keys, words", [
    (2, ("x1", "x3"), ["unknown feature 'x3'", "x1, x2, x1^2, x2^2, x1x2, sin_x1, sin_x2"]),
    (1, ("sin(pi x)",), ["unknown feature 'sin(pi x)'", "x, x^2, x^3, sin, cos, abs"]),
    (2, ("x^2",), ["'x^2' is for 1-D inputs", "2-D", "x1^2, x2^2"]),
    (1, ("x1",), ["'x1' is for 2-D inputs", "1-D", "x, x^2"]),
    (2, ("x1", "x2", "x1"), ["'x1' is listed twice"]),
    (2, (), ["at least one feature", "x1, x2, x1^2"]),
    (1, (3,), ["unknown feature 3", "x, x^2"]),
    (3, ("x1",), ["1-D and 2-D", "3-D"]),
])
def test_bad_keys_are_refused_naming_the_key_and_the_valid_ones(n_inputs, keys, words):
    with pytest.raises(ValueError) as error:
        FeatureMap(keys, n_inputs)
    message = str(error.value)
    assert "\n" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("text, words", [
    ("x1,,x2", ["empty name", "'x1,,x2'"]),
    ("x1,", ["empty name"]),
    ("", ["at least one feature"]),
    ("x1^2,x2^3", ["unknown feature 'x2^3'", "x1^2, x2^2"]),
])
def test_parse_refuses_empty_names_and_unknown_keys(text, words):
    with pytest.raises(ValueError) as error:
        FeatureMap.parse(text, 2)
    for word in words:
        assert word in str(error.value)


def test_a_bare_string_is_refused_rather_than_split_into_letters():
    with pytest.raises(ValueError, match="sequence of keys"):
        FeatureMap("x1", 2)


def test_points_of_the_wrong_dimension_are_refused():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        FeatureMap(("x1",), 2)(np.zeros((4, 3)))


# -- gradients with features --------------------------------------------------------------------
def reference_objective(net, keys, X, y, loss, l2):
    """J(θ) from scratch: φ by CLOSED_FORMS, tanh hidden layers, the loss and λΣ‖W‖² written out here."""
    o = reference_features(keys, X)
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        o = np.tanh(o @ W.T + b)
    s = o @ net.weights[-1].T + net.biases[-1]
    if loss == "mse":
        value = np.sum((s - y) ** 2) / len(X)
    else:
        value = np.mean(np.log(np.sum(np.exp(s), axis=1)) - s[np.arange(len(X)), y])
    return value + l2 * sum(np.sum(W * W) for W in net.weights)


CASES = [  # (n_inputs, feature keys, hidden, loss)
    (1, ("x", "x^2", "x^3"), (), "mse"),
    (1, ("sin", "cos", "abs"), (3,), "mse"),
    (1, ("x^2",), (4, 3), "mse"),
    (2, ("x1^2", "x2^2"), (), "cross_entropy"),
    (2, ("x1", "x2", "x1x2", "sin_x1", "sin_x2"), (3,), "cross_entropy"),
    (2, ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"), (4, 3), "mse"),
]


@pytest.mark.parametrize("n_inputs, keys, hidden, loss", CASES)
def test_the_trainers_gradient_with_features_matches_finite_differences(n_inputs, keys, hidden, loss):
    rng = np.random.default_rng(len(keys) + len(hidden))
    n, k = 12, 2 if loss == "cross_entropy" else 1
    X = rng.uniform(-1.0, 1.0, (n, n_inputs))
    y = rng.integers(0, k, n) if loss == "cross_entropy" else rng.normal(size=(n, 1))
    net = Network([len(keys), *hidden, k], "tanh", seed=1)
    l2 = 0.01
    trainer = Trainer(net, X, y, TrainingSettings(loss=loss, optimizer="sgd", learning_rate=1.0, l2=l2),
                      features=FeatureMap(keys, n_inputs))
    theta = net.parameters.copy()
    numeric = np.empty_like(theta)
    for i in range(theta.size):  # central differences of the reference objective
        values = []
        for step in (EPS, -EPS):
            net.parameters[:] = theta
            net.parameters[i] += step
            values.append(reference_objective(net, keys, X, y, loss, l2))
        numeric[i] = (values[0] - values[1]) / (2 * EPS)
    net.parameters[:] = theta
    assert trainer.step()
    backprop = theta - net.parameters  # one full-batch SGD step with η = 1 is θ − ∇J
    scale = np.maximum(np.abs(numeric), 1e-3)
    assert np.max(np.abs(backprop - numeric) / scale) < 1e-6


# -- the trainer with features ------------------------------------------------------------------
def test_predict_and_metrics_see_the_points_through_the_map():
    data = circles(60, seed=2)
    keys = ("x1^2", "x2^2", "x1x2")
    net = Network([3, 4, 2], seed=0)
    trainer = Trainer(net, data.X, data.y, TrainingSettings(loss="cross_entropy"), features=FeatureMap(keys, 2))
    phi = reference_features(keys, data.X)
    np.testing.assert_allclose(trainer.predict(data.X), net.predict(phi), rtol=1e-13)
    np.testing.assert_allclose(trainer.network_inputs(data.X), phi, rtol=1e-14)
    s = net.predict(phi)
    expected = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(60), data.y])
    assert trainer.metrics().train_loss == pytest.approx(expected, rel=1e-12)
    assert trainer.n_inputs == 2


def test_without_features_and_with_the_identity_map_training_is_bit_identical():
    data = circles(80, seed=1)
    settings = TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.03, batch_size=16)
    runs = []
    for features in (None, FeatureMap.identity(2)):
        trainer = Trainer(Network([2, 4, 2], seed=5), data.X, data.y, settings, seed=5, features=features)
        trainer.run(200)
        runs.append(trainer.network.parameters.copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_the_network_must_take_as_many_inputs_as_there_are_features():
    data = circles(20)
    with pytest.raises(ValueError, match="takes 2 inputs but the features x1,x2,x1x2 are 3"):
        Trainer(Network([2, 2]), data.X, data.y, TrainingSettings(loss="cross_entropy"),
                features=FeatureMap(("x1", "x2", "x1x2"), 2))
    with pytest.raises(ValueError, match="FeatureMap or None"):
        Trainer(Network([2, 2]), data.X, data.y, TrainingSettings(loss="cross_entropy"), features=("x1", "x2"))


def test_set_data_maps_new_points_and_refuses_raw_points_of_the_wrong_dimension():
    data = circles(20)
    trainer = Trainer(Network([1, 2]), data.X, data.y, TrainingSettings(loss="cross_entropy"),
                      features=FeatureMap(("x1x2",), 2))
    more = circles(30, seed=4)
    trainer.set_data(more.X, more.y)
    assert trainer.n_train == 30
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        trainer.set_data(more.X[:, :1], more.y)


def test_a_feature_that_overflows_is_refused_when_the_points_are_set():
    with pytest.raises(ValueError, match="overflow at point 1"):
        Trainer(Network([1, 1]), [[0.5], [1e120]], [[0.0], [1.0]], features=FeatureMap(("x^3",), 1))


def test_state_round_trip_keeps_the_features_and_refuses_other_features():
    data = circles(40)
    settings = TrainingSettings(loss="cross_entropy", optimizer="adam", batch_size=8)

    def make(keys):
        return Trainer(Network([2, 3, 2], seed=0), data.X, data.y, settings, features=FeatureMap(keys, 2))
    original = make(("x1^2", "x2^2"))
    original.run(13)
    state = original.state()
    assert state["features"] == ["x1^2", "x2^2"]
    twin = make(("x1^2", "x2^2"))
    twin.restore(state)
    original.run(20), twin.run(20)
    np.testing.assert_array_equal(original.network.parameters, twin.network.parameters)
    other = make(("x1", "x2"))
    before = other.network.parameters.copy()
    with pytest.raises(ValueError, match="features"):
        other.restore(state)
    np.testing.assert_array_equal(other.network.parameters, before)


# -- the lecture's linear model on a feature map ------------------------------------------------
CIRCLES_SETTINGS = TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.03, batch_size=20)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_linear_model_on_squares_separates_the_circles_and_on_raw_x_does_not(seed):
    data = make_dataset("circles")
    results = {}
    for keys in (("x1^2", "x2^2"), ("x1", "x2")):
        trainer = Trainer(Network([2, 2], seed=seed), data.X, data.y, CIRCLES_SETTINGS, seed=seed,
                          features=FeatureMap(keys, 2))
        trainer.run(5000)
        results[keys] = trainer.metrics()
    assert results[("x1^2", "x2^2")].train_accuracy >= 0.98
    raw = results[("x1", "x2")]
    # No line separates a ring from its disk: the cross-entropy stays at chance level ln 2 ≈ 0.693
    # (a line can at best cut off a cap of the ring, so accuracy stays well below the squares' 98%).
    assert raw.train_loss > 0.67 and raw.train_accuracy < 0.75


def test_a_linear_model_on_polynomial_features_is_least_squares():
    """On x² targets, 0 hidden layers with φ = (x, x²) reach the exact fit; with φ = x alone the loss of
    the best line, found here by np.linalg.lstsq on [1, x]."""
    data = make_dataset("x2", n=50)
    settings = TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.03)
    losses = {}
    for keys in (("x", "x^2"), ("x",)):
        trainer = Trainer(Network([len(keys), 1], seed=0), data.X, data.y, settings, features=FeatureMap(keys, 1))
        trainer.run(4000)
        losses[keys] = trainer.metrics().train_loss
    A = np.column_stack([np.ones(50), data.X[:, 0]])
    residual = data.y[:, 0] - A @ np.linalg.lstsq(A, data.y[:, 0], rcond=None)[0]
    assert losses[("x", "x^2")] < 1e-8
    assert losses[("x",)] == pytest.approx(np.mean(residual ** 2), rel=1e-6)
