"""2-D regression through the real window: picking the mode, the surface and its colour bar, drawing points
with a value, the loss plot, files, and the views that are for the other modes."""

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton
from test_ui_session_files import FakeDialogs

from playground.data import session_file
from playground.palette import SURFACE_STRENGTH

# The diverging scale written out again (orange below 0, white at 0, blue above), to check pixels independently
ORANGE, WHITE, BLUE = np.array([230, 120, 0]), np.array([255, 255, 255]), np.array([0, 100, 180])


def expected_rgb(v: float, strength: float = 1.0) -> np.ndarray:
    """A point's colour (strength 1); the surface's is ``SURFACE_STRENGTH`` of it, the rest white."""
    v = min(max(v, -1.0), 1.0)
    full = WHITE + (BLUE - WHITE) * v if v >= 0 else WHITE + (ORANGE - WHITE) * -v
    return WHITE + (full - WHITE) * strength


def _pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, -1)
    return rows[:, :3 * w].reshape(h, w, 3).astype(int)


def _pick_mode(window, qtbot, key="regression-2d"):
    combo = window.controls.mode
    combo.setCurrentIndex(combo.findData(key))
    wait_fresh(qtbot, window.session)
    if key != "regression":  # a 2-D mode: wait for its first picture
        qtbot.waitUntil(lambda: window.session.snapshot is not None and window.session.snapshot.regions is not None,
                        timeout=10_000)


def _trained(window, qtbot, preset: str, steps: int):
    """The window in 2-D regression on ``preset``, trained ``steps`` steps: its session."""
    _pick_mode(window, qtbot)
    window.session.load_preset(preset)
    train_to(qtbot, window.session, steps)
    return window.session


def _forward(session, X):
    """The newest snapshot's network output at X (n, 2), evaluated here from its parameters."""
    return session.network_from_snapshot().forward(np.asarray(X, float)).scores[:, 0]


def test_the_mode_combo_opens_the_plane_scene_with_a_value_slider_and_no_accuracy(window, qtbot):
    _pick_mode(window, qtbot)
    s, c = window.session, window.controls
    assert s.mode == "regression-2d" and s.preset == "plane" and s.settings.loss == "mse"
    assert s.points.X.shape[1] == 2 and s.points.y.shape == (len(s.points), 1) and not s.points.is_classification
    assert s.layer_sizes[-1] == 1  # one linear output
    assert c.value_picker.isVisible() and not c.class_row.isVisible()
    assert [c.dataset.itemData(i) for i in range(c.dataset.count())] == ["plane", "gaussian"]
    assert window.class_plot.isVisible() and not window.fit_view.isVisible() and window.heatmaps.isVisible()
    assert window.class_plot.surface.color_bar.isVisible()
    assert not window.loss_plot.accuracy_view.isVisible()
    assert "TensorFlow Playground" in window.caption.full_text
    # and back: the classification scene returns without a colour bar, and the accuracy axis returns
    _pick_mode(window, qtbot, "classification")
    assert not window.class_plot.surface.color_bar.isVisible() and window.loss_plot.accuracy_view.isVisible()


def test_the_scenes_menu_opens_gaussian(window, qtbot):
    action = next(a for a in window.menu("scenes").actions() if a.text().startswith("2-D regression: six bumps"))
    action.trigger()
    wait_fresh(qtbot, window.session)
    assert window.session.mode == "regression-2d" and window.session.preset == "gaussian"
    assert window.session.hidden == (8, 8)


def test_the_surface_is_the_network_output_on_the_diverging_scale(window, qtbot):
    s, plot = _trained(window, qtbot, "gaussian", 400), window.class_plot
    qtbot.waitUntil(lambda: s.snapshot.regions is not None and s.snapshot.regions.surface is not None)
    s.clear_points()  # bare surface: no point covers the pixels sampled
    wait_fresh(qtbot, s)
    qtbot.waitUntil(lambda: plot.regions.image is not None)
    pixels = _pixels(plot)
    checked = 0
    for x, y in [(-0.6, 0.35), (0.0, 0.4), (0.0, -0.4), (0.6, -0.35), (-1.2, 1.2), (0.3, 0.0)]:
        value = float(_forward(s, [[x, y]])[0])
        p = plot.data_to_widget(x, y)
        p = plot.mapFromGlobal(plot.viewport().mapToGlobal(p))
        np.testing.assert_allclose(pixels[p.y(), p.x()], expected_rgb(value, SURFACE_STRENGTH), atol=14,
                                   err_msg=f"pixel at ({x}, {y}) for output {value:.3f}")
        checked += abs(value) > 0.2
    assert checked >= 2  # not a flat white picture
    assert 0.4 <= SURFACE_STRENGTH < 1  # paler than the points, yet coloured


def test_drawing_with_the_value_slider_adds_points_of_that_value_and_erasing_and_undo_work(window, qtbot):
    _pick_mode(window, qtbot)
    s, plot, slider = window.session, window.class_plot, window.controls.value_picker.slider
    s.clear_points()
    s.update_settings(test_fraction=0.0)  # both points train: both drawn as discs
    slider.setValue(-7)  # the slider moves in tenths
    assert s.scene.current_value == pytest.approx(-0.7)
    assert window.controls.value_picker.text.text() == "−0.7"
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, -0.8))
    assert len(s.points) == 1 and s.points.y[0, 0] == pytest.approx(-0.7)
    np.testing.assert_allclose(s.points.X[0], [0.5, -0.8], atol=0.03)
    slider.setValue(10)
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(-0.5, 0.6))
    np.testing.assert_allclose(s.points.y[:, 0], [-0.7, 1.0])
    # the points are drawn in their value's colour, with a dark rim
    brushes = [b.color().getRgb()[:3] for b in plot.surface.train_points.data["brush"]]
    np.testing.assert_allclose(brushes, [expected_rgb(-0.7), expected_rgb(1.0)], atol=1)
    assert plot.surface.train_points.opts["pen"].color().getRgb()[:3] == (30, 30, 30)
    qtbot.mouseClick(plot.viewport(), Qt.RightButton, pos=plot.data_to_widget(0.5, -0.8))
    assert len(s.points) == 1 and s.points.y[0, 0] == pytest.approx(1.0)
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert len(s.points) == 2
    wait_fresh(qtbot, s)  # the worker trains on them: 2 points of values −0.7 and 1
    assert s.snapshot is not None and len(s.snapshot.test_mask) == 2


def test_points_drawn_while_training_move_the_fit(window, qtbot):
    _pick_mode(window, qtbot)
    s, plot = window.session, window.class_plot
    s.clear_points()
    window.controls.value_picker.slider.setValue(10)
    s.set_speed(None)
    qtbot.mousePress(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(-1.0, -1.0))
    for x in np.linspace(-1.0, 1.0, 12):
        qtbot.mouseMove(plot.viewport(), pos=plot.data_to_widget(x, 1.0 - abs(x)))
    qtbot.mouseRelease(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(1.0, 0.0))
    assert len(s.points) >= 8 and np.all(s.points.y == 1.0)
    s.play()
    qtbot.waitUntil(lambda: s.snapshot is not None and s.snapshot.step > 300 and s.snapshot.metrics.train_loss < 0.01,
                    timeout=15_000)
    s.pause()
    assert _forward(s, [[0.0, 1.0]])[0] == pytest.approx(1.0, abs=0.15)  # the surface rose to the drawn value


def test_loss_plot_shows_train_and_test_loss(window, qtbot):
    _pick_mode(window, qtbot)
    s = window.session
    assert s.settings.test_fraction > 0
    train_to(qtbot, s, 200)
    qtbot.waitUntil(lambda: window.loss_plot.test_curve.getData()[0] is not None
                    and len(window.loss_plot.test_curve.getData()[0]) > 0, timeout=10_000)
    assert np.all(np.isnan(s.snapshot.train_accuracy))
    assert not window.loss_plot.accuracy_view.isVisible()


def test_session_file_and_csv_round_trip(make_window, qtbot, tmp_path):
    window = make_window(size=(1300, 800), dialogs=FakeDialogs())
    _pick_mode(window, qtbot)
    s = window.session
    s.load_preset("gaussian")
    s.set_current_value(-0.4)
    train_to(qtbot, s, 120)
    path = tmp_path / "surface.json"
    s.save(path)
    saved = session_file.load(path)
    assert saved.mode == "regression-2d" and saved.y.shape == (len(s.points), 1) and saved.current_value == -0.4
    points, params = s.points, s.snapshot.parameters
    csv = tmp_path / "points.csv"
    assert window.files.export_points(csv)
    assert csv.read_text().splitlines()[0] == "x1,x2,y"

    s.load_preset("xor")
    wait_fresh(qtbot, s)
    assert window.files.open(path)
    wait_fresh(qtbot, s)
    assert s.mode == "regression-2d" and s.snapshot.step == 120 and s.scene.current_value == -0.4
    np.testing.assert_array_equal(s.points.y, points.y)
    np.testing.assert_array_equal(s.snapshot.parameters, params)

    s.load_preset("xor")
    wait_fresh(qtbot, s)
    assert window.files.import_points(csv)
    assert s.mode == "regression-2d"
    np.testing.assert_allclose(s.points.X, points.X)
    np.testing.assert_allclose(s.points.y, points.y)


def test_the_inspector_draws_a_picked_points_squared_error(window, qtbot):
    s, plot = _trained(window, qtbot, "plane", 30), window.class_plot
    window.insight.open_inspector()
    inspector = window.insight.inspector
    qtbot.waitUntil(inspector.isVisible)
    before = len(s.points)
    xy = inspector.picker.coordinates()[4]
    with qtbot.waitSignal(inspector.point_picked) as blocker:
        qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(*xy))
    assert blocker.args[0] == 4 and len(s.points) == before
    qtbot.waitUntil(lambda: inspector.graph is not None, timeout=5000)
    graph = inspector.graph
    assert not graph.classification and "target y = " in inspector.point_label.text()
    # its loss is the squared residual of this point, computed here from the snapshot's weights
    residual = s.points.y[4, 0] - _forward(s, s.points.X[4:5])[0]
    assert graph.values["loss"] == pytest.approx(residual ** 2, rel=1e-9)


def test_the_hidden_space_says_its_plot_is_for_classification_and_fills_the_table(window, qtbot):
    _trained(window, qtbot, "gaussian", 20)
    view = window.insight.hidden_space
    with qtbot.waitSignal(view.updated, timeout=5000):
        window.insight.open_hidden_space()
    assert view.space_note.isVisible() and "for classification" in view.space_note.text()
    assert not view.plot_page.isVisible()
    table = view.lecture_table.table
    assert table.rowCount() > 0 and table.horizontalHeaderItem(1).text() == "x₁"


def test_a_click_on_the_value_sliders_ends_picks_minus_one_and_plus_one(window, qtbot):
    _pick_mode(window, qtbot)
    slider, s = window.controls.value_picker.slider, window.session
    left, right = slider.rect().left() + 2, slider.rect().right() - 2
    qtbot.mouseClick(slider, Qt.LeftButton, pos=QPoint(left, slider.height() // 2))
    assert s.scene.current_value == -1.0
    qtbot.mouseClick(slider, Qt.LeftButton, pos=QPoint(right, slider.height() // 2))
    assert s.scene.current_value == 1.0
    assert not s.set_current_value(1.5) and s.scene.current_value == 1.0  # refused, with a message


def test_restarts_train_the_surface_for_every_seed_and_colour_the_points_by_value(window, qtbot):
    _pick_mode(window, qtbot)
    s = window.session
    s.load_preset("gaussian")
    wait_fresh(qtbot, s)
    view = window.restarts
    view.seeds.setValue(3)
    view.steps.setValue(300)
    view.dock.show()
    with qtbot.waitSignal(view.result_shown, timeout=20_000):
        qtbot.mouseClick(view.run_button, Qt.LeftButton)
    result = view.result
    from playground.engine import Network, Trainer
    for row, seed in enumerate(result.setup.seeds):  # each seed is its own single run
        trainer = Trainer(Network(s.layer_sizes, s.activation, seed=seed), s.points.X, s.points.y, s.settings,
                          seed=seed)
        trainer.run(300)
        assert result.losses[row] == pytest.approx(trainer.metrics().train_loss, rel=1e-9)
    brushes = view.best_panel.points.data["brush"]
    colours = {b.color().getRgb()[:3] for b in brushes}
    assert len(colours) > 20  # one colour per value, not a class colour or two


def test_compare_mode_duplicates_a_2d_regression_run_with_its_surface(window, qtbot):
    s = _trained(window, qtbot, "plane", 50)
    compare = window.compare
    assert compare.runs.duplicate(0)
    qtbot.waitUntil(lambda: len(compare.runs.runs) == 2, timeout=10_000)
    copy = compare.runs.runs[1]
    wait_fresh(qtbot, copy)
    assert copy.mode == "regression-2d" and copy.snapshot.regions.surface is not None
    np.testing.assert_array_equal(copy.snapshot.parameters, s.snapshot.parameters)
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 2, timeout=5000)
    for panel in compare.panels.panels:  # each panel draws its run's surface and value-coloured points
        assert type(panel.plot).__name__ == "ClassificationPlot" and panel.plot.surface.color_bar.isVisible()


def test_a_hidden_unit_shown_large_has_the_points_in_their_value_colours(window, qtbot):
    s = _trained(window, qtbot, "gaussian", 20)
    heatmaps = window.heatmaps
    qtbot.mouseClick(heatmaps.grid.viewport(), Qt.LeftButton, pos=heatmaps.tile_center(0, 2))
    assert heatmaps.selected == (0, 2)
    first = heatmaps.large.points[0]
    xs, ys = first.getData()
    assert len(xs) == len(s.points) and all(len(item.getData()[0]) == 0 for item in heatmaps.large.points[1:])
    colours = np.array([b.color().getRgb()[:3] for b in first.data["brush"]])
    np.testing.assert_allclose(colours, [expected_rgb(v) for v in s.points.y[:, 0]], atol=1)
    qtbot.waitUntil(lambda: heatmaps.large.image.image is not None, timeout=5000)  # the unit's own map under them


def test_generate_makes_the_chosen_surface_dataset(window, qtbot):
    _pick_mode(window, qtbot)
    c, s = window.controls, window.session
    c.dataset.setCurrentIndex(c.dataset.findData("gaussian"))
    c.n_points.set_value(120)
    qtbot.mouseClick(next(b for b in c.findChildren(QPushButton) if b.text() == "Generate"), Qt.LeftButton)
    assert s.dataset == "gaussian" and len(s.points) == 120 and s.points.y.shape == (120, 1)
    from playground.data.surfaces import gaussian_label
    noise = s.points.y[:, 0] - gaussian_label(s.points.X)
    assert 0.02 < noise.std() < 0.08  # the default noise 0.05 on the bumps' labels


def test_the_diagrams_output_tile_is_the_surface():
    from playground.engine import Network
    from playground.ui.diagram_pictures import maps
    net = Network([2, 4, 1], "tanh", seed=3)
    pictures = maps(net, (-1.5, 1.5, -1.5, 1.5), 16)
    side = pictures.side
    out = pictures.rgba[-1]
    assert out.shape == (1, side, side, 4)
    g = np.linspace(-1.5, 1.5, side)
    x1, x2 = np.meshgrid(g, g[::-1])  # row 0 is the top: the highest x₂
    values = net.forward(np.column_stack([x1.ravel(), x2.ravel()])).scores[:, 0]
    expected = np.array([expected_rgb(v, SURFACE_STRENGTH) for v in values]).reshape(side, side, 3)
    np.testing.assert_allclose(out[0, :, :, :3], expected, atol=1.01)


def test_leaving_the_mode_parks_its_points_and_value_for_the_way_back(window, qtbot):
    _pick_mode(window, qtbot)
    s, plot = window.session, window.class_plot
    window.controls.value_picker.slider.setValue(-3)
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.2, 1.3))
    points = s.points
    _pick_mode(window, qtbot, "regression")
    assert s.points.X.shape[1] == 1 and not window.controls.value_picker.isVisible()
    _pick_mode(window, qtbot, "regression-2d")
    assert s.points is points and s.points.y[-1, 0] == pytest.approx(-0.3) and s.scene.current_value == -0.3


def test_discretize_output_paints_the_sign_of_the_surface(window, qtbot):
    s, plot = _trained(window, qtbot, "gaussian", 200), window.class_plot
    action = next(a for a in window.menu("view").actions() if a.text().replace("&", "") == "Discretize output")
    action.trigger()
    image = plot.recolor(s.snapshot)
    x0, x1, y0, y1 = s.snapshot.regions.extent
    side = image.shape[0]
    g1, g2 = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))
    values = _forward(s, np.column_stack([g1.ravel(), g2.ravel()])).reshape(side, side)
    blue = np.all(np.abs(image - BLUE) <= 1, axis=2)
    orange = np.all(np.abs(image - ORANGE) <= 1, axis=2)
    sure = np.abs(values) > 1e-6
    assert np.array_equal(blue[sure], values[sure] > 0) and np.array_equal(orange[sure], values[sure] < 0)
    action.trigger()
    assert plot.recolor is None
