"""The schedule in the window: a floor, a restart of its clock that keeps the weights, base-rate edits on the plot."""

import math

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import Qt


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def choose(qtbot, combo, key):
    combo.setCurrentIndex(combo.findData(key))


def test_a_decayed_staircase_stops_at_its_floor_and_restarts_without_losing_the_weights(window, qtbot):
    session, controls = window.session, window.controls
    type_into(qtbot, controls.lr, "0.03")
    choose(qtbot, controls.schedule_box.schedule, "step")
    type_into(qtbot, controls.schedule_box.fields["step", "step_size"], "20")
    assert session.settings.schedule_params == {"step_size": 20, "gamma": 0.1, "min_lr": 1e-4}
    train_to(qtbot, session, 400)  # 20 drops of 10×: without a floor η would be 3e-22
    assert session.snapshot.learning_rate == pytest.approx(1e-4)
    ticks = window.loss_plot.lr.getAxis("left")._tickLevels[0]
    assert len(ticks) <= 5  # 0.03 … 1e-4: no pile of labels down to 1e-16

    weights = session.snapshot.parameters.copy()
    qtbot.mouseClick(controls.schedule_box.restart, Qt.LeftButton)
    wait_fresh(qtbot, session)
    snap = session.snapshot
    assert snap.step == 400 and snap.schedule_origin == 400
    assert snap.learning_rate == pytest.approx(0.03)
    np.testing.assert_array_equal(snap.parameters, weights)
    curve = window.loss_plot.schedule_curve
    qtbot.waitUntil(lambda: curve.getData()[0][0] == 400, timeout=5_000)  # drawn from the restart on
    assert curve.getData()[1][0] == pytest.approx(math.log10(0.03))
    assert "restarted at step 400" in window.loss_plot.lr_header.text()

    type_into(qtbot, controls.lr, "0.1")  # a new base rate shows on the plot and in the marker
    wait_fresh(qtbot, session)
    qtbot.waitUntil(lambda: curve.getData()[1][0] == pytest.approx(math.log10(0.1)), timeout=5_000)
    assert session.snapshot.learning_rate == pytest.approx(0.1)


def test_a_base_rate_below_the_floor_is_refused_and_the_field_shows_the_rate_in_use(window, qtbot):
    session, controls = window.session, window.controls
    choose(qtbot, controls.schedule_box.schedule, "cosine")
    rate = session.settings.learning_rate
    with qtbot.waitSignal(session.message) as said:
        type_into(qtbot, controls.lr, "0.00005")
    assert "minimum rate" in said.args[0]
    assert session.settings.learning_rate == rate and controls.lr.value() == rate
