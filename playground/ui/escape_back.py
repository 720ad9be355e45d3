"""Esc backs out of the innermost thing shown large (an enlarged hidden unit, an enlarged compare run) before the
window's own Esc (presentation mode) leaves the mode at the next press.

Two Esc ``QShortcut`` s that both match (a view's and presentation mode's) make Qt activate neither: it reports them
ambiguous and Esc does nothing (a newcomer found Esc dead in presentation mode after clicking a hidden unit). So a
view's Esc is not a shortcut but this filter, installed on the application only while there is something to back out
of: it takes Esc's ShortcutOverride first, so the window's shortcut never sees that press.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget


class EscapeGoesBack(QObject):
    """While ``watch(True)``, Esc anywhere in ``owner``'s window (no dialog open, ``owner`` on screen) calls ``back()``."""

    def __init__(self, owner: QWidget, back: Callable[[], None]):
        super().__init__(owner)
        self.owner, self.back = owner, back

    def watch(self, on: bool) -> None:
        app = QApplication.instance()
        app.removeEventFilter(self)
        if on:
            app.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.ShortcutOverride, QEvent.KeyPress) or event.key() != Qt.Key_Escape:
            return False
        if QApplication.activeModalWidget() is not None or not self.owner.isVisible():
            return False  # a dialog's Esc is the dialog's
        if not isinstance(watched, QWidget) or watched.window() is not self.owner.window():
            return False
        event.accept()
        if kind == QEvent.KeyPress:
            self.back()
        return True
