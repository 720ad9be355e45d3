"""The side panel: data, network, training and schedule controls (ui/schedule_controls.py), all bound to the
Session."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..data import field_limits
from ..data.scene import (
    CLIP_NORM,
    LEARNING_RATE,
    MAX_CLASSES,
    MAX_HIDDEN_LAYERS,
    MAX_UNITS_PER_LAYER,
    MODES,
    MOMENTUM,
    mode_of,
)
from ..engine import ACTIVATIONS, OPTIMIZERS
from ..palette import CLASS_COLORS
from .choice_combo import choice_combo, select_quietly
from .feature_picker import FeaturePicker
from .fields import INVALID_STYLE, ComboBox, LogSlider, NumberField, TextField
from .narrow_panel import SCROLL_BAR, narrow_button, narrow_combo, wrapping_form
from .schedule_controls import ScheduleControls
from .value_picker import ValuePicker

DATASET_LABELS = {"x2": "x²", "sin": "sin(πx)", "abs": "|x|", "heaviside": "Heaviside step", "and": "AND gate",
                  "xnor": "XNOR", "xor": "XOR", "circles": "two circles", "spirals": "two spirals",
                  "blobs": "Gaussian blobs (3 classes)", "moons": "two moons", "plane": "plane",
                  "gaussian": "six Gaussian bumps"}
class ControlsPanel(QScrollArea):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._data_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self._training_group())
        self.schedule_box = ScheduleControls(self.session, self._field)
        self.schedule_box.refused.connect(self._on_session_settings_changed)
        layout.addWidget(self.schedule_box)
        layout.addStretch(1)
        self.setWidget(body)
        self.setMaximumWidth(self.sizeHint().width() + 40)
        session.model_changed.connect(self._on_session_model_changed)
        session.settings_changed.connect(self._on_session_settings_changed)
        session.points_changed.connect(self._on_session_points_changed)
        session.scene_replaced.connect(self._on_session_scene_replaced)
        self._on_session_model_changed()

    def sizeHint(self) -> QSize:  # every row on one line where there is room
        return QSize(self.widget().sizeHint().width() + SCROLL_BAR + 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # rows wrapped, fields under their labels (asked again as they change)
        return QSize(self.widget().minimumSizeHint().width() + SCROLL_BAR + 8, super().minimumSizeHint().height())

    def _field(self, *args, **kwargs) -> NumberField:
        field = NumberField(*args, **kwargs)
        field.refused.connect(self.session.message)
        return field

    def _limited(self, limit, value, **kwargs) -> NumberField:
        return self._field(limit.name, value, limit.minimum, limit.maximum, integer=limit.integer, **kwargs)

    # -- data -------------------------------------------------------------------------------
    def _data_group(self) -> QGroupBox:
        box = QGroupBox("Data")
        form = wrapping_form(box)
        self.mode = choice_combo({key: mode.label for key, mode in MODES.items()},
                           "1-D regression: fit y(x) with mean squared error.\n2-D classification: classify points "
                           "with softmax and cross-entropy.\n2-D regression: fit a surface y(x₁, x₂) with mean "
                           "squared error (TensorFlow Playground's regression).")
        self.mode.currentIndexChanged.connect(lambda _: self.session.set_mode(self.mode.currentData()))
        form.addRow("Mode", self.mode)

        self.class_buttons = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(3)
        for label in range(MAX_CLASSES):
            button = QPushButton(str(label + 1))
            button.setCheckable(True)
            button.setFixedWidth(30)  # six in a row fit a narrow panel
            r, g, b = CLASS_COLORS[label]
            button.setStyleSheet(f"QPushButton {{ background: rgb({r},{g},{b}); color: white; font-weight: bold;"
                                 f" border-radius: 4px; padding: 4px; border: 3px solid transparent; }}"
                                 f" QPushButton:checked {{ border: 3px solid black; }}")
            button.setToolTip(f"Draw points of class {label + 1} (key {label + 1})")
            self.class_buttons.addButton(button, label)
            row.addWidget(button)
        self.class_buttons.idClicked.connect(self.session.set_current_class)
        self.class_row = QWidget()
        self.class_row.setLayout(row)
        self.class_label = QLabel("Class")
        form.addRow(self.class_label, self.class_row)
        self.value_picker = ValuePicker(self.session)  # 2-D regression draws numbers where classification draws classes
        self.value_label = QLabel("Value")
        form.addRow(self.value_label, self.value_picker)

        self.dataset = narrow_combo(ComboBox())
        self.dataset.setToolTip("A dataset of the lecture to start from; then edit it by hand")
        self.n_points = self._field("number of points", 50, 1, 5000, integer=True)
        self.noise = self._field("noise", 0.0, 0.0, 1.0)
        self.data_seed = self._field("data seed", 0, 0, 2**31 - 1, integer=True)
        generate = QPushButton("Generate")
        generate.setToolTip("Replace the points by the chosen dataset (undo brings yours back)")
        generate.clicked.connect(self._on_generate_clicked)
        form.addRow("Dataset", self.dataset)
        params = QHBoxLayout()
        for label, field in (("N", self.n_points), ("noise", self.noise), ("seed", self.data_seed)):
            field.setMaximumWidth(70)
            params.addWidget(QLabel(label))
            params.addWidget(field)
        form.addRow(params)
        form.addRow(generate)

        edit = QHBoxLayout()
        self.history_buttons = {}
        for text, slot, tip in (("Undo", self.session.undo, "Undo the last stroke, point edit or network change "
                                                            "(Ctrl+Z)"),
                                ("Redo", self.session.redo, "Ctrl+Shift+Z"),
                                ("Clear", self.session.clear_points, "Remove all points (undo brings them back)")):
            button = self.history_buttons[text] = QPushButton(text)
            narrow_button(button)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            edit.addWidget(button)
        self.session.history_changed.connect(self._on_session_history_changed)
        form.addRow(edit)
        self.point_count = QLabel()
        form.addRow(self.point_count)
        hint = QLabel("Left click / drag: add points · right click / drag: erase")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        return box

    @Slot()
    def _on_generate_clicked(self) -> None:
        self.session.generate(self.dataset.currentData(), self.n_points.value(), self.noise.value(),
                              self.data_seed.value())

    # -- network ----------------------------------------------------------------------------
    def _network_group(self) -> QGroupBox:
        box = QGroupBox("Network")
        form = wrapping_form(box)
        self.layers = self._field("hidden layers", 1, 0, MAX_HIDDEN_LAYERS, integer=True)
        self.units = self._field("units per layer", 3, 1, MAX_UNITS_PER_LAYER, integer=True)
        self.per_layer = TextField()
        self.per_layer.setPlaceholderText("no hidden layer")
        self.per_layer.setToolTip("Units of each hidden layer, comma separated (e.g. 8, 4): the network in use. "
                                  "Editing it or the two fields above changes the other")
        self.activation = choice_combo({k: a.label for k, a in ACTIVATIONS.items()},
                                 "σ of the hidden units; changing it re-initializes the network")
        self.seed = self._limited(field_limits.SEED, 0)
        new_seed = QPushButton("New seed")
        new_seed.setToolTip("Re-initialize from a fresh random seed: a restart of non-convex optimization")
        new_seed.clicked.connect(self.session.new_seed)
        self.layers.committed.connect(self._on_layers_or_units_edited)
        self.units.committed.connect(self._on_layers_or_units_edited)
        self.per_layer.editingFinished.connect(self._on_per_layer_edited)
        self.per_layer.textEdited.connect(lambda _: self.per_layer.setStyleSheet(""))
        self.per_layer.cancelled.connect(self._on_session_model_changed)
        self.activation.currentIndexChanged.connect(lambda _: self._set_architecture(self.session.hidden))
        self.seed.committed.connect(self.session.reset)
        form.addRow("Hidden layers", self.layers)
        form.addRow("Units per layer", self.units)
        form.addRow("Per layer", self.per_layer)
        form.addRow("Activation", self.activation)
        self.features = FeaturePicker(self.session)  # φ(x): what the first layer sees
        form.addRow("Inputs φ(x)", self.features)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed)
        seed_row.addWidget(new_seed)
        form.addRow("Seed", seed_row)
        self.architecture = QLabel()
        self.architecture.setStyleSheet("color: #555;")
        form.addRow(self.architecture)
        return box

    @Slot()
    def _on_layers_or_units_edited(self) -> None:
        units = self.units.value() if self.units.value() is not None else max(self.session.hidden, default=3)
        self._set_architecture((units,) * self.layers.value())

    @Slot()
    def _on_per_layer_edited(self) -> None:
        text = self.per_layer.text().strip()
        if text == ", ".join(map(str, self.session.hidden)):
            return  # focus left without an edit
        try:
            hidden = field_limits.parse_per_layer(text)
        except ValueError as exc:
            self.session.message.emit(str(exc))
            self._on_session_model_changed()  # back to the network in use...
            self.per_layer.setStyleSheet(INVALID_STYLE)  # ...marked as refused
            return
        self._set_architecture(hidden)

    def _set_architecture(self, hidden) -> None:
        if not self.session.set_architecture(hidden, self.activation.currentData()):
            self._on_session_model_changed()  # show the session's (unchanged) architecture again

    # -- training ---------------------------------------------------------------------------
    def _training_group(self) -> QGroupBox:
        box = QGroupBox("Training")
        form = wrapping_form(box)
        self.optimizer = choice_combo(OPTIMIZERS, "Applies live: the weights are kept")
        self.optimizer.currentIndexChanged.connect(
            lambda _: self.session.update_settings(optimizer=self.optimizer.currentData()))
        self.momentum = self._field("momentum", 0.9, *MOMENTUM)
        self.momentum.committed.connect(lambda v: self.session.update_settings(momentum=v))
        self.lr = self._limited(field_limits.LEARNING_RATE, 0.1)
        self.lr_slider = LogSlider(*LEARNING_RATE)
        self.lr_slider.setToolTip(f"Learning rate on a log scale, {LEARNING_RATE.low:g} … {LEARNING_RATE.high:g}; "
                                  "applies live")
        self.lr_slider.value_changed.connect(self._on_lr_slider_changed)
        self.lr.committed.connect(self._on_lr_committed)
        self.batch = self._limited(field_limits.BATCH_SIZE, None, allow_empty="all")
        self.batch.committed.connect(lambda v: self.session.update_settings(batch_size=v))
        self.l2 = self._limited(field_limits.L2, 0.0)
        self.l2.committed.connect(lambda v: self.session.update_settings(l2=v))
        self.l1 = self._limited(field_limits.L1, 0.0)  # λ₁Σ|w|: drives weights to exactly zero (a sparse network)
        self.l1.committed.connect(lambda v: self.session.update_settings(l1=v))
        self.clip = self._field("gradient clipping norm", None, *CLIP_NORM, allow_empty="off")
        self.clip.committed.connect(lambda v: self.session.update_settings(clip_norm=v))
        self.test_fraction = self._limited(field_limits.TEST_FRACTION, 0.0)
        self.test_fraction.committed.connect(lambda v: self.session.update_settings(test_fraction=v))
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Momentum", self.momentum)
        form.addRow("Learning rate", self.lr)
        form.addRow(self.lr_slider)
        form.addRow("Batch size", self.batch)
        form.addRow("L2 λ", self.l2)
        form.addRow("L1 λ₁", self.l1)
        form.addRow("Clip grad norm", self.clip)
        form.addRow("Test fraction", self.test_fraction)
        return box

    @Slot(float)
    def _on_lr_slider_changed(self, value: float) -> None:
        self.lr.set_value(value)
        if not self.session.update_settings(learning_rate=value):
            self._on_session_settings_changed()  # refused (below the schedule's floor): show the rate in use

    @Slot(object)
    def _on_lr_committed(self, value: float) -> None:
        self.lr_slider.set_float(value)
        if not self.session.update_settings(learning_rate=value):
            self._on_session_settings_changed()

    # -- sync from the session --------------------------------------------------------------
    @Slot()
    def _on_session_model_changed(self) -> None:
        s = self.session
        select_quietly(self.mode, s.mode)
        mode = mode_of(s.mode)
        for widget, shown in ((self.class_row, mode.classification), (self.class_label, mode.classification),
                              (self.value_picker, mode.inputs == 2 and not mode.classification),
                              (self.value_label, mode.inputs == 2 and not mode.classification)):
            widget.setVisible(shown)
        self.dataset.blockSignals(True)
        self.dataset.clear()
        for key in mode.datasets:
            self.dataset.addItem(DATASET_LABELS.get(key, key), key)
        select_quietly(self.dataset, s.dataset)
        self.dataset.blockSignals(False)
        args = s.dataset_args
        self.n_points.set_value(args.get("n", len(s.points)))
        self.noise.set_value(args.get("noise", 0.0))
        self.data_seed.set_value(args.get("seed", 0))
        # one truth: the layer count, the units (blank when the layers differ) and the list always agree
        self.layers.set_value(len(s.hidden))
        uniform = len(set(s.hidden)) <= 1
        if s.hidden:
            self.units.set_value(s.hidden[0] if uniform else None)
        self.units.setPlaceholderText("" if uniform else "per layer")
        self.per_layer.setText(", ".join(map(str, s.hidden)))
        self.per_layer.setStyleSheet("")
        select_quietly(self.activation, s.activation)
        self.architecture.setText("layers " + " → ".join(map(str, s.layer_sizes)))
        self._on_session_settings_changed()
        self._on_session_points_changed()

    @Slot()
    def _on_session_settings_changed(self) -> None:
        s, st = self.session, self.session.settings
        select_quietly(self.optimizer, st.optimizer)
        self.momentum.set_value(st.momentum)
        self.momentum.setEnabled(st.optimizer == "momentum")
        self.lr.set_value(st.learning_rate)
        self.lr_slider.set_float(st.learning_rate)
        self.batch.set_value(st.batch_size)
        self.l2.set_value(st.l2)
        self.l1.set_value(st.l1)
        self.clip.set_value(st.clip_norm)
        self.test_fraction.set_value(st.test_fraction)
        self.schedule_box.show_settings(st)
        self.seed.set_value(s.seed)
        button = self.class_buttons.button(s.current_class)
        if button is not None:
            button.setChecked(True)

    @Slot()
    def _on_session_scene_replaced(self) -> None:
        """A new scene (menu, toolbar, Clear, mode): a field left focused would swallow Space, S and R."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit) and self.isAncestorOf(focused):
            focused.clearFocus()

    @Slot()
    def _on_session_history_changed(self) -> None:
        self.history_buttons["Undo"].setEnabled(self.session.can_undo)
        self.history_buttons["Redo"].setEnabled(self.session.can_redo)

    @Slot()
    def _on_session_points_changed(self) -> None:
        self._on_session_history_changed()
        pts = self.session.points
        self.point_count.setText(f"{len(pts)} points")
        self.architecture.setText("layers " + " → ".join(map(str, self.session.layer_sizes)))
