"""The training service in a child process, and the parent's handle on it (no Qt here).

Why a process and not a thread: training is thousands of small numpy calls per second,
each holding the GIL, and a training thread in the GUI process lost about half its speed
once the window drew live (shared/design.md). A child process trains on the other core.

Flow control: the child sends a snapshot only while fewer than two are unacknowledged, so
it renders the next frame while the window draws this one, nothing ever queues up, and the
window (which keeps only the newest snapshot it finds) never draws a stale state.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from contextlib import contextmanager
from multiprocessing.connection import Connection

import numpy as np

from ..blas import SINGLE_THREADED
from .service import TrainingService

MAX_IN_FLIGHT = 2


def serve(conn: Connection) -> None:
    """The child's loop: apply commands, train within a time budget, send snapshots."""
    np.seterr(all="ignore")  # a diverging run overflows on purpose; the window explains it, not stderr
    service = TrainingService()
    unacknowledged = 0
    try:
        while True:
            if conn.poll(0 if service.busy else 0.02):
                while conn.poll():
                    command = conn.recv()
                    if command[0] == "quit":
                        return
                    if command[0] == "ack":
                        unacknowledged = max(unacknowledged - 1, 0)
                        continue
                    if command[0] == "get_state":  # a question, not a command: not counted
                        try:
                            conn.send(("state", command[1], service.state()))
                        except ValueError as exc:
                            conn.send(("state", command[1], str(exc)))
                        continue
                    error = service.handle(command)
                    if error:
                        conn.send(("error", error))
            if service.busy:
                service.advance()
            if unacknowledged < MAX_IN_FLIGHT and service.snapshot_due():
                conn.send(("snapshot", service.snapshot()))
                unacknowledged += 1
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        return  # the window went away: nothing left to serve


@contextmanager
def _environment(variables: dict[str, str]):
    """Set environment variables for a child started inside the block (it reads them before numpy loads)."""
    saved = {key: os.environ.get(key) for key in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class WorkerProcess:
    """Parent side: ``send(name, *args)``, ``receive()`` the messages waiting, ``close()``."""

    def __init__(self):
        context = mp.get_context("spawn")  # never fork a process that has Qt threads running
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=serve, args=(child_conn,), name="playground-trainer", daemon=True)
        with _environment(SINGLE_THREADED):
            self._process.start()
        child_conn.close()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def send(self, *command) -> None:
        try:
            self._conn.send(command)
        except OSError:  # the child died (BrokenPipeError): ``alive`` tells the session, which starts a new one
            pass

    def receive(self, timeout: float = 0.0) -> list[tuple]:
        """All messages waiting now: ("snapshot", Snapshot), ("error", text) or ("state", id, dict or text).

        With a ``timeout`` > 0, wait up to that many seconds for the first message.
        """
        messages = []
        try:
            if timeout > 0 and self._conn.poll(timeout):
                messages.append(self._conn.recv())
            while self._conn.poll():
                messages.append(self._conn.recv())
        except (EOFError, OSError):
            pass  # the child died; ``alive`` tells the caller
        return messages

    def close(self, timeout: float = 2.0) -> None:
        """Ask the child to quit and wait for it; terminate it if it does not answer in time."""
        if self._process.is_alive():
            try:
                self._conn.send(("quit",))
            except (BrokenPipeError, OSError):
                pass
            self._process.join(timeout)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout)
        self._conn.close()
