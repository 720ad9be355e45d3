"""The engine's public API refuses bad input in its own words (issue 10 §5).

Each call once answered with numpy's or Python's own text ("expected non-negative integer",
OverflowError, an attempt to allocate 74.5 GiB, AttributeError) or with a silent NaN. Now each raises
a ValueError that names the argument, changes nothing, and allocates nothing large.
"""

import math
import tracemalloc

import numpy as np
import pytest

from playground.engine import SGD, Adam, Network, Trainer, TrainingSettings, make_schedule
from playground.engine.schedules import cosine, exponential, step_decay, warmup

X = np.linspace(-1, 1, 8)[:, None]
Y = X ** 2


def _trainer(**settings):
    return Trainer(Network([1, 3, 1], seed=0), X, Y, TrainingSettings(**settings))


BAD_CALLS = {
    "negative seed": (lambda: Network([1, 3, 1], seed=-1), "seed"),
    "fractional seed": (lambda: Network([1, 3, 1], seed=1.5), "seed"),
    "seed as text": (lambda: Network([1, 3, 1], seed="1"), "seed"),
    "seed beyond 64 bits": (lambda: Network([1, 3, 1], seed=2**64), "seed"),
    "infinite layer size": (lambda: Network([1, math.inf, 1]), "layer_sizes[1]"),
    "NaN layer size": (lambda: Network([1, math.nan, 1]), "layer_sizes[1]"),
    "layer size as text": (lambda: Network([1, "3", 1]), "layer_sizes[1]"),
    "a 74 GiB network": (lambda: Network([2, 100_000, 100_000, 2]), "parameters"),
    "no layer list": (lambda: Network(3), "layer_sizes"),
    "unknown activation": (lambda: Network([1, 3, 1], "swish"), "activation"),
    "infinite batch size": (lambda: _trainer(batch_size=math.inf), "batch size"),
    "batch size as text": (lambda: _trainer(batch_size="8"), "batch size"),
    "infinite learning rate": (lambda: _trainer(learning_rate=math.inf), "learning rate"),
    "learning rate as text": (lambda: _trainer(learning_rate="fast"), "learning rate"),
    "subnormal learning rate": (lambda: _trainer(learning_rate=1e-320), "learning rate"),
    "infinite warm-up": (lambda: _trainer(warmup_steps=math.inf), "warm-up"),
    "trainer seed -1": (lambda: Trainer(Network([1, 3, 1]), X, Y, seed=-1), "seed"),
    "inputs as text": (lambda: Trainer(Network([1, 3, 1]), [["a"]] * 8, Y), "inputs X"),
    "no settings object": (lambda: Trainer(Network([1, 3, 1]), X, Y, {"lr": 1}), "settings"),
    "restore(None)": (lambda: _trainer().restore(None), "state"),
    "restore of another network": (lambda: _trainer().restore({"layer_sizes": [1, 9, 1]}), "layer_sizes"),
    "reset to seed -1": (lambda: _trainer().reset(-1), "seed"),
    "run(inf)": (lambda: _trainer().run(math.inf), "n_steps"),
    "run(-1)": (lambda: _trainer().run(-1), "n_steps"),
    "unknown setting": (lambda: _trainer().update(speed=3), "unknown training setting"),
    "growing staircase": (lambda: step_decay(0.1, 10, gamma=2.0), "gamma"),
    "growing exponential": (lambda: exponential(0.1, gamma=1.01), "gamma"),
    "endless cosine": (lambda: cosine(0.1, 1e300), "total steps"),
    "endless warm-up": (lambda: warmup(cosine(0.1, 10), 10**300), "warm-up"),
    "schedule with a bad key": (lambda: make_schedule(["step"], 0.1), "unknown schedule"),
    "momentum as text": (lambda: SGD(0.1, momentum="high"), "momentum"),
    "Adam beta of one": (lambda: Adam(0.1, beta2=1.0), "beta2"),
    "l2 as text": (lambda: Network([1, 3, 1]).loss_and_gradients(X, Y, l2="x"), "l2"),
    "optimizer state of the wrong type": (lambda: SGD(0.1).load_state([], 3), "optimizer"),
}

RAW_WORDS = ("non-negative integer", "could not convert", "cannot convert", "Unable to allocate",
             "object has no attribute", "not supported between", "float() argument", "int() argument")


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_a_bad_call_is_refused_in_the_engines_words(case):
    call, words = BAD_CALLS[case]
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert words in message, message
    assert not any(raw in message for raw in RAW_WORDS), message
    assert "\n" not in message and len(message) < 300
    assert peak < 50 * 2**20  # refused before anything large was allocated


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.1)])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_an_optimizer_refuses_a_non_finite_gradient_and_changes_nothing(make, bad):
    optimizer = make()
    params = np.array([1.0, 2.0, 3.0])
    optimizer.step(params, np.array([0.1, 0.2, 0.3]))
    state, before = optimizer.state(), params.copy()
    with pytest.raises(ValueError, match=r"grads\[0\].*NaN or infinity"):
        optimizer.step(params, np.array([0.1, bad, 0.3]))
    np.testing.assert_array_equal(params, before)
    after = optimizer.state()
    assert after["t"] == state["t"] == 1
    if "updates" in state:
        assert after["updates"] == state["updates"]


def test_an_optimizer_refuses_mismatched_shapes_by_name():
    with pytest.raises(ValueError, match=r"grads\[1\]: expected an array of shape \(3,\)"):
        SGD(0.1).step([np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros(4)])


def test_a_schedule_that_returns_nan_is_refused_before_it_reaches_the_weights():
    params = np.ones(2)
    with pytest.raises(ValueError, match="learning rate at step 0"):
        SGD(lambda t: math.nan).step(params, np.ones(2))
    np.testing.assert_array_equal(params, np.ones(2))
