"""Read a file on a thread while the window keeps answering, with progress and Cancel.

``read_in_background`` runs a reader (``session_file.load``, ``points_csv.load_csv``) on a plain
thread and waits in a local event loop, so the window repaints and its timers fire meanwhile. A
progress dialog appears only if the read takes longer than ``SHOW_AFTER_MS``; Cancel returns at
once (``ReadCancelled``): a read still under way stops at its next chunk, a parse still under way
finishes on its own thread and is thrown away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog

from ..data.bounded_read import ReadCancelled

T = TypeVar("T")
SHOW_AFTER_MS = 400
POLL_MS = 20
STEPS = 1000  # the progress bar's resolution

__all__ = ["ReadCancelled", "read_in_background"]


def read_in_background(parent, label: str, reader: Callable[[Callable[[int, int], None], Callable[[], bool]], T],
                       show_after_ms: int = SHOW_AFTER_MS) -> T:
    """``reader(progress, cancelled)`` run off the GUI thread; returns its result or raises its exception
    (``ReadCancelled`` if the user pressed Cancel)."""
    cancel = threading.Event()
    outcome: dict = {"done": False, "progress": (0, 0)}

    def run() -> None:
        try:
            outcome["result"] = reader(lambda done, total: outcome.__setitem__("progress", (done, total)),
                                       cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, raised there
            outcome["error"] = exc
        finally:
            outcome["done"] = True

    dialog = QProgressDialog(label, "Cancel", 0, STEPS, parent)
    dialog.setWindowTitle("Reading")
    dialog.setWindowModality(Qt.WindowModal)  # the window draws on, but a second Open cannot start meanwhile
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    loop = QEventLoop()
    dialog.canceled.connect(cancel.set)
    dialog.canceled.connect(loop.quit)

    def poll() -> None:
        if outcome["done"] or dialog.wasCanceled():  # wasCanceled: also a cancel() not from the button
            if dialog.wasCanceled():
                cancel.set()
            loop.quit()
            return
        done, total = outcome["progress"]
        if total and done < total:
            dialog.setValue(int(STEPS * done / total))
        elif total:  # read: now parsing and checking, which cannot say how far it is
            dialog.setLabelText(f"{label}\nchecking every value…")
            dialog.setRange(0, 0)

    timer = QTimer(interval=POLL_MS)
    timer.timeout.connect(poll)
    threading.Thread(target=run, name="file-reader", daemon=True).start()
    timer.start()
    if not outcome["done"]:
        loop.exec()
    timer.stop()
    dialog.canceled.disconnect()
    dialog.close()
    dialog.deleteLater()
    if cancel.is_set():  # whatever the thread got to: the user asked for nothing to change
        raise ReadCancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
