"""The lecture's datasets, each a function of (n, noise, seed) returning a ``Dataset``.

1-D regression on (−1, 1) as in Bishop's PRML Fig 5.3; 2-D classification with integer labels; 2-D
regression (TensorFlow Playground's plane and Gaussian) with a number y at each point (``surfaces``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """X: (n, d) inputs; y: (n, 1) float targets (regression) or (n,) int labels (classification)."""

    name: str
    X: np.ndarray
    y: np.ndarray
    n_classes: int = 0  # 0 for regression

    @property
    def is_classification(self) -> bool:
        return self.n_classes > 0


def _regression(name: str, f: Callable[[np.ndarray], np.ndarray]):
    def make(n: int = 50, noise: float = 0.0, seed: int = 0) -> Dataset:
        rng = np.random.default_rng(seed)
        x = np.sort(rng.uniform(-1.0, 1.0, n))
        y = f(x) + noise * rng.standard_normal(n)
        return Dataset(name, x[:, None], y[:, None])
    make.__doc__ = f"{name}: n points with x uniform on (−1, 1), y = {name} plus N(0, noise²)."
    return make


def _corners(name: str, labels: tuple[int, int, int, int]):
    def make(n: int = 4, noise: float = 0.0, seed: int = 0) -> Dataset:
        rng = np.random.default_rng(seed)
        corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        index = np.arange(n) % 4  # n points cycle through the corners, jittered by the noise
        X = corners[index] + noise * rng.standard_normal((n, 2))
        return Dataset(name, X, np.array(labels)[index], 2)
    make.__doc__ = f"{name} on the corners of {{0,1}}²: labels {labels} for (0,0), (0,1), (1,0), (1,1)."
    return make


def xor(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Points uniform in [−1, 1]² (kept off the axes); label 1 (class 2 on screen) where x₁ and x₂ have the same
    sign, label 0 (class 1) where they differ."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, 2))
    X += np.sign(X) * 0.05  # a small gap along the axes keeps the classes separable
    y = (X[:, 0] * X[:, 1] > 0).astype(np.intp)
    return Dataset("xor", X + noise * rng.standard_normal((n, 2)), y, 2)


def circles(n: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Label 0 (class 1 on screen) in a disk of radius 0.45, label 1 (class 2) on a ring of radii 0.7–1.0."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    radius = np.where(y == 0, rng.uniform(0.0, 0.45, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return Dataset("circles", X + noise * rng.standard_normal((n, 2)), y.astype(np.intp), 2)


def spirals(n: int = 200, noise: float = 0.03, seed: int = 0) -> Dataset:
    """Two interleaved spirals of 1.5 turns each, one per class."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.0, 1.0, n)
    radius = 0.1 + 0.9 * t
    angle = 3 * np.pi * t + np.pi * y
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return Dataset("spirals", X + noise * rng.standard_normal((n, 2)), y.astype(np.intp), 2)


def blobs(n: int = 150, noise: float = 0.15, seed: int = 0, k: int = 3) -> Dataset:
    """k Gaussian blobs (standard deviation ``noise``) with centres evenly spaced on a circle of radius 0.6."""
    if not 2 <= k <= 6:
        raise ValueError(f"blobs needs 2 to 6 classes; got k={k}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    angle = 2 * np.pi * y / k + np.pi / 2
    centres = 0.6 * np.column_stack([np.cos(angle), np.sin(angle)])
    return Dataset("blobs", centres + noise * rng.standard_normal((n, 2)), y.astype(np.intp), k)


def moons(n: int = 200, noise: float = 0.08, seed: int = 0) -> Dataset:
    """Two interleaving half circles (as scikit-learn's make_moons), scaled into [−1, 1]²."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    X = (X - [0.5, 0.25]) * 0.6
    return Dataset("moons", X + noise * rng.standard_normal((n, 2)), y.astype(np.intp), 2)


from .surfaces import gaussian, plane  # noqa: E402 - they build on Dataset above

DATASETS: dict[str, Callable[..., Dataset]] = {
    "x2": _regression("x²", lambda x: x ** 2),
    "sin": _regression("sin(πx)", lambda x: np.sin(np.pi * x)),
    "abs": _regression("|x|", np.abs),
    "heaviside": _regression("Heaviside step", lambda x: (x >= 0).astype(float)),
    "and": _corners("AND", (0, 0, 0, 1)),
    "xnor": _corners("XNOR", (1, 0, 0, 1)),
    "xor": xor,
    "circles": circles,
    "spirals": spirals,
    "blobs": blobs,
    "moons": moons,
    "plane": plane,
    "gaussian": gaussian,
}


def dataset_defaults(key: str) -> dict:
    """The keyword defaults of the dataset registered under ``key`` (n, noise, seed, …)."""
    import inspect
    return {name: p.default for name, p in inspect.signature(DATASETS[key]).parameters.items()}


def make_dataset(key: str, n: int | None = None, noise: float | None = None, seed: int = 0, **extra) -> Dataset:
    """The dataset registered under ``key``; n and noise default to the dataset's own defaults."""
    try:
        factory = DATASETS[key]
    except KeyError:
        raise ValueError(f"unknown dataset {key!r}; choose one of {', '.join(DATASETS)}") from None
    kwargs = dict(extra, seed=seed)
    if n is not None:
        if int(n) != n or n < 1:
            raise ValueError(f"number of points n must be a whole number ≥ 1; got {n!r}")
        kwargs["n"] = int(n)
    if noise is not None:
        if not (np.isfinite(noise) and noise >= 0):
            raise ValueError(f"noise must be a number ≥ 0; got {noise!r}")
        kwargs["noise"] = float(noise)
    return factory(**kwargs)
