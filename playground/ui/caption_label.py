"""The scene's caption above the plots: whole words, at most ``MAX_LINES`` lines, never cut mid-line.

A narrow central area (an 800 px window, or a view dock beside the plots) wraps a long caption onto
many lines. Unbounded, it pushed the window taller than its screen; squeezed by the layout, its
first and last lines were cut in half. Here it keeps the lines it needs up to ``MAX_LINES``; beyond,
the text ends at a whole word with "…" and the tooltip holds all of it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

MAX_LINES = 4
ELLIPSIS = " …"
WRAP_SLACK = 6  # px: measure the wrap a little narrower than the label, so it never wraps onto a line more than measured


class CaptionLabel(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # its width follows the window; its height, the text
        self.full_text = ""

    def set_caption(self, text: str) -> None:
        self.full_text = text
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def event(self, event) -> bool:  # new contents margins (a recording keeps the caption clear of its step stamp)
        handled = super().event(event)
        if event.type() == event.Type.ContentsRectChange:
            self._fit()
        return handled

    def changeEvent(self, event) -> None:  # a new style sheet (presentation mode) changes the font
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        self.ensurePolished()  # the style sheet's font (presentation mode enlarges it) and padding
        inside = self.contentsRect()
        width = max(inside.width() - 2 * self.margin() - WRAP_SLACK, 50)
        metrics = self.fontMetrics()

        def height_of(text: str) -> int:
            return metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextWordWrap, text).height()

        room = MAX_LINES * metrics.lineSpacing()
        shown = self.full_text
        if height_of(shown) > room:
            words = shown.split(" ")
            low, high = 0, len(words)  # the most words that fit with the ellipsis
            while low < high:
                middle = (low + high + 1) // 2
                if height_of(" ".join(words[:middle]) + ELLIPSIS) <= room:
                    low = middle
                else:
                    high = middle - 1
            shown = " ".join(words[:low]) + ELLIPSIS
        self.setToolTip(self.full_text if shown != self.full_text else "")
        if shown != self.text():
            self.setText(shown)
        height = height_of(shown) + self.height() - inside.height() + 2 * self.margin()
        if height != self.height():
            self.setFixedHeight(height)
