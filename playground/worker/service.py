"""The training service: one Trainer, driven by small commands, producing snapshots.

It knows nothing of processes or Qt: ``process.py`` runs it in a child process, and
tests drive it directly. Commands are tuples ``(name, *args)``:

    ("build", layer_sizes, activation, seed, settings, X, y)   new network and trainer
    ("set_data", X, y)          the user's points changed; weights kept
    ("configure", changes)      TrainingSettings fields changed live; weights kept
    ("reset", seed)             re-initialize from seed
    ("set_parameters", flat)    load parameters (sessions, hand-set weights)
    ("restart_schedule",)       the learning-rate schedule starts again from the base rate; weights kept
    ("play",) ("pause",) ("step", n)
    ("speed", steps_per_second or None for full speed)
    ("view", ViewSpec)
    ("restore", state)          continue from ``state()`` (a session file) after a matching "build"

``state()`` is asked for by ("get_state", request_id), answered by process.py with
("state", request_id, state) outside the command count.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..engine import DecimatingSeries, Network, Trainer
from .snapshot import Snapshot, curves_1d, regions_2d

# Commands after which the notice (e.g. "continued from the weights of step N with rate η") still holds.
KEEP_NOTICE = ("play", "pause", "step", "speed", "view")
FRAME_INTERVAL = 1.0 / 40.0  # snapshots while playing are at least this far apart (each costs a few ms)


@dataclass(frozen=True)
class ViewSpec:
    """What the window shows: the 1-D x range or the 2-D extent (x0, x1, y0, y1) to evaluate on."""

    x_range: tuple[float, float] = (-1.25, 1.25)
    extent: tuple[float, float, float, float] = (-1.5, 1.5, -1.5, 1.5)


def widen_outputs(network: Network, n_outputs: int) -> Network:
    """The same network with ``n_outputs`` output units: old weights kept, new output rows start at zero."""
    sizes = (*network.layer_sizes[:-1], n_outputs)
    wider = Network(sizes, network.activation, seed=0)
    for W_new, b_new, W, b in zip(wider.weights, wider.biases, network.weights, network.biases):
        rows = min(W.shape[0], W_new.shape[0])
        if W_new.shape == W.shape:
            W_new[...], b_new[...] = W, b
        else:  # the output layer
            W_new[...], b_new[...] = 0.0, 0.0
            W_new[:rows], b_new[:rows] = W[:rows], b[:rows]
    return wider


class TrainingService:
    def __init__(self):
        self.trainer: Trainer | None = None
        self.view = ViewSpec()
        self.playing = False
        self.steps_per_second: float | None = None  # None: as fast as possible
        self._pending_steps = 0                      # single steps asked for while paused
        self._rate = 0.0                             # measured steps per wall-clock second
        self._last_step = 0
        self._serial = 0
        self.commands_handled = 0  # lets the window tell a snapshot that predates its last command
        self._dirty = True
        self._last_snapshot = 0.0
        self._paced_since: tuple[float, int] | None = None
        self._chunk = 1
        self._history = {k: DecimatingSeries(1024) for k in ("train", "test", "train_acc", "test_acc")}
        self.notice: str | None = None  # what the worker did on its own (resumed after a divergence)

    # -- commands ---------------------------------------------------------------------------
    def handle(self, command: tuple) -> str | None:
        """Apply one command; returns an error message for the user instead of raising on bad input."""
        name, *args = command
        self.commands_handled += 1
        if name not in KEEP_NOTICE:
            self.notice = None
        try:
            getattr(self, f"_cmd_{name}")(*args)
        except (ValueError, TypeError) as exc:
            return str(exc)
        finally:
            self._dirty = True
        return None

    def _cmd_build(self, layer_sizes, activation, seed, settings, X, y):
        network = Network(layer_sizes, activation, seed=seed)
        self.trainer = Trainer(network, X, y, settings, seed=seed)
        self._clear_history()

    def _cmd_set_data(self, X, y):
        t = self.trainer
        if t.settings.loss == "cross_entropy" and len(y):
            needed = max(2, int(np.max(y)) + 1)
            if needed > t.network.layer_sizes[-1]:
                t.network = widen_outputs(t.network, needed)
                t.__init__(t.network, X, y, t.settings, seed=t.seed)  # fresh buffers for the new shape
                return
        t.set_data(X, y)

    def _cmd_configure(self, changes: dict):
        self.trainer.update(**changes)

    def _cmd_reset(self, seed):
        self.trainer.reset(seed)
        self._clear_history()

    def _cmd_restart_schedule(self):
        self.trainer.restart_schedule()

    def _cmd_set_parameters(self, flat):
        self.trainer.set_parameters(flat)

    def _cmd_restore(self, state: dict):
        curves = {}
        for name, series in self._history.items():  # check every curve before changing anything
            saved = (state.get("curves") or {}).get(name)
            curves[name] = DecimatingSeries(series.capacity)
            if saved is not None:
                curves[name].restore(saved)
        if self.trainer is None or not isinstance(state.get("trainer"), dict):
            raise ValueError("restore needs a built network and a trainer state")
        self.trainer.restore(state["trainer"])
        self._history = curves
        self.playing, self._pending_steps = False, 0

    def state(self) -> dict:
        """The trainer's state and the loss curves, after any single steps already asked for."""
        if self._pending_steps:
            self.advance()
        if self.trainer is None:
            raise ValueError("nothing to save yet: no network has been built")
        return {"trainer": self.trainer.state(),
                "curves": {name: series.state() for name, series in self._history.items()}}

    def _cmd_play(self):
        self.playing = self.trainer is not None
        self._paced_since = None
        self._resume_after_divergence()

    def _cmd_pause(self):
        self.playing = False

    def _cmd_step(self, n=1):
        self.playing = False
        self._pending_steps += int(n)
        self._resume_after_divergence()

    def _resume_after_divergence(self):
        """Play or Step after a divergence goes on from the best weights before it, and says so."""
        if self.trainer is not None and self.trainer.diverged:
            self.notice = self.trainer.resume_after_divergence()

    def _cmd_speed(self, steps_per_second):
        self.steps_per_second = steps_per_second
        self._paced_since = None

    def _cmd_view(self, view: ViewSpec):
        self.view = view

    def _clear_history(self):
        for series in self._history.values():
            series.clear()

    # -- training ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while there are steps to take (playing or single steps pending)."""
        return self.trainer is not None and (self.playing or self._pending_steps > 0)

    def advance(self, budget: float = 0.004) -> int:
        """Train for at most ``budget`` seconds (or the pending single steps); returns steps taken."""
        t = self.trainer
        if t is None:
            return 0
        if self._pending_steps:
            done = t.run(self._pending_steps)
            self._pending_steps = 0
            self._dirty = True
            return done
        if not self.playing:
            return 0
        if t.blocked_reason:
            self.playing = False  # diverged, no points or untrainable: pause and let the snapshot explain
            self._dirty = True
            return 0
        now = time.perf_counter()
        allowed = math.inf
        if self.steps_per_second is not None:
            if self._paced_since is None:
                self._paced_since = (now, t.step_count)
            start, start_step = self._paced_since
            allowed = int((now - start) * self.steps_per_second) + 1 - (t.step_count - start_step)
            if allowed <= 0:
                return 0
        done = 0
        deadline = now + budget
        while done < allowed:
            chunk = int(min(self._chunk, allowed - done))
            took = t.run(chunk)
            done += took
            if took < chunk:
                self.playing = False
                self._dirty = True
                break
            if time.perf_counter() >= deadline:
                break
            self._chunk = min(self._chunk * 2, 256)  # grow chunks so timing calls stay rare
        return done

    # -- snapshots --------------------------------------------------------------------------
    def _measure_rate(self, now: float, step: int) -> None:
        """Steps per wall-clock second between snapshots, smoothed: what the user sees happen."""
        elapsed, steps = now - self._last_snapshot, step - self._last_step
        if self.playing and elapsed > 0 and steps >= 0:
            rate = steps / elapsed
            self._rate = 0.7 * self._rate + 0.3 * rate if self._rate else rate
        elif not self.playing:
            self._rate = 0.0
        self._last_snapshot, self._last_step = now, step

    def snapshot_due(self) -> bool:
        if self.trainer is None:
            return False
        return self._dirty or (self.playing and time.perf_counter() - self._last_snapshot >= FRAME_INTERVAL)

    def snapshot(self) -> Snapshot:
        t = self.trainer
        net = t.network
        m = t.metrics()
        h = self._history
        h["train"].add(t.step_count, np.nan if m.train_loss is None else m.train_loss)
        h["test"].add(t.step_count, np.nan if m.test_loss is None else m.test_loss)
        h["train_acc"].add(t.step_count, np.nan if m.train_accuracy is None else m.train_accuracy)
        h["test_acc"].add(t.step_count, np.nan if m.test_accuracy is None else m.test_accuracy)
        steps, train = h["train"].arrays()
        one_d = net.layer_sizes[0] == 1
        self._serial += 1
        self._dirty = False
        self._measure_rate(time.perf_counter(), t.step_count)
        return Snapshot(
            serial=self._serial, commands_handled=self.commands_handled, step=t.step_count, epoch=t.epoch, learning_rate=t.learning_rate,
            schedule_origin=t.schedule_origin,
            playing=self.playing, blocked_reason=t.blocked_reason, notice=self.notice,
            steps_per_second=self._rate if self.playing else 0.0, metrics=m,
            parameters=net.parameters.copy(), layer_sizes=net.layer_sizes, activation=net.activation,
            test_mask=t.test_mask.copy(), loss_steps=steps, train_loss=train,
            test_loss=h["test"].arrays()[1], train_accuracy=h["train_acc"].arrays()[1],
            test_accuracy=h["test_acc"].arrays()[1],
            curves=curves_1d(net, self.view.x_range) if one_d else None,
            regions=None if one_d else regions_2d(net, self.view.extent),
        )
