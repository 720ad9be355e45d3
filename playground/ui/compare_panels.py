"""Compare mode's small multiples: one panel per run, each the full data view of that run, side by side.

A panel is the window's own plot class on the run's session (``FitPlot``: the fit with its units dashed;
``ClassificationPlot``: the regions), under a header in the run's colour that says what differs ("tanh",
"seed 6"), where the run stands (step, loss, accuracy) and holds the run's ⋮ menu. A click on any panel's plot
draws for every run (``RunSession`` sends edits to the main session). The legends, the same in every panel,
are left out: the header and the window's caption say what the curves are.

One run can be enlarged (a double-click on its header, or its ⋮ menu): the area shows that panel alone, as large as
the whole grid, for the back of the hall (at 1280×720 four panels get ~150 px of plane each, one ~400 px); Esc, a
double-click or the menu again shows every run. The header, not the plot, takes the double-click: a click on the
plot draws a point.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .class_plot import POINT_SIZE, ClassificationPlot
from .compare_layout import row_shape, square_grid
from .compare_run import RUN_COLORS
from .escape_back import EscapeGoesBack
from .fit_plot import FitPlot
from .plot_style import Look
from .point_cache import PointCache
from .session import REGRESSION, Session

READOUT_MS = 250  # the headers' step and loss: four times a second is plenty to read
MIN_PLOT_PX = 120
PANEL_POINT_SCALE = 0.6  # a 2-D panel's points, of the full view's size
ENLARGE_HINT = "Double-click: this run alone, large (again, or Esc: every run)"


class FittingLabel(QLabel):
    """A one-line label that shows the longest of its texts that fits its width; the last is shown in any case.

    A panel's title gives its texts as the full title then shorter ones ending in "…"; its readout gives the
    step, loss and accuracy then the same numbers with fewer words, so a narrow panel drops words, not numbers.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._texts: tuple[str, ...] = ("",)

    def set_texts(self, *texts: str) -> None:
        if texts != self._texts:
            self._texts = texts
            self._fit()

    def full_text(self) -> str:
        return self._texts[0]

    def _fit(self) -> None:
        metrics, room = self.fontMetrics(), self.contentsRect().width() - 2
        fitting = next((t for t in self._texts if metrics.horizontalAdvance(t) <= room), None)
        if fitting is None and len(self._texts) == 1:
            fitting = metrics.elidedText(self._texts[0], Qt.ElideRight, room)  # a title: "…" at the end
        self.setText(fitting if fitting is not None else self._texts[-1])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # a new style sheet (presentation mode) changes the font
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            self._fit()


def _scatter_items(plot) -> list:
    """The plot's scatter items of training and test points, lowest first."""
    if isinstance(plot, ClassificationPlot):
        return [*plot.train_points, *plot.test_points]
    return [plot.points, plot.test_points]


class RunPanel(QWidget):
    """One run: header (swatch, what differs, step and loss, ⋮ menu) over the run's data plot."""

    header_double_clicked = Signal()

    def __init__(self, session: Session, index: int, look: Look, rgb=None, parent=None):
        super().__init__(parent)
        self.session, self.index, self.look = session, index, look
        color = QColor(*(rgb or RUN_COLORS[index % len(RUN_COLORS)])).name()
        self.label = FittingLabel()  # a long title ends in "…" before the ⋮ button, never widens the panel
        self.label.setTextFormat(Qt.PlainText)
        self.readout = FittingLabel()  # the numbers compared: a narrow panel drops words, never a number
        self.readout.setTextFormat(Qt.PlainText)
        self.menu_button = QToolButton(text="⋮", toolTip=f"Run {index + 1}: change one setting, duplicate, "
                                                         f"remove, or make it the main run")
        self.menu_button.setPopupMode(QToolButton.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self._color = color
        head = QHBoxLayout()  # what differs and the menu; where the run stands on a line of its own (never cut)
        head.setContentsMargins(6, 2, 2, 0)
        head.addWidget(self.label, 1)
        head.addWidget(self.menu_button)
        self.readout.setContentsMargins(6, 0, 2, 0)
        plot_class = FitPlot if session.mode == REGRESSION else ClassificationPlot
        self.plot = plot_class(session, self, look)
        # the legend (the same in every panel) would take a third of a small panel's height
        legend = self.plot.legend
        self.plot.plotItem.layout.removeItem(legend)
        self.plot.plotItem.vb.sigResized.disconnect(legend.fit_columns)
        legend.fit_columns = lambda *_args: None  # it would keep the plot as tall as a full-size view (8 lines)
        legend.setParentItem(None)
        self.plot.scene().removeItem(legend)  # out of the scene: the plot's own refreshes (F11) re-show it
        self.point_cache = PointCache(_scatter_items(self.plot))  # the points stand still while the run trains
        self.plot.plotItem.vb.addItem(self.point_cache, ignoreBounds=True)
        if session.mode != REGRESSION:  # after the plot's own restyle (connected first), which sets its full size
            look.changed.connect(self._size_points)
            self._size_points()
        self.plot.setMinimumSize(MIN_PLOT_PX, MIN_PLOT_PX)  # four panels fit 1280×720 in presentation mode
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(head)
        column.addWidget(self.readout)
        column.addWidget(self.plot, 1)
        self.setObjectName(f"run_panel_{index + 1}")
        self.setStyleSheet(f"#run_panel_{index + 1} {{ border-top: {max(3, round(look.size(4)))}px solid {color}; }}")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.readout.setToolTip(ENLARGE_HINT)
        self.apply_look()

    def mouseDoubleClickEvent(self, event) -> None:  # the header's labels pass theirs on; the plot keeps its own
        if event.button() == Qt.LeftButton:
            self.header_double_clicked.emit()
        super().mouseDoubleClickEvent(event)

    @Slot()
    def _size_points(self) -> None:
        """2-D points smaller than in the full view: a panel is a few hundred pixels wide, and 500 discs of the
        full view's size covered the regions there (the run's point of the comparison)."""
        for item in _scatter_items(self.plot):
            item.setSize(self.look.size(POINT_SIZE * PANEL_POINT_SCALE))

    def apply_look(self) -> None:
        css = self.look.css("header")
        self.label.setStyleSheet(f"{css} color: {self._color}; font-weight: bold;")
        self.readout.setStyleSheet(f"{self.look.css('status')} color: #333;")
        self.menu_button.setStyleSheet(f"QToolButton {{ {css} padding: 0 10px; }} "
                                       "QToolButton::menu-indicator { image: none; }")

    def set_label(self, text: str) -> None:
        self.label.set_texts(f"{self.index + 1}. {text}")
        self.label.setToolTip(f"{text}\n{ENLARGE_HINT}")

    def show_readout(self) -> None:
        snap = self.session.snapshot
        if snap is None:
            return
        m = snap.metrics
        loss = "—" if m.train_loss is None or not math.isfinite(m.train_loss) else f"{m.train_loss:.3g}"
        numbers = [f"loss {loss}"]
        if m.test_loss is not None and math.isfinite(m.test_loss):
            numbers.append(f"test {m.test_loss:.3g}")
        if m.train_accuracy is not None:
            numbers.append(f"{100 * m.train_accuracy:.0f}%")
        stopped = [" · stopped"] if snap.blocked_reason else [""]
        bare = [n.split(" ")[-1] for n in numbers]  # the numbers without their words: the last resort
        self.readout.set_texts(f"step {snap.step:,} · {' · '.join(numbers)}{stopped[0]}",
                               f"{snap.step:,} · {' · '.join(numbers)}{stopped[0]}",
                               f"{' · '.join(numbers)}{stopped[0]}", " · ".join(numbers), " · ".join(bare))
        self.readout.setToolTip(snap.blocked_reason or ENLARGE_HINT)


class ComparePanels(QWidget):
    """The runs' panels in a grid: 1-D fits in a row of up to 3 (2 × 2 for 4), 2-D regions in the grid that draws
    them largest in this widget's size (``compare_layout``); or one run enlarged alone."""

    enlarged_changed = Signal()

    def __init__(self, runs, look: Look, make_menu, parent=None):
        super().__init__(parent)
        self.runs, self.look, self.make_menu = runs, look, make_menu
        self.panels: list[RunPanel] = []
        self.enlarged = None  # the session of the run shown alone, or None: every run (kept by run, not by index,
                              # so a duplicate or removal of another run keeps it)
        self._escape = EscapeGoesBack(self, lambda: self.enlarge(None))
        self._built_for: tuple = ()
        self.shape: tuple[int, int] = (1, 1)  # (rows, columns) the panels stand in
        self._minimum = QSize(0, 0)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setSpacing(6)
        # The grid must not set this widget's minimum size: a new grid would resize the area that chose it.
        self.grid.setSizeConstraint(QLayout.SetNoConstraint)
        self.setAutoFillBackground(True)
        self._readouts = QTimer(self, interval=READOUT_MS)
        self._readouts.timeout.connect(self._on_readouts_timeout)
        runs.runs_changed.connect(self._on_runs_changed)
        look.changed.connect(self._on_look_changed)

    def _on_runs_changed(self) -> None:
        sessions = self.runs.runs if self.runs.active else []
        if self.enlarged is not None and not any(s is self.enlarged for s in sessions):
            self.enlarged = None  # its run was removed, or compare mode ended: every run again
            self._escape.watch(False)
            self.enlarged_changed.emit()
        key = (tuple(id(s) for s in sessions), tuple(s.mode for s in sessions), tuple(self.runs.colours))
        if key != self._built_for:
            self._built_for = key
            self._rebuild(sessions)
        for panel, label in zip(self.panels, self.runs.labels):
            panel.set_label(label)
        self._readouts.start() if self.panels else self._readouts.stop()

    def _rebuild(self, sessions) -> None:
        for panel in self.panels:
            self.grid.removeWidget(panel)
            panel.hide()  # now: a deferred delete waits for an event loop (a headless export has none running)
            panel.setParent(None)
            panel.deleteLater()
        self.panels = [RunPanel(session, i, self.look, rgb, self)
                       for i, (session, rgb) in enumerate(zip(sessions, self.runs.colours))]
        for panel in self.panels:
            panel.menu_button.setMenu(self.make_menu(panel.index, panel.menu_button))
            panel.header_double_clicked.connect(lambda session=panel.session: self.toggle_enlarged(session))
        self._update_minimum()
        self._place(self._best_shape())
        QTimer.singleShot(0, self._choose_shape)  # once laid out, with the panels' measured axes and headers

    # -- one run enlarged ---------------------------------------------------------------------
    def enlarge(self, session) -> None:
        """Show run ``session``'s panel alone, as large as the grid (None: every run)."""
        if session is self.enlarged:
            return
        self.enlarged = session
        self._escape.watch(session is not None)
        if self.panels:
            self._place(self._best_shape())
            QTimer.singleShot(0, self._choose_shape)
        self.enlarged_changed.emit()

    def toggle_enlarged(self, session) -> None:
        self.enlarge(None if session is self.enlarged else session)

    @property
    def shown(self) -> list[RunPanel]:
        """The panels on screen: the enlarged run's, or all."""
        alone = [p for p in self.panels if p.session is self.enlarged]
        return alone or self.panels

    # -- the grid -----------------------------------------------------------------------------
    def minimumSizeHint(self) -> QSize:
        return self._minimum

    def _update_minimum(self) -> None:
        """The row's minimum (``row_shape``) whatever grid the panels stand in, so the grid never changes it."""
        if not self.panels:
            minimum = QSize(0, 0)
        else:
            rows, columns = row_shape(len(self.panels))
            one = self.panels[0].minimumSizeHint()
            margins, gap = self.grid.contentsMargins(), self.grid.spacing()
            minimum = QSize(columns * one.width() + (columns - 1) * gap + margins.left() + margins.right(),
                            rows * one.height() + (rows - 1) * gap + margins.top() + margins.bottom())
        if minimum != self._minimum:
            self._minimum = minimum
            self.updateGeometry()

    def _fixed_parts(self) -> tuple[float, float]:
        """A panel's width and height beyond its plot's data area (axes, header), measured once laid out."""
        panel = self.panels[0]
        box = panel.plot.plotItem.vb.size()
        if box.width() > 0 and box.height() > 0 and panel.width() > box.width():
            return panel.width() - box.width(), panel.height() - box.height()
        header = panel.label.sizeHint().height() + panel.readout.sizeHint().height()
        return 60 * self.look.scale, header + 45 * self.look.scale  # before the first layout: an estimate

    def _best_shape(self) -> tuple[int, int]:
        n = len(self.shown)
        if n == 0 or self.panels[0].session.mode == REGRESSION:
            return row_shape(max(n, 1))
        margins = self.grid.contentsMargins()
        size = (self.width() - margins.left() - margins.right(), self.height() - margins.top() - margins.bottom())
        return square_grid(n, size, self._fixed_parts(), self.grid.spacing(), current=self.shape)

    @Slot()
    def _choose_shape(self) -> None:
        if self.panels and self._best_shape() != self.shape:
            self._place(self._best_shape())

    def _place(self, shape: tuple[int, int]) -> None:
        self.shape = rows, columns = shape
        for panel in self.panels:
            self.grid.removeWidget(panel)
        shown = self.shown
        for panel in self.panels:
            panel.setVisible(panel in shown)
        for i, panel in enumerate(shown):
            self.grid.addWidget(panel, i // columns, i % columns)
        for r in range(4):
            self.grid.setRowStretch(r, 1 if r < rows else 0)
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._choose_shape()

    @Slot()
    def _on_look_changed(self) -> None:
        for panel in self.panels:
            panel.apply_look()
        self._update_minimum()
        QTimer.singleShot(0, self._choose_shape)  # new fonts: new axes and headers

    @Slot()
    def _on_readouts_timeout(self) -> None:
        for panel in self.panels:
            panel.show_readout()
