"""The playground window: caption, transport, the views of the current mode, controls and status."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..data import PRESETS
from ..data.presets import UNIT_CONTRIBUTIONS, UNIT_OUTPUTS
from ..data.scene import mode_of
from .ad_modes import install as install_ad_modes
from .caption_label import CaptionLabel
from .class_plot import ClassificationPlot
from .compare_mode import install as install_compare
from .controls import ControlsPanel
from .diagram_dock import install as install_diagram
from .fields import ComboBox
from .file_actions import FileActions
from .fit_plot import FitView
from .insight import install as install_insight
from .loss_plot import LossPlot
from .loss_surface import install as install_saddle
from .plot_style import Look
from .presentation import PresentationMode
from .recorder import Recorder
from .region_toggles import install as install_region_toggles
from .restarts_view import install as install_restarts
from .session import REGRESSION, Session
from .shortcuts_dialog import show_shortcuts
from .status_message import forget_tooltip_with_message, show_message
from .status_readout import RatesReadout, progress_text
from .unit_heatmaps import UnitHeatmaps
from .view_docks import BuiltOnAccess, ViewDocks
from .views_area import ViewsArea

SPEEDS = {"slow motion: 2 steps/s": 2.0, "10 steps/s": 10.0, "60 steps/s": 60.0, "600 steps/s": 600.0,
          "6000 steps/s": 6000.0, "full speed": None}

# Banners under the caption, by kind: (background, text colour, border)
BANNER_COLORS = {"error": ("#fde2e1", "#7a0e0e", "#e8a3a0"), "warning": ("#fff3c4", "#4a3800", "#e0c060"),
                 "info": ("#e3effc", "#123a66", "#9cc0e8")}
TOOLBAR_FONT_SCALE = 1.15
DEFAULT_SIZE = QSize(1500, 900)  # the window's first size (later starts restore the last one)
SCENE_CHARS, SPEED_CHARS = 22, 11  # the toolbar's combo boxes show this many characters (the lists show all)


class MainWindow(QMainWindow):
    # the lecture views in closed docks (set by their install below): built when first opened or read
    restarts, saddle, ad_modes = BuiltOnAccess(), BuiltOnAccess(), BuiltOnAccess()

    def __init__(self, session: Session | None = None):
        super().__init__()
        self.session = session or Session(self)
        self.setWindowTitle(f"Neural Playground {__version__}")
        self._rates_readout = RatesReadout()
        self.look = Look(self)  # the style tokens every view reads; presentation mode scales them
        self._banners: dict[str, QLabel] = {}
        self.view_docks = ViewDocks(self)
        self.insight = None
        self._build_central()
        self._build_controls_dock()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._apply_look()
        self.look.changed.connect(self._on_look_changed)
        self._connect_session()
        self._install_features()
        self.resize(self.first_size())

    def _build_central(self) -> None:
        """The caption, the banners under it and the views of the current mode, one column."""
        self.caption = CaptionLabel()  # whole lines, at most four (a narrow window or a dock beside the plots)
        self.fit_view = FitView(self.session, look=self.look)
        self.class_plot = ClassificationPlot(self.session, look=self.look)
        self.heatmaps = UnitHeatmaps(self.session, look=self.look)
        self.loss_plot = LossPlot(self.session, look=self.look)
        self.views = ViewsArea(self.fit_view, self.class_plot, self.heatmaps, self.loss_plot, self.look)
        self.main_views = self.views.data
        central = QWidget()
        self._column = QVBoxLayout(central)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.caption)
        self._column.addWidget(self.views, 1)
        self.setCentralWidget(central)
        # Why training stopped (diverged, no points), large: the status bar is too small for the back row.
        self.stopped_banner = self.add_banner("stopped", "error")

    def _build_controls_dock(self) -> None:
        self.controls = ControlsPanel(self.session)
        dock = QDockWidget("Controls", self)
        dock.setObjectName("controls")
        dock.setWidget(self.controls)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)

    def _connect_session(self) -> None:
        s = self.session
        s.snapshot_changed.connect(self._on_session_snapshot_changed)
        s.playing_changed.connect(self._on_session_playing_changed)
        s.model_changed.connect(self._on_session_model_changed)
        s.caption_changed.connect(self._on_session_caption_changed)
        s.message.connect(self._on_session_message)
        s.settings_changed.connect(self._on_session_settings_changed)
        self.fit_view.contributions.toggled.connect(self._show_caption)
        self._on_session_caption_changed(s.caption)
        self._on_session_model_changed()

    def _install_features(self) -> None:
        """The features that plug into the window through its host API (menus, banners, docks, toolbar)."""
        self.presentation = PresentationMode(self)  # View → Presentation mode (F11)
        self.insight = install_insight(self)  # backprop inspector, hidden space, step-unit banner
        self.diagram_dock = install_diagram(self)  # View → Network diagram: shown, tabbed with the inspector
        self.region_toggles = install_region_toggles(self)  # View → Discretize output, Show test data (2-D)
        self.restarts = install_restarts(self)  # Edit ▸ Restarts…: N seeds, their final losses, best and worst
        self.saddle = install_saddle(self)  # View ▸ Saddle point: gradient descent passing θ₁² − θ₂²
        self.ad_modes = install_ad_modes(self)  # View ▸ Reverse vs forward mode: the gradient's multiplications
        self.recorder = Recorder(self)  # File → Record animation… (its menu item) and the toolbar's red dot
        self.files = FileActions(self)  # File menu: sessions, recent, CSV points, export image, last session
        self.compare = install_compare(self)  # Compare menu, compare scenes: up to 4 runs side by side

    def first_size(self) -> QSize:
        """DEFAULT_SIZE, or the screen's free area when that is smaller (a 1280×720 projector): a window
        larger than its screen hides its own plots and controls past the screen's edge."""
        screen = self.screen() or QApplication.primaryScreen()
        free = screen.availableGeometry().size() if screen is not None else DEFAULT_SIZE
        return DEFAULT_SIZE.boundedTo(free)

    # -- the host API: how features plug into the window ----------------------------------------
    def menu(self, name: str) -> QMenu:
        """The menu ``name``: "file", "edit", "view", "scenes" or "help"."""
        return {"file": self.file_menu, "edit": self.edit_menu, "view": self.view_menu,
                "scenes": self.scenes_menu, "help": self.help_menu}[name]

    def add_banner(self, name: str, kind: str = "warning", text: str = "") -> QLabel:
        """A full-width message under the caption (hidden until shown), styled by ``kind``
        ("error", "warning", "info") at the look's scale; banners stack in the order they were added."""
        banner = QLabel(text)
        banner.setObjectName(f"banner_{name}")
        banner.setWordWrap(True)
        banner.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        banner.setProperty("kind", kind)
        banner.setVisible(False)
        self._column.insertWidget(self._column.indexOf(self.views), banner)
        self._banners[name] = banner
        self._style_banner(banner)
        return banner

    def banner(self, name: str) -> QLabel:
        return self._banners[name]

    def add_dock(self, title: str, name: str, widget: QWidget, scrolls: bool = True,
                 open_at_start: bool = False) -> QDockWidget:
        """A closable view dock, hidden until opened (``open_at_start``: open with a window of 1280×720 or more);
        view docks share one tabbed area, placed by the rule of ui/view_docks.py (under the plots on a tall screen,
        beside them on a short one: the data plot stays the largest thing on screen)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if scrolls:  # a view wider than the screen (the inspector's row of buttons) scrolls, instead of
            # widening the window past a 1280 px projector; a view that fits itself to any size does not need to
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setWidget(widget)
            widget = scroll
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.view_docks.add(dock)
        if open_at_start:
            self.view_docks.open_at_start(dock)
        return dock

    @property
    def data_plots(self) -> list:
        """The plots that show (and take clicks on) the training points: the 1-D fit and the 2-D regions."""
        return [self.fit_view.plot, self.class_plot]

    @property
    def plots_widget(self) -> QWidget:
        """What "the plots" means for an export: caption, banners and every plot, no menus or controls."""
        return self.centralWidget()

    # -- building ---------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.toolbar = bar = QToolBar("Transport")
        bar.setObjectName("transport")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.play_action = QAction("▶ Play", self, toolTip="Play / pause training (Space)",
                                   shortcut=QKeySequence(Qt.Key_Space))
        self.play_action.setWhatsThis("play / pause training")
        self.play_action.triggered.connect(self.session.toggle_play)
        self.step_action = QAction("Step", self, toolTip="One training step (S or →)")
        self.step_action.setShortcuts([QKeySequence("S"), QKeySequence(Qt.Key_Right)])
        self.step_action.setWhatsThis("one training step")
        self.step_action.triggered.connect(lambda: self.session.step(1))
        self.reset_action = QAction("Reset", self, toolTip="Re-initialize the weights from the seed (R)",
                                    shortcut=QKeySequence("R"))
        self.reset_action.setWhatsThis("reset the weights from the seed (Ctrl+Z brings them back)")
        self.reset_action.triggered.connect(lambda: self.session.reset())
        for action in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Speed "))
        self.speed = ComboBox()  # the wheel over the toolbar must not change the speed or the scene
        self.speed.setSizeAdjustPolicy(ComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.speed.setMinimumContentsLength(SPEED_CHARS)
        for label, rate in SPEEDS.items():
            self.speed.addItem(label, rate)
        self.speed.setCurrentIndex(max(self.speed.findData(self.session.steps_per_second), 0))
        self.speed.setToolTip("Slow motion to explain single steps, or full speed")
        self.speed.currentIndexChanged.connect(lambda _: self.session.set_speed(self.speed.currentData()))
        bar.addWidget(self.speed)
        bar.addSeparator()
        bar.addWidget(QLabel(" Scene "))
        self.presets = ComboBox()
        # as wide as SCENE_CHARS, not as the longest title: at 1024 px the box must fit, not hide behind "»"
        self.presets.setSizeAdjustPolicy(ComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.presets.setMinimumContentsLength(SCENE_CHARS)
        self.presets.addItem("choose a lecture scene…", None)
        for key, preset in PRESETS.items():
            self.presets.addItem(preset.title, key)
            self.presets.setItemData(self.presets.count() - 1, preset.caption, Qt.ToolTipRole)
        self.presets.view().setMinimumWidth(self.presets.view().sizeHintForColumn(0) + 24)  # the list shows all
        self.presets.activated.connect(self._on_presets_activated)
        bar.addWidget(self.presets)
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.toolbar = bar  # features add to it (the recorder's red dot)

    def _build_status_bar(self) -> None:
        self.progress = QLabel()
        self.rates = QLabel()
        for label in (self.progress, self.rates):
            label.setMinimumWidth(1)  # readouts clip on a narrow screen; they must not widen the window
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.rates)
        forget_tooltip_with_message(self.statusBar())

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
        self.undo_action = self.edit_menu.addAction("&Undo", QKeySequence.Undo, s.undo)
        self.redo_action = self.edit_menu.addAction("&Redo", QKeySequence("Ctrl+Shift+Z"), s.redo)
        for signal in (s.history_changed, s.model_changed, s.points_changed):
            signal.connect(self._on_session_history_changed)
        self._on_session_history_changed()
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
            shortcut.setWhatsThis("class to draw (2-D)")
            shortcut.activated.connect(lambda k=k: s.set_current_class(k))
            self.class_shortcuts.append(shortcut)

    def _show_shortcuts(self) -> None:
        show_shortcuts(self)  # read off the actions: ui/shortcuts_dialog.py

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Neural Playground",
                          f"<h3>Neural Playground {__version__}</h3>"
                          "<p>Draw points, choose the network and the schedule, and watch every hidden unit "
                          "and the fit learn live, for the lecture <i>Feature learning, neural networks and "
                          "backpropagation</i>.</p><p>Python, PySide6, pyqtgraph and numpy.</p>")

    # -- look -------------------------------------------------------------------------------
    @Slot()
    def _on_look_changed(self) -> None:
        self._apply_look()

    def _apply_look(self) -> None:
        """The window's own text at the look's scale: caption, banners, status bar, toolbar."""
        look = self.look
        self.caption.setStyleSheet(f"{look.css('caption')} padding: 6px 10px; background: #f4f6fa; color: #1a2a44;")
        for banner in self._banners.values():
            self._style_banner(banner)
        for label in (self.progress, self.rates):
            label.setStyleSheet(f"padding: 0 8px; {look.css('status')}")
        self.statusBar().setStyleSheet(f"QStatusBar {{ {look.css('status')} }}")
        font = QFont(QApplication.font())  # presentation mode scales the application font by the same factor
        font.setPointSizeF(font.pointSizeF() * TOOLBAR_FONT_SCALE)
        self.toolbar.setFont(font)

    def _style_banner(self, banner: QLabel) -> None:
        background, color, border = BANNER_COLORS[banner.property("kind")]
        banner.setStyleSheet(f"{self.look.css('banner')} padding: 6px 10px; background: {background}; "
                             f"color: {color}; border-bottom: 1px solid {border};")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.view_docks.window_resized()  # a dock may belong elsewhere at the new size

    # -- reactions --------------------------------------------------------------------------
    @Slot(int)
    def _on_presets_activated(self, index: int) -> None:
        key = self.presets.itemData(index)
        if key:
            self._load_scene(key)

    def _load_scene(self, key: str) -> None:
        self.session.pause()
        self.session.load_preset(key)

    @Slot()
    def _show_caption(self) -> None:
        """The session's caption, with the words about the dashed lines true for the fit view's display."""
        text = self.session.caption
        if self.session.mode == REGRESSION and self.fit_view.contributions.isChecked():
            text = text.replace(UNIT_OUTPUTS, UNIT_CONTRIBUTIONS)
        self.caption.set_caption(text)

    @Slot()
    def _on_session_history_changed(self) -> None:
        self.undo_action.setEnabled(self.session.can_undo)
        self.redo_action.setEnabled(self.session.can_redo)

    @Slot(str)
    def _on_session_caption_changed(self, caption: str) -> None:
        """A scene was loaded (from here, a menu, a file or the command line): show its caption and name."""
        self._show_caption()
        self.presets.setCurrentIndex(max(self.presets.findData(self.session.preset), 0))

    @Slot()
    def _on_session_model_changed(self) -> None:
        self.views.show_mode(mode_of(self.session.mode).inputs == 1)  # 1-D: the fit plot; 2-D: the plane
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
        show_message(self.statusBar(), text, (self.progress, self.rates))  # elided, the whole text in a tooltip

    @Slot(object)
    def _on_session_snapshot_changed(self, snap) -> None:
        self.progress.setText(progress_text(snap))
        self.rates.setText(self._rates_readout.text(snap))
        if self.session.up_to_date:  # an older snapshot may predate the fix (a reset, new points)
            reason = snap.blocked_reason if not snap.playing else None
            step_banner_shown = self.insight is not None and self.insight.banner.isVisible()
            text = f"Training stopped — {reason}" if reason else (f"After the divergence: {snap.notice}"
                                                                  if snap.notice else "")
            if not snap.blocked_reason and self.statusBar().currentMessage().startswith("diverged"):
                self.statusBar().clearMessage()  # fixed (reset, resumed, new data): no stale "diverged" below
            kind = "error" if reason else "warning"  # stopped, or went on after a divergence: read this
            if self.stopped_banner.property("kind") != kind:
                self.stopped_banner.setProperty("kind", kind)
                self._style_banner(self.stopped_banner)
            self.stopped_banner.setText(text)
            self.stopped_banner.setVisible(bool(text) and not step_banner_shown)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def closeEvent(self, event) -> None:
        self.session.close()  # stop the training process before the window goes
        super().closeEvent(event)
