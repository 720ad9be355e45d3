"""Counting frames actually drawn: paint events of one widget (the benchmark and the self-test use it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class PaintCounter(QObject):
    """``count`` is the number of paint events ``widget`` has received since this was made."""

    def __init__(self, widget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint:
            self.count += 1
        return False
