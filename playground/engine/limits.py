"""The numeric limits of training: the engine refuses values outside them, and the window's
fields and the session-file validator offer exactly these ranges (``data.scene`` re-exports them).

Every limit keeps a run finite for as long as anyone can train: the schedules never grow (a decay
factor above 1 overflows to infinity within a few thousand steps), the step counters stay far below
2⁶³ (at 100,000 steps a second, ``MAX_STEPS`` is about 300 years), and a network's buffers stay far
below the machine's memory.
"""

from __future__ import annotations

from typing import NamedTuple


class Range(NamedTuple):
    """An inclusive range [low, high] of a setting."""

    low: float
    high: float

    def __contains__(self, value) -> bool:
        return self.low <= value <= self.high

    def describe(self) -> str:
        return f"from {self.low:g} to {self.high:g}"


MAX_PARAMETERS = 10_000_000           # weights + biases of one network: 80 MB of float64 per copy
MAX_STEPS = 10**12                    # steps a trainer takes (and so its epochs and its schedule's clock)
MAX_SEED = 2**63 - 1                  # initialization and shuffling seeds

LEARNING_RATE = Range(1e-6, 100.0)    # the base rate η of every schedule
MOMENTUM = Range(0.0, 0.999)          # SGD + momentum's β (1 would never forget a gradient)
L2 = Range(0.0, 10.0)                 # ridge strength λ
L1 = Range(0.0, 10.0)                 # lasso strength λ₁ (λ₁Σ|w|: drives weights to zero)
CLIP_NORM = Range(1e-6, 1e6)          # gradient clipping by global norm (None: off)
TEST_FRACTION = Range(0.0, 0.99)      # share of the points held out (one always trains)
MAX_BATCH_SIZE = 10**9                # a batch larger than the training set is the whole set

SCHEDULE_STEPS = Range(1, 10**9)      # a staircase's step size, a cosine's length
WARMUP_STEPS = Range(0, 10**9)        # linear warm-up steps (0: none)
DECAY_FACTOR = Range(1e-4, 1.0)       # γ of the staircase and the exponential decay: never above 1
INVERSE_TIME_DECAY = Range(0.0, 10.0)  # the 1/t schedule's decay per step
MIN_LEARNING_RATE = Range(0.0, LEARNING_RATE.high)  # where a cosine ends

HISTORY_CAPACITY = 2048               # rows of a trainer's minibatch loss history (then it halves)
