"""Compare mode through the real window: scenes open as panels, drawing reaches every run, Play trains every run,
the menus duplicate, change, remove and promote runs, and the loss plot overlays one curve per run."""

import functools
import json
import math
import os

import numpy as np
import pytest
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt

from playground.data.compare_scenes import COMPARE_SCENES
from playground.ui.compare_mode import COMPARE_MARK
from playground.ui.compare_run import RUN_COLORS
from playground.ui.compare_runs import WORKER_NICENESS


def _action(menu, text):
    """The action of ``menu`` whose text starts with ``text`` (menus filled on opening are filled first)."""
    menu.aboutToShow.emit()
    for action in menu.actions():
        if action.text().replace("&", "").startswith(text):
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def _n_points(curve) -> int:
    xs = curve.getData()[0]
    return 0 if xs is None else len(xs)


def _all_fresh(qtbot, window):
    for run in window.compare.runs.runs:
        wait_fresh(qtbot, run)


def _open(qtbot, window, key):
    window.compare.open_scene(key)
    _all_fresh(qtbot, window)
    return window.compare


def _step_all(qtbot, window, steps):
    """``steps`` steps for every run with the window's own transport (Step follows to every run)."""
    for _ in range(steps):
        window.step_action.trigger()
    qtbot.waitUntil(lambda: all(r.up_to_date and r.snapshot.step == steps for r in window.compare.runs.runs),
                    timeout=15_000)


def test_a_compare_scene_from_the_scenes_menu_shows_one_labelled_panel_per_run(qtbot, window):
    scene = COMPARE_SCENES["compare-flat"]
    _action(window.menu("scenes"), f"{COMPARE_MARK} {scene.title}").trigger()
    _all_fresh(qtbot, window)
    compare = window.compare
    assert window.main_views.currentWidget() is compare.panels
    assert [p.label.full_text() for p in compare.panels.panels] == ["1. logistic", "2. tanh", "3. ReLU"]
    assert [r.activation for r in compare.runs.runs] == ["logistic", "tanh", "relu"]
    assert all(p.isVisible() and p.plot.width() > 100 for p in compare.panels.panels)
    assert scene.title in window.caption.text()
    window.session.set_architecture((16, 16), "relu")  # the controls act on run 1: its label says what it is now
    qtbot.waitUntil(lambda: compare.panels.panels[0].label.full_text() == "1. ReLU")
    assert [p.label.full_text() for p in compare.panels.panels][1:] == ["2. tanh", "3. ReLU"]
    window.session.load_preset("xor")  # another scene: compare mode ends, the data plot is back
    qtbot.waitUntil(lambda: not compare.active)
    assert window.main_views.currentWidget() is window.class_plot


def test_a_click_on_any_panel_adds_the_point_to_every_run(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    plot = compare.panels.panels[1].plot
    before = len(window.session.points)
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, 0.25))
    _all_fresh(qtbot, window)
    for run in compare.runs.runs:
        assert len(run.points) == before + 1
        assert run.points.X[-1] == pytest.approx([0.5, 0.25], abs=0.05)
    window.session.undo()  # one undo, for every run
    assert all(len(run.points) == before for run in compare.runs.runs)


def test_steps_train_every_run_as_its_headless_run_does(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    _step_all(qtbot, window, 300)
    headless = COMPARE_SCENES["compare-xnor"].train(300)  # data.compare: the same runs without a window
    for run, result in zip(compare.runs.runs, headless):
        assert run.snapshot.metrics.train_loss == pytest.approx(result.metrics.train_loss, rel=1e-9)
    no_hidden, hidden = (r.snapshot.metrics for r in compare.runs.runs)
    assert no_hidden.train_loss == pytest.approx(math.log(2), abs=0.01)  # no line separates XNOR
    assert hidden.train_loss < 0.1 and hidden.train_accuracy == 1.0


def test_the_feature_map_scene_trains_each_run_on_its_own_inputs_as_headless(qtbot, window):
    """The lecture's first contrast in the window: a linear model on φ(x) = (x₁², x₂²) separates the circles, the
    same model on the raw x cannot; each run's features come from the scene, as ``playground train`` takes them."""
    compare = _open(qtbot, window, "compare-feature-map")
    assert [run.scene.features for run in compare.runs.runs] == [("x1^2", "x2^2"), None, None]
    _step_all(qtbot, window, 300)
    headless = COMPARE_SCENES["compare-feature-map"].train(300)
    for run, result in zip(compare.runs.runs, headless):
        assert run.snapshot.metrics.train_loss == pytest.approx(result.metrics.train_loss, rel=1e-9)
    on_phi, mlp, raw = (r.snapshot.metrics.train_accuracy for r in compare.runs.runs)
    assert on_phi >= 0.98 and raw < 0.75


@pytest.mark.process  # four runs playing at once: in-process worker threads would share one GIL with the window
def test_play_trains_every_run_and_the_loss_plot_overlays_one_curve_per_run(qtbot, window):
    compare = _open(qtbot, window, "compare-units")
    compare.runs.remove(3)
    window.play_action.trigger()
    compare.runs.duplicate(2)  # a run added while the others play joins them
    qtbot.waitUntil(lambda: len(compare.runs.runs) == 4)
    assert all(r.playing for r in compare.runs.runs)
    # (the copy has no snapshot until its new training process answers). Training, not how far: a few snapshots'
    # worth of steps (each run's worker runs at a lower priority, so on a loaded machine 300 steps each took > 20 s)
    qtbot.waitUntil(lambda: all(r.snapshot is not None and r.snapshot.step > 50 for r in compare.runs.runs),
                    timeout=20_000)
    if window.session.playing:  # (a loaded machine may reach the scene's budget first, which pauses every run)
        window.play_action.trigger()
    # the other runs follow run 1; or, where run 1 reached the budget, each run stops at it (the copy started later)
    qtbot.waitUntil(lambda: not any(r.playing for r in compare.runs.runs), timeout=20_000)
    losses = [r.snapshot.metrics.train_loss for r in compare.runs.runs[:3]]
    assert len(set(losses)) == 3  # 1, 3 and 10 units: different fits
    qtbot.waitUntil(lambda: all(_n_points(c) > 1 for c in compare.loss_overlay.loss_curves[:3]))
    loss_plot = window.loss_plot
    curves = [c for c in loss_plot.loss.plotItem.listDataItems() if _n_points(c) > 1]
    assert len(curves) == 4  # run 1's own curve and one per other run
    colours = [c.opts["pen"].color().getRgb()[:3] for c in compare.loss_overlay.loss_curves[:3]]
    assert colours == list(RUN_COLORS[1:4])
    assert len([c for c in compare.loss_overlay.schedule_curves if _n_points(c) > 1]) == 3


def test_duplicate_change_remove_and_make_main_with_the_menus(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    _step_all(qtbot, window, 50)
    compare_menu = compare.menu.menu()
    _action(_action(compare_menu, "Duplicate run").menu(), "2.").trigger()
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 3)
    copy = compare.runs.runs[2]
    wait_fresh(qtbot, copy)
    assert copy.snapshot.step == 50  # a copy of run 2 where it stands: weights, optimizer state and step
    assert copy.snapshot.metrics.train_loss == pytest.approx(compare.runs.runs[1].snapshot.metrics.train_loss)

    panel_menu = compare.panels.panels[2].menu_button.menu()  # the copy's ⋮ menu: one setting changed
    _action(_action(panel_menu, "Activation").menu(), "ReLU").trigger()
    assert copy.activation == "relu" and compare.runs.runs[1].activation == "tanh"
    assert compare.panels.panels[2].label.full_text().endswith("ReLU")
    assert [r.snapshot.step for r in compare.runs.runs[:2]] == [50, 50]  # the others keep their network and step

    _action(_action(compare_menu, "Remove run").menu(), "3.").trigger()
    assert len(compare.panels.panels) == 2

    _action(_action(compare_menu, "Make main run").menu(), "2.").trigger()
    qtbot.waitUntil(lambda: not compare.active)
    wait_fresh(qtbot, window.session)
    assert window.session.hidden == (2,)  # run 2's network is the main run's now, at its step
    assert window.session.snapshot.step == 50
    assert window.main_views.currentWidget() is window.class_plot


@pytest.mark.process
def test_compare_runs_train_in_worker_processes(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    assert all(type(r.link.endpoint).__name__ == "WorkerProcess" for r in compare.runs.runs)
    # every run's worker yields to the window that draws the panels
    assert all(os.getpriority(os.PRIO_PROCESS, r.link.endpoint.process.pid) == WORKER_NICENESS
               for r in compare.runs.runs)  # (once started: each has sent a snapshot by now)
    window.play_action.trigger()
    qtbot.waitUntil(lambda: all(r.snapshot.step > 100 for r in compare.runs.runs), timeout=30_000)
    window.play_action.trigger()


@pytest.mark.process
def test_the_compare_bench_measures_every_run_against_headless(qtbot, capsys, monkeypatch):
    from playground.commands import compare_bench
    from playground.commands.cli import main

    # one round of its three: the medians of one round are that round's numbers, and each round measures alike
    monkeypatch.setattr(compare_bench, "run_compare_bench", functools.partial(compare_bench.run_compare_bench, rounds=1))
    assert main(["bench", "--ui", "--compare", "2", "--seconds", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(result["steps_per_s"]) == len(result["ratios"]) == 2
    assert all(rate > 0 for rate in result["steps_per_s"]) and result["fps"] > 0
    assert all(ratio > 0 for ratio in result["ratios"]) and result["headless_steps_per_s"] > 0
    assert 0 < result["window_cpu"] <= os.cpu_count() and result["load_average"] >= 0  # how busy the machine was


def test_bench_compare_takes_two_to_four_runs(capsys):
    from playground.commands.cli import main

    with pytest.raises(SystemExit) as info:
        main(["bench", "--ui", "--compare", "5"])
    assert info.value.code == 2
    assert "--compare" in capsys.readouterr().err


def test_save_and_open_in_compare_mode_continue_every_run_with_the_same_numbers(qtbot, window, tmp_path):
    """File ▸ Save in compare mode writes every run (version 2); opening it in a fresh window shows the same
    panels and labels, each run at its step, and the next steps equal the original's, bit for bit."""
    from playground.data import session_file
    from playground.ui.main_window import MainWindow

    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 40)
    compare.runs.runs[2].update_settings(learning_rate=0.03)  # changed after the scene: its own settings are saved
    compare.runs.changed_by_hand(2)
    path = tmp_path / "flat.json"
    assert window.files.save_to(path)
    saved = json.loads(path.read_text())
    assert saved["version"] == 2 and len(saved["compare"]["runs"]) == 2
    for _ in range(25):
        window.step_action.trigger()
    qtbot.waitUntil(lambda: all(r.up_to_date and r.snapshot.step == 65 for r in compare.runs.runs), timeout=15_000)
    continued = [r.snapshot.parameters for r in compare.runs.runs]
    labels = [p.label.full_text() for p in compare.panels.panels]

    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    try:
        assert other.files.open(path)
        reopened = other.compare
        _all_fresh(qtbot, other)
        assert [p.label.full_text() for p in reopened.panels.panels] == labels
        assert [r.snapshot.step for r in reopened.runs.runs] == [40, 40, 40]
        assert reopened.runs.runs[2].settings.learning_rate == 0.03
        for _ in range(25):
            other.step_action.trigger()
        qtbot.waitUntil(lambda: all(r.up_to_date and r.snapshot.step == 65 for r in reopened.runs.runs),
                        timeout=15_000)
        for run, parameters in zip(reopened.runs.runs, continued):
            np.testing.assert_array_equal(run.snapshot.parameters, parameters)
    finally:
        other.close()
    assert session_file.load(path).compare.labels == ("logistic", "tanh", None)


def _longest_run_of(image, rgb) -> int:
    """The longest horizontal run of pixels of exactly ``rgb`` in ``image`` (a QImage)."""
    pixels = np.frombuffer(image.convertToFormat(image.Format.Format_RGB888).constBits(), dtype=np.uint8)
    rows = pixels.reshape(image.height(), -1)[:, :3 * image.width()].reshape(image.height(), image.width(), 3)
    hit = np.all(rows == np.array(rgb, dtype=np.uint8), axis=2)
    best = 0
    for row in hit[hit.any(axis=1)]:
        edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(np.int8), [0]])))
        best = max(best, int(np.max(edges[1::2] - edges[::2])))
    return best


def test_the_headless_export_of_a_compare_scene_draws_its_panels(qtbot, tmp_path, capsys):
    from PySide6.QtGui import QImage

    from playground.commands.cli import main

    out = tmp_path / "xnor.png"
    assert main(["export", "--preset", "compare-xnor", "--steps", "200", "--size", "1280x720", "--out", str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    for colour in RUN_COLORS[:2]:  # each panel's header rule, in its run's colour, across the panel
        assert _longest_run_of(image, colour) > 200
    assert _longest_run_of(image, RUN_COLORS[2]) == 0  # two runs, two panels
