"""Compare mode in session files (version 2): every run comes back; a bad run value is named by its path."""

import json
from dataclasses import replace

import numpy as np
import pytest

from playground.data import session_file
from playground.data.compare_file import SavedCompare
from playground.data.scene import Scene
from playground.engine import TrainingSettings


def _doc(hidden, activation="tanh", seed=0, **settings):
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([1, 1, 0, 0])
    scene = Scene("classification", hidden, activation, seed, TrainingSettings(loss="cross_entropy", **settings),
                  preset="compare-xnor")
    return session_file.SessionDocument(scene, X, y)


def _compare_doc():
    runs = (_doc((2,), "relu", 3, learning_rate=0.3), _doc((4,), seed=1))
    return replace(_doc(()), compare=SavedCompare(("no hidden layer", None, "4"), runs))


def test_a_compare_session_round_trips_every_run():
    doc = _compare_doc()
    text = session_file.dumps(doc)
    assert json.loads(text)["version"] == 2
    back = session_file.loads(text)
    assert back.compare.labels == ("no hidden layer", None, "4")
    assert [(r.hidden, r.activation, r.seed, r.settings.learning_rate) for r in back.compare.runs] == \
        [((2,), "relu", 3, 0.3), ((4,), "tanh", 1, doc.compare.runs[1].settings.learning_rate)]
    for run in back.compare.runs:  # the runs share the file's points
        np.testing.assert_array_equal(run.X, doc.X)
        np.testing.assert_array_equal(run.y, doc.y)


def test_a_one_run_session_has_no_compare():
    obj = json.loads(session_file.dumps(_doc((2,))))
    assert "compare" not in obj
    assert session_file.loads(json.dumps(obj)).compare is None


@pytest.mark.parametrize("change, message", [
    (lambda o: o["compare"]["runs"][1]["settings"].update(learning_rate="fast"),
     "compare.runs[1].settings.learning_rate"),
    (lambda o: o["compare"]["runs"][0].update(activation="swish"), "compare.runs[0].activation"),
    (lambda o: o["compare"].update(labels=["a"]), "compare.labels: expected 3 labels"),
    (lambda o: o["compare"].update(runs=[]), "compare.runs: expected a list of 1 to 3 runs"),
])
def test_a_bad_run_is_named_by_its_path(change, message):
    obj = json.loads(session_file.dumps(_compare_doc()))
    change(obj)
    with pytest.raises(session_file.SessionFileError) as info:
        session_file.loads(json.dumps(obj))
    assert str(info.value).startswith(message)
