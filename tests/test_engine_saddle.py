"""The saddle point θ₁² − θ₂² and gradient descent on it, against closed forms."""

import math

import numpy as np
import pytest

from playground.engine.saddle import (
    HESSIAN,
    critical_point_kind,
    descent_path,
    saddle_gradient,
    saddle_loss,
    steps_near,
)


def closed_form(start, rate, k):
    """θₖ of gradient descent on θ₁² − θ₂²: θ₁ shrinks by (1 − 2η) per step, θ₂ grows by (1 + 2η)."""
    return np.array([(1 - 2 * rate) ** k * start[0], (1 + 2 * rate) ** k * start[1]])


def test_the_gradient_and_hessian_match_finite_differences():
    theta, h = np.array([0.7, -0.4]), 1e-6
    for i in range(2):
        e = np.eye(2)[i] * h
        assert math.isclose(saddle_gradient(theta)[i], (saddle_loss(theta + e) - saddle_loss(theta - e)) / (2 * h),
                            rel_tol=1e-8)
        column = (saddle_gradient(theta + e) - saddle_gradient(theta - e)) / (2 * h)
        np.testing.assert_allclose(column, HESSIAN[:, i], atol=1e-8)
    np.testing.assert_array_equal(saddle_gradient(np.zeros(2)), [0.0, 0.0])


def test_the_second_partial_derivative_test():
    assert critical_point_kind(HESSIAN) == "saddle point"          # det = −4 < 0
    assert critical_point_kind([[2, 0], [0, 2]]) == "local minimum"
    assert critical_point_kind([[-2, 1], [1, -2]]) == "local maximum"  # det = 3 > 0, f_xx < 0
    assert critical_point_kind([[1, 1], [1, 1]]) == "inconclusive"


def test_gradient_descent_follows_the_closed_form_and_crawls_past_the_saddle():
    rate, start = 0.05, (1.4, 0.001)
    path = descent_path(start, rate, 200, box=1.5)
    for k in range(len(path)):
        np.testing.assert_allclose(path[k], closed_form(start, rate, k), rtol=1e-12, atol=1e-15)
    # it leaves the box at the first k with (1 + 2η)^k · 0.001 > 1.5, and includes that point
    exit_step = math.ceil(math.log(1.5 / 0.001) / math.log(1 + 2 * rate))
    assert len(path) == exit_step + 1
    # slow passage: the steps within 0.2 of the saddle, counted from the closed form alone
    near = sum(np.linalg.norm(closed_form(start, rate, k)) < 0.2 for k in range(exit_step + 1))
    assert steps_near(path, 0.2) == near and near > 30          # 37 at η = 0.05
    assert steps_near(descent_path((1.4, 0.3), rate, 200, box=1.5), 0.2) == 0


def test_on_the_axis_gradient_descent_stays_at_the_saddle_and_sgd_noise_pushes_it_off():
    stuck = descent_path((1.4, 0.0), 0.05, 150, box=1.5)
    assert len(stuck) == 151 and np.all(stuck[:, 1] == 0.0)
    assert np.linalg.norm(stuck[-1]) < 1.4 * 0.9 ** 150 * 1.0000001   # (1 − 2η)^k → the saddle
    sgd = descent_path((1.4, 0.0), 0.05, 150, noise=0.1, seed=0, box=1.5)
    assert len(sgd) < 151 and np.abs(sgd[-1]).max() > 1.5             # escaped the box before 150 steps
    np.testing.assert_array_equal(sgd, descent_path((1.4, 0.0), 0.05, 150, noise=0.1, seed=0, box=1.5))


def test_a_rate_outside_the_picture_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="^rate: "):
        descent_path((1.0, 0.0), 1.5, 10)
