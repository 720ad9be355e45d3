"""Valid session files and the ways the fuzz tests damage them (shared by the data and window fuzz tests)."""

from __future__ import annotations

import copy
import json
from functools import cache

import numpy as np

from playground.data import get_preset, session_file
from playground.data.scene import Scene
from playground.data.session_file import SessionDocument
from playground.engine import Network, Trainer, TrainingSettings

TOP_LEVEL = ("format", "version", "mode", "points", "hidden", "activation", "seed", "settings", "speed",
             "current_class", "caption", "preset", "dataset", "dataset_args", "features", "trainer",
             "loss_curves", "current_value")

# Values that broke the app once: too large for a float, subnormal, not finite, the wrong type, a lone surrogate.
NASTY = [10**400, -10**400, 2**63, 2**63 - 1, 2**128, -1, 0, 1, 2, 7, 0.5, 1.5, 1e308, -1e308, 1e-320, 5e-324,
         float("nan"), float("inf"), float("-inf"), 1e300, "", "a" * 5000, "\ud800", "tanh", "adam", "step", None,
         True, [], {}, [1, 2], [[0.1, 0.2]], {"key": "exponential", "params": {"gamma": 1.5}}]


@cache
def bases() -> tuple[str, ...]:
    """A few valid session files as JSON text: classification, regression and 2-D regression, mid-epoch, with
    curves."""
    texts = []
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (30, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.intp)
    for optimizer, schedule, params in (("adam", "exponential", {"gamma": 0.99}),
                                        ("momentum", "step", {"step_size": 7, "gamma": 0.5})):
        settings = TrainingSettings(loss="cross_entropy", optimizer=optimizer, learning_rate=0.05, batch_size=7,
                                    schedule=schedule, schedule_params=params, warmup_steps=3, test_fraction=0.2)
        trainer = Trainer(Network([2, 4, 3, 2], "tanh", seed=2), X, y, settings, seed=2)
        trainer.run(12)
        history = trainer.history.state()
        accuracy = {**history, "values": np.clip(history["values"], 0.0, 1.0)}  # stand-in accuracies
        scene = Scene("classification", (4, 3), "tanh", 2, settings, speed=60.0, current_class=1,
                      caption="xor-ish", preset="xor", dataset="xor", dataset_args={"n": 30, "noise": 0.0, "seed": 0})
        doc = SessionDocument(scene, X, y, trainer=trainer.state(),
                              curves={name: accuracy if name.endswith("_acc") else history
                                      for name in session_file.CURVES})
        texts.append(session_file.dumps(doc))
    trainer, data = get_preset("bishop-x2").build()
    trainer.update(schedule="cosine", schedule_params={"total_steps": 40, "min_lr": 0.001}, clip_norm=1.0)
    trainer.run(9)
    texts.append(session_file.dumps(SessionDocument(
        Scene("regression", (3,), "tanh", 0, trainer.settings, speed=None), data.X, data.y, trainer=trainer.state())))
    texts.append(session_file.dumps(SessionDocument(
        Scene("regression", (2, 2), "relu", 5, TrainingSettings(), speed=None), data.X, data.y)))
    preset = get_preset("gaussian")  # 2-D regression: the same limits, number targets in 2-D
    X, y = preset.make_dataset().X[:40], preset.make_dataset().y[:40]
    trainer = Trainer(Network([2, 8, 8, 1], "tanh", seed=0), X, y, preset.settings)
    trainer.run(7)
    texts.append(session_file.dumps(SessionDocument(
        Scene("regression-2d", (8, 8), "tanh", 0, preset.settings, speed=None, current_value=-0.3,
              preset="gaussian", dataset="gaussian"), X, y, trainer=trainer.state())))
    return tuple(texts)


def paths(obj, prefix=()) -> list[tuple]:
    """Every path into ``obj`` (lists sampled: the first, a middle and the last element)."""
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += paths(value, (*prefix, key))
    elif isinstance(obj, list) and obj:
        for i in sorted({0, len(obj) // 2, len(obj) - 1}):
            out += paths(obj[i], (*prefix, i))
    return out


def mutate(obj, path: tuple, how: str, value) -> None:
    """Damage ``obj`` in place at ``path``: replace, delete, truncate or scale a number."""
    value = copy.deepcopy(value)  # NASTY's lists and objects must never be damaged themselves
    *head, last = path
    parent = obj
    for key in head:
        parent = parent[key]
    if how == "delete":
        del parent[last]
    elif how == "truncate" and isinstance(parent[last], list):
        parent[last] = parent[last][: len(parent[last]) // 2]
    elif how == "scale" and isinstance(parent[last], (int, float)) and not isinstance(parent[last], bool) \
            and isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            parent[last] = parent[last] * value
        except OverflowError:  # a float times an integer too large for a float
            parent[last] = value
    else:
        parent[last] = value


def to_text(obj) -> str:
    return json.dumps(obj)  # NaN and Infinity as JSON's extensions, a lone surrogate as \ud800
