"""Compare mode in a session file (version 2): the other runs beside the main session's, and every run's label.

    "version": 2,
    "compare": {"labels": ["no hidden layer", null], "runs": [RUN, ...]}

The file's own fields are run 1 (the main session). Each RUN holds a session file's fields except the ones all runs
share (``SHARED``: the format, version, mode, points and class to draw): hidden, activation, seed, settings, speed,
caption, preset, dataset, dataset_args, trainer, loss_curves. A label is the scene's words for that run, or null
where the window says what differs. Each run is checked by the session file's own reader with the file's mode and
points, so a bad value is named by its path (``compare.runs[0].settings.learning_rate: …``). A file without
"compare" is one run, as version 1 was.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import json_checks as check
from . import session_file
from .compare import MAX_RUNS
from .scene import MAX_CAPTION

SHARED = ("format", "version", "mode", "points", "current_class")


@dataclass(frozen=True)
class SavedCompare:
    """``labels``: one per run, run 1 first (None: say what differs); ``runs``: runs 2… as session documents."""

    labels: tuple[str | None, ...]
    runs: tuple[session_file.SessionDocument, ...]


def to_json(compare: SavedCompare) -> dict:
    """The "compare" object of a session file."""
    runs = []
    for doc in compare.runs:
        run = session_file.to_json_dict(doc)
        for key in (*SHARED, "compare"):
            run.pop(key, None)
        runs.append(run)
    return {"labels": list(compare.labels), "runs": runs}


def from_json(value, top: dict) -> SavedCompare:
    """Check the "compare" object of the parsed file ``top``; SessionFileError names the first bad value."""
    compare = check.obj(value, "compare")
    runs = compare.get("runs")
    if not isinstance(runs, list) or not 1 <= len(runs) < MAX_RUNS:
        raise session_file.SessionFileError(f"compare.runs: expected a list of 1 to {MAX_RUNS - 1} runs "
                                            f"(run 1 is the file's own), got {check.show(runs)}")
    labels = compare.get("labels")
    if not isinstance(labels, list) or len(labels) != len(runs) + 1:
        raise session_file.SessionFileError(f"compare.labels: expected {len(runs) + 1} labels (one per run, "
                                            f"null for none), got {check.show(labels)}")
    labels = tuple(None if label is None else check.text(label, f"compare.labels[{i}]", MAX_CAPTION)
                   for i, label in enumerate(labels))
    docs = []
    for i, run in enumerate(runs):
        path = f"compare.runs[{i}]"
        run = {key: item for key, item in check.obj(run, path).items() if key not in (*SHARED, "compare")}
        shared = {key: top[key] for key in SHARED if key in top}
        try:
            docs.append(session_file.from_json_dict({**run, **shared, "version": session_file.VERSION}))
        except session_file.SessionFileError as exc:
            raise session_file.SessionFileError(f"{path}.{exc}") from None
    return SavedCompare(labels, tuple(docs))
