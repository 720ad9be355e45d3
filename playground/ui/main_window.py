"""The playground window: caption, transport, the views of the current mode, controls and status."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDockWidget, QLabel, QMainWindow, QMessageBox, QSizePolicy, QSplitter,
                               QStackedWidget, QToolBar, QVBoxLayout, QWidget)

from .. import __version__
from ..data import PRESETS
from .class_plot import ClassificationPlot
from .controls import ControlsPanel
from .file_actions import FileActions
from .fit_plot import FitView
from .insight import install as install_insight
from .loss_plot import LossPlot
from .network_diagram import install as install_diagram
from .presentation import PresentationMode
from .session import REGRESSION, Session
from .unit_heatmaps import UnitHeatmaps

SPEEDS = {"slow motion: 2 steps/s": 2.0, "10 steps/s": 10.0, "60 steps/s": 60.0, "600 steps/s": 600.0,
          "6000 steps/s": 6000.0, "full speed": None}


SHORTCUTS = [("Space", "play / pause"), ("S or →", "one training step"), ("R", "reset the weights from the seed"),
             ("1 … 6", "class to draw (2-D)"), ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo a stroke"),
             ("Ctrl+S / Ctrl+O", "save / open a session"), ("Ctrl+E", "export an image"),
             ("F11", "presentation mode"), ("left click / drag", "add points"),
             ("right click / drag", "erase points")]


def _fmt(value, percent=False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.3g}"


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None):
        super().__init__()
        self.session = session or Session(self)
        self.setWindowTitle(f"Neural Playground {__version__}")
        self._frames: list[float] = []  # times of recent frames, for the fps readout

        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.caption.setStyleSheet("font-size: 15pt; padding: 6px 10px; background: #f4f6fa; color: #1a2a44;")
        self.fit_view = FitView(self.session)
        self.class_plot = ClassificationPlot(self.session)
        self.heatmaps = UnitHeatmaps(self.session)
        self.loss_plot = LossPlot(self.session)
        self.main_views = QStackedWidget()
        self.main_views.addWidget(self.fit_view)
        self.main_views.addWidget(self.class_plot)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.heatmaps)
        right.addWidget(self.loss_plot)
        right.setSizes([420, 380])
        views = QSplitter(Qt.Horizontal)
        views.addWidget(self.main_views)
        views.addWidget(right)
        views.setStretchFactor(0, 3)
        views.setStretchFactor(1, 2)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.caption)
        # Why training stopped (diverged, no points), large: the status bar is too small for the back row.
        self.stopped_banner = QLabel()
        self.stopped_banner.setWordWrap(True)
        self.stopped_banner.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.stopped_banner.setStyleSheet("font-size: 13pt; padding: 6px 10px; background: #fde2e1; color: #7a0e0e;")
        self.stopped_banner.setVisible(False)
        column.addWidget(self.stopped_banner)
        column.addWidget(views, 1)
        self.setCentralWidget(central)

        self.controls = ControlsPanel(self.session)
        dock = QDockWidget("Controls", self)
        dock.setObjectName("controls")
        dock.setWidget(self.controls)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        s = self.session
        s.snapshot_changed.connect(self._on_session_snapshot_changed)
        s.playing_changed.connect(self._on_session_playing_changed)
        s.model_changed.connect(self._on_session_model_changed)
        s.caption_changed.connect(self._on_session_caption_changed)
        s.message.connect(self._on_session_message)
        s.settings_changed.connect(self._on_session_settings_changed)
        self._on_session_caption_changed(s.caption)
        self._on_session_model_changed()
        self.insight = install_insight(self)  # backprop inspector, hidden space, step-unit banner
        self.diagram_dock = install_diagram(self)  # View → Network diagram: a bottom dock, shown
        self.files = FileActions(self)  # File menu: sessions, recent, CSV points, export image, last session
        self.presentation = PresentationMode(self)  # View → Presentation mode (F11)
        self.resize(1500, 900)

    # -- building ---------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Transport")
        bar.setObjectName("transport")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        font = QFont(bar.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        bar.setFont(font)
        self.play_action = QAction("▶ Play", self, toolTip="Play / pause training (Space)",
                                   shortcut=QKeySequence(Qt.Key_Space))
        self.play_action.triggered.connect(self.session.toggle_play)
        self.step_action = QAction("Step", self, toolTip="One training step (S or →)")
        self.step_action.setShortcuts([QKeySequence("S"), QKeySequence(Qt.Key_Right)])
        self.step_action.triggered.connect(lambda: self.session.step(1))
        self.reset_action = QAction("Reset", self, toolTip="Re-initialize the weights from the seed (R)",
                                    shortcut=QKeySequence("R"))
        self.reset_action.triggered.connect(lambda: self.session.reset())
        for action in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Speed "))
        self.speed = QComboBox()
        for label, rate in SPEEDS.items():
            self.speed.addItem(label, rate)
        self.speed.setCurrentIndex(max(self.speed.findData(self.session.steps_per_second), 0))
        self.speed.setToolTip("Slow motion to explain single steps, or full speed")
        self.speed.currentIndexChanged.connect(lambda _: self.session.set_speed(self.speed.currentData()))
        bar.addWidget(self.speed)
        bar.addSeparator()
        bar.addWidget(QLabel(" Scene "))
        self.presets = QComboBox()
        self.presets.addItem("choose a lecture scene…", None)
        for key, preset in PRESETS.items():
            self.presets.addItem(preset.title, key)
            self.presets.setItemData(self.presets.count() - 1, preset.caption, Qt.ToolTipRole)
        self.presets.activated.connect(self._on_presets_activated)
        bar.addWidget(self.presets)
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _build_status_bar(self) -> None:
        self.progress = QLabel()
        self.rates = QLabel()
        for label in (self.progress, self.rates):
            label.setStyleSheet("padding: 0 8px; font-size: 12pt;")
            label.setMinimumWidth(1)  # readouts clip on a narrow screen; they must not widen the window
        self.statusBar().setStyleSheet("QStatusBar { font-size: 12pt; }")
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.rates)

    def _build_menus(self) -> None:
        """File, Edit, View, Scenes and Help. Features add their actions to these menus from their own modules."""
        s = self.session
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.scenes_menu = bar.addMenu("&Scenes")
        self.help_menu = bar.addMenu("&Help")
        self.file_menu.addAction("&Quit", QKeySequence.Quit, self.close)
        self.edit_menu.addAction("&Undo", QKeySequence.Undo, s.undo)
        self.edit_menu.addAction("&Redo", QKeySequence("Ctrl+Shift+Z"), s.redo)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction("C&lear points", s.clear_points)
        for action in (self.play_action, self.step_action, self.reset_action):
            self.edit_menu.addAction(action)
        # F11 is presentation mode (ui/presentation.py); plain full screen keeps the layout as it is
        self.full_screen_action = self.view_menu.addAction("&Full screen", self.toggle_full_screen)
        for key, preset in PRESETS.items():
            action = self.scenes_menu.addAction(preset.title, lambda key=key: self._load_scene(key))
            action.setToolTip(preset.caption)
        self.help_menu.addAction("&Keyboard shortcuts", self._show_shortcuts)
        self.help_menu.addAction("&About Neural Playground", self._show_about)
        # digits choose the class to draw (2-D)
        self.class_shortcuts = []
        for k in range(6):
            shortcut = QShortcut(QKeySequence(str(k + 1)), self)
            shortcut.activated.connect(lambda k=k: s.set_current_class(k))
            self.class_shortcuts.append(shortcut)

    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{key}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for key, what in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Neural Playground",
                          f"<h3>Neural Playground {__version__}</h3>"
                          "<p>Draw points, choose the network and the schedule, and watch every hidden unit "
                          "and the fit learn live, for the lecture <i>Feature learning, neural networks and "
                          "backpropagation</i>.</p><p>Python, PySide6, pyqtgraph and numpy.</p>")

    # -- reactions --------------------------------------------------------------------------
    @Slot(int)
    def _on_presets_activated(self, index: int) -> None:
        key = self.presets.itemData(index)
        if key:
            self._load_scene(key)

    def _load_scene(self, key: str) -> None:
        self.session.pause()
        self.session.load_preset(key)

    @Slot(str)
    def _on_session_caption_changed(self, caption: str) -> None:
        """A scene was loaded (from here, a menu, a file or the command line): show its caption and name."""
        self.caption.setText(caption)
        self.presets.setCurrentIndex(max(self.presets.findData(self.session.preset), 0))

    @Slot()
    def _on_session_model_changed(self) -> None:
        regression = self.session.mode == REGRESSION
        shown, hidden = (self.fit_view, self.class_plot) if regression else (self.class_plot, self.fit_view)
        self.main_views.setCurrentWidget(shown)
        # a stacked widget is as wide as its widest page: let the hidden page not count
        shown.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        hidden.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        self.heatmaps.setVisible(not regression)
        self.class_plot.apply_bounds()

    @Slot()
    def _on_session_settings_changed(self) -> None:
        self.speed.blockSignals(True)
        self.speed.setCurrentIndex(max(self.speed.findData(self.session.steps_per_second), 0))
        self.speed.blockSignals(False)

    @Slot(bool)
    def _on_session_playing_changed(self, playing: bool) -> None:
        self.play_action.setText("❚❚ Pause" if playing else "▶ Play")

    @Slot(str)
    def _on_session_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 12_000)

    @Slot(object)
    def _on_session_snapshot_changed(self, snap) -> None:
        now = time.perf_counter()
        self._frames = [t for t in self._frames if now - t < 1.0] + [now]
        fps = len(self._frames) - 1 if len(self._frames) > 1 else 0
        m = snap.metrics
        text = f"step {snap.step:,}   epoch {snap.epoch:,}   loss {_fmt(m.train_loss)}"
        if m.test_loss is not None:
            text += f" (test {_fmt(m.test_loss)})"
        if m.train_accuracy is not None:
            text += f"   accuracy {_fmt(m.train_accuracy, True)}"
            if m.test_accuracy is not None:
                text += f" (test {_fmt(m.test_accuracy, True)})"
        text += f"   lr {snap.learning_rate:.3g}"
        self.progress.setText(text)
        self.rates.setText(f"{snap.steps_per_second:,.0f} steps/s   {fps} fps")
        if self.session.up_to_date:  # an older snapshot may predate the fix (a reset, new points)
            reason = snap.blocked_reason if not snap.playing else None
            step_banner_shown = getattr(self, "insight", None) is not None and self.insight.banner.isVisible()
            self.stopped_banner.setText(f"Training stopped — {reason}" if reason else "")
            self.stopped_banner.setVisible(bool(reason) and not step_banner_shown)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def closeEvent(self, event) -> None:
        self.session.close()  # stop the training process before the window goes
        super().closeEvent(event)
