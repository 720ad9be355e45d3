"""Drawing a ``ComputationGraph``: nodes in columns by layer, edges labelled with their weights.

Each node is a box with its name and value (after the forward step reaches it) and
∂J/∂node (after the backward step does); a node with several children also shows the sum of
their shares under the box. An edge's colour is the sign of its weight (blue +, vermillion −),
its width the weight's magnitude; its weight sits near the source end, ∂J/∂w near the target
end once backprop has reached the target. Dense layers show their labels only for the
selected node's edges, so that the view stays readable.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsObject, QGraphicsPathItem, QGraphicsScene, QGraphicsView

from ..engine.graph import ComputationGraph, fmt
from ..engine.graph import signed as _signed

NODE_W, NODE_H = 164.0, 78.0
ROW_H = NODE_H + 44.0        # room under each box for its sum over children
WIDE_GAP, NARROW_GAP = 156.0, 42.0
MAX_LABELLED_EDGES = 12      # a weight layer with more edges labels only the selected node's
POSITIVE, NEGATIVE = QColor(0, 114, 178), QColor(213, 94, 0)
GRAD_COLOR = QColor(106, 61, 154)        # ∂J/∂… in purple everywhere
CHANGE_COLOR = QColor(0, 120, 60)        # Δw of an update, in green
CURRENT_FILL, CURRENT_BORDER = QColor(255, 240, 170), QColor(230, 140, 0)
KIND_FILL = {"input": QColor(232, 240, 250), "target": QColor(232, 240, 250), "loss": QColor(252, 232, 232),
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
LEGEND = ("edges: blue w > 0, orange w < 0, thicker = larger |w|; each edge carries its weight w near its start\n"
          "and, in purple, ∂J/∂w near its end once backprop reaches it (in green after an update: how far it moved).\n"
          "Double-click a weight, or a z box for its bias, to set it by hand.")


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


def _delta(value: float) -> str:
    """A change with its sign: +0.0041, −0.03, 0."""
    return ("+" if value > 0 else "") + fmt(value, 2)


def weight_pen(value: float, largest: float, highlight: bool = False) -> QPen:
    color = QColor(POSITIVE if value >= 0 else NEGATIVE)
    strength = 0.0 if largest <= 0 else min(abs(value) / largest, 1.0)
    color.setAlpha(int(90 + 165 * strength))
    pen = QPen(color, 1.0 + 5.0 * strength)
    if highlight:
        pen.setColor(CURRENT_BORDER)
        pen.setWidthF(pen.widthF() + 2)
    return pen


class GraphScene(QGraphicsScene):
    """The scene of one graph; ``show_state(done)`` reveals the first ``done`` steps of forward + backward."""

    node_clicked = Signal(str)
    parameter_double_clicked = Signal(int)   # flat index of a weight (edge tag) or bias (z / score box)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackgroundBrush(QColor("white"))
        self.graph: ComputationGraph | None = None
        self.boxes: dict[str, Box] = {}
        self.sum_labels: dict[str, Tag] = {}
        self.edges: list[tuple] = []     # (Edge, EdgeItem, weight Tag | None, gradient Tag | None)
        self.selected: str | None = None
        self.current: str | None = None
        self.done = 0
        self.previous = None  # the parameters before the last update: edges then show how far they moved

    # -- layout -----------------------------------------------------------------------------
    def set_graph(self, graph: ComputationGraph) -> bool:
        """Lay out ``graph`` (a new structure: returns True) or just refresh the numbers (same structure)."""
        same = (self.graph is not None and self.graph.layer_sizes == graph.layer_sizes
                and self.graph.loss == graph.loss and (self.graph.l2 > 0) == (graph.l2 > 0)
                and getattr(self.graph, "y", None) is not None and self._same_labels(graph))
        self.graph = graph
        if not same:
            self._layout()
        self.show_state(self.done, self.current)
        return not same

    def _same_labels(self, graph) -> bool:
        return [n.label for n in self.graph.nodes] == [n.label for n in graph.nodes]

    def _layout(self) -> None:
        self.clear()
        self.boxes, self.sum_labels, self.edges = {}, {}, []
        g = self.graph
        columns = sorted({n.column for n in g.nodes})
        weighted = {g.node[e.target].column for e in g.edges if e.parameter is not None}
        x, left = 0.0, {}
        for c in columns:
            left[c] = x
            x += NODE_W + (WIDE_GAP if c + 1 in weighted else NARROW_GAP)
        rows = {c: max(n.row for n in g.nodes if n.column == c) + 1 for c in columns}
        tallest = max(rows.values())
        rects = {}
        for n in g.nodes:
            count = rows[n.column]
            cy = (n.row - (count - 1) / 2) * ROW_H
            if tallest > 1 and count == 1:
                cy = 0.0
            rects[n.key] = QRectF(left[n.column], cy - NODE_H / 2, NODE_W, NODE_H)
        for n in g.nodes:
            box = Box(rects[n.key])
            box.setToolTip(n.label)
            box.clicked.connect(lambda key=n.key: self.node_clicked.emit(key))
            box.double_clicked.connect(lambda line, key=n.key: self._on_box_double_clicked(key, line))
            self.addItem(box)
            self.boxes[n.key] = box
            shares = g.children[n.key]
            if len(shares) > 1 and n.kind not in ("input", "target"):
                tag = Tag()
                tag.setPos(rects[n.key].center().x(), rects[n.key].bottom() + 16)
                self.addItem(tag)
                self.sum_labels[n.key] = tag
        for edge in g.edges:
            a, b = rects[edge.source], rects[edge.target]
            item = EdgeItem(QPointF(a.right(), a.center().y()), QPointF(b.left() - 1, b.center().y()))
            self.addItem(item)
            w_tag = grad_tag = None
            if edge.parameter is not None:
                w_tag, grad_tag = Tag(), Tag()
                w_tag.setPos(item.point_at(0.27))
                grad_tag.setPos(item.point_at(0.73))
                w_tag.setToolTip("double-click to set this weight by hand")
                w_tag.double_clicked.connect(lambda p=edge.parameter: self.parameter_double_clicked.emit(p))
                self.addItem(w_tag)
                self.addItem(grad_tag)
            self.edges.append((edge, item, w_tag, grad_tag))
        # column headers
        top = min(r.top() for r in rects.values()) - 34
        for c in columns:
            header = self._header(c)
            if header:
                text = self.addSimpleText(header, fonts()["header"])
                text.setBrush(QColor(70, 70, 70))
                text.setPos(left[c] + NODE_W / 2 - text.boundingRect().width() / 2, top - text.boundingRect().height())
        legend = self.addSimpleText(LEGEND, fonts()["legend"])
        legend.setBrush(QColor(90, 90, 90))
        bottom = max(r.bottom() for r in rects.values()) + 44
        legend.setPos(0, bottom)
        self._layer_sizes = {c: sum(1 for e in g.edges if e.parameter is not None and g.node[e.target].column == c)
                             for c in weighted}
        self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -16, 20, 16))

    def _header(self, column: int) -> str:
        g = self.graph
        kinds = {n.kind for n in g.nodes if n.column == column}
        layer = next((n.layer for n in g.nodes if n.column == column and n.layer is not None), None)
        deep = g.n_hidden_layers > 1
        tag = f"⁽{layer + 1}⁾" if deep and layer is not None else ""
        if "input" in kinds:
            return "input"
        if "pre" in kinds:
            return f"z{tag} = W{tag}{'x' if layer == 0 else 'h'} + b"
        if "act" in kinds:
            return f"h{tag} = {g.activation}(z{tag})"
        if "score" in kinds:
            return "scores s" if g.classification else "prediction ŷ"
        if "softmax" in kinds:
            return "softmax"
        if "residual" in kinds:
            return "residual r = y − ŷ"
        if "loss" in kinds:
            return "loss ℓ" + ("  and  R = λΣw²" if g.l2 > 0 else "")
        if "objective" in kinds:
            return "objective"
        return ""

    # -- state ------------------------------------------------------------------------------
    def show_state(self, done: int, current: str | None = None) -> None:
        """Show values of the first ``done`` steps (forward order, then backward order)."""
        g = self.graph
        if g is None:
            return
        self.done, self.current = done, current
        n_forward = len(g.forward_order)
        known = set(g.forward_order[:done])
        differentiated = set(g.backward_order[:max(done - n_forward, 0)])
        for key, box in self.boxes.items():
            node = g.node[key]
            value = fmt(g.values[key]) if key in known else "?"
            lines = [(f"{node.label} = {value}", fonts()["value"], QColor(20, 20, 20) if key in known else QColor(150, 150, 150))]
            bias = g.bias_of(key)
            if bias is not None:
                b = g.flat[bias.index]
                text = f"b = {fmt(b)}" + (f"  (θ = {fmt(-b)})" if g.activation == "step" and node.kind == "pre" else "")
                if self.previous is not None and key not in differentiated:
                    text += f"  Δ {_delta(b - float(self.previous[bias.index]))}"
                lines.append((text, fonts()["small"], QColor(70, 70, 70)))
            if node.kind == "softmax" and key in known:
                lines.append((f"true class {g.y + 1}", fonts()["small"], QColor(70, 70, 70)))
            if key in differentiated:
                lines.append((f"∂J/∂{node.label} = {fmt(g.grads[key])}", fonts()["grad"], GRAD_COLOR))
            elif node.kind not in ("input", "target"):
                lines.append(("", fonts()["grad"], GRAD_COLOR))
            fill = KIND_FILL.get(node.kind, QColor("white")) if key in known else QColor(243, 243, 243)
            border, width = (QColor(60, 60, 60), 1.5) if key in known else (QColor(170, 170, 170), 1.2)
            if key == current:
                fill, border, width = CURRENT_FILL, CURRENT_BORDER, 4.0
            elif key == self.selected:
                border, width = QColor(20, 20, 20), 3.0
            box.set_content(lines, fill, border, width)
            tooltip = [g.forward_text(key)] if key in known else [node.label]
            if key in differentiated:
                tooltip.append(g.backward_text(key))
            box.setToolTip("\n".join(tooltip))
        for key, tag in self.sum_labels.items():
            tag.setVisible(key in differentiated)
            if key in differentiated:
                tag.set_text("= " + " + ".join(_signed(t.value) for t in g.terms[key]), GRAD_COLOR, fonts()["small"])
        weights = [abs(g.flat[e.parameter]) for e, *_ in self.edges if e.parameter is not None]
        largest = max(weights, default=0.0)
        forward_step = current in known and current not in differentiated
        for edge, item, w_tag, grad_tag in self.edges:
            into_current = current is not None and ((edge.target == current and forward_step)
                                                    or (edge.source == current and not forward_step))
            focus = edge.target in (self.selected, current) or edge.source in (self.selected, current)
            if edge.parameter is None:
                pen = QPen(CURRENT_BORDER if into_current else QColor(120, 120, 120), 3.0 if into_current else 1.5)
                item.setPen(pen)
                item.setBrush(QBrush(pen.color()))
                continue
            w = float(g.flat[edge.parameter])
            pen = weight_pen(w, largest, into_current)
            item.setPen(pen)
            item.setBrush(QBrush(pen.color()))
            dense = self._layer_sizes.get(g.node[edge.target].column, 0) > MAX_LABELLED_EDGES
            show = not dense or focus
            w_tag.set_text(fmt(w), POSITIVE if w >= 0 else NEGATIVE)
            w_tag.setVisible(show)
            w_tag.setToolTip(f"{g.describe_parameter(edge.parameter)} = {fmt(w, 6)}\ndouble-click to set it by hand")
            has_grad = edge.target in differentiated
            changed = self.previous is not None and not has_grad
            grad_tag.setVisible(show and (has_grad or changed))
            if has_grad:
                grad_tag.set_text(fmt(g.param_grads[edge.parameter]), GRAD_COLOR, fonts()["grad_tag"])
                grad_tag.setToolTip(g.parameter_text(edge.parameter))
            elif changed:  # just after an update: how far this weight moved
                delta = w - float(self.previous[edge.parameter])
                grad_tag.set_text(f"Δ {_delta(delta)}", CHANGE_COLOR, fonts()["grad_tag"])
                grad_tag.setToolTip(f"the update moved this weight by −η·∂J/∂w = {fmt(delta, 6)}")
        self.update()

    def select(self, key: str | None) -> None:
        self.selected = key
        self.show_state(self.done, self.current)

    def _on_box_double_clicked(self, key: str, line: int) -> None:
        bias = self.graph.bias_of(key) if self.graph else None
        if bias is not None:  # the box of a z or a score: its bias
            self.parameter_double_clicked.emit(bias.index)

    # -- export -----------------------------------------------------------------------------
    def render_image(self, scale: float = 2.0) -> QImage:
        """The whole graph at ``scale`` × its scene size on white, for slides."""
        rect = self.sceneRect()
        image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        self.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
        painter.end()
        return image


class GraphView(QGraphicsView):
    """Shows a GraphScene scaled to fit (never magnified beyond 1.6×); the wheel zooms, a drag pans,
    a double-click on the background fits it again."""

    def __init__(self, scene: GraphScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setBackgroundBrush(QColor("white"))
        self.setAlignment(Qt.AlignCenter)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.zoomed = False  # the user zoomed in: keep their view until they ask for the fit again

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height(), 1.6)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        self.zoomed = False

    def wheelEvent(self, event) -> None:
        factor = 1.15 ** (event.angleDelta().y() / 120)
        self.scale(factor, factor)
        self.zoomed = True
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.itemAt(event.position().toPoint()) is None:
            self.fit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self.zoomed:
            self.fit()
