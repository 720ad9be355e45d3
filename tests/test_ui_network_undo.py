"""A network rebuild is one undo step: Ctrl+Z brings back the previous network with its trained weights."""

import numpy as np
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import Qt


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def press_undo(qtbot, window, modifiers=Qt.ControlModifier):
    """Ctrl+Z (or Ctrl+Shift+Z) that swaps networks: it asks the service for the state without waiting, and
    the network comes back when the answer does."""
    with qtbot.waitSignal(window.session.model_changed):
        qtbot.keyClick(window, Qt.Key_Z, modifiers)
    wait_fresh(qtbot, window.session)


def test_ctrl_z_brings_back_the_trained_network_and_ctrl_shift_z_the_new_one(window, qtbot):
    session = window.session
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()  # a fresh scene
    train_to(qtbot, session, 1500)
    trained = session.snapshot
    type_into(qtbot, window.controls.units, "10")
    wait_fresh(qtbot, session)
    assert session.snapshot.layer_sizes == (1, 10, 1) and session.snapshot.step == 0
    assert window.undo_action.isEnabled() and window.controls.history_buttons["Undo"].isEnabled()
    fresh_ten = session.snapshot.parameters.copy()

    press_undo(qtbot, window)
    back = session.snapshot
    assert back.layer_sizes == (1, 3, 1) and back.step == 1500 and session.hidden == (3,)
    np.testing.assert_array_equal(back.parameters, trained.parameters)
    assert back.metrics.train_loss == trained.metrics.train_loss
    assert back.loss_steps[-2] == trained.loss_steps[-1]  # the loss curve came back too
    assert window.controls.units.value() == 3 and "on screen" not in window.caption.text()
    assert window.redo_action.isEnabled()

    press_undo(qtbot, window, Qt.ControlModifier | Qt.ShiftModifier)
    assert session.snapshot.layer_sizes == (1, 10, 1)
    np.testing.assert_array_equal(session.snapshot.parameters, fresh_ten)
    assert "on screen: network 1 → 10 → 1 tanh]" in window.caption.text()


def test_a_stroke_after_a_rebuild_is_undone_first_then_the_rebuild(window, qtbot):
    session = window.session
    train_to(qtbot, session, 200)
    weights = session.snapshot.parameters.copy()
    window.controls.activation.setCurrentIndex(window.controls.activation.findData("relu"))
    wait_fresh(qtbot, session)  # the trained network's state came back before the new network's snapshot
    session.add_points([[0.5, 0.5]])
    n = len(session.points)
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert len(session.points) == n - 1 and session.activation == "relu"
    press_undo(qtbot, window)
    assert session.activation == "tanh" and session.snapshot.step == 200
    np.testing.assert_array_equal(session.snapshot.parameters, weights)


def test_reset_after_training_is_undoable_too(window, qtbot):
    session = window.session
    train_to(qtbot, session, 300)
    weights = session.snapshot.parameters.copy()
    qtbot.keyClick(window, Qt.Key_R)
    wait_fresh(qtbot, session)
    assert session.snapshot.step == 0
    press_undo(qtbot, window)
    assert session.snapshot.step == 300
    np.testing.assert_array_equal(session.snapshot.parameters, weights)
