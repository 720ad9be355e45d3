"""The hidden-space view: the points and a grid over the input plane, seen through one hidden layer.

Two units of the chosen layer are the axes (the layer's own coordinates when it has two
units). The straight grid lines of the input plane come out bent the way the layer bends
space; the points keep their class colours; the output's decision line is drawn where it is
a line (the last hidden layer's own space) and otherwise as the input boundary's image. Below,
the lecture's table, live: each point's inputs, every hidden layer's input and output and the
network's output; and the weights and thresholds, editable by double-click. The view is
recomputed in this process from the newest snapshot (a few forward passes of a small net),
at most every ``REFRESH_MS`` (longer for big networks).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..data.points import MAX_CLASSES
from ..engine.hidden_space import (boundary_points, decision_line, grid_lines, layer_outputs, map_lines,
                                   nice_extent, representation_table)
from ..notation import fmt, sub, sup
from ..palette import CLASS_COLORS
from .docked import ShownInDock
from .plot_style import LABEL_STYLE, style_axes
from .session import REGRESSION

REFRESH_MS = 80
N_LINES, SAMPLES = 11, 64
MAX_TABLE_ROWS = 40
MAX_WEIGHT_ROWS = 40
MAX_POINT_LABELS = 8         # up to this many points get their input coordinates written next to them
_VERTICAL, _HORIZONTAL = (70, 110, 175), (190, 125, 70)   # grid lines x₁ = const, x₂ = const


def unit_label(layer: int, unit: int, n_hidden: int) -> str:
    """x₁ for the inputs (layer 0), h₂ with one hidden layer, h⁽²⁾₁ with several."""
    if layer == 0:
        return f"x{sub(unit + 1)}"
    return f"h⁽{sup(layer)}⁾{sub(unit + 1)}" if n_hidden > 1 else f"h{sub(unit + 1)}"


def _light(rgb, amount=0.55) -> QColor:
    return QColor(*(int(c + (255 - c) * amount) for c in rgb))


class HiddenSpaceView(ShownInDock, QWidget):
    updated = Signal()           # the plot and tables show the newest network
    parameters_edited = Signal(int, float)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.network = None
        self.layer, self.units = 1, (0, 1)
        self.coordinates = np.zeros((0, 2))      # the points' coordinates on the two axes
        self.mapped_lines: list[np.ndarray] = []
        self.line = None
        self.line_reason = ""
        self._filling = False
        self._headers = {}  # table → the header texts it shows (setting a header item is slow: only on change)

        self.layer_box = QComboBox()
        self.layer_box.setToolTip("The layer whose units are the axes (the input plane itself for comparison)")
        self.u_box, self.v_box = QComboBox(), QComboBox()
        self.u_box.setToolTip("Unit on the horizontal axis")
        self.v_box.setToolTip("Unit on the vertical axis")
        self.layer_box.currentIndexChanged.connect(self._on_layer_changed)
        self.u_box.currentIndexChanged.connect(self._on_units_changed)
        self.v_box.currentIndexChanged.connect(self._on_units_changed)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer"))
        row.addWidget(self.layer_box, 1)
        row.addWidget(QLabel("axes"))
        row.addWidget(self.u_box)
        row.addWidget(self.v_box)
        self.save_button = QPushButton("Save image…")
        self.save_button.setToolTip("Save this view (plot and table) as a PNG image")
        self.save_button.clicked.connect(self._on_save_clicked)
        row.addWidget(self.save_button)

        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        style_axes(self.plot.plotItem)
        self.line_items = [self.plot.plot([], [], pen=pg.mkPen(_VERTICAL if i < N_LINES else _HORIZONTAL, width=1.5))
                           for i in range(2 * N_LINES)]
        self.boundary = pg.ScatterPlotItem(size=3, pen=None, brush=pg.mkBrush(30, 30, 30, 160))
        self.decision = self.plot.plot([], [], pen=pg.mkPen(20, 20, 20, width=3, style=Qt.DashLine))
        self.plot.addItem(self.boundary)
        self.points = [pg.ScatterPlotItem(size=16, pen=pg.mkPen(40, 40, 40, width=1.5),
                                          brush=pg.mkBrush(*CLASS_COLORS[k]), symbol="o") for k in range(MAX_CLASSES)]
        for item in self.points:
            item.setZValue(10)
            self.plot.addItem(item)
        self.point_labels = []  # for a handful of points: which inputs landed where, "(0, 1)"
        for _ in range(MAX_POINT_LABELS):
            label = pg.TextItem(color=(30, 30, 30), anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 200))
            label.setFont(QFont(label.textItem.font().family(), 12))
            label.setZValue(20)
            label.setVisible(False)
            self.plot.addItem(label)
            self.point_labels.append(label)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-size: 11pt; color: #333; padding: 2px 4px;")

        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.weights = QTableWidget()
        self.weights.verticalHeader().setVisible(False)
        self.weights.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.weights.setEditTriggers(QTableWidget.DoubleClicked | QTableWidget.EditKeyPressed)
        self.weights.setToolTip("Double-click a weight, bias or threshold θ = −b to set it by hand")
        self.weights.itemChanged.connect(self._on_weights_item_changed)
        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.table_note)
        self.tabs = QTabWidget()
        self.tabs.addTab(table_page, "Table")
        self.tabs.addTab(self.weights, "Weights")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        for table in (self.table, self.weights):
            font = QFont(table.font())
            font.setPointSizeF(12)
            table.setFont(font)

        plot_page = QWidget()
        pl = QVBoxLayout(plot_page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addLayout(row)
        pl.addWidget(self.plot, 1)
        pl.addWidget(self.note)
        self.plot_page = plot_page
        split = QSplitter(Qt.Horizontal)
        split.addWidget(plot_page)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([600, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        session.snapshot_changed.connect(self._on_session_changed)
        session.points_changed.connect(self._on_session_changed)
        session.model_changed.connect(self._on_session_model_changed)

    # -- choices ----------------------------------------------------------------------------
    def _fill_layer_box(self, sizes) -> None:
        n_hidden = len(sizes) - 2
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItem("input plane (x₁, x₂)", 0)
        for j in range(1, n_hidden + 1):
            self.layer_box.addItem(f"hidden layer {j} ({sizes[j]} unit{'s' if sizes[j] > 1 else ''})", j)
        self.layer = n_hidden
        self.layer_box.setCurrentIndex(self.layer_box.findData(self.layer))
        self.layer_box.blockSignals(False)
        self._fill_unit_boxes(sizes)

    def _fill_unit_boxes(self, sizes) -> None:
        width = sizes[self.layer]
        n_hidden = len(sizes) - 2
        for box, default in ((self.u_box, 0), (self.v_box, min(1, width - 1))):
            box.blockSignals(True)
            box.clear()
            for i in range(width):
                box.addItem(unit_label(self.layer, i, n_hidden), i)
            box.setCurrentIndex(default)
            box.blockSignals(False)
        self.v_box.setEnabled(width > 1)
        self.units = (0, min(1, width - 1))

    def choose(self, layer: int, units: tuple[int, int] | None = None) -> None:
        """Show ``layer`` (0: input plane) with ``units`` as the axes."""
        self.layer_box.setCurrentIndex(self.layer_box.findData(layer))
        if units is not None:
            self.u_box.setCurrentIndex(units[0])
            self.v_box.setCurrentIndex(units[1])
        self.refresh()

    @Slot()
    def _on_layer_changed(self) -> None:
        self.layer = self.layer_box.currentData() or 0
        if self.network is not None:
            self._fill_unit_boxes(self.network.layer_sizes)
        self.refresh()

    @Slot()
    def _on_units_changed(self) -> None:
        self.units = (max(self.u_box.currentIndex(), 0), max(self.v_box.currentIndex(), 0))
        self.refresh()

    # -- updates ----------------------------------------------------------------------------
    def _on_shown_changed(self, was: bool) -> None:
        if self.shown and not was:
            self.refresh()

    @Slot()
    def _on_session_changed(self, *_) -> None:
        if self.shown and not self.timer.isActive():
            self.timer.start()

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.network = None
        if self.shown:
            self.timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.shown:
            self.refresh()

    def refresh(self) -> None:
        """Recompute everything from the newest snapshot and the session's points."""
        started = time.perf_counter()
        try:
            self._refresh()
        finally:  # live updates take at most about a quarter of the GUI's time, whatever the network's size
            self.timer.setInterval(max(REFRESH_MS, int(3000 * (time.perf_counter() - started))))

    def _refresh(self) -> None:
        network = self.session.network_from_snapshot()
        if network is None:
            return
        if self.network is None or self.network.layer_sizes != network.layer_sizes:
            self._fill_layer_box(network.layer_sizes)
        self.network = network
        pts = self.session.points
        two_d = self.session.mode != REGRESSION and network.layer_sizes[0] == 2
        self.plot_page.setVisible(two_d)
        if two_d:
            self._draw_space(network, pts)
        if self.tabs.currentIndex() == 0:  # only the table on show: the other fills when its tab is chosen
            self._fill_table(network, pts)
        else:
            self._fill_weights(network)
        self.updated.emit()

    def _draw_space(self, network, pts) -> None:
        layer, (u, v) = self.layer, self.units
        width = network.layer_sizes[layer]
        single = width == 1
        axes = (u, u) if single else (u, v)
        extent = nice_extent(pts.X) if len(pts) else (-1.5, 1.5, -1.5, 1.5)
        self.mapped_lines = map_lines(network, grid_lines(extent, N_LINES, SAMPLES), layer, axes)
        for item, line in zip(self.line_items, self.mapped_lines):
            item.setData(line[:, 0], np.zeros(len(line)) if single else line[:, 1])
        coords = layer_outputs(network, pts.X, layer)[:, list(axes)] if len(pts) else np.zeros((0, 2))
        if single:
            coords = np.column_stack([coords[:, 0], np.zeros(len(coords))])
        self.coordinates = coords
        for k, item in enumerate(self.points):
            mine = pts.y == k if len(pts) else np.zeros(0, bool)
            item.setData(coords[mine, 0], coords[mine, 1])
        self._label_points(pts.X, coords)
        # the decision line, or the boundary's image
        n_hidden = network.n_hidden_layers
        names = [unit_label(layer, i, n_hidden) for i in axes]
        self.plot.setLabel("bottom", names[0], **LABEL_STYLE)
        self.plot.setLabel("left", "(one unit: all on 0)" if single else names[1], **LABEL_STYLE)
        self.line, self.line_reason = decision_line(network, layer, axes)
        everything = np.concatenate([*self.mapped_lines, coords]) if len(coords) else np.concatenate(self.mapped_lines)
        lo, hi = everything.min(axis=0), everything.max(axis=0)
        if single:
            lo[1], hi[1] = -0.5, 0.5
        pad = np.maximum((hi - lo) * 0.08, 0.05)
        box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
        self.boundary.setData([], [])
        self.decision.setData([], [])
        if self.line is not None:
            if single:
                a, c = self.line.a[0], self.line.c
                if abs(a) > 1e-12:
                    self.decision.setData([-c / a, -c / a], [box[2], box[3]])
            else:
                segment = self.line.clip(box)
                if segment is not None:
                    self.decision.setData(segment[:, 0], segment[:, 1])
        elif network.layer_sizes[-1] >= 2:
            # a fine grid for small networks, a coarser one where a forward pass costs more
            found = boundary_points(network, extent, layer, axes, 161 if network.parameters.size <= 100 else 81)
            if single:
                found = np.column_stack([found[:, 0], np.zeros(len(found))]) if len(found) else found
            self.boundary.setData(found[:, 0], found[:, 1]) if len(found) else None
        self.plot.setRange(xRange=box[:2], yRange=box[2:], padding=0)
        layer_name = "the input plane" if layer == 0 else f"hidden layer {layer}"
        self.note.setText(f"Grid: lines of the input plane (blue: x₁ fixed, brown: x₂ fixed) seen in {layer_name}. "
                          f"{'Dashed' if self.line is not None else 'Dots'}: {self.line_reason}.")

    def _label_points(self, X, coords) -> None:
        """Write each point's input next to where it lands; points landing together share one label."""
        groups: dict[tuple, list[str]] = {}
        if len(X) <= MAX_POINT_LABELS:
            for x, c in zip(X, coords):
                key = tuple(np.round(c, 3))
                groups.setdefault(key, []).append(f"({', '.join(fmt(v, 2) for v in x)})")
        for label, (where, names) in zip(self.point_labels, groups.items()):
            label.setText(" ".join(names))
            label.setPos(*where)
            label.setVisible(True)
        for label in self.point_labels[len(groups):]:
            label.setVisible(False)

    # -- the table --------------------------------------------------------------------------
    def _fill_table(self, network, pts) -> None:
        n = len(pts)
        shown = min(n, MAX_TABLE_ROWS)
        sizes, n_hidden = network.layer_sizes, network.n_hidden_layers
        step = network.activation == "step"
        classification = self.session.mode != REGRESSION
        headers = ["#"] + [f"i{sub(k + 1)}" if classification else "x" for k in range(sizes[0])]
        tips = ["point"] + ["input" for _ in range(sizes[0])]
        table = representation_table(network, pts.X[:shown]) if shown else None
        for j in range(n_hidden):
            for i in range(sizes[j + 1]):
                name = unit_label(j + 1, i, n_hidden)
                if step:
                    theta = -network.biases[j][i]
                    headers.append(f"input {name}\nw·i  (θ = {fmt(theta)})")
                    tips.append("hidden layer input: the weighted sum w·i, which the step unit compares with θ = −b")
                else:
                    headers.append(f"input {name}\nz = w·i + b")
                    tips.append("hidden layer input: the pre-activation z")
            for i in range(sizes[j + 1]):
                headers.append(f"output {unit_label(j + 1, i, n_hidden)}")
                tips.append(f"hidden layer output h = {network.activation}(z)")
        if classification:
            k = sizes[-1]
            headers += ["o", "target"]
            tips += ["the network's output: the winning class (for 2 classes: 1 when it fires, 0 when not)",
                     "the point's class"]
            if k == 2:
                headers.insert(len(headers) - 2, "s₂ − s₁")
                tips.insert(len(tips) - 2, "the output unit's input: class 2 wins where it is > 0")
        else:
            headers += ["ŷ", "y"]
            tips += ["the network's output", "the point's target"]
        self.table.setRowCount(shown)
        self._set_headers(self.table, headers, tips)
        for r in range(shown):
            values = [str(r + 1)] + [fmt(v) for v in table.inputs[r]]
            for j in range(n_hidden):
                values += [fmt(v) for v in (table.weighted[j][r] if step else table.pre[j][r])]
                values += [fmt(v) for v in table.hidden[j][r]]
            colours = [None] * len(values)
            if classification:
                if sizes[-1] == 2:
                    values.append(fmt(table.scores[r, 1] - table.scores[r, 0]))
                    colours.append(None)
                o, target = int(table.predicted[r]), int(pts.y[r])
                two = sizes[-1] == 2
                values += [str(o) if two else f"class {o + 1}", str(target) if two else f"class {target + 1}"]
                colours += [CLASS_COLORS[o % len(CLASS_COLORS)], CLASS_COLORS[target % len(CLASS_COLORS)]]
            else:
                values += [fmt(table.scores[r, 0]), fmt(pts.y[r, 0])]
                colours += [None, None]
            for c, (text, colour) in enumerate(zip(values, colours)):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    self.table.setItem(r, c, item)
                item.setText(text)
                item.setBackground(_light(colour) if colour else QColor("white"))
        if classification and shown:
            right = int(np.sum(table.predicted == pts.y[:shown]))
            verdict = f"o matches the target for {right} of {shown} points"
        else:
            verdict = ""
        parts = [verdict] if verdict else []
        if n > shown:
            parts.append(f"first {shown} of {n} points")
        self.table_note.setText("; ".join(parts) + "." if parts else "")

    # -- the weights ------------------------------------------------------------------------
    def _fill_weights(self, network) -> None:
        sizes, n_hidden = network.layer_sizes, network.n_hidden_layers
        rows = sum(sizes[1:])
        if rows > MAX_WEIGHT_ROWS or self.weights.state() == QTableWidget.EditingState:
            return
        fan_in = max(sizes[:-1])
        headers = ["unit"] + [f"w from {k + 1}" for k in range(fan_in)] + ["b", "θ = −b"]
        self._filling = True
        self._set_headers(self.weights, headers)
        self.weights.setRowCount(rows)
        self._weight_cells = {}
        r = 0
        for j, (W, b) in enumerate(zip(network.weights, network.biases)):
            last = j == len(network.weights) - 1
            for i in range(W.shape[0]):
                name = (f"s{sub(i + 1)} (class {i + 1})" if self.session.mode != REGRESSION else "ŷ") if last \
                    else unit_label(j + 1, i, n_hidden)
                sources = [f"x{sub(k + 1)}" if j == 0 else unit_label(j, k, n_hidden) for k in range(W.shape[1])]
                self._set_cell(r, 0, name, editable=False)
                for k in range(fan_in):
                    if k < W.shape[1]:
                        self._set_cell(r, 1 + k, fmt(W[i, k], 4), tip=f"weight {sources[k]} → {name}")
                        self._weight_cells[(r, 1 + k)] = ("w", j, i, k)
                    else:
                        self._set_cell(r, 1 + k, "", editable=False)
                self._set_cell(r, fan_in + 1, fmt(b[i], 4), tip=f"bias of {name}")
                self._set_cell(r, fan_in + 2, fmt(-b[i], 4), tip=f"threshold of {name}: it fires when w·i ≥ θ")
                self._weight_cells[(r, fan_in + 1)] = ("b", j, i, None)
                self._weight_cells[(r, fan_in + 2)] = ("θ", j, i, None)
                r += 1
        self._filling = False

    def _set_headers(self, table: QTableWidget, headers: list[str], tips: list[str] | None = None) -> None:
        if self._headers.get(id(table)) == headers:
            return
        self._headers[id(table)] = headers
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        for c, tip in enumerate(tips or []):
            table.horizontalHeaderItem(c).setToolTip(tip)

    def _set_cell(self, r: int, c: int, text: str, editable: bool = True, tip: str = "") -> None:
        item = self.weights.item(r, c)
        if item is None:
            item = QTableWidgetItem()
            self.weights.setItem(r, c, item)
        item.setText(text)
        item.setToolTip(tip)
        item.setTextAlignment((Qt.AlignRight if c else Qt.AlignLeft) | Qt.AlignVCenter)
        flags = item.flags()
        item.setFlags(flags | Qt.ItemIsEditable if editable else flags & ~Qt.ItemIsEditable)

    @Slot(QTableWidgetItem)
    def _on_weights_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.network is None:
            return
        cell = self._weight_cells.get((item.row(), item.column()))
        if cell is None:
            return
        try:
            value = float(item.text().replace("−", "-"))
        except ValueError:
            self.session.message.emit(f"not a number: {item.text()!r}")
            self.refresh()
            return
        if not np.isfinite(value):
            self.session.message.emit("a weight must be a finite number")
            self.refresh()
            return
        kind, j, i, k = cell
        net = self.network.copy()
        if kind == "w":
            net.weights[j][i, k] = value
        else:
            net.biases[j][i] = value if kind == "b" else -value
        flat_index = int(np.flatnonzero(net.parameters != self.network.parameters)[0]) if \
            np.any(net.parameters != self.network.parameters) else None
        self.session.set_parameters(net.parameters)
        self.network = net
        if flat_index is not None:
            self.parameters_edited.emit(flat_index, float(net.parameters[flat_index]))
        self.session.message.emit(f"{item.toolTip() or 'weight'} set to {fmt(value)} by hand")

    # -- export -----------------------------------------------------------------------------
    def save_image(self, path: str) -> bool:
        """Save the view as it is on screen (plot, table) as a PNG."""
        return self.grab().save(path)

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the hidden-space view", "hidden-space.png",
                                              "PNG image (*.png)")
        if path:
            path = path if path.lower().endswith(".png") else path + ".png"
            self.session.message.emit(f"saved {path}" if self.save_image(path) else f"could not write {path}")
