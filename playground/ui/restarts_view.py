"""Restarts: N seeds of the main run's setup, the spread of their final losses, the best and the worst fit.

The lecture: "What if we converge to a bad local minimum? — Rerun with a different initialization".
Edit ▸ Restarts… opens this view and trains N seeds (default 20) of the current network, settings and
points as one stacked computation on a background thread (restarts_job.py); a progress bar and Cancel
while it runs. Then a strip shows every seed's final loss on a log scale (best green, worst red) next
to the fits of the best and the worst seed. Clicking a dot resets the main run to that seed
(``Session.reset(seed)``), so Play shows that seed's run live.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ..engine import Network
from .restarts_job import RestartsJob, RestartsResult, RestartsSetup
from .restarts_plots import BEST_GREEN, WORST_RED, LossStrip, SeedPanel
from .view_docks import LazyView, open_action

DEFAULT_SEEDS = 20
MAX_SEEDS = 200
DEFAULT_STEPS = 10_000
MAX_STEPS = 200_000
LECTURE_WORDS = "What if we converge to a bad local minimum? Rerun with a different initialization."  # the slide
PROGRESS_WIDTH = 420  # px: wider says nothing more
MIN_PLOT_HEIGHT = 110  # px: the strip and the two panels stay readable in a dock at 1280×720


def _hex(rgb) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _loss_text(loss: float) -> str:
    return "diverged" if not np.isfinite(loss) else f"{loss:.1e}"


class RestartsView(QWidget):
    """The controls row (seeds, steps, Run, progress, Cancel), the lecture's words, the strip and two panels."""

    result_shown = Signal()  # a finished run's numbers are on screen

    def __init__(self, session, look, parent=None):
        super().__init__(parent)
        self.session, self.look = session, look
        self.result: RestartsResult | None = None
        self.trained_on = ""  # the title of the scene the shown (or running) restarts were trained on
        self._cleared = ""    # why a running job was cancelled by a scene change, said when it stops
        self.job = RestartsJob(self)
        row, progress_row = self._build_controls()
        plots = self._build_plots()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        column.addLayout(row)
        column.addLayout(progress_row)
        column.addWidget(self.summary)
        column.addLayout(plots, 1)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.job.cancel)
        self.job.progressed.connect(self._on_job_progressed)
        self.job.finished.connect(self._on_job_finished)
        self.job.failed.connect(self._on_job_failed)
        self.job.cancelled.connect(self._on_job_cancelled)
        self.strip.seed_clicked.connect(self._on_strip_seed_clicked)
        session.settings_changed.connect(self._on_session_settings_changed)
        # another scene (or file, or the points cleared): results trained on the old one would pass for this one's
        session.scene_replaced.connect(self._on_session_scene_replaced)
        session.caption_changed.connect(self._on_session_caption_changed)
        look.changed.connect(self._apply_look)
        self._apply_look()

    def _build_controls(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The row of seeds, steps, Run and Cancel; the progress bar's row; the summary under them."""
        self.seeds = QSpinBox(minimum=1, maximum=MAX_SEEDS, value=DEFAULT_SEEDS, prefix="seeds: ")
        self.seeds.setToolTip("How many seeds (initializations) to train: 0, 1, …, N − 1")
        self.steps = QSpinBox(minimum=1, maximum=MAX_STEPS, value=DEFAULT_STEPS, singleStep=1000,
                              prefix="steps: ", groupSeparatorShown=True)
        self.steps.setToolTip("Training steps per seed, with the main run's optimizer, rate and batch size")
        self.run_button = QPushButton("Run restarts")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m steps")
        self.progress.setValue(0)
        self.summary = QLabel()  # the lecture's words, then what was trained and what came out
        self.summary.setWordWrap(True)
        self._say("Train N seeds of the current run on the current points.")
        row = QHBoxLayout()
        for widget in (self.seeds, self.steps, self.run_button, self.cancel_button):
            row.addWidget(widget)
        row.addStretch(1)
        # the progress on a line of its own: beside the buttons in a dock beside the plots (1280×720) it had
        # ~100 px and its "2,000 / 2,000 steps" wrapped and was cut
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        self.progress.setMaximumWidth(PROGRESS_WIDTH)
        progress_row.addStretch(0)
        return row, progress_row

    def _build_plots(self) -> QHBoxLayout:
        """The strip of every seed's final loss, then the best and the worst seed's panels."""
        self.strip = LossStrip(self.look)
        self.best_panel, self.worst_panel = SeedPanel(self.look), SeedPanel(self.look)
        plots = QHBoxLayout()
        plots.addWidget(self.strip, 2)
        plots.addWidget(self.best_panel, 3)
        plots.addWidget(self.worst_panel, 3)
        for plot in (self.strip, self.best_panel, self.worst_panel):
            plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        return plots

    def _scene_title(self) -> str:
        """The scene's name as its caption starts ("Two circles"), or the caption if it has no " — "."""
        return self.session.caption.split(" — ")[0].strip()

    def setup(self) -> RestartsSetup:
        """The main run as it is now: its layer sizes, activation, settings and points; seeds 0 … N − 1."""
        s = self.session
        return RestartsSetup(tuple(s.layer_sizes), s.activation, s.settings, s.points.X.copy(), s.points.y.copy(),
                             tuple(range(self.seeds.value())), self.steps.value(), s.scene.feature_map())

    @Slot()
    def start(self) -> None:
        setup = self.setup()
        self.progress.setRange(0, setup.steps)
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.trained_on, self._cleared = self._scene_title(), ""
        self._say(f"Training {len(setup.seeds)} seeds × {setup.steps:,} steps of "
                             f"{self._describe(setup)} (all seeds in one stacked computation)…")
        self.job.start(setup)

    @staticmethod
    def _describe(setup: RestartsSetup) -> str:
        hidden = " × ".join(str(m) for m in setup.layer_sizes[1:-1]) or "no hidden"
        s = setup.settings
        return f"{hidden} {setup.activation} units, {s.optimizer} at {s.learning_rate:g}, {len(setup.X)} points"

    def _say(self, text: str, details: str = "") -> None:
        """The lecture's words, then ``text``; the tooltip holds ``text`` and ``details`` in plain words."""
        self.summary.setText(f"<i style='color:#123a66'>{LECTURE_WORDS}</i>&nbsp; {text}")
        self.summary.setToolTip(f"{text}\n{details}" if details else text)

    def _finish(self, text: str, details: str = "") -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._say(text, details)

    @Slot(int, int)
    def _on_job_progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)

    @Slot(str)
    def _on_job_failed(self, reason: str) -> None:
        self._finish(f"Restarts could not train: {reason}")

    @Slot()
    def _on_job_cancelled(self) -> None:
        self._finish(self._cleared or "Restarts cancelled.")
        self._cleared = ""

    @Slot(object)
    def _on_job_finished(self, result: RestartsResult) -> None:
        self.result = result
        setup, losses = result.setup, result.losses
        best, worst = result.best, result.worst
        if not np.isfinite(losses).any():  # nothing to rank or draw: say why, as the main run would
            self.strip.show_losses(setup.seeds, losses, best, worst)
            self._finish(f"every one of the {len(setup.seeds)} seeds diverged ({result.diverged[0]}).",
                         f"{len(setup.seeds)} seeds × {setup.steps:,} steps of {self._describe(setup)}")
            self.result_shown.emit()
            return
        self.strip.show_losses(setup.seeds, losses, best, worst)
        self.strip.mark_current(self.session.seed)
        for panel, row, word, color in ((self.best_panel, best, "best", BEST_GREEN),
                                        (self.worst_panel, worst, "worst", WORST_RED)):
            network = Network(setup.layer_sizes, setup.activation)
            network.parameters[...] = result.parameters[row]
            panel.show_network(network, setup.X, setup.y, setup.features)
            panel.set_title(f"<span style='color:{_hex(color)}'>●</span> {word}: seed {setup.seeds[row]}<br>"
                            f"loss {_loss_text(losses[row])}")  # two lines: one was cut in a narrow panel
        diverged = sum(reason is not None for reason in result.diverged)
        self._finish(f"{len(setup.seeds)} seeds: final loss {_loss_text(losses[best])} to {_loss_text(losses[worst])}"
                     + (f" ({diverged} diverged)" if diverged else "")
                     + ". Ringed: the main run's seed; click a dot to train that seed live.",
                     f"{len(setup.seeds)} seeds × {setup.steps:,} steps of {self._describe(setup)}")
        self.result_shown.emit()

    @Slot(int)
    def _on_strip_seed_clicked(self, seed: int) -> None:
        self.session.pause()
        self.session.reset(seed)  # Ctrl+Z brings the run that was there back
        self.session.message.emit(f"the main run now starts from seed {seed}: press Play to watch it train")

    @Slot()
    def _on_session_settings_changed(self) -> None:
        if self.result is not None:
            self.strip.mark_current(self.session.seed)

    @Slot()
    def _on_session_scene_replaced(self) -> None:
        title = self._scene_title()
        if title != self.trained_on:
            self.clear(f"Restarts of the previous scene ({self.trained_on}) were cleared.")
        else:
            self.clear(f"Restarts were cleared: the points of {title} they were trained on were replaced.")

    @Slot(str)
    def _on_session_caption_changed(self, _caption: str) -> None:
        if self._scene_title() != self.trained_on:  # an opened file says its scene here, not by scene_replaced
            self.clear(f"Restarts of the previous scene ({self.trained_on}) were cleared.")

    @property
    def running(self) -> bool:
        """A run was started and has not finished, failed or been cancelled (Cancel is offered)."""
        return self.cancel_button.isEnabled()

    def clear(self, why: str) -> None:
        """Drop the results (and stop a run) of a setup that is gone; ``why`` says so in the summary."""
        if not self.trained_on:  # nothing shown or running (set by start, dropped here): nothing stale
            return
        self.result, self.trained_on = None, ""
        self.strip.show_losses([], np.zeros(0), -1, -1)
        self.strip.mark_current(-1)
        for panel in (self.best_panel, self.worst_panel):
            panel.clear_picture()
        self.progress.setValue(0)
        text = f"{why} Edit ▸ Restarts… (Ctrl+T) trains this scene's."
        if self.running:
            self._cleared = text
            self.job.cancel()
        else:
            self._say(text)

    @Slot()
    def _apply_look(self) -> None:
        css = self.look.css("legend")
        for widget in (self.seeds, self.steps, self.run_button, self.cancel_button, self.progress, self.summary):
            widget.setStyleSheet(css)
        for plot in (self.strip, self.best_panel, self.worst_panel):
            plot.apply_look()


def install(window) -> LazyView:
    """Edit ▸ Restarts… (next to Reset): opens the view as a view dock and starts a run of the current setup. The
    view is built when first shown (with nothing trained, it has nothing to clear when the scene changes)."""
    def build() -> RestartsView:
        view = RestartsView(window.session, window.look)
        view.dock, view.action = dock, action
        return view
    lazy = LazyView(build)
    dock = window.add_dock("Restarts", "restarts", lazy, scrolls=False)
    action = window.menu("edit").addAction("Res&tarts: train N seeds…")
    action.setShortcut(QKeySequence("Ctrl+T"))
    action.setToolTip("Train N seeds of this run together; the spread of their final losses, the best and worst fit")

    def open_and_run() -> None:
        dock.show()
        dock.raise_()
        lazy.view.start()
    action.triggered.connect(open_and_run)
    window.addAction(action)  # Ctrl+T works in presentation mode too, where the menu bar is hidden
    shown = open_action(dock, "&Restarts", tip="Show or hide the last restarts (Edit ▸ Restarts… trains new ones)")
    window.menu("view").addAction(shown)
    return lazy
