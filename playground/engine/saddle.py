"""The lecture's saddle point, f(θ₁, θ₂) = θ₁² − θ₂², and gradient descent passing it.

∇f = (2θ₁, −2θ₂) vanishes at θ = 0, and the Hessian H = diag(2, −2) has det H = −4 < 0: by the second
partial derivative test θ = 0 is a saddle point, a minimum along θ₁ and a maximum along θ₂. A gradient
step with rate η multiplies θ₁ by (1 − 2η) and θ₂ by (1 + 2η), so a start close to the θ₁ axis first
slides into the saddle and then leaves it only as fast as its tiny θ₂ grows: the steps there are short
because the gradient is small. A start exactly on the θ₁ axis never leaves; the noise of a stochastic
gradient (here: Gaussian, from an explicit seed) pushes it off the axis, which is why "it doesn't often
happen with SGD".
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
HESSIAN = np.array([[2.0, 0.0], [0.0, -2.0]])  # ∂²f/∂θᵢ∂θⱼ, the same everywhere


def saddle_loss(theta: Array) -> Array:
    """f(θ) = θ₁² − θ₂² for θ (..., 2); returns (...)."""
    theta = np.asarray(theta, dtype=float)
    return theta[..., 0] ** 2 - theta[..., 1] ** 2


def saddle_gradient(theta: Array) -> Array:
    """∇f(θ) = (2θ₁, −2θ₂) for θ (..., 2); returns (..., 2)."""
    theta = np.asarray(theta, dtype=float)
    return np.stack([2.0 * theta[..., 0], -2.0 * theta[..., 1]], axis=-1)


def critical_point_kind(hessian: Array) -> str:
    """The second partial derivative test for a 2×2 Hessian at a point where the gradient is zero."""
    (fxx, fxy), (_, fyy) = np.asarray(hessian, dtype=float)
    det = fxx * fyy - fxy * fxy
    if det < 0:
        return "saddle point"
    if det > 0:
        return "local minimum" if fxx > 0 else "local maximum"
    return "inconclusive"


def descent_path(start, rate: float, steps: int, noise: float = 0.0, seed: int | None = None,
                 box: float = np.inf) -> Array:
    """θ₀ = start, θₖ₊₁ = θₖ − η(∇f(θₖ) + noise·ξₖ) with ξₖ ~ N(0, I) drawn from ``np.random.default_rng(seed)``.

    Returns (K, 2): θ₀ … θ_{K−1}, K ≤ steps + 1; the path ends at the first θ outside [−box, box]² (f has
    no minimum: past the saddle θ₂ grows without bound)."""
    if not 0 < rate < 1:
        raise ValueError(f"rate: must be in (0, 1) for this picture, got {rate!r}")
    rng = np.random.default_rng(seed)
    path = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        theta = path[-1]
        if np.abs(theta).max() > box:
            break
        kick = noise * rng.standard_normal(2) if noise else 0.0
        path.append(theta - rate * (saddle_gradient(theta) + kick))
    return np.array(path)


def steps_near(path: Array, radius: float) -> int:
    """How many points of ``path`` (K, 2) lie within ``radius`` of the saddle point θ = 0."""
    return int((np.linalg.norm(path, axis=1) < radius).sum())
