"""Compare scenes: one base scene and 2–4 runs on the same points, each run a label and what it changes.

A run overrides the base ``Preset``'s network (hidden, activation, seed), its input features φ(x)
and any ``TrainingSettings`` field; everything else (the points above all) is the base's. This module
knows no window: the headless ``playground train`` trains a scene here, and the window's compare panels
are to be built from the same values. Runs that differ only by seed are trained as one stacked
computation (``engine.stacked``), which equals their single runs exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from ..engine import FeatureMap, Network, Trainer, TrainingSettings
from ..engine.settings import Metrics
from ..engine.stacked import StackedTrainer
from .presets import Preset

MAX_RUNS = 4  # the panels side by side that stay readable on a projector
SETTING_NAMES = frozenset(f.name for f in fields(TrainingSettings))


@dataclass(frozen=True)
class Run:
    """One panel: ``label`` says what differs ("tanh", "seed 6", "3 units"); None keeps the base's value.

    ``features`` are φ(x) keys (see ``engine.features``), () for the raw x, None for the scene's; ``settings`` maps
    ``TrainingSettings`` field names to values.
    """

    label: str
    hidden: tuple[int, ...] | None = None
    activation: str | None = None
    seed: int | None = None
    features: tuple[str, ...] | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        unknown = sorted(set(self.settings) - SETTING_NAMES)
        if unknown:
            raise ValueError(f"run {self.label!r}: unknown training setting {unknown[0]!r}; "
                             f"choose from {', '.join(sorted(SETTING_NAMES))}")


@dataclass(frozen=True)
class RunResult:
    """Where one run ended: ``steps`` taken (fewer if it stopped, and ``stopped`` says why)."""

    label: str
    steps: int
    stopped: str | None
    metrics: Metrics
    layer_sizes: tuple[int, ...]
    activation: str
    seed: int
    features: tuple[str, ...] | None
    settings: TrainingSettings
    parameters: np.ndarray  # (P,) in ``Network.parameters`` layout, a fresh copy: the panel draws from it

    @classmethod
    def of(cls, label: str, trainer: Trainer, steps: int) -> RunResult:
        """Where ``trainer`` stands after taking ``steps`` steps."""
        return cls(label, steps, trainer.blocked_reason, trainer.metrics(), tuple(trainer.network.layer_sizes),
                   trainer.network.activation, trainer.seed,
                   None if trainer.features is None else trainer.features.keys, trainer.settings,
                   trainer.network.parameters.copy())

    def as_json(self) -> dict:
        """Plain JSON values; a loss that overflowed (a diverged run) is null, with ``stopped`` saying why."""
        m, s = self.metrics, self.settings
        return {"label": self.label, "steps": self.steps,
                "train_loss": _finite_or_none(m.train_loss), "test_loss": _finite_or_none(m.test_loss),
                "train_accuracy": m.train_accuracy, "test_accuracy": m.test_accuracy,
                "n_train": m.n_train, "n_test": m.n_test, "stopped": self.stopped,
                "layer_sizes": list(self.layer_sizes), "activation": self.activation, "seed": self.seed,
                "features": None if self.features is None else list(self.features),
                "optimizer": s.optimizer, "learning_rate": s.learning_rate, "schedule": s.schedule,
                "batch_size": s.batch_size, "l2": s.l2, "l1": s.l1, "clip_norm": s.clip_norm}


@dataclass(frozen=True)
class CompareScene:
    """A lecture contrast: ``base`` (its points, network and settings) and the ``runs`` shown side by side.

    ``steps`` is the budget in which the point shows: at the window's default 600 steps/s, 18,000 steps
    are 30 s. ``features`` is the base's φ(x) (None: the raw x), which a run may override.
    """

    key: str
    title: str
    caption: str
    base: Preset
    runs: tuple[Run, ...]
    steps: int
    features: tuple[str, ...] | None = None

    def __post_init__(self):
        if not 1 <= len(self.runs) <= MAX_RUNS:
            raise ValueError(f"scene {self.key!r}: a compare scene has 1 to {MAX_RUNS} runs; got {len(self.runs)}")
        labels = [run.label for run in self.runs]
        if len(set(labels)) != len(labels):
            raise ValueError(f"scene {self.key!r}: run labels must differ; got {labels}")
        if self.steps < 1:
            raise ValueError(f"scene {self.key!r}: steps must be ≥ 1; got {self.steps}")

    def preset_for(self, run: Run) -> Preset:
        """The base with ``run``'s network, seed and settings (hand-set weights dropped if the network changes)."""
        network = {name: getattr(run, name) for name in ("hidden", "activation", "seed")
                   if getattr(run, name) is not None}
        preset = replace(self.base, settings=replace(self.base.settings, **run.settings).validated(), **network)
        if (preset.hidden, preset.activation) != (self.base.hidden, self.base.activation) or self.features_for(run):
            preset = replace(preset, weights=None, biases=None)  # hand-set weights fit only their network
        return preset

    def features_for(self, run: Run) -> tuple[str, ...] | None:
        features = self.features if run.features is None else run.features
        return tuple(features or ()) or None  # () and None both mean the raw x

    def build(self, run: Run) -> Trainer:
        """A fresh trainer for ``run`` on the base's points."""
        return build_trainer(self.preset_for(run), self.features_for(run))

    def train(self, steps: int | None = None) -> list[RunResult]:
        """Train every run ``steps`` steps (default: the scene's budget); results in panel order.

        Runs that differ only by seed (and take the raw x) train together as one stacked computation.
        """
        steps = self.steps if steps is None else steps
        results: dict[int, RunResult] = {}
        for indices in self._seed_groups():
            if len(indices) > 1:
                results.update(zip(indices, self._train_stacked(indices, steps)))
            else:
                results[indices[0]] = self._train_single(self.runs[indices[0]], steps)
        return [results[i] for i in range(len(self.runs))]

    def _seed_groups(self) -> list[list[int]]:
        groups: dict[Any, list[int]] = {}
        for i, run in enumerate(self.runs):
            preset = self.preset_for(run)
            stackable = self.features_for(run) is None and preset.weights is None
            key = repr(replace(preset, seed=0)) if stackable else i  # Preset holds dicts: compare by value
            groups.setdefault(key, []).append(i)
        return list(groups.values())

    def _train_single(self, run: Run, steps: int) -> RunResult:
        trainer = self.build(run)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run says so in ``stopped``
            taken = trainer.run(steps)
        return RunResult.of(run.label, trainer, taken)

    def _train_stacked(self, indices: list[int], steps: int) -> list[RunResult]:
        presets = [self.preset_for(self.runs[i]) for i in indices]
        data = presets[0].make_dataset()
        trainer = StackedTrainer(presets[0].layer_sizes(data), presets[0].activation, data.X, data.y,
                                 presets[0].settings, seeds=[p.seed for p in presets])
        trainer.run(steps)
        sizes = tuple(trainer.network.layer_sizes)
        return [RunResult(self.runs[i].label, int(trainer.step_counts[row]), trainer.diverged[row], metrics,
                          sizes, presets[0].activation, presets[row].seed, None, trainer.settings,
                          trainer.parameters(row))
                for row, (i, metrics) in enumerate(zip(indices, trainer.metrics()))]


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None  # JSON has no inf or NaN


def build_trainer(preset: Preset, features: tuple[str, ...] | str | None = None, seed: int | None = None) -> Trainer:
    """The preset's trainer; with ``features`` (keys, or comma-separated text) its network takes φ(x)."""
    if features is None:
        return preset.build(seed=seed)[0]
    seed = preset.seed if seed is None else seed
    data = preset.make_dataset()
    n_inputs = data.X.shape[1]
    feature_map = FeatureMap.parse(features, n_inputs) if isinstance(features, str) else FeatureMap(features, n_inputs)
    sizes = preset.layer_sizes(data)
    sizes[0] = len(feature_map)
    network = Network(sizes, preset.activation, seed=seed)
    return Trainer(network, data.X, data.y, preset.settings, seed=seed, features=feature_map)
