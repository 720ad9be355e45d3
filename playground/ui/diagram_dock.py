"""The network diagram in the window: its dock and View menu entry, presentation mode, and the hovered unit
shown in the data plot and the unit grid (their ``highlight_unit``).

Presentation mode tucks every dock away; the diagram is a view a lecture shows, so if it was open it opens
again in the mode, at the look's scale like the plots.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDockWidget

from .network_diagram import NetworkDiagram
from .view_docks import open_action


class DiagramDock(QObject):
    """Keeps the diagram's dock open through presentation mode, and passes a hovered unit to the other views."""

    def __init__(self, window, diagram: NetworkDiagram, dock: QDockWidget):
        super().__init__(window)
        self.window, self.diagram, self.dock = window, diagram, dock
        self.wanted = False  # open (as a tab or alone) the last time it changed outside presentation mode
        dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        window.presentation.toggled.connect(self._on_presentation_toggled)
        diagram.unit_hovered.connect(self._on_diagram_unit_hovered)

    @Slot(int, int)
    def _on_diagram_unit_hovered(self, column: int, unit: int) -> None:
        """A hidden unit under the mouse: its dashed curve (1-D) bold and dark, its heatmap (2-D) framed."""
        hidden = len(self.diagram.canvas.layer_sizes) - 2
        layer = column - 1 if 0 < column <= hidden else -1
        unit = unit if layer >= 0 else -1
        self.window.fit_view.plot.highlight_unit(layer, unit)
        self.window.heatmaps.highlight_unit(layer, unit)

    @Slot(bool)
    def _on_dock_visibility_changed(self, _visible: bool) -> None:
        if not self.window.presentation.enabled:
            self.wanted = not self.dock.isHidden()  # hidden: closed; behind another tab it is still open

    @Slot(bool)
    def _on_presentation_toggled(self, on: bool) -> None:
        if on and self.wanted:
            self.dock.show()
            self.dock.raise_()


def install(window) -> QDockWidget:
    """The diagram as a view dock of ``window`` (tabbed with the inspector and hidden space), opened and
    closed by View ▸ Network diagram (Ctrl+D). Open at start where it fits legibly (a window of 1280×720 or
    more; the window's layout rule places it, tests/test_ui_layout_docks.py); at 1024×640 it would take the
    data plot below its usable minimum."""
    diagram = NetworkDiagram(window.session, look=window.look)
    dock = window.add_dock("Network diagram", "network_diagram", diagram, scrolls=False,  # it fits its tiles
                           open_at_start=True)
    dock.visibilityChanged.connect(diagram.set_shown)
    action = open_action(dock, "&Network diagram", "Ctrl+D",
                         "The network as a diagram: every unit's picture, the weights as links you can drag")
    window.menu("view").addAction(action)
    diagram.dock_link = DiagramDock(window, diagram, dock)  # owned by the window (its parent)
    return dock
