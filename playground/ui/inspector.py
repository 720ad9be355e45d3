"""The backprop inspector: the computation graph of one training point, stepped node by node.

Pick a point by clicking it in the data plot (while "Pick a point" is on, a click there picks
instead of drawing). "Next" fills in one node: first every node's value in topological order
(the forward pass), then ∂J/∂node in reverse topological order (the backward pass), where a
node with several children shows the sum of their shares; each edge then shows ∂J/∂w. "Apply
update" takes one plain gradient step w ← w − η ∂J/∂w on that point with the session's current
learning rate and sends the new weights to the worker, so the fit moves. The table on the right
checks every backprop gradient against a central finite difference. Double-click a weight (or
a z box, for its bias) to set it by hand.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton, QSplitter,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)
import pyqtgraph as pg

from ..engine import Network
from ..engine.graph import ComputationGraph, fmt, too_large_reason
from .docked import ShownInDock
from .graph_view import GRAD_COLOR, GraphScene, GraphView
from .session import REGRESSION

PLAY_INTERVAL_MS = 700
PICK_RADIUS = 0.08           # a click picks the nearest point within this fraction of the plot's x range
REFRESH_INTERVAL_MS = 120    # rebuild the graph at most this often while training changes the weights
CHECK_COLUMNS = ["parameter", "value", "backprop", "finite diff.", "rel. error"]


class PointPicker(QObject):
    """An event filter on the data plots: in pick mode a left click picks the nearest point and draws nothing."""

    picked = Signal(int)
    missed = Signal(str)

    def __init__(self, session, plots, parent=None):
        super().__init__(parent)
        self.session = session
        self.plots = list(plots)
        self.active = False
        self.markers = []
        for plot in self.plots:
            plot.viewport().installEventFilter(self)
            marker = pg.ScatterPlotItem(size=30, symbol="o", pen=pg.mkPen(20, 20, 20, width=3),
                                        brush=pg.mkBrush(255, 220, 60, 90))
            marker.setZValue(50)
            plot.addItem(marker)
            self.markers.append(marker)

    def _plot_of(self, viewport):
        return next((p for p in self.plots if p.viewport() is viewport), None)

    def eventFilter(self, watched, event) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if kind in (QEvent.MouseButtonPress, QEvent.MouseButtonDblClick) and event.button() == Qt.LeftButton:
            plot = self._plot_of(watched)
            if plot is not None:
                self.pick_at(plot, plot.widget_to_data(event.position()))
            return True
        if kind in (QEvent.MouseMove, QEvent.MouseButtonRelease) and (event.buttons() & Qt.LeftButton
                                                                       or event.button() == Qt.LeftButton):
            return True
        return False

    def coordinates(self) -> np.ndarray:
        """(n, 2) plot coordinates of the session's points: (x, y) in 1-D, (x₁, x₂) in 2-D."""
        pts = self.session.points
        if not len(pts):
            return np.zeros((0, 2))
        return np.column_stack([pts.X[:, 0], pts.y[:, 0]]) if pts.X.shape[1] == 1 else pts.X

    def pick_at(self, plot, xy) -> None:
        coords = self.coordinates()
        if not len(coords):
            self.missed.emit("no points to inspect: draw or generate some first")
            return
        (x0, x1), (y0, y1) = self.session.bounds
        scale = np.array([x1 - x0, y1 - y0])
        distance = np.hypot(*((coords - np.asarray(xy)) / scale).T)
        nearest = int(np.argmin(distance))
        if distance[nearest] > PICK_RADIUS:
            self.missed.emit("no training point there: click on a point to inspect it")
            return
        self.picked.emit(nearest)

    def mark(self, index: int | None) -> None:
        coords = self.coordinates()
        show = index is not None and 0 <= index < len(coords)
        for marker in self.markers:
            marker.setData([coords[index, 0]], [coords[index, 1]]) if show else marker.setData([], [])


class BackpropInspector(ShownInDock, QWidget):
    stepped = Signal(str, str)        # ("forward" | "backward", node key) for every step shown
    point_picked = Signal(int)
    update_applied = Signal(object)   # the new flat parameters sent to the worker
    refused = Signal(str)

    def __init__(self, session, pick_plots=(), parent=None):
        super().__init__(parent)
        self.session = session
        self.graph: ComputationGraph | None = None
        self.fd: np.ndarray | None = None
        self.index: int | None = None
        self.done = 0
        self._picked_xy = None
        self._note = ""

        self.picker = PointPicker(session, pick_plots, self)
        self.picker.picked.connect(self.pick)
        self.picker.missed.connect(session.message)

        self.pick_button = QToolButton(text="Pick a point", checkable=True, checked=True)
        self.pick_button.setToolTip("While on, a left click in the data plot picks the point to inspect "
                                    "(and adds no point)")
        self.pick_button.toggled.connect(self._sync_picking)
        self.point_label = QLabel("Click a training point in the data plot")
        self.restart_button = QPushButton("Start over")
        self.next_button = QPushButton("Next ▶")
        self.play_button = QPushButton("▶ Play", checkable=True)
        self.forward_button = QPushButton("All forward")
        self.backward_button = QPushButton("All backward")
        self.apply_button = QPushButton("Apply update")
        self.save_button = QPushButton("Save image…")
        self.check_button = QPushButton("Check table", checkable=True, checked=True)
        self.check_button.setToolTip("Show or hide the gradient check (hide it to draw the graph larger)")
        self.restart_button.setToolTip("Hide every value and start the forward pass again")
        self.next_button.setToolTip("One node: its value (forward pass), then its ∂J/∂node (backward pass)")
        self.play_button.setToolTip("Step through forward and backward pass automatically")
        self.apply_button.setToolTip("w ← w − η ∂J/∂w for this point alone, with the session's current "
                                     "learning rate η; the new weights go to the training process")
        self.save_button.setToolTip("Save the graph as a PNG image (twice the screen resolution)")
        self.restart_button.clicked.connect(lambda: self.go_to(0))
        self.next_button.clicked.connect(self.next_step)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.forward_button.clicked.connect(lambda: self.go_to(len(self.graph.forward_order)) if self.graph else None)
        self.backward_button.clicked.connect(lambda: self.go_to(self.total_steps))
        self.apply_button.clicked.connect(self.apply_update)
        self.save_button.clicked.connect(self._on_save_clicked)
        top = QHBoxLayout()
        top.addWidget(self.pick_button)
        top.addWidget(self.point_label, 1)
        for button in (self.restart_button, self.next_button, self.play_button, self.forward_button,
                       self.backward_button, self.apply_button, self.check_button, self.save_button):
            top.addWidget(button)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.PlainText)
        self.detail.setStyleSheet("font-size: 15pt; padding: 4px 8px; background: #fbfbf6; color: #1a1a1a;")
        self.detail.setMinimumHeight(56)

        self.scene = GraphScene(self)
        self.scene.node_clicked.connect(self._on_scene_node_clicked)
        self.scene.parameter_double_clicked.connect(self.edit_parameter)
        self.view = GraphView(self.scene)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 15pt; color: #444; padding: 20px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        self.check = QTableWidget(0, len(CHECK_COLUMNS))
        self.check.setHorizontalHeaderLabels(CHECK_COLUMNS)
        self.check.verticalHeader().setVisible(False)
        self.check.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.check.setEditTriggers(QTableWidget.NoEditTriggers)
        self.check.setToolTip("Every backprop gradient against (J(θ + ε) − J(θ − ε)) / 2ε, ε = 1e−6; "
                              "double-click a value to set it by hand")
        self.check.cellDoubleClicked.connect(self._on_check_double_clicked)
        self.check_caption = QLabel()
        self.check_caption.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Gradient check")
        title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        right_layout.addWidget(title)
        right_layout.addWidget(self.check, 1)
        right_layout.addWidget(self.check_caption)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.stack)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1100, 440])
        self.splitter = split
        self.check_button.toggled.connect(right.setVisible)
        self.check_button.toggled.connect(lambda _: QTimer.singleShot(0, self.view.fit))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.detail)
        layout.addWidget(split, 1)

        self.play_timer = QTimer(self)
        self.play_timer.setInterval(PLAY_INTERVAL_MS)
        self.play_timer.timeout.connect(self._on_play_timer_timeout)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self.refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.points_changed.connect(self._on_session_points_changed)
        session.model_changed.connect(self._on_session_model_changed)
        self._show_message("Click a training point in the data plot to see its computation graph.")
        self._sync_buttons()

    # -- the point --------------------------------------------------------------------------
    @property
    def total_steps(self) -> int:
        g = self.graph
        return 0 if g is None else len(g.forward_order) + len(g.backward_order)

    @Slot(int)
    def pick(self, index: int) -> None:
        """Inspect the session's point ``index``: a new graph, every value hidden again."""
        pts = self.session.points
        if not 0 <= index < len(pts):
            raise IndexError(f"no point {index}: the session has {len(pts)}")
        self.index = index
        self._picked_xy = self.picker.coordinates()[index].copy()
        self.done = 0
        self._note = ""
        self.scene.previous = None
        self.play_button.setChecked(False)
        self.picker.mark(index)
        self.rebuild()
        self.point_picked.emit(index)

    def _point(self):
        pts = self.session.points
        if self.index is None or self.index >= len(pts):
            return None
        return pts.X[self.index], pts.y[self.index]

    def _describe_point(self) -> str:
        x, y = self._point()
        where = ", ".join(fmt(v) for v in x)
        test = bool(self.session.test_mask[self.index])
        target = f"target y = {fmt(y[0])}" if self.session.mode == REGRESSION else f"class {int(y) + 1}"
        return f"Point {self.index + 1}: x = ({where}), {target}" + ("  (a held-out test point)" if test else "")

    # -- building ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Build the graph of the picked point from the newest network; keep how far the steps went."""
        network = self.session.network_from_snapshot()
        point = self._point()
        if network is None or point is None:
            self.graph = None
            self._show_message("Click a training point in the data plot to see its computation graph."
                               if network is not None else "Waiting for the network…")
            self._sync_buttons()
            return
        reason = too_large_reason(network.layer_sizes)
        if reason:
            self.graph = None
            self._show_message(f"Not drawn: {reason}")
            self.refused.emit(reason)
            self._sync_buttons()
            return
        settings = self.session.settings
        loss = "mse" if self.session.mode == REGRESSION else "cross_entropy"
        x, y = point
        if loss == "cross_entropy" and int(y) >= network.layer_sizes[-1]:
            self.graph = None
            self._show_message("Waiting for the network to grow an output for the new class…")
            self._sync_buttons()
            return
        if self.graph is not None and not np.array_equal(network.parameters, self.graph.flat):
            self.scene.previous = None  # training (or an edit) moved the weights since the update
        self.graph = ComputationGraph(network, x, y, loss, settings.l2)
        self.fd = None
        self.done = min(self.done, self.total_steps)
        self.stack.setCurrentWidget(self.view)
        self.point_label.setText(self._describe_point())
        if self.scene.set_graph(self.graph) or not self.view.zoomed:
            self.view.fit()
        self._show_step()
        self._fill_check()
        self._sync_buttons()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.detail.setText("")
        self.check.setRowCount(0)
        self.check_caption.setText("")

    # -- stepping ---------------------------------------------------------------------------
    def step_at(self, done: int) -> tuple[str, str] | None:
        """The step shown when ``done`` steps are done: (phase, node key) of the last one, or None at the start."""
        g = self.graph
        if g is None or done == 0:
            return None
        n_forward = len(g.forward_order)
        if done <= n_forward:
            return "forward", g.forward_order[done - 1]
        return "backward", g.backward_order[done - n_forward - 1]

    def next_step(self) -> bool:
        """Reveal one more node; False at the end of the backward pass."""
        if self.graph is None or self.done >= self.total_steps:
            return False
        self.go_to(self.done + 1)
        return True

    def go_to(self, done: int) -> None:
        if self.graph is None:
            return
        start = self.done
        self.done = max(0, min(done, self.total_steps))
        self._note = ""
        self.scene.previous = None
        self._show_step()
        self._fill_check()
        self._sync_buttons()
        for k in range(start + 1, self.done + 1):
            self.stepped.emit(*self.step_at(k))

    def _show_step(self) -> None:
        g = self.graph
        step = self.step_at(self.done)
        current = step[1] if step else None
        self.scene.show_state(self.done, current)
        n_forward = len(g.forward_order)
        if step is None:
            text = (f"Press Next: the forward pass computes each node's value in topological order "
                    f"({n_forward} nodes), then the backward pass gives ∂J/∂node in reverse order.")
        elif step[0] == "forward":
            text = f"Forward {self.done}/{n_forward}:  {g.forward_text(current)}"
        else:
            k = self.done - n_forward
            text = f"Backward {k}/{len(g.backward_order)}:  {g.backward_text(current)}"
            if k == len(g.backward_order):
                text += "   — backward pass done: every edge shows ∂J/∂w; Apply update takes the step."
        if self._note:
            text = f"{self._note}\n{text}"
        self.detail.setText(text)

    @Slot(bool)
    def _on_play_toggled(self, on: bool) -> None:
        self.play_button.setText("❚❚ Pause" if on else "▶ Play")
        if on:
            if self.done >= self.total_steps:
                self.go_to(0)
            self.play_timer.start()
        else:
            self.play_timer.stop()

    @Slot()
    def _on_play_timer_timeout(self) -> None:
        if not self.next_step():
            self.play_button.setChecked(False)

    # -- the update -------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        snap = self.session.snapshot
        return snap.learning_rate if snap is not None else self.session.settings.learning_rate

    def apply_update(self) -> np.ndarray | None:
        """w ← w − η ∂J/∂w on this point; the new parameters go to the worker and the graph shows them."""
        g = self.graph
        if g is None:
            return None
        eta = self.learning_rate
        new = g.updated_parameters(eta)
        before = g.objective
        self.session.pause()
        self.session.set_parameters(new)
        self.scene.previous = g.flat
        self._load_parameters(new)
        after = self.graph.objective
        change = np.abs(new - g.flat).max()
        self.done = len(self.graph.forward_order)
        self._note = (f"Update applied with η = {fmt(eta)}: every parameter moved by −η·∂J/∂θ "
                      f"(largest change {fmt(change)}); J for this point {fmt(before)} → {fmt(after)}.")
        self._show_step()
        self._fill_check()
        self._sync_buttons()
        self.update_applied.emit(new)
        return new

    def _load_parameters(self, flat: np.ndarray) -> None:
        """Show the graph for parameters ``flat`` at once (the worker's snapshot confirms them later)."""
        g = self.graph
        network = Network(g.layer_sizes, g.activation)
        network.parameters[...] = flat
        x, y = self._point()
        self.graph = ComputationGraph(network, x, y, g.loss, g.l2)
        self.fd = None
        self.scene.set_graph(self.graph)

    @Slot(int)
    def edit_parameter(self, index: int) -> None:
        """Ask for a new value of parameter ``index`` (double-click on a weight or bias) and send it."""
        g = self.graph
        if g is None:
            return
        value, ok = QInputDialog.getDouble(self, "Set a weight by hand", f"{g.describe_parameter(index)} =",
                                           float(g.flat[index]), -1e4, 1e4, 4)
        if ok:
            self.set_parameter(index, value)

    def set_parameter(self, index: int, value: float) -> None:
        flat = self.graph.flat.copy()
        flat[index] = value
        self.scene.previous = None
        self.session.set_parameters(flat)
        self._load_parameters(flat)
        self._note = f"{self.graph.describe_parameter(index)} set to {fmt(value)} by hand."
        self._show_step()
        self._fill_check()

    # -- the gradient check -----------------------------------------------------------------
    def _fill_check(self) -> None:
        g = self.graph
        if g is None:
            return
        n_forward = len(g.forward_order)
        known = set(g.backward_order[:max(self.done - n_forward, 0)])
        if self.fd is None and known:  # finite differences cost 2P evaluations of J: only once they are shown
            self.fd, self.rel = g.gradient_check()
        self.check.setRowCount(len(g.parameters))
        mono = QFont("DejaVu Sans Mono")
        worst = 0.0
        for row, p in enumerate(g.parameters):
            revealed = p.node in known
            cells = [g.describe_parameter(p.index), fmt(g.flat[p.index]),
                     fmt(g.param_grads[p.index], 4) if revealed else "…",
                     fmt(self.fd[p.index], 4) if revealed else "…",
                     f"{self.rel[p.index]:.1e}" if revealed else "…"]
            for col, text in enumerate(cells):
                item = self.check.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.check.setItem(row, col, item)
                item.setText(text)
                if col:
                    item.setFont(mono)
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            rel_item = self.check.item(row, 4)
            if revealed:
                worst = max(worst, self.rel[p.index])
                good = self.rel[p.index] < 1e-4
                rel_item.setBackground(QColor(210, 240, 215) if good else QColor(250, 215, 200))
            else:
                rel_item.setBackground(QColor("white"))
            self.check.item(row, 2).setForeground(GRAD_COLOR)
        shown = sum(p.node in known for p in g.parameters)
        if shown:
            caption = (f"{shown} of {len(g.parameters)} gradients checked; largest relative error {worst:.1e}"
                       + (" — backprop agrees with finite differences." if worst < 1e-4 else
                          " — a kink (ReLU at 0) or a step threshold lies within ε of this point."))
        else:
            caption = "The backprop column fills in as the backward pass reaches each weight."
        if g.activation == "step" and g.n_hidden_layers:
            caption += " Step units: ∂h/∂z = 0, so no gradient reaches the weights below them."
        self.check_caption.setText(caption)

    @Slot(int, int)
    def _on_check_double_clicked(self, row: int, column: int) -> None:
        if self.graph is not None and column in (0, 1):
            self.edit_parameter(self.graph.parameters[row].index)

    # -- keeping up with the session --------------------------------------------------------
    def _on_shown_changed(self, was: bool) -> None:
        """Pick, mark the point and follow the session only while on screen."""
        now = self.shown
        self._sync_picking()
        if now and not was:
            self.picker.mark(self.index)
            if self.index is not None:  # training may have moved the weights meanwhile
                self.rebuild()
        elif not now:
            self.picker.mark(None)
            self.play_button.setChecked(False)

    def _sync_picking(self) -> None:
        self.picker.active = self.pick_button.isChecked() and self.shown

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_shown_changed(False)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._on_shown_changed(True)

    @Slot(object)
    def _on_session_snapshot_changed(self, snap) -> None:
        if self.shown:
            self._sync_buttons()  # the learning rate η may have changed (typed, or by the schedule)
        if self.index is None or not self.shown or not self.session.up_to_date:
            return  # (a snapshot older than our last command would undo an update on screen)
        g = self.graph
        if (g is not None and snap.layer_sizes == g.layer_sizes and np.array_equal(snap.parameters, g.flat)
                and self.session.settings.l2 == g.l2):
            return
        if not self.refresh_timer.isActive():
            self.refresh_timer.start()

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        started = time.perf_counter()
        self.rebuild()
        # while training moves the weights, redraw at most about a quarter of the GUI's time
        self.refresh_timer.setInterval(max(REFRESH_INTERVAL_MS, int(3000 * (time.perf_counter() - started))))

    @Slot()
    def _on_session_points_changed(self) -> None:
        if self.index is None:
            return
        coords = self.picker.coordinates()
        same = np.flatnonzero(np.all(coords == self._picked_xy, axis=1)) if len(coords) else []
        if len(same):
            self.index = int(same[0])
            self.picker.mark(self.index)
            self.rebuild()
        else:
            self.index = None
            self.graph = None
            self.picker.mark(None)
            self.point_label.setText("Click a training point in the data plot")
            self._show_message("The inspected point was removed: click another one.")
            self._sync_buttons()

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.index, self.graph = None, None
        self.picker.mark(None)
        self.point_label.setText("Click a training point in the data plot")
        self._show_message("Click a training point in the data plot to see its computation graph.")
        self._sync_buttons()

    def _on_scene_node_clicked(self, key: str) -> None:
        self.scene.select(None if self.scene.selected == key else key)
        g = self.graph
        if g is not None and self.scene.selected:
            lines = [g.forward_text(key)]
            step = self.done - len(g.forward_order)
            if key in g.backward_order[:max(step, 0)]:
                lines.append(g.backward_text(key))
            self.detail.setText("\n".join(lines))

    def _sync_buttons(self) -> None:
        has = self.graph is not None
        at_end = has and self.done >= self.total_steps
        for button in (self.restart_button, self.forward_button, self.backward_button, self.play_button):
            button.setEnabled(has)
        self.next_button.setEnabled(has and not at_end)
        self.apply_button.setEnabled(at_end)
        self.save_button.setEnabled(has)
        self.apply_button.setText(f"Apply update (η = {fmt(self.learning_rate)})")
        self.apply_button.setToolTip("Finish the backward pass first, then: w ← w − η ∂J/∂w for this point"
                                     if not at_end else "w ← w − η ∂J/∂w for this point alone")

    # -- export -----------------------------------------------------------------------------
    def save_image(self, path: str) -> bool:
        """Save the graph (at twice its scene size) as a PNG."""
        if self.graph is None:
            return False
        return self.scene.render_image(2.0).save(path)

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the computation graph", "backprop.png", "PNG image (*.png)")
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            self.session.message.emit(f"saved {path}" if self.save_image(path) else f"could not write {path}")
