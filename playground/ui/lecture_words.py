"""The text column of a lecture view (the slide's words, the numbers): it scrolls rather than cuts its words off.

A view dock is short (at 1280×720 in presentation mode, about 200 px): a column of wrapped text that does
not fit would otherwise be clipped, or squeeze the rows of a table onto each other.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QLayout, QScrollArea, QWidget

STACKED_BELOW = 640  # px: a view narrower than this (its dock beside the plots at 1280×720) stacks its parts, whose
                     # words and labels were cut off in three columns about 130 px wide


def scrolling(layout: QLayout) -> QScrollArea:
    """``layout``'s widgets in a frameless scroll area that follows the dock's width and scrolls vertically."""
    inner = QWidget()
    inner.setLayout(layout)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.NoFrame)
    scroll.setWidget(inner)
    return scroll


def arrange_parts(row: QBoxLayout, width: int) -> None:
    """A lecture view's parts side by side, or one above the other in a view ``width`` px wide when that is narrow."""
    row.setDirection(QBoxLayout.TopToBottom if width < STACKED_BELOW else QBoxLayout.LeftToRight)
