"""The one object that owns a playground session on the Qt side.

It holds the mode, the drawn points (with undo), the model and training settings, and
the link to the training service (``worker.link.WorkerLink``); it turns edits into commands
for the service and snapshots from it into a signal. Widgets read and write the session and
listen to its signals, never to each other. Nothing here waits for the service: commands are
queued, replies are polled, and a service that dies or freezes is restarted by the link.

The scene (mode, network, settings, features, ...) is one frozen ``data.scene.Scene`` in ``self.scene``.
Four mixins hold the rest of the Session's methods: ``session_parking`` (switching modes, the other
mode's scene kept), ``session_drawing`` (adding and erasing points), ``session_undo`` (Ctrl+Z over points and
network rebuilds) and ``session_files`` (documents, save and open).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..data import get_preset, make_dataset
from ..data.datasets import dataset_defaults
from ..data.points import EditHistory, PointSet
from ..data.scene import (
    CLASSIFICATION,
    MAX_HIDDEN_LAYERS,
    MAX_UNITS_PER_LAYER,
    MODES,
    REGRESSION,
    Scene,
    mode_of,
    mode_of_dataset,
)
from ..engine import Network, TrainingSettings
from ..engine.settings import holdout_mask
from ..worker import protocol as cmd
from ..worker.link import WorkerLink
from ..worker.process import WorkerProcess
from ..worker.protocol import ViewSpec
from ..worker.snapshot import Snapshot
from .network_undo import NetworkUndo
from .scene_caption import caption_for
from .session_drawing import SessionDrawing
from .session_files import SessionFiles
from .session_parking import DEFAULT_PRESET, ParkedScene, SessionModes
from .session_undo import SessionUndo

# The modes and limits live in data.scene; these names stay for the modules that import them from here.
REGRESSION_BOUNDS, CLASSIFICATION_BOUNDS = MODES[REGRESSION].bounds, MODES[CLASSIFICATION].bounds
MAX_UNITS = MAX_UNITS_PER_LAYER
SCENE_FIELDS = tuple(f.name for f in fields(Scene))


class Session(SessionModes, SessionDrawing, SessionUndo, SessionFiles, QObject):
    snapshot_changed = Signal(object)  # the newest Snapshot
    points_changed = Signal()
    model_changed = Signal()           # mode, layers, units or activation: the network was rebuilt
    settings_changed = Signal()        # training settings, speed or seed
    playing_changed = Signal(bool)
    message = Signal(str)              # something the user should read in the status bar
    caption_changed = Signal(str)
    scene_replaced = Signal()          # a scene, Clear or the other mode replaced what an opened file held
    history_changed = Signal()         # what Undo / Redo would do changed (see can_undo, can_redo)

    # What runs the training service: a process (the app), or ``worker.process.WorkerThread`` (tests,
    # headless export); ``Session(worker_factory=...)`` chooses for one session.
    default_worker_factory: Callable = WorkerProcess
    POLL_MS = 5

    def __init__(self, parent: QObject | None = None, worker_factory: Callable | None = None):
        super().__init__(parent)
        # The scene as one frozen value; its fields read through (session.hidden, session.settings, ...) and
        # change only by the methods below, each replacing it whole (``_change``).
        self.scene = Scene()
        self._parked: dict[str, ParkedScene] = {}  # the other mode's scene, kept while this one is shown
        self.snapshot: Snapshot | None = None
        self.playing = False
        self.edits = EditHistory(PointSet.empty(1))
        self.networks = NetworkUndo()  # rebuilt networks, woven into the points' undo
        self.view = ViewSpec()
        self.link = WorkerLink(self._scene_commands, worker_factory or self.default_worker_factory)
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._poll.start()
        self._send(cmd.Speed(self.steps_per_second))
        self.load_preset(DEFAULT_PRESET[REGRESSION])

    # -- read-only views --------------------------------------------------------------------
    @property
    def steps_per_second(self) -> float | None:
        return self.scene.speed

    def _change(self, **changes) -> None:
        self.scene = replace(self.scene, **changes)

    @property
    def points(self) -> PointSet:
        return self.edits.current

    @property
    def bounds(self):
        return mode_of(self.mode).bounds

    @property
    def test_mask(self) -> np.ndarray:
        """(n,) bool: which of the points are held out, from their number and the test fraction alone."""
        return holdout_mask(len(self.points), self.settings.test_fraction)

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return self.scene.layer_sizes(self.points.y)

    # -- scenes -----------------------------------------------------------------------------
    def load_preset(self, key: str) -> None:
        preset = get_preset(key)
        data = preset.make_dataset()
        self.scene = Scene(mode_of_dataset(preset.dataset).key, preset.hidden, preset.activation,
                           preset.seed, preset.settings, self.scene.speed, self.scene.current_class,
                           f"{preset.title} — {preset.caption}", key, preset.dataset,
                           {**dataset_defaults(preset.dataset), **preset.dataset_args, "n": len(data.X)},
                           current_value=self.scene.current_value)
        self.edits = EditHistory(PointSet(data.X, data.y))
        self.networks.clear()
        self._rebuild()
        hand_set = preset.hand_set_parameters(self.layer_sizes)
        if hand_set is not None:  # the lecture's perceptrons: weights set by hand, not drawn at random
            self.set_parameters(hand_set)
        self.caption_changed.emit(self.caption)
        self.points_changed.emit()
        self.settings_changed.emit()
        self.scene_replaced.emit()

    def generate(self, dataset: str, n: int, noise: float, seed: int) -> None:
        """Replace the points by a generated dataset (one undo step); the dataset must fit the mode."""
        try:
            data = make_dataset(dataset, n=n, noise=noise, seed=seed)
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        if dataset not in mode_of(self.mode).datasets:
            self.message.emit(f"{dataset} is a {mode_of_dataset(dataset).label} dataset; switch mode first")
            return
        self._change(dataset=dataset, dataset_args={**dataset_defaults(dataset), "n": n, "noise": noise, "seed": seed})
        outputs = self.layer_sizes[-1]
        self._set_points(PointSet(data.X, data.y))
        if self.layer_sizes[-1] != outputs:  # e.g. a drawn class 3 is gone: size the softmax to the new data
            self._rebuild()
            self.message.emit(f"network re-initialized for {self.layer_sizes[-1]} classes")

    def _set_points(self, points: PointSet) -> None:
        self.edits.apply(points)
        self.networks.forget_redo()
        self._points_edited()

    def _points_edited(self) -> None:
        pts = self.points
        self._send(cmd.SetData(pts.X, pts.y))
        self.points_changed.emit()
        self.history_changed.emit()
        self._describe_differences_in_caption()

    # -- model and training -----------------------------------------------------------------
    def set_architecture(self, hidden, activation: str) -> bool:
        """Change layers, units or activation: the network is re-initialized, and the status bar says so."""
        hidden = tuple(int(m) for m in hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= m <= MAX_UNITS for m in hidden):
            self.message.emit(f"hidden layers: 0–{MAX_HIDDEN_LAYERS} layers of 1–{MAX_UNITS} units")
            return False
        if (hidden, activation) == (self.hidden, self.activation):
            return True
        self._remember_network()
        self._change(hidden=hidden, activation=activation)
        self._rebuild()
        network = f"{' → '.join(map(str, self.layer_sizes))} {activation}"
        self.message.emit(f"network re-initialized: {network}, seed {self.seed} (Ctrl+Z brings the old one back)")
        self._describe_differences_in_caption()
        return True

    def set_features(self, keys) -> bool:
        """Feed the first layer φ(x) for the feature ``keys`` (a sequence, or text "x1^2,x2^2"; None or (): the
        raw x). The network is rebuilt as wide as φ (Ctrl+Z brings the old one back) and the status bar says so;
        a key that is not a feature of this mode is refused with one line naming it."""
        if isinstance(keys, str):
            keys = [key.strip() for key in keys.split(",") if key.strip()]
        try:
            scene = replace(self.scene, features=None if keys is None else tuple(keys))
            phi = scene.feature_map()
        except (ValueError, TypeError) as exc:
            self.message.emit(f"features: {exc}")
            return False
        if scene.features == self.scene.features:
            return True
        self._remember_network()
        self.scene = scene
        self._rebuild()
        inputs = "the raw inputs" if phi is None else f"φ(x) = ({', '.join(phi.names)})"
        self.message.emit(f"network re-initialized on {inputs}: {' → '.join(map(str, self.layer_sizes))} "
                          f"{self.activation}, seed {self.seed} (Ctrl+Z brings the old one back)")
        self._describe_differences_in_caption()
        return True

    def _describe_differences_in_caption(self) -> None:
        """A scene's caption describes the scene as loaded: say what differs on screen (scene_caption.py)."""
        caption = caption_for(self.caption, self.preset, self.points, self.hidden, self.activation, self.layer_sizes,
                              self.scene.feature_names)
        if caption != self.caption:
            self._change(caption=caption)
            self.caption_changed.emit(caption)

    def update_settings(self, **changes) -> bool:
        """Apply training settings live (the weights stay); a bad value is refused with a message."""
        try:
            new = replace(self.settings, **changes).validated()
        except (ValueError, TypeError) as exc:
            self.message.emit(str(exc))
            return False
        self._change(settings=new)
        self._send(cmd.Configure(dict(changes)))
        self.settings_changed.emit()
        return True

    def set_speed(self, steps_per_second: float | None) -> None:
        self._change(speed=steps_per_second)
        self._send(cmd.Speed(steps_per_second))
        self.settings_changed.emit()

    def set_view(self, view: ViewSpec) -> None:
        self.view = view.following(self.view)
        self._send(cmd.View(view))

    def reset(self, seed: int | None = None) -> None:
        """Re-initialize the weights (from a new seed if given) and restart the step count."""
        if (self.snapshot is not None and self.snapshot.step > 0) or (seed is not None and seed != self.seed):
            self._remember_network()  # R after a long run must not lose it for good
        if seed is not None:
            self._change(seed=int(seed))
        self._send(cmd.Reset(self.seed))
        self.settings_changed.emit()

    def restart_schedule(self) -> None:
        """The learning-rate schedule starts again from the base rate; the weights are kept."""
        self._send(cmd.RestartSchedule())
        self.message.emit("the learning-rate schedule starts again from the base rate; the weights are kept")

    def new_seed(self) -> None:
        self.reset(int(np.random.default_rng().integers(0, 100_000)))

    def play(self) -> None:
        self._set_playing(True)
        self._send(cmd.Play())

    def pause(self) -> None:
        self._set_playing(False)
        self._send(cmd.Pause())

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self, n: int = 1) -> None:
        self._set_playing(False)
        self._send(cmd.Step(int(n)))

    def _set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    def _rebuild(self) -> None:
        self.snapshot = None
        self._send(self._build_command())
        self.model_changed.emit()

    def _build_command(self) -> cmd.Build:
        pts = self.points
        return cmd.Build(tuple(self.layer_sizes), self.activation, self.seed, self._settings_for_mode(), pts.X, pts.y,
                         self.features)

    def _settings_for_mode(self) -> TrainingSettings:
        self.scene = self.scene.with_mode_loss()
        return self.settings

    def set_parameters(self, flat) -> None:
        """Load the flat (P,) parameter vector into the worker (hand-set weights, the inspector's update);
        training state and settings are kept. The next snapshot shows the new weights."""
        self._send(cmd.SetParameters(np.array(flat, dtype=np.float64)))  # a fresh copy crosses to the worker

    def network_from_snapshot(self) -> Network | None:
        """A copy of the newest network the worker reported (for views that evaluate it themselves)."""
        snap = self.snapshot
        if snap is None:
            return None
        net = Network(snap.layer_sizes, snap.activation)
        net.parameters[...] = snap.parameters
        return net

    def network_inputs(self, X) -> np.ndarray:
        """What the newest snapshot's first layer sees for points X (n, d): φ(X), or X without features (for
        views that evaluate ``network_from_snapshot`` on raw points themselves)."""
        return np.asarray(X, dtype=np.float64) if self.snapshot is None else self.snapshot.network_inputs(X)

    # -- the training service ----------------------------------------------------------------
    def _send(self, command: cmd.Command) -> None:
        self.link.send(command)

    def _scene_commands(self) -> list[cmd.Command]:
        """What a restarted service needs to show this scene again (the link adds the state and Play)."""
        return [cmd.Speed(self.steps_per_second), cmd.View(self.view), self._build_command()]

    @property
    def up_to_date(self) -> bool:
        """True when the newest snapshot reflects every command sent so far."""
        return self.link.up_to_date(self.snapshot)

    @Slot()
    def _on_poll_timeout(self) -> None:
        polled = self.link.poll()
        for text in polled.errors:
            self.message.emit(text)
        if polled.restarted:
            self.snapshot = None
            self.message.emit(polled.restarted)
        newest = polled.snapshot
        if newest is not None:
            previous_notice = self.snapshot.notice if self.snapshot is not None else None
            self.snapshot = newest
            if newest.notice and newest.notice != previous_notice:
                self.message.emit(newest.notice)  # replaces a stale "diverged" in the status bar
            if self.up_to_date:  # an older snapshot may predate a play or pause just sent
                if newest.blocked_reason and self.playing:
                    self.message.emit(newest.blocked_reason)
                self._set_playing(newest.playing)
            self.snapshot_changed.emit(newest)

    def close(self) -> None:
        """Stop the training service (promptly: see ``worker.process.QUIT_SECONDS``); call before quitting."""
        self._poll.stop()
        self.link.close()


def _reads_scene(name: str) -> property:
    return property(lambda session: getattr(session.scene, name),
                    doc=f"The scene's {name} (read-only: the Session's methods change it).")


for _name in SCENE_FIELDS:  # session.mode, session.hidden, session.settings, ...: the scene's fields
    setattr(Session, _name, _reads_scene(_name))
