"""Edit ▸ Restarts… through the real window: N seeds trained off the GUI thread, their final losses on a strip,
the best and worst seed's fits, a click on a dot makes that seed the main run's; the numbers against single runs."""

import math

import numpy as np
from gui_helpers import hover
from PySide6.QtCore import Qt
from test_ui_recorder import click_menu_item

from playground.engine import Network, Trainer


def _adam_bishop_abs(window, qtbot, fresh):
    """The lecture's restarts setup: |x| with 3 logistic units, Adam at 0.03 (data/compare_scenes.py)."""
    session = window.session
    session.load_preset("bishop-abs")
    assert session.update_settings(optimizer="adam", learning_rate=0.03)
    fresh(session)
    return session


def _single_run_loss(session, seed, steps):
    """The independent computation: one plain Trainer for this seed, as the main run would train it."""
    trainer = Trainer(Network(session.layer_sizes, session.activation, seed=seed), session.points.X, session.points.y,
                      session.settings, seed=seed)
    trainer.run(steps)
    return trainer.metrics().train_loss


def _run_button_trains(window, qtbot, seeds, steps):
    """The Restarts view open with ``seeds`` × ``steps``, trained by a click on its Run button; returns the view."""
    view = window.restarts
    view.seeds.setValue(seeds)
    view.steps.setValue(steps)
    view.dock.show()
    with qtbot.waitSignal(view.result_shown, timeout=10_000):
        qtbot.mouseClick(view.run_button, Qt.LeftButton)
    return view


def test_restarts_from_the_menu_show_two_minima_and_a_click_on_a_dot_trains_that_seed(window, qtbot, fresh):
    session = _adam_bishop_abs(window, qtbot, fresh)
    view = window.restarts
    view.seeds.setValue(10)  # seeds 0–9: 6 and 8 end in the worse minimum (the lecture's numbers)
    assert view.steps.value() == 10_000
    assert not view.dock.isVisible()
    with qtbot.waitSignal(view.result_shown, timeout=30_000):
        click_menu_item(qtbot, window.edit_menu, view.action)           # Edit ▸ Restarts…
        assert view.dock.isVisible() and view.cancel_button.isEnabled()  # the GUI thread did not wait for it
    result = view.result
    assert result.setup.seeds == tuple(range(10)) and result.setup.steps == 10_000
    assert view.progress.value() == view.progress.maximum() == 10_000
    losses = result.losses
    best, worst = result.best, result.worst
    assert losses[best] == losses.min() and losses[worst] == losses.max()
    # the lecture's point: two minima (measured 9.8e-5 … 1.3e-4 and 5.9e-4 for seeds 6, 8)
    assert losses[best] < 1.5e-4 and 5e-4 < losses[worst] < 7e-4
    assert {6, 8} <= {s for s, loss in zip(result.setup.seeds, losses) if loss > 5e-4}
    # each seed is its own single run (stacked training is exact)
    for row in (best, worst):
        assert math.isclose(losses[row], _single_run_loss(session, result.setup.seeds[row], 10_000), rel_tol=1e-9)
    # what the view shows
    assert f"seed {result.setup.seeds[best]}<br>loss {losses[best]:.1e}" in view.best_panel.plotItem.titleLabel.text
    assert f"seed {result.setup.seeds[worst]}<br>loss {losses[worst]:.1e}" in view.worst_panel.plotItem.titleLabel.text
    xs, ys = view.strip.dots.getData()
    np.testing.assert_allclose(np.sort(10 ** ys), np.sort(losses))   # one dot per seed, on the log axis
    fit = view.worst_panel.fit.getData()[1]
    assert fit.size and np.isfinite(fit).all()
    assert sum(curve.getData()[0] is not None and len(curve.getData()[0]) > 0
               for curve in view.worst_panel.unit_curves) == 3   # its three hidden units, dashed
    # a click on the worst dot makes its seed the main run's
    assert session.seed != result.setup.seeds[worst]
    qtbot.mouseClick(view.strip.viewport(), Qt.LeftButton, pos=view.strip.dot_position(worst))
    assert session.seed == result.setup.seeds[worst]
    fresh(session)
    assert session.snapshot.step == 0
    expected = Network(session.layer_sizes, session.activation, seed=result.setup.seeds[worst]).parameters
    np.testing.assert_array_equal(session.snapshot.parameters, expected)


def test_restarts_can_be_cancelled_while_they_run(window, qtbot, fresh):
    session = _adam_bishop_abs(window, qtbot, fresh)
    view = window.restarts
    view.steps.setValue(200_000)  # far longer than the test waits
    view.dock.show()
    with qtbot.waitSignal(view.job.progressed, timeout=10_000):  # the event loop runs while it trains
        qtbot.mouseClick(view.run_button, Qt.LeftButton)
    with qtbot.waitSignal(view.job.cancelled, timeout=10_000):
        qtbot.mouseClick(view.cancel_button, Qt.LeftButton)
    assert view.progress.value() < 200_000 and view.result is None
    assert "cancelled" in view.summary.text() and view.run_button.isEnabled()
    assert session.seed == 13  # nothing of the main run changed


def test_restarts_without_points_say_why_in_one_line(window, qtbot, fresh):
    session = window.session
    session.clear_points()
    view = window.restarts
    with qtbot.waitSignal(view.job.failed, timeout=10_000):
        qtbot.mouseClick(view.run_button, Qt.LeftButton)
    said = view.summary.toolTip()  # the plain words after the lecture's
    assert said.startswith("Restarts could not train: ") and "point" in said and "\n" not in said
    assert view.run_button.isEnabled()


def test_hovering_a_dot_names_its_seed_and_loss(window, qtbot, fresh):
    _adam_bishop_abs(window, qtbot, fresh)
    view = _run_button_trains(window, qtbot, seeds=4, steps=200)
    row = view.result.worst

    def hover_the_dot() -> bool:  # where it is now: the dock may still be taking its place when the run is done
        # (delivered to the plot: through the cursor, a dot below the offscreen screen's 800 px reached no widget)
        hover(view.strip.viewport(), view.strip.dot_position(row))
        return view.strip.plotItem.vb.toolTip() != ""
    qtbot.waitUntil(hover_the_dot, timeout=10_000)
    assert view.strip.plotItem.vb.toolTip().startswith(f"seed {row}: final loss {view.result.losses[row]:.2e}")


def test_when_every_seed_diverges_the_view_says_so_and_why(window, qtbot, fresh):
    session = window.session
    session.load_preset("bishop-abs")
    assert session.update_settings(optimizer="sgd", learning_rate=10.0)  # diverges near step 120 (measured)
    view = _run_button_trains(window, qtbot, seeds=3, steps=400)
    assert all(reason and reason.startswith("diverged at step") for reason in view.result.diverged)
    said = view.summary.toolTip()
    assert said.startswith("every one of the 3 seeds diverged (diverged at step") and "learning rate" in said
    xs = view.strip.dots.getData()[0]
    assert xs is None or len(xs) == 0   # no dot for a loss that is not a number


def test_restarts_train_on_the_input_features_the_main_run_takes(window, qtbot, fresh):
    """Circles with no hidden layer on φ(x) = (x₁², x₂²): every seed separates them, as the single run does; on the
    raw x the panels would need another network, so the seeds must see φ too."""
    session = window.session
    session.load_preset("circles")
    assert session.set_architecture((), session.activation) and session.set_features("x1^2,x2^2")
    fresh(session)
    view = window.restarts
    view.seeds.setValue(3)
    view.steps.setValue(1500)
    with qtbot.waitSignal(view.result_shown, timeout=30_000):
        view.action.trigger()
    result = view.result
    assert "could not train" not in view.summary.text()
    X, labels = session.points.X, session.points.y
    phi = np.column_stack([X[:, 0] ** 2, X[:, 1] ** 2])                  # the closed form, not the engine's map
    for row, seed in enumerate(result.setup.seeds):
        W, b = result.parameters[row][:4].reshape(2, 2), result.parameters[row][4:6]
        accuracy = np.mean(np.argmax(phi @ W.T + b, axis=1) == labels)
        assert accuracy >= 0.95, (seed, accuracy)
    regions = view.best_panel.regions.image
    assert regions is not None and np.isfinite(regions).all()
