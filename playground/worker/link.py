"""The window's one link to the training service: numbering, flow control, state requests, watchdog, restart.

Qt-free, and never blocking: ``send`` queues (see ``outbox``), ``poll`` only looks at what the reader
thread collected. The window calls ``poll`` from a timer and gets back the newest snapshot, the
errors and, when the service died or stopped answering (no heartbeat for ``watchdog`` seconds, e.g.
a SIGSTOPped process), why it was restarted. A restarted service gets the scene again from the
window (``scene_commands``) and continues from the newest state the window knows: the newest
checkpoint (weights, step, optimizer state, curves), with the weights and step of a newer snapshot,
and it plays again if it was playing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .process import WorkerProcess
from .protocol import Build, Checkpoint, Command, Error, GetState, Heartbeat, Pause, Play, Reset, Resume, StateReply, Step
from .snapshot import Snapshot

WATCHDOG_SECONDS = 4.0   # silence after which a running service counts as frozen
STARTUP_SECONDS = 30.0   # a new process imports numpy first: silence allowed before its first reply


@dataclass
class Polled:
    """What one ``poll`` found."""

    snapshot: Snapshot | None = None       # the newest snapshot (older ones are dropped, never queued)
    errors: list[str] = field(default_factory=list)
    restarted: str | None = None            # why the service was restarted, for the user


def resume_state(checkpoint: Checkpoint | None, snapshot: Snapshot | None, since: int) -> dict | None:
    """The state a restarted service continues from: the checkpoint, moved on to a newer snapshot's weights
    and step (the optimizer's schedule clock too); only what reflects the current build (seq ≥ ``since``)."""
    usable = checkpoint is not None and checkpoint.seq >= since
    trainer = dict(checkpoint.state["trainer"]) if usable else {}
    curves = checkpoint.state.get("curves") if usable else None
    if (snapshot is not None and snapshot.commands_handled >= since and snapshot.step >= trainer.get("step", 0)
            and list(snapshot.layer_sizes) == list(trainer.get("layer_sizes", snapshot.layer_sizes))):
        ahead = snapshot.step - trainer.get("step", snapshot.step)
        trainer.update(layer_sizes=list(snapshot.layer_sizes), activation=snapshot.activation,
                       parameters=snapshot.parameters.copy(), step=snapshot.step, epoch=snapshot.epoch)
        if "optimizer" in trainer:
            trainer["optimizer"] = {**trainer["optimizer"], "t": trainer["optimizer"].get("t", 0) + ahead}
    if not trainer:
        return None
    return {"trainer": trainer, "curves": curves}


class WorkerLink:
    def __init__(self, scene_commands: Callable[[], list[Command]], factory: Callable = WorkerProcess,
                 watchdog: float = WATCHDOG_SECONDS, startup: float = STARTUP_SECONDS):
        self._scene_commands = scene_commands
        self._factory = factory
        self.watchdog, self.startup = watchdog, startup
        self.endpoint = factory()
        self.seq = 0               # the newest command's number: a snapshot with this seq is up to date
        self.playing = False       # what the service was last told (or reported, once up to date)
        self.restarts = 0
        self._build_seq = 0        # the newest Build's number: older state belongs to another network
        self._checkpoint: Checkpoint | None = None
        self._snapshot: Snapshot | None = None
        self._state_requests: dict[int, Callable] = {}
        self._next_request = 0

    # -- down -----------------------------------------------------------------------------------
    def send(self, command: Command) -> int:
        """Queue a command (never blocks); returns its seq."""
        self.seq += 1
        command = replace(command, seq=self.seq)
        match command:
            case Build() | Reset():  # state from before this belongs to another run
                self._build_seq = self.seq
            case Play():
                self.playing = True
            case Pause() | Step():
                self.playing = False
        self.endpoint.send(command)
        return self.seq

    def request_state(self, callback: Callable[[dict | None, str | None], None]) -> None:
        """Ask for the full state after every command sent so far; ``callback(state, error)`` runs in a later
        ``poll`` (with an error if the service restarts first)."""
        self._next_request += 1
        self._state_requests[self._next_request] = callback
        self.endpoint.send(GetState(self._next_request))

    def up_to_date(self, snapshot: Snapshot | None) -> bool:
        return snapshot is not None and snapshot.commands_handled == self.seq

    # -- up -------------------------------------------------------------------------------------
    def poll(self) -> Polled:
        found = Polled()
        taken = 0
        for message in self.endpoint.receive():
            match message:
                case Snapshot():
                    found.snapshot, taken = message, taken + 1
                case Error(text):
                    found.errors.append(text)
                case StateReply(request, state, error):
                    callback = self._state_requests.pop(request, None)
                    if callback is not None:
                        callback(state, error)
                case Checkpoint(seq):
                    if seq >= self._build_seq:
                        self._checkpoint = message
                case Heartbeat():
                    pass
        if taken:
            self.endpoint.acknowledge(taken)  # flow control: the service may send more (protocol.MAX_IN_FLIGHT)
        if found.snapshot is not None:
            self._snapshot = found.snapshot
            if self.up_to_date(found.snapshot):
                self.playing = found.snapshot.playing
        found.restarted = self._check()
        return found

    def _check(self) -> str | None:
        """The watchdog: restart a dead, frozen or flooded service; returns why, or None."""
        endpoint = self.endpoint
        if not endpoint.alive:
            reason = "the training process stopped unexpectedly"
        elif endpoint.outbox.overfull:
            reason = "the training process stopped reading its commands"
        elif endpoint.last_heard is None:
            if time.monotonic() - endpoint.started < self.startup:
                return None
            reason = f"the training process did not start within {self.startup:g} s"
        elif time.monotonic() - endpoint.last_heard > self.watchdog:
            reason = f"the training process stopped answering for {self.watchdog:g} s"
        else:
            return None
        return self.restart(reason)

    def restart(self, reason: str) -> str:
        """Replace the service by a new one that continues from the newest state the window knows."""
        resume = resume_state(self._checkpoint, self._snapshot, self._build_seq)
        playing = self.playing
        self.endpoint.close(timeout=0.0)
        self.endpoint = self._factory()
        self.restarts += 1
        for callback in self._state_requests.values():
            callback(None, f"{reason}; it was restarted, try again")
        self._state_requests.clear()
        for command in self._scene_commands():
            self.send(command)
        step = 0
        if resume is not None:
            self.send(Resume(resume))
            step = resume["trainer"].get("step", 0)
        if playing:
            self.send(Play())
        # the news first: the status bar clips
        return f"training restarted at step {step:,} ({reason}); your points are kept"

    def last_known_state(self) -> dict:
        """The newest full state the window has without asking (for a save when the service does not
        answer): the checkpoint moved on to a newer snapshot, with a fresh epoch order (the points may
        have changed since); ``{"trainer": None, "curves": None}`` if there is none for this network."""
        state = resume_state(self._checkpoint, self._snapshot, self._build_seq)
        if state is None or "optimizer" not in state["trainer"]:  # weights alone are not a trainer state
            return {"trainer": None, "curves": None}
        return {"trainer": {**state["trainer"], "order": None, "cursor": None}, "curves": state["curves"]}

    def close(self) -> None:
        self.endpoint.close()
