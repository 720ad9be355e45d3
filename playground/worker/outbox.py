"""Commands waiting to be written to the training service: bounded, and newer data replaces unsent data.

The window puts commands here and never waits; a writer thread takes them out and blocks in the
pipe instead of the GUI thread. While the service is slow to read (a 100k-point step, a frozen
process), a stroke of point edits does not pile up: each new ``SetData`` replaces the unsent one, as
do new parameters, settings (merged), speed, view, play/pause, steps (added up) and resets, as long
as nothing between the two would see the difference. Acknowledgements are a count, sent first.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from .protocol import (
    Ack,
    Build,
    Configure,
    GetState,
    Pause,
    Play,
    Quit,
    Reset,
    Restore,
    Resume,
    SetData,
    SetParameters,
    Speed,
    Step,
    View,
)

MAX_UNSENT = 256  # more than this waiting means the service is not reading: the link restarts it

_KIND = {SetData: "data", SetParameters: "parameters", Configure: "settings", Speed: "speed", View: "view",
         Play: "transport", Pause: "transport", Step: "step", Reset: "reset", Build: "build"}
# A new command of a kind may replace an unsent one of the same kind across these kinds in between
# (moving its effect later past them changes nothing the user can see).
_CROSSES = {
    "data": {"parameters", "settings", "speed", "view", "transport", "reset"},
    "parameters": {"data", "settings", "speed", "view", "transport"},
    "settings": {"data", "parameters", "speed", "view", "transport"},
    "speed": {"data", "parameters", "settings", "view", "transport", "step", "reset", "build"},
    "view": {"data", "parameters", "settings", "speed", "transport", "step", "reset", "build"},
    "transport": {"data", "parameters", "settings", "speed", "view", "reset", "build"},
    "step": {"speed", "view", "transport"},
    "reset": {"data", "parameters", "settings", "speed", "view", "transport", "step", "reset"},
}
# A Build makes every unsent command of these kinds moot (it carries the network, settings and points).
_BUILD_REPLACES = {"data", "parameters", "settings", "step", "reset", "build"}
_HARD_BARRIERS = (GetState, Restore, Resume)  # nothing moves across these: their answer or state depends on order


def coalesce(unsent: list, new) -> list:
    """The unsent commands after putting ``new`` (a pure function: ``unsent`` is not changed)."""
    kind = _KIND.get(type(new))
    items = list(unsent)
    if kind == "build":
        barrier = max((i for i, m in enumerate(items) if isinstance(m, _HARD_BARRIERS)), default=-1)
        items = items[:barrier + 1] + [m for m in items[barrier + 1:] if _KIND.get(type(m)) not in _BUILD_REPLACES]
        return items + [new]
    if kind is None:
        return items + [new]
    for i in range(len(items) - 1, -1, -1):
        other = _KIND.get(type(items[i]))
        if other == kind:
            old = items.pop(i)
            if kind == "settings":
                new = replace(new, changes={**old.changes, **new.changes})
            elif kind == "step":
                new = replace(new, n=old.n + new.n)
            break
        if other not in _CROSSES[kind]:
            break
    return items + [new]


class Outbox:
    """Thread-safe: ``put`` from the GUI thread never blocks; ``take`` blocks the writer thread."""

    def __init__(self, limit: int = MAX_UNSENT):
        self.limit = limit
        self._items: list = []
        self._acks = 0
        self._closed = False
        self._ready = threading.Condition()

    def put(self, message) -> None:
        with self._ready:
            if isinstance(message, Quit):  # nothing else matters any more
                self._items, self._acks = [message], 0
            else:
                self._items = coalesce(self._items, message)
            self._ready.notify()

    def acknowledge(self, count: int) -> None:
        with self._ready:
            self._acks += count
            self._ready.notify()

    @property
    def overfull(self) -> bool:
        with self._ready:
            return len(self._items) > self.limit

    def __len__(self) -> int:
        with self._ready:
            return len(self._items)

    def take(self):
        """The next message to write (acknowledgements first), waiting for one; None once closed."""
        with self._ready:
            while not (self._items or self._acks or self._closed):
                self._ready.wait()
            if self._closed:
                return None
            if self._acks:
                count, self._acks = self._acks, 0
                return Ack(count)
            return self._items.pop(0)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
