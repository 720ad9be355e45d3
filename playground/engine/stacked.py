"""Restarts as one computation: the same training run from S seeds, all seeds in each numpy call.

``StackedTrainer(sizes, activation, X, y, settings, seeds)`` follows, for every seed s, the run of
``Trainer(Network(sizes, activation, seed=s), X, y, settings, seed=s)`` (what ``Trainer.reset(s)``
and ``Preset.build(seed=s)`` give): the same initialization, the same holdout split, the same
minibatch order from the seed's own shuffling generator, the same optimizer code and schedule
(the engine's optimizers update the (S, P) buffer elementwise, so no seed sees another), and
clipping by each seed's own global norm. A seed whose loss or gradient stops being finite is
marked diverged and frozen at its last finite parameters; the others go on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .losses import get_loss
from .network import Network
from .optimizers import make_optimizer
from .settings import Metrics, TrainingSettings
from .stacked_network import STACKED_LOSSES, StackedNetwork, StackedParameters
from .trainer import Trainer, divergence_reason
from .validation import as_inputs, as_targets

Array = np.ndarray


@dataclass(frozen=True)
class SeedResult:
    """Where one seed's run stands: its step count, why it stopped (None if it did not), its metrics,
    and its parameters (P,) in ``Network.parameters`` layout (a fresh copy)."""

    seed: int
    steps: int
    diverged: str | None
    metrics: Metrics
    parameters: Array


class StackedTrainer:
    """Trains one network per seed in ``seeds`` on the same (X, y) with the same ``settings``.

    X: (n, d) inputs. y: (n, k) targets for "mse", (n,) integer labels for "cross_entropy".
    seeds: one network per seed, each seed both its initialization and its shuffling seed (as ``Trainer.reset``).
    Row r of every per-seed array (``step_counts``, ``epochs``, ``objective``, ``diverged``, ``active``,
    the network's parameters) belongs to ``seeds[r]``.
    """

    def __init__(self, layer_sizes: Sequence[int], activation: str, X, y,
                 settings: TrainingSettings = TrainingSettings(), seeds: Sequence[int] = range(10)):
        self.settings = settings.validated()
        self.network = StackedNetwork(layer_sizes, activation, list(seeds))
        sizes, seeds = self.network.layer_sizes, self.network.seeds
        # The single run of the first seed decides the holdout split and whether training can run at all,
        # so those rules stay in one place (the split does not depend on the seed).
        single = Trainer(self.network.network(0), X, y, self.settings, seed=seeds[0])
        self.test_mask = single.test_mask
        self._single_blocked = single.blocked_reason
        loss = get_loss(self.settings.loss)
        X = as_inputs(X, sizes[0])
        y = as_targets(y, X.shape[0], sizes[-1], loss.classification)
        self._X, self._y = X[~self.test_mask], y[~self.test_mask]
        self._X_test, self._y_test = X[self.test_mask], y[self.test_mask]
        self._loss_function = STACKED_LOSSES[self.settings.loss]
        self._grads = StackedParameters(sizes, len(seeds))
        self._optimizer = make_optimizer(self.settings.optimizer, self.settings.make_schedule(), self.settings.momentum)
        self._shuffle_rngs = [np.random.default_rng((seed, 1)) for seed in seeds]  # as Trainer's, per seed
        self._cursor: int | None = None  # None: draw fresh permutations before the next minibatch
        S = len(seeds)
        self.step_counts = np.zeros(S, dtype=np.int64)
        self.epochs = np.zeros(S, dtype=np.int64)
        self.objective = np.full(S, np.nan)  # each seed's last minibatch objective J (with the L2 term)
        self.diverged: list[str | None] = [None] * S
        self.active = np.ones(S, dtype=bool)
        self._frozen: Array | None = None  # (S, P) last finite parameters, read for diverged rows only

    @property
    def seeds(self) -> tuple[int, ...]:
        return self.network.seeds

    @property
    def n_train(self) -> int:
        return self._X.shape[0]

    @property
    def blocked_reason(self) -> str | None:
        """Why ``step()`` would do nothing, in words for the user; None while some seed can train."""
        if self._single_blocked:
            return self._single_blocked
        if not self.active.any():
            return "every seed diverged; lower the learning rate or enable gradient clipping"
        return None

    # -- training ---------------------------------------------------------------------------
    def run(self, n_steps: int) -> int:
        """Take up to ``n_steps`` steps; returns how many were taken (fewer once every seed stopped)."""
        for done in range(n_steps):
            if not self.step():
                return done
        return n_steps

    def step(self) -> bool:
        """One minibatch step for every seed still training; False (nothing changed) when none can train."""
        if self._single_blocked or not self.active.any():
            return False
        X, y, ends_epoch = self._next_batch()
        s = self.settings
        with np.errstate(all="ignore"):  # a diverging seed's overflow is reported in ``diverged``, not as a warning
            values = self.network.gradient_into(X, y, self._loss_function, s.l2, self._grads, s.l1)
            g = self._grads.flat
            norm2 = np.einsum("sp,sp->s", g, g)
        finite = np.isfinite(values) & np.isfinite(norm2)
        if not finite[self.active].all():
            self._mark_diverged(self.active & ~finite, values)
            if not self.active.any():
                return False
        all_active = self.active.all()
        if not all_active:
            g[~self.active] = 0.0
            norm2[~self.active] = 0.0
        if s.clip_norm is not None:
            # Each seed's global norm on its own; a factor of exactly 1.0 leaves an unclipped seed bit for bit.
            over = norm2 > s.clip_norm * s.clip_norm
            if over.any():
                scale = np.ones_like(norm2)
                scale[over] = s.clip_norm / np.sqrt(norm2[over])
                g *= scale[:, None]
        self._optimizer.step(self.network.parameters, g)
        if all_active:
            self.step_counts += 1
            self.epochs += ends_epoch
            self.objective = values
        else:
            stopped = ~self.active
            self.network.parameters[stopped] = self._frozen[stopped]  # momentum and Adam would still move them
            self.step_counts[self.active] += 1
            self.epochs[self.active] += ends_epoch
            self.objective[self.active] = values[self.active]
        return True

    def _mark_diverged(self, rows: Array, values: Array) -> None:
        if self._frozen is None:
            self._frozen = self.network.parameters.copy()
        for row in np.flatnonzero(rows):
            self.diverged[row] = divergence_reason(self.step_counts[row], values[row])
            self._frozen[row] = self.network.parameters[row]
        self.active &= ~rows

    def _next_batch(self):
        """The next minibatches: X (n, d) shared or (S, b, d) one per seed, y likewise; and whether the epoch ends.

        All seeds have the same n and batch size, so their cursors move in step; only the orders differ.
        """
        n, size = self.n_train, self.settings.batch_size
        if size is None or size >= n:
            return self._X, self._y, True
        if self._cursor is None or self._cursor >= n:
            orders = np.stack([rng.permutation(n) for rng in self._shuffle_rngs])  # (S, n)
            self._X_epoch, self._y_epoch = self._X[orders], self._y[orders]
            self._cursor = 0
        i = self._cursor
        self._cursor += size  # the last, shorter batch of an epoch is used, not dropped
        return self._X_epoch[:, i:i + size], self._y_epoch[:, i:i + size], self._cursor >= n

    # -- results ----------------------------------------------------------------------------
    def parameters(self, row: int) -> Array:
        """Row ``row``'s parameters (P,) in ``Network.parameters`` layout, as a fresh copy."""
        return self.network.parameters[row].copy()

    def single_network(self, row: int) -> Network:
        """Row ``row`` as a fresh ``Network`` (for the single-network views)."""
        return self.network.network(row)

    def metrics(self) -> list[Metrics]:
        """Per seed, loss (without the L2 term) and accuracy on the training and held-out points."""
        train_loss, train_acc = self._measure(self._X, self._y)
        test_loss, test_acc = self._measure(self._X_test, self._y_test)
        n_test = int(self.test_mask.sum())
        return [Metrics(train_loss[r], test_loss[r], train_acc[r], test_acc[r], self.n_train, n_test)
                for r in range(self.network.n_seeds)]

    def _measure(self, X: Array, y: Array) -> tuple[list, list]:
        S = self.network.n_seeds
        if not X.shape[0]:
            return [None] * S, [None] * S
        with np.errstate(all="ignore"):
            scores = self.network.forward(X).scores
            values, _ = self._loss_function(scores, y)
        accuracy = [None] * S
        if get_loss(self.settings.loss).classification:
            accuracy = [float(a) for a in np.mean(scores.argmax(axis=2) == y, axis=1)]
        return [float(v) for v in values], accuracy

    def results(self) -> list[SeedResult]:
        """One ``SeedResult`` per seed, in the order of ``seeds``."""
        return [SeedResult(seed, int(self.step_counts[r]), self.diverged[r], m, self.parameters(r))
                for r, (seed, m) in enumerate(zip(self.seeds, self.metrics()))]

    def ranked_rows(self) -> list[int]:
        """Rows from the lowest final train loss to the highest; diverged seeds (and undefined losses) last."""
        losses = [m.train_loss for m in self.metrics()]

        def key(row):
            loss = losses[row]
            usable = self.diverged[row] is None and loss is not None and math.isfinite(loss)
            return (0, loss) if usable else (1, row)
        return sorted(range(self.network.n_seeds), key=key)
