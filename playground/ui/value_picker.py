"""2-D regression's counterpart of the class buttons: the value y a click or drag gives the points it adds.

A slider over −1 … 1 in steps of 0.1 (the surface's colour scale, ``scene.DRAWN_VALUE``), the value in words
and a swatch in the colour the point will have, bound to ``Session.current_value``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QWidget

from ..data.scene import DRAWN_VALUE
from ..palette import surface_rgb
from .fields import WheelOnlyWhenFocused

TICKS_PER_UNIT = 10  # the slider moves in steps of 0.1


class ValueSlider(WheelOnlyWhenFocused, QSlider):
    """A click on the groove jumps to the value under the mouse (not a page step toward it): a teacher picks
    −1 with one click at the left end."""

    def __init__(self, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self._take_wheel_only_when_focused()
        self.setRange(round(DRAWN_VALUE.low * TICKS_PER_UNIT), round(DRAWN_VALUE.high * TICKS_PER_UNIT))
        self.setPageStep(5)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            handle = self.style().subControlRect(QStyle.CC_Slider, option, QStyle.SC_SliderHandle, self)
            if not handle.contains(event.position().toPoint()):  # on the groove: jump there, then drag on
                groove = self.style().subControlRect(QStyle.CC_Slider, option, QStyle.SC_SliderGroove, self)
                x = int(event.position().x()) - groove.x() - handle.width() // 2
                self.setValue(QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), x,
                                                             groove.width() - handle.width()))
        super().mousePressEvent(event)


class ValuePicker(QWidget):
    """Slider, value and swatch in one row; the session's ``current_value`` is its one truth."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.slider = ValueSlider()
        self.slider.setToolTip("The value y of the points a click or drag adds (−1 … 1): blue above 0, orange below")
        self.text = QLabel()
        self.text.setMinimumWidth(self.text.fontMetrics().horizontalAdvance("−0.0 ") + 24)
        row.addWidget(self.slider, 1)
        row.addWidget(self.text)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        session.settings_changed.connect(self.sync)
        self.sync()

    @Slot(int)
    def _on_slider_value_changed(self, ticks: int) -> None:
        self.session.set_current_value(ticks / TICKS_PER_UNIT)

    @Slot()
    def sync(self) -> None:
        value = self.session.scene.current_value
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * TICKS_PER_UNIT))
        self.slider.blockSignals(False)
        r, g, b = (int(c) for c in surface_rgb(value))
        self.text.setText(f"{value:+.1f}".replace("-", "−"))
        self.text.setStyleSheet(f"QLabel {{ background: rgb({r},{g},{b}); color: {'white' if abs(value) > 0.5 else 'black'};"
                                f" border: 2px solid #282828; border-radius: 4px; padding: 2px 4px; font-weight: bold; }}")
