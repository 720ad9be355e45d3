"""A run's label reads the same way whichever run it is: by the settings where it differs from run 1 (the main
run), so a copy reads as its source does, says whose copy it is until a setting of its own is changed, and then
names that setting."""

from test_ui_compare import _action, _all_fresh, _open


def _menu(compare, index, *path):
    action = _action(compare.panels.panels[index].menu_button.menu(), path[0])
    for text in path[1:]:
        action = _action(action.menu(), text)
    return action


def _titles(compare) -> list[str]:
    return [p.label.full_text() for p in compare.panels.panels]


def test_a_copy_of_a_run_reads_as_its_source_and_then_as_what_was_changed(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    # the newcomer's steps: run 2 to Adam, then a copy of run 3 ("4. ReLU, SGD" beside "3. ReLU" before)
    _menu(compare, 1, "Optimizer", "Adam").trigger()
    qtbot.waitUntil(lambda: _titles(compare)[1] == "2. tanh, Adam")
    _menu(compare, 2, "Duplicate run").trigger()
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 4)
    _all_fresh(qtbot, window)
    assert _titles(compare) == ["1. logistic", "2. tanh, Adam", "3. ReLU", "4. ReLU (same as 3)"]
    _menu(compare, 3, "Learning rate", "η = 0.3").trigger()
    qtbot.waitUntil(lambda: _titles(compare)[3] == "4. ReLU, η = 0.3")
    assert _titles(compare)[:3] == ["1. logistic", "2. tanh, Adam", "3. ReLU"]


def test_a_duplicate_of_a_one_run_scene_says_it_is_the_same_until_one_setting_differs(qtbot, window):
    window.session.load_preset("xor")
    compare = window.compare
    _action(_action(compare.menu.menu(), "Duplicate run").menu(), "1.").trigger()
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 2)
    _all_fresh(qtbot, window)
    assert _titles(compare) == ["1. run 1", "2. same settings as 1"]
    seed = window.session.seed
    other = (seed + 3) % 10
    _menu(compare, 1, "Seed", f"seed {other}").trigger()
    qtbot.waitUntil(lambda: _titles(compare) == [f"1. seed {seed}", f"2. seed {other}"])
    assert window.session.settings.optimizer == "adam"  # xor's own
    window.session.update_settings(optimizer="sgd")  # the controls change run 1: run 2 now differs in two settings
    qtbot.waitUntil(lambda: _titles(compare) == [f"1. seed {seed}, SGD", f"2. seed {other}, Adam"])
