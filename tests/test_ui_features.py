"""Input features φ(x) through the real window: the φ toggles, the worker training on φ, undo, session files.

Every number is checked against numpy computed here from the snapshot's weights and the closed-form φ.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import Qt

from playground.data import session_file

V1_FILE = Path(__file__).parent / "data" / "session-v1.json"  # written by the code before features existed


def click(qtbot, window, key):
    with qtbot.waitSignal(window.session.model_changed):
        qtbot.mouseClick(window.controls.features.buttons[key], Qt.LeftButton)


def status(window) -> str:
    return window.statusBar().currentMessage()


def linear_scores(snapshot, phi):
    """A network without hidden layers: scores = φ Wᵀ + b, from the snapshot's flat parameters."""
    F, k = snapshot.layer_sizes
    W = snapshot.parameters[:F * k].reshape(k, F)
    b = snapshot.parameters[F * k:]
    return phi @ W.T + b


def test_x1_squared_and_x2_squared_with_no_hidden_layer_separate_the_circles(window, qtbot):
    """The lecture's linear model on a feature map, f(x) = wᵀφ(x) + b, toggled on with the mouse."""
    session = window.session
    session.load_preset("circles")
    session.set_architecture((), "tanh")
    train_to(qtbot, session, 1000)
    assert session.snapshot.metrics.train_accuracy < 0.75  # a line through the raw x cannot
    raw_regions = session.snapshot.regions.regions.copy()

    for key in ("x1^2", "x2^2", "x1", "x2"):  # two on, then the raw inputs off
        click(qtbot, window, key)
    wait_fresh(qtbot, session)
    assert session.features == ("x1^2", "x2^2") and session.snapshot.layer_sizes == (2, 2)
    assert session.snapshot.features == ("x1^2", "x2^2")
    assert "φ(x) = (x₁², x₂²)" in status(window) and "\n" not in status(window)
    assert window.controls.features.chosen() == ("x1^2", "x2^2")

    train_to(qtbot, session, 1500)
    snap = session.snapshot
    X, y = session.points.X, session.points.y
    phi = np.column_stack([X[:, 0] ** 2, X[:, 1] ** 2])  # the closed form, not the engine's FeatureMap
    predicted = linear_scores(snap, phi).argmax(axis=1)
    assert np.mean(predicted == y) >= 0.98
    assert snap.metrics.train_accuracy == np.mean(predicted == y)

    # the regions are drawn through φ too: each pixel leans toward the colour of the class numpy predicts
    x0, x1, y0, y1 = snap.regions.extent
    side = snap.regions.regions.shape[0]
    gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))
    winner = linear_scores(snap, np.column_stack([gx.ravel() ** 2, gy.ravel() ** 2])).argmax(axis=1)
    tint = 255.0 - snap.regions.regions.reshape(-1, 3).astype(float)  # what the class colour added to white
    colours = 255.0 - np.array([(0, 114, 178), (230, 159, 0)], dtype=float)
    leaning = (tint @ colours.T / np.linalg.norm(colours, axis=1)).argmax(axis=1)
    visible = np.linalg.norm(tint, axis=1) > 20
    assert visible.mean() > 0.5 and np.mean(leaning[visible] == winner[visible]) > 0.99
    assert not np.array_equal(snap.regions.regions, raw_regions)


def test_the_1d_fit_is_drawn_through_phi(window, qtbot):
    session = window.session  # the default scene: 1-D regression, one hidden layer of 3 tanh units
    click(qtbot, window, "x^2")
    click(qtbot, window, "sin")
    train_to(qtbot, session, 200)
    snap = session.snapshot
    assert snap.features == ("x", "x^2", "sin") and snap.layer_sizes == (3, 3, 1)
    assert "on screen: features φ(x) = (x, x², sin(πx))" in window.caption.text()  # the scene did not choose them
    xs = snap.curves.xs
    phi = np.column_stack([xs, xs ** 2, np.sin(np.pi * xs)])
    p = snap.parameters
    W1, W2 = p[:9].reshape(3, 3), p[9:12].reshape(1, 3)  # the flat layout: every weight, then every bias
    b1, b2 = p[12:15], p[15:]
    np.testing.assert_allclose(snap.curves.fit, (np.tanh(phi @ W1.T + b1) @ W2.T + b2)[:, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(session.network_inputs(xs[:, None]), phi, rtol=1e-12)


def test_the_last_feature_stays_on_and_a_bad_key_is_refused_by_name(window, qtbot):
    session = window.session
    messages = []
    session.message.connect(messages.append)
    qtbot.mouseClick(window.controls.features.buttons["x"], Qt.LeftButton)  # x is the only input on
    assert session.features is None and window.controls.features.chosen() == ("x",)
    assert "at least one" in messages[-1]

    assert not session.set_features(("x", "x1^2"))
    assert messages[-1].count("\n") == 0 and "'x1^2'" in messages[-1] and messages[-1].startswith("features")
    assert not session.set_features(("x", "cube"))
    assert "'cube'" in messages[-1]
    assert session.features is None and session.layer_sizes[0] == 1
    with pytest.raises(AttributeError):  # the scene's fields read through and change only by the methods
        session.features = ("x", "x^2")


def test_ctrl_z_brings_back_the_raw_inputs_and_their_trained_weights(window, qtbot):
    session = window.session
    train_to(qtbot, session, 300)
    trained = session.snapshot.parameters.copy()
    click(qtbot, window, "x^3")
    wait_fresh(qtbot, session)
    assert session.snapshot.layer_sizes == (2, 3, 1)
    with qtbot.waitSignal(session.model_changed):
        qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    wait_fresh(qtbot, session)
    assert session.features is None and session.snapshot.layer_sizes == (1, 3, 1)
    np.testing.assert_array_equal(session.snapshot.parameters, trained)
    assert window.controls.features.chosen() == ("x",)
    with qtbot.waitSignal(session.model_changed):
        qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    wait_fresh(qtbot, session)
    assert session.features == ("x", "x^3") and window.controls.features.chosen() == ("x", "x^3")


def test_a_session_with_features_saves_and_opens_exactly(window, qtbot, tmp_path):
    session = window.session
    session.load_preset("xor")
    click(qtbot, window, "x1x2")
    train_to(qtbot, session, 250)
    saved = session.snapshot
    path = tmp_path / "features.json"
    session.save(path)
    assert session_file.load(path).features == ("x1", "x2", "x1x2")

    session.load_preset("circles")
    wait_fresh(qtbot, session)
    assert session.features is None and window.controls.features.chosen() == ("x1", "x2")
    session.open(path)
    wait_fresh(qtbot, session)
    assert session.features == ("x1", "x2", "x1x2") and window.controls.features.chosen() == ("x1", "x2", "x1x2")
    assert session.snapshot.step == 250 and session.snapshot.layer_sizes == saved.layer_sizes
    np.testing.assert_array_equal(session.snapshot.parameters, saved.parameters)
    assert session.snapshot.metrics.train_loss == saved.metrics.train_loss


def test_a_version_1_file_still_opens(window, qtbot):
    session = window.session
    session.open(V1_FILE)
    wait_fresh(qtbot, session)
    assert session.features is None and session.snapshot.layer_sizes == (2, 3, 2) and session.snapshot.step == 25
    assert window.controls.features.chosen() == ("x1", "x2")
    saved = json.loads(V1_FILE.read_text())
    assert saved["version"] == 1 and "features" not in saved
    np.testing.assert_array_equal(session.snapshot.parameters, saved["trainer"]["parameters"])


def test_each_mode_keeps_its_own_features(window, qtbot):
    session = window.session
    click(qtbot, window, "abs")
    session.set_mode("classification")
    wait_fresh(qtbot, session)
    assert session.features is None and set(window.controls.features.buttons) >= {"x1", "x1x2", "sin_x2"}
    assert window.controls.features.chosen() == ("x1", "x2")
    session.set_mode("regression")
    wait_fresh(qtbot, session)
    assert session.features == ("x", "abs") and session.snapshot.layer_sizes == (2, 3, 1)
    assert window.controls.features.chosen() == ("x", "abs")
