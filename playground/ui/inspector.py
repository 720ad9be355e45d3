"""The backprop inspector: the computation graph of one training point, stepped node by node.

Pick a point by clicking it in the data plot (while "Pick a point" is on, a click there picks
instead of drawing). "Next" fills in one node: first every node's value in topological order
(the forward pass), then ∂J/∂node in reverse topological order (the backward pass), where a
node with several children shows the sum of their shares; each edge then shows ∂J/∂w. "Apply
update" takes one plain gradient step w ← w − η ∂J/∂w on that point with the session's current
learning rate and sends the new weights to the worker, so the fit moves. The table on the right
checks every backprop gradient against a central finite difference. Double-click a weight (or
a z box, for its bias) to set it by hand. Names follow the lecture (``NetworkNotation``).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..data.scene import mode_of
from ..engine import Network
from ..engine.graph import ComputationGraph
from ..notation import fmt
from ..worker.snapshot import feature_map
from .docked import ShownInDock
from .gradient_check import GradientCheckPanel
from .graph_stepper import GraphStepper
from .graph_text import GraphText
from .graph_view import GraphScene, GraphView, too_large_to_draw
from .inspector_updates import InspectorUpdates
from .point_picker import PointPicker

REFRESH_INTERVAL_MS = 120    # rebuild the graph at most this often while training changes the weights
# What to do next, by the state of "Pick a point": a click picks only while it is on (else it adds a point).
PICK_PROMPT = {True: "Click a training point in the data plot",
               False: "Press Pick a point, then click a training point in the data plot"}
PICK_HINT_END = " to see its computation graph."
PICK_BUTTON_TEXT = {True: "Picking… click a point", False: "Pick a point"}
# checked: a strong amber (the colour of the ring that marks the picked point), so "on" cannot be missed
# (bold in both states: a font set only for :checked is not in the size hint, so the text would be cut off)
PICK_BUTTON_STYLE = ("QToolButton { padding: 3px 8px; border: 1px solid #8c8c8c; border-radius: 4px;"
                     " font-weight: bold; }"
                     "QToolButton:checked { background: #ffb000; color: #1a1a1a; border: 2px solid #8a5a00; }")


class BackpropInspector(ShownInDock, InspectorUpdates, QWidget):
    point_picked = Signal(int)
    update_applied = Signal(object)   # the new flat parameters sent to the worker
    refused = Signal(str)

    def __init__(self, session, pick_plots=(), parent=None):
        super().__init__(parent)
        self.session = session
        self.graph: ComputationGraph | None = None
        self.text: GraphText | None = None     # the names and formulas of ``graph``
        self.index: int | None = None
        self.stepper = GraphStepper(self)
        self.stepper.moved.connect(self._on_stepper_moved)
        self._picked_xy = None
        self._note = ""
        self.picker = PointPicker(session, pick_plots, self)
        self.picker.picked.connect(self.pick)
        self.picker.missed.connect(session.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._build_toolbar())
        layout.addWidget(self._build_detail())
        layout.addWidget(self._build_split(), 1)
        self.stepper.playing_changed.connect(self._on_stepper_playing_changed)
        self.refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_INTERVAL_MS)
        self.refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.points_changed.connect(self._on_session_points_changed)
        session.model_changed.connect(self._on_session_model_changed)
        self._ask_for_point()
        self._sync_buttons()

    def _build_toolbar(self) -> QHBoxLayout:
        self.pick_button = QToolButton(text=PICK_BUTTON_TEXT[True], checkable=True, checked=True)
        self.pick_button.setObjectName("pick_button")
        self.pick_button.setStyleSheet(PICK_BUTTON_STYLE)
        self.pick_button.setToolTip("While on, a left click in the data plot picks the point to inspect "
                                    "(and adds no point); while off, a click adds a point as usual")
        self.pick_button.toggled.connect(self._on_pick_button_toggled)
        self.point_label = QLabel(PICK_PROMPT[True])
        self.restart_button = QPushButton("Start over", toolTip="Hide every value and start the forward pass again")
        self.next_button = QPushButton("Next ▶", toolTip="One node: its value (forward pass), then its ∂J/∂node "
                                                         "(backward pass)")
        self.play_button = QPushButton("▶ Play", checkable=True,
                                       toolTip="Step through forward and backward pass automatically")
        self.forward_button = QPushButton("All forward")
        self.backward_button = QPushButton("All backward")
        self.apply_button = QPushButton("Apply update")
        self.save_button = QPushButton("Save image…", toolTip="Save the graph as a PNG image (twice the screen "
                                                              "resolution)")
        self.check_button = QPushButton("Check table", checkable=True, checked=True,
                                        toolTip="Show or hide the gradient check (hide it to draw the graph larger)")
        self.restart_button.clicked.connect(lambda: self.stepper.go_to(0))
        self.next_button.clicked.connect(self.stepper.next_step)
        self.play_button.toggled.connect(self.stepper.play)
        self.forward_button.clicked.connect(lambda: self.graph and self.stepper.go_to(len(self.graph.forward_order)))
        self.backward_button.clicked.connect(lambda: self.stepper.go_to(self.stepper.total_steps))
        self.apply_button.clicked.connect(self.apply_update)
        self.save_button.clicked.connect(self._on_save_clicked)
        top = QHBoxLayout()
        top.addWidget(self.pick_button)
        top.addWidget(self.point_label, 1)
        for button in (self.restart_button, self.next_button, self.play_button, self.forward_button,
                       self.backward_button, self.apply_button, self.check_button, self.save_button):
            top.addWidget(button)
        return top

    def _build_detail(self) -> QLabel:
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.PlainText)
        self.detail.setStyleSheet("font-size: 15pt; padding: 4px 8px; background: #fbfbf6; color: #1a1a1a;")
        self.detail.setMinimumHeight(56)
        return self.detail

    def _build_split(self) -> QSplitter:
        """The graph (or a message in its place) on the left, the gradient check on the right."""
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
        self.check_panel = GradientCheckPanel()
        self.check_panel.parameter_double_clicked.connect(self.edit_parameter)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.check_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1100, 440])
        self.check_button.toggled.connect(self.check_panel.setVisible)
        self.check_button.toggled.connect(lambda _: QTimer.singleShot(0, self.view.fit))
        return self.splitter

    # -- the point --------------------------------------------------------------------------
    @Slot(int)
    def pick(self, index: int) -> None:
        """Inspect the session's point ``index``: a new graph, every value hidden again."""
        pts = self.session.points
        if not 0 <= index < len(pts):
            raise IndexError(f"no point {index}: the session has {len(pts)}")
        self.index = index
        self._picked_xy = self.picker.coordinates()[index].copy()
        self.stepper.play(False)
        self.stepper.set_graph(None, done=0)
        self._note = ""
        self.scene.previous = None
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
        target = f"class {int(y) + 1}" if mode_of(self.session.mode).classification else f"target y = {fmt(y[0])}"
        return f"Point {self.index + 1}: x = ({where}), {target}" + ("  (a held-out test point)" if test else "")

    # -- building ---------------------------------------------------------------------------
    def _why_not_drawn(self, network) -> str | None:
        """The message shown instead of the graph, or None when it can be drawn."""
        if network is None:
            return "Waiting for the network…"
        if self._point() is None:
            return self.pick_hint()
        reason = too_large_to_draw(network.layer_sizes)
        if reason:
            self.refused.emit(reason)
            return f"Not drawn: {reason}"
        if mode_of(self.session.mode).classification and int(self._point()[1]) >= network.layer_sizes[-1]:
            return "Waiting for the network to grow an output for the new class…"
        return None

    def rebuild(self) -> None:
        """Build the graph of the picked point from the newest network; keep how far the steps went."""
        network = self.session.network_from_snapshot()
        why_not = self._why_not_drawn(network)
        if why_not:
            self.graph = self.text = None
            self.stepper.set_graph(None)
            self._show_message(why_not)
            self._sync_buttons()
            return
        if self.graph is not None and not np.array_equal(network.parameters, self.graph.flat):
            self.scene.previous = None  # training (or an edit) moved the weights since the update
        self._set_graph(network)
        self.stack.setCurrentWidget(self.view)
        self.point_label.setText(self._describe_point())
        self._show_step()
        self._sync_buttons()

    def _set_graph(self, network: Network, done: int | None = None) -> None:
        """The picked point's graph under ``network``, drawn (refitted to the view when its structure changed);
        stepped as far as before, or to ``done``."""
        loss = mode_of(self.session.mode).loss
        x, y = self._point()
        snap = self.session.snapshot  # the network's own φ (the features it was trained on)
        phi = None if snap is None else feature_map(snap.features)
        settings = self.session.settings
        self.graph = ComputationGraph(network, x, y, loss, settings.l2, phi, settings.l1)
        self.text = GraphText(self.graph)
        self.stepper.set_graph(self.graph, done)
        if self.scene.set_graph(self.graph) or not self.view.zoomed:
            self.view.fit()

    def pick_hint(self) -> str:
        """What to do to inspect a point, true to the state of "Pick a point" (the status bar says it too)."""
        return PICK_PROMPT[self.pick_button.isChecked()] + PICK_HINT_END

    def _ask_for_point(self, lead_in: str = "") -> None:
        """No point is inspected: say how to pick one."""
        self.point_label.setText(PICK_PROMPT[self.pick_button.isChecked()])
        self._show_message(lead_in + self.pick_hint())

    @Slot(bool)
    def _on_pick_button_toggled(self, on: bool) -> None:
        self.pick_button.setText(PICK_BUTTON_TEXT[on])
        self._sync_picking()
        if self.index is None:  # the instructions shown follow the button
            self.point_label.setText(PICK_PROMPT[on])
            self.message.setText(self.message.text().replace(PICK_PROMPT[not on], PICK_PROMPT[on]))
        if self.shown:
            self.session.message.emit(("Picking: " if on else "Picking off: ") + self.pick_hint())

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.detail.setText("")
        self.check_panel.clear()

    # -- stepping ---------------------------------------------------------------------------
    @Slot()
    def _on_stepper_moved(self) -> None:
        self._note = ""
        self.scene.previous = None
        self._show_step()
        self._sync_buttons()

    @Slot(bool)
    def _on_stepper_playing_changed(self, on: bool) -> None:
        self.play_button.setChecked(on)
        self.play_button.setText("❚❚ Pause" if on else "▶ Play")

    def _show_step(self) -> None:
        """The graph, the detail line and the check table as they are after ``done`` steps."""
        g, text, done = self.graph, self.text, self.stepper.done
        step = self.stepper.current
        current = step[1] if step else None
        self.scene.show_state(done, current)
        self.check_panel.show_graph(g, text, done)
        n_forward = len(g.forward_order)
        if step is None:
            line = (f"Press Next: the forward pass computes each node's value in topological order "
                    f"({n_forward} nodes), then the backward pass gives ∂J/∂node in reverse order.")
            if text.names.model_formula():
                line = f"The network: {text.names.model_formula()}.  {line}"
        elif step[0] == "forward":
            line = f"Forward {done}/{n_forward}:  {text.forward_text(current)}"
        else:
            k = done - n_forward
            line = f"Backward {k}/{len(g.backward_order)}:  {text.backward_text(current)}"
            if k == len(g.backward_order):
                line += "   — backward pass done: every edge shows ∂J/∂w; Apply update takes the step."
        self.detail.setText(f"{self._note}\n{line}" if self._note else line)

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
            self.stepper.play(False)

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
                and (self.session.settings.l2, self.session.settings.l1) == (g.l2, g.l1)):
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
            self.index, self.graph, self.text = None, None, None
            self.picker.mark(None)
            self._ask_for_point("The inspected point was removed. ")
            self._sync_buttons()

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.index, self.graph, self.text = None, None, None
        self.picker.mark(None)
        self._ask_for_point()
        self._sync_buttons()

    def _on_scene_node_clicked(self, key: str) -> None:
        self.scene.select(None if self.scene.selected == key else key)
        g = self.graph
        if g is not None and self.scene.selected:
            lines = [self.text.forward_text(key)]
            if key in g.revealed(self.stepper.done)[1]:
                lines.append(self.text.backward_text(key))
            self.detail.setText("\n".join(lines))

    def _sync_buttons(self) -> None:
        has = self.graph is not None
        at_end = self.stepper.at_end
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
