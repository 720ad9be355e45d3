"""Everything the session-file reader accepts, the engine can train and the file can hold again.

Each case here was seen to crash or to be accepted and then break the app (issue 10 §2); each is now
refused with a one-line message naming the field, or trains and saves a file that opens again.
"""

import json
from dataclasses import replace

import numpy as np
import pytest

from playground.data import scene, session_file
from playground.data.scene import Scene
from playground.data.session_file import SessionDocument, SessionFileError
from playground.engine import Network, Trainer, TrainingSettings
from playground.engine.limits import HISTORY_CAPACITY, LEARNING_RATE, MAX_STEPS

HUGE = 10**400  # a valid JSON integer that no float can hold


def _classification(optimizer="adam", steps=10, **settings) -> dict:
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.intp)
    settings = TrainingSettings(loss="cross_entropy", optimizer=optimizer, learning_rate=0.05, **settings)
    trainer = Trainer(Network([2, 4, 2], "tanh", seed=1), X, y, settings, seed=1)
    trainer.run(steps)
    series = trainer.history.state()
    accuracy = {**series, "values": np.clip(series["values"], 0.0, 1.0)}  # stand-in accuracies
    doc = SessionDocument(Scene("classification", (4,), "tanh", 1, settings, speed=60.0, caption="xor-ish"), X, y,
                          trainer=trainer.state(),
                          curves={name: accuracy if name.endswith("_acc") else series
                                  for name in session_file.CURVES})
    return json.loads(session_file.dumps(doc))


def _set(obj, path, value):
    *head, last = path
    for key in head:
        obj = obj[key]
    obj[last] = value


def _refused(obj, words: str) -> str:
    with pytest.raises(SessionFileError) as info:
        session_file.loads(json.dumps(obj))
    message = str(info.value)
    assert words in message, message
    assert "\n" not in message and len(message) <= 300
    return message


@pytest.mark.parametrize("path, words", [
    (("points", "X", 0, 1), "points.X[0][1]"),
    (("trainer", "parameters", 3), "trainer.parameters[3]"),
    (("settings", "learning_rate"), "settings.learning_rate"),
    (("speed",), "speed"),
    (("settings", "schedule"), "settings"),
    (("trainer", "history", "steps", 0), "trainer.history.steps[0]"),
    (("trainer", "history", "window_sum"), "trainer.history.window_sum"),
    (("loss_curves", "train", "values", 0), "loss_curves.train.values[0]"),
    (("trainer", "optimizer", "m", 0), "trainer.optimizer.m[0]"),
    (("dataset_args",), "dataset_args.noise"),
])
def test_an_integer_too_large_for_a_float_is_refused_naming_its_field(path, words):
    obj = _classification()
    value = {"key": "step", "params": {"step_size": 10, "gamma": HUGE}} if path[-1] == "schedule" else \
        {"noise": HUGE} if path[-1] == "dataset_args" else HUGE
    _set(obj, path, value)
    _refused(obj, words)


@pytest.mark.parametrize("schedule, words", [
    ({"key": "step", "params": {"step_size": 10, "gamma": 1.5}}, "gamma"),
    ({"key": "exponential", "params": {"gamma": 1.001}}, "gamma"),
    ({"key": "cosine", "params": {"total_steps": 1e300}}, "total steps"),
    ({"key": "step", "params": {"step_size": 1e300, "gamma": 0.5}}, "step size"),
])
def test_schedules_that_grow_or_never_end_are_refused(schedule, words):
    obj = _classification()
    obj["settings"]["schedule"] = schedule
    _refused(obj, words)


@pytest.mark.parametrize("name, value", [("learning_rate", 1e-320), ("learning_rate", 1e308),
                                         ("warmup_steps", 10**15), ("momentum", 1.0), ("batch_size", 1e300)])
def test_settings_outside_the_shared_limits_are_refused(name, value):
    obj = _classification()
    obj["settings"][name] = value
    _refused(obj, f"settings.{name}")


def test_the_reader_and_the_engine_accept_the_same_learning_rates():
    for rate in (LEARNING_RATE.low, LEARNING_RATE.high):
        obj = _classification()
        obj["settings"]["learning_rate"] = rate
        assert session_file.loads(json.dumps(obj)).settings.learning_rate == rate
        TrainingSettings(learning_rate=rate).validated()
    for rate in (LEARNING_RATE.low / 2, LEARNING_RATE.high * 2):
        with pytest.raises(ValueError, match="learning rate"):
            TrainingSettings(learning_rate=rate).validated()


def test_a_history_the_training_process_cannot_hold_is_refused():
    obj = _classification()
    rows = HISTORY_CAPACITY  # one more row than a series of that capacity keeps
    obj["trainer"]["history"].update(steps=list(range(rows)), values=[1.0] * rows, stride=1, window_count=0)
    _refused(obj, "trainer.history.steps")
    obj = _classification()
    rows = scene.LOSS_CURVE_CAPACITY
    obj["loss_curves"]["test"].update(steps=list(range(rows)), values=[1.0] * rows)
    _refused(obj, "loss_curves.test.steps")


def test_partial_loss_curves_come_back_complete_over_the_same_steps():
    obj = _classification()
    del obj["loss_curves"]["test"], obj["loss_curves"]["test_acc"]
    doc = session_file.loads(json.dumps(obj))
    assert list(doc.curves) == list(session_file.CURVES)
    np.testing.assert_array_equal(doc.curves["test"]["steps"], doc.curves["train"]["steps"])
    assert np.isnan(doc.curves["test_acc"]["values"]).all()


def test_curves_with_different_steps_are_refused():
    obj = _classification()
    obj["loss_curves"]["test"]["steps"] = obj["loss_curves"]["test"]["steps"][:-1]
    obj["loss_curves"]["test"]["values"] = obj["loss_curves"]["test"]["values"][:-1]
    _refused(obj, "loss_curves.test.steps")


def test_a_lone_surrogate_in_the_caption_is_refused_instead_of_breaking_every_save():
    obj = _classification()
    text = json.dumps(obj).replace('"xor-ish"', '"xor\\ud800ish"')
    with pytest.raises(SessionFileError, match=r"caption: character 4 .*lone surrogate"):
        session_file.loads(text)


def test_weights_that_overflow_stop_training_and_the_file_still_opens(tmp_path):
    """Adam's moments from a file are finite but huge: the next update overflows the weights. Training
    stops with a reason, the weights stay the last finite ones, and the saved file opens again."""
    obj = _classification("adam")
    m = obj["trainer"]["optimizer"]["m"]
    obj["trainer"]["optimizer"]["m"] = [1e308] * len(m)
    obj["trainer"]["optimizer"]["v"] = [0.0] * len(m)
    doc = session_file.loads(json.dumps(obj))
    trainer = session_file.build_trainer(doc)
    before = trainer.network.parameters.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        assert trainer.run(50) == 0
    assert "overflowed" in trainer.blocked_reason
    np.testing.assert_array_equal(trainer.network.parameters, before)
    path = tmp_path / "s.json"
    session_file.save(path, SessionDocument(doc.scene, doc.X, doc.y, trainer=trainer.state()))
    assert session_file.load(path).trainer["diverged"] == trainer.blocked_reason


def test_the_step_counter_stops_at_its_limit_so_a_saved_file_opens_again():
    obj = _classification("sgd")
    obj["trainer"].update(step=MAX_STEPS - 3, epoch=5)
    obj["trainer"]["optimizer"]["t"] = MAX_STEPS - 3
    doc = session_file.loads(json.dumps(obj))
    trainer = session_file.build_trainer(doc)
    assert trainer.run(50) == 3 and trainer.step_count == MAX_STEPS
    assert "limit" in trainer.blocked_reason
    again = session_file.loads(session_file.dumps(SessionDocument(
        doc.scene, doc.X, doc.y, trainer=trainer.state())))
    assert again.trainer["step"] == MAX_STEPS
    obj["trainer"]["step"] = MAX_STEPS + 1
    _refused(obj, "trainer.step")


def test_a_document_the_reader_would_refuse_is_never_written(tmp_path):
    obj = _classification()
    doc = session_file.loads(json.dumps(obj))
    path = tmp_path / "s.json"
    session_file.save(path, doc)
    good = path.read_bytes()
    bad = SessionDocument(replace(doc.scene, caption="x" * (scene.MAX_CAPTION + 1)), doc.X, doc.y)
    with pytest.raises(SessionFileError, match="not saved.*caption"):
        session_file.save(path, bad)
    assert path.read_bytes() == good


def test_the_output_width_and_loss_rules_are_the_modes():
    assert scene.output_width("regression", np.array([[5.0]])) == 1
    assert scene.output_width("classification", np.array([], dtype=np.intp)) == 2
    assert scene.output_width("classification", np.array([0, 4, 1])) == 5
    assert scene.output_width("regression-2d", np.array([[5.0], [-2.0]])) == 1
    assert [scene.loss_for(m) for m in scene.MODES] == ["mse", "cross_entropy", "mse"]
    with pytest.raises(ValueError, match="mode"):
        scene.loss_for("3d")


def test_a_state_saved_after_an_epochs_last_short_batch_opens_again():
    """40 points in batches of 7: the sixth step takes the last 5 and leaves the cursor at 42, past the
    end; the file used to refuse it (found by the session fuzz test)."""
    obj = _classification("sgd", steps=0, batch_size=7)
    doc = session_file.loads(json.dumps(obj))
    trainer = session_file.build_trainer(doc)
    trainer.run(6)
    state = trainer.state()
    assert state["cursor"] > len(doc.X)
    again = session_file.loads(session_file.dumps(SessionDocument(
        doc.scene, doc.X, doc.y, trainer=state)))
    assert again.trainer["cursor"] == state["cursor"]


@pytest.mark.parametrize("curve, value", [("train_acc", 1e307), ("test_acc", -0.5), ("train", -1.0)])
def test_curve_values_a_loss_or_an_accuracy_cannot_take_are_refused(curve, value):
    """An accuracy of 10³⁰⁷ % overflowed in the loss plot (found by the window fuzz test)."""
    obj = _classification()
    obj["loss_curves"][curve]["values"][0] = value
    _refused(obj, f"loss_curves.{curve}.values[0]")
