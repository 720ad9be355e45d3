"""Session files and points CSV without Qt: exact round trips, every malformed case, atomic saving."""

import json
import os
from dataclasses import replace

import numpy as np
import pytest

from playground.data import get_preset, make_dataset, session_file
from playground.data.points import PointSet
from playground.data.points_csv import PointsFileError, from_csv, load_csv, save_csv, to_csv
from playground.data.scene import Scene
from playground.data.session_file import SessionDocument, SessionFileError
from playground.engine import Network, Trainer, TrainingSettings


def _trainer(optimizer, batch_size, seed=3):
    data = make_dataset("moons", n=103)
    settings = TrainingSettings(loss="cross_entropy", optimizer=optimizer, learning_rate=0.05,
                                batch_size=batch_size, test_fraction=0.2, schedule="step",
                                schedule_params={"step_size": 120, "gamma": 0.5})
    return Trainer(Network([2, 5, 2], "tanh", seed=seed), data.X, data.y, settings, seed=seed), data


def _document(trainer, data, **changes) -> SessionDocument:
    scene_changes = {name: changes.pop(name) for name in list(changes) if name in session_file.SCENE_FIELDS}
    scene = Scene("classification", (5,), "tanh", trainer.seed, trainer.settings, caption="moons", preset="moons",
                  dataset="moons", **scene_changes)
    return replace(SessionDocument(scene, data.X, data.y, trainer=trainer.state()), **changes)


# -- exact continuation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [None, 7])
def test_a_restored_trainer_continues_bit_for_bit(optimizer, batch_size):
    """Mid-epoch, mid-schedule: the next 100 steps after save → load equal continuing the original."""
    original, data = _trainer(optimizer, batch_size)
    original.run(137)
    text = session_file.dumps(_document(original, data))
    reopened = session_file.build_trainer(session_file.loads(text))
    original.run(100)
    reopened.run(100)
    np.testing.assert_array_equal(reopened.network.parameters, original.network.parameters)
    assert (reopened.step_count, reopened.epoch) == (original.step_count, original.epoch) == (237, reopened.epoch)
    assert reopened.learning_rate == original.learning_rate
    for a, b in zip(reopened.history.arrays(), original.history.arrays()):
        np.testing.assert_array_equal(a, b)


def test_a_document_survives_the_round_trip_unchanged():
    trainer, data = _trainer("adam", 7)
    trainer.run(50)
    curves = {"train": {"capacity": 1024, "stride": 1, "steps": np.array([0.0, 50.0]),
                        "values": np.array([0.7, 0.3]), "window_sum": 0.0, "window_count": 0},
              "test": {"capacity": 1024, "stride": 1, "steps": np.array([0.0, 50.0]),
                       "values": np.array([np.nan, 0.4]), "window_sum": 0.0, "window_count": 0}}
    doc = _document(trainer, data, speed=60.0, current_class=1, curves=curves,
                    dataset_args={"n": 103, "noise": 0.08, "seed": 0})
    back = session_file.loads(session_file.dumps(doc))
    np.testing.assert_array_equal(back.X, doc.X)
    np.testing.assert_array_equal(back.y, doc.y)
    assert back.y.dtype.kind == "i"
    assert (back.mode, back.hidden, back.activation, back.seed, back.settings, back.speed, back.current_class,
            back.caption, back.preset, back.dataset, back.dataset_args) == \
           (doc.mode, doc.hidden, doc.activation, doc.seed, doc.settings, doc.speed, doc.current_class,
            doc.caption, doc.preset, doc.dataset, doc.dataset_args)
    np.testing.assert_array_equal(back.trainer["parameters"], trainer.network.parameters)
    assert np.isnan(back.curves["test"]["values"][0]) and back.curves["test"]["values"][1] == 0.4


def test_the_file_is_strict_json_with_format_and_version():
    trainer, data = _trainer("sgd", None)
    text = session_file.dumps(_document(trainer, data))
    obj = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the file"))
    assert obj["format"] == "neural-playground-session" and obj["version"] == 2
    assert obj["settings"]["schedule"] == {"key": "step", "params": {"step_size": 120, "gamma": 0.5}}
    assert len(obj["trainer"]["parameters"]) == trainer.network.parameters.size


# -- malformed files: a message with the place, and nothing built -------------------------------------------


def _valid() -> dict:
    trainer, data = _trainer("momentum", 7)
    trainer.run(20)
    return json.loads(session_file.dumps(_document(trainer, data)))


def _regression_valid() -> dict:
    trainer, data = get_preset("bishop-x2").build()
    doc = SessionDocument(Scene("regression", (3,), "tanh", 0, trainer.settings), data.X, data.y, trainer=trainer.state())
    return json.loads(session_file.dumps(doc))


def _set(obj, path, value):
    *head, last = path
    for key in head:
        obj = obj[key]
    obj[last] = value


CASES = {
    "wrong type in points": (("points", "X", 3, 1), "abc", r"points\.X\[3\]\[1\]: expected a number, got 'abc'"),
    "a row too short": (("points", "X", 5), [0.5], r"points\.X\[5\]: expected 2 numbers, got 1"),
    "a label out of range": (("points", "y", 2), 9, r"points\.y\[2\]: expected a whole number from 0 to 5, got 9"),
    "too few labels": (("points", "y"), [0, 1], r"points\.y: expected 103 labels .*got 2"),
    "unknown mode": (("mode",), "3d", r"mode: expected one of 'regression', 'classification', 'regression-2d', got '3d'"),
    "unknown activation": (("activation",), "swish", r"activation: expected one of .*'tanh'.*got 'swish'"),
    "too many units": (("hidden",), [65], r"hidden\[0\]: expected a whole number from 1 to 64, got 65"),
    "settings of the wrong type": (("settings", "learning_rate"), "fast",
                                   r"settings\.learning_rate: expected a number, got 'fast'"),
    "a bad setting value": (("settings", "momentum"), 1.5,
                            r"settings\.momentum: expected a number from 0 to 0\.999, got 1\.5"),
    "the wrong loss": (("settings", "loss"), "mse", r"settings\.loss: expected 'cross_entropy'"),
    "weights of the wrong length": (("trainer", "parameters"), [0.0] * 12,
                                    r"trainer\.parameters: expected 27 numbers for layers \[2, 5, 2\], got 12"),
    "a network that does not match": (("trainer", "layer_sizes"), [2, 4, 2],
                                      r"trainer\.layer_sizes: expected \[2, 5, 2\].*got \[2, 4, 2\]"),
    "optimizer state of another optimizer": (("trainer", "optimizer", "key"), "adam",
                                             r"trainer\.optimizer\.key: expected 'momentum'"),
    "a momentum buffer too short": (("trainer", "optimizer", "buffer"), [0.0] * 3,
                                    r"trainer\.optimizer\.buffer: expected 27 numbers for layers \[2, 5, 2\], got 3"),
    "an epoch order that is no permutation": (("trainer", "order", 0), 1, r"trainer\.order: expected a permutation"),
    "a foreign random generator": (("trainer", "rng", "bit_generator"), "MT19937",
                                   r"trainer\.rng\.bit_generator: expected 'PCG64'"),
    "a negative step count": (("trainer", "step"), -1,
                              r"trainer\.step: expected a whole number from 0 to 1,000,000,000,000, got -1"),
    "an unknown version": (("version",), 3, r"version: unknown version 3; .*reads versions 1, 2 \(saved by a newer"),
    "another format": (("format",), "something-else", r"format: not a Neural Playground session file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_malformed_value_is_named_by_its_json_path(case):
    path, value, message = CASES[case]
    obj = _valid()
    _set(obj, path, value)
    with pytest.raises(SessionFileError, match=message):
        session_file.loads(json.dumps(obj))


@pytest.mark.parametrize("literal, shown", [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity")])
def test_nan_and_infinity_are_refused_where_they_are(literal, shown):
    obj = _valid()
    obj["trainer"]["parameters"][4] = "@@"
    text = json.dumps(obj).replace('"@@"', literal)
    with pytest.raises(SessionFileError, match=rf"trainer\.parameters\[4\]: expected a finite number, got {shown}"):
        session_file.loads(text)


def test_a_regression_target_of_nan_is_refused():
    obj = _regression_valid()
    obj["points"]["y"][7][0] = "@@"
    with pytest.raises(SessionFileError, match=r"points\.y\[7\]\[0\]: expected a finite number, got NaN"):
        session_file.loads(json.dumps(obj).replace('"@@"', "NaN"))


def test_a_truncated_file_says_where_the_json_breaks():
    text = json.dumps(_valid(), indent=1)
    cut = text[: len(text) // 2]
    line = cut.count("\n") + 1
    with pytest.raises(SessionFileError, match=rf"not valid JSON \(truncated or damaged\?\): .* line {line}, column"):
        session_file.loads(cut)


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a session file: it is not UTF-8 text"),
    (b"hello, world", "not valid JSON"),
    (b"[1, 2, 3]", "expected a JSON object at the top level, got a list"),
    (b"", "the file is empty"),
])
def test_files_that_are_not_sessions_at_all(data, message):
    with pytest.raises(SessionFileError, match=message):
        session_file.loads(data)


def test_a_huge_array_is_refused_by_size_before_it_is_read_element_by_element():
    obj = _regression_valid()
    n = session_file.MAX_POINTS + 1
    obj["points"]["X"] = [[0.0]] * n
    obj["points"]["y"] = [[0.0]] * n
    with pytest.raises(SessionFileError, match=r"points\.X: 100,001 points is more than the limit of 100,000"):
        session_file.loads(json.dumps(obj))


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2048)
    monkeypatch.setattr(session_file, "MAX_FILE_BYTES", 1024)
    with pytest.raises(SessionFileError, match="larger than a session file can be"):
        session_file.load(path)


def test_nothing_in_a_file_is_ever_executed(tmp_path):
    obj = _valid()
    obj["caption"] = "__import__('os').system('touch pwned')"
    obj["settings"]["schedule"] = {"key": "__import__('os')", "params": {}}
    with pytest.raises(SessionFileError, match=r"settings\.schedule\.key: expected one of"):
        session_file.loads(json.dumps(obj))
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")


# -- atomic saving ---------------------------------------------------------------------------------------


def test_a_failure_while_saving_leaves_the_old_file_intact(tmp_path, monkeypatch):
    trainer, data = _trainer("adam", 7)
    path = tmp_path / "lecture.json"
    session_file.save(path, _document(trainer, data))
    before = path.read_bytes()
    trainer.run(30)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        session_file.save(path, _document(trainer, data))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["lecture.json"]  # no temporary file left behind
    session_file.load(path)


def test_saving_replaces_the_file_in_one_step(tmp_path, monkeypatch):
    """The new content goes to a temporary file in the same folder, then os.replace puts it in place."""
    trainer, data = _trainer("sgd", None)
    path = tmp_path / "lecture.json"
    path.write_text("old")
    calls = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (calls.append((src, dst)), real_replace(src, dst)))
    session_file.save(path, _document(trainer, data))
    [(src, dst)] = calls
    assert os.path.dirname(src) == str(tmp_path) and str(dst) == str(path)
    assert session_file.load(path).trainer["step"] == 0


# -- points as CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["sin", "blobs"])
def test_points_survive_a_csv_round_trip_exactly(tmp_path, dataset):
    data = make_dataset(dataset, noise=0.1)
    points = PointSet(data.X, data.y)
    save_csv(tmp_path / "points.csv", points)
    back = load_csv(tmp_path / "points.csv")
    np.testing.assert_array_equal(back.X, points.X)
    np.testing.assert_array_equal(back.y, points.y)
    assert back.y.dtype == points.y.dtype and back.is_classification == points.is_classification
    assert to_csv(points).splitlines()[0] == ("x1,x2,label" if points.is_classification else "x,y")


def test_csv_without_header_semicolons_and_one_based_classes():
    assert from_csv("0.1;0.2\n0.3;-0.4\n").y.tolist() == [[0.2], [-0.4]]
    points = from_csv("x1,x2,class\n0,0,1\n1,1,3\n")
    assert points.y.tolist() == [0, 2] and points.is_classification


@pytest.mark.parametrize("text, message", [
    ("x,y\n0.1,0.2\n0.3,abc\n", r"line 3, column 2: 'abc' is not a number"),
    ("x1,x2,label\n0,0,0\n1,1\n", r"line 3: expected 3 values \(x1, x2, label\); got 2"),
    ("x1,x2,label\n0,0,0\n\n1,1,7\n", r"line 4, column 3: the label must be a whole number from 0 to 5; got '7'"),
    ("x1,x2,label\n0,0,0.5\n", r"line 2, column 3: the label must be a whole number"),
    ("x,y\n0.1,nan\n", r"line 2, column 2: 'nan' is not a finite number"),
    ("a,b,c,d\n1,2,3,4\n", r"line 1: expected the header x,y \(1-D\), x1,x2,label \(2-D classes\) or x1,x2,y"),
    ("x,y\n", "the file has a header but no points"),
    ("\n\n", "the file has no points"),
])
def test_a_bad_csv_line_is_named(text, message):
    with pytest.raises(PointsFileError, match=message):
        from_csv(text)
