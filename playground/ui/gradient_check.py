"""The inspector's gradient check: every backprop gradient of the graph against a central finite difference.

A row per parameter (its name in the lecture's notation, value, backprop ∂J/∂θ, finite difference,
relative error); the gradient columns fill in as the backward pass reaches each parameter's node.
The finite differences cost 2P evaluations of J, so they are computed once per graph, when first shown.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..engine.graph import ComputationGraph
from ..notation import fmt
from .graph_items import GRAD_COLOR
from .graph_text import GraphText

CHECK_COLUMNS = ["parameter", "value", "backprop", "finite diff.", "rel. error"]
AGREES_BELOW = 1e-4          # a relative error under this counts as agreement (green)
AGREE_FILL, DISAGREE_FILL = QColor(210, 240, 215), QColor(250, 215, 200)


class GradientCheckPanel(QWidget):
    """The table and its caption; ``parameter_double_clicked(flat index)`` asks to set that parameter by hand."""

    parameter_double_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graph: ComputationGraph | None = None
        self.fd: np.ndarray | None = None     # finite differences of the shown graph, once computed
        self.rel: np.ndarray | None = None
        self.table = QTableWidget(0, len(CHECK_COLUMNS))
        self.table.setHorizontalHeaderLabels(CHECK_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setToolTip("Every backprop gradient against (J(θ + ε) − J(θ − ε)) / 2ε, ε = 1e−6; "
                              "double-click a value to set it by hand")
        self.table.cellDoubleClicked.connect(self._on_table_cell_double_clicked)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        title = QLabel("Gradient check")
        title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.caption)

    def clear(self) -> None:
        self.graph, self.fd, self.rel = None, None, None
        self.table.setRowCount(0)
        self.caption.setText("")

    def show_graph(self, graph: ComputationGraph, text: GraphText, done: int) -> None:
        """Fill the rows of ``graph`` as they are after ``done`` steps of forward + backward."""
        if graph is not self.graph:
            self.graph, self.fd, self.rel = graph, None, None
        _, differentiated = graph.revealed(done)
        if self.fd is None and differentiated:
            self.fd, self.rel = graph.gradient_check()
        self.table.setRowCount(len(graph.parameters))
        for row, p in enumerate(graph.parameters):
            self._fill_row(row, p.index, text, p.node in differentiated)
        self._write_caption(graph, differentiated)

    def _fill_row(self, row: int, index: int, text: GraphText, revealed: bool) -> None:
        g, mono = self.graph, QFont("DejaVu Sans Mono")
        cells = [text.describe_parameter(index), fmt(g.flat[index]),
                 fmt(g.param_grads[index], 4) if revealed else "…",
                 fmt(self.fd[index], 4) if revealed else "…",
                 f"{self.rel[index]:.1e}" if revealed else "…"]
        for col, value in enumerate(cells):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(value)
            if col:
                item.setFont(mono)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
        fill = QColor("white")
        if revealed:
            fill = AGREE_FILL if self.rel[index] < AGREES_BELOW else DISAGREE_FILL
        self.table.item(row, 4).setBackground(fill)
        self.table.item(row, 2).setForeground(GRAD_COLOR)

    def _write_caption(self, g: ComputationGraph, differentiated: set[str]) -> None:
        shown = [p.index for p in g.parameters if p.node in differentiated]
        if shown:
            worst = float(self.rel[shown].max())
            caption = (f"{len(shown)} of {len(g.parameters)} gradients checked; largest relative error {worst:.1e}"
                       + (" — backprop agrees with finite differences." if worst < AGREES_BELOW else
                          " — a kink (ReLU at 0) or a step threshold lies within ε of this point."))
        else:
            caption = "The backprop column fills in as the backward pass reaches each weight."
        if g.activation == "step" and g.n_hidden_layers:
            caption += " Step units: ∂h/∂z = 0, so no gradient reaches the weights below them."
        self.caption.setText(caption)

    @Slot(int, int)
    def _on_table_cell_double_clicked(self, row: int, column: int) -> None:
        if self.graph is not None and column in (0, 1):
            self.parameter_double_clicked.emit(self.graph.parameters[row].index)
