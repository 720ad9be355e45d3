"""TensorFlow Playground's two regression datasets, scaled into our drawing square (no Qt).

TensorFlow Playground draws points in [−6, 6]²; here they lie in [−1, 1]² (every length divided by
``TFPG_RADIUS``), the square the classification datasets use, inside the drawing bounds [−1.5, 1.5]².
The noise is Gaussian noise of standard deviation ``noise`` added to each label.
"""

from __future__ import annotations

import numpy as np

from .datasets import Dataset

TFPG_RADIUS = 6.0
# TFPG's six bumps: centre (x, y) in its [−6, 6]² units, and the sign of the label there
BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))
BUMP_WIDTH = 1.25  # standard deviation of each bump in TFPG units (centres 4 and 5 apart: they barely overlap)


def plane_label(X: np.ndarray) -> np.ndarray:
    """y = 0.6 (x₁ + x₂) for X (n, 2): TFPG's label (x₁ + x₂)/10 on [−6, 6]², so y lies in [−1.2, 1.2]."""
    return TFPG_RADIUS * (X[:, 0] + X[:, 1]) / 10.0


def bump_centres() -> np.ndarray:
    """(6, 2) the bumps' centres in our units."""
    return np.array([(x, y) for x, y, _ in BUMPS]) / TFPG_RADIUS


def bump_signs() -> np.ndarray:
    """(6,) +1 or −1: the sign of the label at each bump's centre."""
    return np.array([sign for *_, sign in BUMPS])


def gaussian_label(X: np.ndarray) -> np.ndarray:
    """y = Σₖ sₖ exp(−|x − cₖ|² / 2σ²) for X (n, 2): the six signed bumps (σ = 1.25/6 here), ±1 at each centre."""
    sigma = BUMP_WIDTH / TFPG_RADIUS
    d2 = ((X[:, None, :] - bump_centres()[None, :, :]) ** 2).sum(axis=2)  # (n, 6)
    return (bump_signs() * np.exp(-d2 / (2 * sigma ** 2))).sum(axis=1)


def _surface(name: str, label, X: np.ndarray, noise: float, rng: np.random.Generator) -> Dataset:
    y = label(X) + noise * rng.standard_normal(len(X))
    return Dataset(name, X, y[:, None])


def plane(n: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """TFPG's plane: n points uniform in [−1, 1]², y = 0.6 (x₁ + x₂) plus N(0, noise²)."""
    rng = np.random.default_rng(seed)
    return _surface("plane", plane_label, rng.uniform(-1.0, 1.0, (n, 2)), noise, rng)


def gaussian(n: int = 250, noise: float = 0.05, seed: int = 0) -> Dataset:
    """TFPG's Gaussian: n points uniform in [−1, 1]², y = the sum of six signed Gaussian bumps plus N(0, noise²).

    TensorFlow Playground's own label is the strongest bump's, each falling off linearly to 0 within 2 of its
    units of the centre; smooth Gaussian bumps keep the same six centres and signs, ±1 at each centre."""
    rng = np.random.default_rng(seed)
    return _surface("gaussian", gaussian_label, rng.uniform(-1.0, 1.0, (n, 2)), noise, rng)
