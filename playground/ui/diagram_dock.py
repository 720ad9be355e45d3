"""The network diagram in the window: its dock and View menu entry, and the hovered unit shown in the data plot
and the unit grid (their ``highlight_unit``).

Presentation mode tucks the diagram away with every dock: beside the plots on a 1280×720 projector it left the data
plot ~250 px wide, and at 1920×1080 under them a third of its height. View ▸ Network diagram (Ctrl+D) opens it in the
mode, at the look's scale like the plots, when the lecture turns to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDockWidget

from .network_diagram import NetworkDiagram
from .view_docks import open_action


class HoverRelay(QObject):
    """Passes a unit hovered in the diagram to the other views."""

    def __init__(self, window, diagram: NetworkDiagram):
        super().__init__(window)
        self.window, self.diagram = window, diagram
        diagram.unit_hovered.connect(self._on_diagram_unit_hovered)

    @Slot(int, int)
    def _on_diagram_unit_hovered(self, column: int, unit: int) -> None:
        """A hidden unit under the mouse: its dashed curve (1-D) bold and dark, its heatmap (2-D) framed."""
        hidden = len(self.diagram.canvas.layer_sizes) - 2
        layer = column - 1 if 0 < column <= hidden else -1
        unit = unit if layer >= 0 else -1
        self.window.fit_view.plot.highlight_unit(layer, unit)
        self.window.heatmaps.highlight_unit(layer, unit)


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
    diagram.hover_relay = HoverRelay(window, diagram)  # owned by the window (its parent)
    return dock
