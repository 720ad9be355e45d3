"""Wires the "see inside the network" views into the main window through its host API.

``install(window)`` adds the backprop inspector and the hidden-space view (view docks: tabs under
the plots), their entries in the View menu, and a banner that says plainly when the network cannot
train because its hidden units are step units.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from ..engine import get_activation
from .hidden_space import HiddenSpaceView
from .inspector import BackpropInspector
from .view_docks import open_action

STEP_BANNER = ("Step units: backpropagation cannot train this network — a step unit's derivative ∂h/∂z is 0 "
               "almost everywhere, so no gradient reaches the weights below it. Its weights are set by hand: "
               "double-click a weight in the backprop inspector (View ▸ Backprop inspector) or in the hidden "
               "space's Weights table to change it, or choose tanh to train it.")


class Insight(QObject):
    """Owns the two docks and the banner of one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        session = window.session
        self.inspector = BackpropInspector(session, window.data_plots)
        self.inspector.view.set_look(window.look)  # the graph's text follows presentation mode like the plots'
        self.hidden_space = HiddenSpaceView(session)
        self.inspector_dock = window.add_dock("Backprop inspector", "inspector", self.inspector)
        self.hidden_dock = window.add_dock("Hidden space", "hidden_space", self.hidden_space)
        self.inspector_action = open_action(self.inspector_dock, "&Backprop inspector", "Ctrl+I",
                                            "The computation graph of one training point: forward, backward, update")
        self.hidden_action = open_action(self.hidden_dock, "&Hidden space", "Ctrl+H",
                                         "The points and the input grid seen through a hidden layer, and the table")
        view_menu = window.menu("view")
        view_menu.addSeparator()
        view_menu.addAction(self.inspector_action)
        view_menu.addAction(self.hidden_action)
        self.inspector_dock.visibilityChanged.connect(self.inspector.set_shown)
        self.hidden_dock.visibilityChanged.connect(self.hidden_space.set_shown)
        self.inspector_dock.visibilityChanged.connect(self._on_inspector_visibility_changed)

        self.banner = window.add_banner("step_units", "warning", STEP_BANNER)
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()

    @property
    def untrainable(self) -> bool:
        s = self.window.session
        return bool(s.hidden) and not get_activation(s.activation).differentiable

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.banner.setVisible(self.untrainable)

    @Slot(bool)
    def _on_inspector_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.window.statusBar().showMessage(f"Backprop inspector: {self.inspector.pick_hint()}", 8000)

    def open_inspector(self) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()

    def open_hidden_space(self) -> None:
        self.hidden_dock.show()
        self.hidden_dock.raise_()


def install(window) -> Insight:
    return Insight(window)
