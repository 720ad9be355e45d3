"""The one-point computation graph with a feature map: φ nodes between x and the first layer (no Qt)."""

import numpy as np
import pytest

from playground.engine import Network
from playground.engine.features import FeatureMap
from playground.engine.graph import ComputationGraph


@pytest.mark.parametrize("keys, x, y, loss, hidden", [
    (("x1^2", "x2^2", "x1x2", "sin_x2"), [0.3, -0.8], 1, "cross_entropy", (3,)),
    (("x", "x^3", "cos", "abs"), [-0.45], [0.7], "mse", (2, 2)),
])
def test_feature_nodes_hold_the_closed_form_and_backprop_matches_finite_differences(keys, x, y, loss, hidden):
    d = len(x)
    phi = FeatureMap(keys, d)
    net = Network([len(keys), *hidden, 2 if loss == "cross_entropy" else 1], "tanh", seed=7)
    g = ComputationGraph(net, x, y, loss, l2=0.01, features=phi)
    closed = {  # written out here, not taken from the engine's table of features
        "x1^2": x[0] ** 2, "x2^2": x[-1] ** 2, "x1x2": x[0] * x[-1], "sin_x2": np.sin(np.pi * x[-1]),
        "x": x[0], "x^3": x[0] ** 3, "cos": np.cos(np.pi * x[0]), "abs": abs(x[0]),
    }
    for j, key in enumerate(keys):
        assert g.node[f"f{j}"].kind == "feature" and g.values[f"f{j}"] == pytest.approx(closed[key], abs=1e-15)
    assert [g.values[f"x{i}"] for i in range(d)] == x
    if d == 2:  # each φ reads the inputs its formula uses
        assert g.node["f0"].parents == ("x0",) and g.node["f2"].parents == ("x0", "x1")
    # the first layer's weights scale φ, not x: the gradients are the engine's on φ(x)
    target = np.array([y]) if loss == "cross_entropy" else np.array([y], dtype=float)
    _, grads = net.loss_and_gradients(np.array([[closed[k] for k in keys]]), target, loss, 0.01)
    np.testing.assert_allclose(g.param_grads, grads.flat, rtol=1e-10, atol=1e-13)
    fd, rel = g.gradient_check()
    assert rel.max() < 1e-6


def test_features_of_the_wrong_width_are_refused():
    with pytest.raises(ValueError, match="takes 2 inputs but the features x1\\^2 are 1"):
        ComputationGraph(Network([2, 2], "tanh", seed=0), [0.1, 0.2], 0, "cross_entropy",
                         features=FeatureMap(("x1^2",), 2))
