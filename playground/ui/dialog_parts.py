"""Pieces the File menu's dialogs share (export image, record animation): what to draw, and OK/Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QDialog, QDialogButtonBox, QRadioButton, QVBoxLayout

# What a picture or an animation shows: the whole window, or the plots and caption (the export's regions)
REGIONS = {"window": "Whole window", "plots": "Plots and caption only"}


def region_buttons(dialog: QDialog, region: str) -> tuple[QButtonGroup, QVBoxLayout]:
    """One radio button per region, ``region`` checked; each button's "region" property is its key."""
    group, column = QButtonGroup(dialog), QVBoxLayout()
    for key, label in REGIONS.items():
        button = QRadioButton(label)
        button.setProperty("region", key)
        button.setChecked(key == region)
        group.addButton(button)
        column.addWidget(button)
    return group, column


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
