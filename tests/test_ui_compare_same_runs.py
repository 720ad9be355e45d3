"""Two runs of the same settings and seed are the same run: a copy made mid-training and played beside its source
has, at the same step, the same weights and loss, and both equal the engine's own run of that many steps. What a
teacher saw differ while playing was the step: the runs train in their own processes and stand a few steps apart."""

import numpy as np
import pytest
from test_ui_compare import _all_fresh, _open, _step_all

from playground.data.compare_scenes import COMPARE_SCENES


@pytest.mark.process  # the runs play in their own processes, as in the app
def test_a_played_copy_equals_its_source_and_the_engines_run_at_the_same_step(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 40)
    compare.runs.duplicate(2)  # a copy of the ReLU run at step 40: weights, optimizer state, batch order
    qtbot.waitUntil(lambda: len(compare.runs.runs) == 4)
    _all_fresh(qtbot, window)
    relu, copy = compare.runs.runs[2], compare.runs.runs[3]
    window.play_action.trigger()
    qtbot.waitUntil(lambda: all(r.snapshot.step > 300 for r in (relu, copy)), timeout=30_000)
    window.play_action.trigger()  # Pause lines the runs up at one step (ui/compare_align.py)
    qtbot.waitUntil(lambda: not compare.alignment.waiting, timeout=15_000)
    qtbot.waitUntil(lambda: all(not r.playing and r.up_to_date for r in compare.runs.runs), timeout=15_000)
    last = relu.snapshot.step
    assert copy.snapshot.step == last
    np.testing.assert_array_equal(copy.snapshot.parameters, relu.snapshot.parameters)
    assert copy.snapshot.metrics.train_loss == relu.snapshot.metrics.train_loss

    scene = COMPARE_SCENES["compare-flat"]
    trainer = scene.build(scene.runs[2])  # the engine alone, no window or worker: the ReLU run, `last` steps
    trainer.run(last)
    np.testing.assert_allclose(relu.snapshot.parameters, trainer.network.parameters, rtol=0, atol=1e-12)


@pytest.mark.process
def test_pause_lines_the_runs_up_at_one_step_and_says_so(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    runs = compare.runs.runs
    window.play_action.trigger()
    qtbot.waitUntil(lambda: all(r.snapshot.step > 200 for r in runs), timeout=30_000)
    with qtbot.waitSignal(window.session.message, timeout=15_000,
                          check_params_cb=lambda text: text.startswith("paused: every run at step")) as said:
        window.play_action.trigger()
    qtbot.waitUntil(lambda: all(not r.playing and r.up_to_date for r in runs), timeout=15_000)
    steps = {r.snapshot.step for r in runs}
    assert len(steps) == 1 and f"{steps.pop():,}" in said.args[0]


def test_a_run_far_behind_on_purpose_is_not_stepped_up_at_pause(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    _step_all(qtbot, window, 30)
    window.session.set_speed(10)  # one second of training: 10 steps
    run = compare.runs.runs[1]
    run.reset(run.seed)  # as the ⋮ menu's Seed does: back to step 0, 30 behind
    qtbot.waitUntil(lambda: run.up_to_date and run.snapshot.step == 0)
    window.play_action.trigger()
    window.play_action.trigger()  # at once: run 1 stays near 30, run 2 near 0
    qtbot.waitUntil(lambda: all(not r.playing and r.up_to_date for r in compare.runs.runs))
    qtbot.waitUntil(lambda: not compare.alignment.waiting)
    assert run.snapshot.step < 10 <= compare.runs.runs[0].snapshot.step
