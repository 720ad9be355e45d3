"""Wires the "see inside the network" views into the main window, from outside it.

``install(window)`` adds the backprop inspector (a bottom dock), the hidden-space view (a right
dock), their entries in the View menu, and a banner that says plainly when the network cannot
train because its hidden units are step units.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QSizePolicy

from ..engine import get_activation
from .hidden_space import HiddenSpaceView
from .inspector import BackpropInspector

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
        plots = [window.fit_view.plot, window.class_plot]
        self.inspector = BackpropInspector(session, plots)
        self.hidden_space = HiddenSpaceView(session)
        self.inspector_dock = self._dock("Backprop inspector", "inspector", self.inspector, Qt.BottomDockWidgetArea)
        self.hidden_dock = self._dock("Hidden space", "hidden_space", self.hidden_space, Qt.BottomDockWidgetArea)
        window.tabifyDockWidget(self.inspector_dock, self.hidden_dock)  # wide views: tabs under the plots
        self.inspector_action = self.inspector_dock.toggleViewAction()
        self.inspector_action.setText("&Backprop inspector")
        self.inspector_action.setShortcut(QKeySequence("Ctrl+I"))
        self.inspector_action.setToolTip("The computation graph of one training point: forward, backward, update")
        self.hidden_action = self.hidden_dock.toggleViewAction()
        self.hidden_action.setText("&Hidden space")
        self.hidden_action.setShortcut(QKeySequence("Ctrl+H"))
        self.hidden_action.setToolTip("The points and the input grid seen through a hidden layer, and the table")
        window.view_menu.addSeparator()
        window.view_menu.addAction(self.inspector_action)
        window.view_menu.addAction(self.hidden_action)
        self.inspector_dock.visibilityChanged.connect(self.inspector.set_shown)
        self.hidden_dock.visibilityChanged.connect(self.hidden_space.set_shown)
        self.inspector_dock.visibilityChanged.connect(self._on_inspector_visibility_changed)
        self.hidden_dock.visibilityChanged.connect(self._on_hidden_visibility_changed)

        self.banner = QLabel(STEP_BANNER)
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.banner.setStyleSheet("font-size: 12pt; padding: 6px 10px; background: #fff3c4; color: #4a3800; "
                                  "border-bottom: 1px solid #e0c060;")
        self.banner.setVisible(False)
        layout = window.centralWidget().layout() if window.centralWidget() else None
        if layout is not None:
            layout.insertWidget(1, self.banner)  # under the caption
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.window.addDockWidget(area, dock)
        dock.hide()
        return dock

    @property
    def untrainable(self) -> bool:
        s = self.window.session
        return bool(s.hidden) and not get_activation(s.activation).differentiable

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.banner.setVisible(self.untrainable)

    @Slot(bool)
    def _on_inspector_visibility_changed(self, visible: bool) -> None:
        if visible:  # give the graph about half of the window's height
            self.window.statusBar().showMessage("Backprop inspector: click a training point in the data plot", 8000)
            if not self.inspector_dock.isFloating():
                QTimer.singleShot(0, lambda: self.window.resizeDocks(
                    [self.inspector_dock], [int(self.window.height() * 0.52)], Qt.Vertical))

    @Slot(bool)
    def _on_hidden_visibility_changed(self, visible: bool) -> None:
        if visible and not self.hidden_dock.isFloating():  # after the dock is laid out
            QTimer.singleShot(0, lambda: self.window.resizeDocks(
                [self.hidden_dock], [int(self.window.height() * 0.52)], Qt.Vertical))

    def open_inspector(self) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()

    def open_hidden_space(self) -> None:
        self.hidden_dock.show()
        self.hidden_dock.raise_()


def install(window) -> Insight:
    return Insight(window)
