"""Learning-rate schedules: callables ``step -> learning rate``, step counting from 0.

Formulas match torch.optim.lr_scheduler where it has one (StepLR, ExponentialLR,
CosineAnnealingLR), in closed form. Every decaying schedule has a floor ``min_lr`` (default 0,
torch's formula): without one the staircase went on to 1e-16 and then no edit of the base rate
moved training any more. Each schedule is a small frozen dataclass, so it can
be compared and shown in the UI (``describe()``); a session file stores its key and parameters
(``TrainingSettings.schedule``/``schedule_params``), rebuilt with ``make_schedule``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .limits import (
    DECAY_FACTOR,
    INVERSE_TIME_DECAY,
    LEARNING_RATE,
    MAX_STEPS,
    MIN_LEARNING_RATE,
    SCHEDULE_STEPS,
    WARMUP_STEPS,
    Range,
)
from .validation import number, whole


class Schedule:
    key: str = ""

    def __call__(self, step: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Constant(Schedule):
    lr: float
    key = "constant"

    def __call__(self, step: int) -> float:
        return self.lr

    def describe(self) -> str:
        return f"constant {self.lr:g}"


@dataclass(frozen=True)
class StepDecay(Schedule):
    """The staircase: max(min_lr, lr · gamma^⌊step / step_size⌋) (gamma = 0.1 is the lecture's 10× drop)."""

    lr: float
    step_size: int
    gamma: float = 0.1
    min_lr: float = 0.0
    key = "step"

    def __call__(self, step: int) -> float:
        return max(self.min_lr, self.lr * self.gamma ** (step // self.step_size))

    def describe(self) -> str:
        return f"staircase {self.lr:g} ×{self.gamma:g} every {self.step_size} steps{_floor(self.min_lr)}"


@dataclass(frozen=True)
class Exponential(Schedule):
    """max(min_lr, lr · gamma^step)."""

    lr: float
    gamma: float
    min_lr: float = 0.0
    key = "exponential"

    def __call__(self, step: int) -> float:
        return max(self.min_lr, self.lr * self.gamma ** step)

    def describe(self) -> str:
        return f"exponential {self.lr:g} ×{self.gamma:g} per step{_floor(self.min_lr)}"


@dataclass(frozen=True)
class Cosine(Schedule):
    """min_lr + (lr − min_lr)·(1 + cos(π·step/total_steps))/2, held at min_lr after total_steps."""

    lr: float
    total_steps: int
    min_lr: float = 0.0
    key = "cosine"

    def __call__(self, step: int) -> float:
        if step >= self.total_steps:
            return self.min_lr
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1.0 + math.cos(math.pi * step / self.total_steps))

    def describe(self) -> str:
        return f"cosine {self.lr:g} → {self.min_lr:g} over {self.total_steps} steps"


@dataclass(frozen=True)
class InverseTime(Schedule):
    """max(min_lr, lr / (1 + decay·step)), the classic 1/t decay of SGD convergence theory."""

    lr: float
    decay: float
    min_lr: float = 0.0
    key = "inverse_time"

    def __call__(self, step: int) -> float:
        return max(self.min_lr, self.lr / (1.0 + self.decay * step))

    def describe(self) -> str:
        return f"1/t: {self.lr:g} / (1 + {self.decay:g}·t){_floor(self.min_lr)}"


@dataclass(frozen=True)
class Warmup(Schedule):
    """A linear ramp inner(0)·(step + 1)/warmup_steps for the first warmup_steps, then inner(step − warmup_steps)."""

    inner: Schedule
    warmup_steps: int
    key = "warmup"

    def __call__(self, step: int) -> float:
        if step < self.warmup_steps:
            return self.inner(0) * (step + 1) / self.warmup_steps
        return self.inner(step - self.warmup_steps)

    def describe(self) -> str:
        return f"{self.warmup_steps} warm-up steps, then {self.inner.describe()}"


def _floor(min_lr: float) -> str:
    return f", floor {min_lr:g}" if min_lr else ""


# The range of each schedule parameter, under the name its messages use (``limits`` holds the values):
# a decay factor above 1 would grow the rate until it overflows, and step counts stay far below what a
# float or the step clock could not count.
RANGES = {"learning rate": LEARNING_RATE, "step size": SCHEDULE_STEPS, "decay factor gamma": DECAY_FACTOR,
          "total steps": SCHEDULE_STEPS, "minimum learning rate": MIN_LEARNING_RATE, "decay": INVERSE_TIME_DECAY,
          "warm-up steps": Range(1, WARMUP_STEPS.high)}


POSITIVE, NON_NEGATIVE = Range(5e-324, 1.7976931348623157e308), Range(0.0, 1.7976931348623157e308)  # others


def _positive(name: str, value, integer: bool = False):
    allowed = RANGES.get(name, Range(1, MAX_STEPS) if integer else POSITIVE)
    return whole(value, name, int(allowed.low), int(allowed.high)) if integer else number(value, name, allowed)


def _non_negative(name: str, value) -> float:
    return number(value, name, RANGES.get(name, NON_NEGATIVE))


def constant(lr: float) -> Constant:
    return Constant(_positive("learning rate", lr))


def step_decay(lr: float, step_size: int, gamma: float = 0.1, min_lr: float = 0.0) -> StepDecay:
    return StepDecay(_positive("learning rate", lr), _positive("step size", step_size, integer=True),
                     _positive("decay factor gamma", gamma), _non_negative("minimum learning rate", min_lr))


def exponential(lr: float, gamma: float, min_lr: float = 0.0) -> Exponential:
    return Exponential(_positive("learning rate", lr), _positive("decay factor gamma", gamma),
                       _non_negative("minimum learning rate", min_lr))


def cosine(lr: float, total_steps: int, min_lr: float = 0.0) -> Cosine:
    return Cosine(_positive("learning rate", lr), _positive("total steps", total_steps, integer=True),
                  _non_negative("minimum learning rate", min_lr))


def inverse_time(lr: float, decay: float, min_lr: float = 0.0) -> InverseTime:
    return InverseTime(_positive("learning rate", lr), _non_negative("decay", decay),
                       _non_negative("minimum learning rate", min_lr))


def warmup(schedule: Schedule, warmup_steps: int) -> Warmup:
    return Warmup(schedule, _positive("warm-up steps", warmup_steps, integer=True))


SCHEDULES: dict[str, Callable[..., Schedule]] = {
    "constant": constant,
    "step": step_decay,
    "exponential": exponential,
    "cosine": cosine,
    "inverse_time": inverse_time,
}

LearningRate = float | Callable[[int], float]


def make_schedule(kind: str, lr: float, warmup_steps: int = 0, **params) -> Schedule:
    """The schedule registered under ``kind`` with base rate ``lr``, optionally behind a warm-up."""
    try:
        factory = SCHEDULES[kind]
    except (KeyError, TypeError):
        raise ValueError(f"unknown schedule {kind!r}; choose one of {', '.join(SCHEDULES)}") from None
    try:
        schedule = factory(lr, **params)
    except TypeError as exc:
        raise ValueError(f"bad parameters for the {kind} schedule: {exc}") from None
    floor = getattr(schedule, "min_lr", 0.0)
    if floor > schedule.lr:
        raise ValueError(f"learning rate {schedule.lr:g} is below the schedule's minimum rate {floor:g}; "
                         f"lower the minimum rate first")
    return warmup(schedule, warmup_steps) if warmup_steps else schedule


def as_schedule(learning_rate: LearningRate) -> Callable[[int], float]:
    """A float becomes a constant schedule; a callable is used as it is."""
    if callable(learning_rate):
        return learning_rate
    return constant(learning_rate)
