"""The lecture's datasets: shapes, label ranges, the n/noise/seed knobs and the logic-gate tables."""

import numpy as np
import pytest

from playground.data import DATASETS, make_dataset

REGRESSION = {  # key -> the noiseless target, written independently
    "x2": lambda x: x * x,
    "sin": lambda x: np.sin(np.pi * x),
    "abs": lambda x: np.abs(x),
    "heaviside": lambda x: np.where(x >= 0, 1.0, 0.0),
}
CLASSIFICATION = {"and": 2, "xnor": 2, "xor": 2, "circles": 2, "spirals": 2, "blobs": 3, "moons": 2}
SURFACES = ("plane", "gaussian")  # 2-D regression: tests/test_data_surfaces.py
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_every_dataset_of_the_issue_is_registered():
    assert set(REGRESSION) | set(CLASSIFICATION) | set(SURFACES) == set(DATASETS)


@pytest.mark.parametrize("key", REGRESSION)
def test_regression_sets_are_n_points_on_minus_one_to_one_with_column_targets(key):
    d = make_dataset(key, n=50, noise=0.0, seed=3)
    assert d.X.shape == (50, 1) and d.y.shape == (50, 1) and not d.is_classification
    assert d.X.dtype == np.float64 and d.y.dtype == np.float64
    assert np.all((d.X > -1) & (d.X < 1))
    np.testing.assert_allclose(d.y, REGRESSION[key](d.X), rtol=0, atol=1e-15)


@pytest.mark.parametrize("key", REGRESSION)
def test_regression_noise_is_gaussian_with_the_given_standard_deviation(key):
    clean = make_dataset(key, n=4000, noise=0.0, seed=1)
    noisy = make_dataset(key, n=4000, noise=0.2, seed=1)
    residual = noisy.y - REGRESSION[key](noisy.X)
    assert abs(residual.mean()) < 0.02 and residual.std() == pytest.approx(0.2, rel=0.05)
    np.testing.assert_array_equal(clean.X, noisy.X)  # the noise touches the targets only


@pytest.mark.parametrize("key, k", CLASSIFICATION.items())
def test_classification_sets_have_integer_labels_for_every_class(key, k):
    d = make_dataset(key, n=120, seed=0)
    assert d.X.shape == (120, 2) and d.y.shape == (120,) and d.n_classes == k and d.is_classification
    assert np.issubdtype(d.y.dtype, np.integer)
    assert set(np.unique(d.y)) == set(range(k))


@pytest.mark.parametrize("key", list(DATASETS))
def test_same_seed_same_data_and_another_seed_other_data(key):
    a, b, c = (make_dataset(key, n=40, noise=0.1, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("key", list(DATASETS))
def test_n_is_honoured(key):
    for n in (1, 17, 301):
        d = make_dataset(key, n=n, seed=0)
        assert d.X.shape[0] == d.y.shape[0] == n


@pytest.mark.parametrize("key, table", [
    ("xnor", {(0, 0): 1, (0, 1): 0, (1, 0): 0, (1, 1): 1}),
    ("and", {(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 1}),
])
def test_logic_gates_follow_the_lecture_truth_tables(key, table):
    d = make_dataset(key, n=4, noise=0.0)
    assert {tuple(int(v) for v in x): int(label) for x, label in zip(d.X, d.y)} == table
    assert sorted(map(tuple, d.X)) == sorted(map(tuple, CORNERS))


def test_noisy_gates_jitter_points_around_the_corners_keeping_labels():
    d = make_dataset("xnor", n=400, noise=0.05, seed=2)
    nearest = np.argmin(((d.X[:, None, :] - CORNERS[None]) ** 2).sum(axis=2), axis=1)
    np.testing.assert_array_equal(d.y, np.array([1, 0, 0, 1])[nearest])
    assert np.bincount(nearest).tolist() == [100] * 4


def test_xor_labels_are_one_where_the_signs_agree():
    d = make_dataset("xor", n=300, noise=0.0, seed=4)
    np.testing.assert_array_equal(d.y, (np.sign(d.X[:, 0]) == np.sign(d.X[:, 1])).astype(int))


def test_circles_put_class_zero_inside_and_class_one_on_the_ring():
    d = make_dataset("circles", n=300, noise=0.0, seed=4)
    r = np.hypot(d.X[:, 0], d.X[:, 1])
    assert r[d.y == 0].max() <= 0.45 and r[d.y == 1].min() >= 0.7 and r.max() <= 1.0


def test_blobs_number_of_classes_is_honoured_and_checked():
    d = make_dataset("blobs", n=60, seed=0, k=5)
    assert d.n_classes == 5 and set(np.unique(d.y)) == set(range(5))
    with pytest.raises(ValueError, match="2 to 6 classes"):
        make_dataset("blobs", k=7)


def test_unknown_dataset_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown dataset 'mnist'") as info:
        make_dataset("mnist")
    for key in DATASETS:
        assert key in str(info.value)


@pytest.mark.parametrize("kwargs, words", [
    ({"n": 0}, "number of points n"),
    ({"n": 2.5}, "number of points n"),
    ({"noise": -0.1}, "noise"),
    ({"noise": float("nan")}, "noise"),
])
def test_bad_dataset_parameters_raise(kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_dataset("sin", **kwargs)
