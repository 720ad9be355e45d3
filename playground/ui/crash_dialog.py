"""An uncaught exception anywhere in a slot or a paint shows a dialog; the window lives on.

Qt hands an exception raised in a Python slot to ``sys.excepthook`` and carries on, so without this
hook a broken view would only print to a terminal nobody watches and silently stop updating. The
dialog says what happened in one line (the traceback is under "Show Details…" and on stderr, for a
bug report). It is not modal and only one shows at a time: a view that fails on every frame gives
one dialog, not one per frame.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox

from ..data.bounded_read import one_line

REPEAT_SECONDS = 30.0  # the same failure again within this time is printed, not shown again


def _message_box(summary: str, details: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Warning, "Something went wrong",
                      f"Neural Playground hit an error it did not expect:\n\n{summary}\n\n"
                      "Your points and settings are still here; saving your session now is a good idea.",
                      QMessageBox.Ok, QApplication.activeWindow())
    box.setDetailedText(details)
    box.setModal(False)
    box.show()
    return box


def install(show: Callable[[str, str], object] = _message_box, clock=None) -> Callable:
    """Make ``sys.excepthook`` show ``show(summary, details)`` for an uncaught exception; returns the hook.

    ``show`` returns the dialog (anything with ``isVisible()``); tests pass their own.
    """
    clock = clock or time.monotonic
    previous = sys.excepthook
    shown: dict = {"dialog": None, "last": None, "at": -REPEAT_SECONDS}

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        print(details, file=sys.stderr, end="")
        summary = one_line(f"{exc_type.__name__}: {exc}", 200)
        dialog = shown["dialog"]
        open_now = dialog is not None and dialog.isVisible()
        repeated = summary == shown["last"] and clock() - shown["at"] < REPEAT_SECONDS
        if open_now or repeated or QApplication.instance() is None:
            return
        shown.update(dialog=show(summary, details), last=summary, at=clock())

    sys.excepthook = hook
    return hook
