"""The training service with a feature map, driven directly with protocol commands (no process, no Qt)."""

import numpy as np

from playground.data import make_dataset
from playground.engine import TrainingSettings
from playground.worker.protocol import Build, SetData, Step
from playground.worker.service import TrainingService

SETTINGS = TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.05)


def _phi(X):
    return np.column_stack([X[:, 0] ** 2, X[:, 1] ** 2, X[:, 0] * X[:, 1]])  # x1^2, x2^2, x1x2 by hand


def test_the_service_trains_on_phi_and_keeps_it_when_a_new_class_widens_the_outputs():
    data = make_dataset("circles", n=80, noise=0.05, seed=1)
    service = TrainingService()
    assert service.handle(Build((3, 4, 2), "tanh", 2, SETTINGS, data.X, data.y, ("x1^2", "x2^2", "x1x2"), seq=1)) is None
    service.handle(Step(40, seq=2))
    while service.busy:
        service.advance()
    snap = service.snapshot()
    assert snap.features == ("x1^2", "x2^2", "x1x2") and snap.n_inputs == 2 and snap.step == 40
    p = snap.parameters
    W1, W2, b1, b2 = p[:12].reshape(4, 3), p[12:20].reshape(2, 4), p[20:24], p[24:26]
    # the accuracy and every hidden unit's map are the network's on φ of the points and of the grid
    predicted = (np.tanh(_phi(data.X) @ W1.T + b1) @ W2.T + b2).argmax(axis=1)
    assert snap.metrics.train_accuracy == np.mean(predicted == data.y)
    x0, x1, y0, y1 = snap.regions.extent
    side = snap.regions.regions.shape[0]
    gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))
    G = np.column_stack([gx.ravel(), gy.ravel()])
    hidden = np.tanh(_phi(G) @ W1.T + b1)
    np.testing.assert_allclose(snap.regions.unit_maps[0].reshape(4, -1).T, hidden, rtol=1e-5, atol=1e-6)
    # a point of a third class: a wider softmax, the old weights kept, still on φ
    X = np.vstack([data.X, [[0.1, 0.1]]])
    y = np.append(data.y, 2)
    assert service.handle(SetData(X, y, seq=3)) is None
    wider = service.snapshot()
    assert wider.layer_sizes == (3, 4, 3) and wider.features == ("x1^2", "x2^2", "x1x2")
    np.testing.assert_array_equal(wider.parameters[:12], p[:12])  # the first layer's weights on φ are kept
    scores = service.trainer.predict(X[-1:])
    h = np.tanh(_phi(X[-1:]) @ W1.T + b1)
    W2_new = wider.parameters[12:24].reshape(3, 4)
    np.testing.assert_allclose(scores, h @ W2_new.T + wider.parameters[28:31], rtol=1e-12)
    assert np.allclose(W2_new[:2], W2) and np.all(W2_new[2] == 0.0)


def test_a_bad_feature_key_in_a_build_is_refused_with_a_message():
    service = TrainingService()
    error = service.handle(Build((2, 2), "tanh", 0, SETTINGS, np.zeros((3, 2)), np.array([0, 1, 0]), ("x1^2", "cube")))
    assert "unknown feature 'cube'" in error and service.trainer is None
