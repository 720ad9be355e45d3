"""The lecture's table, live: each point's inputs, every hidden layer's input and output, the network's output.

For step units a hidden unit's input is the weighted sum w·i that the unit compares with its
threshold θ = −b, as on the perceptron slides; otherwise the pre-activation z. Names follow
``NetworkNotation`` (for one hidden layer the slide's zᵢ = vᵢᵀx + bᵢ and f(x) = Σᵢ wᵢhᵢ(x) + w₀).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..engine.hidden_space import representation_table
from ..notation import fmt, sub
from ..palette import CLASS_COLORS
from .network_notation import NetworkNotation

MAX_TABLE_ROWS = 40


def light(rgb, amount=0.55) -> QColor:
    """A class colour washed towards white, as a cell background behind black text."""
    return QColor(*(int(c + (255 - c) * amount) for c in rgb))


class LectureTableWidget(QTableWidget):
    """A table in the hidden-space view's style (12 pt, no row numbers) that sets its headers only on change."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        font = QFont(self.font())
        font.setPointSizeF(12)
        self.setFont(font)
        self._shown_headers: list[str] | None = None   # setting a header item is slow: only on change

    def set_headers(self, headers: list[str], tips: list[str] | None = None) -> None:
        if self._shown_headers == headers:
            return
        self._shown_headers = headers
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        for c, tip in enumerate(tips or []):
            self.horizontalHeaderItem(c).setToolTip(tip)


class LectureTable(QWidget):
    """The table and a note under it (how many points the output gets right, how many rows are shown)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = LectureTableWidget()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def fill(self, network, pts, classification: bool, features: tuple[str, ...] = ()) -> None:
        """The rows of the first ``MAX_TABLE_ROWS`` of the points ``pts`` under ``network``; with ``features``
        (φ's display names) the points' coordinates are φ(x), the network's inputs."""
        n = len(pts)
        shown = min(n, MAX_TABLE_ROWS)
        headers, tips = _headers(network, classification, features)
        self.table.setRowCount(shown)
        self.table.set_headers(headers, tips)
        table = representation_table(network, pts.X[:shown]) if shown else None
        for r in range(shown):
            self._fill_row(r, _row(network, table, r, pts.y[r], classification))
        parts = []
        if classification and shown:
            right = int(np.sum(table.predicted == pts.y[:shown]))
            parts.append(f"o matches the target for {right} of {shown} points")
        if n > shown:
            parts.append(f"first {shown} of {n} points")
        self.note.setText("; ".join(parts) + "." if parts else "")

    def _fill_row(self, r: int, cells: list[tuple[str, tuple | None]]) -> None:
        for c, (text, colour) in enumerate(cells):
            item = self.table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
            item.setText(text)
            item.setBackground(light(colour) if colour else QColor("white"))


def _hidden_input_header(network, names: NetworkNotation, j: int, i: int, inputs: str) -> str:
    """The header of hidden unit i's input in hidden layer j + 1 (second line: how it is computed)."""
    name = names.unit(j + 1, i)
    if names.slide:
        weighted = f"v{sub(i + 1)}" + ("" if network.layer_sizes[0] == 1 else "ᵀ") + inputs   # v₁x, v₁ᵀi
        if network.activation == "step":
            return f"input {name}\n{weighted}  (θ = {fmt(-network.biases[j][i])})"
        return f"input {name}\nz{sub(i + 1)} = {weighted} + b{sub(i + 1)}"
    if network.activation == "step":
        return f"input {name}\nw·i  (θ = {fmt(-network.biases[j][i])})"
    return f"input {name}\nz = w·i + b"


def _headers(network, classification: bool, features: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    sizes, n_hidden = network.layer_sizes, network.n_hidden_layers
    names = NetworkNotation(sizes, classification, bool(features))
    step = network.activation == "step"
    headers = ["#"] + [f"i{sub(k + 1)}" if classification else "x" if sizes[0] == 1 else f"x{sub(k + 1)}"
                       for k in range(sizes[0])]  # 2-D regression: x₁, x₂
    tips = ["point"] + ["input" for _ in range(sizes[0])]
    inputs = "i" if classification else "x"
    if features:  # the network's inputs are the features φⱼ(x) of the point
        headers[1:] = [f"{names.unit(0, k)}\n= {name}" for k, name in enumerate(features)]
        tips[1:] = [f"feature {names.unit(0, k)} = {name} of the point" for k, name in enumerate(features)]
        inputs = "φ"
    for j in range(n_hidden):
        for i in range(sizes[j + 1]):
            headers.append(_hidden_input_header(network, names, j, i, inputs))
            tips.append("hidden layer input: the weighted sum, which the step unit compares with θ = −b" if step
                        else "hidden layer input: the pre-activation z")
        for i in range(sizes[j + 1]):
            headers.append(f"output {names.unit(j + 1, i)}")
            tips.append(f"hidden layer output h = {network.activation}(z)")
    if classification:
        headers += ["o", "target"]
        tips += ["the network's output: the winning class (for 2 classes: 1 when it fires, 0 when not)",
                 "the point's class"]
        if sizes[-1] == 2:
            headers.insert(len(headers) - 2, "s₂ − s₁")
            tips.insert(len(tips) - 2, "the output unit's input: class 2 wins where it is > 0")
    else:
        headers += ["ŷ\n" + names.layer_formula(n_hidden).split(" = ", 1)[1], "y"]
        tips += ["the network's output", "the point's target"]
    return headers, tips


def _row(network, table, r: int, target, classification: bool) -> list[tuple[str, tuple | None]]:
    """(text, class colour or None) of every cell of row r."""
    sizes, step = network.layer_sizes, network.activation == "step"
    cells = [(str(r + 1), None)] + [(fmt(v), None) for v in table.inputs[r]]
    for j in range(network.n_hidden_layers):
        cells += [(fmt(v), None) for v in (table.weighted[j][r] if step else table.pre[j][r])]
        cells += [(fmt(v), None) for v in table.hidden[j][r]]
    if not classification:
        return cells + [(fmt(table.scores[r, 0]), None), (fmt(target[0]), None)]
    if sizes[-1] == 2:
        cells.append((fmt(table.scores[r, 1] - table.scores[r, 0]), None))
    o, label = int(table.predicted[r]), int(target)
    two = sizes[-1] == 2
    cells.append((str(o) if two else f"class {o + 1}", CLASS_COLORS[o % len(CLASS_COLORS)]))
    cells.append((str(label) if two else f"class {label + 1}", CLASS_COLORS[label % len(CLASS_COLORS)]))
    return cells
