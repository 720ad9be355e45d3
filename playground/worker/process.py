"""Where the service runs, and the window's handle on it: a child process, or a thread for tests (no Qt here).

Why a process and not a thread: training is thousands of small numpy calls per second, each
holding the GIL, and a training thread in the GUI process lost about half its speed once the
window drew live (shared/design.md). A child process trains on the other core. Tests and the
headless export, which do not draw live, use ``WorkerThread``: the same loop, no process to spawn.

Either way the window's side has a writer thread (draining the coalescing ``Outbox``) and a reader
thread (collecting replies), so the GUI thread only ever touches in-memory queues and never blocks
in a pipe, whatever the service does: busy, flooded, stopped (SIGSTOP) or dead.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from contextlib import contextmanager
from multiprocessing import resource_tracker

from ..blas import SINGLE_THREADED
from .outbox import Outbox
from .protocol import Quit
from .serve import GONE, serve

CLOSED_UNDER_US = (*GONE, TypeError)  # a connection closed by ``close`` while a thread was using it

QUIT_SECONDS = 1.0  # how long closing waits for the service to quit by itself before stopping it (an idle
                   # machine: milliseconds; on a loaded one 0.5 s was short: the self-test may have seen it killed)


class Endpoint:
    """The window's side of one running service: ``send`` (never blocks), ``receive``, ``close``."""

    def __init__(self, down, up):
        self.outbox = Outbox()
        self._down, self._up = down, up
        self._replies: queue.SimpleQueue = queue.SimpleQueue()
        self.started = time.monotonic()
        self.last_heard: float | None = None  # when the newest reply arrived (the watchdog reads it)
        for target, name in ((self._write, "playground-writer"), (self._read, "playground-reader")):
            threading.Thread(target=target, name=name, daemon=True).start()

    def send(self, message) -> None:
        self.outbox.put(message)

    def acknowledge(self, count: int) -> None:
        self.outbox.acknowledge(count)

    def receive(self) -> list:
        """Every reply waiting now (never waits)."""
        messages = []
        while True:
            try:
                messages.append(self._replies.get_nowait())
            except queue.Empty:
                return messages

    def _write(self) -> None:
        while (message := self.outbox.take()) is not None:
            try:
                self._down.send(message)
            except CLOSED_UNDER_US:
                return

    def _read(self) -> None:
        while True:
            try:
                message = self._up.recv()
            except CLOSED_UNDER_US:
                return
            self.last_heard = time.monotonic()
            self._replies.put(message)

    @property
    def alive(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the service now, whatever it is doing (frozen included)."""
        raise NotImplementedError

    def close(self, timeout: float = QUIT_SECONDS) -> None:
        """Ask the service to quit; stop it if it has not within ``timeout`` seconds."""
        self.outbox.put(Quit())
        self._join(timeout)
        if self.alive:
            self.stop()
        self.outbox.close()
        for conn in (self._down, self._up):
            conn.close()

    def _join(self, timeout: float) -> None:
        raise NotImplementedError


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


def _child_main(commands, replies) -> None:
    # Ctrl+C in the terminal reaches the whole process group: the window decides when this process stops.
    # Until here SIGINT was blocked (inherited from ``_ctrl_c_held``), so one sent meanwhile is pending: ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    serve(commands, replies)


@contextmanager
def _ctrl_c_held():
    """Block SIGINT in this thread while a child process starts.

    A spawned child is a new Python that imports numpy and this package before ``_child_main`` can ignore
    SIGINT: a Ctrl+C in that moment printed its KeyboardInterrupt traceback. The signal mask survives fork
    and exec (ignoring would too, but the window would lose its own Ctrl+C meanwhile), so the child's
    Ctrl+C waits, blocked, until it ignores it; the window's is delivered when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no terminal process groups to worry about
        yield
        return
    # The first start also launches multiprocessing's resource tracker, and that launch ends by unblocking
    # SIGINT (for its own reasons): have it running first, or the first training process starts unprotected.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class WorkerProcess(Endpoint):
    """The service in a spawned child process, one pipe down and one pipe up."""

    def __init__(self):
        context = mp.get_context("spawn")  # never fork a process that has Qt threads running
        child_commands, down = context.Pipe(duplex=False)
        up, child_replies = context.Pipe(duplex=False)
        self.process = context.Process(target=_child_main, args=(child_commands, child_replies),
                                       name="playground-trainer", daemon=True)
        with _environment(SINGLE_THREADED), _ctrl_c_held():
            self.process.start()
        child_commands.close()
        child_replies.close()
        super().__init__(down, up)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        self.process.kill()  # SIGKILL: a stopped (SIGSTOP) process cannot catch it either
        self.process.join(1.0)

    def _join(self, timeout: float) -> None:
        self.process.join(timeout)


class _QueueConnection:
    """One direction of an in-process pipe: the subset of ``multiprocessing.Connection`` that ``serve`` uses."""

    _CLOSED = object()

    def __init__(self, channel: queue.Queue):
        self._channel = channel
        self._peeked = None

    def send(self, message) -> None:
        self._channel.put(message)

    def poll(self, timeout: float = 0.0) -> bool:
        if self._peeked is None:
            try:
                self._peeked = self._channel.get(timeout=timeout) if timeout > 0 else self._channel.get_nowait()
            except queue.Empty:
                return False
        return True

    def recv(self):
        if self._peeked is None:
            self._peeked = self._channel.get()
        message, self._peeked = self._peeked, None
        if message is self._CLOSED:
            self._channel.put(self._CLOSED)  # stays closed for every later reader
            raise EOFError("the other end closed")
        return message

    def close(self) -> None:
        self._channel.put(self._CLOSED)


class WorkerThread(Endpoint):
    """The same service loop in a thread of this process: no spawn cost (tests, headless export)."""

    def __init__(self):
        down_channel, up_channel = queue.Queue(), queue.Queue()
        commands, replies = _QueueConnection(down_channel), _QueueConnection(up_channel)
        self._thread = threading.Thread(target=self._serve, args=(commands, replies),
                                        name="playground-trainer", daemon=True)
        self._thread.start()
        super().__init__(_QueueConnection(down_channel), _QueueConnection(up_channel))

    @staticmethod
    def _serve(commands, replies) -> None:
        try:
            serve(commands, replies)
        finally:
            replies.close()  # the window's reader sees the end, as with a process

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        pass  # a thread cannot be stopped from outside; it ends with the commands pipe closed

    def _join(self, timeout: float) -> None:
        self._thread.join(timeout)
