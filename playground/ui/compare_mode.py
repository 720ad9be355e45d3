"""Compare mode in the window: installs the runs, their panels, the overlaid loss curves and the menus.

While compare mode is on, the panels take the data plot's place (a page of ``window.main_views``), Play / Step /
Reset act on every run (the window's own actions, followed), and the Scenes menu opens each lecture contrast of
``data.compare_scenes`` in one click. The controls keep acting on run 1 (the main session); every run has its own
⋮ menu for the setting that makes it differ. The network diagram draws run 1 alone, so it steps aside while the runs
are shown (it took half of a 1920×1080 window from them) and comes back when they go; View ▸ Network diagram
still opens it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QMenu

from ..data.compare_scenes import COMPARE_SCENES
from ..worker.protocol import ViewSpec
from .compare_align import PauseAlignment
from .compare_budget import StepBudget
from .compare_loss import CompareLossOverlay
from .compare_menus import build_compare_menu, run_menu
from .compare_panels import ComparePanels
from .compare_runs import CompareRuns

# Marks a compare scene in the Scenes menu: two panels side by side. DejaVu Sans (Debian's default) has it; "⧉"
# (U+29C9) is in none of the fonts a Debian install ships and drew as a missing-glyph box.
COMPARE_MARK = "◫"


class CompareMode(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.runs = CompareRuns(window.session, self)
        self.panels = ComparePanels(self.runs, window.look,
                                    lambda i, parent: run_menu(self.runs, i, parent, self.panels))
        self.loss_overlay = CompareLossOverlay(window.loss_plot, self.runs, self)
        self.budget = StepBudget(self.runs, self)
        self.alignment = PauseAlignment(self.runs, self)  # paused runs stand at one step
        self.diagram_was_open = False  # the diagram's dock was open when the runs were shown: open it when they go
        window.main_views.addWidget(self.panels)
        self.menu = window.menuBar().insertMenu(window.menu("help").menuAction(), QMenu("&Compare", window))
        build_compare_menu(self.runs, self.menu.menu())
        self._add_scenes(window.menu("scenes"))
        window.play_action.triggered.connect(self._on_play_triggered)
        window.step_action.triggered.connect(lambda: self.runs.follow_transport(step=1))
        window.reset_action.triggered.connect(lambda: self.runs.follow_transport(reset=True))
        self.runs.runs_changed.connect(self._on_runs_changed)
        window.session.model_changed.connect(self._on_runs_changed)  # after the window shows the mode's plot
        window.installEventFilter(self)  # the other runs' workers stop with the window, as the main one does

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Close:
            # this filter runs before the last session's (installed earlier): save every run before they stop
            self.window.files.last_session.finish()
            self.runs.leave()
        return False

    @Slot()
    def _on_play_triggered(self) -> None:
        playing = self.window.session.playing
        self.runs.follow_transport(play=playing)
        if not playing:
            self.alignment.paused()

    def _add_scenes(self, menu) -> None:
        menu.addSection("Compare side by side")
        for scene in COMPARE_SCENES.values():
            action = menu.addAction(f"{COMPARE_MARK} {scene.title}", lambda scene=scene: self.open_scene(scene.key))
            action.setToolTip(scene.caption)
        menu.setToolTipsVisible(True)

    def open_scene(self, key: str) -> None:
        """Compare mode on the lecture contrast ``key`` (from the Scenes menu or ``playground --preset``)."""
        self.window.session.pause()
        self.runs.open_scene(COMPARE_SCENES[key])

    @property
    def active(self) -> bool:
        return self.runs.active

    @Slot()
    def _on_runs_changed(self) -> None:
        views = self.window.main_views
        if self.runs.active:
            if views.currentWidget() is not self.panels:
                self._park_diagram()
            views.setCurrentWidget(self.panels)
            self.window.heatmaps.setVisible(False)  # run 1's units only: the loss plot takes the column
            main = self.window.session
            if main.view.unit_maps is not False:  # the panels show the regions only: no unit maps to send
                main.set_view(replace(main.view, unit_maps=False))
            self.window.views.share_space()
        elif views.currentWidget() is self.panels:
            self.window.views.show_mode(self.window.session.mode == "regression")
            (x0, x1), (y0, y1) = self.window.class_plot.viewRange()  # run 1's panel had asked for its own extent
            self.window.session.set_view(ViewSpec(extent=(x0, x1, y0, y1), unit_maps=True))
        if not self.runs.active and self.diagram_was_open:  # (a new scene may have shown its plot already)
            self.window.diagram_dock.show()
            self.diagram_was_open = False

    def _park_diagram(self) -> None:
        dock = self.window.diagram_dock
        self.diagram_was_open = not dock.isHidden()
        dock.hide()


def install(window) -> CompareMode:
    return CompareMode(window)
