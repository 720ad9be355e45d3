"""Help ▸ Keyboard shortcuts, read off the window's own actions and shortcuts, so it cannot go stale.

A key that does something has a QAction (menu, toolbar) or a QShortcut (the class digits, Esc); this module
lists every one that has a key. A QShortcut says what it does through its whatsThis text. Keys that are not
shortcuts (mouse gestures, Esc inside a text field) are the only rows written here by hand.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

# Not shortcuts of the window, so no action can say them
BY_HAND = [("Esc (in a text field)", "drop the edit and give Space, S and R back to the window"),
           ("left click / drag", "add points"), ("right click / drag", "erase points")]


def _keys(sequences) -> str:
    return " or ".join(s.toString(QKeySequence.NativeText) for s in sequences if not s.isEmpty())


def _what(action: QAction) -> str:
    """What an action does, in words: its whatsThis, else its menu text without & and the trailing …"""
    if action.whatsThis():
        return action.whatsThis()
    return action.text().replace("&", "").rstrip("…").strip()


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(keys, what they do) for every action and shortcut of ``window`` that has a key, in the order made."""
    rows, seen = [], set()
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if keys and (keys, _what(action)) not in seen:
            seen.add((keys, _what(action)))
            rows.append((keys, _what(action)))
    grouped: dict[str, list[str]] = {}  # shortcuts that share one meaning (the digits 1…6) share a row
    for shortcut in window.findChildren(QShortcut):
        keys = _keys([shortcut.key()])
        if keys and shortcut.whatsThis():
            grouped.setdefault(shortcut.whatsThis(), []).append(keys)
    for what, keys in grouped.items():
        rows.append((keys[0] if len(keys) == 1 else f"{keys[0]} … {keys[-1]}", what))
    return rows + BY_HAND


def show_shortcuts(window) -> None:
    rows = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>&nbsp;&nbsp;{html.escape(what)}</td></tr>"
                   for keys, what in shortcut_rows(window))
    QMessageBox.information(window, "Keyboard shortcuts", f"<table>{rows}</table>")
