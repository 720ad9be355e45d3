"""The panel's fields as a student meets them: Esc gives the keys back, one truth about the layers, clear refusals,
and a mode switch that keeps the student's optimizer and rate."""

import pytest
from gui_helpers import red_pixels, wait_fresh
from PySide6.QtCore import Qt

from playground.data import get_preset
from playground.data.scene import MODES
from playground.ui.session import CLASSIFICATION


def type_into(qtbot, field, text, enter=True):
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key_Return)


def test_esc_in_a_field_drops_the_edit_and_space_plays_again(window, qtbot):
    field, session = window.controls.l2, window.session
    type_into(qtbot, field, "0.5", enter=False)
    qtbot.keyClick(field, Qt.Key_Escape)
    assert not field.hasFocus() and field.text() == "0" and session.settings.l2 == 0.0
    qtbot.keyClick(window, Qt.Key_Space)
    assert session.playing
    qtbot.keyClick(window, Qt.Key_Space)


def test_a_scene_change_takes_the_focus_out_of_a_field(window, qtbot):
    field, session = window.controls.per_layer, window.session
    type_into(qtbot, field, "", enter=False)
    assert field.hasFocus()
    next(a for a in window.scenes_menu.actions() if a.text().startswith("Approximation ability: f(x) = |x|")).trigger()
    assert not field.hasFocus()
    wait_fresh(qtbot, session)
    qtbot.keyClick(window, Qt.Key_S)  # a step, not an "s" in the field
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 1, timeout=10_000)
    assert field.text() == "3"


def test_hidden_layers_units_and_per_layer_show_one_network(window, qtbot):
    c, session = window.controls, window.session
    assert (c.layers.text(), c.units.text(), c.per_layer.text()) == ("1", "3", "3")
    type_into(qtbot, c.per_layer, "8, 4")
    assert session.hidden == (8, 4)
    assert (c.layers.text(), c.units.text(), c.per_layer.text()) == ("2", "", "8, 4")
    assert c.units.placeholderText() == "per layer"
    type_into(qtbot, c.layers, "3")
    assert session.hidden == (8, 8, 8) and c.per_layer.text() == "8, 8, 8" and c.units.text() == "8"
    type_into(qtbot, c.layers, "0")
    assert session.hidden == () and c.per_layer.text() == ""


@pytest.mark.parametrize("text", ["8,,4", "8, x", "8,", ","])
def test_a_malformed_per_layer_list_is_refused_with_a_message(window, qtbot, text):
    c, session = window.controls, window.session
    with qtbot.waitSignal(session.message) as said:
        type_into(qtbot, c.per_layer, text)
    assert said.args[0].startswith(f"per-layer units: {text!r} is not a list of whole numbers")
    assert session.hidden == (3,) and c.per_layer.text() == "3" and red_pixels(c.per_layer) > c.per_layer.width()


def test_the_seed_refusal_writes_its_limit_as_a_whole_number(window, qtbot):
    with qtbot.waitSignal(window.session.message) as said:
        type_into(qtbot, window.controls.seed, str(2**63))
    assert said.args[0] == f"initialization seed must lie between 0 and {2**63 - 1}; got {2**63}"
    assert str(2**63 - 1) in window.controls.seed.toolTip()


def test_switching_to_2d_keeps_the_students_optimizer_and_rate_and_says_so(make_window, qtbot):
    window = make_window(size=(1280, 720))  # a projector's width: the whole message shows, not "…your optimizer (mor…"
    c, session = window.controls, window.session
    c.optimizer.setCurrentIndex(c.optimizer.findData("sgd"))
    type_into(qtbot, c.lr, "0.2")
    with qtbot.waitSignals([session.message] * 1, timeout=5_000):
        c.mode.setCurrentIndex(c.mode.findData(CLASSIFICATION))
    assert session.mode == CLASSIFICATION
    assert session.settings.optimizer == "sgd" and session.settings.learning_rate == 0.2
    assert c.optimizer.currentData() == "sgd" and c.lr.value() == 0.2
    said = window.statusBar().currentMessage()
    own = get_preset(MODES[CLASSIFICATION].default_preset).settings
    assert said == f"kept your sgd at η 0.2 (this scene's own: {own.optimizer} at {own.learning_rate:g})", said
    assert window.statusBar().toolTip() == ""  # not elided
