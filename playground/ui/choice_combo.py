"""The side panel's drop-down lists of labelled choices: built from {key: label}, set from the session quietly."""

from __future__ import annotations

from .fields import ComboBox
from .narrow_panel import narrow_combo


def choice_combo(items: dict, tooltip: str) -> ComboBox:
    """A narrow combo box showing each label, its item data the key."""
    combo = narrow_combo(ComboBox())
    for key, label in items.items():
        combo.addItem(label, key)
    combo.setToolTip(tooltip)
    return combo


def select_quietly(combo: ComboBox, key) -> None:
    """Show ``key`` (the first item if it is not listed) without emitting: the session set it, nobody chose it."""
    combo.blockSignals(True)
    combo.setCurrentIndex(max(combo.findData(key), 0))
    combo.blockSignals(False)
