"""Minibatch training by empirical risk minimization: the loop the window drives.

The trainer owns the data split, the optimizer and the bounded loss history of one
network. Every setting can change between steps without losing the weights; the data
can be replaced between steps; a non-finite loss or gradient stops training with a
reason and leaves the last finite parameters in place. It also keeps the weights with the
lowest loss since the last reset or settings change, so ``resume_after_divergence()`` can go
on from there with new settings instead of from the blown-up weights.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .activations import get_activation
from .features import FeatureMap
from .history import DecimatingSeries
from .limits import MAX_SEED, MAX_STEPS
from .losses import get_loss
from .network import Network, ParameterVector
from .optimizers import make_optimizer
from .settings import Metrics, TrainingSettings, holdout_mask
from .validation import as_inputs, as_targets, finite_vector, show, whole


class Trainer:
    """Trains ``network`` on (X, y) with ``settings``; ``seed`` fixes the shuffling.

    X: (n, d) inputs. y: (n, k) targets for "mse", (n,) integer labels for "cross_entropy".
    ``features`` (a FeatureMap of d-dimensional points, or None for the raw x) is applied once when
    the points are set; the network's input width is then the number of features.
    The same network seed, trainer seed, data and settings give the same run, bit for bit.
    """

    def __init__(self, network: Network, X, y, settings: TrainingSettings = TrainingSettings(), seed: int = 0,
                 features: FeatureMap | None = None):
        if not isinstance(network, Network):
            raise ValueError(f"network: expected a Network, got {show(network)}")
        if not isinstance(settings, TrainingSettings):
            raise ValueError(f"settings: expected TrainingSettings, got {show(settings)}")
        seed = whole(seed, "seed", 0, MAX_SEED)
        self.network = network
        self.features = _checked_features(features, network)
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
        self._keep_as_best()

    def _keep_as_best(self) -> None:
        """Let the next step's weights become the recovery point (weights are copied when the loss is lowest)."""
        self._best_loss = math.inf
        self._best_parameters = self.network.parameters.copy()
        self._best_step = self.step_count

    def resume_after_divergence(self) -> str | None:
        """After a divergence: go back to the lowest-loss weights before it, with the current settings.

        The optimizer's memory (momentum buffer, Adam's moments) is cleared, since it holds the blown-up
        gradients; its clock (the schedule's step) goes on. Returns what was done, in words for the user;
        None (and nothing changed) when training had not diverged.
        """
        if not self.diverged:
            return None
        self.network.parameters[...] = self._best_parameters
        t = self._optimizer.t
        self._optimizer = make_optimizer(self.settings.optimizer, self.settings.make_schedule(), self.settings.momentum)
        self._optimizer.t = t
        self.diverged = None
        loss = "" if not math.isfinite(self._best_loss) else f", loss {self._best_loss:.3g}"
        return (f"continued from the weights of step {self._best_step:,} (the best before the divergence{loss}) "
                f"with learning rate {self.learning_rate:.3g}; the optimizer's memory was cleared")

    def reset(self, seed: int | None = None) -> None:
        """Re-initialize the network's parameters from ``seed`` (default: the current seed) and start over."""
        seed = self.seed if seed is None else whole(seed, "seed", 0, MAX_SEED)
        self.network.initialize(seed)
        self._restart(seed)

    def set_parameters(self, flat) -> None:
        """Load (P,) weights set from outside (by hand, the inspector); they become the recovery point."""
        self.network.parameters[...] = flat
        self._keep_as_best()

    def restart_schedule(self) -> None:
        """Start the learning-rate schedule's clock again at the base rate; the weights and moments stay."""
        self._optimizer.t = 0

    @property
    def schedule_origin(self) -> int:
        """The training step at which the schedule's clock read 0 (later than 0 after ``restart_schedule``)."""
        return self.step_count - self._optimizer.t

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
        if self.step_count >= MAX_STEPS or self._optimizer.t >= MAX_STEPS:
            return f"reached the limit of {MAX_STEPS:,} steps: reset to train again"
        if self._untrainable_units:
            return ("the step activation has zero gradient almost everywhere, so backpropagation cannot "
                    "train its hidden units; choose tanh, logistic or ReLU (or set the weights by hand)")
        return None

    # -- data -------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        """d: the dimension of the points (before the feature map)."""
        return self.network.layer_sizes[0] if self.features is None else self.features.n_inputs

    def network_inputs(self, X) -> np.ndarray:
        """What the first layer sees for points X (n, d): φ(X) (n, F), or X itself without features."""
        X = as_inputs(X, self.n_inputs)
        return X if self.features is None else self.features(X)

    def predict(self, X) -> np.ndarray:
        """Output scores (n, k) for points X (n, d), through the feature map."""
        return self.network._forward(self.network_inputs(X)).scores

    def set_data(self, X, y) -> None:
        """Replace all points (e.g. after the user drew or erased some); the weights are kept."""
        loss = get_loss(self.settings.loss)
        X = as_inputs(X, self.n_inputs)
        y = as_targets(y, X.shape[0], self.network.layer_sizes[-1], loss.classification)
        phi = X if self.features is None else self.features(X)  # mapped once here, not per step
        if self.features is not None and not np.isfinite(phi).all():  # x³ of a huge x
            raise ValueError(f"features {self.features} overflow at point {int(np.argwhere(~np.isfinite(phi))[0, 0])}")
        self._points_all, self._X_all, self._y_all = X, phi, y
        self._split()

    def _split(self) -> None:
        self.test_mask = holdout_mask(self._X_all.shape[0], self.settings.test_fraction)
        self._X, self._y = self._X_all[~self.test_mask], self._y_all[~self.test_mask]
        self._X_test, self._y_test = self._X_all[self.test_mask], self._y_all[self.test_mask]
        self._cursor = None
        if not self.diverged:  # other points: losses before and after are not comparable
            self._keep_as_best()

    @property
    def n_train(self) -> int:
        return self._X.shape[0]

    # -- settings ---------------------------------------------------------------------------
    def update(self, **changes) -> None:
        """Change settings live: the weights stay; optimizer state is kept unless the optimizer changes.

        A ValueError leaves every setting as it was.
        """
        try:
            new = replace(self.settings, **changes).validated()
        except TypeError as exc:  # an unknown setting's name
            raise ValueError(f"unknown training setting: {exc}") from None
        old, self.settings = self.settings, new
        if new.loss != old.loss:
            try:
                self.set_data(self._points_all, self._y_all)
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
        if not self.diverged:  # the weights before a change are a safe point to come back to
            self._keep_as_best()

    # -- training ---------------------------------------------------------------------------
    def run(self, n_steps: int) -> int:
        """Take up to ``n_steps`` steps; returns how many were taken (fewer if training stopped)."""
        n_steps = whole(n_steps, "n_steps", 0, MAX_STEPS)
        if self.blocked_reason:
            return 0
        for done in range(n_steps):
            if not self.step():
                return done
        return n_steps

    def step(self) -> bool:
        """One minibatch gradient step; False (and nothing changed) if training is blocked or diverges now."""
        if self.diverged or self._untrainable_units or not self._X.shape[0] or self.step_count >= MAX_STEPS \
                or self._optimizer.t >= MAX_STEPS:
            return False
        X, y, ends_epoch = self._next_batch()
        s = self.settings
        value = self.network.gradient_into(X, y, self._loss_function, s.l2, self._grads, s.l1)
        g = self._grads.flat
        norm2 = float(np.dot(g, g))
        if not (math.isfinite(value) and math.isfinite(norm2)):
            self._stop(divergence_reason(self.step_count, value))
            return False
        if value < self._best_loss:  # the weights this loss was measured at: the recovery point
            self._best_loss, self._best_step = value, self.step_count
            np.copyto(self._best_parameters, self.network.parameters)
        if s.clip_norm is not None and norm2 > s.clip_norm * s.clip_norm:
            g *= s.clip_norm / math.sqrt(norm2)
        params = self.network.parameters
        self._optimizer._apply((params,), (g,))  # the gradient was checked just above
        if not math.isfinite(np.add.reduce(params)):  # an inf or NaN anywhere makes the sum non-finite
            # Go back to the recovery point (finite, so a file can always hold it); the optimizer's clock and
            # moments have moved on, which matters only if training resumes after the settings change.
            params[...] = self._best_parameters
            self._stop(divergence_reason(self.step_count, value, "the weights overflowed"))
            return False
        self.step_count += 1
        self.epoch += ends_epoch  # counted once the step is taken: a diverging step completes nothing
        self.history.add(self.step_count, value)
        return True

    def _stop(self, reason: str) -> None:
        self.diverged = f"{reason}, then Play goes on from the best weights before it (step {self._best_step:,})"

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
        for bit: the feature keys (checked, not restored), parameters (P,), step and epoch counts, the
        optimizer's state (momentum buffer, Adam's moments and update count, its step counter t), the
        shuffling generator's state and the current epoch's order (n_train,) and cursor, the loss history,
        and why training stopped.
        """
        cursor = self._cursor
        return {
            "layer_sizes": list(self.network.layer_sizes),
            "activation": self.network.activation,
            "features": None if self.features is None else list(self.features.keys),
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

        Everything is checked before anything changes: a ValueError, whose message starts with the
        key of the bad entry (``optimizer.m[3]: …``), leaves the trainer as it was.
        """
        if not isinstance(state, dict):
            raise ValueError(f"state: expected the dict of Trainer.state(), got {show(state)}")
        sizes = state.get("layer_sizes")
        if not isinstance(sizes, (list, tuple)) or list(sizes) != list(self.network.layer_sizes) \
                or state.get("activation") != self.network.activation:
            raise ValueError(f"layer_sizes: the saved state is for a {show(sizes)} {show(state.get('activation'))} "
                             f"network; this one is {list(self.network.layer_sizes)} {self.network.activation}")
        mine = None if self.features is None else list(self.features.keys)
        if state.get("features") != mine:  # the same shapes on other features would be other weights
            raise ValueError(f"features: the saved state is for features {show(state.get('features'))}; "
                             f"this trainer has {mine}")
        size = self.network.parameters.size
        parameters = finite_vector(state.get("parameters"), "parameters", size)
        counts = {"seed": whole(state.get("seed"), "seed", 0, MAX_SEED)}
        for name in ("step", "epoch"):
            counts[name] = whole(state.get(name), name, 0, MAX_STEPS)
        diverged = state.get("diverged")
        if diverged is not None and not isinstance(diverged, str):
            raise ValueError(f"diverged: expected a message or None, got {show(diverged)}")
        saved = state.get("optimizer")
        if not isinstance(saved, dict) or saved.get("key") != self.settings.optimizer:
            key = saved.get("key") if isinstance(saved, dict) else saved
            raise ValueError(f"optimizer.key: the saved optimizer state is for {show(key)}, "
                             f"the settings say {self.settings.optimizer!r}")
        optimizer = make_optimizer(self.settings.optimizer, self.settings.make_schedule(), self.settings.momentum)
        optimizer.load_state(saved, size)
        rng = np.random.default_rng(0)
        try:
            rng.bit_generator.state = state.get("rng")
        except (TypeError, ValueError, KeyError, OverflowError) as exc:
            raise ValueError(f"rng: bad shuffling generator state ({exc})") from None
        order, cursor = state.get("order"), state.get("cursor")
        if cursor is not None:
            # the cursor passes the end by up to a batch when the epoch's last, shorter batch is taken
            cursor = whole(cursor, "cursor", 0, self.n_train + (self.settings.batch_size or 0))
            order = finite_vector(order, "order", self.n_train) if order is not None else None
            if order is None or not np.array_equal(np.sort(order), np.arange(self.n_train)):
                raise ValueError(f"order: expected a permutation of the {self.n_train} training points")
            order = order.astype(np.intp)
        history = DecimatingSeries(self.history.capacity)
        saved_history = state.get("history")
        if saved_history is not None:
            try:
                history.restore(saved_history)
            except ValueError as exc:
                raise ValueError(f"history: {exc}") from None
        # everything checked: now change
        self.network.parameters[...] = parameters
        self.seed, self.step_count, self.epoch = counts["seed"], counts["step"], counts["epoch"]
        self.diverged = diverged
        self._optimizer, self._shuffle_rng, self.history = optimizer, rng, history
        self._cursor = cursor
        if cursor is not None:
            self._order = order
            self._X_epoch, self._y_epoch = self._X[order], self._y[order]
        self._keep_as_best()

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


def divergence_reason(step: int, loss: float, what: str | None = None) -> str:
    """Why training stopped at ``step`` (shared with the stacked trainer, so both say it alike)."""
    if what is None:
        what = f"loss became {loss}" if not math.isfinite(loss) else "the gradient became infinite"
    return f"diverged at step {step}: {what}; lower the learning rate or enable gradient clipping"


def _checked_features(features: FeatureMap | None, network: Network) -> FeatureMap | None:
    """``features`` if the network's first layer takes exactly that many inputs; else a ValueError."""
    if features is None:
        return None
    if not isinstance(features, FeatureMap):
        raise ValueError(f"features must be a FeatureMap or None; got {features!r}")
    if len(features) != network.layer_sizes[0]:
        raise ValueError(f"the network takes {network.layer_sizes[0]} inputs but the features "
                         f"{features} are {len(features)}")
    return features
