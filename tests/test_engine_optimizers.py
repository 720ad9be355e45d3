"""SGD (with momentum) and Adam against the update rules documented for torch.optim, written out here."""

import math

import numpy as np
import pytest

from playground.engine import OPTIMIZERS, SGD, Adam, make_optimizer
from playground.engine.schedules import cosine, exponential, step_decay


def gradient_sequence(seed, steps=25, shapes=((3, 2), (4,))):
    """A random sequence of gradients for a list of parameter arrays (independent of the parameters)."""
    rng = np.random.default_rng(seed)
    return [[rng.normal(scale=rng.uniform(0.01, 10), size=s) for s in shapes] for _ in range(steps)]


def initial_params(seed, shapes=((3, 2), (4,))):
    rng = np.random.default_rng(seed + 1000)
    return [rng.normal(size=s) for s in shapes]


def reference_sgd(params, grads_seq, rates, momentum):
    """torch.optim.SGD, dampening 0, no Nesterov: b₁ = g₁, b_t = μ b_{t−1} + g_t, p ← p − lr_t b_t."""
    params = [p.copy() for p in params]
    buffers = None
    for lr, grads in zip(rates, grads_seq):
        if momentum == 0:
            steps = grads
        elif buffers is None:
            buffers = [g.copy() for g in grads]
            steps = buffers
        else:
            buffers = [momentum * b + g for b, g in zip(buffers, grads)]
            steps = buffers
        params = [p - lr * d for p, d in zip(params, steps)]
    return params


def reference_adam(params, grads_seq, rates, beta1=0.9, beta2=0.999, eps=1e-8):
    """torch.optim.Adam: m, v moving averages; p ← p − lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""
    params = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t, (lr, grads) in enumerate(zip(rates, grads_seq), start=1):
        m = [beta1 * a + (1 - beta1) * g for a, g in zip(m, grads)]
        v = [beta2 * a + (1 - beta2) * g ** 2 for a, g in zip(v, grads)]
        params = [p - lr * (a / (1 - beta1 ** t)) / (np.sqrt(b / (1 - beta2 ** t)) + eps)
                  for p, a, b in zip(params, m, v)]
    return params


def run(optimizer, params, grads_seq):
    params = [p.copy() for p in params]
    for grads in grads_seq:
        optimizer.step(params, grads)
    return params


def assert_params_close(got, expected):
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_sgd_follows_torch_update_rule(seed, momentum):
    grads, p0 = gradient_sequence(seed), initial_params(seed)
    got = run(SGD(0.05, momentum=momentum), p0, grads)
    assert_params_close(got, reference_sgd(p0, grads, [0.05] * len(grads), momentum))
    assert not np.allclose(got[0], p0[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.5, 0.9)])
def test_adam_follows_torch_update_rule_with_bias_correction(seed, betas):
    grads, p0 = gradient_sequence(seed), initial_params(seed)
    got = run(Adam(0.01, beta1=betas[0], beta2=betas[1]), p0, grads)
    assert_params_close(got, reference_adam(p0, grads, [0.01] * len(grads), *betas))


def test_adam_first_step_moves_every_coordinate_by_about_lr():
    # With bias correction, m̂₁ = g and v̂₁ = g², so the first update is lr·g/(|g| + ε) ≈ lr·sign(g).
    p = np.zeros(5)
    g = np.array([1e-3, -2.0, 50.0, -1e-2, 3.0])
    Adam(0.1).step(p, g)
    np.testing.assert_allclose(p, -0.1 * np.sign(g), rtol=1e-4)


def test_a_single_array_is_accepted_as_well_as_a_list():
    p, g = np.ones(3), np.array([1.0, 2.0, 3.0])
    SGD(0.5).step(p, g)
    np.testing.assert_allclose(p, [0.5, 0.0, -0.5])


def test_the_t_th_step_uses_schedule_of_t_counting_from_zero():
    calls = []

    def schedule(t):
        calls.append(t)
        return 0.1 / (1 + t)

    p = np.zeros(2)
    opt = SGD(schedule)
    for _ in range(5):
        opt.step(p, np.ones(2))
    assert calls == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(p, -sum(0.1 / (1 + t) for t in range(5)) * np.ones(2))


@pytest.mark.parametrize("schedule", [step_decay(0.1, 5, 0.5), exponential(0.05, 0.9), cosine(0.02, 20)])
def test_scheduled_sgd_momentum_and_adam_match_the_references(schedule):
    grads, p0 = gradient_sequence(7, steps=30), initial_params(7)
    rates = [schedule(t) for t in range(30)]
    assert_params_close(run(SGD(schedule, momentum=0.9), p0, grads), reference_sgd(p0, grads, rates, 0.9))
    assert_params_close(run(Adam(schedule), p0, grads), reference_adam(p0, grads, rates))


@pytest.mark.parametrize("make", [lambda lr: SGD(lr, momentum=0.9), lambda lr: Adam(lr)])
def test_changing_the_learning_rate_keeps_momentum_and_moments(make):
    grads, p0 = gradient_sequence(3, steps=20), initial_params(3)
    opt = make(0.1)
    params = run(opt, p0, grads[:10])
    opt.learning_rate = 0.01
    params = run(opt, params, grads[10:])
    rates = [0.1] * 10 + [0.01] * 10
    reference = (reference_sgd(p0, grads, rates, 0.9) if isinstance(opt, SGD) else reference_adam(p0, grads, rates))
    assert_params_close(params, reference)  # a fresh state after the change would not match


def quadratic_bowl(seed, dim=5, condition=10.0):
    """f(p) = ½(p − c)ᵀA(p − c) with A symmetric positive definite (eigenvalues 1 … condition); minimum at c."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    A = Q @ np.diag(np.linspace(1.0, condition, dim)) @ Q.T
    c = rng.normal(size=dim)
    return A, c


@pytest.mark.parametrize("optimizer, steps", [
    (SGD(0.1), 500),  # lr < 2/λ_max = 0.2 converges
    (SGD(0.02, momentum=0.9), 800),
    (Adam(cosine(0.05, 2000)), 2000),  # with a constant rate Adam would hover at ~lr around the minimum
])
def test_optimizers_reach_the_minimum_of_a_quadratic_bowl(optimizer, steps):
    A, c = quadratic_bowl(11)
    p = np.zeros_like(c)
    for _ in range(steps):
        optimizer.step(p, A @ (p - c))
    np.testing.assert_allclose(p, c, atol=1e-9)


def test_make_optimizer_maps_keys_to_optimizers():
    assert isinstance(make_optimizer("sgd", 0.1), SGD) and make_optimizer("sgd", 0.1).momentum == 0.0
    momentum = make_optimizer("momentum", 0.1, momentum=0.8)
    assert isinstance(momentum, SGD) and momentum.momentum == 0.8
    assert isinstance(make_optimizer("adam", 0.1), Adam)
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam"}


def test_unknown_optimizer_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'") as info:
        make_optimizer("rmsprop", 0.1)
    for key in OPTIMIZERS:
        assert key in str(info.value)


@pytest.mark.parametrize("build, words", [
    (lambda: SGD(0.1, momentum=1.0), "momentum"),
    (lambda: SGD(0.1, momentum=-0.1), "momentum"),
    (lambda: Adam(0.1, beta1=1.0), "beta1"),
    (lambda: Adam(0.1, beta2=-0.5), "beta2"),
    (lambda: Adam(0.1, eps=0.0), "eps"),
    (lambda: SGD(0.0), "learning rate"),
    (lambda: Adam(math.nan), "learning rate"),
])
def test_bad_optimizer_parameters_raise(build, words):
    with pytest.raises(ValueError, match=words):
        build()


def test_mismatched_parameter_and_gradient_lists_raise():
    with pytest.raises(ValueError, match="2 parameter arrays but 1 gradient"):
        SGD(0.1).step([np.zeros(2), np.zeros(3)], [np.zeros(2)])
