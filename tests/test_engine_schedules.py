"""Learning-rate schedules against their closed forms (torch.optim.lr_scheduler's where one exists)."""

import math

import numpy as np
import pytest

from playground.engine import SCHEDULES, make_schedule
from playground.engine.schedules import (
    constant,
    cosine,
    exponential,
    inverse_time,
    step_decay,
    warmup,
)

STEPS = list(range(40)) + [99, 100, 101, 199, 200, 201, 499, 500, 501, 999, 1000, 1001, 5000, 123457]


def test_constant_is_the_same_rate_at_every_step():
    s = constant(0.05)
    assert [s(t) for t in STEPS] == [0.05] * len(STEPS)


def test_step_decay_drops_tenfold_exactly_at_each_multiple_of_step_size():
    s = step_decay(0.1, step_size=100)  # gamma defaults to 0.1: the lecture's staircase
    staircase = {0: 0.1, 99: 0.1, 100: 0.01, 199: 0.01, 200: 0.001, 201: 0.001, 299: 0.001, 300: 1e-4}
    for t, rate in staircase.items():
        assert s(t) == pytest.approx(rate, rel=1e-12), t


@pytest.mark.parametrize("lr, step_size, gamma", [(0.1, 100, 0.1), (0.3, 7, 0.5), (1.0, 1, 0.9)])
def test_step_decay_is_torch_steplr(lr, step_size, gamma):
    # StepLR: lr · γ^⌊t / step_size⌋
    s = step_decay(lr, step_size, gamma)
    for t in STEPS[:60]:
        assert s(t) == pytest.approx(lr * gamma ** math.floor(t / step_size), rel=1e-12), t


def test_exponential_is_torch_exponentiallr():
    s = exponential(0.2, gamma=0.999)
    for t in STEPS:
        assert s(t) == pytest.approx(0.2 * math.exp(t * math.log(0.999)), rel=1e-9), t


@pytest.mark.parametrize("min_lr", [0.0, 0.001])
def test_cosine_is_torch_cosineannealinglr_then_held_at_min_lr(min_lr):
    lr, total = 0.1, 1000
    s = cosine(lr, total, min_lr)
    for t in STEPS:
        expected = min_lr + (lr - min_lr) * (1 + math.cos(math.pi * t / total)) / 2 if t <= total else min_lr
        assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-15), t
    assert s(0) == pytest.approx(lr)
    assert s(total // 2) == pytest.approx((lr + min_lr) / 2)
    assert s(total) == pytest.approx(min_lr, abs=1e-15) and s(10 * total) == min_lr
    rates = [s(t) for t in range(total + 50)]
    assert all(a >= b for a, b in zip(rates, rates[1:]))  # never rises again after total_steps


def test_inverse_time_is_lr_over_one_plus_decay_t():
    s = inverse_time(0.5, decay=0.01)
    for t in STEPS:
        assert s(t) == pytest.approx(0.5 / (1 + 0.01 * t), rel=1e-12), t
    assert s(100) == pytest.approx(0.25)  # half the rate after 1/decay steps


def test_warmup_ramps_linearly_into_the_inner_schedule():
    inner = step_decay(0.1, step_size=100)
    s = warmup(inner, warmup_steps=10)
    ramp = [s(t) for t in range(10)]
    np.testing.assert_allclose(ramp, [0.1 * (t + 1) / 10 for t in range(10)], rtol=1e-12)
    np.testing.assert_allclose(np.diff(ramp), 0.01, rtol=1e-9)  # a straight line
    assert s(9) == pytest.approx(inner(0))  # the ramp ends at the inner schedule's first rate
    for t in [10, 11, 50, 109, 110, 111, 5000]:
        assert s(t) == inner(t - 10), t  # then the inner schedule, shifted by the warm-up


def test_make_schedule_builds_each_kind_with_optional_warmup():
    assert make_schedule("constant", 0.1) == constant(0.1)
    assert make_schedule("step", 0.1, step_size=50, gamma=0.5) == step_decay(0.1, 50, 0.5)
    assert make_schedule("exponential", 0.1, gamma=0.9) == exponential(0.1, 0.9)
    assert make_schedule("cosine", 0.1, total_steps=100) == cosine(0.1, 100)
    assert make_schedule("inverse_time", 0.1, decay=0.5) == inverse_time(0.1, 0.5)
    assert make_schedule("cosine", 0.1, warmup_steps=10, total_steps=100) == warmup(cosine(0.1, 100), 10)
    assert {"constant", "step", "exponential", "cosine", "inverse_time"} <= set(SCHEDULES)


def test_unknown_schedule_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown schedule 'linear'") as info:
        make_schedule("linear", 0.1)
    for key in SCHEDULES:
        assert key in str(info.value)


@pytest.mark.parametrize("build, words", [
    (lambda: constant(0.0), "learning rate"),
    (lambda: constant(-0.1), "learning rate"),
    (lambda: constant(float("nan")), "learning rate"),
    (lambda: constant(float("inf")), "learning rate"),
    (lambda: step_decay(0.1, 0), "step size"),
    (lambda: step_decay(0.1, 2.5), "step size"),
    (lambda: step_decay(0.1, 10, gamma=0.0), "gamma"),
    (lambda: exponential(0.1, gamma=-0.5), "gamma"),
    (lambda: cosine(0.1, 0), "total steps"),
    (lambda: cosine(0.1, 100, min_lr=-0.01), "minimum learning rate"),
    (lambda: inverse_time(0.1, decay=-1.0), "decay"),
    (lambda: warmup(constant(0.1), 0), "warm-up steps"),
    (lambda: make_schedule("step", 0.1), "step schedule"),  # step_size missing
    (lambda: make_schedule("cosine", 0.1, total_steps=10, gamma=0.5), "cosine schedule"),  # stray parameter
])
def test_bad_parameters_raise_value_error_naming_them(build, words):
    with pytest.raises(ValueError, match=words):
        build()


FLOORED = [
    (lambda m: step_decay(0.3, 100, 0.1, min_lr=m), lambda t: 0.3 * 0.1 ** (t // 100)),
    (lambda m: exponential(0.2, 0.99, min_lr=m), lambda t: 0.2 * math.exp(t * math.log(0.99))),
    (lambda m: inverse_time(0.5, 0.01, min_lr=m), lambda t: 0.5 / (1 + 0.01 * t)),
    (lambda m: cosine(0.1, 1000, min_lr=m),
     lambda t: 1e-4 + (0.1 - 1e-4) * (1 + math.cos(math.pi * min(t, 1000) / 1000)) / 2),
]


@pytest.mark.parametrize("make, formula", FLOORED)
def test_every_decaying_schedule_stops_at_its_floor(make, formula):
    floor = 1e-4  # (the cosine's formula above has it written in)
    s = make(floor)
    for t in STEPS:
        assert s(t) == pytest.approx(max(floor, formula(t)), rel=1e-9), t
    assert s(10**7) == pytest.approx(floor)  # the staircase once reached 1e-16 here
    assert "floor 0.0001" in s.describe() or "→ 0.0001" in s.describe()


def test_a_floor_above_the_base_rate_is_refused_by_name():
    with pytest.raises(ValueError, match="below the schedule's minimum rate"):
        make_schedule("step", 1e-5, step_size=10, min_lr=1e-4)
