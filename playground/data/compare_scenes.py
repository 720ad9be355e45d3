"""The lecture's contrasts as compare scenes, by key (beside ``PRESETS``; no key is in both).

Each scene's step budget shows its point within about 30 s at the window's default 600 steps/s
(at most 18,000 steps). tests/test_data_compare.py trains every scene and checks the lecture's claim
with the numbers measured there.
"""

from __future__ import annotations

from dataclasses import replace

from ..engine import TrainingSettings
from .compare import CompareScene, Run
from .presets import PRESETS, Preset, get_preset


def _with(key: str, **changes) -> Preset:
    """A copy of the preset ``key`` with ``changes`` (``settings`` given as a dict of changed fields)."""
    preset = get_preset(key)
    settings = changes.pop("settings", {})
    return replace(preset, settings=replace(preset.settings, **settings), **changes)


def _parameter_count(sizes: tuple[int, ...]) -> int:
    """Weights and biases of a network with layer sizes ``sizes``: Σ (fan_in·fan_out + fan_out)."""
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def _deep_vs_wide(layers: tuple[int, ...]) -> Run:
    """A spiral network (2 inputs, 2 classes) labelled by its shape and parameter count."""
    shape = f"{len(layers)} layer{'s' * (len(layers) > 1)} × {layers[0]} units"
    return Run(f"{shape} ({_parameter_count((2, *layers, 2))} parameters)", hidden=layers)


_RIDGE_BASE = Preset(
    "ridge-fit", "", "", "sin", (50,), "tanh",
    TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.01, test_fraction=0.5), {"n": 20, "noise": 0.3})

COMPARE_SCENES: dict[str, CompareScene] = {s.key: s for s in (
    CompareScene(
        "compare-feature-map", "Feature map vs learned features",
        "f(x) = wᵀφ(x): a linear model on the hand-made features φ(x) = (x₁², x₂²) separates the circles; an MLP "
        "learns its own features from the raw x; the same linear model on the raw x cannot.",
        get_preset("circles"),
        (Run("linear on φ(x) = (x₁², x₂²)", hidden=(), features=("x1^2", "x2^2")),
         Run("MLP on raw x (4 tanh units)", hidden=(4,), features=()),
         Run("linear on raw x", hidden=(), features=())),
        steps=3000),
    CompareScene(
        "compare-xnor", "A single perceptron cannot do XNOR",
        "Fire when the two inputs agree: with no hidden layer the boundary is one line and no line separates "
        "(0,0), (1,1) from (0,1), (1,0); one hidden layer of 2 units recodes the corners and solves it.",
        get_preset("xnor"),
        (Run("no hidden layer", hidden=()), Run("1 hidden layer, 2 units", hidden=(2,))),
        steps=2000),
    CompareScene(
        "compare-units", "Universal approximation: more hidden units",
        "F̂(x) = Σᵢ wᵢσ(vᵢx + bᵢ): one hidden layer can approximate any continuous function on a bounded set "
        "if it may be wide enough. On |x| the training error falls as the units grow from 1 to 50.",
        _with("bishop-abs", activation="tanh", settings={"optimizer": "adam", "learning_rate": 0.01}),
        tuple(Run(f"{m} unit{'s' * (m > 1)}", hidden=(m,)) for m in (1, 3, 10, 50)),
        steps=4000),
    CompareScene(
        "compare-deep-wide", "Deep vs wide at about equal parameter count",
        "Wider: more hidden units (as in the approximation theorem). Deeper: more hidden layers. With about "
        "the same number of parameters, two layers untangle the spirals where one wide layer is still stuck.",
        _with("spiral", activation="tanh"),
        (_deep_vs_wide((22,)), _deep_vs_wide((8, 8))),
        steps=6000),
    CompareScene(
        "compare-restarts", "Restarts and local minima",
        "The loss is not convex in θ: we might converge to a local minimum. Rerun with a different "
        "initialization: the same 3 logistic units on |x| end in a good minimum from seeds 0 and 1, "
        "and in a worse one from seeds 6 and 8.",
        _with("bishop-abs", settings={"optimizer": "adam", "learning_rate": 0.03}),
        tuple(Run(f"seed {seed}", seed=seed) for seed in (0, 1, 6, 8)),
        steps=10_000),
    CompareScene(
        "compare-flat", "Flat regions: sigmoid vs ReLU",
        "Flat region: low gradient magnitude. Possible solution: use ReLU instead of sigmoid. The same spiral "
        "network with plain SGD at 0.1: saturated logistic units barely move, ReLU units untangle the spirals.",
        _with("spiral", settings={"optimizer": "sgd", "learning_rate": 0.1}),
        (Run("logistic", activation="logistic"), Run("tanh", activation="tanh"), Run("ReLU", activation="relu")),
        steps=3000),
    CompareScene(
        "compare-curvature", "High curvature: clipping and adaptive steps",
        "High curvature: large gradient magnitude. Possible solutions: gradient clipping, adaptive step sizes. "
        "At learning rate 1 plain SGD diverges; clipping the gradient's norm at 0.1 survives; Adam adapts its steps.",
        _with("bishop-x2", settings={"optimizer": "sgd", "learning_rate": 1.0}),
        (Run("SGD"), Run("SGD, clipped at 0.1", settings={"clip_norm": 0.1}),
         Run("Adam", settings={"optimizer": "adam"})),
        steps=5000),
    CompareScene(
        "compare-ridge", "Ridge: λ smooths the fit",
        "J = ℓ + λwᵀw. 50 tanh units on 10 noisy training points: with λ = 0 the fit runs through every point "
        "and misses the held-out ones; a larger λ keeps the weights small, the fit smooth, the test loss low.",
        _RIDGE_BASE,
        tuple(Run(f"λ = {l2:g}", settings={"l2": l2}) for l2 in (0.0, 0.001, 0.01)),
        steps=6000),
    CompareScene(
        "compare-lr-schedule", "Learning rate: constant vs staircase vs cosine",
        "Start with a higher learning rate then decay towards zero (staircase 10×, cosine): SGD's update has a "
        "noise term from the sampled points; a constant rate hovers on a noisy plateau, a decayed one settles lower.",
        get_preset("lr-staircase"),
        (Run("constant", settings={"schedule": "constant", "schedule_params": {}}),
         Run("staircase 10× every 1500 steps"),
         Run("cosine", settings={"schedule": "cosine", "schedule_params": {"total_steps": 4500}})),
        steps=4500),
)}

if set(COMPARE_SCENES) & set(PRESETS):  # a key names one scene, whichever registry holds it
    raise ValueError(f"compare scene keys clash with presets: {sorted(set(COMPARE_SCENES) & set(PRESETS))}")


def get_scene(key: str) -> CompareScene | Preset:
    """The compare scene or the one-run preset named ``key``; a ValueError lists both registries' keys."""
    if key in COMPARE_SCENES:
        return COMPARE_SCENES[key]
    if key in PRESETS:
        return PRESETS[key]
    raise ValueError(f"unknown preset {key!r}; choose one of {', '.join([*PRESETS, *COMPARE_SCENES])}")
