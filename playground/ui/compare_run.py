"""One extra run of compare mode: a ``Session`` of its own (its own worker, network, settings, optimizer state and
step) whose points are the main session's.

Reusing ``Session`` whole keeps one way to train, snapshot, save and restart a run; what differs is only where the
points come from: every edit made on a run's panel goes to the main session, and the main session's points come
back to every run (``follow_points``). So drawing a point on any panel adds it for all.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from ..data import session_file
from ..data.compare import CompareScene, Run
from ..data.datasets import dataset_defaults
from ..data.points import PointSet
from ..data.scene import Scene, mode_of_dataset
from ..engine import TrainingSettings
from .session import Session

# One colour per panel, for its header swatch and its loss curve; the first is the loss plot's own training blue.
RUN_COLORS = ((31, 119, 180), (230, 140, 0), (200, 60, 150), (140, 86, 75))  # none is the accuracy's green


class RunSession(Session):
    """A run beside ``main``: trains on its own, draws and undoes through ``main``."""

    def __init__(self, main: Session, parent=None):
        super().__init__(parent)
        self.main = main
        self.set_speed(main.steps_per_second)
        self.set_view(replace(self.view, unit_maps=False))  # its panel shows the regions, never the unit maps

    # -- the points are the main session's ----------------------------------------------------
    def follow_points(self, points: PointSet) -> None:
        """Take ``points`` (the main session's, after an edit) as this run's; the weights are kept."""
        if points is not self.points:
            self._set_points(points)

    def begin_stroke(self) -> None:
        self.main.begin_stroke()

    def end_stroke(self) -> None:
        self.main.end_stroke()

    def add_points(self, X, y=None) -> None:
        self.main.add_points(X, y)

    def remove_near(self, center, radius: float) -> int:
        return self.main.remove_near(center, radius)

    def clear_points(self) -> None:
        self.main.clear_points()

    def undo(self) -> None:
        self.main.undo()

    def redo(self) -> None:
        self.main.redo()

    # -- its own network, for compare mode's undo (ui/compare_undo.py) -----------------------------
    def keep_network(self, then) -> None:
        """``then(memo)`` with this run's network, settings and whole training state as they are before any command
        sent after this call (a ``NetworkMemo``, once the worker answers)."""
        self._with_network_memo(then)

    def restore_network(self, memo, done: str) -> None:
        """Become ``memo``'s network, weights, training state and settings again (paused)."""
        self._change(settings=memo.settings)
        self._become_network(memo, done)

    @property
    def current_class(self) -> int:
        return self.main.current_class if hasattr(self, "main") else 0

    @current_class.setter
    def current_class(self, label: int) -> None:  # Session.__init__ sets it; the main session's is the one used
        pass


def scene_documents(scene: CompareScene, speed: float | None) -> list[session_file.SessionDocument]:
    """One fresh session document per run of ``scene`` (its points, network and settings), in panel order."""
    docs = []
    for run in scene.runs:
        preset = scene.preset_for(run)
        data = preset.make_dataset()
        mode = mode_of_dataset(preset.dataset).key
        docs.append(session_file.SessionDocument(Scene(
            mode, tuple(preset.hidden), preset.activation, preset.seed, preset.settings, speed=speed,
            caption=f"{scene.title} — {scene.caption}", preset=scene.key, dataset=preset.dataset,
            dataset_args={**dataset_defaults(preset.dataset), **preset.dataset_args, "n": len(data.X)},
            features=scene.features_for(run)), data.X, data.y))
    return docs


def hand_set_parameters(scene: CompareScene, run: Run, layer_sizes) -> np.ndarray | None:
    """The scene's hand-set weights for ``run`` (the lecture's perceptrons), or None for weights drawn from the seed."""
    return scene.preset_for(run).hand_set_parameters(layer_sizes)


# -- what differs between runs, in words -------------------------------------------------------------
def run_facts(session: Session) -> dict[str, str]:
    """A run's network and settings as short words, by name (compared across runs to find what differs)."""
    s = session.settings
    hidden = session.hidden
    shape = ("no hidden layer" if not hidden else f"{hidden[0]} unit{'s' * (hidden[0] > 1)}" if len(hidden) == 1
             else f"{' × '.join(map(str, hidden))} units")
    facts = {"hidden": shape,
             "activation": {"relu": "ReLU"}.get(session.activation, session.activation),
             "seed": f"seed {session.seed}", "optimizer": {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}
             .get(s.optimizer, s.optimizer), "learning_rate": f"η = {s.learning_rate:g}"}
    named = {"l2": "λ", "l1": "λ₁", "clip_norm": "clip", "batch_size": "batch", "momentum": "momentum"}
    for f in fields(TrainingSettings):
        if f.name not in facts and f.name not in ("loss", "schedule_params"):
            value = getattr(s, f.name)
            facts[f.name] = f"{named.get(f.name, f.name.replace('_', ' '))} = {value:g}" \
                if isinstance(value, float) else f"{named.get(f.name, f.name.replace('_', ' '))} {value}"
    if s.schedule_params:
        facts["schedule"] = f"{s.schedule} {', '.join(f'{v:g}' for v in s.schedule_params.values())}"
    return facts


def describe_differences(sessions: list[Session]) -> list[str]:
    """Each run in words, against run 1 (the main run, the one the controls change): run 1 by its own value of every
    setting another run changes, each other run by the settings where it differs from run 1 ("tanh", "tanh, Adam"),
    so two runs with the same settings read the same. A run with an earlier run's settings exactly (a duplicate not
    yet changed) says so: "ReLU (same as 3)", or "same settings as 1"."""
    facts = [run_facts(s) for s in sessions]
    first = facts[0]
    changed = [name for name in first if any(f.get(name) != first[name] for f in facts[1:])]
    labels = [", ".join(first[name] for name in changed) or "run 1"]
    for i, f in enumerate(facts[1:], start=1):
        own = ", ".join(f[name] for name in first if f.get(name) != first[name])
        twin = next((k for k in range(i) if facts[k] == f), None)
        if twin is None:
            labels.append(own or f"run {i + 1}")
        else:
            labels.append(f"{own} (same as {twin + 1})" if own else f"same settings as {twin + 1}")
    return labels
