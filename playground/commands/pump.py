"""The one event-pump wait of the entry points that drive a window without a user (export, self-test, benchmarks).

Outside ``app.exec()`` nothing runs Qt's event loop, so a command that waits for a snapshot or a redraw turns it by
hand: events for a few milliseconds, a short sleep so a busy loop leaves the training process its core, again.
(Tests wait with pytest-qt's ``qtbot.waitUntil`` instead.)
"""

from __future__ import annotations

import time


def pump_events(app, seconds: float, until=None) -> bool:
    """Process ``app``'s events for ``seconds``, or until ``until()`` is true; returns whether it held
    (always true with no ``until``: then the point is the events themselves, e.g. a bounded-rate redraw)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until is not None and until():
            return True
        app.processEvents(QEventLoop.AllEvents, 10)
        time.sleep(0.001)
    return until() if until is not None else True


def wait_until(app, condition, timeout: float, what: str) -> None:
    """``pump_events`` until ``condition()``; a ``TimeoutError`` naming ``what`` if it never holds."""
    if not pump_events(app, timeout, condition):
        raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
