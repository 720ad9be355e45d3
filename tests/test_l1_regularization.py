"""L1 regularization beside L2 (TensorFlow Playground's "L1"): J = mean loss + λΣw² + λ₁Σ|w| over the weights,
never the biases, with the subgradient sign(w). Checked against central finite differences and a sum written out
here; it drives weights to zero where L2 only shrinks them; the stacked trainer, session files, `playground train`
and the controls' field all carry it."""

import json
from dataclasses import replace

import numpy as np
import pytest
from test_data_session_file import _document, _trainer
from test_engine_network import regression_data
from test_ui_fields import type_into

from playground.commands.cli import main
from playground.data import session_file
from playground.data.session_file import SessionFileError
from playground.engine import Network, Trainer, TrainingSettings
from playground.engine.stacked import StackedTrainer

EPS = 1e-6


def _central_difference(net, X, y, loss, l2, l1):
    theta, grad = net.parameters, np.empty(net.parameters.size)
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + EPS
        plus = net.loss_and_gradients(X, y, loss, l2, l1)[0]
        theta[i] = keep - EPS
        minus = net.loss_and_gradients(X, y, loss, l2, l1)[0]
        theta[i] = keep
        grad[i] = (plus - minus) / (2 * EPS)
    return grad


@pytest.mark.parametrize("loss, sizes", [("mse", [2, 4, 3, 2]), ("cross_entropy", [2, 5, 3])])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_l1_gradients_match_central_finite_differences_away_from_zero(loss, sizes, l2):
    rng = np.random.default_rng(7)
    net = Network(sizes, "tanh", seed=5)
    w = net.parameters
    w[np.abs(w) < 0.05] = 0.05  # |w| is not differentiable at 0: keep every weight ≥ 50 000 ε away from it
    X = rng.normal(size=(9, 2))
    y = rng.normal(size=(9, sizes[-1])) if loss == "mse" else rng.integers(0, sizes[-1], 9)
    value, grads = net.loss_and_gradients(X, y, loss, l2=l2, l1=0.3)
    numeric = _central_difference(net, X, y, loss, l2, 0.3)
    np.testing.assert_allclose(grads.flat, numeric, rtol=1e-6, atol=1e-8)


def test_l1_adds_lambda_times_absolute_weights_but_not_biases():
    net = Network([2, 4, 3, 2], seed=4)
    X, y = regression_data(np.random.default_rng(4))
    for b in net.biases:
        b[:] = -5.0  # large biases: penalizing them would show
    plain, g0 = net.loss_and_gradients(X, y, "mse")
    lasso, g1 = net.loss_and_gradients(X, y, "mse", l1=0.1)
    assert lasso - plain == pytest.approx(0.1 * sum(float(np.abs(W).sum()) for W in net.weights), rel=1e-12)
    for W, a, b in zip(net.weights, g0.weights, g1.weights):
        np.testing.assert_allclose(b - a, np.where(W > 0, 0.1, -0.1), rtol=1e-12, atol=1e-15)
    for a, b in zip(g0.biases, g1.biases):
        np.testing.assert_array_equal(a, b)


def test_a_bad_l1_is_refused_by_name():
    with pytest.raises(ValueError, match="L1 strength λ₁"):
        TrainingSettings(l1=-0.1).validated()
    with pytest.raises(ValueError, match="l1"):
        Network([1, 2, 1]).loss_and_gradients(np.zeros((3, 1)), np.zeros((3, 1)), l1=float("nan"))


def _trained_weights(**regularization):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (30, 1))
    net = Network([1, 10, 1], "tanh", seed=1)
    trainer = Trainer(net, X, np.sin(np.pi * X),
                      TrainingSettings(optimizer="sgd", learning_rate=0.1, **regularization), seed=1)
    trainer.run(5000)
    return np.concatenate([W.ravel() for W in net.weights]), trainer.metrics().train_loss


def test_l1_drives_most_weights_to_zero_where_l2_of_the_same_strength_only_shrinks_them():
    l1_weights, l1_loss = _trained_weights(l1=0.01)
    l2_weights, l2_loss = _trained_weights(l2=0.01)
    plain, _ = _trained_weights()
    # subgradient SGD leaves a weight at zero jittering by about lr·λ₁ = 0.001: "zero" is |w| < 0.01
    near_zero = [float(np.mean(np.abs(w) < 0.01)) for w in (l1_weights, l2_weights, plain)]
    assert near_zero[0] >= 0.5 and near_zero[1] <= 0.1 and near_zero[2] <= 0.1, near_zero
    assert l1_loss < 0.05  # …and the few weights left still fit sin(πx)


def test_the_stacked_trainer_follows_each_seeds_single_run_with_l1():
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (20, 1))
    y = X ** 2
    settings = TrainingSettings(optimizer="adam", learning_rate=0.05, l1=0.02, batch_size=6)
    seeds = (0, 1, 2)
    stacked = StackedTrainer([1, 3, 1], "tanh", X, y, settings, seeds)
    stacked.run(25)
    for k, seed in enumerate(seeds):
        single = Trainer(Network([1, 3, 1], "tanh", seed=seed), X, y, settings, seed=seed)
        single.run(25)
        np.testing.assert_allclose(stacked.parameters(k), single.network.parameters, rtol=1e-10, atol=1e-12)
    without = StackedTrainer([1, 3, 1], "tanh", X, y, replace(settings, l1=0.0), seeds)
    without.run(25)
    assert np.abs(without.parameters(0) - stacked.parameters(0)).max() > 1e-3  # λ₁ changed the run


def test_a_session_file_keeps_l1():
    trainer, data = _trainer("sgd", None)
    trainer.update(l1=0.03)
    doc = _document(trainer, data)
    back = session_file.loads(session_file.dumps(doc))
    assert back.settings.l1 == 0.03 and back.settings == doc.settings
    obj = json.loads(session_file.dumps(doc))
    obj["settings"]["l1"] = 11
    with pytest.raises(SessionFileError, match="settings.l1"):
        session_file.from_json_dict(obj)
    del obj["settings"]["l1"]  # a file from before L1 existed opens with λ₁ = 0
    assert session_file.from_json_dict(obj).settings.l1 == 0.0


def test_playground_train_takes_l1(capsys):
    assert main(["train", "--preset", "bishop-sin", "--steps", "50", "--l1", "0.002", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["l1"] == 0.002
    with pytest.raises(SystemExit):
        main(["train", "--preset", "xor", "--l1", "-1"])
    assert "L1 strength λ₁ must lie between 0 and 10; got -1" in capsys.readouterr().err


def test_the_l1_field_beside_l2_sets_the_running_trainers_l1(window, qtbot):
    field, session = window.controls.l1, window.session
    form_row = field.parentWidget().layout().getWidgetPosition(field)[0]
    assert form_row == field.parentWidget().layout().getWidgetPosition(window.controls.l2)[0] + 1  # under L2 λ
    type_into(qtbot, field, "0.004")
    assert session.settings.l1 == 0.004
    qtbot.waitUntil(lambda: session.up_to_date, timeout=10_000)
    assert session.snapshot is not None
    with qtbot.waitSignal(session.message) as refused:
        type_into(qtbot, field, "20")
    assert "L1 strength λ₁ must lie between 0 and 10" in refused.args[0] and session.settings.l1 == 0.004
    assert replace(session.settings, l1=0.0) != session.settings
