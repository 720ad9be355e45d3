"""The hidden-space plot: the input plane's straight grid lines and the points, seen through one layer.

Two units of the chosen layer are the axes. The grid comes out bent the way the layer bends
space, the points keep their class colours (a handful also carry their input coordinates), and
the output's decision line is drawn where it is a line (the last hidden layer's own space),
otherwise the input boundary's image as dots. The note under the plot says which.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..data.points import MAX_CLASSES
from ..engine.hidden_space import boundary_points, decision_line, grid_lines, layer_outputs, map_lines, nice_extent
from ..notation import fmt
from ..palette import CLASS_COLORS
from .network_notation import NetworkNotation
from .plot_style import LABEL_STYLE, style_axes

N_LINES, SAMPLES = 11, 64
MAX_POINT_LABELS = 8         # up to this many points get their input coordinates written next to them
_VERTICAL, _HORIZONTAL = (70, 110, 175), (190, 125, 70)   # grid lines x₁ = const, x₂ = const


MIN_PLOT_SIZE = 200  # px, both ways
NOTE_LINES = 5       # the note under the plot wraps to at most this many lines in a ~500 px wide dock


class BentGridPlot(QWidget):
    """The plot and its note. After ``draw``: ``coordinates`` (n, 2) of the points on the axes, ``mapped_lines``,
    and ``line`` (the decision line in these axes, or None) with ``line_reason``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.coordinates = np.zeros((0, 2))
        self.mapped_lines: list[np.ndarray] = []
        self.line = None
        self.line_reason = ""
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        # below this the locked aspect stretches the x range to hundreds of units and the points merge: the
        # dock's scroll area scrolls instead of squashing the plot
        self.plot.setMinimumSize(MIN_PLOT_SIZE, MIN_PLOT_SIZE)
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
        self.point_labels = [self._point_label() for _ in range(MAX_POINT_LABELS)]
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-size: 11pt; color: #333; padding: 2px 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        # a wrapped label's minimum height does not reach the scroll area (it depends on the width): reserve the
        # note's lines by hand, or the note is drawn over the plot's x axis when the dock is short
        note_lines = NOTE_LINES * self.note.fontMetrics().lineSpacing() + 8
        self.setMinimumHeight(MIN_PLOT_SIZE + note_lines)

    def _point_label(self) -> pg.TextItem:
        """A label for one point: which inputs landed where, '(0, 1)'."""
        label = pg.TextItem(color=(30, 30, 30), anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 200))
        label.setFont(QFont(label.textItem.font().family(), 12))
        label.setZValue(20)
        label.setVisible(False)
        self.plot.addItem(label)
        return label

    def draw(self, network, pts, layer: int, units: tuple[int, int], names: NetworkNotation) -> None:
        """The points ``pts`` and the grid through ``layer`` (0: the input plane) on the axes ``units``."""
        single = network.layer_sizes[layer] == 1
        axes = (units[0], units[0]) if single else units
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
        axis_names = [names.unit(layer, i) for i in axes]
        self.plot.setLabel("bottom", axis_names[0], **LABEL_STYLE)
        self.plot.setLabel("left", "(one unit: all on 0)" if single else axis_names[1], **LABEL_STYLE)
        box = self._box(coords, single)
        self._draw_boundary(network, extent, layer, axes, single, box)
        self.plot.setRange(xRange=box[:2], yRange=box[2:], padding=0)
        plane = "input plane" if names.input == "x" else "feature plane φ"  # with features: φ(x) is the input
        layer_name = f"the {plane}" if layer == 0 else f"hidden layer {layer}"
        self.note.setText(f"Grid: lines of the {plane} (blue: {names.unit(0, 0)} fixed, brown: {names.unit(0, 1)} "
                          f"fixed) seen in {layer_name}. "
                          f"{'Dashed' if self.line is not None else 'Dots'}: {self.line_reason}.")

    def _box(self, coords, single: bool) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) around the mapped grid and the points, padded."""
        everything = np.concatenate([*self.mapped_lines, coords]) if len(coords) else np.concatenate(self.mapped_lines)
        lo, hi = everything.min(axis=0), everything.max(axis=0)
        if single:
            lo[1], hi[1] = -0.5, 0.5
        pad = np.maximum((hi - lo) * 0.08, 0.05)
        return (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])

    def _draw_boundary(self, network, extent, layer: int, axes, single: bool, box) -> None:
        """The decision line where it is straight in these axes, else the input boundary's image as dots."""
        self.line, self.line_reason = decision_line(network, layer, axes)
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
            if single and len(found):
                found = np.column_stack([found[:, 0], np.zeros(len(found))])
            if len(found):
                self.boundary.setData(found[:, 0], found[:, 1])

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
