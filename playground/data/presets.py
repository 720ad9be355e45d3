"""Lecture scenes: a dataset, a network and training settings, with a one-line caption."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine import Network, ParameterVector, Trainer, TrainingSettings
from .datasets import Dataset, make_dataset

# The slides' words: "3 hidden units; tanh (or logistic) activation functions. Blue dots are training
# points; dashed lines are hidden unit outputs; final output in red." (Bishop, PRML Fig 5.3)
UNIT_OUTPUTS = "dashed lines are hidden unit outputs"
# What the same words must say while the fit view shows contributions instead (ui/main_window.py swaps them)
UNIT_CONTRIBUTIONS = "dashed lines are the units' contributions wᵢ·hᵢ(x), dotted the output bias"
BISHOP_CAPTION = ("3 hidden units; {activation} activation functions. Blue dots are training points; "
                  + UNIT_OUTPUTS + "; final output in red. (Bishop, PRML Fig 5.3)")


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
    # Hand-set scenes (the lecture's perceptrons): per layer, W as nested tuples (fan_out, fan_in) and b (fan_out,).
    weights: tuple | None = None
    biases: tuple | None = None

    def hand_set_parameters(self, layer_sizes) -> np.ndarray | None:
        """The flat (P,) parameter vector of a hand-set scene for ``layer_sizes``, or None for a trained scene."""
        if self.weights is None:
            return None
        params = ParameterVector(tuple(layer_sizes))
        if len(self.weights) != len(params.weights) or len(self.biases) != len(params.biases):
            raise ValueError(f"preset {self.key!r} sets {len(self.weights)} layers; the network has {len(params.weights)}")
        for W, b, W_set, b_set in zip(params.weights, params.biases, self.weights, self.biases):
            W[...], b[...] = np.array(W_set, dtype=np.float64), np.array(b_set, dtype=np.float64)
        return params.flat

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
        hand_set = self.hand_set_parameters(network.layer_sizes)
        if hand_set is not None:
            network.parameters[...] = hand_set
        return Trainer(network, data.X, data.y, self.settings, seed=seed), data


# Full-batch gradient descent with momentum 0.9 at 0.3 converges calmly: Adam at 0.03 (the old default) threw
# the loss from 1e-5 back up by 100× again and again as its step normalization met tiny gradients, and the fit
# visibly jumped. Each scene's seed is one where all three units end up doing visible work (on x² most seeds
# leave one unit flat): tests/test_data_presets.py checks both, with the measurements.
BISHOP_SETTINGS = TrainingSettings(loss="mse", optimizer="momentum", learning_rate=0.3, momentum=0.9)


def _bishop(key: str, dataset: str, title: str, seed: int, activation: str = "tanh", caption: str = "") -> Preset:
    return Preset(key, title, BISHOP_CAPTION.format(activation=activation) + caption, dataset, (3,), activation,
                  BISHOP_SETTINGS, {"n": 50}, seed=seed)


def _classifier(**settings) -> TrainingSettings:
    return TrainingSettings(loss="cross_entropy", optimizer="adam", **settings)


PRESETS: dict[str, Preset] = {p.key: p for p in (
    _bishop("bishop-x2", "x2", "Approximation ability: f(x) = x²", 15),
    # The slides fit sin and |x| with logistic units (Bishop's figure uses tanh; σ(z) = (1 + tanh(z/2))/2,
    # so both fit the same curves).
    _bishop("bishop-sin", "sin", "Approximation ability: f(x) = sin(πx)", 0, "logistic",
            " The slide writes sin(x); as in Bishop's figure, one period sin(πx) is plotted on −1 ≤ x ≤ 1."),
    _bishop("bishop-abs", "abs", "Approximation ability: f(x) = |x|", 13, "logistic"),
    _bishop("bishop-heaviside", "heaviside", "Approximation ability: Heaviside step", 0, "tanh",
            " The step is Bishop's panel (d); the slides show the other three."),
    Preset("and-gate", "Perceptron as a logic gate: AND",
           "No hidden layer: both class scores are linear in (i₁, i₂), so the boundary between them is one line, "
           "and it can separate (1,1) from the other corners.",
           "and", (), "tanh", _classifier(learning_rate=0.1)),
    # The lecture's hand-set perceptrons. A step unit fires (h = 1) when w·i ≥ θ, with θ = −b. The engine's
    # last layer is affine + softmax, so it reads the step units out as class scores: class 1 scores 0,
    # class 2 scores 4·(Σ h) − 2, so "class 2" (label 1) is exactly the lecture's output o = 1, never a tie.
    Preset("and-perceptron", "Perceptron by hand: AND (w₁ = w₂ = 1, θ = 2)",
           "A step unit fires when w₁i₁ + w₂i₂ ≥ θ = 2: only (1,1) gets there; the softmax layer reads it out "
           "as class 2. Step units do not train; double-click a weight to change it.",
           "and", (1,), "step", _classifier(learning_rate=0.1),
           weights=(((1.0, 1.0),), ((0.0,), (4.0,))), biases=((-2.0,), (0.0, -2.0))),
    Preset("xnor-perceptron", "Multilayer perceptron by hand: XNOR",
           "Hidden inputs i₁ + i₂ (θ = 2) and −i₁ − i₂ (θ = 0) recode the corners so one line separates them, "
           "as in the lecture's table. Double-click a weight to change it.",
           "xnor", (2,), "step", _classifier(learning_rate=0.1),
           weights=(((1.0, 1.0), (-1.0, -1.0)), ((0.0, 0.0), (4.0, 4.0))), biases=((-2.0, 0.0), (0.0, -2.0))),
    Preset("xnor", "XNOR needs a hidden layer",
           "Fire when the two inputs agree: 2 hidden units recode the input so the classes become linearly separable.",
           "xnor", (2,), "tanh", _classifier(learning_rate=0.1)),
    Preset("xor", "XOR of the signs",
           "Class 2 (orange) where x₁ and x₂ have the same sign, class 1 (blue) where they differ: 4 tanh hidden units.",
           "xor", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
    Preset("circles", "Two circles", "A ring around a disk: no line separates them, 4 hidden units can.",
           "circles", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
    Preset("spiral", "Two spirals", "A deep MLP (2 hidden layers of 16 ReLU units) untangles two spirals.",
           "spirals", (16, 16), "relu", _classifier(learning_rate=0.01, batch_size=20)),
    Preset("blobs", "Softmax for k = 3 classes", "Three Gaussian blobs: scores of 3 output units through softmax.",
           "blobs", (4,), "tanh", _classifier(learning_rate=0.03, batch_size=20), {"k": 3}),
    Preset("moons", "Two moons", "Two interleaving half circles, 8 tanh hidden units.",
           "moons", (8,), "tanh", _classifier(learning_rate=0.03, batch_size=20)),
    # The lecture's "Learning rate" slide. SGD on minibatches of 5 noisy points hovers above the best fit
    # (its update has a noise term from the sampled points); the 10x drop at step 1500 shrinks that term and the
    # loss falls to a lower, calmer plateau (about 0.08 to 0.05, noise floor 0.04; tests/test_data_presets.py).
    Preset("lr-staircase", "Learning rate: start high, then decay (staircase 10×)",
           "SGD on noisy points, minibatches of 5: the learning rate drops 10× every 1500 steps, down to a floor "
           "of 0.003. The update's noise term from the sampled points shrinks with it, and the loss falls to a "
           "lower plateau.",
           "sin", (8,), "tanh",
           TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.3, batch_size=5, schedule="step",
                            # two drops, then the floor: without one the rate sank to 1e-17 and the plot
                            # squeezed the lecture's drop into its first tenth
                            schedule_params={"step_size": 1500, "gamma": 0.1, "min_lr": 0.003}),
           {"n": 100, "noise": 0.2}),
    # TensorFlow Playground's regression task (the lecture has no slide on it): one linear output, squared error
    Preset("plane", "2-D regression: a plane (TensorFlow Playground)",
           "Each point carries a number y = 0.6(x₁ + x₂) plus noise, coloured blue above 0 and orange below. "
           "The background is the network's output surface in the same colours. With no hidden layer the "
           "output is a plane already: a linear model fits it.",
           "plane", (), "tanh", TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.03, batch_size=20,
                                                  test_fraction=0.25)),
    Preset("gaussian", "2-D regression: six bumps (TensorFlow Playground)",
           "Each point carries a number: +1 or −1 on six bumps, 0 between them. The background is the network's "
           "output surface (blue above 0, orange below). 8 tanh units in each of 2 hidden layers shape the bumps.",
           "gaussian", (8, 8), "tanh", TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.03,
                                                        batch_size=20, test_fraction=0.25)),
    # The lecture's worked example of backprop on a computation graph: no hidden layer and λ > 0, so the
    # inspector draws exactly the slide's nodes ŷ, r, ℓ, R and J (tests/test_data_compare.py checks the
    # trained line against the closed-form ridge solution).
    Preset("least-squares-ridge", "Linear least squares and ridge: the backprop example",
           "J(w, b) = [(wᵀx + b) − y]² + λwᵀw with prediction ŷ, residual r = y − ŷ, loss ℓ = r², "
           "regularization R = λwᵀw, objective J = ℓ + R. Open the backprop inspector (Ctrl+I) and click a point.",
           "sin", (), "linear",
           TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.1, l2=0.1), {"n": 10, "noise": 0.1}),
)}


def get_preset(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise ValueError(f"unknown preset {key!r}; choose one of {', '.join(PRESETS)}") from None
