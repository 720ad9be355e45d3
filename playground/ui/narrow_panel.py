"""How the controls panel stays narrow: forms that wrap a field under its label, combo boxes and buttons as narrow
as their text needs. With them an 800 px window fits its controls whole (the panel held the window 951 px wide)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QPushButton

from .fields import ComboBox

COMBO_CHARS = 10  # a combo box is at least this many characters wide (its list shows every label whole)
SCROLL_BAR = 16   # px: the panel's vertical scroll bar


def wrapping_form(box: QGroupBox) -> QFormLayout:
    """A form that puts a field under its label when the panel is too narrow for both on one row: the panel
    can be narrow (an 800 px window) with every control whole."""
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    return form


def narrow_combo(combo: ComboBox) -> ComboBox:
    """As narrow as ``COMBO_CHARS``, not as its longest label: the panel's minimum width stays small."""
    combo.setSizeAdjustPolicy(ComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARS)
    return combo


def narrow_button(button: QPushButton) -> QPushButton:
    """As narrow as its text and padding: Qt's style keeps a push button 80 px wide at the least, and three in a
    row held the panel wide."""
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 24)
    return button
