"""Drawing a ``ComputationGraph``: nodes in columns by layer, edges labelled with their weights.

Each node is a box with its name and value (after the forward step reaches it) and
∂J/∂node (after the backward step does); a node with several children also shows the sum of
their shares under the box. An edge's colour is the sign of its weight (blue +, orange −),
its width the weight's magnitude; its weight sits near the source end, ∂J/∂w near the target
end once backprop has reached the target. Dense layers show their labels only for the
selected node's edges, so that the view stays readable. Names and formulas come from ``GraphText``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from ..engine.graph import ComputationGraph
from ..engine.graph_parts import LEAF_KINDS
from ..notation import fmt, signed
from .graph_items import (
    CHANGE_COLOR,
    CURRENT_BORDER,
    CURRENT_FILL,
    GRAD_COLOR,
    KIND_FILL,
    NEGATIVE,
    POSITIVE,
    Box,
    EdgeItem,
    Tag,
    fonts,
    signed_change,
    weight_pen,
)
from .graph_text import GraphText

NODE_W, NODE_H = 164.0, 78.0
ROW_H = NODE_H + 44.0        # room under each box for its sum over children
WIDE_GAP, NARROW_GAP = 156.0, 42.0
MAX_LABELLED_EDGES = 12      # a weight layer with more edges labels only the selected node's
MAX_DRAWN_UNITS = 40         # hidden + output units drawn at most; more boxes would not be readable
LEGEND = ("edges: blue w > 0, orange w < 0, thicker = larger |w|; each edge carries its weight w near its start\n"
          "and, in purple, ∂J/∂w near its end once backprop reaches it (in green after an update: how far it moved).\n"
          "Double-click a weight, or a z box for its bias, to set it by hand.")


def too_large_to_draw(layer_sizes) -> str | None:
    """Why the graph of a network with ``layer_sizes`` would not be readable, or None if it is small enough."""
    units = int(sum(layer_sizes[1:]))
    if units > MAX_DRAWN_UNITS:
        return (f"this network has {units} hidden and output units; the inspector draws networks of up to "
                f"{MAX_DRAWN_UNITS} units so that every value stays readable. Use fewer or smaller hidden layers.")
    return None


class GraphScene(QGraphicsScene):
    """The scene of one graph; ``show_state(done)`` reveals the first ``done`` steps of forward + backward."""

    node_clicked = Signal(str)
    parameter_double_clicked = Signal(int)   # flat index of a weight (edge tag) or bias (z / score box)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackgroundBrush(QColor("white"))
        self.graph: ComputationGraph | None = None
        self.text: GraphText | None = None
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
        text = GraphText(graph)
        same = (self.graph is not None and self.graph.layer_sizes == graph.layer_sizes
                and self.graph.activation == graph.activation and self.graph.loss == graph.loss
                and self.graph.regularized == graph.regularized
                and self.text.labels == text.labels)
        self.graph, self.text = graph, text
        if not same:
            self._layout()
        self.show_state(self.done, self.current)
        return not same

    def _node_rects(self) -> tuple[dict[str, QRectF], dict[int, float]]:
        """Each node's box, and each column's left edge: wide gaps before columns whose inputs carry weights."""
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
            cy = 0.0 if tallest > 1 and count == 1 else (n.row - (count - 1) / 2) * ROW_H
            rects[n.key] = QRectF(left[n.column], cy - NODE_H / 2, NODE_W, NODE_H)
        return rects, left

    def _layout(self) -> None:
        self.clear()
        self.boxes, self.sum_labels, self.edges = {}, {}, []
        g = self.graph
        rects, left = self._node_rects()
        for n in g.nodes:
            box = Box(rects[n.key])
            box.setToolTip(self.text.label(n.key))
            box.clicked.connect(lambda key=n.key: self.node_clicked.emit(key))
            box.double_clicked.connect(lambda line, key=n.key: self._on_box_double_clicked(key, line))
            self.addItem(box)
            self.boxes[n.key] = box
            if len(g.children[n.key]) > 1 and n.kind not in LEAF_KINDS:
                tag = Tag()
                tag.setPos(rects[n.key].center().x(), rects[n.key].bottom() + 16)
                self.addItem(tag)
                self.sum_labels[n.key] = tag
        for edge in g.edges:
            self._add_edge(edge, rects[edge.source], rects[edge.target])
        self._add_headers(rects, left)
        legend = self.addSimpleText(LEGEND, fonts()["legend"])
        legend.setBrush(QColor(90, 90, 90))
        legend.setPos(0, max(r.bottom() for r in rects.values()) + 44)
        self._edges_into_column = {}
        for e in g.edges:
            if e.parameter is not None:
                column = g.node[e.target].column
                self._edges_into_column[column] = self._edges_into_column.get(column, 0) + 1
        self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -16, 20, 16))

    def _add_edge(self, edge, a: QRectF, b: QRectF) -> None:
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

    def _add_headers(self, rects: dict[str, QRectF], left: dict[int, float]) -> None:
        top = min(r.top() for r in rects.values()) - 34
        for c in left:
            header = self.text.header(c)
            if header:
                text = self.addSimpleText(header, fonts()["header"])
                text.setBrush(QColor(70, 70, 70))
                text.setPos(left[c] + NODE_W / 2 - text.boundingRect().width() / 2, top - text.boundingRect().height())

    # -- state ------------------------------------------------------------------------------
    def show_state(self, done: int, current: str | None = None) -> None:
        """Show values of the first ``done`` steps (forward order, then backward order)."""
        if self.graph is None:
            return
        self.done, self.current = done, current
        known, differentiated = self.graph.revealed(done)
        for key, box in self.boxes.items():
            self._show_box(key, box, key in known, key in differentiated)
        for key, tag in self.sum_labels.items():
            tag.setVisible(key in differentiated)
            if key in differentiated:
                shares = " + ".join(signed(t.value) for t in self.graph.terms[key])
                tag.set_text("= " + shares, GRAD_COLOR, fonts()["small"])
        self._show_edges(known, differentiated)
        self.update()

    def _show_box(self, key: str, box: Box, known: bool, differentiated: bool) -> None:
        g, text = self.graph, self.text
        node, label = g.node[key], text.label(key)
        value = fmt(g.values[key]) if known else "?"
        ink = QColor(20, 20, 20) if known else QColor(150, 150, 150)
        if node.kind == "feature":  # what φⱼ is, then its value: "φ₁ = x₁²" over "= 0.25"
            lines = [(f"{label} = {text.feature_formula(key)}", fonts()["value"], ink),
                     (f"= {value}", fonts()["value"], ink)]
        else:
            lines = [(f"{label} = {value}", fonts()["value"], ink)]
        bias = g.bias_of(key)
        if bias is not None:
            b = g.flat[bias.index]
            line = f"{text.parameter_label(bias.index)} = {fmt(b)}"
            if g.activation == "step" and node.kind == "pre":
                line += f"  (θ = {fmt(-b)})"
            if self.previous is not None and not differentiated:
                line += f"  Δ {signed_change(b - float(self.previous[bias.index]))}"
            lines.append((line, fonts()["small"], QColor(70, 70, 70)))
        if node.kind == "softmax" and known:
            lines.append((f"true class {g.y + 1}", fonts()["small"], QColor(70, 70, 70)))
        if differentiated:
            lines.append((f"∂J/∂{label} = {fmt(g.grads[key])}", fonts()["grad"], GRAD_COLOR))
        elif node.kind not in LEAF_KINDS:
            lines.append(("", fonts()["grad"], GRAD_COLOR))
        fill = KIND_FILL.get(node.kind, QColor("white")) if known else QColor(243, 243, 243)
        border, width = (QColor(60, 60, 60), 1.5) if known else (QColor(170, 170, 170), 1.2)
        if key == self.current:
            fill, border, width = CURRENT_FILL, CURRENT_BORDER, 4.0
        elif key == self.selected:
            border, width = QColor(20, 20, 20), 3.0
        box.set_content(lines, fill, border, width)
        tooltip = [text.forward_text(key)] if known else [label]
        if differentiated:
            tooltip.append(text.backward_text(key))
        box.setToolTip("\n".join(tooltip))

    def _show_edges(self, known: set[str], differentiated: set[str]) -> None:
        g, current = self.graph, self.current
        weights = [abs(g.flat[e.parameter]) for e, *_ in self.edges if e.parameter is not None]
        largest = max(weights, default=0.0)
        forward_step = current in known and current not in differentiated
        for edge, item, w_tag, grad_tag in self.edges:
            into_current = current is not None and ((edge.target == current and forward_step)
                                                    or (edge.source == current and not forward_step))
            if edge.parameter is None:
                pen = QPen(CURRENT_BORDER if into_current else QColor(120, 120, 120), 3.0 if into_current else 1.5)
            else:
                pen = weight_pen(float(g.flat[edge.parameter]), largest, into_current)
            item.setPen(pen)
            item.setBrush(QBrush(pen.color()))
            if edge.parameter is not None:
                self._show_weight_tags(edge, w_tag, grad_tag, edge.target in differentiated)

    def _show_weight_tags(self, edge, w_tag: Tag, grad_tag: Tag, has_grad: bool) -> None:
        g, p = self.graph, edge.parameter
        focus = edge.target in (self.selected, self.current) or edge.source in (self.selected, self.current)
        dense = self._edges_into_column.get(g.node[edge.target].column, 0) > MAX_LABELLED_EDGES
        show = not dense or focus
        w = float(g.flat[p])
        w_tag.set_text(fmt(w), POSITIVE if w >= 0 else NEGATIVE)
        w_tag.setVisible(show)
        w_tag.setToolTip(f"{self.text.describe_parameter(p)} = {fmt(w, 6)}\ndouble-click to set it by hand")
        changed = self.previous is not None and not has_grad
        grad_tag.setVisible(show and (has_grad or changed))
        if has_grad:
            grad_tag.set_text(fmt(g.param_grads[p]), GRAD_COLOR, fonts()["grad_tag"])
            grad_tag.setToolTip(self.text.parameter_text(p))
        elif changed:  # just after an update: how far this weight moved
            delta = w - float(self.previous[p])
            grad_tag.set_text(f"Δ {signed_change(delta)}", CHANGE_COLOR, fonts()["grad_tag"])
            grad_tag.setToolTip(f"the update moved this weight by −η·∂J/∂w = {fmt(delta, 6)}")

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


MIN_VIEW_HEIGHT = 220  # px: room for a layer of boxes at a readable scale
READABLE_TEXT_PX = 12  # px: the smallest a node's value is drawn by the fit (times the look's scale)
MAX_FIT = 1.6          # the fit magnifies a small graph at most this much (times the look's scale)


class GraphView(QGraphicsView):
    """Shows a GraphScene scaled to fit (within MAX_FIT and READABLE_TEXT_PX, times the look's scale); the wheel
    zooms, a drag pans, a double-click on the background fits it again."""

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
        self.setMinimumHeight(MIN_VIEW_HEIGHT)  # a dock too short for it scrolls instead of squashing the graph
        self.look = None  # the window's Look (set_look): its scale enlarges the graph in presentation mode

    def set_look(self, look) -> None:
        self.look = look
        look.changed.connect(self._on_look_changed)

    def _on_look_changed(self) -> None:
        if not self.zoomed:
            self.fit()

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        enlarge = self.look.scale if self.look is not None else 1.0  # presentation mode enlarges like the plots
        fitted = min(view.width() / rect.width(), view.height() / rect.height())
        # never magnified past MAX_FIT, and never shrunk below readable text: a graph larger than that scrolls
        readable = READABLE_TEXT_PX / fonts()["value"].pixelSize()
        scale = min(max(fitted, readable * enlarge), MAX_FIT * enlarge)
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
