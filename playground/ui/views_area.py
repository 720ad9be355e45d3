"""The plots under the caption: the data plot on the left, the hidden units and the loss beside it.

Laid out for the projector sizes first (1280x720 and 1920x1080, in presentation mode too), then
down to 1024x640: the data plot is the largest thing; its view keeps ``plot_style.MIN_VIEW_LINES`` of
height whatever its legend takes, and ``MIN_DATA_WIDTH_LINES`` of width; the side column holds the unit
heatmaps (2-D) above the loss and η plots, each with a minimum of its own. The
2-D data plot keeps equal axes, so it is given about as much width as it is tall and the rest
goes to the side column; in 1-D it takes ``DATA_SHARE_1D`` of the width. A user's drag of the
split handle wins until the next mode change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QSizePolicy, QSplitter, QStackedWidget

MIN_DATA_WIDTH_LINES = 15    # the data plot's minimum width in lines of tick text
DATA_SHARE_1D = 0.58         # of the width, for the 1-D fit
DATA_SHARE_2D = (0.40, 0.58)  # the 2-D plot's share of the width lies within these
# Compare mode's page of several runs' panels: the runs are the point. Its share of the width is the first; in
# presentation mode (no controls, a wide and short area where the runs stand in a row) up to the second while the loss
# and η column keeps SIDE_PANELS_LINES lines of tick text of width (at 1280×720 three 2-D runs in a row: 168 → 196 px
# of plane, the loss column 460 → 377 px; in normal mode the grid is 2 × 2 and its height the limit, so more width
# would only show more empty plane). From the area's width and the look only: the panels' grid (chosen from their
# size) never resizes them.
DATA_SHARE_PANELS = (0.64, 0.74)
SIDE_PANELS_LINES = 18
HEATMAP_SHARE = (0.5, 0.66)  # of the side column's height, for the unit heatmaps (2-D): the first, and in presentation
                             # mode up to the second while the loss and η plots keep their minimum and a line (there
                             # half the column gave 32 heatmaps 38 px each at 1280x720; in normal mode more than half
                             # left the loss plot 70 px tall)
MIN_HEATMAP_LINES = 8  # the header, a layer heading and one row of tiles


class ViewsArea(QSplitter):
    """``data`` (a stack of the 1-D and 2-D plots) | ``side`` (heatmaps over the loss plot)."""

    def __init__(self, fit_view, class_plot, heatmaps, loss_plot, look, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.look = look
        self.fit_view, self.class_plot, self.heatmaps, self.loss_plot = fit_view, class_plot, heatmaps, loss_plot
        self.data = QStackedWidget()
        self.data.addWidget(fit_view)
        self.data.addWidget(class_plot)
        self.side = QSplitter(Qt.Vertical)
        self.side.addWidget(heatmaps)
        self.side.addWidget(loss_plot)
        self.side.setChildrenCollapsible(False)  # a plot is never squeezed to a sliver: it keeps its minimum
        self.addWidget(self.data)
        self.addWidget(self.side)
        self.setChildrenCollapsible(False)
        self.user_sized = False  # the user dragged a handle: keep their split until the mode changes
        self.splitterMoved.connect(self._on_splitter_moved)
        self.side.splitterMoved.connect(self._on_splitter_moved)
        look.changed.connect(self._on_look_changed)
        self._on_look_changed()

    @property
    def regression(self) -> bool:
        return self.data.currentWidget() is self.fit_view

    def show_mode(self, regression: bool) -> None:
        shown, hidden = (self.fit_view, self.class_plot) if regression else (self.class_plot, self.fit_view)
        self.data.setCurrentWidget(shown)
        # a stacked widget is as wide as its widest page: let the hidden page not count
        shown.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        hidden.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        self.heatmaps.setVisible(not regression)
        self.user_sized = False
        self.share_space()

    @Slot()
    def _on_look_changed(self) -> None:
        line = QFontMetrics(self.look.font("tick")).height()
        # (its minimum height is the plots' own: their view's minimum, the x axis and every row of the legend)
        self.data.setMinimumWidth(MIN_DATA_WIDTH_LINES * line)
        self.heatmaps.setMinimumHeight(MIN_HEATMAP_LINES * line)
        self.share_space()

    @Slot(int, int)
    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self.user_sized = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self.user_sized:
            self.share_space()

    def data_width_for(self, width: int, height: int) -> float:
        """The data plot's width when this area is ``width`` × ``height``."""
        if self.regression:
            return DATA_SHARE_1D * width
        if self.data.currentWidget() is not self.class_plot:  # another feature's page: compare mode's panels
            low, high = DATA_SHARE_PANELS
            if self.look.scale == 1:
                return low * width
            side = SIDE_PANELS_LINES * QFontMetrics(self.look.font("tick")).height()
            return max(low * width, min(high * width, width - side))
        # equal axes: width beyond the plot's height (plus its y axis) would be white space
        # (the y axis takes about as much width as the x axis and the legend take height)
        low, high = DATA_SHARE_2D
        return min(max(height, low * width), high * width)

    def share_space(self) -> None:
        """Split the width between the data plot and the side column, and the side column's height."""
        width, height = self.width(), self.height()
        if width <= 0 or height <= 0:
            return
        data = self.data_width_for(width, height)
        self.setSizes([round(data), width - round(data)])
        if not self.regression:
            side = self.side.height()
            low, high = HEATMAP_SHARE if self.look.scale > 1 else (HEATMAP_SHARE[0],) * 2
            line = QFontMetrics(self.look.font("tick")).height()
            loss = self.loss_plot.minimumSizeHint().height() + line
            heatmaps = round(max(low * side, min(high * side, side - loss)))
            self.side.setSizes([heatmaps, side - heatmaps])
