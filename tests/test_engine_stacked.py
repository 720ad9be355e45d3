"""Restarts as one stacked computation: every seed follows its own single ``Trainer`` run.

The reference for each seed is the independent single-network code path (``Network`` + ``Trainer``),
run one seed at a time with the same data and settings.
"""

import numpy as np
import pytest

from playground.data import make_dataset
from playground.engine import Network, StackedNetwork, StackedTrainer, Trainer, TrainingSettings, cross_entropy, mse
from playground.engine.stacked_network import stacked_cross_entropy, stacked_mse

SEEDS = (0, 3, 7, 11)


@pytest.fixture(scope="module")
def regression():
    x = np.linspace(-1, 1, 23)
    return x[:, None], np.abs(x)[:, None]


@pytest.fixture(scope="module")
def classification():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, (40, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def single_runs(sizes, activation, X, y, settings, seeds, steps):
    runs = []
    for seed in seeds:
        trainer = Trainer(Network(sizes, activation, seed=seed), X, y, settings, seed=seed)
        trainer.run(steps)
        runs.append(trainer)
    return runs


def assert_each_seed_follows_its_single_run(stacked, singles, rows=None):
    """Row rows[i] of ``stacked`` (default: row i) against the single run ``singles[i]``."""
    rows = range(len(singles)) if rows is None else rows
    every = stacked.metrics()
    for row, single in zip(rows, singles):
        np.testing.assert_allclose(stacked.network.parameters[row], single.network.parameters, rtol=1e-12, atol=1e-12)
        assert stacked.step_counts[row] == single.step_count
        assert stacked.epochs[row] == single.epoch
        assert (stacked.diverged[row] is None) == (single.diverged is None)
        assert (single.diverged or "").startswith(stacked.diverged[row] or "")  # the single run adds how Play recovers
    for mine, theirs in zip((every[r] for r in rows), (t.metrics() for t in singles)):
        for field in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            a, b = getattr(mine, field), getattr(theirs, field)
            assert (a is None) == (b is None), field
            if a is not None:
                assert a == pytest.approx(b, rel=1e-12, abs=1e-15), field
        assert (mine.n_train, mine.n_test) == (theirs.n_train, theirs.n_test)


OPTIMIZERS = ("sgd", "momentum", "adam")
EXTRAS = {
    "plain": {},
    "l2+clip": {"l2": 0.01, "clip_norm": 0.3},
    "schedule": {"schedule": "step", "schedule_params": {"step_size": 10, "gamma": 0.5}, "warmup_steps": 3},
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("extra", EXTRAS, ids=str)
@pytest.mark.parametrize("batch_size", [None, 5], ids=["full-batch", "batch-5"])
def test_regression_seeds_follow_their_single_runs(regression, optimizer, extra, batch_size):
    X, y = regression
    settings = TrainingSettings(loss="mse", optimizer=optimizer, learning_rate=0.05, batch_size=batch_size,
                                **EXTRAS[extra])
    stacked = StackedTrainer([1, 3, 1], "logistic", X, y, settings, SEEDS)
    assert stacked.run(37) == 37
    assert_each_seed_follows_its_single_run(stacked, single_runs([1, 3, 1], "logistic", X, y, settings, SEEDS, 37))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("extra", ["plain", "l2+clip"])
@pytest.mark.parametrize("batch_size", [None, 7], ids=["full-batch", "batch-7"])
def test_classification_seeds_follow_their_single_runs(classification, optimizer, extra, batch_size):
    """Two hidden ReLU layers, softmax over 2 classes, a holdout, and a last short batch (34 = 4·7 + 6)."""
    X, y = classification
    settings = TrainingSettings(loss="cross_entropy", optimizer=optimizer, learning_rate=0.1, batch_size=batch_size,
                                test_fraction=0.2, **EXTRAS[extra])
    sizes = [2, 5, 4, 2]
    stacked = StackedTrainer(sizes, "relu", X, y, settings, SEEDS)
    assert stacked.n_train == 34  # the holdout split is the single run's: 6 of 40 held out
    assert stacked.run(29) == 29
    assert_each_seed_follows_its_single_run(stacked, single_runs(sizes, "relu", X, y, settings, SEEDS, 29))


@pytest.mark.parametrize("batch_size", [None, 7], ids=["full-batch", "batch-7"])
def test_a_network_without_hidden_layers_follows_its_single_runs(classification, batch_size):
    X, y = classification
    settings = TrainingSettings(loss="cross_entropy", optimizer="momentum", learning_rate=0.2, batch_size=batch_size)
    stacked = StackedTrainer([2, 2], "tanh", X, y, settings, SEEDS)
    stacked.run(15)
    assert_each_seed_follows_its_single_run(stacked, single_runs([2, 2], "tanh", X, y, settings, SEEDS, 15))


def test_clipping_scales_each_seed_by_its_own_norm(regression):
    """One SGD step: Δθ = −lr·g·min(1, c/‖g‖) per seed, with c between the seeds' gradient norms."""
    X, y = regression
    norms, grads = [], []
    for seed in SEEDS:
        _, g = Network([1, 3, 1], "tanh", seed=seed).loss_and_gradients(X, y, "mse")
        grads.append(g.flat)
        norms.append(np.linalg.norm(g.flat))
    clip = float(np.median(norms))
    assert min(norms) < clip < max(norms)  # some seeds are clipped, some are not
    stacked = StackedTrainer([1, 3, 1], "tanh", X, y, TrainingSettings(learning_rate=0.1, clip_norm=clip), SEEDS)
    before = stacked.network.parameters.copy()
    stacked.step()
    for row, (g, norm) in enumerate(zip(grads, norms)):
        expected = -0.1 * g * min(1.0, clip / norm)
        np.testing.assert_allclose(stacked.network.parameters[row] - before[row], expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_diverging_seed_stops_alone_and_keeps_its_last_finite_parameters(regression, optimizer):
    X, y = regression
    settings = TrainingSettings(optimizer=optimizer, learning_rate=0.05)
    stacked = StackedTrainer([1, 3, 1], "tanh", X, y, settings, SEEDS)
    stacked.run(4)
    # Seed 3's output weights become huge: its loss overflows to inf on the next step, as the single run's would.
    stacked.network.weights[-1][1] = 1e200
    frozen = stacked.network.parameters[1].copy()
    single = Trainer(Network([1, 3, 1], "tanh", seed=3), X, y, settings, seed=3)
    single.run(4)
    single.network.weights[-1][...] = 1e200
    with np.errstate(all="ignore"):
        single.run(6)
    assert stacked.run(6) == 6  # the other seeds go on
    assert single.diverged.startswith(stacked.diverged[1]) and "diverged at step 4" in stacked.diverged[1]
    assert stacked.step_counts.tolist() == [10, 4, 10, 10]
    assert list(stacked.active) == [True, False, True, True]
    np.testing.assert_array_equal(stacked.network.parameters[1], frozen)
    others = [s for s in SEEDS if s != 3]
    assert_each_seed_follows_its_single_run(stacked, single_runs([1, 3, 1], "tanh", X, y, settings, others, 10),
                                            rows=[0, 2, 3])
    assert stacked.ranked_rows()[-1] == 1  # a diverged seed ranks last
    assert stacked.blocked_reason is None


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_seeds_that_diverge_at_different_steps_each_stop_where_their_single_run_stops(regression, optimizer):
    """A rate of 1.5 is too high for every seed, but each overflows at its own step (150 to 157 here)."""
    X, y = regression
    seeds = range(8)
    settings = TrainingSettings(optimizer=optimizer, learning_rate=1.5)
    stacked = StackedTrainer([1, 3, 1], "tanh", X, y, settings, seeds)
    with np.errstate(all="ignore"):
        singles = single_runs([1, 3, 1], "tanh", X, y, settings, seeds, 300)
    steps = [t.step_count for t in singles]
    assert len(set(steps)) > 1 and max(steps) < 300  # the seeds stop at different steps
    assert stacked.run(300) == max(steps)
    assert_each_seed_follows_its_single_run(stacked, singles)
    assert not stacked.active.any() and stacked.blocked_reason


def test_when_every_seed_diverges_training_stops_with_a_reason(regression):
    X, y = regression
    stacked = StackedTrainer([1, 3, 1], "tanh", X, y, TrainingSettings(), SEEDS)
    stacked.network.weights[-1][...] = 1e200
    assert stacked.run(5) == 0
    assert all(d and "diverged at step 0" in d for d in stacked.diverged)
    assert "every seed diverged" in stacked.blocked_reason


def test_results_give_each_seed_in_the_single_network_layout(classification):
    X, y = classification
    settings = TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.05)
    stacked = StackedTrainer([2, 4, 2], "tanh", X, y, settings, SEEDS)
    stacked.run(20)
    results = stacked.results()
    assert [r.seed for r in results] == list(SEEDS)
    for row, result in enumerate(results):
        net = stacked.single_network(row)
        np.testing.assert_array_equal(result.parameters, net.parameters)
        # the weight and bias views of row s are the single network's views
        for W, b, W_net, b_net in zip(stacked.network.weights, stacked.network.biases, net.weights, net.biases):
            np.testing.assert_array_equal(W[row], W_net)
            np.testing.assert_array_equal(b[row], b_net)
        assert result.steps == 20 and result.diverged is None
        scores = net.predict(X)
        assert result.metrics.train_loss == pytest.approx(cross_entropy(scores, y)[0], rel=1e-12)
        assert result.metrics.train_accuracy == pytest.approx(np.mean(scores.argmax(axis=1) == y))
    ranked = [results[r].metrics.train_loss for r in stacked.ranked_rows()]
    assert ranked == sorted(ranked)
    results[0].parameters[:] = 0.0  # a copy: changing it leaves the trainer alone
    assert np.any(stacked.network.parameters[0] != 0.0)


def test_initialization_is_each_seeds_network():
    stacked = StackedNetwork([2, 5, 3], "relu", [4, 9])
    for row, seed in enumerate((4, 9)):
        np.testing.assert_array_equal(stacked.parameters[row], Network([2, 5, 3], "relu", seed=seed).parameters)


def test_stacked_losses_give_each_seeds_loss_and_gradient():
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(3, 8, 4)) * 30  # large scores: the log-sum-exp shift matters
    targets = rng.normal(size=(3, 8, 4))
    labels = rng.integers(0, 4, (3, 8))
    values, grads = stacked_mse(scores, targets)
    ce_values, ce_grads = stacked_cross_entropy(scores, labels)
    shared_values, _ = stacked_cross_entropy(scores, labels[0])  # one label vector for every seed
    for s in range(3):
        value, grad = mse(scores[s], targets[s])
        assert values[s] == pytest.approx(value, rel=1e-14)
        np.testing.assert_allclose(grads[s], grad, rtol=1e-14)
        value, grad = cross_entropy(scores[s], labels[s])
        assert ce_values[s] == pytest.approx(value, rel=1e-14)
        np.testing.assert_allclose(ce_grads[s], grad, rtol=1e-12, atol=1e-16)
        assert shared_values[s] == pytest.approx(cross_entropy(scores[s], labels[0])[0], rel=1e-14)


def test_bad_input_names_the_field(regression):
    X, y = regression
    with pytest.raises(ValueError, match="seeds"):
        StackedTrainer([1, 3, 1], "tanh", X, y, TrainingSettings(), [])
    with pytest.raises(ValueError, match="momentum"):
        StackedTrainer([1, 3, 1], "tanh", X, y, TrainingSettings(momentum=1.5), SEEDS)
    with pytest.raises(ValueError, match="inputs X"):
        StackedTrainer([2, 3, 1], "tanh", X, y, TrainingSettings(), SEEDS)
    stacked = StackedTrainer([1, 3, 1], "step", X, y, TrainingSettings(), SEEDS)
    assert not stacked.step() and "step activation" in stacked.blocked_reason


def test_restarts_land_in_different_minima_on_abs_with_three_logistic_units():
    """The lecture's restarts slide: |x| on 50 points, 3 logistic units, Adam at rate 0.03, full batch, 10 000 steps.

    Measured here: seeds 6, 8 and 9 end at a train loss of 5.9e-4, the others between 9.8e-5 and 1.3e-4.
    (The worse level is a slow plateau at this rate: by 50 000 steps every seed has left it.)
    """
    data = make_dataset("abs", n=50)
    settings = TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.03)
    stacked = StackedTrainer([1, 3, 1], "logistic", data.X, data.y, settings, range(10))
    stacked.run(10_000)
    losses = np.array([m.train_loss for m in stacked.metrics()])
    best = losses.min()
    worse = {seed for seed, loss in zip(stacked.seeds, losses) if loss >= 3 * best}
    assert worse == {6, 8, 9}
    assert losses.max() / best > 5.0
    # the worse seeds share one level: they are in the same basin, not spread out
    assert np.ptp(losses[[6, 8, 9]]) < 0.01 * losses[[6, 8, 9]].mean()
    assert set(stacked.ranked_rows()[-3:]) == {6, 8, 9}
