"""The live network diagram: columns of units with their pictures, links you can touch, +/− for units and layers.

Columns: every input feature φⱼ(x) of the mode (those fed to the first layer linked, the others pale; a click
toggles one: diagram_features.py), each hidden layer, the outputs. Each tile shows what its unit computes, from
the newest snapshot's network (diagram_pictures.py); links are blue for w > 0 and orange for w < 0, thicker for
larger |w|; the bar under a tile is its bias. Text, lines and tiles follow the window's look (presentation mode).

Mouse: hover a unit to highlight it (``unit_hovered(column, unit)``; (−1, −1) when the mouse leaves it)
or a link for its weight and ∂J/∂w over the training points. Click a link, or a tile for its bias, to
type a value; drag a link up or down to change its weight while the fit follows. Every edit goes to the
worker through ``Session.set_parameters``, as the inspector's edits do, so training continues from it. What each
unit, link and parameter is called (the tooltips, the editor's title) is diagram_names.py's.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..palette import NEGATIVE_RGB, POSITIVE_RGB
from ..worker.snapshot import feature_map
from . import diagram_architecture as arch
from .diagram_canvas import LINK_EDGES, MAX_DRAWN_LINKS, DiagramCanvas, Hit
from .diagram_features import InputColumn
from .diagram_gradient import gradients
from .diagram_names import DiagramNames, fmt
from .diagram_pictures import curves, maps
from .diagram_value_editor import ValueEditor
from .docked import ShownInDock
from .plot_style import Look, white_background
from .session import MAX_HIDDEN_LAYERS

DRAG_PER_PIXEL = 0.01      # weight change per pixel of vertical drag: 100 px up adds 1
DRAG_THRESHOLD = 3         # px a press must move to become a drag (less is a click)
BUSY_SHARE = 0.3           # the most of the window's time the diagram's frames may take
SEND_INTERVAL_MS = 40      # while dragging, the worker gets the newest weights at most this often
MIN_CANVAS_HEIGHT = 200    # px: two rows of readable tiles and their column headers
TITLE_FONT, LEGEND_FONT = "grid_title", "note"  # the look's font tokens for the header (ui/plot_style.py)
_HEX = "#{:02x}{:02x}{:02x}"  # the links' colours: the diverging scale's ends, as every signed value in the app
LEGEND = (f"<span style='color:{_HEX.format(*POSITIVE_RGB)}'>━━ w &gt; 0</span> &nbsp; "
          f"<span style='color:{_HEX.format(*NEGATIVE_RGB)}'>━━ w &lt; 0</span>"
          " &nbsp; thicker = larger |w| &nbsp;·&nbsp; bar under a unit: its bias (right +, left −)")


class NetworkDiagram(ShownInDock, QWidget):
    unit_hovered = Signal(int, int)  # (column in layer_sizes: 0 inputs … L+1 outputs, unit); (−1, −1): none

    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(parent)
        self.session = session
        self.look = look or Look()  # the window's style tokens: presentation mode enlarges the whole diagram
        white_background(self)
        self.last_update_seconds = 0.0   # how long the last frame took (measured, shown in no UI)
        self._key = None                 # (layer_sizes, activation, features, d) the canvas was built for
        self._inputs: InputColumn | None = None  # the input column: every feature, those fed linked
        self.names: DiagramNames | None = None   # its units' and parameters' names, for the diagram built
        self._drawn_serial = -1
        self._hover: Hit | None = None
        self._press: tuple[QPointF, Hit, float] | None = None  # where a link press began, and its weight then
        self._dragging = False
        self._override: tuple[int, float] | None = None      # (parameter index, value) set here, not yet shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_canvas(), 1)

        self.editor = ValueEditor(self.canvas.viewport())
        self.editor.value_entered.connect(self.set_parameter)
        self.editor.refused.connect(session.message)
        self.canvas.viewport().installEventFilter(self)

        self._drawn_at = 0.0             # perf_counter() of the last frame
        self._network = None             # the network drawn, rebuilt with the canvas
        self._draw_timer = QTimer(self, singleShot=True, interval=0)  # one frame for any burst of snapshots
        self._draw_timer.timeout.connect(self._on_draw_timer_timeout)
        self._send_timer = QTimer(self, singleShot=True, interval=SEND_INTERVAL_MS)
        self._send_timer.timeout.connect(self._on_send_timer_timeout)
        self.remove_layer_button.clicked.connect(self._on_remove_layer_clicked)
        self.add_layer_button.clicked.connect(self._on_add_layer_clicked)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.points_changed.connect(self._on_session_points_changed)
        self.look.changed.connect(self._on_look_changed)
        self._style_header()

    def _build_header(self) -> QHBoxLayout:
        """The row above the canvas: the title, − layer and + layer, and the legend of links and bias bars."""
        self.title = title = QLabel("Network")
        self.legend = legend = QLabel(LEGEND)
        legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # clip, never widen the window
        edges = ", ".join(f"{e:g}" for e in LINK_EDGES)
        legend.setToolTip(f"A link's width steps up as |w| passes {edges}; a bias bar is half a tile long at |b| ≥ 2")
        self.remove_layer_button = QToolButton(text="− layer", toolTip="Remove the last hidden layer")
        self.add_layer_button = QToolButton(text="+ layer", toolTip="Add a hidden layer after the last one")
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(title)
        header.addWidget(self.remove_layer_button)
        header.addWidget(self.add_layer_button)
        header.addWidget(legend, 1)
        return header

    def _build_canvas(self) -> QScrollArea:
        """The canvas of columns and links, in a scroll area that scrolls it vertically in a short dock."""
        self.canvas = DiagramCanvas(look=self.look)
        # in a dock shorter than this the tiles overlapped and the bottom row was cut: the canvas scrolls instead
        self.canvas.setMinimumHeight(MIN_CANVAS_HEIGHT)
        self.canvas_scroll = QScrollArea()
        self.canvas_scroll.setWidgetResizable(True)
        self.canvas_scroll.setFrameShape(QScrollArea.NoFrame)
        self.canvas_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the canvas fits the width
        self.canvas_scroll.setWidget(self.canvas)
        return self.canvas_scroll

    def _style_header(self) -> None:
        look = self.look
        self.title.setStyleSheet(f"{look.css(TITLE_FONT)} font-weight: bold; color: #1a2a44;")
        self.legend.setStyleSheet(f"{look.css(LEGEND_FONT)} color: #333;")
        for button in (self.remove_layer_button, self.add_layer_button):
            button.setStyleSheet(look.css(LEGEND_FONT))

    @Slot()
    def _on_look_changed(self) -> None:
        """Presentation mode entered or left: the same diagram built again at the look's new scale."""
        self._style_header()
        self._key = None  # the next frame builds the canvas anew (fonts, pens, buttons, tile sizes)
        self._draw_timer.start()

    def sizeHint(self) -> QSize:
        return QSize(900, 210)  # a dock's first height: the plots above keep most of a 720-px screen

    @property
    def drawn_serial(self) -> int:
        """The serial of the snapshot drawn last (−1: none yet)."""
        return self._drawn_serial

    # -- parameters ----------------------------------------------------------------------------
    def parameters(self) -> np.ndarray | None:
        """The (P,) parameters drawn now: the newest snapshot's, with a weight being edited here on top
        (None while there is no snapshot of the network the canvas shows, e.g. just after a rebuild)."""
        snap = self.session.snapshot
        if snap is None or self._key is None or tuple(snap.layer_sizes) != self._key[0]:
            return None
        flat = snap.parameters.copy()
        if self._override is not None:
            flat[self._override[0]] = self._override[1]
        return flat

    def parameter_index(self, hit: Hit) -> int | None:
        """The flat index of a link's weight or a unit's bias (None for an input unit)."""
        return self.names.index(hit)

    def set_parameter(self, index: int, value: float) -> None:
        """Set one weight or bias exactly; the worker continues from it."""
        flat = self.parameters()
        if flat is None:
            return
        flat[index] = value
        self._override = (index, float(value))
        self.session.set_parameters(flat)
        self.redraw()

    def _name(self, column: int, unit: int) -> str:
        return self.names.unit(column, unit)

    # -- drawing -------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the newest snapshot now (with any weight being edited)."""
        snap = self.session.snapshot
        if snap is None or not self.shown:
            return
        start = time.perf_counter()
        key = (tuple(snap.layer_sizes), snap.activation, snap.features, snap.n_inputs)
        if key != self._key:
            self._build(key)
        if self._override is not None and not self._dragging and self.session.up_to_date:
            self._override = None  # the worker has the edit: its snapshots show it from now on
        network = self._network
        network.parameters[...] = self.parameters()
        (x0, x1), (y0, y1) = self.session.bounds
        phi = feature_map(snap.features)  # the pictures are of x; the network reads φ(x)
        if snap.n_inputs == 1:
            pictures = curves(network, (x0, x1), (y0, y1), features=phi)
        else:
            pictures = maps(network, (x0, x1, y0, y1), self.canvas.columns[0].tile, features=phi)
        self.canvas.draw(network.parameters, self._inputs.pictures(pictures, (x0, x1, y0, y1)))
        self._drawn_serial = snap.serial
        self._drawn_at = time.perf_counter()
        self.last_update_seconds = self._drawn_at - start

    def _build(self, key) -> None:
        sizes, _, features, n_inputs = key
        self._inputs = inputs = InputColumn.of(features, n_inputs)
        self.names = DiagramNames(sizes, n_inputs == 1, inputs)
        last = len(sizes) - 1
        titles = ([("φ(x)" if features else "input", "φ(x)" if features else "in")]
                  + [(f"layer {c}: {sizes[c]}", f"{sizes[c]}") for c in range(1, last)] + [("output", "out")])
        self.canvas.build(sizes, n_inputs == 1, titles, len(inputs.candidates.keys), inputs.slots,
                          inputs.short_names)
        self._network = self.session.network_from_snapshot()  # reused: each frame writes its parameters
        self._key = key
        self._hover, self._press, self._dragging, self._override = None, None, False, None
        self.editor.close_editor()
        dense = any(a * b > MAX_DRAWN_LINKS for a, b in zip(sizes[:-1], sizes[1:]))
        self.legend.setText(LEGEND + (f" &nbsp;·&nbsp; a dense layer: its {MAX_DRAWN_LINKS} strongest links"
                                      if dense else ""))
        self.canvas.arrange()
        self._draw_points()
        self.remove_layer_button.setEnabled(last > 1)
        self.add_layer_button.setEnabled(last - 1 < MAX_HIDDEN_LAYERS)

    def _draw_points(self) -> None:
        pts = self.session.points
        if self._key is None or pts.X.shape[1] != 1 or not self.canvas.one_d:
            return
        (x0, x1), (y0, y1) = self.session.bounds
        self.canvas.set_points(pts.X[:, 0], pts.y[:, 0], (x0, x1), (y0, y1))

    def _on_shown_changed(self, was: bool) -> None:
        if self.shown and not was:
            self.redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._key is not None:
            self.canvas.arrange()
            self._draw_points()
            self.canvas.set_hover(self._hover)
            self._draw_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_timer.start()

    @Slot(object)
    def _on_session_snapshot_changed(self, snap) -> None:
        if snap.serial == self._drawn_serial or self._draw_timer.isActive():
            return
        # A big network's frame costs tens of ms: draw it at most every BUSY_SHARE⁻¹ × its cost, so the
        # diagram never takes more than that share of the window's time (small networks: every snapshot).
        cost = self.last_update_seconds + self.canvas.last_paint_seconds
        wait = cost / BUSY_SHARE - (time.perf_counter() - self._drawn_at)
        self._draw_timer.start(max(0, min(round(1e3 * wait), 500)))

    @Slot()
    def _on_draw_timer_timeout(self) -> None:
        self.redraw()

    @Slot()
    def _on_session_points_changed(self) -> None:
        self._draw_points()

    # -- the mouse -----------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.MouseMove:
            self._on_mouse_moved(event.position(), event.globalPosition().toPoint())
        elif kind == QEvent.MouseButtonPress and event.button() == Qt.LeftButton:
            self._on_mouse_pressed(event.position())
            return True
        elif kind == QEvent.MouseButtonRelease and event.button() == Qt.LeftButton:
            self._on_mouse_released(event.position())
            return True
        elif kind == QEvent.Leave and not self._dragging:
            self._set_hover(None)
        elif kind == QEvent.ToolTip:
            # Qt's own answer (QGraphicsScene::helpEvent: no item has a tooltip) hides the text shown on the move,
            # so on a real X server, where this event follows a pause of the mouse, no tooltip was ever seen
            hit = self.canvas.hit(self._scene_point(event.position() if hasattr(event, "position") else event.pos()))
            text = self.describe(hit) if hit is not None else ""
            QToolTip.showText(event.globalPos(), text, self.canvas) if text else QToolTip.hideText()
            return True
        return False

    def _scene_point(self, pos) -> QPointF:
        return self.canvas.mapToScene(QPoint(round(pos.x()), round(pos.y())))

    def _on_mouse_moved(self, pos, global_pos) -> None:
        if self._press is not None:
            start, hit, weight = self._press
            dy = pos.y() - start.y()
            if not self._dragging and abs(dy) < DRAG_THRESHOLD:
                return
            self._dragging = True
            index = self.parameter_index(hit)
            self._override = (index, weight - dy * DRAG_PER_PIXEL)
            if not self._send_timer.isActive():
                self._send_timer.start()
            self.redraw()
            QToolTip.showText(global_pos, f"w = {fmt(self._override[1])}", self.canvas)
            return
        hit = self.canvas.hit(self._scene_point(pos))
        if hit != self._hover:
            self._set_hover(hit)
            text = self.describe(hit) if hit is not None else ""
            QToolTip.showText(global_pos, text, self.canvas) if text else QToolTip.hideText()

    def _set_hover(self, hit: Hit | None) -> None:
        was_unit = self._hover is not None and self._hover.kind == "unit"
        self._hover = hit
        self.canvas.set_hover(hit)
        self.canvas.setCursor(Qt.SizeVerCursor if hit is not None and hit.kind == "link"
                              else Qt.PointingHandCursor if hit is not None else Qt.ArrowCursor)
        if hit is not None and hit.kind == "unit":
            self.unit_hovered.emit(hit.a, hit.b)
        elif was_unit:
            self.unit_hovered.emit(-1, -1)

    def _on_mouse_pressed(self, pos) -> None:
        self.editor.close_editor()
        hit = self.canvas.hit(self._scene_point(pos))
        flat = self.parameters()
        if hit is None or flat is None:
            return
        if hit.kind == "button":
            self._change_units(hit.a - 1, hit.b)
        elif hit.kind == "link":
            self._press = (QPointF(pos), hit, float(flat[self.parameter_index(hit)]))
        elif hit.kind == "unit" and hit.a > 0:
            self.open_editor(self.parameter_index(hit), pos)
        elif hit.kind == "unit":
            self.toggle_feature(hit.b)

    def _on_mouse_released(self, pos) -> None:
        if self._press is None:
            return
        _, hit, _ = self._press
        self._press = None
        if self._dragging:
            self._dragging = False
            self._send_timer.stop()
            self._on_send_timer_timeout()  # the final value, at once
        else:
            self.open_editor(self.parameter_index(hit), pos)

    @Slot()
    def _on_send_timer_timeout(self) -> None:
        if self._override is not None:
            flat = self.parameters()
            if flat is not None:
                self.session.set_parameters(flat)

    def describe(self, hit: Hit) -> str:
        """The tooltip for what is under the mouse."""
        flat = self.parameters()
        if flat is None:
            return ""
        return self.names.describe(hit, flat, self.weight_gradient(hit) if hit.kind == "link" else None)

    def weight_gradient(self, hit: Hit) -> float | None:
        """∂J/∂w of a link over the full batch of training points (held-out points excluded)."""
        flat = self.parameters()
        grads = None if flat is None else gradients(self.session, flat)
        return None if grads is None else float(grads.weights[hit.a][hit.b, hit.c])

    # -- typing a value ------------------------------------------------------------------------
    def open_editor(self, index: int, pos) -> None:
        """Type a value for parameter ``index`` in a field beside ``pos`` (the canvas's coordinates)."""
        flat = self.parameters()
        if flat is not None:
            self.editor.open_at(index, float(flat[index]), QPoint(round(pos.x()), round(pos.y())),
                                self.names.parameter(index))

    # -- units, layers and input features --------------------------------------------------------
    def toggle_feature(self, tile: int) -> None:
        """Feed the input tile's feature to the first layer, or stop feeding it (one always stays on)."""
        keys = self._inputs.toggled(tile)
        if keys is None:
            self.session.message.emit("at least one input feature stays on: the first layer needs an input")
            return
        self._override = None
        self.session.set_features(keys)

    def _change_units(self, layer: int, sign: int) -> None:
        self._override = None
        arch.change_units(self.session, layer, sign)

    @Slot()
    def _on_add_layer_clicked(self) -> None:
        self._override = None
        arch.add_hidden_layer(self.session)

    @Slot()
    def _on_remove_layer_clicked(self) -> None:
        self._override = None
        arch.remove_hidden_layer(self.session)
