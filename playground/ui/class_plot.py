"""The 2-D view: classification's decision regions (or 2-D regression's surface), the points on top, drawing
by mouse.

The regions arrive as a finished RGB image from the worker (class colour, paler where the
softmax is less sure). Training points are filled discs in their class colour with a dark
rim; held-out test points are hollow white squares framed in their class colour. Left
press/drag paints points of the current class, right press/drag erases within a dashed
circle (see ``DrawingPlot``); each stroke is one undo step. In 2-D regression the points take their value's
colour and a colour bar explains the surface (``SurfaceLayer``); left press/drag paints points of the current value.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsPathItem, QGraphicsRectItem

from ..data.points import MAX_CLASSES
from ..palette import CLASS_COLORS
from ..worker.service import ViewSpec
from .drawing import DrawingPlot
from .plot_style import FollowsLook, Look, RowLegend, SmoothImageItem, style_axes
from .surface_layer import SurfaceLayer

ERASER_FRACTION = 0.08   # right-drag erases within this fraction of the x range
POINT_SIZE = 12
_OUTLINE = (40, 40, 40)   # a dark rim keeps a point visible on a region of its own colour
_BORDER = (60, 60, 60)
OUTSIDE_SHADE = (255, 255, 255, 110)  # beyond the drawing area the regions show paler


def class_name(label: int) -> str:
    return f"class {label + 1}"


class ClassificationPlot(FollowsLook, DrawingPlot):
    _legend_key = None  # (classes, with test points, drawing box shown) the legend was built for
    def __init__(self, session, parent=None, look: Look | None = None):
        super().__init__(session, parent)
        self.look = look or Look(self)
        self.setBackground("w")
        self.setAspectLocked(True)
        self.showGrid(x=False, y=False)
        style_axes(self.plotItem)
        # equal axes: a y axis narrowed for shorter tick labels made the view taller, which showed longer labels,
        # which widened it again, for ever (a compare panel at 960×540, a View command to the worker each time)
        self.plotItem.getAxis("left").setStyle(autoReduceTextSpace=False)
        self.setToolTip("Left click / drag: add points of the current class (keys 1–6)\n"
                        "Right click / drag: erase points\n"
                        "Dashed box: the drawing area (the data's range); shaded beyond it: the regions the "
                        "network extrapolates to")

        # Items are made once; per frame only setImage / setData.
        self._build_backdrop()
        self._build_points()
        self.surface = SurfaceLayer(self.plotItem, self.look)
        self.legend = RowLegend(self.plotItem, self.look)  # under the x axis, never over the points
        self._legend_key = None
        self.follow_look()
        self._drawn = None  # (points, test mask) last drawn, to skip redundant redraws
        self.recolor = None  # snapshot -> RGB regions image instead of the worker's (View ▸ Discretize output)
        self.test_points_shown = True  # View ▸ Show test data
        self._image_geometry = None  # (extent, shape) the region image was placed for

        session.points_changed.connect(self._on_session_points_changed)
        session.settings_changed.connect(self._on_session_points_changed)  # the test fraction splits the points
        session.snapshot_changed.connect(self._on_session_snapshot_changed)
        session.model_changed.connect(self._on_session_model_changed)
        self._sent_extent = None
        self.plotItem.vb.sigRangeChanged.connect(self._on_view_range_changed)
        self._on_session_model_changed()

    def _build_backdrop(self) -> None:
        """The regions image, the dashed drawing area and the paler shade beyond it."""
        self.regions = SmoothImageItem(axisOrder="row-major")
        self.regions.setZValue(-10)
        self.addItem(self.regions)
        # the drawing area (where clicks add points, the data's range) as a dashed box, and the view beyond it
        # shaded lighter: the locked aspect shows more than the square, and two bare black lines said nothing
        self.frame = QGraphicsRectItem()
        self.frame.setPen(pg.mkPen(_BORDER, width=1.5, style=Qt.DashLine))
        self.frame.setZValue(-5)
        self.outside = QGraphicsPathItem()
        self.outside.setPen(pg.mkPen(None))
        self.outside.setBrush(pg.mkBrush(*OUTSIDE_SHADE))
        self.outside.setZValue(-6)
        self.addItem(self.outside)
        self._frame_sample = pg.PlotDataItem([], [], pen=self.frame.pen())  # its legend entry
        self.addItem(self.frame)

    def _build_points(self) -> None:
        """The training and test points, and the eraser's circle."""
        self.eraser = QGraphicsEllipseItem()  # shows what a right-drag erases, while it does
        self.eraser.setPen(pg.mkPen(40, 40, 40, width=1.5, style=Qt.DashLine))
        self.eraser.setBrush(pg.mkBrush(255, 255, 255, 70))
        self.eraser.setZValue(10)
        self.eraser.setVisible(False)
        # One scatter item per class and kind: setData needs only x and y, brushes never change.
        self.train_points = [pg.ScatterPlotItem(pen=pg.mkPen(_OUTLINE, width=1.2),
                                                brush=pg.mkBrush(*CLASS_COLORS[k]), symbol="o")
                             for k in range(MAX_CLASSES)]
        self.test_points = [pg.ScatterPlotItem(pen=pg.mkPen(CLASS_COLORS[k], width=3),
                                               brush=pg.mkBrush(255, 255, 255), symbol="s")
                            for k in range(MAX_CLASSES)]
        for item in (*self.train_points, *self.test_points, self.eraser):
            self.addItem(item)
        self._test_sample = pg.ScatterPlotItem(pen=pg.mkPen(70, 70, 70, width=3),
                                               brush=pg.mkBrush(255, 255, 255), symbol="s")

    def _apply_look(self) -> None:
        """Fonts and point sizes from the look's tokens at its current scale."""
        look = self.look
        look.style_axes(self.plotItem)
        look.set_axis_label(self.plotItem, "bottom", "x₁")
        look.set_axis_label(self.plotItem, "left", "x₂")
        for item in (*self.train_points, *self.test_points, self._test_sample):
            item.setSize(look.size(POINT_SIZE))
        self.surface.restyle(look.size(POINT_SIZE))
        self.legend.restyle()
        key, self._legend_key = self._legend_key, None  # rebuild the entries: their samples have the new size
        if key is not None:
            self._sync_legend(set(key[0]), key[1], key[3])

    # -- bounds -----------------------------------------------------------------------------
    def apply_bounds(self) -> None:
        super().apply_bounds()
        if not hasattr(self, "frame"):  # called by DrawingPlot.__init__ before the items exist
            return
        (x0, x1), (y0, y1) = self.session.bounds
        self.frame.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self._shade_outside()

    @property
    def view_exceeds_box(self) -> bool:
        """The view shows more than the drawing area (by more than a hair): the box and the shade mean something."""
        (vx0, vx1), (vy0, vy1) = self.viewRange()
        box = self.frame.rect()
        slack = 0.01 * box.width()
        return vx0 < box.left() - slack or vx1 > box.right() + slack or vy0 < box.top() - slack \
            or vy1 > box.bottom() + slack

    def _shade_outside(self) -> None:
        (vx0, vx1), (vy0, vy1) = self.viewRange()
        path = QPainterPath()
        path.setFillRule(Qt.OddEvenFill)  # the view with the box cut out
        path.addRect(QRectF(vx0, vy0, vx1 - vx0, vy1 - vy0).united(self.frame.rect()))
        path.addRect(self.frame.rect())
        self.outside.setPath(path)
        shown = self.view_exceeds_box
        self.outside.setVisible(shown)
        self.frame.setVisible(shown)
        if self._legend_key is not None and self._legend_key[2] != shown:
            self._sync_legend(set(self._legend_key[0]), self._legend_key[1], self._legend_key[3])

    @Slot()
    def _on_view_range_changed(self) -> None:
        """Ask the worker for regions over everything visible (the locked aspect shows more than the
        drawing square), so no white bands frame the picture; small jitters are not worth a command."""
        self._shade_outside()
        (x0, x1), (y0, y1) = self.viewRange()
        extent = (x0, x1, y0, y1)
        if self._sent_extent is None or not np.allclose(extent, self._sent_extent, atol=0.01 * (x1 - x0)):
            self._sent_extent = extent
            self.session.set_view(ViewSpec(extent=extent))

    # -- session signals --------------------------------------------------------------------
    @Slot()
    def _on_session_model_changed(self) -> None:
        self.apply_bounds()
        if self.session.snapshot is None:  # a new network: no regions until its first snapshot
            self.regions.clear()
            self._image_geometry = None
        self._draw_points()

    @Slot()
    def _on_session_points_changed(self) -> None:
        self._draw_points()

    @Slot(object)
    def _on_session_snapshot_changed(self, snapshot) -> None:
        regions = snapshot.regions
        if regions is None:  # 1-D mode: this view is hidden
            if self.regions.image is not None:
                self.regions.clear()
                self._image_geometry = None
            return
        self.regions.setImage(regions.regions if self.recolor is None else self.recolor(snapshot), autoLevels=False)
        geometry = (regions.extent, regions.regions.shape)
        if geometry != self._image_geometry:
            self._image_geometry = geometry
            x0, x1, y0, y1 = regions.extent
            rows, cols = regions.regions.shape[:2]
            # The worker samples the network at pixel centres linspace(x0, x1, cols): extend by half a pixel.
            dx, dy = (x1 - x0) / max(cols - 1, 1), (y1 - y0) / max(rows - 1, 1)
            self.regions.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, cols * dx, rows * dy))

    def set_recolor(self, recolor) -> None:
        """Draw the regions as ``recolor(snapshot)`` (a (G, G, 3) uint8 RGB image like the worker's), or the
        worker's own image for None; redraws the newest snapshot at once."""
        self.recolor = recolor
        if self.session.snapshot is not None:
            self._on_session_snapshot_changed(self.session.snapshot)

    def set_test_points_shown(self, shown: bool) -> None:
        """Show or hide the held-out points (they stay held out) and their legend entry."""
        self.test_points_shown = shown
        for item in self.test_points:
            item.setVisible(shown)
        self._drawn, self._legend_key = None, None
        self._draw_points()

    # -- drawing ----------------------------------------------------------------------------
    def _test_mask(self) -> np.ndarray:
        return self.session.test_mask

    def _draw_points(self) -> None:
        pts = self.session.points
        values = pts.X.shape[1] == 2 and not pts.is_classification  # 2-D regression
        self.surface.show(values)
        if not pts.is_classification:
            for item in (*self.train_points, *self.test_points):
                item.setData([], [])
            test = self._test_mask() if values else np.zeros(0, dtype=bool)
            if values:
                self.surface.draw(pts.X, pts.y, test, self.test_points_shown)
            self._drawn = None
            self._sync_legend(set(), bool(test.any()) and self.test_points_shown, values and len(pts) > 0)
            return
        test = self._test_mask()
        if self._drawn is not None and self._drawn[0] is pts and np.array_equal(self._drawn[1], test):
            return
        self._drawn = (pts, test.copy())
        X, y = pts.X, pts.y
        for k in range(MAX_CLASSES):
            of_k = y == k
            train, held = of_k & ~test, of_k & test
            self.train_points[k].setData(X[train, 0], X[train, 1])
            self.test_points[k].setData(X[held, 0], X[held, 1])
        self._sync_legend(set(np.unique(y).tolist()), bool(test.any()) and self.test_points_shown)

    def _sync_legend(self, classes: set, with_test: bool, values: bool = False) -> None:
        """The legend for these classes (or, with ``values``, for 2-D regression's value-coloured points)."""
        key = (tuple(sorted(classes)), with_test, self.frame.isVisible(), values)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for k in key[0]:
            self.legend.add(self.train_points[k], class_name(k))
        if values:
            self.legend.add(self.surface.train_sample, "training points (colour: value y)")
        if with_test:
            self.legend.add(self.surface.test_sample if values else self._test_sample,
                            "test points (squares)" if values else "test points (hollow squares)")
        if key[2]:
            self.legend.add(self._frame_sample, "drawing area")
        self.legend.setVisible(bool(key[0]) or values)
        self.legend.fit_columns()

    def _apply_at(self, pos) -> None:
        if self._button == Qt.RightButton:
            x, y = self.widget_to_data(pos)
            radius = ERASER_FRACTION * self._x_span
            self.eraser.setRect(QRectF(x - radius, y - radius, 2 * radius, 2 * radius))
            self.eraser.setVisible(True)
            self.session.remove_near(np.array([x, y]), radius)
            return
        super()._apply_at(pos)

    def mouseReleaseEvent(self, event):
        self.eraser.setVisible(False)
        super().mouseReleaseEvent(event)
