"""Input feature maps φ(x): what the first layer sees instead of the raw point x.

With no hidden layer the network is the lecture's linear model on a feature map,
f(x) = wᵀφ(x) + b; with hidden layers φ(x) is the input column of the MLP. Each feature
has a stable ASCII key (typed on the command line, stored in presets and session files)
and a display name in the lecture's notation.

The data live on about [−1, 1] (1-D) and [−1, 1]² (2-D), so the sines and cosines take
πx: one full period over the data, as TensorFlow Playground's sin(x) does over its [−6, 6].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .validation import as_inputs

Array = np.ndarray


@dataclass(frozen=True)
class Feature:
    """One coordinate of φ: ``formula`` maps points X (n, n_inputs) to values (n,)."""

    key: str
    name: str
    n_inputs: int
    formula: Callable[[Array], Array]


FEATURES: dict[str, Feature] = {f.key: f for f in (
    # 1-D inputs x (regression scenes)
    Feature("x", "x", 1, lambda X: X[:, 0]),
    Feature("x^2", "x²", 1, lambda X: X[:, 0] ** 2),
    Feature("x^3", "x³", 1, lambda X: X[:, 0] ** 3),
    Feature("sin", "sin(πx)", 1, lambda X: np.sin(np.pi * X[:, 0])),
    Feature("cos", "cos(πx)", 1, lambda X: np.cos(np.pi * X[:, 0])),
    Feature("abs", "|x|", 1, lambda X: np.abs(X[:, 0])),
    # 2-D inputs (x₁, x₂) (classification scenes): TensorFlow Playground's set
    Feature("x1", "x₁", 2, lambda X: X[:, 0]),
    Feature("x2", "x₂", 2, lambda X: X[:, 1]),
    Feature("x1^2", "x₁²", 2, lambda X: X[:, 0] ** 2),
    Feature("x2^2", "x₂²", 2, lambda X: X[:, 1] ** 2),
    Feature("x1x2", "x₁x₂", 2, lambda X: X[:, 0] * X[:, 1]),
    Feature("sin_x1", "sin(πx₁)", 2, lambda X: np.sin(np.pi * X[:, 0])),
    Feature("sin_x2", "sin(πx₂)", 2, lambda X: np.sin(np.pi * X[:, 1])),
)}

RAW_KEYS = {1: ("x",), 2: ("x1", "x2")}  # φ(x) = x, the map a network without chosen features has
INPUT_DIMENSIONS = tuple(RAW_KEYS)


def feature_keys(n_inputs: int) -> tuple[str, ...]:
    """The keys of the features for ``n_inputs``-dimensional points, in display order."""
    return tuple(key for key, f in FEATURES.items() if f.n_inputs == n_inputs)


@dataclass(frozen=True)
class FeatureMap:
    """φ(x) = (φ₁(x), …, φ_F(x)) for the features ``keys`` of ``n_inputs``-dimensional points.

    Checked when made: the keys are known features for ``n_inputs`` dimensions, none is listed
    twice, and there is at least one; otherwise a ValueError names the key and lists the valid ones.
    """

    keys: tuple[str, ...]
    n_inputs: int

    def __post_init__(self):
        if self.n_inputs not in INPUT_DIMENSIONS:
            raise ValueError(f"features exist for 1-D and 2-D inputs; got {self.n_inputs!r}-D")
        if isinstance(self.keys, str):  # a bare "x1" would otherwise be read as ("x", "1")
            raise ValueError(f"features must be a sequence of keys, e.g. ({self.keys!r},); got the text {self.keys!r}")
        keys = tuple(self.keys)
        object.__setattr__(self, "keys", keys)  # a list becomes a tuple: the map stays hashable and frozen
        valid = ", ".join(feature_keys(self.n_inputs))
        if not keys:
            raise ValueError(f"choose at least one feature for {self.n_inputs}-D inputs from: {valid}")
        for i, key in enumerate(keys):
            feature = FEATURES.get(key) if isinstance(key, str) else None
            if feature is None:
                raise ValueError(f"unknown feature {key!r}; for {self.n_inputs}-D inputs choose from: {valid}")
            if feature.n_inputs != self.n_inputs:
                raise ValueError(f"feature {key!r} is for {feature.n_inputs}-D inputs, these are "
                                 f"{self.n_inputs}-D; choose from: {valid}")
            if key in keys[:i]:
                raise ValueError(f"feature {key!r} is listed twice")

    @classmethod
    def parse(cls, text: str, n_inputs: int) -> FeatureMap:
        """From comma-separated keys as typed on the command line, e.g. ``"x1^2, x2^2"``."""
        keys = tuple(part.strip() for part in text.split(","))
        if "" in keys and text.strip():
            raise ValueError(f"features {text!r} has an empty name; separate keys by single commas")
        return cls(keys if text.strip() else (), n_inputs)

    @classmethod
    def identity(cls, n_inputs: int) -> FeatureMap:
        """φ(x) = x: the raw coordinates."""
        return cls(RAW_KEYS.get(n_inputs, ()), n_inputs)  # an unknown dimension is refused by name

    @property
    def names(self) -> tuple[str, ...]:
        """Display names in the lecture's notation, e.g. ('x₁²', 'x₂²')."""
        return tuple(FEATURES[key].name for key in self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __call__(self, X) -> Array:
        """φ applied row by row: X (n, n_inputs) (or (n,) in 1-D) → (n, len(self)) float64."""
        X = as_inputs(X, self.n_inputs)
        out = np.empty((X.shape[0], len(self.keys)))
        with np.errstate(over="ignore"):  # x³ of a huge x is inf; the trainer refuses such points by name
            for j, key in enumerate(self.keys):
                out[:, j] = FEATURES[key].formula(X)
        return out

    def __str__(self) -> str:
        return ",".join(self.keys)
