"""Minibatch training by empirical risk minimization: the loop the window drives.

The trainer owns the data split, the optimizer and the bounded loss history of one
network. Every setting can change between steps without losing the weights; the data
can be replaced between steps; a non-finite loss or gradient stops training with a
reason and leaves the last finite parameters in place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .activations import get_activation
from .history import DecimatingSeries
from .losses import get_loss
from .network import Network, ParameterVector
from .optimizers import OPTIMIZERS, make_optimizer
from .schedules import Schedule, make_schedule
from .validation import as_inputs, as_targets

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
    clip_norm: float | None = None
    test_fraction: float = 0.0

    def validated(self) -> "TrainingSettings":
        """Self, or a ValueError naming the first bad field."""
        get_loss(self.loss)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        self.make_schedule()
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1); got {self.momentum!r}")
        if self.batch_size is not None and (int(self.batch_size) != self.batch_size or self.batch_size < 1):
            raise ValueError(f"batch size must be a whole number ≥ 1 (or None for all points); got {self.batch_size!r}")
        if not (math.isfinite(self.l2) and self.l2 >= 0.0):
            raise ValueError(f"L2 strength λ must be a number ≥ 0; got {self.l2!r}")
        if self.clip_norm is not None and not (math.isfinite(self.clip_norm) and self.clip_norm > 0.0):
            raise ValueError(f"clipping norm must be a number > 0 (or None for no clipping); got {self.clip_norm!r}")
        if not 0.0 <= self.test_fraction < 1.0:
            raise ValueError(f"test fraction must lie in [0, 1); got {self.test_fraction!r}")
        return self

    def make_schedule(self) -> Schedule:
        return make_schedule(self.schedule, self.learning_rate, self.warmup_steps, **self.schedule_params)


def _floats(value, name: str) -> np.ndarray:
    try:
        return np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a list of numbers") from None


@dataclass(frozen=True)
class Metrics:
    """Loss (without the L2 term) and accuracy on the training and held-out points; None where undefined."""

    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    n_train: int
    n_test: int


class Trainer:
    """Trains ``network`` on (X, y) with ``settings``; ``seed`` fixes the shuffling.

    X: (n, d) inputs. y: (n, k) targets for "mse", (n,) integer labels for "cross_entropy".
    The same network seed, trainer seed, data and settings give the same run, bit for bit.
    """

    def __init__(self, network: Network, X, y, settings: TrainingSettings = TrainingSettings(), seed: int = 0):
        self.network = network
        self.settings = settings.validated()
        self.seed = seed
        self.history = DecimatingSeries()  # (step, minibatch objective J averaged over the stride)
        self._grads = ParameterVector(network.layer_sizes)
        self._loss_function = get_loss(self.settings.loss).function
        self._untrainable_units = (network.n_hidden_layers > 0
                                   and not get_activation(network.activation).differentiable)
        self._restart(seed)
        self.set_data(X, y)

    # -- state ------------------------------------------------------------------------------
    def _restart(self, seed: int) -> None:
        self.seed = seed
        self.step_count = 0
        self.epoch = 0
        self.diverged: str | None = None
        self.history.clear()
        self._shuffle_rng = np.random.default_rng((seed, 1))
        self._optimizer = make_optimizer(self.settings.optimizer, self.settings.make_schedule(), self.settings.momentum)
        self._cursor = None  # None: draw a fresh permutation before the next minibatch

    def reset(self, seed: int | None = None) -> None:
        """Re-initialize the network's parameters from ``seed`` (default: the current seed) and start over."""
        seed = self.seed if seed is None else seed
        self.network.initialize(seed)
        self._restart(seed)

    @property
    def learning_rate(self) -> float:
        """The rate the next step will use."""
        return self._optimizer.current_rate()

    @property
    def blocked_reason(self) -> str | None:
        """Why ``step()`` would do nothing, in words for the user; None when training can go on."""
        if self.diverged:
            return self.diverged
        if self.n_train == 0:
            return "no training points: draw or generate some first"
        if self._untrainable_units:
            return ("the step activation has zero gradient almost everywhere, so backpropagation cannot "
                    "train its hidden units; choose tanh, logistic or ReLU (or set the weights by hand)")
        return None

    # -- data -------------------------------------------------------------------------------
    def set_data(self, X, y) -> None:
        """Replace all points (e.g. after the user drew or erased some); the weights are kept."""
        loss = get_loss(self.settings.loss)
        X = as_inputs(X, self.network.layer_sizes[0])
        y = as_targets(y, X.shape[0], self.network.layer_sizes[-1], loss.classification)
        self._X_all, self._y_all = X, y
        self._split()

    def _split(self) -> None:
        self.test_mask = holdout_mask(self._X_all.shape[0], self.settings.test_fraction)
        self._X, self._y = self._X_all[~self.test_mask], self._y_all[~self.test_mask]
        self._X_test, self._y_test = self._X_all[self.test_mask], self._y_all[self.test_mask]
        self._cursor = None
        self.diverged = None

    @property
    def n_train(self) -> int:
        return self._X.shape[0]

    # -- settings ---------------------------------------------------------------------------
    def update(self, **changes) -> None:
        """Change settings live: the weights stay; optimizer state is kept unless the optimizer changes.

        A ValueError leaves every setting as it was.
        """
        new = replace(self.settings, **changes).validated()
        old, self.settings = self.settings, new
        if new.loss != old.loss:
            try:
                self.set_data(self._X_all, self._y_all)
            except ValueError:
                self.settings = old
                raise
            self._loss_function = get_loss(new.loss).function
        if new.optimizer != old.optimizer:
            t = self._optimizer.t
            self._optimizer = make_optimizer(new.optimizer, new.make_schedule(), new.momentum)
            self._optimizer.t = t  # the schedule continues where it was
        else:  # same optimizer: its state (momentum buffer, Adam's moments) is kept
            self._optimizer.learning_rate = new.make_schedule()
            if new.optimizer == "momentum":
                self._optimizer.momentum = new.momentum
        if new.test_fraction != old.test_fraction:
            self._split()
        if new.batch_size != old.batch_size:
            self._cursor = None
        self.diverged = None

    # -- training ---------------------------------------------------------------------------
    def run(self, n_steps: int) -> int:
        """Take up to ``n_steps`` steps; returns how many were taken (fewer if training stopped)."""
        if self.blocked_reason:
            return 0
        for done in range(n_steps):
            if not self.step():
                return done
        return n_steps

    def step(self) -> bool:
        """One minibatch gradient step; False (and nothing changed) if training is blocked or diverges now."""
        if self.diverged or self._untrainable_units or not self._X.shape[0]:
            return False
        X, y, ends_epoch = self._next_batch()
        s = self.settings
        value = self.network.gradient_into(X, y, self._loss_function, s.l2, self._grads)
        g = self._grads.flat
        norm2 = float(np.dot(g, g))
        if not (math.isfinite(value) and math.isfinite(norm2)):
            what = f"loss became {value}" if not math.isfinite(value) else "the gradient became infinite"
            self.diverged = (f"diverged at step {self.step_count}: {what}; "
                             f"lower the learning rate or enable gradient clipping")
            return False
        if s.clip_norm is not None and norm2 > s.clip_norm * s.clip_norm:
            g *= s.clip_norm / math.sqrt(norm2)
        self._optimizer.step(self.network.parameters, g)
        self.step_count += 1
        self.epoch += ends_epoch  # counted once the step is taken: a diverging step completes nothing
        self.history.add(self.step_count, value)
        return True

    def _next_batch(self):
        """The next minibatch (X, y) and whether it is the last of its epoch."""
        n, size = self.n_train, self.settings.batch_size
        if size is None or size >= n:
            return self._X, self._y, True
        if self._cursor is None or self._cursor >= n:
            order = self._order = self._shuffle_rng.permutation(n)
            self._X_epoch, self._y_epoch = self._X[order], self._y[order]
            self._cursor = 0
        i = self._cursor
        self._cursor += size  # the last, shorter batch of an epoch is used, not dropped
        return self._X_epoch[i:i + size], self._y_epoch[i:i + size], self._cursor >= n

    # -- saving and restoring ---------------------------------------------------------------
    def state(self) -> dict:
        """Everything that decides the next steps, as plain values and fresh arrays (no settings, no data).

        With the same network shape, settings and data, ``restore(state())`` continues the run bit
        for bit: parameters (P,), step and epoch counts, the optimizer's state (momentum buffer,
        Adam's moments and update count, its step counter t), the shuffling generator's state and
        the current epoch's order (n_train,) and cursor, the loss history, and why training stopped.
        """
        cursor = self._cursor
        return {
            "layer_sizes": list(self.network.layer_sizes),
            "activation": self.network.activation,
            "parameters": self.network.parameters.copy(),
            "seed": self.seed,
            "step": self.step_count,
            "epoch": self.epoch,
            "diverged": self.diverged,
            "optimizer": {"key": self.settings.optimizer, **self._optimizer.state()},
            "rng": self._shuffle_rng.bit_generator.state,
            "order": None if cursor is None else self._order.copy(),
            "cursor": cursor,
            "history": self.history.state(),
        }

    def restore(self, state: dict) -> None:
        """Continue from ``state()`` of a trainer with the same network shape, settings and data.

        Everything is checked before anything changes: a ValueError leaves the trainer as it was.
        """
        sizes = [int(s) for s in state.get("layer_sizes", ())]
        if sizes != list(self.network.layer_sizes) or state.get("activation") != self.network.activation:
            raise ValueError(f"the saved state is for a {sizes} {state.get('activation')} network; "
                             f"this one is {list(self.network.layer_sizes)} {self.network.activation}")
        size = self.network.parameters.size
        parameters = _floats(state.get("parameters"), "parameters")
        if parameters.shape != (size,) or not np.isfinite(parameters).all():
            raise ValueError(f"parameters must be {size} finite numbers; got shape {parameters.shape}")
        counts = {}
        for name in ("seed", "step", "epoch"):
            value = state.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a whole number ≥ 0; got {value!r}")
            counts[name] = int(value)
        diverged = state.get("diverged")
        if diverged is not None and not isinstance(diverged, str):
            raise ValueError(f"diverged must be a message or None; got {diverged!r}")
        saved = state.get("optimizer") or {}
        if saved.get("key") != self.settings.optimizer:
            raise ValueError(f"the saved optimizer state is for {saved.get('key')!r}, "
                             f"the settings say {self.settings.optimizer!r}")
        optimizer = make_optimizer(self.settings.optimizer, self.settings.make_schedule(), self.settings.momentum)
        optimizer.load_state(saved, size)
        rng = np.random.default_rng(0)
        try:
            rng.bit_generator.state = state.get("rng")
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"bad shuffling generator state: {exc}") from None
        order, cursor = state.get("order"), state.get("cursor")
        if cursor is not None:
            if isinstance(cursor, bool) or not isinstance(cursor, (int, np.integer)) or cursor < 0:
                raise ValueError(f"cursor must be a whole number ≥ 0 or None; got {cursor!r}")
            order = _floats(order, "order")
            if order.shape != (self.n_train,) or not np.array_equal(np.sort(order), np.arange(self.n_train)):
                raise ValueError(f"order must be a permutation of the {self.n_train} training points")
            order = order.astype(np.intp)
        history = DecimatingSeries(self.history.capacity)
        history.restore(state.get("history") or DecimatingSeries(self.history.capacity).state())
        # everything checked: now change
        self.network.parameters[...] = parameters
        self.seed, self.step_count, self.epoch = counts["seed"], counts["step"], counts["epoch"]
        self.diverged = diverged
        self._optimizer, self._shuffle_rng, self.history = optimizer, rng, history
        self._cursor = None if cursor is None else int(cursor)
        if cursor is not None:
            self._order = order
            self._X_epoch, self._y_epoch = self._X[order], self._y[order]

    # -- evaluation -------------------------------------------------------------------------
    def metrics(self) -> Metrics:
        loss = get_loss(self.settings.loss)

        def measure(X, y):
            if not X.shape[0]:
                return None, None
            scores = self.network._forward(X).scores
            value = loss.function(scores, y)[0]
            accuracy = float(np.mean(scores.argmax(axis=1) == y)) if loss.classification else None
            return value, accuracy

        train_loss, train_acc = measure(self._X, self._y)
        test_loss, test_acc = measure(self._X_test, self._y_test)
        return Metrics(train_loss, test_loss, train_acc, test_acc, self.n_train, int(self.test_mask.sum()))
