"""A status-bar message that fits: elided at the permanent readouts' left edge, the whole text in the tooltip.

QStatusBar cuts a long message off mid-word under its permanent widgets ("…with the ⋮ menu c"); here the
cut is marked with "…" and hovering the message shows all of it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar

MESSAGE_MS = 12_000  # how long a message stays
MARGIN = 16          # px between the message and the first permanent readout


def show_message(bar: QStatusBar, text: str, readouts) -> str:
    """Show ``text`` left of the visible ``readouts`` (the bar's permanent widgets); returns what is shown."""
    right = min([w.x() for w in readouts if w.isVisible()], default=bar.width())
    shown = bar.fontMetrics().elidedText(text, Qt.ElideRight, max(40, right - MARGIN))
    bar.setToolTip(text if shown != text else "")
    bar.showMessage(shown, MESSAGE_MS)
    return shown


def forget_tooltip_with_message(bar: QStatusBar) -> None:
    """The whole-text tooltip goes when its message does."""
    bar.messageChanged.connect(lambda message: message or bar.setToolTip(""))
