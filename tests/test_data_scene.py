"""The frozen Scene and the features in session files (no Qt)."""

import json
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import numpy as np
import pytest

from playground.data import make_dataset, session_file
from playground.data.scene import Scene
from playground.data.session_file import SessionDocument, SessionFileError
from playground.engine import Network, Trainer, TrainingSettings
from playground.engine.features import FeatureMap


def test_a_scene_is_frozen_and_says_raw_inputs_one_way():
    scene = Scene("classification", (4,), features=("x1", "x2"))
    with pytest.raises(FrozenInstanceError):
        scene.hidden = (5,)
    assert scene.features is None and replace(scene, features=()).features is None  # the identity is the raw x
    featured = replace(scene, features=["x1^2", "x2^2", "x1x2"])
    assert featured.features == ("x1^2", "x2^2", "x1x2") and featured.layer_sizes([0, 2]) == (3, 4, 3)
    assert featured.feature_names == ("x₁²", "x₂²", "x₁x₂")
    with pytest.raises(ValueError, match="'x\\^2' is for 1-D"):
        replace(scene, features=("x^2",)).feature_map()


def _featured_document():
    data = make_dataset("circles", n=60, noise=0.05, seed=0)
    phi = FeatureMap(("x1^2", "x2^2"), 2)
    settings = TrainingSettings(loss="cross_entropy", learning_rate=0.3)
    trainer = Trainer(Network([2, 2], "tanh", seed=3), data.X, data.y, settings, seed=3, features=phi)
    trainer.run(40)
    scene = Scene("classification", (), "tanh", 3, settings, features=phi.keys)
    return SessionDocument(scene, data.X, data.y, trainer=trainer.state()), trainer


def test_features_round_trip_and_the_rebuilt_trainer_predicts_through_phi():
    doc, trainer = _featured_document()
    back = session_file.loads(session_file.dumps(doc))
    assert back.scene == doc.scene and back.layer_sizes == [2, 2]
    rebuilt = session_file.build_trainer(back)
    X = np.array([[0.1, -0.9], [1.2, 0.4]])
    p = trainer.network.parameters
    W, b = p[:4].reshape(2, 2), p[4:]
    expected = np.column_stack([X[:, 0] ** 2, X[:, 1] ** 2]) @ W.T + b  # closed form of φ, weights of the file
    np.testing.assert_allclose(rebuilt.predict(X), expected, rtol=1e-12)


@pytest.mark.parametrize("change, message", [
    (lambda obj: obj.update(features=["x1^2", "x^2"]), r"features\[1\]: expected one of 'x1', 'x2'"),
    (lambda obj: obj.update(features=["x1^2", "x1^2"]), r"features: feature 'x1\^2' is listed twice"),
    (lambda obj: obj.update(features="x1^2"), r"features: expected a list"),
    (lambda obj: obj["trainer"].update(features=["x1", "x2"]),
     r"trainer\.features: expected \['x1\^2', 'x2\^2'\] \(the session's features\)"),
    (lambda obj: obj.update(features=None), r"trainer\.layer_sizes: expected \[2, 2\]|trainer\.features: expected null"),
])
def test_wrong_features_in_a_file_are_refused_by_name(change, message):
    doc, _ = _featured_document()
    obj = json.loads(session_file.dumps(doc))
    change(obj)
    with pytest.raises(SessionFileError, match=message):
        session_file.loads(json.dumps(obj))


def test_a_version_1_file_has_no_features():
    obj = json.loads((Path(__file__).parent / "data" / "session-v1.json").read_text())
    doc = session_file.loads(json.dumps(obj))
    assert obj["version"] == 1 and doc.features is None and doc.layer_sizes == [2, 3, 2]
    obj["features"] = ["x1^2"]  # version 1 had no features: the key means nothing there
    assert session_file.loads(json.dumps(obj)).features is None
