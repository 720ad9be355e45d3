"""The inputs the first layer sees: one toggle per feature φⱼ(x) of the current mode's points.

With no hidden layer the network is the lecture's linear model on a feature map, f(x) = wᵀφ(x) + b: on the
circles, x₁² and x₂² alone make the classes linearly separable. A toggle changes ``Session.set_features``
(the network is rebuilt, Ctrl+Z brings the old one back); at least one feature stays on.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QToolButton, QWidget

from ..data.scene import MODES
from ..engine.features import FEATURES, RAW_KEYS, feature_keys

# Rows of related features, at most three a row, so the controls panel stays as narrow as its other rows;
# a feature the engine adds later goes on a row of its own at the end.
ROWS = {1: (("x", "x^2", "x^3"), ("sin", "cos", "abs")),
        2: (("x1", "x2", "x1x2"), ("x1^2", "x2^2"), ("sin_x1", "sin_x2"))}
# On a projector a plain pressed look is easy to miss: a feature in use is filled and outlined.
STYLE = ("QToolButton { padding: 2px 4px; }"
         " QToolButton:checked { background: #cfe3f7; border: 1px solid #2a6fb0; border-radius: 3px; }")


class FeaturePicker(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.buttons: dict[str, QToolButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(3)
        self.setStyleSheet(STYLE)
        self._dimension = 0
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()

    def _make_buttons(self, dimension: int) -> None:
        """One toggle per feature of ``dimension``-D points, in the engine's display order."""
        for button in self.buttons.values():
            self._grid.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        rows = ROWS.get(dimension, ())
        placed = {key: (r, c) for r, row in enumerate(rows) for c, key in enumerate(row)}
        extra = [key for key in feature_keys(dimension) if key not in placed]
        placed.update({key: (len(rows) + i // 3, i % 3) for i, key in enumerate(extra)})
        for key in feature_keys(dimension):  # the engine's order: chosen() lists the keys in it
            button = QToolButton()
            button.setText(FEATURES[key].name)
            button.setCheckable(True)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setToolTip(f"Feed φ = {FEATURES[key].name} to the first layer (re-initializes the network; "
                              f"Ctrl+Z brings the old one back). Key: {key}")
            button.clicked.connect(self._on_toggled)
            self._grid.addWidget(button, *placed[key])
            self.buttons[key] = button
        self._dimension = dimension

    def chosen(self) -> tuple[str, ...]:
        """The keys toggled on, in display order."""
        return tuple(key for key, button in self.buttons.items() if button.isChecked())

    @Slot()
    def _on_toggled(self) -> None:
        keys = self.chosen()
        if not keys:
            self.session.message.emit("at least one input feature stays on: the first layer needs an input")
            self._on_session_model_changed()
            return
        if not self.session.set_features(keys):
            self._on_session_model_changed()  # refused: show the features in use again

    @Slot()
    def _on_session_model_changed(self) -> None:
        dimension = MODES[self.session.mode].inputs
        if dimension != self._dimension:
            self._make_buttons(dimension)
        on = set(self.session.features or RAW_KEYS[dimension])
        for key, button in self.buttons.items():
            button.setChecked(key in on)
