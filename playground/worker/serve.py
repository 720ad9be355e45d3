"""The service's loop, on the far side of two connections: apply commands, train in slices, reply.

It runs in a child process (``process.WorkerProcess``) or a thread (``process.WorkerThread``). Replies
go out through a sender thread, so a full pipe (a window busy drawing, or stopped) never stops the
loop from reading the next command, training, or quitting: neither side can wedge the other.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from .protocol import (
    CHECKPOINT_SECONDS,
    HEARTBEAT_SECONDS,
    MAX_IN_FLIGHT,
    Ack,
    Checkpoint,
    Error,
    GetState,
    Heartbeat,
    Quit,
    StateReply,
)
from .service import TrainingService
from .snapshot import Snapshot

# Closed or broken connections, whichever end went first.
GONE = (EOFError, OSError, ValueError)


class ReplySender:
    """Writes replies in order on its own thread; at most one snapshot, checkpoint and heartbeat wait at once
    (a newer checkpoint replaces an unsent one)."""

    def __init__(self, conn):
        self._conn = conn
        self._items: list = []
        self._closed = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="playground-replies", daemon=True)
        self._thread.start()

    def has(self, kind: type) -> bool:
        with self._ready:
            return any(isinstance(m, kind) for m in self._items)

    def put(self, message) -> None:
        with self._ready:
            if isinstance(message, (Checkpoint, Heartbeat)):
                self._items = [m for m in self._items if not isinstance(m, type(message))]
            self._items.append(message)
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not (self._items or self._closed):
                    self._ready.wait()
                if self._closed:
                    return
                message = self._items.pop(0)
            try:
                self._conn.send(message)
            except GONE:
                return


def serve(commands, replies) -> None:
    """Until ``Quit`` or the window goes: read every waiting command, train a slice, reply when due."""
    np.seterr(all="ignore")  # a diverging run overflows on purpose; the window explains it, not stderr
    service = TrainingService()
    sender = ReplySender(replies)
    in_flight = 0  # snapshots sent and not yet acknowledged
    last_beat = 0.0
    try:
        while True:
            if commands.poll(0 if service.busy else 0.02):
                while commands.poll():
                    match commands.recv():
                        case Quit():
                            return
                        case Ack(count):
                            in_flight = max(in_flight - count, 0)
                        case GetState(request):
                            try:
                                sender.put(StateReply(request, service.state()))
                            except ValueError as exc:
                                sender.put(StateReply(request, None, str(exc)))
                        case command:
                            if error := service.handle(command):
                                sender.put(Error(error))
            if service.busy:
                service.advance()
            if in_flight < MAX_IN_FLIGHT and not sender.has(Snapshot) and service.snapshot_due():
                sender.put(service.snapshot())
                in_flight += 1
            if not sender.has(Checkpoint) and service.checkpoint_due(CHECKPOINT_SECONDS):
                sender.put(Checkpoint(*service.checkpoint()))
            now = time.monotonic()
            if now - last_beat >= HEARTBEAT_SECONDS:  # the window's watchdog listens for this
                sender.put(Heartbeat())
                last_beat = now
    except GONE:
        return  # the window went away: nothing left to serve
    finally:
        sender.close()
