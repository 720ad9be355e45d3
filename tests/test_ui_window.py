"""The window, driven as a user would: clicks, keys and the controls, against the session's state."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from gui_helpers import red_pixels
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from playground.data.scene import LEARNING_RATE
from playground.ui.session import CLASSIFICATION


def test_left_click_adds_a_point_at_the_clicked_data_coordinates(window, qtbot):
    plot = window.fit_view.plot
    before = len(window.session.points)
    with qtbot.waitSignal(window.session.points_changed):
        qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, -0.8))
    pts = window.session.points
    assert len(pts) == before + 1
    x_per_px = 2.5 / plot.viewport().width()  # one pixel's worth of data
    assert pts.X[-1, 0] == pytest.approx(0.5, abs=2 * x_per_px)
    assert pts.y[-1, 0] == pytest.approx(-0.8, abs=0.02)


def _paint_stroke(qtbot, plot):
    """A left-button drag along y = −1 from x = −1 to 1 in the data plot."""
    vp = plot.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, pos=plot.data_to_widget(-1.0, -1.0))
    for x in np.linspace(-1.0, 1.0, 25):
        qtbot.mouseMove(vp, plot.data_to_widget(x, -1.0))
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=plot.data_to_widget(1.0, -1.0))


def test_drag_paints_a_stroke_that_one_undo_removes(window, qtbot):
    plot, session = window.fit_view.plot, window.session
    before = len(session.points)
    _paint_stroke(qtbot, plot)
    painted = len(session.points) - before
    assert painted >= 10
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert len(session.points) == before
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert len(session.points) == before + painted


def test_undo_and_redo_of_a_stroke_say_so_in_the_status_bar(window, qtbot):
    plot, session = window.fit_view.plot, window.session
    before = len(session.points)
    _paint_stroke(qtbot, plot)
    after = len(session.points)
    window.statusBar().showMessage("network re-initialized: an older message")
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert window.statusBar().currentMessage() == f"undone: a stroke or point edit ({after} → {before} points)"
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.statusBar().currentMessage() == f"redone: a stroke or point edit ({before} → {after} points)"


def test_right_click_removes_the_points_under_the_cursor(window, qtbot):
    plot, session = window.fit_view.plot, window.session
    x0, y0 = session.points.X[10, 0], session.points.y[10, 0]
    before = len(session.points)
    qtbot.mouseClick(plot.viewport(), Qt.RightButton, pos=plot.data_to_widget(x0, y0))
    remaining = session.points
    assert len(remaining) < before
    assert not np.any(np.hypot(remaining.X[:, 0] - x0, remaining.y[:, 0] - y0) < 1e-9)


def test_drawing_outside_the_range_is_clipped_and_said(window, qtbot):
    session = window.session
    with qtbot.waitSignal(session.message) as blocker:
        session.add_points([[3.0, 9.0]])
    assert "border" in blocker.args[0]
    (x0, x1), (y0, y1) = session.bounds
    assert session.points.X[-1, 0] == x1 and session.points.y[-1, 0] == y1


def test_class_keys_choose_the_class_of_new_2d_points(window, qtbot, fresh):
    session = window.session
    session.set_mode(CLASSIFICATION)
    fresh(session)
    qtbot.keyClick(window, Qt.Key_3)
    assert session.current_class == 2
    plot = window.class_plot
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.2, 0.3))
    assert session.points.y[-1] == 2
    assert session.points.X[-1] == pytest.approx([0.2, 0.3], abs=0.02)


def test_changing_the_activation_reinitializes_and_says_so(window, qtbot, fresh):
    session, controls = window.session, window.controls
    session.step(200)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 200, timeout=10_000)
    with qtbot.waitSignal(session.message) as blocker:
        controls.activation.setCurrentIndex(controls.activation.findData("relu"))
    assert "re-initialized" in blocker.args[0]
    fresh(session)
    assert session.snapshot.step == 0 and session.snapshot.activation == "relu"


def test_a_live_learning_rate_change_keeps_the_weights(window, qtbot, fresh):
    session = window.session
    session.step(100)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 100, timeout=10_000)
    before = session.snapshot.parameters
    window.controls.lr.setText("0.005")
    window.controls.lr.editingFinished.emit()
    assert session.settings.learning_rate == 0.005
    fresh(session)
    assert session.snapshot.learning_rate == 0.005
    np.testing.assert_array_equal(session.snapshot.parameters, before)
    assert session.snapshot.step == 100


def test_an_out_of_range_learning_rate_is_refused_with_a_reason(window, qtbot):
    field = window.controls.lr
    with qtbot.waitSignal(window.session.message) as blocker:
        field.setText("500")
        field.editingFinished.emit()
    assert "between" in blocker.args[0] and str(int(LEARNING_RATE.high)) in blocker.args[0]
    assert window.session.settings.learning_rate != 500
    assert red_pixels(field) > field.width()  # the field is drawn with a red frame


def test_play_makes_the_loss_fall_on_a_preset(window, qtbot, fresh):
    session = window.session
    session.load_preset("bishop-sin")
    session.set_speed(None)  # full speed: the loss needs a thousand steps or more to fall tenfold
    fresh(session)
    start = session.snapshot.metrics.train_loss
    qtbot.keyClick(window, Qt.Key_Space)
    assert session.playing
    qtbot.waitUntil(lambda: session.snapshot.metrics.train_loss < start / 10, timeout=15_000)  # as soon as it has
    qtbot.keyClick(window, Qt.Key_Space)
    assert not session.playing
    fresh(session)
    assert session.snapshot.metrics.train_loss < start / 10


def test_a_huge_learning_rate_pauses_with_a_divergence_message(window, qtbot):
    session = window.session
    session.update_settings(optimizer="sgd", learning_rate=10.0)
    session.play()
    qtbot.waitUntil(lambda: session.up_to_date and not session.playing, timeout=15_000)
    snap = session.snapshot
    assert snap.blocked_reason.startswith("diverged at step")
    assert "learning rate" in window.statusBar().currentMessage()
    assert np.isfinite(snap.parameters).all()
    assert np.isfinite(snap.curves.fit).all()


def test_the_fit_curve_is_drawn_in_red_where_the_fit_is(window, qtbot):
    session = window.session
    session.step(3000)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 3000, timeout=15_000)
    plot = window.fit_view.plot
    image = plot.grab().toImage()
    curves = session.snapshot.curves
    # probe midway between neighbouring training points, where no blue dot covers the curve
    xs = np.sort(session.points.X[:, 0])
    widest = np.argsort(np.diff(xs))[-4:]
    hits = 0
    for x in (xs[widest] + xs[widest + 1]) / 2:
        y = float(np.interp(x, curves.xs, curves.fit))
        p = plot.data_to_widget(x, y)
        reddish = [QColor(image.pixel(p.x() + dx, p.y() + dy)) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
        hits += any(c.red() > 180 and c.green() < 90 and c.blue() < 90 for c in reddish)
    assert hits == 4


@pytest.mark.process
def test_closing_while_training_exits_cleanly():
    script = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from playground.ui.application import create_app
        from playground.ui.main_window import MainWindow
        if __name__ == "__main__":
            app = create_app()
            w = MainWindow(); w.show()
            w.session.play()
            # closed once it trains (from the event loop, as a click on the close button would)
            w.session.snapshot_changed.connect(lambda snap: snap.step > 0 and QTimer.singleShot(0, w.close))
            sys.exit(app.exec())
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr and "Traceback" not in result.stderr


def test_switching_mode_and_back_keeps_the_drawn_points(window, qtbot):
    session = window.session
    session.add_points([[0.25, 1.2]])
    drawn = session.points
    window.controls.mode.setCurrentIndex(window.controls.mode.findData(CLASSIFICATION))
    assert session.mode == CLASSIFICATION and session.points.X.shape[1] == 2
    window.controls.mode.setCurrentIndex(window.controls.mode.findData("regression"))
    np.testing.assert_array_equal(session.points.X, drawn.X)
    np.testing.assert_array_equal(session.points.y, drawn.y)
    session.undo()  # the undo history came back too: the drawn point goes
    assert len(session.points) == len(drawn) - 1


def test_the_stopped_banner_shows_why_and_goes_after_reset(window, qtbot):
    session = window.session
    session.update_settings(optimizer="sgd", learning_rate=10.0)
    session.set_speed(None)
    session.play()
    qtbot.waitUntil(lambda: window.stopped_banner.isVisible(), timeout=15_000)
    assert "diverged at step" in window.stopped_banner.text()
    qtbot.keyClick(window, Qt.Key_R)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 0, timeout=10_000)
    assert not window.stopped_banner.isVisible()


def test_a_committed_field_gives_the_keys_back_to_the_window(window, qtbot):
    field = window.controls.l2
    field.setFocus()
    field.setText("0.001")
    qtbot.keyClick(field, Qt.Key_Return)
    assert window.session.settings.l2 == 0.001
    assert not field.hasFocus()
    qtbot.keyClick(window, Qt.Key_Space)  # now Space plays instead of typing into the field
    assert window.session.playing


def test_generating_data_with_fewer_classes_resizes_the_softmax(window, qtbot, fresh):
    session = window.session
    session.set_mode(CLASSIFICATION)
    session.set_current_class(2)
    session.add_points([[0.1, 0.1]])
    assert session.layer_sizes[-1] == 3
    with qtbot.waitSignal(session.model_changed):
        session.generate("xor", 100, 0.0, 0)
    fresh(session)
    assert session.snapshot.layer_sizes[-1] == 2


def test_the_scene_box_names_the_scene_however_it_was_loaded(window):
    window.session.load_preset("circles")  # as a session file or `playground export` would
    assert window.presets.currentData() == "circles"
    window.scenes_menu.actions()[0].trigger()
    assert window.presets.currentData() == "bishop-x2"


def test_a_staircase_schedule_is_drawn_on_a_log_axis_with_equal_steps(window, qtbot, fresh):
    session, plot = window.session, window.loss_plot
    session.update_settings(learning_rate=0.3, schedule="step", schedule_params={"step_size": 100, "gamma": 0.1})
    session.step(1)
    fresh(session)
    qtbot.waitUntil(lambda: plot.log_rates, timeout=5_000)
    steps, curve = plot.schedule_curve.getData()
    expected = np.log10(0.3 * 0.1 ** (steps // 100))  # StepLR's closed form, in decades
    np.testing.assert_allclose(curve, expected, rtol=1e-12)
    session.update_settings(schedule="constant", schedule_params={})
    session.step(1)
    fresh(session)
    qtbot.waitUntil(lambda: not plot.log_rates, timeout=5_000)
