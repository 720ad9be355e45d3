"""What a training run is told, apart from the network and the data: the settings, the hold-out split
and the metrics it reports (numpy and the standard library only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .limits import CLIP_NORM, L1, L2, LEARNING_RATE, MAX_BATCH_SIZE, MOMENTUM, TEST_FRACTION, WARMUP_STEPS
from .losses import get_loss
from .optimizers import OPTIMIZERS
from .schedules import Schedule, make_schedule
from .validation import number, show, whole

# Which points are held out depends only on this seed and the point's index, so a new
# initialization seed or an added point never reshuffles the test set.
HOLDOUT_SEED = 20241119


def holdout_mask(n: int, test_fraction: float) -> np.ndarray:
    """(n,) bool: which of n points are held out for testing; a pure function of (n, test_fraction).

    Point i is held out when its draw u[i] < test_fraction. u[i] depends only on i, so adding
    points never moves earlier points between train and test (ranking the draws to get exactly
    round(fraction·n) test points did: about one point in three added moved an earlier one).
    """
    u = np.random.default_rng(HOLDOUT_SEED).random(n)
    mask = u < test_fraction
    if n and mask.all():
        mask[np.argmax(u)] = False  # always keep a training point
    return mask


@dataclass(frozen=True)
class TrainingSettings:
    """Everything about training except the network and the data.

    batch_size None means all training points (full-batch gradient descent).
    schedule is a key of ``schedules.SCHEDULES`` with its extra ``schedule_params``
    (e.g. {"step_size": 1000, "gamma": 0.1}); the base rate is ``learning_rate``.
    clip_norm None turns gradient clipping by global norm off.
    l2 and l1 add λΣw² and λ₁Σ|w| over the weights (not the biases) to the loss J that is minimized.
    """

    loss: str = "mse"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    momentum: float = 0.9
    schedule: str = "constant"
    schedule_params: dict[str, Any] = field(default_factory=dict)
    warmup_steps: int = 0
    batch_size: int | None = None
    l2: float = 0.0
    l1: float = 0.0
    clip_norm: float | None = None
    test_fraction: float = 0.0

    def validated(self) -> TrainingSettings:
        """Self, or a ValueError naming the first bad field (every range is in ``limits``)."""
        get_loss(self.loss)
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {show(self.optimizer)}; choose one of {', '.join(OPTIMIZERS)}")
        if not isinstance(self.schedule_params, dict):
            raise ValueError(f"schedule_params: expected a dict of named numbers, got {show(self.schedule_params)}")
        number(self.learning_rate, "learning rate", LEARNING_RATE)
        whole(self.warmup_steps, "warm-up steps", int(WARMUP_STEPS.low), int(WARMUP_STEPS.high))
        self.make_schedule()
        number(self.momentum, "momentum", MOMENTUM)
        if self.batch_size is not None:
            whole(self.batch_size, "batch size (or None for all points)", 1, MAX_BATCH_SIZE)
        number(self.l2, "L2 strength λ", L2)
        number(self.l1, "L1 strength λ₁", L1)
        if self.clip_norm is not None:
            number(self.clip_norm, "clipping norm (or None for no clipping)", CLIP_NORM)
        number(self.test_fraction, "test fraction", TEST_FRACTION)
        return self

    def make_schedule(self) -> Schedule:
        return make_schedule(self.schedule, self.learning_rate, self.warmup_steps, **self.schedule_params)


@dataclass(frozen=True)
class Metrics:
    """Loss (without the L2 term) and accuracy on the training and held-out points; None where undefined."""

    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    n_train: int
    n_test: int
