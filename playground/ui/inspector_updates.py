"""The backprop inspector's changes to the weights: one gradient step on the picked point ("Apply update") and
a weight or bias set by hand (a double-click), each sent to the worker and shown in the graph at once.

A mixin of ``inspector.BackpropInspector``: it reads the inspector's ``session``, ``graph``, ``text``, ``scene``,
``stepper`` and draws through its ``_set_graph``, ``_show_step`` and ``_sync_buttons``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QInputDialog

from ..engine import Network
from ..notation import fmt


class InspectorUpdates:
    @property
    def learning_rate(self) -> float:
        snap = self.session.snapshot
        return snap.learning_rate if snap is not None else self.session.settings.learning_rate

    def apply_update(self) -> np.ndarray | None:
        """w ← w − η ∂J/∂w on this point; the new parameters go to the worker and the graph shows them."""
        g = self.graph
        if g is None:
            return None
        eta = self.learning_rate
        new = g.updated_parameters(eta)
        self.session.pause()
        self.session.set_parameters(new)
        self.scene.previous = g.flat
        self._load_parameters(new, done=len(g.forward_order))  # the forward pass of the new weights shown
        change = np.abs(new - g.flat).max()
        self._note = (f"Update applied with η = {fmt(eta)}: every parameter moved by −η·∂J/∂θ "
                      f"(largest change {fmt(change)}); J for this point {fmt(g.objective)} → "
                      f"{fmt(self.graph.objective)}.")
        self._show_step()
        self._sync_buttons()
        self.update_applied.emit(new)
        return new

    def _load_parameters(self, flat: np.ndarray, done: int | None = None) -> None:
        """Show the graph for parameters ``flat`` at once (the worker's snapshot confirms them later)."""
        network = Network(self.graph.layer_sizes, self.graph.activation)
        network.parameters[...] = flat
        self._set_graph(network, done)

    @Slot(int)
    def edit_parameter(self, index: int) -> None:
        """Ask for a new value of parameter ``index`` (double-click on a weight or bias) and send it."""
        if self.graph is None:
            return
        value, ok = QInputDialog.getDouble(self, "Set a weight by hand", f"{self.text.describe_parameter(index)} =",
                                           float(self.graph.flat[index]), -1e4, 1e4, 4)
        if ok:
            self.set_parameter(index, value)

    def set_parameter(self, index: int, value: float) -> None:
        flat = self.graph.flat.copy()
        flat[index] = value
        self.scene.previous = None
        self.session.set_parameters(flat)
        self._load_parameters(flat)
        self._note = f"{self.text.describe_parameter(index)} set to {fmt(value)} by hand."
        self._show_step()

