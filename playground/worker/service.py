"""The training service: one Trainer, driven by the protocol's commands, producing snapshots.

It knows nothing of processes, threads or Qt: ``serve.py`` runs it behind a pair of connections
(in a child process or a thread), and tests drive it directly with ``handle(command)``.
``state()`` answers ``GetState`` (session files); ``checkpoint()`` is what a restarted service
continues from.
"""

from __future__ import annotations

import math
import time
from collections import deque

import numpy as np

from ..engine import DecimatingSeries, Network, Trainer
from ..engine.features import FeatureMap
from .protocol import (
    Build,
    Command,
    Configure,
    Pause,
    Play,
    Reset,
    RestartSchedule,
    Restore,
    Resume,
    SetData,
    SetParameters,
    Speed,
    Step,
    View,
    ViewSpec,
)
from .snapshot import Snapshot, curves_1d, regions_2d

# Commands after which the notice (e.g. "continued from the weights of step N with rate η") still holds.
KEEP_NOTICE = (Play, Pause, Step, Speed, View)
FRAME_INTERVAL = 1.0 / 40.0  # snapshots while playing are at least this far apart (each costs a few ms)
SLICE_SECONDS = 0.004        # one slice of training between looks at the command pipe
MAX_CHUNK = 256              # steps per trainer call at most (timing calls stay rare for tiny networks)
RATE_WINDOW = 2.0            # seconds of step times the steps/s readout averages over
MAX_BEHIND = 0.25            # seconds of steps the pacing catches up after the service was held up; beyond that it
                             # goes on at the chosen speed from where it is (no burst of thousands of steps after a
                             # stall, which on a busy machine starved the window and the other runs in turn)

__all__ = ["TrainingService", "ViewSpec", "widen_outputs"]


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
    """One trainer and what the window wants of it: playing or not, how fast, which view to render."""

    def __init__(self):
        self.trainer: Trainer | None = None
        self.view = ViewSpec(unit_maps=True)
        self.playing = False
        self.steps_per_second: float | None = None  # None: as fast as possible
        self._pending_steps = 0                      # single steps asked for while paused
        self._serial = 0
        self.commands_handled = 0  # the seq of the newest command applied: the window compares it with its own
        self._dirty = True
        self._last_snapshot = 0.0
        self._paced_since: tuple[float, int] | None = None  # (time, step) the pacing counts from
        self._step_times: deque[tuple[float, int]] = deque(maxlen=4096)  # (time, step) after each slice
        self._chunk = 1
        self._seconds_per_step: float | None = None  # measured on the last slice; None: not known yet
        self._checkpoint_dirty = False
        self._last_checkpoint = 0.0
        self._history = {k: DecimatingSeries(1024) for k in ("train", "test", "train_acc", "test_acc")}
        self.notice: str | None = None  # what the worker did on its own (resumed after a divergence)

    # -- commands ---------------------------------------------------------------------------
    def handle(self, command: Command) -> str | None:
        """Apply one command; returns an error message for the user instead of raising on bad input."""
        self.commands_handled = max(self.commands_handled, command.seq)
        self._dirty = self._checkpoint_dirty = True
        if not isinstance(command, KEEP_NOTICE):
            self.notice = None
        try:
            self._apply(command)
        except (ValueError, TypeError) as exc:
            return str(exc)
        return None

    def _apply(self, command: Command) -> None:
        if self.trainer is None and not isinstance(command, (Build, Play, Pause, Speed, View)):
            raise ValueError("no network has been built yet")
        match command:
            case Build(layer_sizes, activation, seed, settings, X, y, features):
                network = Network(layer_sizes, activation, seed=seed)
                phi = None if features is None else FeatureMap(features, np.shape(X)[1])
                self.trainer = Trainer(network, X, y, settings, seed=seed, features=phi)
                self._clear_history()
                self._restart_pacing(new_cost=True)
            case SetData(X, y):
                self._set_data(X, y)
            case Configure(changes):
                self.trainer.update(**changes)
                self._seconds_per_step = None  # a new batch size changes what a step costs
            case Reset(seed):
                self.trainer.reset(seed)
                self._clear_history()
                self._restart_pacing()
            case SetParameters(flat):
                self.trainer.set_parameters(flat)
            case RestartSchedule():
                self.trainer.restart_schedule()
            case Restore(state):
                self._restore(state)
            case Resume(state):
                self._resume(state)
            case Play():
                self.playing = self.trainer is not None
                self._restart_pacing()
                self._resume_after_divergence()
            case Pause():
                self.playing = False
            case Step(n):
                self.playing = False
                self._pending_steps += int(n)
                self._resume_after_divergence()
            case Speed(steps_per_second):
                self.steps_per_second = steps_per_second
                self._restart_pacing()
            case View(spec):
                self.view = spec.following(self.view)
            case _:
                raise TypeError(f"unknown command {type(command).__name__}")

    def _set_data(self, X, y) -> None:
        t = self.trainer
        self._seconds_per_step = None  # more points: a step may cost far more than the last one did
        if t.settings.loss == "cross_entropy" and len(y):
            needed = max(2, int(np.max(y)) + 1)
            if needed > t.network.layer_sizes[-1]:  # a new class: a wider softmax, the old weights kept
                # a rebuild like any other: the step count, the optimizer and the curves start again
                self.trainer = Trainer(widen_outputs(t.network, needed), X, y, t.settings, seed=t.seed,
                                       features=t.features)
                self._clear_history()
                self._restart_pacing()
                return
        t.set_data(X, y)

    def _restore(self, state: dict) -> None:
        curves = {}
        for name, series in self._history.items():  # check every curve before changing anything
            saved = (state.get("curves") or {}).get(name)
            curves[name] = DecimatingSeries(series.capacity)
            if saved is not None:
                curves[name].restore(saved)
        if not isinstance(state.get("trainer"), dict):
            raise ValueError("restore needs a trainer state")
        self.trainer.restore(state["trainer"])
        self._history = curves
        self.playing, self._pending_steps = False, 0
        self._restart_pacing()

    def _resume(self, state: dict) -> None:
        """Take from a checkpoint what fits this trainer: the weights, counts and curves, and the optimizer's
        state unless the optimizer changed since (then a fresh one, its schedule at the saved step)."""
        base, saved = self.trainer.state(), state.get("trainer") or {}
        if np.size(saved.get("parameters", ())) != base["parameters"].size:
            raise ValueError("the last known weights are for another network shape; starting afresh")
        merged = {**base, **{k: saved[k] for k in ("parameters", "step", "epoch", "history") if k in saved}}
        fresh_optimizer = {**base["optimizer"], "t": merged["step"]}
        saved_optimizer = saved.get("optimizer") or {}
        merged["optimizer"] = saved_optimizer if saved_optimizer.get("key") == base["optimizer"]["key"] else fresh_optimizer
        merged["order"], merged["cursor"] = None, None  # the points may have changed since: a fresh epoch order
        playing = self.playing
        try:
            self._restore({"trainer": merged, "curves": state.get("curves")})
        except ValueError:  # e.g. the optimizer's buffers no longer fit: keep the weights and counts at least
            self._restore({"trainer": {**merged, "optimizer": fresh_optimizer}, "curves": state.get("curves")})
        self.playing = playing

    def state(self) -> dict:
        """The trainer's state and the loss curves, after any single steps already asked for."""
        while self._pending_steps:
            self.advance()
        if self.trainer is None:
            raise ValueError("nothing to save yet: no network has been built")
        return self._state()

    def _state(self) -> dict:
        return {"trainer": self.trainer.state(),
                "curves": {name: series.state() for name, series in self._history.items()}}

    def _resume_after_divergence(self) -> None:
        """Play or Step after a divergence goes on from the best weights before it, and says so."""
        if self.trainer is not None and self.trainer.diverged:
            self.notice = self.trainer.resume_after_divergence()

    def _clear_history(self):
        for series in self._history.values():
            series.clear()

    def _restart_pacing(self, new_cost: bool = False) -> None:
        """Pace from now and this step, and measure the rate afresh: a reset never replays the time before."""
        self._paced_since = None
        self._step_times.clear()
        if new_cost:
            self._seconds_per_step = None

    # -- training ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while there are steps to take (playing or single steps pending)."""
        return self.trainer is not None and (self.playing or self._pending_steps > 0)

    def advance(self, budget: float = SLICE_SECONDS) -> int:
        """Train for about ``budget`` seconds (or the pending single steps); returns steps taken."""
        t = self.trainer
        if t is None:
            return 0
        if self._pending_steps:  # in slices too, so a long Step(n) never silences the heartbeat
            done = self._run_sliced(t, self._pending_steps, time.perf_counter() + budget)
            self._pending_steps = 0 if done < self._pending_steps and t.blocked_reason else self._pending_steps - done
            self._dirty = self._checkpoint_dirty = True
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
            if self._paced_since is None or self._paced_since[1] > t.step_count:
                self._paced_since = (now, t.step_count)
            start, start_step = self._paced_since
            allowed = int((now - start) * self.steps_per_second) + 1 - (t.step_count - start_step)
            if allowed > max(1.0, MAX_BEHIND * self.steps_per_second):
                self._paced_since = (now, t.step_count)
                allowed = 1
            if allowed <= 0:
                return 0
        done = self._run_sliced(t, allowed, now + budget)
        if t.blocked_reason:
            self.playing = False
            self._dirty = True
        if done:
            self._step_times.append((time.perf_counter(), t.step_count))
            self._checkpoint_dirty = True
        return done

    def _run_sliced(self, t: Trainer, most: float, deadline: float) -> int:
        """Take up to ``most`` steps in chunks until ``deadline``; returns how many were taken."""
        done = 0
        while done < most:
            chunk = int(min(self._next_chunk(deadline - time.perf_counter()), most - done))
            began = time.perf_counter()
            took = t.run(chunk)
            ended = time.perf_counter()
            done += took
            if took:
                self._seconds_per_step = (ended - began) / took
            if took < chunk or ended >= deadline:
                break
        return done

    def _next_chunk(self, remaining: float) -> int:
        """Steps for the next trainer call: what fits the slice's remaining time at the last measured cost,
        at most twice the last chunk (so one wrong guess costs at most one slice), at least one."""
        if self._seconds_per_step is None:
            self._chunk = 1
        else:
            fits = int(max(remaining, 0.0) / max(self._seconds_per_step, 1e-9))
            self._chunk = max(1, min(fits, 2 * self._chunk, MAX_CHUNK))
        return self._chunk

    def measured_rate(self) -> float:
        """Steps per second over the last ``RATE_WINDOW`` seconds, from the first to the last slice that
        took steps in it (so slow motion's steps half a second apart read 2 steps/s, not a burst rate)."""
        if not self.playing or len(self._step_times) < 2:
            return 0.0
        last_time, last_step = self._step_times[-1]
        while len(self._step_times) > 2 and last_time - self._step_times[0][0] > RATE_WINDOW:
            self._step_times.popleft()
        first_time, first_step = self._step_times[0]
        return (last_step - first_step) / (last_time - first_time) if last_time > first_time else 0.0

    # -- snapshots and checkpoints ------------------------------------------------------------
    def snapshot_due(self) -> bool:
        if self.trainer is None or self._pending_steps:  # a Step(n) shows when all n are taken
            return False
        return self._dirty or (self.playing and time.perf_counter() - self._last_snapshot >= FRAME_INTERVAL)

    def checkpoint_due(self, interval: float) -> bool:
        """A checkpoint once the state changed and ``interval`` passed, or at once when training stops."""
        if self.trainer is None or not self._checkpoint_dirty or self._pending_steps:
            return False
        return not self.playing or time.perf_counter() - self._last_checkpoint >= interval

    def checkpoint(self) -> tuple[int, dict]:
        """(seq of the newest command applied, the full state): what a restarted service continues from."""
        self._checkpoint_dirty = False
        self._last_checkpoint = time.perf_counter()
        return self.commands_handled, self._state()

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
        one_d = t.n_inputs == 1
        phi = t.features
        self._serial += 1
        self._dirty = False
        self._last_snapshot = time.perf_counter()
        return Snapshot(
            serial=self._serial, commands_handled=self.commands_handled, step=t.step_count, epoch=t.epoch,
            learning_rate=t.learning_rate, schedule_origin=t.schedule_origin, playing=self.playing,
            blocked_reason=t.blocked_reason, notice=self.notice, steps_per_second=self.measured_rate(), metrics=m,
            parameters=net.parameters.copy(), layer_sizes=net.layer_sizes, activation=net.activation,
            test_mask=t.test_mask.copy(), loss_steps=steps, train_loss=train,
            test_loss=h["test"].arrays()[1], train_accuracy=h["train_acc"].arrays()[1],
            test_accuracy=h["test_acc"].arrays()[1],
            curves=curves_1d(net, self.view.x_range, features=phi) if one_d else None,
            regions=None if one_d else regions_2d(net, self.view.extent, features=phi,
                                                   unit_maps=self.view.unit_maps),
            features=None if phi is None else phi.keys,
        )
