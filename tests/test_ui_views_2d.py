"""The 2-D classification views, driven with real mouse events: the region plot, the unit
heatmaps and the loss / learning-rate plot (pytest-qt, offscreen)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from playground.engine import softmax
from playground.palette import CLASS_COLORS
from playground.ui.class_plot import ERASER_FRACTION, ClassificationPlot
from playground.ui.loss_plot import SCHEDULE_POINTS, LossPlot
from playground.ui.session import Session
from playground.ui.unit_colors import DIVERGING_LUT, SEQUENTIAL_LUT, colorize
from playground.ui.unit_heatmaps import UnitHeatmaps


@pytest.fixture
def session(qapp):
    s = Session()
    yield s
    s.close()


def _show(qtbot, widget, width=600, height=600):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _wait_for_step(qtbot, session, step):
    qtbot.waitUntil(lambda: session.snapshot is not None and session.snapshot.step >= step
                    and session.up_to_date, timeout=8000)


@pytest.fixture
def class_plot(qtbot, session):
    session.load_preset("xor")
    plot = ClassificationPlot(session)
    plot.resize(600, 600)
    plot.show()
    qtbot.waitExposed(plot)
    yield plot
    session.close()  # first, as the window does: pyqtgraph's close() deletes the plot's items at once, and a
    plot.close()     # snapshot arriving after that would draw into them


def _pixel_in_data(plot) -> float:
    """How far one pixel reaches in data units (x)."""
    a = plot.widget_to_data(QPoint(100, 100))
    b = plot.widget_to_data(QPoint(101, 100))
    return abs(b[0] - a[0])


# -- the region plot --------------------------------------------------------------------------

def test_left_click_adds_a_point_of_the_current_class_where_clicked(qtbot, session, class_plot):
    session.set_current_class(2)
    before = len(session.points)
    qtbot.mouseClick(class_plot.viewport(), Qt.LeftButton, pos=class_plot.data_to_widget(0.5, -0.7))
    assert len(session.points) == before + 1
    tolerance = 1.5 * _pixel_in_data(class_plot)
    assert tolerance < 0.02  # the plot is big enough for the check to mean something
    np.testing.assert_allclose(session.points.X[-1], [0.5, -0.7], atol=tolerance)
    assert session.points.y[-1] == 2
    # ... and it is drawn: the class-3 scatter holds it
    xs, ys = class_plot.train_points[2].getData()
    assert np.any(np.hypot(xs - 0.5, ys + 0.7) < tolerance)


def test_a_drag_paints_a_stroke_that_one_undo_removes(qtbot, session, class_plot):
    before = len(session.points)
    viewport = class_plot.viewport()
    path = [class_plot.data_to_widget(x, 0.2 * x) for x in np.linspace(-1.0, 1.0, 25)]
    qtbot.mousePress(viewport, Qt.LeftButton, pos=path[0])
    for pos in path[1:]:
        qtbot.mouseMove(viewport, pos)
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=path[-1])
    added = session.points.X[before:]
    assert len(added) >= 8
    spacing = np.hypot(*np.diff(added, axis=0).T)
    assert spacing.min() >= 0.04 - 1e-9
    np.testing.assert_allclose(added[:, 1], 0.2 * added[:, 0], atol=0.02)  # along the dragged line
    session.undo()
    assert len(session.points) == before


def test_right_click_erases_the_points_near_the_cursor_only(qtbot, session, class_plot):
    session.clear_points()
    session.add_points([[0.5, 0.5]], y=[0])
    session.add_points([[0.5 + 0.5 * ERASER_FRACTION * 3.0, 0.5]], y=[1])  # within the eraser radius
    session.add_points([[-1.0, -1.0]], y=[0])
    qtbot.mouseClick(class_plot.viewport(), Qt.RightButton, pos=class_plot.data_to_widget(0.52, 0.5))
    np.testing.assert_allclose(session.points.X, [[-1.0, -1.0]])
    session.undo()
    assert len(session.points) == 3


def test_a_right_drag_erases_along_its_path_in_one_undo_step(qtbot, session, class_plot):
    session.clear_points()
    session.add_points([[x, 0.0] for x in (-1.0, -0.5, 0.0, 0.5)] + [[0.0, 1.0]], y=[0, 1, 0, 1, 0])
    viewport = class_plot.viewport()
    qtbot.mousePress(viewport, Qt.RightButton, pos=class_plot.data_to_widget(-1.0, 0.05))
    assert class_plot.eraser.isVisible()  # the eraser shows its reach while erasing
    for x in np.linspace(-1.0, 0.5, 16):
        qtbot.mouseMove(viewport, class_plot.data_to_widget(x, 0.05))
    qtbot.mouseRelease(viewport, Qt.RightButton, pos=class_plot.data_to_widget(0.5, 0.05))
    assert not class_plot.eraser.isVisible()
    np.testing.assert_allclose(session.points.X, [[0.0, 1.0]])
    session.undo()
    assert len(session.points) == 5


def _hue_distance(a: QColor, b: QColor) -> float:
    d = abs(a.hueF() - b.hueF())
    return min(d, 1.0 - d)


def test_region_pixels_deep_inside_a_class_region_have_that_class_colour(qtbot, session):
    session.load_preset("blobs")
    plot = _show(qtbot, ClassificationPlot(session), 500, 500)
    session.step(400)
    _wait_for_step(qtbot, session, 400)
    qtbot.waitUntil(lambda: plot.regions.image is not None, timeout=3000)
    image = plot.grab().toImage()
    ratio = image.devicePixelRatio()
    # Where the trained network itself (evaluated here, independently of the worker's image)
    # is surest of each class, away from every drawn point.
    net = session.network_from_snapshot()
    g = np.linspace(-1.4, 1.4, 57)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
    p = softmax(net.forward(grid).scores)
    far = np.min(np.hypot(*(grid[:, None, :] - session.points.X[None, :, :]).transpose(2, 0, 1)), axis=1) > 0.2
    for k in range(3):
        candidates = np.flatnonzero(far & (p.argmax(axis=1) == k))
        assert candidates.size, f"no region of class {k + 1}"
        x, y = grid[candidates[np.argmax(p[candidates, k])]]
        pos = plot.data_to_widget(x, y)
        pixel = QColor(image.pixel(int(pos.x() * ratio), int(pos.y() * ratio)))
        assert pixel.saturationF() > 0.2, (k, x, y, pixel.name())
        assert _hue_distance(pixel, QColor(*CLASS_COLORS[k])) < 0.03, (k, x, y, pixel.name())


# -- the unit heatmaps ------------------------------------------------------------------------

@pytest.fixture
def heatmaps(qtbot, session):
    session.load_preset("xor")
    session.set_architecture((4, 4), "tanh")
    assert session.layer_sizes == (2, 4, 4, 2)
    return _show(qtbot, UnitHeatmaps(session), 700, 500)


def test_the_heatmap_grid_has_one_tile_per_hidden_unit(qtbot, session, heatmaps):
    assert [len(layer) for layer in heatmaps.grid.tiles] == [4, 4]
    _wait_for_step(qtbot, session, 0)
    tiles = [t for layer in heatmaps.grid.tiles for t in layer]
    qtbot.waitUntil(lambda: all(t.image.image is not None for t in tiles), timeout=3000)
    maps = session.snapshot.regions.unit_maps
    np.testing.assert_array_equal(heatmaps.grid.tiles[1][3].image.image, colorize(maps[1][3], "tanh"))
    session.set_architecture((3,), "relu")
    assert heatmaps.tile_count == 3


def test_unit_colours_are_fixed_per_activation_not_stretched_per_frame():
    orange, white, blue = DIVERGING_LUT[0], DIVERGING_LUT[len(DIVERGING_LUT) // 2], DIVERGING_LUT[-1]
    np.testing.assert_array_equal(colorize(np.array([[-1.0, 0.0, 1.0]]), "tanh")[0], [orange, white, blue])
    assert tuple(white[:3]) == (255, 255, 255) and blue[2] > blue[0] + 100 and orange[0] > orange[2] + 100
    weak = colorize(np.array([[-0.2, 0.0, 0.2]]), "tanh")[0]  # a weak unit stays pale, in its sign's hue
    assert weak[:, :3].min() > 190 and weak[0, 0] > weak[0, 2] and weak[2, 2] > weak[2, 0]
    np.testing.assert_array_equal(colorize(np.array([[0.0, 0.5, 1.0]]), "logistic")[0], [orange, white, blue])
    relu = colorize(np.array([[0.0, 2.0, 4.0]]), "relu")[0]  # 0 (off) white, the unit's max full blue
    np.testing.assert_array_equal(relu[[0, 2]], SEQUENTIAL_LUT[[0, -1]])
    np.testing.assert_array_equal(relu[[0, 2]], [white, blue])  # the upper half of the same scale
    linear = colorize(np.array([[-3.0, 0.0, 1.5]]), "linear")[0]  # symmetric about 0: 1.5 of 3 is tanh's 0.5
    np.testing.assert_array_equal(linear, colorize(np.array([[-1.0, 0.0, 0.5]]), "tanh")[0])


def test_clicking_a_tile_shows_it_large_and_emits_unit_selected(qtbot, session, heatmaps):
    _wait_for_step(qtbot, session, 0)
    with qtbot.waitSignal(heatmaps.unit_selected, timeout=2000) as blocker:
        qtbot.mouseClick(heatmaps.grid.viewport(), Qt.LeftButton, pos=heatmaps.tile_center(1, 2))
    assert blocker.args == [1, 2]
    assert heatmaps.stack.currentWidget() is heatmaps.large
    np.testing.assert_array_equal(heatmaps.large.image.image, colorize(session.snapshot.regions.unit_maps[1][2], "tanh"))
    qtbot.keyClick(heatmaps.large, Qt.Key_Escape)
    assert heatmaps.stack.currentWidget() is heatmaps.scroll


def test_no_hidden_layer_says_so(qtbot, session, heatmaps):
    session.set_architecture((), "tanh")
    assert heatmaps.tile_count == 0
    assert heatmaps.stack.currentWidget() is heatmaps.empty
    assert "no hidden units" in heatmaps.empty.text()


# -- the loss and learning-rate plot ----------------------------------------------------------

def test_the_loss_curve_fills_while_training_and_the_rate_marker_follows(qtbot, session):
    session.load_preset("xor")
    session.update_settings(schedule="cosine", schedule_params={"total_steps": 2000})
    plot = _show(qtbot, LossPlot(session), 600, 500)
    for step in (25, 50):  # the history gains a row per snapshot
        session.step(25)
        _wait_for_step(qtbot, session, step)
    qtbot.waitUntil(lambda: plot.step_line.value() == 50, timeout=2000)  # the plot redraws ≤ 10×/s
    steps, losses = plot.train_curve.getData()
    assert len(steps) >= 2 and steps[-1] == 50
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    snap = session.snapshot
    np.testing.assert_allclose(plot.rate_dot.getData()[1], [snap.learning_rate])
    # the schedule curve is the cosine in closed form, over its whole horizon
    xs, rates = plot.schedule_curve.getData()
    assert xs[-1] >= 2000 and len(xs) <= SCHEDULE_POINTS
    lr = session.settings.learning_rate
    expected = np.where(xs < 2000, 0.5 * lr * (1 + np.cos(np.pi * xs / 2000)), 0.0)
    np.testing.assert_allclose(rates, expected, atol=1e-12)
    np.testing.assert_allclose(snap.learning_rate, 0.5 * lr * (1 + math.cos(math.pi * 50 / 2000)))
