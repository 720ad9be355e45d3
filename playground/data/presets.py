"""Lecture scenes: a dataset, a network and training settings, with a one-line caption."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine import Network, Trainer, TrainingSettings
from .datasets import Dataset, make_dataset

BISHOP_CAPTION = ("3 tanh hidden units. Blue dots are training points; dashed lines are hidden unit outputs; "
                  "final output in red. (Bishop, PRML Fig 5.3)")


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    caption: str
    dataset: str
    hidden: tuple[int, ...]
    activation: str
    settings: TrainingSettings
    dataset_args: dict[str, Any] = field(default_factory=dict)
    seed: int = 0

    def make_dataset(self) -> Dataset:
        return make_dataset(self.dataset, **self.dataset_args)

    def layer_sizes(self, data: Dataset) -> list[int]:
        outputs = data.n_classes if data.is_classification else data.y.shape[1]
        return [data.X.shape[1], *self.hidden, outputs]

    def build(self, seed: int | None = None) -> tuple[Trainer, Dataset]:
        """A fresh trainer on this preset's data; ``seed`` overrides the preset's initialization seed."""
        seed = self.seed if seed is None else seed
        data = self.make_dataset()
        network = Network(self.layer_sizes(data), self.activation, seed=seed)
        return Trainer(network, data.X, data.y, self.settings, seed=seed), data


def _bishop(key: str, dataset: str, title: str, lr: float) -> Preset:
    return Preset(key, title, BISHOP_CAPTION, dataset, (3,), "tanh",
                  TrainingSettings(loss="mse", optimizer="adam", learning_rate=lr), {"n": 50})


def _classifier(**settings) -> TrainingSettings:
    return TrainingSettings(loss="cross_entropy", optimizer="adam", **settings)


PRESETS: dict[str, Preset] = {p.key: p for p in (
    _bishop("bishop-x2", "x2", "Approximation ability: f(x) = x²", 0.03),
    _bishop("bishop-sin", "sin", "Approximation ability: f(x) = sin(πx)", 0.03),
    _bishop("bishop-abs", "abs", "Approximation ability: f(x) = |x|", 0.03),
    _bishop("bishop-heaviside", "heaviside", "Approximation ability: Heaviside step", 0.03),
    Preset("and-gate", "Perceptron as a logic gate: AND",
           "No hidden layer: one linear unit separates (1,1) from the other corners.",
           "and", (), "tanh", _classifier(learning_rate=0.1)),
    Preset("xnor", "XNOR needs a hidden layer",
           "Fire when the two inputs agree: 2 hidden units recode the input so the classes become linearly separable.",
           "xnor", (2,), "tanh", _classifier(learning_rate=0.1)),
    Preset("xor", "XOR of the signs", "Class 1 where x₁ and x₂ have the same sign: 4 tanh hidden units.",
           "xor", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
    Preset("circles", "Two circles", "A ring around a disk: no line separates them, 4 hidden units can.",
           "circles", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
    Preset("spiral", "Two spirals", "A deep MLP (2 hidden layers of 16 ReLU units) untangles two spirals.",
           "spirals", (16, 16), "relu", _classifier(learning_rate=0.01, batch_size=20)),
    Preset("blobs", "Softmax for k = 3 classes", "Three Gaussian blobs: scores of 3 output units through softmax.",
           "blobs", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20), {"k": 3}),
    Preset("moons", "Two moons", "Two interleaving half circles, 8 tanh hidden units.",
           "moons", (8,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
)}


def get_preset(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise ValueError(f"unknown preset {key!r}; choose one of {', '.join(PRESETS)}") from None
