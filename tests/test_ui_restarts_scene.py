"""The Restarts view after a scene change: results trained on the previous scene are cleared and the view says so
(a newcomer saw the circles' best and worst fits on |x|, then |x|'s on the moons, with nothing marking them stale)."""

import numpy as np


def _restarts(window, qtbot, fresh, preset):
    session = window.session
    session.load_preset(preset)
    fresh(session)
    view = window.restarts
    view.seeds.setValue(4)
    view.steps.setValue(300)
    with qtbot.waitSignal(view.result_shown, timeout=30_000):
        qtbot.keyClick(window, "t", modifier=__import__("PySide6.QtCore").QtCore.Qt.ControlModifier)  # Ctrl+T
    assert view.result is not None and len(view.strip.dots.getData()[0]) == 4
    return view


def test_switching_scenes_clears_the_previous_scenes_restarts_and_says_so(window, qtbot, fresh):
    view = _restarts(window, qtbot, fresh, "circles")
    assert "seed" in view.best_panel.plotItem.titleLabel.text
    window.session.load_preset("bishop-abs")           # Scenes ▸ Approximation ability: |x|
    assert view.result is None
    xs, _ = view.strip.dots.getData()
    assert xs is None or len(xs) == 0                   # no dot of the circles' seeds left
    for panel in (view.best_panel, view.worst_panel):
        assert panel.plotItem.titleLabel.text == "" and panel.points.data.size == 0
    assert "Restarts of the previous scene (Two circles) were cleared." in view.summary.text()
    # a new run on this scene shows again, and belongs to it
    view.start()
    qtbot.waitUntil(lambda: view.result is not None, timeout=30_000)
    assert view.result.setup.layer_sizes == tuple(window.session.layer_sizes) == (1, 3, 1)


def test_a_scene_change_during_a_run_stops_it_and_shows_nothing_stale(window, qtbot, fresh):
    session = window.session
    session.load_preset("moons")
    fresh(session)
    view = window.restarts
    view.seeds.setValue(20)
    view.steps.setValue(200_000)                        # long enough to be running when the scene changes
    view.start()
    assert view.running
    with qtbot.waitSignal(view.job.cancelled, timeout=30_000):
        session.load_preset("bishop-x2")
    assert not view.running and view.result is None and view.run_button.isEnabled()
    assert "Restarts of the previous scene (Two moons) were cleared." in view.summary.text()
    assert np.size(view.strip.dots.getData()[0] if view.strip.dots.getData()[0] is not None else []) == 0
