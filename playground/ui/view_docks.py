"""Where the view docks (inspector, hidden space, network diagram) go, and how large they are.

The rule: the data plot stays the largest thing on screen, and a dock's view never scrolls because
the dock is too short for it. A dock goes under the plots only when ``BOTTOM_SHARE`` of the
height holds its content whole (a 1920×1080 screen); on a shorter screen (1280×720, presentation
mode or not, and smaller) it goes to the right of the plots, where it takes the full height and gives
the data plot all the height it had: there it is at most as wide as the data plot is tall (by area, it
never outgrows the data plot), and the side column (heatmaps, loss) gives way first. A dock on the right
stacks its view's side-by-side parts (plot | table, graph | check) one above the other.
Every view dock shares one tabbed area.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from .views_area import DATA_SHARE_1D

BOTTOM_SHARE = 0.40  # a view dock under the plots takes at most this share of their height
RIGHT_SHARE = 0.45   # a view dock right of the plots takes at most this share of their width (with the side column
                     # at its minimum the data plot keeps about as much: 2-D 0.58 × the rest)
USEFUL_HEIGHT = 240  # px: a view dock under the plots is at least this tall (a diagram's tiles, a graph's layer), or
                     # it goes beside them: a view that fits itself to any size is no use as a 130 px strip
LEGIBLE_FROM = QSize(1280, 720)  # a window this large opens with the docks asked to open at start
SEPARATOR = 6        # px between the central area and a dock area (the handle a user drags)


def content(dock: QDockWidget) -> QWidget:
    """The dock's view (inside its scroll area if it scrolls, or its ``LazyView`` once built)."""
    widget = dock.widget()
    widget = widget.widget() if isinstance(widget, QScrollArea) else widget
    return widget.built if isinstance(widget, LazyView) and widget.built is not None else widget


class LazyView(QWidget):
    """Holds a dock's place for a view that is costly to build and that most windows never open (the lecture's
    slides: saddle point, restarts, reverse vs forward mode; together they were a third of a window's start):
    ``build()`` makes the view the first time the dock shows it (before the dock is placed by its size) or someone
    asks for ``view``. The view fills this widget edge to edge, so it looks as it would in the dock itself."""

    def __init__(self, build: Callable[[], QWidget], parent=None):
        super().__init__(parent)
        self._build = build
        self.built: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def view(self) -> QWidget:
        return self.built if self.built is not None else self._build_view()

    def _build_view(self) -> QWidget:
        self.built = self._build()
        self.layout().addWidget(self.built)
        if self.isVisible():  # shown now, not when the layout gets to it: the dock's placement reads its minimum size
            self.built.show()
        return self.built

    def showEvent(self, event) -> None:
        if self.built is None:  # the dock's visibilityChanged, which places it by its view's size, comes after this
            self._build_view()
        super().showEvent(event)


class BuiltOnAccess:
    """A window attribute set to a ``LazyView`` that reads as its view (built then): ``window.saddle`` is the saddle
    view wherever it is used, while a window that never opens it never builds it."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = f"_{name}_lazy"

    def __get__(self, window, owner=None):
        return self if window is None else getattr(window, self.slot).view

    def __set__(self, window, lazy: LazyView) -> None:
        setattr(window, self.slot, lazy)


def open_action(dock: QDockWidget, text: str, shortcut: str | None = None, tip: str = "") -> QAction:
    """The View menu entry of ``dock``, checked while it is open. Unlike Qt's toggleViewAction it brings the dock to
    the front when it is open behind another tab (the views share one tabbed area, and at 1280×720 that area is
    the controls' column): choosing a view shows it, and only closes it when it is what is shown."""
    action = QAction(text, dock, checkable=True, toolTip=tip)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))

    def show_or_close() -> None:
        if dock.isHidden() or dock.visibleRegion().isEmpty():  # closed, or open behind another tab (which Qt
            # may still call visible: its region on screen is what tells)
            dock.show()
            dock.raise_()
        else:
            dock.close()
        action.setChecked(not dock.isHidden())
    action.triggered.connect(show_or_close)
    dock.visibilityChanged.connect(lambda _visible: action.setChecked(not dock.isHidden()))
    action.setChecked(not dock.isHidden())
    return action


class ViewDocks(QObject):
    """The view docks of one main window, placed by the rule above."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.docks: list[QDockWidget] = []
        self._moving = False
        self._controls_first = False  # a dock opened at start joins the controls' column behind them
        self.current: QDockWidget | None = None  # the one last opened: its tab stays in front when the docks move
        self._placing = QTimer(self, singleShot=True, interval=0)  # after the layouts settle
        self._placing.timeout.connect(self.place)
        window.setTabPosition(Qt.AllDockWidgetAreas, QTabWidget.North)  # a dock's tabs above it, where eyes look
        # the controls keep the window's whole height: a dock under the plots is as wide as the plots, not the window
        window.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)

    def add(self, dock: QDockWidget) -> None:
        self.window.addDockWidget(Qt.BottomDockWidgetArea, dock)  # placed by the rule when it opens
        if self.docks:
            self.window.tabifyDockWidget(self.docks[0], dock)
        self.docks.append(dock)
        dock.hide()
        dock.visibilityChanged.connect(lambda visible, d=dock: self._on_dock_visibility_changed(d, visible))
        dock.topLevelChanged.connect(lambda _floating: self._placing.start())

    def open_at_start(self, dock: QDockWidget) -> None:
        """Open ``dock`` with the window when its first size is a projector's or more (``LEGIBLE_FROM``): under
        the plots on a tall screen, beside them on a short one (there the controls stay in front, the dock a tab
        beside them). A layout saved by an earlier run, restored later, wins."""
        size = self.window.first_size()
        if size.width() >= LEGIBLE_FROM.width() and size.height() >= LEGIBLE_FROM.height():
            self._controls_first = True
            dock.show()

    @property
    def shown(self) -> list[QDockWidget]:
        return [d for d in self.docks if d.isVisible() and not d.isFloating()]

    def _on_dock_visibility_changed(self, dock: QDockWidget, visible: bool) -> None:
        if visible:
            self.current = dock
            if not self._moving and self.window.isVisible() and dock in self.shown:
                self._moving = True  # (moving it shows it again)
                try:
                    self.move()
                finally:
                    self._moving = False
        self._placing.start()  # sized after it is laid out

    def window_resized(self) -> None:
        if self.shown:
            self._placing.start()

    # -- the rule ----------------------------------------------------------------------------
    def plots_height(self) -> int:
        """The height the plots and a bottom dock share (the central area, plus a bottom dock if open)."""
        w = self.window
        bottom = [d.height() + SEPARATOR for d in self.shown if w.dockWidgetArea(d) == Qt.BottomDockWidgetArea]
        return w.centralWidget().height() + (max(bottom) if bottom else 0)

    def plots_width(self) -> int:
        """The width the plots and a right dock share."""
        w = self.window
        right = [d.width() + SEPARATOR for d in self.shown if w.dockWidgetArea(d) == Qt.RightDockWidgetArea]
        return w.centralWidget().width() + (max(right) if right else 0)

    def needed_height(self, dock: QDockWidget) -> int:
        """The dock's height under the plots with its view whole: the view's minimum with its parts side by side
        (as they are under the plots), and the dock's title bar."""
        title = dock.style().pixelMetric(dock.style().PixelMetric.PM_TitleBarHeight) + 8
        view = content(dock)
        tall = any(s.orientation() == Qt.Vertical for s in view.findChildren(QSplitter, options=Qt.FindDirectChildrenOnly))
        stack_parts(view, False)
        height = view.minimumSizeHint().height()
        stack_parts(view, tall)
        return max(height, USEFUL_HEIGHT) + title

    @property
    def controls(self) -> QDockWidget | None:
        """The controls' dock when it is open in the left column (not floating, not tucked away)."""
        dock = self.window.findChild(QDockWidget, "controls")
        left = dock is not None and self.window.dockWidgetArea(dock) == Qt.LeftDockWidgetArea
        return dock if left and not dock.isFloating() and dock.isVisible() else None

    def area(self, dock: QDockWidget) -> Qt.DockWidgetArea:
        needed = max([self.needed_height(d) for d in (self.shown or [dock])])
        if BOTTOM_SHARE * self.plots_height() >= needed:
            return Qt.BottomDockWidgetArea
        # a short screen: beside the plots, which keep their whole height. With the controls open the dock shares
        # their column (a tab each: the plots keep all their width too); without them, right of the plots
        return Qt.LeftDockWidgetArea if self.controls is not None else Qt.RightDockWidgetArea

    def right_width(self) -> int:
        """A right dock's width: what the data plot and the side column's minimum leave, or its view's minimum width
        if that is more, and never more than ``RIGHT_SHARE`` of the plots' width (a wider view scrolls)."""
        views = self.window.views
        total = self.plots_width()
        data = views.data_width_for(total, views.height())
        side = views.side.minimumSizeHint().width() + SEPARATOR
        least = max(content(d).minimumSizeHint().width() for d in self.shown)
        most = RIGHT_SHARE * total
        if views.regression:  # the 1-D fit takes a share of the width the dock leaves: no wider than the fit
            most = min(most, DATA_SHARE_1D / (1 + DATA_SHARE_1D) * total)
        return int(min(max(least, total - data - side), most))

    def place(self) -> None:
        """Move the open view docks to the area the rule gives, lay their views out for its shape, size them."""
        shown = self.shown
        if not shown:
            return
        w = self.window
        w.layout().activate()  # the sizes measured below are the laid-out ones (a view built as its dock opened)
        area = self.move()
        tall = area != Qt.BottomDockWidgetArea
        for dock in self.docks:
            stack_parts(content(dock), tall)
        if area == Qt.RightDockWidgetArea:
            w.resizeDocks([shown[0]], [self.right_width()], Qt.Horizontal)
        elif area == Qt.BottomDockWidgetArea:
            w.resizeDocks([shown[0]], [int(BOTTOM_SHARE * self.plots_height())], Qt.Vertical)
        self._keep_within_screen()

    def _keep_within_screen(self) -> None:
        """Back within the screen's height: a dock on its way to its place can grow the window for a moment (it
        opens under the plots first), and Qt never shrinks it again (at 1024×640 the window became 676 px tall,
        its status bar off the screen). Only a window that fits its screen's width, i.e. one meant to fit it."""
        w, screen = self.window, self.window.screen()
        if screen is None or w.windowState() & (Qt.WindowFullScreen | Qt.WindowMaximized):
            return
        free = screen.availableGeometry().size()
        if w.width() <= free.width() and w.height() > free.height() >= w.minimumSizeHint().height():
            w.resize(w.width(), free.height())

    def move(self) -> Qt.DockWidgetArea:
        """The open view docks into the rule's area (done as a dock opens: a view that moves after it was shown is
        hidden and shown again, and stops what it was doing); returns the area."""
        shown = self.shown
        w = self.window
        area = self.area(shown[0])
        if w.dockWidgetArea(shown[0]) != area:
            first = self.controls if area == Qt.LeftDockWidgetArea else None
            for dock in self.docks:
                if not dock.isFloating():
                    if first is None:
                        w.addDockWidget(area, dock)
                        first = dock
                    else:
                        w.tabifyDockWidget(first, dock)
            if self._controls_first and self.controls is not None:  # at start, the controls in front
                self.controls.raise_()
            elif self.current in shown:  # re-adding puts the last one added in front: the one the user opened stays
                self.current.raise_()
        self._controls_first = False
        return area


def stack_parts(view: QWidget, tall: bool) -> None:
    """A view's own side-by-side parts (its top-level splitters) one above the other in a tall dock."""
    orientation = Qt.Vertical if tall else Qt.Horizontal
    for splitter in view.findChildren(QSplitter, options=Qt.FindDirectChildrenOnly):
        splitter.setOrientation(orientation)
