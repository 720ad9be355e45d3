"""The Trainer: minibatches, determinism, live settings, holdout, clipping, history, divergence, bad input."""

import math

import numpy as np
import pytest

from playground.data import get_preset
from playground.engine import DecimatingSeries, Network, Trainer, TrainingSettings


@pytest.fixture
def regression():
    """23 points of a smooth 1-D target: x is the row index scaled, so a batch's rows identify its points."""
    x = np.linspace(-1, 1, 23)
    return x[:, None], np.sin(np.pi * x)[:, None]


@pytest.fixture
def classification():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (60, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def record_batches(network):
    """Wrap the network's gradient computation to record the input rows of every minibatch."""
    batches = []
    original = network.gradient_into

    def spy(X, *args):
        batches.append(X.copy())
        return original(X, *args)

    network.gradient_into = spy
    return batches


def flat_gradient(net, X, y, loss, l2=0.0):
    """∂J/∂θ laid out like ``net.parameters`` (by writing indices through the views, not assuming the layout)."""
    saved = net.parameters.copy()
    net.parameters[:] = np.arange(net.parameters.size)
    idx = [a.astype(int) for a in net.weights + net.biases]
    net.parameters[:] = saved
    _, grads = net.loss_and_gradients(X, y, loss, l2)
    flat = np.empty_like(saved)
    for i, g in zip(idx, grads.weights + grads.biases):
        flat[i] = g
    return flat


# -- minibatches -----------------------------------------------------------------------------


def test_each_epoch_uses_every_point_once_including_the_last_short_batch(regression):
    X, y = regression
    net = Network([1, 3, 1], seed=0)
    trainer = Trainer(net, X, y, TrainingSettings(batch_size=5), seed=0)
    batches = record_batches(net)
    epochs = []
    for _ in range(3):
        assert trainer.run(5) == 5
        epochs.append(batches[-5:])
        assert trainer.epoch == len(epochs)
    assert trainer.step_count == 15
    orders = []
    for epoch in epochs:
        assert [len(b) for b in epoch] == [5, 5, 5, 5, 3]
        rows = np.concatenate(epoch)[:, 0]
        np.testing.assert_array_equal(np.sort(rows), X[:, 0])  # every point exactly once
        orders.append(rows)
    assert not np.array_equal(orders[0], orders[1])  # reshuffled every epoch


def test_full_batch_uses_all_points_every_step_and_counts_an_epoch_per_step(regression):
    X, y = regression
    net = Network([1, 3, 1], seed=0)
    trainer = Trainer(net, X, y, TrainingSettings(batch_size=None), seed=0)
    batches = record_batches(net)
    trainer.run(4)
    assert trainer.step_count == trainer.epoch == 4
    assert all(np.array_equal(b, X) for b in batches)


def test_a_batch_larger_than_the_data_is_the_full_batch(regression):
    X, y = regression
    net = Network([1, 3, 1], seed=0)
    trainer = Trainer(net, X, y, TrainingSettings(batch_size=1000), seed=0)
    batches = record_batches(net)
    trainer.run(2)
    assert [len(b) for b in batches] == [23, 23] and trainer.epoch == 2


# -- determinism and reset -------------------------------------------------------------------


def build(classification, net_seed=1, trainer_seed=1, **settings):
    X, y = classification
    s = TrainingSettings(**{"loss": "cross_entropy", "optimizer": "momentum", "learning_rate": 0.05, "batch_size": 7,
                            **settings})
    return Trainer(Network([2, 6, 5, 2], seed=net_seed), X, y, s, seed=trainer_seed)


def test_same_seeds_give_bit_identical_runs(classification):
    a, b = build(classification), build(classification)
    a.run(300)
    b.run(300)
    assert np.array_equal(a.network.parameters, b.network.parameters)
    np.testing.assert_array_equal(a.history.arrays()[1], b.history.arrays()[1])


def test_a_different_shuffling_seed_gives_a_different_run(classification):
    a, b = build(classification), build(classification, trainer_seed=2)
    assert np.array_equal(a.network.parameters, b.network.parameters)  # same start …
    a.run(50)
    b.run(50)
    assert not np.allclose(a.network.parameters, b.network.parameters)  # … different minibatches


def test_a_different_initialization_seed_gives_a_different_run(classification):
    a, b = build(classification), build(classification, net_seed=2)
    a.run(50)
    b.run(50)
    assert not np.allclose(a.network.parameters, b.network.parameters)


def test_reset_reproduces_a_fresh_network_and_run(classification):
    fresh = build(classification, net_seed=9, trainer_seed=9)
    fresh.run(100)
    trainer = build(classification)
    trainer.run(100)
    trainer.reset(9)
    assert np.array_equal(trainer.network.parameters, Network([2, 6, 5, 2], seed=9).parameters)
    assert (trainer.step_count, trainer.epoch, len(trainer.history)) == (0, 0, 0)
    trainer.run(100)
    assert np.array_equal(trainer.network.parameters, fresh.network.parameters)


# -- live changes ----------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [
    {"learning_rate": 0.001},
    {"optimizer": "adam"},
    {"optimizer": "sgd"},
    {"momentum": 0.5},
    {"batch_size": 3},
    {"batch_size": None},
    {"l2": 0.01},
    {"clip_norm": 1.0},
    {"schedule": "step", "schedule_params": {"step_size": 10}},
    {"warmup_steps": 5},
    {"test_fraction": 0.3},
])
def test_changing_a_setting_while_training_keeps_the_weights(classification, changes):
    trainer = build(classification)
    trainer.run(20)
    before = trainer.network.parameters.copy()
    trainer.update(**changes)
    assert np.array_equal(trainer.network.parameters, before)
    for key, value in changes.items():
        assert getattr(trainer.settings, key) == value
    assert trainer.run(10) == 10
    assert not np.array_equal(trainer.network.parameters, before)


def test_the_new_learning_rate_is_used_from_the_next_step(classification):
    trainer = build(classification)
    trainer.run(5)
    trainer.update(learning_rate=0.0123)
    assert trainer.learning_rate == 0.0123


def test_restating_the_settings_mid_run_does_not_disturb_momentum(classification):
    """An update that changes nothing must leave the trajectory bit for bit the same (no optimizer reset)."""
    a, b = build(classification), build(classification)
    a.run(40)
    b.run(20)
    b.update(learning_rate=0.05, momentum=b.settings.momentum)
    b.run(20)
    assert np.array_equal(a.network.parameters, b.network.parameters)


def test_changing_momentum_keeps_adams_moments(classification):
    """Momentum is not an Adam setting: changing it must not restart Adam (its next steps stay the same)."""
    a, b = build(classification, optimizer="adam"), build(classification, optimizer="adam")
    a.run(20)
    b.run(20)
    b.update(momentum=0.5)
    a.run(20)
    b.run(20)
    assert np.array_equal(a.network.parameters, b.network.parameters)


def test_changing_momentum_keeps_the_velocity_and_uses_the_new_momentum(classification):
    """p -= lr·buf with buf ← μ·buf + g: after the change the old buffer continues, scaled by the new μ."""
    trainer = build(classification)
    trainer.run(20)
    buf = trainer._optimizer._buffers[0].copy()
    trainer.update(momentum=0.5)
    before = trainer.network.parameters.copy()
    X, y, _ = trainer._next_batch()
    trainer._cursor -= len(X)  # let step() take this same batch
    grad = flat_gradient(trainer.network, X, y, "cross_entropy")
    trainer.step()
    expected = before - trainer.settings.learning_rate * (0.5 * buf + grad)
    np.testing.assert_allclose(trainer.network.parameters, expected, rtol=1e-12, atol=1e-15)


def test_a_rejected_update_changes_nothing(classification):
    trainer = build(classification)
    settings = trainer.settings
    with pytest.raises(ValueError, match="batch size"):
        trainer.update(batch_size=0)
    assert trainer.settings == settings


def test_set_data_replaces_the_points_and_keeps_the_weights(classification):
    trainer = build(classification)
    trainer.run(20)
    before = trainer.network.parameters.copy()
    X, y = classification
    trainer.set_data(X[:11], y[:11])
    assert np.array_equal(trainer.network.parameters, before)
    assert trainer.metrics().n_train == 11
    loss, _ = trainer.network.loss_and_gradients(X[:11], y[:11], "cross_entropy")
    assert trainer.metrics().train_loss == pytest.approx(loss, rel=1e-12)
    assert trainer.run(5) == 5


# -- holdout ---------------------------------------------------------------------------------


def test_holdout_keeps_about_the_fraction_and_every_point_is_on_one_side():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (2000, 2))
    trainer = Trainer(Network([2, 2], seed=0), X, (X[:, 0] > 0).astype(int),
                      TrainingSettings(loss="cross_entropy", test_fraction=0.25))
    m = trainer.metrics()
    assert m.n_train + m.n_test == 2000 and m.n_test == trainer.test_mask.sum()
    assert abs(m.n_test - 500) < 4 * math.sqrt(2000 * 0.25 * 0.75)  # a binomial draw: 4 σ ≈ 77


def test_metrics_report_loss_and_accuracy_on_train_and_test_points(classification):
    X, y = classification
    trainer = build(classification, test_fraction=0.3)
    trainer.run(100)
    m, mask, net = trainer.metrics(), trainer.test_mask, trainer.network
    assert 0 < m.n_test < 60
    for Xs, ys, loss, acc in ((X[~mask], y[~mask], m.train_loss, m.train_accuracy),
                              (X[mask], y[mask], m.test_loss, m.test_accuracy)):
        scores = net.predict(Xs)
        expected_loss = np.mean(np.log(np.exp(scores).sum(axis=1)) - scores[np.arange(len(ys)), ys])
        assert loss == pytest.approx(expected_loss, rel=1e-12)
        assert acc == pytest.approx(np.mean(scores.argmax(axis=1) == ys))


def test_regression_metrics_have_no_accuracy_and_no_test_loss_without_holdout(regression):
    X, y = regression
    trainer = Trainer(Network([1, 3, 1], seed=0), X, y)
    m = trainer.metrics()
    assert m.train_accuracy is None and m.test_loss is None and m.test_accuracy is None and m.n_test == 0
    assert m.train_loss == pytest.approx(np.mean((trainer.network.predict(X) - y) ** 2))


def test_adding_points_never_moves_earlier_points_between_train_and_test():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (120, 1))
    y = X ** 2
    trainer = Trainer(Network([1, 3, 1], seed=0), X[:5], y[:5], TrainingSettings(test_fraction=0.2))
    previous = trainer.test_mask.copy()
    for n in range(6, 121):
        trainer.set_data(X[:n], y[:n])
        assert np.array_equal(trainer.test_mask[:n - 1], previous), f"adding point {n} moved an earlier one"
        previous = trainer.test_mask.copy()
    assert 0 < previous.sum() < 120


def test_holdout_always_leaves_a_training_point():
    trainer = Trainer(Network([1, 1], seed=0), [[0.5]], [[1.0]], TrainingSettings(test_fraction=0.99))
    assert trainer.metrics().n_train == 1 and trainer.run(3) == 3


# -- clipping --------------------------------------------------------------------------------


def test_clipping_limits_the_sgd_update_to_clip_norm_times_lr_along_the_gradient(regression):
    X, y = regression
    net = Network([1, 8, 1], seed=0)
    net.weights[-1][:] *= 20.0  # a large gradient
    lr, clip = 0.1, 0.5
    g = flat_gradient(net, X, y, "mse")
    assert np.linalg.norm(g) > 10 * clip
    trainer = Trainer(net, X, y, TrainingSettings(optimizer="sgd", learning_rate=lr, clip_norm=clip))
    before = net.parameters.copy()
    trainer.step()
    delta = net.parameters - before
    assert np.linalg.norm(delta) == pytest.approx(clip * lr, rel=1e-12)
    np.testing.assert_allclose(delta, -lr * clip * g / np.linalg.norm(g), rtol=1e-10, atol=1e-15)


def test_a_gradient_below_the_clip_norm_is_left_alone(regression):
    X, y = regression
    net = Network([1, 3, 1], seed=0)
    g = flat_gradient(net, X, y, "mse")
    trainer = Trainer(net, X, y, TrainingSettings(optimizer="sgd", learning_rate=0.1,
                                                  clip_norm=10 * np.linalg.norm(g)))
    before = net.parameters.copy()
    trainer.step()
    np.testing.assert_allclose(net.parameters - before, -0.1 * g, rtol=1e-10, atol=1e-15)


# -- bounded history -------------------------------------------------------------------------


def test_loss_history_stays_bounded_and_covers_the_whole_run():
    X, y = np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])
    trainer = Trainer(Network([1, 1], seed=0), X, y, TrainingSettings(learning_rate=0.01))
    trainer.history = DecimatingSeries(capacity=64)
    assert trainer.run(20_000) == 20_000
    steps, values = trainer.history.arrays()
    stride = trainer.history.stride
    assert len(steps) <= 64 and stride > 1
    assert steps[0] <= stride and steps[-1] > 20_000 - stride  # from the start to the end of the run
    np.testing.assert_array_equal(np.diff(steps), stride)  # evenly spaced
    assert np.all(np.diff(values) <= 0)  # a convex problem at a small rate: the loss only falls


@pytest.mark.parametrize("capacity, n", [(4, 9), (8, 1000), (64, 100_000)])
def test_decimated_rows_are_exact_window_means(capacity, n):
    """Feeding value = step, a row ending at step s over a window of w steps must read s − (w − 1)/2."""
    series = DecimatingSeries(capacity)
    for step in range(1, n + 1):
        series.add(step, float(step))
    steps, values = series.arrays()
    assert 0 < len(steps) <= capacity
    np.testing.assert_array_equal(np.diff(steps), series.stride)
    np.testing.assert_allclose(values, steps - (series.stride - 1) / 2)
    assert steps[0] == series.stride and steps[-1] > n - series.stride


def test_decimating_series_rejects_bad_capacity():
    with pytest.raises(ValueError, match="capacity"):
        DecimatingSeries(5)


# -- divergence ------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [30.0, 100.0])  # up to the limit, limits.LEARNING_RATE
def test_a_huge_learning_rate_stops_with_a_reason_and_finite_parameters(lr):
    trainer, _ = get_preset("bishop-x2").build()
    trainer.update(optimizer="sgd", learning_rate=lr)
    with np.errstate(over="ignore", invalid="ignore"):
        taken = trainer.run(1000)
        last = trainer.network.parameters.copy()
        assert taken < 1000 and trainer.step() is False and trainer.run(10) == 0
    reason = trainer.blocked_reason
    assert reason.startswith(f"diverged at step {taken}:")
    assert "learning rate" in reason and "clipping" in reason
    assert np.isfinite(trainer.network.parameters).all()
    assert np.array_equal(trainer.network.parameters, last)  # the failed step changed nothing
    assert trainer.epoch == taken  # full batch: an epoch per step taken; the diverging one completes none


def test_clipping_keeps_the_same_huge_learning_rate_from_diverging_at_once():
    trainer, _ = get_preset("bishop-x2").build()
    trainer.update(optimizer="sgd", learning_rate=100.0, clip_norm=1e-4)
    assert trainer.run(200) == 200 and trainer.blocked_reason is None


def test_lowering_the_rate_after_divergence_lets_training_go_on():
    trainer, _ = get_preset("bishop-x2").build()
    trainer.update(optimizer="sgd", learning_rate=100.0)
    with np.errstate(over="ignore", invalid="ignore"):
        trainer.run(1000)
    assert trainer.blocked_reason.startswith("diverged")
    trainer.reset()
    trainer.update(learning_rate=0.01)
    assert trainer.blocked_reason is None and trainer.run(10) == 10


# -- untrainable networks and bad input ------------------------------------------------------


def test_step_hidden_units_do_not_train_and_say_why(classification):
    X, y = classification
    trainer = Trainer(Network([2, 4, 2], "step", seed=0), X, y, TrainingSettings(loss="cross_entropy"))
    before = trainer.network.parameters.copy()
    assert trainer.run(10) == 0 and trainer.step() is False
    assert "zero gradient" in trainer.blocked_reason and "step" in trainer.blocked_reason
    assert np.array_equal(trainer.network.parameters, before)


@pytest.mark.parametrize("outputs, loss", [(1, "mse"), (2, "cross_entropy")])
def test_a_step_network_without_hidden_layers_trains(outputs, loss):
    """With no hidden layer the step key is never applied: [2, 1] is the lecture's linear unit on AND."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 0, 0, 1])  # AND: linearly separable
    y = labels if loss == "cross_entropy" else labels[:, None].astype(float)
    trainer = Trainer(Network([2, outputs], "step", seed=0), X, y,
                      TrainingSettings(loss=loss, optimizer="adam", learning_rate=0.1))
    assert trainer.blocked_reason is None
    start = trainer.metrics().train_loss
    assert trainer.run(500) == 500
    if loss == "mse":  # the least-squares line through the AND table, by the normal equations
        A = np.column_stack([X, np.ones(4)])
        best = np.mean((A @ np.linalg.lstsq(A, y, rcond=None)[0] - y) ** 2)
        assert trainer.metrics().train_loss == pytest.approx(best, rel=1e-6) and best < start / 4
    else:
        assert trainer.metrics().train_loss < start / 10
    scores = trainer.network.predict(X)
    predicted = scores.argmax(axis=1) if outputs == 2 else (scores[:, 0] > 0.5).astype(int)
    np.testing.assert_array_equal(predicted, labels)


def test_a_trainer_with_no_points_does_nothing_and_says_why():
    trainer = Trainer(Network([2, 3, 2], seed=0), np.empty((0, 2)), np.empty(0, int),
                      TrainingSettings(loss="cross_entropy"))
    assert trainer.run(10) == 0 and trainer.step_count == 0
    assert "no training points" in trainer.blocked_reason
    assert trainer.metrics().train_loss is None


@pytest.mark.parametrize("settings, words", [
    ({"batch_size": 0}, r"batch size .*: expected a whole number from 1"),
    ({"batch_size": -3}, "batch size"),
    ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'; choose one of sgd, momentum, adam"),
    ({"loss": "hinge"}, "unknown loss 'hinge'; choose one of mse, cross_entropy"),
    ({"schedule": "linear"}, "unknown schedule 'linear'; choose one of constant, step"),
    ({"l2": -1.0}, "L2"),
    ({"clip_norm": 0.0}, "clipping norm"),
    ({"test_fraction": 1.0}, "test fraction"),
    ({"momentum": 1.5}, "momentum"),
])
def test_bad_settings_raise_naming_the_setting(regression, settings, words):
    X, y = regression
    with pytest.raises(ValueError, match=words):
        Trainer(Network([1, 3, 1], seed=0), X, y, TrainingSettings(**settings))


def test_mismatched_data_raises_naming_both_shapes():
    with pytest.raises(ValueError, match=r"\(5, 1\).*\(4, 1\)"):
        Trainer(Network([1, 3, 1], seed=0), np.zeros((5, 1)), np.zeros((4, 1)))


def test_a_label_out_of_range_raises_when_data_is_set(classification):
    trainer = build(classification)
    X, y = classification
    with pytest.raises(ValueError, match=r"label 2 is out of range.*0\.\.1"):
        trainer.set_data(X, np.where(np.arange(60) == 7, 2, y))


@pytest.mark.parametrize("where", ["X", "y"])
def test_nan_in_the_data_raises(regression, where):
    X, y = (a.copy() for a in regression)
    (X if where == "X" else y)[4, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        Trainer(Network([1, 3, 1], seed=0), X, y)


def test_after_divergence_play_goes_on_from_the_lowest_loss_weights_with_the_new_rate():
    trainer, _ = get_preset("bishop-x2").build()
    trainer.update(optimizer="sgd", learning_rate=0.1)
    trainer.run(300)
    trainer.update(learning_rate=50.0)  # the teacher's "too high" experiment
    seen = []  # (full-batch loss, weights) before every step since the change, measured apart from the trainer
    with np.errstate(over="ignore", invalid="ignore"):
        while trainer.blocked_reason is None:
            seen.append((trainer.metrics().train_loss, trainer.network.parameters.copy(), trainer.step_count))
            trainer.step()
    assert trainer.blocked_reason.startswith("diverged")
    finite = [s for s in seen if math.isfinite(s[0])]
    best_loss, best_weights, best_step = min(finite, key=lambda s: s[0])
    assert f"(step {best_step:,})" in trainer.blocked_reason

    trainer.update(learning_rate=0.05)
    assert trainer.blocked_reason.startswith("diverged")  # a settings change alone does not hide the stop
    note = trainer.resume_after_divergence()
    assert f"weights of step {best_step:,}" in note and "learning rate 0.05" in note
    np.testing.assert_array_equal(trainer.network.parameters, best_weights)
    assert trainer.blocked_reason is None and trainer.run(200) == 200
    assert trainer.metrics().train_loss < best_loss
    assert trainer.resume_after_divergence() is None  # nothing to resume from now


def test_restarting_the_schedule_keeps_the_weights_and_follows_the_schedule_from_there():
    trainer, _ = get_preset("bishop-x2").build()
    trainer.update(optimizer="adam", learning_rate=0.03, schedule="step",
                   schedule_params={"step_size": 10, "gamma": 0.1, "min_lr": 1e-4})
    trainer.run(100)
    assert trainer.learning_rate == 1e-4  # at the floor, not 0.03·10⁻¹⁰
    weights, moments = trainer.network.parameters.copy(), trainer.state()["optimizer"]["m"]
    trainer.restart_schedule()
    assert trainer.schedule_origin == 100 and trainer.step_count == 100
    np.testing.assert_array_equal(trainer.network.parameters, weights)
    np.testing.assert_array_equal(trainer.state()["optimizer"]["m"], moments)
    rates = []
    for _ in range(25):
        rates.append(trainer.learning_rate)
        trainer.step()
    assert np.allclose(rates, [max(1e-4, 0.03 * 0.1 ** (k // 10)) for k in range(25)], rtol=1e-12)
    again, _ = get_preset("bishop-x2").build()  # the restarted clock is saved with the state (optimizer t)
    again.update(optimizer="adam", learning_rate=0.03, schedule="step",
                 schedule_params={"step_size": 10, "gamma": 0.1, "min_lr": 1e-4})
    again.restore(trainer.state())
    assert again.schedule_origin == 100 and again.learning_rate == trainer.learning_rate
