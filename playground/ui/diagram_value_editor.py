"""The network diagram's inline field for typing one weight or bias where the user clicked."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QLineEdit

STYLE = "font-size: 13pt;"
REFUSED_STYLE = "font-size: 13pt; background: #fde2e1;"


class ValueEditor(QLineEdit):
    """Opens at a point with a parameter's value; Enter emits ``value_entered(index, value)`` and closes,
    Esc or a click elsewhere closes; text that is not a finite number emits ``refused(message)`` and stays
    (shown red) to be corrected."""

    value_entered = Signal(int, float)
    refused = Signal(str)

    def __init__(self, parent):
        super().__init__(parent)
        self.index: int | None = None  # the parameter being typed
        self.setFixedWidth(120)
        self.setStyleSheet(STYLE)
        self.hide()
        self.returnPressed.connect(self._on_return_pressed)

    def open_at(self, index: int, value: float, pos: QPoint) -> None:
        """Show ``value`` selected, beside ``pos`` (the parent's coordinates) and inside the parent."""
        self.index = index
        self.setText(f"{value:.6g}")
        self.setStyleSheet(STYLE)
        parent = self.parentWidget()
        self.move(min(max(0, pos.x() + 8), max(0, parent.width() - self.width())),
                  min(max(0, pos.y() - 12), max(0, parent.height() - self.height())))
        self.show()
        self.raise_()
        self.setFocus()
        self.selectAll()

    def close_editor(self) -> None:
        self.index = None
        self.hide()

    def _on_return_pressed(self) -> None:
        if self.index is None:
            return
        text = self.text().strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.setStyleSheet(REFUSED_STYLE)
            self.refused.emit(f"weight or bias: '{text}' is not a finite number")
            return
        index = self.index
        self.close_editor()
        self.value_entered.emit(index, value)

    def event(self, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.close_editor()
            return True
        if event.type() == QEvent.FocusOut:
            self.close_editor()
        return super().event(event)
