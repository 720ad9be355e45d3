"""The hidden-space view's Weights tab: every weight, bias and threshold θ = −b, set by hand with a double-click.

One hidden layer: the slide's parameters, a row per hidden unit i with its vᵢ, bᵢ, θᵢ = −bᵢ and
output weight wᵢ (wⱼᵢ for output j), and a last row with the output bias w₀: f(x) = Σᵢ wᵢhᵢ(x) + w₀
read across the table. Other depths: a row per unit of every layer with its incoming weights and bias.
Each editable cell knows the flat index of its parameter (and the sign: θ = −b), so an edit changes
exactly that entry.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from ..engine import ParameterVector
from ..notation import fmt, sub
from .lecture_table import LectureTableWidget
from .network_notation import NetworkNotation

MAX_WEIGHT_ROWS = 40


class WeightsEditor(LectureTableWidget):
    """``edited(flat index, new value, what was set)`` after a valid edit; ``rejected(message)`` after a bad one."""

    edited = Signal(int, float, str)
    rejected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QTableWidget.DoubleClicked | QTableWidget.EditKeyPressed)
        self.setToolTip("Double-click a weight, bias or threshold θ = −b to set it by hand")
        self._cells: dict[tuple[int, int], tuple[int, float]] = {}   # (row, column) → (flat index, sign)
        self._filling = False
        self.itemChanged.connect(self._on_item_changed)

    def fill(self, network, classification: bool) -> None:
        """Show ``network``'s parameters (not while the user is typing into a cell)."""
        sizes = network.layer_sizes
        if sum(sizes[1:]) > MAX_WEIGHT_ROWS or self.state() == QTableWidget.EditingState:
            return
        names = NetworkNotation(sizes, classification)
        index = ParameterVector(sizes, np.arange(network.parameters.size, dtype=np.float64))
        self._filling = True
        self._cells = {}
        try:
            if names.slide:
                self._fill_slide(network, names, index)
            else:
                self._fill_layers(network, names, index)
        finally:
            self._filling = False

    def _fill_slide(self, network, names: NetworkNotation, index: ParameterVector) -> None:
        d, m, k = network.layer_sizes
        v_cols = ["vᵢ"] if d == 1 else [f"vᵢ{sub(c + 1)}" for c in range(d)]
        w_cols = ["wᵢ"] if k == 1 else [f"w{sub(j + 1)}ᵢ" for j in range(k)]
        self.set_headers(["unit", *v_cols, "bᵢ", "θᵢ = −bᵢ", *w_cols])
        self.setRowCount(m + 1)
        (V, W), (b, w0) = network.weights, network.biases
        for i in range(m):
            h = names.unit(1, i)
            self._set_cell(i, 0, h)
            for c in range(d):
                self._set_parameter(i, 1 + c, V[i, c], int(index.weights[0][i, c]),
                                    f"{names.weight(0, i, c)}: weight {names.unit(0, c)} → {h}")
            bias = int(index.biases[0][i])
            self._set_parameter(i, d + 1, b[i], bias, f"{names.bias(0, i)}: bias of {h}")
            self._set_parameter(i, d + 2, -b[i], bias, f"θ{sub(i + 1)} = −{names.bias(0, i)}: threshold of {h}: "
                                                       f"it fires when v{sub(i + 1)}·i ≥ θ{sub(i + 1)}", sign=-1.0)
            for j in range(k):
                self._set_parameter(i, d + 3 + j, W[j, i], int(index.weights[1][j, i]),
                                    f"{names.weight(1, j, i)}: weight {h} → {names.output(j)}")
        self._set_cell(m, 0, "w₀  (bias)" if k == 1 else "wⱼ₀  (biases)")
        for c in range(1, d + 3):
            self._set_cell(m, c, "")
        for j in range(k):
            self._set_parameter(m, d + 3 + j, w0[j], int(index.biases[1][j]),
                                f"{names.bias(1, j)}: bias of {names.output(j)}")

    def _fill_layers(self, network, names: NetworkNotation, index: ParameterVector) -> None:
        sizes = network.layer_sizes
        fan_in = max(sizes[:-1])
        self.set_headers(["unit"] + [f"w from {k + 1}" for k in range(fan_in)] + ["b", "θ = −b"])
        self.setRowCount(sum(sizes[1:]))
        r = 0
        for j, (W, b) in enumerate(zip(network.weights, network.biases)):
            last = j == len(network.weights) - 1
            for i in range(W.shape[0]):
                name = names.unit(j + 1, i)
                if last and names.classification:
                    name += f" (class {i + 1})"
                self._set_cell(r, 0, name)
                for k in range(fan_in):
                    if k < W.shape[1]:
                        self._set_parameter(r, 1 + k, W[i, k], int(index.weights[j][i, k]),
                                            f"{names.weight(j, i, k)}: weight {names.unit(j, k)} → {name}")
                    else:
                        self._set_cell(r, 1 + k, "")
                bias = int(index.biases[j][i])
                self._set_parameter(r, fan_in + 1, b[i], bias, f"{names.bias(j, i)}: bias of {name}")
                self._set_parameter(r, fan_in + 2, -b[i], bias, f"threshold of {name}: it fires when w·i ≥ θ",
                                    sign=-1.0)
                r += 1

    def _set_parameter(self, r: int, c: int, value: float, flat_index: int, tip: str, sign: float = 1.0) -> None:
        """An editable cell showing ``value`` = sign × parameter ``flat_index``."""
        self._set_cell(r, c, fmt(value, 4), editable=True, tip=tip)
        self._cells[(r, c)] = (flat_index, sign)

    def _set_cell(self, r: int, c: int, text: str, editable: bool = False, tip: str = "") -> None:
        item = self.item(r, c)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(r, c, item)
        item.setText(text)
        item.setToolTip(tip)
        item.setTextAlignment((Qt.AlignRight if c else Qt.AlignLeft) | Qt.AlignVCenter)
        flags = item.flags()
        item.setFlags(flags | Qt.ItemIsEditable if editable else flags & ~Qt.ItemIsEditable)

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        cell = self._cells.get((item.row(), item.column()))
        if cell is None:
            return
        try:
            value = float(item.text().replace("−", "-"))
        except ValueError:
            self.rejected.emit(f"not a number: {item.text()!r}")
            return
        if not np.isfinite(value):
            self.rejected.emit("a weight must be a finite number")
            return
        flat_index, sign = cell
        self.edited.emit(flat_index, sign * value, f"{item.toolTip() or 'weight'} set to {fmt(value)} by hand")
