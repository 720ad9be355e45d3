"""The scene and the points of a session file: its JSON to a checked ``Scene`` and point arrays (no Qt).

Every value is checked for type, range, finiteness and shape (the ranges are ``scene``'s); a problem raises
ValueError whose message starts with the value's JSON path, which ``session_file`` turns into its
``SessionFileError``, as it does for ``json_checks`` and ``session_state``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from ..engine import ACTIVATIONS, OPTIMIZERS, SCHEDULES, TrainingSettings
from ..engine.features import FeatureMap, feature_keys
from . import json_checks as check
from .bounded_read import one_line
from .scene import (
    CLIP_NORM,
    DRAWN_VALUE,
    L1,
    L2,
    LEARNING_RATE,
    MAX_CAPTION,
    MAX_CLASSES,
    MAX_HIDDEN_LAYERS,
    MAX_NAME,
    MAX_POINTS,
    MAX_SEED,
    MAX_UNITS_PER_LAYER,
    MODES,
    MOMENTUM,
    SPEED,
    TEST_FRACTION,
    WARMUP_STEPS,
    Range,
    Scene,
    loss_for,
)

COORDINATE = Range(-1e6, 1e6)  # a point's inputs and regression target: far beyond any plot, never overflowing
DATASET_ARGS = {"n": Range(1, MAX_POINTS), "noise": Range(0.0, 10.0), "seed": Range(0, MAX_SEED),
                "k": Range(2, MAX_CLASSES)}  # the generators' arguments a file may record
WHOLE_DATASET_ARGS = ("n", "seed", "k")


def read_scene(obj: dict, mode: str, version: int) -> Scene:
    """The scene of a session file's top-level object whose "mode" (``mode``) and points were read already;
    a version 1 file has no feature map."""
    hidden = _hidden(obj.get("hidden"))
    activation = check.choice(obj.get("activation"), "activation", ACTIVATIONS)
    seed = check.whole(obj.get("seed"), "seed", 0, MAX_SEED)
    settings = _settings(check.obj(obj.get("settings"), "settings"), mode)
    speed = obj.get("speed")
    if speed is not None:
        speed = check.number(speed, "speed", SPEED)  # steps per second; null is full speed
    current_class = check.whole(obj.get("current_class", 0), "current_class", 0, MAX_CLASSES - 1)
    current_value = check.number(obj.get("current_value", Scene.current_value), "current_value", DRAWN_VALUE)
    caption = check.text(obj.get("caption", ""), "caption", MAX_CAPTION)
    preset = obj.get("preset")
    if preset is not None:
        preset = check.text(preset, "preset", MAX_NAME)
    dataset = check.text(obj.get("dataset", ""), "dataset", MAX_NAME)
    dataset_args = _dataset_args(check.obj(obj.get("dataset_args", {}), "dataset_args"))
    features = _features(obj.get("features"), mode) if version >= 2 else None
    return Scene(mode, hidden, activation, seed, settings, speed, current_class, caption, preset, dataset,
                 dataset_args, features, current_value)


def read_points(points: dict, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """X and y of ``mode``'s points: targets for regression, labels 0…5 for classification."""
    d = MODES[mode].inputs
    X = check.floats(points.get("X"), "points.X", (None, d), MAX_POINTS, "points", allowed=COORDINATE)
    n = X.shape[0]
    if not MODES[mode].classification:
        y = check.floats(points.get("y"), "points.y", (n, 1), MAX_POINTS, "points", allowed=COORDINATE,
                         expected=f"expected {n} targets (one per point of points.X)")
        return X, y
    labels = check.items(points.get("y"), "points.y", MAX_POINTS, "labels")
    if len(labels) != n:
        raise ValueError(f"points.y: expected {n} labels (one per point of points.X), got {len(labels)}")
    # fast path: all ints (not bools, which numpy would take for 0 and 1), range checked by numpy;
    # otherwise the first bad label is named
    y = np.array(labels, dtype=np.int64) if all(type(v) is int and -1 < v < MAX_CLASSES for v in labels) else None
    if y is None:
        y = np.array([check.whole(v, f"points.y[{i}]", 0, MAX_CLASSES - 1) for i, v in enumerate(labels)])
    return X, y.astype(np.intp).reshape(n)


def _features(value, mode: str) -> tuple[str, ...] | None:
    """The feature keys of φ (null: the raw inputs), each a feature of ``mode``'s points."""
    if value is None:
        return None
    keys = check.items(value, "features", len(feature_keys(MODES[mode].inputs)), "features")
    for j, key in enumerate(keys):
        check.choice(key, f"features[{j}]", feature_keys(MODES[mode].inputs))
    try:
        FeatureMap(tuple(keys), MODES[mode].inputs)  # e.g. a key listed twice
    except ValueError as exc:
        raise ValueError(f"features: {one_line(exc)}") from None
    return tuple(keys)


def _hidden(value) -> tuple[int, ...]:
    layers = check.items(value, "hidden", MAX_HIDDEN_LAYERS, "hidden layers")
    return tuple(check.whole(m, f"hidden[{j}]", 1, MAX_UNITS_PER_LAYER) for j, m in enumerate(layers))


def _dataset_args(obj: dict) -> dict:
    out = {}
    for key, value in obj.items():
        if key not in DATASET_ARGS:
            raise ValueError(f"dataset_args.{check.show(key)[1:-1]}: unknown (known: {', '.join(DATASET_ARGS)})")
        allowed = DATASET_ARGS[key]
        out[key] = (check.whole(value, f"dataset_args.{key}", int(allowed.low), int(allowed.high))
                    if key in WHOLE_DATASET_ARGS else check.number(value, f"dataset_args.{key}", allowed))
    return out


def _settings(obj: dict, mode: str) -> TrainingSettings:
    loss = loss_for(mode)
    known = {f.name for f in fields(TrainingSettings)} - {"schedule_params"}
    unknown = sorted(set(obj) - known)
    if unknown:
        raise ValueError(f"settings.{check.show(unknown[0])[1:-1]}: unknown setting")
    if obj.get("loss", loss) != loss:
        raise ValueError(f"settings.loss: expected {loss!r} for a {mode} session, "
                               f"got {check.show(obj.get('loss'))}")
    values: dict[str, Any] = {"loss": loss}
    if "optimizer" in obj:
        values["optimizer"] = check.choice(obj["optimizer"], "settings.optimizer", OPTIMIZERS)
    for name, allowed in (("learning_rate", LEARNING_RATE), ("momentum", MOMENTUM), ("l2", L2), ("l1", L1),
                          ("test_fraction", TEST_FRACTION)):
        if name in obj:
            values[name] = check.number(obj[name], f"settings.{name}", allowed)
    if obj.get("clip_norm") is not None:
        values["clip_norm"] = check.number(obj["clip_norm"], "settings.clip_norm", CLIP_NORM)
    if obj.get("batch_size") is not None:
        values["batch_size"] = check.whole(obj["batch_size"], "settings.batch_size", 1, MAX_POINTS)
    if "warmup_steps" in obj:
        values["warmup_steps"] = check.whole(obj["warmup_steps"], "settings.warmup_steps", 0, int(WARMUP_STEPS.high))
    if "schedule" in obj:
        schedule = check.obj(obj["schedule"], "settings.schedule")
        values["schedule"] = check.choice(schedule.get("key"), "settings.schedule.key", SCHEDULES)
        params = check.obj(schedule.get("params", {}), "settings.schedule.params")
        if len(params) > 4:
            raise ValueError(f"settings.schedule.params: {len(params)} entries; a schedule has at most 2")
        values["schedule_params"] = {check.text(k, "settings.schedule.params", 40):
                                     check.number(v, f"settings.schedule.params.{k}") for k, v in params.items()}
        for name in ("step_size", "total_steps"):
            if name in values["schedule_params"] and float(values["schedule_params"][name]).is_integer():
                values["schedule_params"][name] = int(values["schedule_params"][name])
    try:
        return TrainingSettings(**values).validated()
    except (ValueError, TypeError) as exc:
        raise ValueError(f"settings: {one_line(exc)}") from None
