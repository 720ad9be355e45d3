"""The pieces a computation graph is drawn with: boxes for nodes, tags on edges, arrows, fonts and pens."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsObject, QGraphicsPathItem

from ..notation import fmt
from ..palette import NEGATIVE_RGB, POSITIVE_RGB

POSITIVE, NEGATIVE = QColor(*POSITIVE_RGB), QColor(*NEGATIVE_RGB)  # a weight's sign: the app's diverging scale's ends
GRAD_COLOR = QColor(106, 61, 154)        # ∂J/∂… in purple everywhere
CHANGE_COLOR = QColor(0, 120, 60)        # Δw of an update, in green
CURRENT_FILL, CURRENT_BORDER = QColor(255, 240, 170), QColor(230, 140, 0)
KIND_FILL = {"input": QColor(232, 240, 250), "target": QColor(232, 240, 250), "feature": QColor(238, 232, 250),
             "loss": QColor(252, 232, 232),
             "objective": QColor(252, 232, 232), "reg": QColor(252, 232, 232)}


def _font(pixels: int, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setItalic(italic)
    return font


@functools.cache
def fonts() -> dict[str, QFont]:
    """The graph's fonts in pixels (made once the application and its bundled font exist)."""
    return {"value": _font(18, bold=True), "grad": _font(16), "small": _font(15), "tag": _font(16),
            "header": _font(16, italic=True), "grad_tag": _font(15, italic=True), "legend": _font(14)}


class Box(QGraphicsObject):
    """A rounded box with lines of text; emits ``double_clicked(line index)``."""

    double_clicked = Signal(int)
    clicked = Signal()

    def __init__(self, rect: QRectF, parent=None):
        super().__init__(parent)
        self.rect = rect
        self.lines: list[tuple[str, QFont, QColor]] = []
        self.fill, self.border, self.border_width = QColor("white"), QColor(60, 60, 60), 1.5
        self.setAcceptHoverEvents(True)

    def boundingRect(self) -> QRectF:
        m = self.border_width + 1
        return self.rect.adjusted(-m, -m, m, m)

    def set_content(self, lines, fill: QColor, border: QColor, border_width: float) -> None:
        self.lines, self.fill, self.border, self.border_width = lines, fill, border, border_width
        self.prepareGeometryChange()
        self.update()

    def text(self) -> str:
        return "\n".join(line for line, _, _ in self.lines)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(QPen(self.border, self.border_width))
        painter.setBrush(QBrush(self.fill))
        painter.drawRoundedRect(self.rect, 8, 8)
        heights = [QFontMetricsF(font).height() for _, font, _ in self.lines]
        y = self.rect.center().y() - sum(heights) / 2
        room = self.rect.width() - 10
        for (line, font, color), h in zip(self.lines, heights):
            wide = QFontMetricsF(font).horizontalAdvance(line)
            if wide > room:  # shrink a long line to fit its box rather than spill over the edges
                font = QFont(font)
                font.setPixelSize(max(int(font.pixelSize() * room / wide), 10))
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(QRectF(self.rect.left() + 4, y, self.rect.width() - 8, h), Qt.AlignCenter, line)
            y += h

    def line_at(self, pos: QPointF) -> int:
        heights = [QFontMetricsF(font).height() for _, font, _ in self.lines]
        y = self.rect.center().y() - sum(heights) / 2
        for i, h in enumerate(heights):
            if y <= pos.y() < y + h:
                return i
            y += h
        return -1

    def mousePressEvent(self, event) -> None:
        self.clicked.emit()
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        self.double_clicked.emit(self.line_at(event.pos()))
        event.accept()


class Tag(QGraphicsObject):
    """A small label on an edge: text on a white rounded rectangle framed in a colour."""

    double_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label, self.color, self.font = "", QColor("black"), fonts()["tag"]
        self._rect = QRectF()
        self.setZValue(5)

    def set_text(self, text: str, color: QColor, font: QFont | None = None) -> None:
        font = font or fonts()["tag"]
        self.prepareGeometryChange()
        self.label, self.color, self.font = text, color, font
        metrics = QFontMetricsF(font)
        w, h = metrics.horizontalAdvance(text) + 10, metrics.height() + 2
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(QPen(self.color, 1.4))
        painter.setBrush(QBrush(QColor(255, 255, 255, 235)))
        painter.drawRoundedRect(self._rect, 5, 5)
        painter.setFont(self.font)
        painter.setPen(self.color.darker(140) if self.color.lightness() > 120 else self.color)
        painter.drawText(self._rect, Qt.AlignCenter, self.label)

    def mouseDoubleClickEvent(self, event) -> None:
        self.double_clicked.emit()
        event.accept()

    def mousePressEvent(self, event) -> None:
        event.accept()


class EdgeItem(QGraphicsPathItem):
    """A line with an arrowhead from one box's right side to another's left side."""

    def __init__(self, start: QPointF, end: QPointF):
        super().__init__()
        self.start, self.end = start, end
        path = QPainterPath(start)
        path.lineTo(end)
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = 11.0
        left = QPointF(end.x() - size * math.cos(angle - 0.4), end.y() - size * math.sin(angle - 0.4))
        right = QPointF(end.x() - size * math.cos(angle + 0.4), end.y() - size * math.sin(angle + 0.4))
        path.addPolygon(QPolygonF([end, left, right, end]))
        self.setPath(path)
        self.setZValue(-1)

    def point_at(self, t: float) -> QPointF:
        return self.start + (self.end - self.start) * t


def signed_change(value: float) -> str:
    """A change with its sign: +0.0041, −0.03, 0."""
    return ("+" if value > 0 else "") + fmt(value, 2)


def weight_pen(value: float, largest: float, highlight: bool = False) -> QPen:
    """Blue for w ≥ 0, orange below; wider and more opaque the larger |w| is against the ``largest``."""
    color = QColor(POSITIVE if value >= 0 else NEGATIVE)
    strength = 0.0 if largest <= 0 else min(abs(value) / largest, 1.0)
    color.setAlpha(int(90 + 165 * strength))
    pen = QPen(color, 1.0 + 5.0 * strength)
    if highlight:
        pen.setColor(CURRENT_BORDER)
        pen.setWidthF(pen.widthF() + 2)
    return pen
