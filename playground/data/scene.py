"""What a scene can be: the three modes and every limit of the app, in one place (no Qt).

The window's fields, the session-file and CSV readers and the training process all read their
ranges from here, so a value the window accepts is one a file may hold and the engine can train,
and the other way round. The training settings' ranges are the engine's own (``engine.limits``),
re-exported here so the app imports every limit from one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..engine.features import FeatureMap
from ..engine.limits import (
    CLIP_NORM,
    DECAY_FACTOR,
    HISTORY_CAPACITY,
    INVERSE_TIME_DECAY,
    L1,
    L2,
    LEARNING_RATE,
    MAX_PARAMETERS,
    MAX_SEED,
    MAX_STEPS,
    MIN_LEARNING_RATE,
    MOMENTUM,
    SCHEDULE_STEPS,
    TEST_FRACTION,
    WARMUP_STEPS,
    Range,
)
from ..engine.settings import TrainingSettings

REGRESSION, CLASSIFICATION, REGRESSION_2D = "regression", "classification", "regression-2d"

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Mode:
    """One kind of scene: how many inputs a point has, the loss, where points can be drawn, the default scene,
    the datasets that make its points. The views decide by these fields (``inputs``, ``classification``),
    not by the mode's name."""

    key: str
    label: str
    inputs: int
    loss: str
    bounds: Bounds          # the drawing area: ((x0, x1), (y0, y1)) of the plot, in data coordinates
    default_preset: str     # the scene shown when the mode is entered for the first time
    datasets: tuple[str, ...]  # the generators (data.datasets) whose points this mode takes

    @property
    def classification(self) -> bool:
        """True when a point's target is a class label (softmax outputs), False when it is a number."""
        return self.loss == "cross_entropy"


MODES: dict[str, Mode] = {
    REGRESSION: Mode(REGRESSION, "1-D regression", 1, "mse", ((-1.25, 1.25), (-1.5, 1.5)), "bishop-x2",
                     ("x2", "sin", "abs", "heaviside")),
    CLASSIFICATION: Mode(CLASSIFICATION, "2-D classification", 2, "cross_entropy", ((-1.5, 1.5), (-1.5, 1.5)), "xor",
                         ("and", "xnor", "xor", "circles", "spirals", "blobs", "moons")),
    # TensorFlow Playground's regression task: a number y at each point of the plane, fitted by one linear output
    REGRESSION_2D: Mode(REGRESSION_2D, "2-D regression", 2, "mse", ((-1.5, 1.5), (-1.5, 1.5)), "plane",
                        ("plane", "gaussian")),
}
DRAWN_VALUE = Range(-1.0, 1.0)  # the target a click adds in 2-D regression (the surface's colour scale)

# -- the network and the points ---------------------------------------------------------------------
MAX_HIDDEN_LAYERS = 6
MAX_UNITS_PER_LAYER = 64     # the window's network limit (the inspector draws fewer: engine.graph)
MAX_CLASSES = 6              # labels 0…5, one colour each
MAX_POINTS = 100_000

# -- the toolbar and the caption ---------------------------------------------------------------------
SPEED = Range(0.5, 1e6)      # steps per second of the speed box (None: full speed)
DEFAULT_SPEED = 600.0        # steps per second: fast, yet slow enough for a class to watch the fit form
MAX_CAPTION = 4000           # characters of a caption (or of any text in a session file)
MAX_NAME = 100               # characters of a preset or dataset name

# -- files ------------------------------------------------------------------------------------------
MAX_SESSION_BYTES = 16 * 2**20  # the largest session the limits allow is about 7 MB
MAX_CSV_BYTES = 16 * 2**20      # 100,000 points are at most about 6 MB of CSV
LOSS_CURVE_CAPACITY = 1024      # rows the training process keeps of each loss-plot curve


def mode_of(key) -> Mode:
    """The mode called ``key``; a ValueError names the known ones."""
    try:
        return MODES[key]
    except (KeyError, TypeError):
        raise ValueError(f"mode: expected one of {', '.join(map(repr, MODES))}, got {key!r}") from None


def mode_for(inputs: int, classification: bool) -> Mode:
    """The mode of points with ``inputs`` coordinates and class labels (or numbers) as targets."""
    for mode in MODES.values():
        if mode.inputs == inputs and mode.classification == classification:
            return mode
    raise ValueError(f"no mode has {inputs}-D points with {'class labels' if classification else 'numbers'}")


def mode_of_dataset(dataset: str) -> Mode:
    """The mode whose points the generator ``dataset`` makes."""
    for mode in MODES.values():
        if dataset in mode.datasets:
            return mode
    raise ValueError(f"dataset: no mode takes {dataset!r}")


def loss_for(mode: str) -> str:
    """The loss a mode trains with: mean squared error in regression, softmax cross-entropy in classification."""
    return mode_of(mode).loss


def output_width(mode: str, labels) -> int:
    """How many outputs the network has: 1 in regression (1-D or 2-D); in classification one per class up to
    the largest label used, and at least 2 (a softmax over one class would be constant)."""
    if not mode_of(mode).classification:
        return 1
    return max(2, int(np.max(labels)) + 1) if len(labels) else 2


@dataclass(frozen=True)
class Scene:
    """Everything a scene is besides its points and the trained weights: what a session file stores,
    what a mode switch parks, what the window shows in its controls. Change it with ``dataclasses.replace``.

    ``speed`` is steps per second (None: full speed); ``current_class`` the label new 2-D points get;
    ``current_value`` the target new points get in 2-D regression (within ``DRAWN_VALUE``);
    ``preset`` the scene last loaded; ``dataset`` and ``dataset_args`` the generator the points came from
    ("" if drawn by hand); ``features`` the keys of the feature map φ the first layer sees (None: the raw x).
    """

    mode: str = REGRESSION
    hidden: tuple[int, ...] = (3,)
    activation: str = "tanh"
    seed: int = 0
    settings: TrainingSettings = field(default_factory=TrainingSettings)
    speed: float | None = DEFAULT_SPEED
    current_class: int = 0
    caption: str = ""
    preset: str | None = None
    dataset: str = ""
    dataset_args: dict = field(default_factory=dict)
    features: tuple[str, ...] | None = None
    current_value: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(m) for m in self.hidden))
        # a copy of its own: no one edits a parked or saved scene's arguments through a shared dict
        object.__setattr__(self, "dataset_args", dict(self.dataset_args))
        # one spelling of "the raw inputs": None (not (), not the identity keys)
        if self.features is not None:
            keys = tuple(self.features)
            raw = not keys or keys == FeatureMap.identity(mode_of(self.mode).inputs).keys
            object.__setattr__(self, "features", None if raw else keys)

    def feature_map(self) -> FeatureMap | None:
        """φ for this scene's mode (None: the raw inputs); a ValueError names a key that does not fit."""
        return None if self.features is None else FeatureMap(self.features, mode_of(self.mode).inputs)

    @property
    def feature_names(self) -> tuple[str, ...]:
        """φ's features in the lecture's notation, e.g. ('x₁²', 'x₂²'); () for the raw inputs."""
        phi = self.feature_map()
        return () if phi is None else phi.names

    @property
    def input_width(self) -> int:
        """How many numbers the first layer takes: the features', else the points' dimension."""
        return mode_of(self.mode).inputs if self.features is None else len(self.features)

    def layer_sizes(self, labels) -> tuple[int, ...]:
        """The network's sizes for points labelled ``labels``: inputs, the hidden layers, the outputs."""
        return (self.input_width, *self.hidden, output_width(self.mode, labels))

    def with_mode_loss(self) -> Scene:
        """This scene with its mode's loss in the training settings."""
        loss = loss_for(self.mode)
        return self if self.settings.loss == loss else replace(self, settings=replace(self.settings, loss=loss))


__all__ = [
    "CLASSIFICATION", "CLIP_NORM", "DEFAULT_SPEED", "DRAWN_VALUE", "REGRESSION_2D", "Scene",
    "DECAY_FACTOR", "HISTORY_CAPACITY", "INVERSE_TIME_DECAY", "L1", "L2", "LEARNING_RATE",
    "LOSS_CURVE_CAPACITY", "MAX_CAPTION", "MAX_CLASSES", "MAX_CSV_BYTES", "MAX_HIDDEN_LAYERS", "MAX_NAME",
    "MAX_PARAMETERS", "MAX_POINTS", "MAX_SEED", "MAX_SESSION_BYTES", "MAX_STEPS", "MAX_UNITS_PER_LAYER",
    "MIN_LEARNING_RATE", "MODES", "MOMENTUM", "Mode", "REGRESSION", "Range", "SCHEDULE_STEPS", "SPEED",
    "TEST_FRACTION", "WARMUP_STEPS", "loss_for", "mode_for", "mode_of", "mode_of_dataset", "output_width",
]
