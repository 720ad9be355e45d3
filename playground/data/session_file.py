"""Session files: the versioned JSON format, its validation, and atomic saving (no Qt).

A session file holds everything needed to reopen a playground exactly where it was: the
mode, the points, the network, the training settings, and the trainer's full state
(parameters, optimizer state, shuffling generator, epoch order), so the next training
steps after opening give the same numbers as continuing the original. The README's
"Session files" section documents the format field by field.

Opening never executes anything: the file is parsed with ``json`` and every value is
checked (type, range, finiteness, shape, size) before a ``SessionDocument`` is made. A
problem raises ``SessionFileError`` whose message starts with the JSON path of the bad
value, e.g. ``points.X[3][1]: expected a number, got 'abc'``.

Saving writes a temporary file in the same directory, flushes and fsyncs it, then renames
it over the target (``os.replace``), so a crash mid-save never leaves a broken file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import ACTIVATIONS, OPTIMIZERS, SCHEDULES, Network, Trainer, TrainingSettings
from ..engine.history import DecimatingSeries
from .points import MAX_CLASSES

FORMAT = "neural-playground-session"
VERSION = 1
SUFFIX = ".json"

REGRESSION, CLASSIFICATION = "regression", "classification"
MODES = {REGRESSION: (1, "mse"), CLASSIFICATION: (2, "cross_entropy")}  # mode -> (inputs, loss)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_POINTS = 100_000
MAX_HIDDEN_LAYERS, MAX_UNITS = 6, 64   # the window's limits
MAX_HISTORY = 4096                      # rows of a loss history (the engine keeps ≤ 2048)
MAX_TEXT = 4000                         # characters of a caption or a message
MAX_SEED = 2**63 - 1
CURVES = ("train", "test", "train_acc", "test_acc")  # the loss plot's series, as the worker names them


class SessionFileError(ValueError):
    """A session file that cannot be opened; the message says where and what is wrong."""


@dataclass(frozen=True)
class SessionDocument:
    """One saved session.

    X: (n, 1) inputs and y: (n, 1) float targets in "regression" mode; X: (n, 2) and y: (n,)
    integer labels 0…5 in "classification" mode. ``trainer`` is ``Trainer.state()`` (None: a
    fresh network from ``seed``); ``curves`` maps the loss plot's series names to
    ``DecimatingSeries.state()``. ``speed`` is steps per second, None for full speed.
    """

    mode: str
    X: np.ndarray
    y: np.ndarray
    hidden: tuple[int, ...]
    activation: str
    seed: int
    settings: TrainingSettings
    speed: float | None = None
    current_class: int = 0
    caption: str = ""
    preset: str | None = None
    trainer: dict | None = None
    curves: dict | None = None
    dataset: str = ""  # the dataset key the points were generated from ("" if drawn by hand)
    dataset_args: dict = field(default_factory=dict)  # its generator's n, noise, seed (the Data panel's fields)

    @property
    def layer_sizes(self) -> list[int]:
        """The network's sizes: the trainer state's (its output layer may be wider) or [d, *hidden, k]."""
        if self.trainer is not None:
            return list(self.trainer["layer_sizes"])
        d, _ = MODES[self.mode]
        k = 1 if self.mode == REGRESSION else max(2, int(self.y.max()) + 1 if len(self.y) else 2)
        return [d, *self.hidden, k]


# -- writing ---------------------------------------------------------------------------------------


def to_json_dict(doc: SessionDocument) -> dict:
    """The document as JSON-ready values (numpy arrays become nested lists of floats)."""
    s = doc.settings
    settings = {f.name: getattr(s, f.name) for f in fields(TrainingSettings)}
    settings["schedule"] = {"key": s.schedule, "params": dict(s.schedule_params)}
    del settings["schedule_params"]
    y = doc.y.astype(int).tolist() if doc.mode == CLASSIFICATION else doc.y.tolist()
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "mode": doc.mode,
        "points": {"X": doc.X.tolist(), "y": y},
        "hidden": list(doc.hidden),
        "activation": doc.activation,
        "seed": int(doc.seed),
        "settings": settings,
        "speed": doc.speed,
        "current_class": int(doc.current_class),
        "caption": doc.caption,
        "preset": doc.preset,
        "dataset": doc.dataset,
        "dataset_args": _plain(dict(doc.dataset_args)),
        "trainer": None if doc.trainer is None else _plain(doc.trainer),
    }
    if doc.curves is not None:
        out["loss_curves"] = {name: _plain(state) for name, state in doc.curves.items()}
    return out


def _plain(value):
    """Arrays to lists (NaN to null: a loss history has gaps), numpy scalars to Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iub":
            return value.astype(int).tolist()
        return [_plain(v) for v in value] if value.ndim > 1 else \
            [None if not math.isfinite(v) else v for v in value.astype(float).tolist()]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(doc: SessionDocument) -> str:
    """Indented JSON with every array on one line (readable, and diffs stay small)."""
    arrays: list[str] = []

    def compact(value):
        if isinstance(value, dict):
            return {k: compact(v) for k, v in value.items()}
        if isinstance(value, list) and value and not isinstance(value[0], dict):
            arrays.append(json.dumps(value, separators=(",", ":"), allow_nan=False))
            return f"\u0000array{len(arrays) - 1}\u0000"
        return value

    text = json.dumps(compact(to_json_dict(doc)), indent=2, ensure_ascii=False, allow_nan=False)
    for i, array in enumerate(arrays):
        text = text.replace(f'"\\u0000array{i}\\u0000"', array, 1)
    return text + "\n"


def write_atomic(path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory, fsync, then rename.

    Either the old file or the complete new one is there afterwards, whatever happens midway.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)


def save(path, doc: SessionDocument) -> None:
    write_atomic(path, dumps(doc).encode("utf-8"))


# -- reading ---------------------------------------------------------------------------------------


def load(path) -> SessionDocument:
    """Read and validate a session file; ``SessionFileError`` (or OSError) says what is wrong."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SessionFileError(f"{path.name}: {size / 1e6:.0f} MB is larger than a session file can be "
                               f"({MAX_FILE_BYTES // 2**20} MB)")
    return loads(path.read_bytes())


def loads(data: bytes | str) -> SessionDocument:
    """Parse and validate the text of a session file."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SessionFileError("not a session file: it is not UTF-8 text (a session file is JSON)") from None
    if not data.strip():
        raise SessionFileError("the file is empty")
    try:
        obj = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SessionFileError(f"not valid JSON (truncated or damaged?): {exc.msg} "
                               f"at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise SessionFileError("not a session file: nested too deeply") from None
    return from_json_dict(obj)


def from_json_dict(obj) -> SessionDocument:
    """Validate parsed JSON and build the document; every check happens before anything is returned."""
    if not isinstance(obj, dict):
        raise SessionFileError(f"expected a JSON object at the top level, got {_kind(obj)}")
    if obj.get("format") != FORMAT:
        raise SessionFileError(f'format: not a Neural Playground session file (expected "format": "{FORMAT}")')
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionFileError(f"version: expected a whole number, got {_show(version)}")
    if version != VERSION:
        newer = " (saved by a newer Neural Playground: update this one)" if version > VERSION else ""
        raise SessionFileError(f"version: unknown version {version}; this Neural Playground reads version "
                               f"{VERSION}{newer}")
    mode = _choice(obj.get("mode"), "mode", MODES)
    d, loss = MODES[mode]
    X, y = _points(_object(obj.get("points"), "points"), mode)
    hidden = _hidden(obj.get("hidden"))
    activation = _choice(obj.get("activation"), "activation", ACTIVATIONS)
    seed = _whole(obj.get("seed"), "seed", 0, MAX_SEED)
    settings = _settings(_object(obj.get("settings"), "settings"), loss, mode)
    speed = obj.get("speed")
    if speed is not None:
        speed = _number(speed, "speed")
        if not 0 < speed <= 1e7:
            raise SessionFileError(f"speed: expected steps per second > 0 (or null for full speed), got {speed:g}")
    current_class = _whole(obj.get("current_class", 0), "current_class", 0, MAX_CLASSES - 1)
    caption = _text(obj.get("caption", ""), "caption")
    preset = obj.get("preset")
    if preset is not None:
        preset = _text(preset, "preset", limit=100)
    dataset = _text(obj.get("dataset", ""), "dataset", limit=100)
    dataset_args = _object(obj.get("dataset_args", {}), "dataset_args")
    if len(dataset_args) > 10:
        raise SessionFileError(f"dataset_args: {len(dataset_args)} entries is more than the limit of 10")
    dataset_args = {_text(k, "dataset_args", 40): _number(v, f"dataset_args.{k}") for k, v in dataset_args.items()}
    dataset_args = {k: int(v) if v.is_integer() and k != "noise" else v for k, v in dataset_args.items()}
    doc = SessionDocument(mode, X, y, hidden, activation, seed, settings, speed, current_class, caption, preset)
    trainer = obj.get("trainer")
    curves = obj.get("loss_curves")
    if trainer is not None:
        trainer = _trainer_state(_object(trainer, "trainer"), doc)
    if curves is not None:
        curves = _curves(_object(curves, "loss_curves"))
    doc = SessionDocument(mode, X, y, hidden, activation, seed, settings, speed, current_class, caption, preset,
                          trainer, curves, dataset, dataset_args)
    if trainer is not None:
        try:
            build_trainer(doc)  # the engine's own checks (e.g. the epoch order against the test split)
        except ValueError as exc:
            raise SessionFileError(f"trainer: {exc}") from None
    return doc


def build_trainer(doc: SessionDocument) -> Trainer:
    """A trainer in exactly the saved state (what the training process will rebuild)."""
    network = Network(doc.layer_sizes, doc.activation, seed=doc.seed)
    trainer = Trainer(network, doc.X, doc.y, doc.settings, seed=doc.seed)
    if doc.trainer is not None:
        trainer.restore(doc.trainer)
    return trainer


# -- validation helpers ------------------------------------------------------------------------------


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _show(value) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (dict, list)):
        return _kind(value)
    return json.dumps(value) if isinstance(value, (bool, type(None), int, float)) else repr(value)


def _object(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise SessionFileError(f"{path}: expected an object, got {_show(value)}")
    return value


def _number(value, path: str, finite: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SessionFileError(f"{path}: expected a number, got {_show(value)}")
    value = float(value)
    if finite and not math.isfinite(value):
        raise SessionFileError(f"{path}: expected a finite number, got {_show(value)}")
    return value


def _whole(value, path: str, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SessionFileError(f"{path}: expected a whole number, got {_show(value)}")
    if not low <= value <= high:
        bounds = f"≥ {low}" if high >= 2**31 else f"from {low} to {high}"
        raise SessionFileError(f"{path}: expected a whole number {bounds}, got {value}")
    return value


def _text(value, path: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise SessionFileError(f"{path}: expected a string, got {_show(value)}")
    if len(value) > limit:
        raise SessionFileError(f"{path}: {len(value)} characters is more than the limit of {limit}")
    return value


def _choice(value, path: str, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise SessionFileError(f"{path}: expected one of {', '.join(map(repr, allowed))}, got {_show(value)}")
    return value


def _list(value, path: str, limit: int, what: str = "entries") -> list:
    if not isinstance(value, list):
        raise SessionFileError(f"{path}: expected a list, got {_show(value)}")
    if len(value) > limit:
        raise SessionFileError(f"{path}: {len(value):,} {what} is more than the limit of {limit:,}")
    return value


def _floats(value, path: str, shape: tuple, limit: int, what: str = "numbers", allow_null: bool = False,
            expected: str | None = None) -> np.ndarray:
    """A float64 array of ``shape`` (None in shape: any length) from nested lists of finite numbers.

    Fast path through numpy; when it fails, a scan finds the first bad element for the message.
    """
    items = _list(value, path, limit, what)
    length = len(items)
    want = tuple(length if s is None else s for s in shape)
    if length != want[0]:
        raise SessionFileError(f"{path}: {expected or f'expected {want[0]} {what}'}, got {length}")
    if length == 0:
        return np.zeros(want)
    try:
        array = np.array(items if not allow_null else [np.nan if v is None else v for v in items])
    except (ValueError, TypeError):
        array = None
    if array is not None and array.dtype.kind in "fi" and array.shape == want:
        array = array.astype(np.float64)
        if allow_null or np.isfinite(array).all():
            return array
    _scan(items, path, want[1:], allow_null)
    raise SessionFileError(f"{path}: expected numbers of shape {list(want)}")  # pragma: no cover - scan raises


def _scan(items: list, path: str, inner: tuple, allow_null: bool) -> None:
    """Raise for the first element of ``items`` that is not a finite number (or row of ``inner`` shape)."""
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if inner:
            if not isinstance(item, list):
                raise SessionFileError(f"{where}: expected a list of {inner[0]} numbers, got {_show(item)}")
            if len(item) != inner[0]:
                raise SessionFileError(f"{where}: expected {inner[0]} numbers, got {len(item)}")
            _scan(item, where, inner[1:], allow_null)
        elif not (allow_null and item is None):
            _number(item, where)


def _points(points: dict, mode: str) -> tuple[np.ndarray, np.ndarray]:
    d, _ = MODES[mode]
    X = _floats(points.get("X"), "points.X", (None, d), MAX_POINTS, "points")
    n = X.shape[0]
    if mode == REGRESSION:
        y = _floats(points.get("y"), "points.y", (n, 1), MAX_POINTS, "points",
                    expected=f"expected {n} targets (one per point of points.X)")
        return X, y
    labels = _list(points.get("y"), "points.y", MAX_POINTS, "labels")
    if len(labels) != n:
        raise SessionFileError(f"points.y: expected {n} labels (one per point of points.X), got {len(labels)}")
    y = np.array([_whole(v, f"points.y[{i}]", 0, MAX_CLASSES - 1) for i, v in enumerate(labels)], dtype=np.intp)
    return X, y


def _hidden(value) -> tuple[int, ...]:
    items = _list(value, "hidden", MAX_HIDDEN_LAYERS, "hidden layers")
    return tuple(_whole(m, f"hidden[{j}]", 1, MAX_UNITS) for j, m in enumerate(items))


def _settings(obj: dict, loss: str, mode: str) -> TrainingSettings:
    known = {f.name for f in fields(TrainingSettings)} - {"schedule_params"}
    unknown = sorted(set(obj) - known)
    if unknown:
        raise SessionFileError(f"settings.{unknown[0]}: unknown setting")
    if obj.get("loss", loss) != loss:
        raise SessionFileError(f"settings.loss: expected {loss!r} for a {mode} session, got {_show(obj.get('loss'))}")
    values: dict[str, Any] = {"loss": loss}
    if "optimizer" in obj:
        values["optimizer"] = _choice(obj["optimizer"], "settings.optimizer", OPTIMIZERS)
    for name in ("learning_rate", "momentum", "l2", "test_fraction"):
        if name in obj:
            values[name] = _number(obj[name], f"settings.{name}")
    for name in ("batch_size", "clip_norm"):
        if obj.get(name) is not None:
            values[name] = _number(obj[name], f"settings.{name}")
    if values.get("batch_size") is not None:
        values["batch_size"] = _whole(values["batch_size"], "settings.batch_size", 1, MAX_POINTS)
    if "warmup_steps" in obj:
        values["warmup_steps"] = _whole(obj["warmup_steps"], "settings.warmup_steps", 0, 10**9)
    if "schedule" in obj:
        schedule = _object(obj["schedule"], "settings.schedule")
        values["schedule"] = _choice(schedule.get("key"), "settings.schedule.key", SCHEDULES)
        params = _object(schedule.get("params", {}), "settings.schedule.params")
        values["schedule_params"] = {_text(k, "settings.schedule.params", 40): _number(v, f"settings.schedule.params.{k}")
                                     for k, v in params.items()}
        for name in ("step_size", "total_steps"):
            if name in values["schedule_params"] and float(values["schedule_params"][name]).is_integer():
                values["schedule_params"][name] = int(values["schedule_params"][name])
    try:
        return TrainingSettings(**values).validated()
    except (ValueError, TypeError) as exc:
        raise SessionFileError(f"settings: {exc}") from None


def _n_parameters(sizes: list[int]) -> int:
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def _trainer_state(obj: dict, doc: SessionDocument) -> dict:
    d, _ = MODES[doc.mode]
    sizes = [_whole(s, f"trainer.layer_sizes[{i}]", 1, MAX_UNITS)
             for i, s in enumerate(_list(obj.get("layer_sizes"), "trainer.layer_sizes", MAX_HIDDEN_LAYERS + 2))]
    need = 1 if doc.mode == REGRESSION else max(2, int(doc.y.max()) + 1 if len(doc.y) else 2)
    top = 1 if doc.mode == REGRESSION else MAX_CLASSES
    if len(sizes) < 2 or sizes[0] != d or tuple(sizes[1:-1]) != doc.hidden or not need <= sizes[-1] <= top:
        more = "" if doc.mode == REGRESSION else f" (or up to {MAX_CLASSES} outputs)"
        raise SessionFileError(f"trainer.layer_sizes: expected {[d, *doc.hidden, need]}{more} for hidden "
                               f"{list(doc.hidden)} in {doc.mode} mode, got {sizes}")
    if obj.get("activation") != doc.activation:
        raise SessionFileError(f"trainer.activation: expected {doc.activation!r} (the session's activation), "
                               f"got {_show(obj.get('activation'))}")
    size = _n_parameters(sizes)
    n_expected = f"expected {size} numbers for layers {sizes}"
    state: dict[str, Any] = {"layer_sizes": sizes, "activation": doc.activation}
    state["parameters"] = _floats(obj.get("parameters"), "trainer.parameters", (size,), 10 * size + 1000,
                                  expected=n_expected)
    for name in ("seed", "step", "epoch"):
        state[name] = _whole(obj.get(name), f"trainer.{name}", 0, MAX_SEED)
    diverged = obj.get("diverged")
    state["diverged"] = None if diverged is None else _text(diverged, "trainer.diverged")
    optimizer = _object(obj.get("optimizer"), "trainer.optimizer")
    key = optimizer.get("key")
    if key != doc.settings.optimizer:
        raise SessionFileError(f"trainer.optimizer.key: expected {doc.settings.optimizer!r} (settings.optimizer), "
                               f"got {_show(key)}")
    opt: dict[str, Any] = {"key": key, "t": _whole(optimizer.get("t"), "trainer.optimizer.t", 0, MAX_SEED)}
    vectors = ("m", "v") if key == "adam" else ("buffer",)
    if key == "adam":
        opt["updates"] = _whole(optimizer.get("updates"), "trainer.optimizer.updates", 0, MAX_SEED)
    for name in vectors:
        value = optimizer.get(name)
        opt[name] = None if value is None else _floats(value, f"trainer.optimizer.{name}", (size,), 10 * size + 1000,
                                                       expected=n_expected)
    state["optimizer"] = opt
    state["rng"] = _rng_state(_object(obj.get("rng"), "trainer.rng"))
    cursor = obj.get("cursor")
    if cursor is None:
        state["order"], state["cursor"] = None, None
    else:
        n = len(doc.X)
        state["cursor"] = _whole(cursor, "trainer.cursor", 0, n)
        order = _list(obj.get("order"), "trainer.order", n, "indices")
        state["order"] = np.array([_whole(v, f"trainer.order[{i}]", 0, max(n - 1, 0)) for i, v in enumerate(order)],
                                  dtype=np.intp)
    history = obj.get("history")
    state["history"] = None if history is None else _series(_object(history, "trainer.history"), "trainer.history")
    return state


def _rng_state(obj: dict) -> dict:
    if obj.get("bit_generator") != "PCG64":
        raise SessionFileError(f"trainer.rng.bit_generator: expected 'PCG64', got {_show(obj.get('bit_generator'))}")
    inner = _object(obj.get("state"), "trainer.rng.state")
    out = {"bit_generator": "PCG64",
           "state": {name: _whole(inner.get(name), f"trainer.rng.state.{name}", 0, 2**128 - 1)
                     for name in ("state", "inc")},
           "has_uint32": _whole(obj.get("has_uint32", 0), "trainer.rng.has_uint32", 0, 1),
           "uinteger": _whole(obj.get("uinteger", 0), "trainer.rng.uinteger", 0, 2**32 - 1)}
    return out


def _series(obj: dict, path: str) -> dict:
    capacity = _whole(obj.get("capacity", 2048), f"{path}.capacity", 4, MAX_HISTORY)
    steps = _floats(obj.get("steps"), f"{path}.steps", (None,), MAX_HISTORY)
    values = _floats(obj.get("values"), f"{path}.values", (len(steps),), MAX_HISTORY, allow_null=True,
                     expected=f"expected {len(steps)} values (one per step)")
    state = {"capacity": capacity, "stride": _whole(obj.get("stride"), f"{path}.stride", 1, 2**40),
             "steps": steps, "values": values,
             "window_sum": (math.nan if obj.get("window_sum", 0.0) is None  # NaN is saved as null
                            else _number(obj.get("window_sum", 0.0), f"{path}.window_sum")),
             "window_count": _whole(obj.get("window_count", 0), f"{path}.window_count", 0, 2**40)}
    try:
        DecimatingSeries(MAX_HISTORY + 2).restore(state)
    except ValueError as exc:
        raise SessionFileError(f"{path}: {exc}") from None
    return state


def _curves(obj: dict) -> dict:
    unknown = sorted(set(obj) - set(CURVES))
    if unknown:
        raise SessionFileError(f"loss_curves.{unknown[0]}: unknown curve (known: {', '.join(CURVES)})")
    return {name: _series(_object(obj[name], f"loss_curves.{name}"), f"loss_curves.{name}")
            for name in CURVES if name in obj}
