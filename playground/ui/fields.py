"""Input widgets that refuse bad values out loud instead of clamping them silently."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLineEdit, QSlider

from ..data.field_limits import Limit

INVALID_STYLE = "QLineEdit { border: 2px solid #d62728; background: #fff0f0; }"


class TextField(QLineEdit):
    """A line edit that Esc leaves: the edit is dropped (``cancelled``) and the focus goes back to the window,
    so Space, S and R play, step and reset again instead of being typed into the field."""

    cancelled = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.cancelled.emit()
            self.setStyleSheet("")
            self.clearFocus()
            event.accept()
            return
        super().keyPressEvent(event)


class NumberField(TextField):
    """A typed number in [minimum, maximum]; ``committed(value)`` on Enter / focus-out when valid.

    An invalid entry turns the field red, emits ``refused(reason)`` and restores the last good value.
    ``allow_empty`` makes an empty field mean None (e.g. "all points", "no clipping").
    """

    committed = Signal(object)
    refused = Signal(str)

    def __init__(self, name: str, value, minimum: float, maximum: float, integer: bool = False,
                 allow_empty: str | None = None, parent=None):
        super().__init__(parent)
        self.name, self.minimum, self.maximum, self.integer = name, minimum, maximum, integer
        self.limit = Limit(name, minimum, maximum, integer)
        self.allow_empty = allow_empty
        if allow_empty:
            self.setPlaceholderText(allow_empty)
        self.setToolTip(f"{name}: {self.limit.range}" + (f"; empty = {allow_empty}" if allow_empty else ""))
        self.setAlignment(Qt.AlignRight)
        self._value = None
        self.set_value(value)
        self.editingFinished.connect(self._on_editing_finished)
        self.textEdited.connect(lambda _: self.setStyleSheet(""))
        self.cancelled.connect(lambda: self.setText(self._format(self._value)))

    def value(self):
        return self._value

    def set_value(self, value) -> None:
        self._value = value
        self.setStyleSheet("")
        self.setText(self._format(value))

    def _format(self, value) -> str:
        """Whole numbers as whole numbers (2147483647, never 2.14748e+09), others in 6 significant digits."""
        if value is None:
            return ""
        return str(int(value)) if self.integer else f"{value:.6g}"

    def parse(self, text: str):
        """The value typed, or a ValueError whose message says why it is refused (see limits.Limit)."""
        if not text.strip() and self.allow_empty:
            return None
        return self.limit.parse(text)

    @Slot()
    def _on_editing_finished(self) -> None:
        try:
            value = self.parse(self.text())
        except ValueError as exc:
            self.setStyleSheet(INVALID_STYLE)
            self.refused.emit(str(exc))
            self.setText(self._format(self._value))
            return
        self.setStyleSheet("")
        self.clearFocus()  # give Space, S and R back to the window's transport keys
        if value != self._value:
            self._value = value
            self.committed.emit(value)


class WheelOnlyWhenFocused:
    """Mixin for a control in a scrolling panel: the wheel changes it only once it has focus (a click or Tab);
    otherwise the wheel event goes on to the panel, which scrolls. One notch over an unfocused combo box once
    turned ReLU into linear and re-initialized a trained network."""

    def _take_wheel_only_when_focused(self) -> None:
        self.setFocusPolicy(Qt.StrongFocus)  # not WheelFocus: the wheel alone must not focus it either

    def wheelEvent(self, event) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # Qt hands an ignored wheel event to the parent: the scroll area


class ComboBox(WheelOnlyWhenFocused, QComboBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._take_wheel_only_when_focused()


class LogSlider(WheelOnlyWhenFocused, QSlider):
    """A horizontal slider over round values on a log scale (1, 1.5, 2, 3, 5, 7 × 10ᵏ), so a teacher
    lands on 0.03 rather than 0.0297; ``value_changed(float)`` while sliding."""

    value_changed = Signal(float)
    MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)

    def __init__(self, minimum: float, maximum: float, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self._take_wheel_only_when_focused()
        lo, hi = math.floor(math.log10(minimum)), math.ceil(math.log10(maximum))
        ladder = (float(f"{m * 10.0 ** e:.3g}") for e in range(lo, hi + 1) for m in self.MANTISSAS)
        self._values = [v for v in ladder if minimum <= v <= maximum]
        self.setRange(0, len(self._values) - 1)
        self.valueChanged.connect(lambda i: self.value_changed.emit(self._values[i]))

    def set_float(self, value: float) -> None:
        """Move to the round value nearest ``value`` on the log scale, without emitting."""
        nearest = min(range(len(self._values)), key=lambda i: abs(math.log10(self._values[i] / value)))
        self.blockSignals(True)
        self.setValue(nearest)
        self.blockSignals(False)
