"""The network diagram's inline field for typing one weight or bias where the user clicked."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit

STYLE = "font-size: 13pt;"
CAPTION_STYLE = "font-size: 13pt; background: #fffbe6; border: 1px solid #b0b0b0; padding: 1px 4px;"
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
        # which parameter is typed, beside the field: a bare "-22.066" did not say which weight it was
        self.caption = QLabel(parent)
        self.caption.setStyleSheet(CAPTION_STYLE)
        self.caption.hide()
        self.hide()
        self.returnPressed.connect(self._on_return_pressed)

    def open_at(self, index: int, value: float, pos: QPoint, name: str = "") -> None:
        """Show ``value`` selected, beside ``pos`` (the parent's coordinates) and inside the parent, with
        ``name`` (what the value is) beside it."""
        self.index = index
        self.setText(f"{value:.6g}")
        self.setStyleSheet(STYLE)
        parent = self.parentWidget()
        self.move(min(max(0, pos.x() + 8), max(0, parent.width() - self.width())),
                  min(max(0, pos.y() - 12), max(0, parent.height() - self.height())))
        self.show()
        self.raise_()
        self._show_caption(name)
        self.setFocus()
        self.selectAll()

    def _show_caption(self, name: str) -> None:
        """``name =`` left of the field, or right of it (or under it) where the parent has no room."""
        if not name:
            self.caption.hide()
            return
        caption, parent = self.caption, self.parentWidget()
        caption.setText(f"{name} =")
        caption.adjustSize()
        x = self.x() - caption.width() - 4
        y = self.y() + (self.height() - caption.height()) // 2
        if x < 0:
            x = self.x() + self.width() + 4
        if x + caption.width() > parent.width():
            x, y = max(0, min(self.x(), parent.width() - caption.width())), self.y() + self.height() + 2
            if y + caption.height() > parent.height():
                y = max(0, self.y() - caption.height() - 2)
        caption.move(x, y)
        caption.show()
        caption.raise_()

    def close_editor(self) -> None:
        self.index = None
        self.caption.hide()
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
