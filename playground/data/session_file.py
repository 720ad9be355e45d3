"""Session files: the versioned JSON format and its validation (no Qt).

A session file holds everything needed to reopen a playground exactly where it was: the
mode, the points, the network, the training settings, and the trainer's full state
(parameters, optimizer state, shuffling generator, epoch order), so the next training
steps after opening give the same numbers as continuing the original. The README's
"Session files" section documents the format field by field.

Opening never executes anything: only a regular file of at most ``MAX_FILE_BYTES`` is read
(``bounded_read``), it is parsed with ``json`` and every value is checked (type, range,
finiteness, shape, size: the ranges are ``scene``'s) before a ``SessionDocument`` is made. A
problem raises ``SessionFileError`` whose one-line message starts with the JSON path of the bad
value, e.g. ``points.X[3][1]: expected a number, got 'abc'``. The scene and the points are checked in
``session_scene``, the trainer state and the loss curves in ``session_state``.

Saving checks the text it is about to write with the same reader, so the app never writes a file
it would refuse, then writes it atomically (``atomic_write``).
"""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..engine import Network, Trainer, TrainingSettings
from . import json_checks as check
from . import session_state
from .atomic_write import write_atomic
from .bounded_read import one_line, read_regular_file
from .scene import MAX_POINTS, MAX_SESSION_BYTES, MODES, Scene
from .session_scene import read_points, read_scene

SCENE_FIELDS = frozenset(f.name for f in fields(Scene))

FORMAT = "neural-playground-session"
VERSION = 2  # 2: the feature map φ ("features"); version 1 files (no features: the raw inputs) still open
READABLE_VERSIONS = (1, 2)
SUFFIX = ".json"
MAX_FILE_BYTES = MAX_SESSION_BYTES
CURVES = session_state.CURVES

__all__ = ["CURVES", "FORMAT", "MAX_FILE_BYTES", "SUFFIX", "SessionDocument", "SessionFileError", "VERSION",
           "build_trainer", "dumps", "from_json_dict", "load", "loads", "save", "to_json_dict", "write_atomic"]


class SessionFileError(ValueError):
    """A session file that cannot be opened (or written); the message says where and what is wrong."""


@dataclass(frozen=True)
class SessionDocument:
    """One saved session: the scene, its points, and (if saved) the trainer's state and the loss curves.

    X: (n, 1) inputs and y: (n, 1) float targets in "regression" mode; X: (n, 2) and y: (n,)
    integer labels 0…5 in "classification" mode; X: (n, 2) and y: (n, 1) float targets in "regression-2d" mode
    (a version 2 file: readers from before 2-D regression refuse it at "mode", naming the modes they know).
    ``trainer`` is ``Trainer.state()`` (None: a fresh network from the scene's seed); ``curves`` maps the loss
    plot's series names to
    ``DecimatingSeries.state()``. The scene's fields read through: ``doc.mode``, ``doc.hidden``, …
    """

    scene: Scene
    X: np.ndarray
    y: np.ndarray
    trainer: dict | None = None
    curves: dict | None = None
    compare: Any = None  # compare mode's other runs and labels (data.compare_file.SavedCompare); None: one run

    def __getattr__(self, name):
        if name in SCENE_FIELDS:  # only called for names the document itself lacks
            return getattr(self.scene, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def layer_sizes(self) -> list[int]:
        """The network's sizes: the trainer state's (its output layer may be wider) or [d, *hidden, k]."""
        if self.trainer is not None:
            return list(self.trainer["layer_sizes"])
        return list(self.scene.layer_sizes(self.y))


# -- writing ---------------------------------------------------------------------------------------


def to_json_dict(doc: SessionDocument) -> dict:
    """The document as JSON-ready values (numpy arrays become nested lists of floats)."""
    s = doc.settings
    settings = {f.name: getattr(s, f.name) for f in fields(TrainingSettings)}
    settings["schedule"] = {"key": s.schedule, "params": dict(s.schedule_params)}
    del settings["schedule_params"]
    y = doc.y.astype(int).tolist() if MODES[doc.mode].classification else doc.y.tolist()
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
        "current_value": float(doc.current_value),
        "caption": doc.caption,
        "preset": doc.preset,
        "dataset": doc.dataset,
        "dataset_args": _plain(dict(doc.dataset_args)),
        "features": None if doc.features is None else list(doc.features),
        "trainer": None if doc.trainer is None else _plain(doc.trainer),
    }
    if doc.curves is not None:
        out["loss_curves"] = {name: _plain(state) for name, state in doc.curves.items()}
    if doc.compare is not None:  # compare mode's other runs (data/compare_file.py)
        from . import compare_file
        out["compare"] = compare_file.to_json(doc.compare)
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
    token = secrets.token_hex(8)  # no caption can spell a placeholder by chance or on purpose

    def compact(value):
        if isinstance(value, dict):
            return {k: compact(v) for k, v in value.items()}
        if isinstance(value, list) and value and not isinstance(value[0], dict):
            arrays.append(json.dumps(value, separators=(",", ":"), allow_nan=False))
            return f"\u0000{token}:{len(arrays) - 1}\u0000"
        return value

    text = json.dumps(compact(to_json_dict(doc)), indent=2, ensure_ascii=False, allow_nan=False)
    for i, array in enumerate(arrays):
        text = text.replace(f'"\\u0000{token}:{i}\\u0000"', array, 1)
    return text + "\n"


def save(path, doc: SessionDocument) -> None:
    """Write ``doc`` atomically, after reading it back: a document the reader would refuse is not written
    (``SessionFileError``), so the file on disk stays the last good one."""
    text = dumps(doc)
    try:
        loads(text)
    except SessionFileError as exc:
        raise SessionFileError(f"not saved, the session would not open again: {exc}") from None
    write_atomic(path, text.encode("utf-8"))


# -- reading ---------------------------------------------------------------------------------------


def load(path, progress: Callable[[int, int], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> SessionDocument:
    """Read and validate a session file; ``SessionFileError`` (or OSError) says what is wrong.

    ``progress`` and ``cancelled`` are passed to ``bounded_read.read_regular_file`` (a window reads on a
    thread and offers Cancel: ``bounded_read.ReadCancelled``).
    """
    data = read_regular_file(path, MAX_FILE_BYTES, "session file", SessionFileError, progress, cancelled)
    return loads(data)


# A legitimate file has one or two JSON lists per point and a few dozen more; a file of nothing but
# nested empty lists would cost Python ~20× its size. Counting brackets first keeps parsing within a
# few times the file's size whatever it holds.
MAX_CONTAINERS = 2 * MAX_POINTS + 1000  # a 1-D point is two one-number lists, [x] and [y]
_OPENING = re.compile(r"[\[{]")


def loads(data: bytes | str) -> SessionDocument:
    """Parse and validate the text of a session file."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SessionFileError("not a session file: it is not UTF-8 text (a session file is JSON)") from None
    if not data.strip():
        raise SessionFileError("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise SessionFileError(f"{len(data) / 2**20:.0f} MB is more than a session file can be "
                               f"({MAX_FILE_BYTES / 2**20:.0f} MB)")
    containers = sum(1 for _ in _OPENING.finditer(data)) if data.count("[") + data.count("{") > MAX_CONTAINERS else 0
    if containers > MAX_CONTAINERS:
        raise SessionFileError(f"not a session file: {containers:,} lists and objects, more than a session "
                               f"can hold ({MAX_CONTAINERS:,})")
    try:
        obj = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SessionFileError(f"not valid JSON (truncated or damaged?): {exc.msg} "
                               f"at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise SessionFileError("not a session file: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise SessionFileError(f"not a session file: {one_line(exc, 120)}") from None
    return from_json_dict(obj)


def from_json_dict(obj) -> SessionDocument:
    """Validate parsed JSON and build the document; every check happens before anything is returned."""
    try:
        return _document(obj)
    except SessionFileError:
        raise
    except ValueError as exc:
        raise SessionFileError(one_line(exc)) from None


def _document(obj) -> SessionDocument:
    if not isinstance(obj, dict):
        raise SessionFileError(f"expected a JSON object at the top level, got {check.show(obj)}")
    if obj.get("format") != FORMAT:
        raise SessionFileError(f'format: not a Neural Playground session file (expected "format": "{FORMAT}")')
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionFileError(f"version: expected a whole number, got {check.show(version)}")
    if version not in READABLE_VERSIONS:
        newer = " (saved by a newer Neural Playground: update this one)" if version > VERSION else ""
        raise SessionFileError(f"version: unknown version {check.show(version)}; this Neural Playground reads "
                               f"versions {', '.join(map(str, READABLE_VERSIONS))}{newer}")
    mode = check.choice(obj.get("mode"), "mode", MODES)
    X, y = read_points(check.obj(obj.get("points"), "points"), mode)
    scene = read_scene(obj, mode, version)
    trainer = obj.get("trainer")
    if trainer is not None:
        trainer = session_state.trainer_state(check.obj(trainer, "trainer"), scene, y)
    curves = obj.get("loss_curves")
    if curves is not None:
        curves = session_state.curves(check.obj(curves, "loss_curves"))
    from . import compare_file  # version 2 may hold compare mode's other runs
    compare = None if obj.get("compare") is None else compare_file.from_json(obj["compare"], obj)  # after run 1
    doc = SessionDocument(scene, X, y, trainer, curves, compare)
    if trainer is not None:
        try:
            build_trainer(doc)  # the engine's own checks, once (e.g. the epoch order against the test split)
        except ValueError as exc:
            raise SessionFileError(f"trainer.{exc}") from None
    return doc


def build_trainer(doc: SessionDocument) -> Trainer:
    """A trainer in exactly the saved state (what the training process will rebuild)."""
    network = Network(doc.layer_sizes, doc.activation, seed=doc.seed)
    trainer = Trainer(network, doc.X, doc.y, doc.settings, seed=doc.seed, features=doc.scene.feature_map())
    if doc.trainer is not None:
        trainer.restore(doc.trainer)
    return trainer
