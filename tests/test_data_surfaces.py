"""2-D regression's datasets and scenes (TensorFlow Playground's plane and Gaussian): labels against formulas
written here independently, and training against the labels' own variance."""

import numpy as np
import pytest

from playground.data import get_preset, make_dataset
from playground.data.scene import MODES, mode_for, mode_of_dataset

# TFPG's six bumps in its [−6, 6]² units (centre x, centre y, sign), written out again here
TFPG_BUMPS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


def plane_target(X):
    # TFPG: label = (x + y) / 10 for x, y in [−6, 6]; ours are TFPG's coordinates divided by 6
    return (6 * X[:, 0] + 6 * X[:, 1]) / 10


def gaussian_target(X, sigma=1.25):
    total = np.zeros(len(X))
    for cx, cy, sign in TFPG_BUMPS:
        d2 = (6 * X[:, 0] - cx) ** 2 + (6 * X[:, 1] - cy) ** 2  # in TFPG units
        total += sign * np.exp(-d2 / (2 * sigma ** 2))
    return total


@pytest.mark.parametrize("key, target", [("plane", plane_target), ("gaussian", gaussian_target)])
def test_surfaces_are_points_in_the_square_with_number_targets(key, target):
    d = make_dataset(key, n=400, noise=0.0, seed=2)
    assert d.X.shape == (400, 2) and d.y.shape == (400, 1) and not d.is_classification
    assert np.all(np.abs(d.X) <= 1.0)
    np.testing.assert_allclose(d.y[:, 0], target(d.X), atol=1e-12)
    (x0, x1), (y0, y1) = MODES["regression-2d"].bounds  # inside the drawing area
    assert x0 < d.X[:, 0].min() and d.X[:, 0].max() < x1 and y0 < d.X[:, 1].min() and d.X[:, 1].max() < y1


@pytest.mark.parametrize("key, target", [("plane", plane_target), ("gaussian", gaussian_target)])
def test_surface_noise_is_gaussian_on_the_targets(key, target):
    noisy = make_dataset(key, n=5000, noise=0.1, seed=1)
    residual = noisy.y[:, 0] - target(noisy.X)
    assert abs(residual.mean()) < 0.01 and residual.std() == pytest.approx(0.1, rel=0.05)


def test_the_labels_reach_about_plus_minus_one():
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 201), np.linspace(-1, 1, 201)), -1).reshape(-1, 2)
    assert plane_target(grid).min() == pytest.approx(-1.2) and plane_target(grid).max() == pytest.approx(1.2)
    centres = np.array([(cx / 6, cy / 6) for cx, cy, _ in TFPG_BUMPS])
    np.testing.assert_allclose(gaussian_target(centres), [s for *_, s in TFPG_BUMPS], atol=0.02)  # tails overlap


def test_the_datasets_belong_to_the_third_mode():
    mode = MODES["regression-2d"]
    assert (mode.inputs, mode.loss, mode.classification) == (2, "mse", False)
    assert mode_of_dataset("plane") is mode and mode_of_dataset("gaussian") is mode
    assert mode_for(2, False) is mode
    assert mode_for(2, True).key == "classification" and mode_for(1, False).key == "regression"
    assert get_preset(mode.default_preset).dataset in mode.datasets


def test_plane_preset_trains_far_below_the_label_variance():
    trainer, data = get_preset("plane").build()
    variance = float(np.var(data.y))  # the loss of the best constant prediction
    trainer.run(3000)
    loss = trainer.metrics().train_loss
    assert variance > 0.2 and loss < variance / 20, (loss, variance)


def test_gaussian_preset_learns_the_sign_of_every_bump():
    trainer, data = get_preset("gaussian").build()
    trainer.run(6000)
    centres = np.array([(cx / 6, cy / 6) for cx, cy, _ in TFPG_BUMPS])
    output = trainer.network.forward(centres).scores[:, 0]
    np.testing.assert_array_equal(np.sign(output), [s for *_, s in TFPG_BUMPS])
    assert np.all(np.abs(output) > 0.4), output  # bumps, not a surface that merely leans the right way
    assert trainer.metrics().train_loss < np.var(data.y) / 4
