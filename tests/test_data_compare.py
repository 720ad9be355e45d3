"""Compare scenes: the model, and each lecture contrast trained headless with its claim checked numerically.

Every scene is trained once (module fixture) at its own step budget. The bounds leave a margin around
the values measured here (`PYTHONPATH=$PWD python -m playground train --preset KEY` prints them).
"""

import math

import numpy as np
import pytest

from playground.data import PRESETS, get_preset
from playground.data.compare import MAX_RUNS, CompareScene, Run
from playground.data.compare_scenes import COMPARE_SCENES, get_scene
from playground.engine import Network, Trainer

# At the window's default 600 steps/s, 30 s are 18,000 steps: every scene must show its point by then.
WINDOW_STEPS_IN_30_S = 600 * 30


@pytest.fixture(scope="module")
def trained():
    """Every compare scene trained once: key -> {label: RunResult}."""
    return {key: {r.label: r for r in scene.train()} for key, scene in COMPARE_SCENES.items()}


def results(trained, key):
    """The runs of scene ``key`` in panel order."""
    return [trained[key][run.label] for run in COMPARE_SCENES[key].runs]


# -- the model ---------------------------------------------------------------------------------
def test_every_scene_has_two_to_four_runs_a_caption_and_a_budget_within_30_s_of_the_window():
    assert len(COMPARE_SCENES) == 9
    for key, scene in COMPARE_SCENES.items():
        assert 2 <= len(scene.runs) <= MAX_RUNS, key
        assert scene.caption and scene.title, key
        assert scene.steps <= WINDOW_STEPS_IN_30_S, key


def test_compare_keys_do_not_clash_with_presets_and_both_are_found_by_key():
    assert not set(COMPARE_SCENES) & set(PRESETS)
    assert get_scene("compare-xnor") is COMPARE_SCENES["compare-xnor"]
    assert get_scene("xnor") is PRESETS["xnor"]
    with pytest.raises(ValueError, match="unknown preset 'nope'.*compare-ridge"):
        get_scene("nope")


def test_bad_runs_are_refused_with_the_field_named():
    base = get_preset("xnor")
    with pytest.raises(ValueError, match="unknown training setting 'learning_rat'"):
        Run("typo", settings={"learning_rat": 0.1})
    with pytest.raises(ValueError, match="1 to 4 runs; got 5"):
        CompareScene("k", "t", "c", base, tuple(Run(f"seed {s}", seed=s) for s in range(5)), steps=10)
    with pytest.raises(ValueError, match="labels must differ"):
        CompareScene("k", "t", "c", base, (Run("a"), Run("a")), steps=10)
    scene = CompareScene("k", "t", "c", base, (Run("bad", settings={"batch_size": 0}),), steps=10)
    with pytest.raises(ValueError, match="batch size"):
        scene.train()


def test_a_run_changes_only_what_it_overrides():
    scene = COMPARE_SCENES["compare-curvature"]
    clipped = scene.preset_for(scene.runs[1])
    assert clipped.settings.clip_norm == 0.1
    assert (clipped.settings.optimizer, clipped.settings.learning_rate) == ("sgd", 1.0)
    assert (clipped.dataset, clipped.hidden, clipped.seed) == (scene.base.dataset, scene.base.hidden, scene.base.seed)


def test_every_run_trains_on_the_same_points(trained):
    for key, scene in COMPARE_SCENES.items():
        data = [scene.preset_for(run).make_dataset() for run in scene.runs]
        assert all(np.array_equal(d.X, data[0].X) and np.array_equal(d.y, data[0].y) for d in data), key
        assert len({r.metrics.n_train for r in results(trained, key)}) == 1, key


def test_stacked_seed_runs_equal_their_single_runs(trained):
    """The restarts scene trains its seeds as one stacked computation; each must equal a plain Trainer run."""
    scene = COMPARE_SCENES["compare-restarts"]
    run = scene.runs[2]  # seed 6
    preset = scene.preset_for(run)
    data = preset.make_dataset()
    single = Trainer(Network(preset.layer_sizes(data), preset.activation, seed=6), data.X, data.y,
                     preset.settings, seed=6)
    single.run(scene.steps)
    stacked = trained["compare-restarts"][run.label]
    assert stacked.seed == 6 and stacked.steps == scene.steps
    np.testing.assert_allclose(stacked.parameters, single.network.parameters, rtol=0, atol=1e-12)
    assert math.isclose(stacked.metrics.train_loss, single.metrics().train_loss, rel_tol=1e-9)


# -- the lecture's claims ----------------------------------------------------------------------
def test_feature_map_linear_model_separates_circles_and_raw_linear_model_cannot(trained):
    phi, mlp, raw = results(trained, "compare-feature-map")
    assert phi.layer_sizes == (2, 2) and phi.features == ("x1^2", "x2^2")  # linear: no hidden layer, on φ(x)
    assert raw.layer_sizes == (2, 2) and raw.features is None
    assert mlp.layer_sizes == (2, 4, 2) and mlp.features is None
    assert phi.metrics.train_accuracy == 1.0 and mlp.metrics.train_accuracy >= 0.98  # measured 100%, 100%
    assert raw.metrics.train_accuracy <= 0.7  # measured 64%: about chance on a disk inside a ring
    assert raw.metrics.train_loss > 0.6 > 0.05 > max(phi.metrics.train_loss, mlp.metrics.train_loss)


def test_a_single_perceptron_stalls_on_xnor_and_one_hidden_layer_solves_it(trained):
    perceptron, mlp = results(trained, "compare-xnor")
    assert perceptron.layer_sizes == (2, 2) and mlp.layer_sizes == (2, 2, 2)
    assert perceptron.metrics.train_accuracy <= 0.75  # measured 50%
    assert mlp.metrics.train_accuracy == 1.0


def test_the_train_error_falls_as_the_hidden_units_grow(trained):
    runs = results(trained, "compare-units")
    assert [r.layer_sizes[1] for r in runs] == [1, 3, 10, 50]
    losses = [r.metrics.train_loss for r in runs]  # measured 5.7e-2, 6.5e-4, 1.4e-4, 1.6e-5
    for fewer, more in zip(losses, losses[1:]):
        assert more < 0.5 * fewer
    assert losses[-1] < 1e-3 * losses[0]


def test_deep_beats_wide_at_about_equal_parameter_count(trained):
    wide, deep = results(trained, "compare-deep-wide")
    counts = [Network(list(r.layer_sizes), r.activation).parameters.size for r in (wide, deep)]
    assert abs(counts[0] - counts[1]) <= 0.05 * counts[0]
    for result, count in zip((wide, deep), counts):
        assert f"({count} parameters)" in result.label  # the label says the count
    assert deep.metrics.train_accuracy == 1.0 and wide.metrics.train_accuracy <= 0.9  # measured 100%, 80.5%
    assert deep.metrics.train_loss < 0.1 * wide.metrics.train_loss


def test_restarts_from_other_seeds_land_in_different_minima(trained):
    runs = {r.seed: r.metrics.train_loss for r in results(trained, "compare-restarts")}
    good, bad = [runs[0], runs[1]], [runs[6], runs[8]]  # measured 9.9e-5, 1.1e-4 | 5.9e-4, 5.9e-4
    assert max(good) < 1.5e-4 and all(5e-4 < loss < 7e-4 for loss in bad)
    assert min(bad) > 3 * max(good)


def test_sigmoid_units_stall_in_flat_regions_where_relu_learns(trained):
    logistic, tanh, relu = (r.metrics.train_accuracy for r in results(trained, "compare-flat"))
    assert logistic <= 0.7 and tanh <= 0.85 and relu >= 0.97  # measured 62.5%, 77%, 99.5%
    assert logistic < tanh < relu


def test_sgd_diverges_at_high_curvature_where_clipping_and_adam_survive(trained):
    scene = COMPARE_SCENES["compare-curvature"]
    sgd, clipped, adam = results(trained, "compare-curvature")
    assert sgd.stopped and sgd.stopped.startswith("diverged") and sgd.steps < scene.steps
    start = scene.build(scene.runs[0]).metrics().train_loss  # the untrained fit's loss (0.35 measured)
    for result in (clipped, adam):
        assert result.stopped is None and result.steps == scene.steps
        assert result.metrics.train_loss < 0.05 * start  # measured 5.6e-3 and 1.0e-3


def _fit(result, x):
    """The run's trained network's output at the points x (m,) → (m,)."""
    network = Network(list(result.layer_sizes), result.activation)
    network.parameters[...] = result.parameters
    return network._forward(x[:, None]).scores[:, 0]


def test_ridge_smooths_an_overfitting_fit_and_lowers_the_test_loss(trained):
    runs = results(trained, "compare-ridge")
    assert [r.settings.l2 for r in runs] == [0.0, 0.001, 0.01]
    unregularized, *regularized = runs
    assert unregularized.metrics.n_train <= 12 and unregularized.layer_sizes == (1, 50, 1)
    assert unregularized.metrics.train_loss < 1e-3  # through every noisy point (measured 1.7e-4)
    x = np.linspace(-1, 1, 401)
    roughness = [np.abs(np.diff(_fit(r, x), 2)).sum() for r in runs]  # Σ|second difference| of the curve
    for lower, higher, rough_lower, rough_higher in zip(runs, runs[1:], roughness, roughness[1:]):
        assert higher.metrics.test_loss < 0.7 * lower.metrics.test_loss  # measured 1.5, 0.095, 0.051
        assert higher.metrics.train_loss > lower.metrics.train_loss
        assert rough_higher < rough_lower


def test_a_decayed_learning_rate_settles_below_the_constant_plateau(trained):
    constant, staircase, cosine = results(trained, "compare-lr-schedule")
    assert (constant.settings.schedule, staircase.settings.schedule, cosine.settings.schedule) == (
        "constant", "step", "cosine")
    # measured 0.123 (constant), 0.051 (staircase), 0.046 (cosine); the noise floor is 0.2² = 0.04
    assert staircase.metrics.train_loss < 0.6 * constant.metrics.train_loss
    assert cosine.metrics.train_loss < 0.6 * constant.metrics.train_loss
    assert min(staircase.metrics.train_loss, cosine.metrics.train_loss) > 0.03


def test_least_squares_ridge_preset_trains_to_the_closed_form_ridge_line():
    """J = mean (wx + b − y)² + λw² is minimized by (XᵀX/n + λ·diag(1, 0)) [w, b] = Xᵀy/n (b is not penalized)."""
    preset = get_preset("least-squares-ridge")
    assert preset.hidden == () and preset.settings.l2 > 0 and preset.settings.loss == "mse"
    trainer, data = preset.build()
    trainer.run(3000)
    A = np.column_stack([data.X[:, 0], np.ones(len(data.X))])
    n, lam = len(data.X), preset.settings.l2
    w, b = np.linalg.solve(A.T @ A / n + lam * np.diag([1.0, 0.0]), A.T @ data.y[:, 0] / n)
    trained_w, trained_b = trainer.network.parameters  # W (1, 1) then b (1,)
    assert trained_w == pytest.approx(w, abs=1e-6) and trained_b == pytest.approx(b, abs=1e-6)
    unpenalized = np.linalg.lstsq(A, data.y[:, 0], rcond=None)[0][0]
    assert abs(w) < abs(unpenalized)  # λ visibly shrinks the slope


def test_the_restart_seeds_shown_are_representative_of_the_first_ten():
    """All ten first seeds of the restarts scene's settings: 6, 8 and 9 end in the worse minimum, the rest in the
    good one."""
    from playground.engine.stacked import StackedTrainer
    scene = COMPARE_SCENES["compare-restarts"]
    preset = scene.preset_for(scene.runs[0])
    data = preset.make_dataset()
    trainer = StackedTrainer(preset.layer_sizes(data), preset.activation, data.X, data.y, preset.settings,
                             seeds=range(10))
    trainer.run(scene.steps)
    losses = {seed: m.train_loss for seed, m in zip(trainer.seeds, trainer.metrics())}
    worse = {seed for seed, loss in losses.items() if loss > 3e-4}
    assert worse == {6, 8, 9}
    assert all(5e-4 < losses[s] < 7e-4 for s in worse) and all(losses[s] < 1.5e-4 for s in set(losses) - worse)
