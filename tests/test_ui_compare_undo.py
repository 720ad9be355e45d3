"""Ctrl+Z in compare mode, through the window: a run removed from its panel's ⋮ menu comes back exactly as it was
(weights, step, label, colour), a duplicated run goes again, Ctrl+Shift+Z redoes, and the runs' steps interleave
with the points' undo in the order they were made."""

import numpy as np
from PySide6.QtCore import Qt
from test_ui_compare import _action, _all_fresh, _open, _step_all


def _undo(qtbot, window):
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)


def _redo(qtbot, window):
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)


def _panel_menu_action(compare, index, text):
    return _action(compare.panels.panels[index].menu_button.menu(), text)


def test_a_run_removed_from_its_menu_comes_back_with_ctrl_z_as_it_was(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 30)
    runs = compare.runs
    removed = runs.runs[1]
    parameters, step = removed.snapshot.parameters.copy(), removed.snapshot.step
    labels, colours = list(runs.labels), list(runs.colours)
    _panel_menu_action(compare, 1, "Remove run").trigger()
    assert len(compare.panels.panels) == 2 and removed not in runs.runs
    assert window.undo_action.isEnabled()
    _undo(qtbot, window)
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 3)
    assert runs.runs[1] is removed
    assert runs.labels == labels and runs.colours == colours
    assert compare.panels.panels[1].label.full_text() == f"2. {labels[1]}"
    _all_fresh(qtbot, window)
    assert removed.snapshot.step == step
    np.testing.assert_array_equal(removed.snapshot.parameters, parameters)  # the same weights, not a new run
    for _ in range(5):  # and it trains on with the others
        window.step_action.trigger()
    qtbot.waitUntil(lambda: removed.up_to_date and removed.snapshot.step == step + 5)

    _redo(qtbot, window)  # removed again
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 2)
    assert removed not in runs.runs
    _undo(qtbot, window)
    qtbot.waitUntil(lambda: runs.runs[1:2] == [removed])


def test_a_duplicated_run_goes_with_ctrl_z_and_comes_back_with_ctrl_shift_z(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    _step_all(qtbot, window, 20)
    runs = compare.runs
    _panel_menu_action(compare, 1, "Duplicate run").trigger()
    qtbot.waitUntil(lambda: len(runs.runs) == 3)
    copy = runs.runs[2]
    _undo(qtbot, window)
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 2)
    assert copy not in runs.runs
    _redo(qtbot, window)
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 3)
    assert runs.runs[2] is copy


def test_run_steps_and_point_edits_undo_in_the_order_they_were_made(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    runs = compare.runs
    n_points = len(window.session.points)
    removed = runs.runs[2]
    runs.remove(2)
    plot = compare.panels.panels[0].plot
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.4, -0.3))  # a point after the removal
    assert len(window.session.points) == n_points + 1
    _undo(qtbot, window)  # the newest step first: the point
    assert len(window.session.points) == n_points and len(runs.runs) == 2
    _undo(qtbot, window)  # then the removal
    qtbot.waitUntil(lambda: len(runs.runs) == 3)
    assert runs.runs[2] is removed and len(removed.points) == n_points  # on the points as they are now
    _redo(qtbot, window)  # redo in order: the removal, then the point
    qtbot.waitUntil(lambda: len(runs.runs) == 2)
    _redo(qtbot, window)
    assert len(window.session.points) == n_points + 1


def test_another_scene_forgets_the_removed_runs_and_stops_their_workers(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    removed = compare.runs.runs[2]
    compare.runs.remove(2)
    assert removed.link.endpoint.alive  # kept whole for undo
    _open(qtbot, window, "compare-xnor")
    qtbot.waitUntil(lambda: not removed.link.endpoint.alive)
    assert not compare.runs.history.can_undo()
    window.undo_action.trigger()
    assert all(run is not removed for run in compare.runs.runs)


def test_a_setting_changed_from_a_runs_menu_goes_back_with_ctrl_z(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 30)
    runs = compare.runs
    run = runs.runs[1]
    parameters, labels = run.snapshot.parameters.copy(), list(runs.labels)
    assert run.activation == "tanh"
    _action(_panel_menu_action(compare, 1, "Activation").menu(), "ReLU").trigger()
    qtbot.waitUntil(lambda: run.up_to_date and run.snapshot.activation == "relu")
    assert run.snapshot.step == 0 and runs.labels[1] != labels[1]  # a new network, labelled by what differs
    qtbot.waitUntil(window.undo_action.isEnabled)  # once the worker has answered with the old network
    with qtbot.waitSignal(window.session.message) as said:  # the status bar says what Ctrl+Z took back
        _undo(qtbot, window)
    assert said.args[0].startswith("undone: run 2's change") and labels[1] in said.args[0]
    qtbot.waitUntil(lambda: run.up_to_date and run.snapshot.activation == "tanh")
    assert run.activation == "tanh" and run.snapshot.step == 30
    np.testing.assert_array_equal(run.snapshot.parameters, parameters)  # its trained weights, not new ones
    assert runs.labels == labels
    qtbot.waitUntil(window.redo_action.isEnabled)
    _redo(qtbot, window)
    qtbot.waitUntil(lambda: run.up_to_date and run.snapshot.activation == "relu")


def test_run_1s_greyed_remove_says_why_on_hover(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    remove = _panel_menu_action(compare, 0, "Remove run")
    assert not remove.isEnabled()
    assert "main run" in remove.toolTip() and remove.parent().toolTipsVisible()
