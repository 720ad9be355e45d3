"""The training state and the loss curves of a session file: JSON to what the engine restores (no Qt).

The JSON is checked for shape and range here, each problem named by its JSON path; what only the
engine knows (the epoch order against the test split, Adam's moments against its update count) is
checked once by ``Trainer.restore`` when the session file builds its trainer, and its message gets
the ``trainer.`` prefix, so it names the path too.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from ..engine import DecimatingSeries
from . import json_checks as check
from .scene import (
    HISTORY_CAPACITY,
    LOSS_CURVE_CAPACITY,
    MAX_CAPTION,
    MAX_CLASSES,
    MAX_HIDDEN_LAYERS,
    MAX_POINTS,
    MAX_SEED,
    MAX_STEPS,
    MAX_UNITS_PER_LAYER,
    MODES,
    Range,
    Scene,
    output_width,
)

CURVES = ("train", "test", "train_acc", "test_acc")  # the loss plot's series, as the training process names them
LOSS_VALUES = Range(0.0, sys.float_info.max)  # a loss (and the L2 term) is never negative
ACCURACY_VALUES = Range(0.0, 1.0)
MAX_STRIDE = 2**40  # a history's steps per row: at most the steps taken (MAX_STEPS < 2⁴⁰)


def n_parameters(sizes: list[int]) -> int:
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def trainer_state(obj: dict, scene: Scene, y: np.ndarray) -> dict:
    """``Trainer.state()`` from a file's ``trainer`` object, for ``scene``'s network on points labelled ``y``."""
    mode, hidden, activation, optimizer_key = scene.mode, scene.hidden, scene.activation, scene.settings.optimizer
    d = scene.input_width
    listed = check.items(obj.get("layer_sizes"), "trainer.layer_sizes", MAX_HIDDEN_LAYERS + 2, "layer sizes")
    sizes = [check.whole(s, f"trainer.layer_sizes[{i}]", 1, max(MAX_UNITS_PER_LAYER, MAX_CLASSES))
             for i, s in enumerate(listed)]
    need = output_width(mode, y)
    classification = MODES[mode].classification
    top = MAX_CLASSES if classification else 1
    if len(sizes) < 2 or sizes[0] != d or tuple(sizes[1:-1]) != hidden or not need <= sizes[-1] <= top:
        more = f" (or up to {MAX_CLASSES} outputs)" if classification else ""
        raise ValueError(f"trainer.layer_sizes: expected {[d, *hidden, need]}{more} for hidden "
                         f"{list(hidden)} in {mode} mode, got {sizes}")
    if obj.get("activation") != activation:
        raise ValueError(f"trainer.activation: expected {activation!r} (the session's activation), "
                         f"got {check.show(obj.get('activation'))}")
    size = n_parameters(sizes)
    n_expected = f"expected {size} numbers for layers {sizes}"
    features = None if scene.features is None else list(scene.features)
    if obj.get("features") != features:  # the same shapes on other features would be other weights
        expected = "null (the raw inputs)" if features is None else f"{features} (the session's features)"
        raise ValueError(f"trainer.features: expected {expected}, got {check.show(obj.get('features'))}")
    state: dict[str, Any] = {"layer_sizes": sizes, "activation": activation, "features": features}
    state["parameters"] = check.floats(obj.get("parameters"), "trainer.parameters", (size,), 10 * size + 1000,
                                       expected=n_expected)
    state["seed"] = check.whole(obj.get("seed"), "trainer.seed", 0, MAX_SEED)
    state["step"] = check.whole(obj.get("step"), "trainer.step", 0, MAX_STEPS)
    state["epoch"] = check.whole(obj.get("epoch"), "trainer.epoch", 0, state["step"])
    diverged = obj.get("diverged")
    state["diverged"] = None if diverged is None else check.text(diverged, "trainer.diverged", MAX_CAPTION)
    state["optimizer"] = _optimizer(check.obj(obj.get("optimizer"), "trainer.optimizer"), optimizer_key, size,
                                    n_expected)
    state["rng"] = _rng(check.obj(obj.get("rng"), "trainer.rng"))
    cursor = obj.get("cursor")
    if cursor is None:
        state["order"], state["cursor"] = None, None
    else:
        n = len(y)
        state["cursor"] = check.whole(cursor, "trainer.cursor", 0, 2 * MAX_POINTS)  # within a batch past n
        order = check.floats(obj.get("order"), "trainer.order", (None,), n, "indices",
                             allowed=Range(0, max(n - 1, 0)))
        if (order != np.round(order)).any():
            raise ValueError("trainer.order: expected whole numbers (indices of training points)")
        state["order"] = order.astype(np.intp)
    history = obj.get("history")
    state["history"] = None if history is None else series(check.obj(history, "trainer.history"), "trainer.history",
                                                            HISTORY_CAPACITY)
    return state


def _optimizer(obj: dict, key: str, size: int, n_expected: str) -> dict:
    if obj.get("key") != key:
        raise ValueError(f"trainer.optimizer.key: expected {key!r} (settings.optimizer), "
                         f"got {check.show(obj.get('key'))}")
    out: dict[str, Any] = {"key": key, "t": check.whole(obj.get("t"), "trainer.optimizer.t", 0, MAX_STEPS)}
    if key == "adam":
        out["updates"] = check.whole(obj.get("updates"), "trainer.optimizer.updates", 0, MAX_STEPS)
    for name in ("m", "v") if key == "adam" else ("buffer",):
        value = obj.get(name)
        out[name] = None if value is None else check.floats(value, f"trainer.optimizer.{name}", (size,),
                                                            10 * size + 1000, expected=n_expected)
    return out


def _rng(obj: dict) -> dict:
    if obj.get("bit_generator") != "PCG64":
        raise ValueError(f"trainer.rng.bit_generator: expected 'PCG64', got {check.show(obj.get('bit_generator'))}")
    inner = check.obj(obj.get("state"), "trainer.rng.state")
    return {"bit_generator": "PCG64",
            "state": {name: check.whole(inner.get(name), f"trainer.rng.state.{name}", 0, 2**128 - 1)
                      for name in ("state", "inc")},
            "has_uint32": check.whole(obj.get("has_uint32", 0), "trainer.rng.has_uint32", 0, 1),
            "uinteger": check.whole(obj.get("uinteger", 0), "trainer.rng.uinteger", 0, 2**32 - 1)}


def series(obj: dict, path: str, capacity: int, values_in: Range = LOSS_VALUES) -> dict:
    """``DecimatingSeries.state()`` that a series of ``capacity`` rows restores (fewer rows than that),
    its values (or null for a gap) inside ``values_in``."""
    rows = capacity - 1
    steps = check.floats(obj.get("steps"), f"{path}.steps", (None,), rows, "rows",
                         allowed=Range(0, MAX_STEPS))
    values = check.floats(obj.get("values"), f"{path}.values", (len(steps),), rows, allow_null=True,
                          allowed=values_in,
                          expected=f"expected {len(steps)} values (one per step)")
    window_sum = obj.get("window_sum", 0.0)
    window_count = check.whole(obj.get("window_count", 0), f"{path}.window_count", 0, MAX_STRIDE)
    # the open window sums `window_count` values of the series: a sum outside that made the next value leave
    # the range (a negative loss), and the app then refused to save its own file (found by the long fuzz run)
    sum_in = Range(values_in.low * window_count, min(values_in.high * window_count, sys.float_info.max))
    state = {"capacity": capacity,
             "stride": check.whole(obj.get("stride"), f"{path}.stride", 1, MAX_STRIDE),
             "steps": steps, "values": values,
             "window_sum": math.nan if window_sum is None else check.number(window_sum, f"{path}.window_sum", sum_in),
             "window_count": window_count}
    try:
        DecimatingSeries(capacity).restore(state)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return state


def curves(obj: dict) -> dict:
    """The loss plot's four curves; they are recorded together, so they share their steps. A file may
    give fewer: the missing ones come back empty (NaN) over the same steps."""
    unknown = sorted(set(obj) - set(CURVES))
    if unknown:
        raise ValueError(f"loss_curves.{unknown[0]}: unknown curve (known: {', '.join(CURVES)})")
    given = {name: series(check.obj(obj[name], f"loss_curves.{name}"), f"loss_curves.{name}", LOSS_CURVE_CAPACITY,
                          ACCURACY_VALUES if name.endswith("_acc") else LOSS_VALUES)
             for name in CURVES if name in obj}
    if not given:
        return {}
    first, reference = next(iter(given.items()))
    for name, state in given.items():
        for key in ("stride", "window_count"):
            if state[key] != reference[key]:
                raise ValueError(f"loss_curves.{name}.{key}: expected {reference[key]} like loss_curves.{first}, "
                                 f"got {state[key]}")
        if not np.array_equal(state["steps"], reference["steps"]):
            raise ValueError(f"loss_curves.{name}.steps: expected the same steps as loss_curves.{first} "
                             f"(the curves are recorded together)")
    for name in CURVES:
        if name not in given:
            given[name] = {**reference, "steps": reference["steps"].copy(),
                           "values": np.full(len(reference["steps"]), np.nan), "window_sum": math.nan}
    return {name: given[name] for name in CURVES}

