"""A narrow window: the controls panel's rows wrap instead of holding the window 951 px wide (issue 9, round 3).

Seen before: the window could not be narrower than 951 px (the controls panel's minimum, ~437 px), so on an
800 px screen it ran past the edge. Now it goes down to 800 px with every control whole and legible.
"""

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget
from test_ui_layout import load, settle

from playground.ui.plot_style import FONT_TOKENS


def cut_widgets(container: QWidget, viewport: QWidget) -> list[str]:
    """The visible controls in ``container`` that are narrower than their text needs, or cut by ``viewport``'s
    right edge."""
    cut = []
    for widget in container.findChildren(QWidget):
        if not widget.isVisibleTo(container) or not isinstance(widget, (QLabel, QAbstractButton, QComboBox,
                                                                        QLineEdit)):
            continue
        name = getattr(widget, "text", lambda: "")() or widget.toolTip()[:20]
        needed = widget.minimumSizeHint().width()
        if isinstance(widget, QLabel) and not widget.wordWrap():
            needed = widget.sizeHint().width()
        if widget.width() < needed:
            cut.append(f"{name!r}: {widget.width()} < {needed} px")
        right = widget.mapTo(viewport, widget.rect().topRight()).x()
        if right > viewport.width():
            cut.append(f"{name!r}: right edge {right} past the panel's {viewport.width()} px")
    return cut


@pytest.mark.parametrize("preset", ["bishop-sin", "spiral"])
def test_the_window_goes_down_to_800_px_with_every_control_whole(window, qtbot, preset):
    load(qtbot, window, preset, 10)
    settle(qtbot, window, (800, 600))
    assert window.width() <= 800, f"the window stays {window.width()} px wide"
    panel = window.controls
    assert not cut_widgets(panel.widget(), panel.viewport()), cut_widgets(panel.widget(), panel.viewport())
    assert panel.horizontalScrollBar().maximum() == 0
    assert panel.widget().font().pointSizeF() >= FONT_TOKENS["tick"] - 2  # legible: the panel's font is not shrunk
    if preset == "bishop-sin":  # the unit display's choices wrap too
        row = window.fit_view.choices
        assert not cut_widgets(row, row), cut_widgets(row, row)
