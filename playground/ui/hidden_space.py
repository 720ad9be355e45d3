"""The hidden-space view: the points and a grid over the input plane, seen through one hidden layer.

Left, the bent-grid plot (``BentGridPlot``) with the choice of layer and of the two units on its
axes; right, two tabs: the lecture's table, live (``LectureTable``), and the weights and
thresholds, editable by double-click (``WeightsEditor``). The view is recomputed in this process
from the newest snapshot (a few forward passes of a small net), at most every ``REFRESH_MS``
(longer for big networks), and only while it is on screen.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..data.points import PointSet
from ..data.scene import mode_of
from ..worker.snapshot import feature_map
from .bent_grid_plot import BentGridPlot
from .docked import ShownInDock
from .lecture_table import LectureTable
from .network_notation import NetworkNotation
from .weights_editor import WeightsEditor

REFRESH_MS = 80


class HiddenSpaceView(ShownInDock, QWidget):
    updated = Signal()           # the plot and tables show the newest network

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.network = None
        self.layer, self.units = 1, (0, 1)
        self.features: tuple[str, ...] = ()  # φ's display names when the network reads features: a φ space
        self._space: BentGridPlot | None = None  # built when first needed: see ``space``
        self.lecture_table = LectureTable()
        self.table = self.lecture_table.table
        self.weights = WeightsEditor()
        self.weights.edited.connect(self._on_weights_edited)
        self.weights.rejected.connect(self._on_weights_rejected)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.lecture_table, "Table")
        self.tabs.addTab(self.weights, "Weights")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.plot_page = QWidget()
        self._page = page = QVBoxLayout(self.plot_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addLayout(self._build_choices())
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.plot_page)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([600, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.space_note = QLabel()  # which space the view works in, when it is not the input plane
        self.space_note.setWordWrap(True)
        self.space_note.setVisible(False)
        layout.addWidget(self.space_note)
        layout.addWidget(split)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        session.snapshot_changed.connect(self._on_session_changed)
        session.points_changed.connect(self._on_session_changed)
        session.model_changed.connect(self._on_session_model_changed)

    def _build_choices(self) -> QHBoxLayout:
        """The row above the plot: layer, the two units on the axes, Save image."""
        self.layer_box = QComboBox()
        self.layer_box.setToolTip("The layer whose units are the axes (the input plane itself for comparison)")
        self.u_box, self.v_box = QComboBox(), QComboBox()
        self.u_box.setToolTip("Unit on the horizontal axis")
        self.v_box.setToolTip("Unit on the vertical axis")
        self.layer_box.currentIndexChanged.connect(self._on_layer_changed)
        self.u_box.currentIndexChanged.connect(self._on_units_changed)
        self.v_box.currentIndexChanged.connect(self._on_units_changed)
        self.save_button = QPushButton("Save image…")
        self.save_button.setToolTip("Save this view (plot and table) as a PNG image")
        self.save_button.clicked.connect(self._on_save_clicked)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer"))
        row.addWidget(self.layer_box, 1)
        row.addWidget(QLabel("axes"))
        row.addWidget(self.u_box)
        row.addWidget(self.v_box)
        row.addWidget(self.save_button)
        return row

    @property
    def space(self) -> BentGridPlot:
        """The bent-grid plot under the row of choices, built the first time the view is shown or asked for: most
        windows never open this view, and building the plot was a fifth of a window's start."""
        return self._space if self._space is not None else self._build_space()

    def _build_space(self) -> BentGridPlot:
        if self._space is None:
            self._space = BentGridPlot()
            self._page.addWidget(self._space, 1)
            self._space.show()  # now, so the view's minimum size (which places its dock) counts it
        return self._space

    @property
    def classification(self) -> bool:
        return mode_of(self.session.mode).classification

    # -- choices ----------------------------------------------------------------------------
    def _fill_layer_box(self, sizes) -> None:
        n_hidden = len(sizes) - 2
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItem("feature plane (φ₁, φ₂)" if self.features else "input plane (x₁, x₂)", 0)
        for j in range(1, n_hidden + 1):
            self.layer_box.addItem(f"hidden layer {j} ({sizes[j]} unit{'s' if sizes[j] > 1 else ''})", j)
        self.layer = n_hidden
        self.layer_box.setCurrentIndex(self.layer_box.findData(self.layer))
        self.layer_box.blockSignals(False)
        self._fill_unit_boxes(sizes)

    def _fill_unit_boxes(self, sizes) -> None:
        width = sizes[self.layer]
        names = NetworkNotation(sizes, self.classification, bool(self.features))
        for box, default in ((self.u_box, 0), (self.v_box, min(1, width - 1))):
            box.blockSignals(True)
            box.clear()
            for i in range(width):
                box.addItem(names.unit(self.layer, i), i)
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
        self._build_space()  # before its dock is placed by the view's size
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
        snap = self.session.snapshot
        features = feature_map(snap.features)
        names_now = () if features is None else features.names
        if self.network is None or self.network.layer_sizes != network.layer_sizes or names_now != self.features:
            self.features = names_now
            self._fill_layer_box(network.layer_sizes)
        self.network = network
        pts = self.session.points
        if features is not None:  # the network's own inputs: every number below is about φ(x), not x
            pts = PointSet(snap.network_inputs(pts.X), pts.y)
        self._say_which_space(network)
        two_d = self.classification and network.layer_sizes[0] == 2
        self.plot_page.setVisible(two_d)
        if two_d:
            names = NetworkNotation(network.layer_sizes, self.classification, features is not None)
            self.space.draw(network, pts, self.layer, self.units, names)
        if self.tabs.currentIndex() == 0:  # only the table on show: the other fills when its tab is chosen
            self.lecture_table.fill(network, pts, self.classification, self.features)
        else:
            self.weights.fill(network, self.classification)
        self.updated.emit()

    def _say_which_space(self, network) -> None:
        """With features, the view works in φ space: say so, and why there may be no plot."""
        if not self.classification and mode_of(self.session.mode).inputs == 2:  # 2-D regression: no plot, say why
            self.space_note.setText("2-D regression: the bent-plane plot is for classification (it draws the "
                                    "decision line); the table shows every point's inputs, hidden units and output.")
            self.space_note.setVisible(True)
            return
        if not self.features:
            self.space_note.setVisible(False)
            return
        phi = ", ".join(self.features)
        text = (f"Features on: the network's inputs are φ(x) = ({phi}), so this view works in feature space "
                f"(points at φ(x)).")
        if self.classification and network.layer_sizes[0] != 2:
            text += f" The plot needs a plane: choose exactly two features (now {network.layer_sizes[0]})."
        self.space_note.setText(text)
        self.space_note.setVisible(True)

    # -- edits ------------------------------------------------------------------------------
    @Slot(int, float, str)
    def _on_weights_edited(self, flat_index: int, value: float, what: str) -> None:
        """Parameter ``flat_index`` set by hand: to the worker, and kept here until its snapshot arrives."""
        if self.network is None:
            return
        network = self.network.copy()
        network.parameters[flat_index] = value
        self.session.set_parameters(network.parameters)
        self.network = network
        self.session.message.emit(what)

    @Slot(str)
    def _on_weights_rejected(self, message: str) -> None:
        self.session.message.emit(message)
        self.refresh()

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
