"""Claims the README makes about training, checked by running them (numbers measured here, not copied)."""

import numpy as np
import pytest

from playground.data import get_preset


def first_layer_gradient(key, optimizer, lr, steps=2000):
    """‖∂J/∂W₁‖ on all the scene's points after ``steps`` steps with ``optimizer`` at ``lr``, and the losses
    of the last 1000 steps (every 100)."""
    trainer, data = get_preset(key).build()
    trainer.update(optimizer=optimizer, learning_rate=lr)
    with np.errstate(all="ignore"):
        trainer.run(steps)
        losses = []
        for _ in range(10):
            trainer.run(100)
            losses.append(trainer.metrics().train_loss)
    _, grads = trainer.network.loss_and_gradients(data.X, data.y, "cross_entropy")
    return float(np.linalg.norm(grads.weights[0])), np.array(losses)


def test_sgd_at_rate_10_flattens_the_circles_scene_only():
    """README: at lr 10 on two circles every tanh unit saturates and the first layer's gradient all but
    vanishes (about 1e-5 against 5e-2 at the scene's rate); on XOR it does not vanish, the loss jumps about."""
    flat, _ = first_layer_gradient("circles", "sgd", 10.0)
    usual, _ = first_layer_gradient("circles", "sgd", 0.03)
    assert flat < 1e-4 and usual > 1e-2 and flat < 1e-3 * usual
    xor_high, xor_losses = first_layer_gradient("xor", "sgd", 10.0)
    xor_usual, _ = first_layer_gradient("xor", "sgd", 0.03)
    assert xor_high > 0.1 * xor_usual  # no vanishing gradient on XOR
    assert np.max(xor_losses) > 3 * np.min(xor_losses)  # jumping about, not settling


@pytest.mark.parametrize("key", ["bishop-x2", "bishop-sin", "bishop-abs", "bishop-heaviside"])
def test_sgd_at_rate_10_diverges_on_every_1d_scene(key):
    """README: "try SGD with a learning rate of 10 on a 1-D scene" and the run diverges."""
    trainer, _ = get_preset(key).build()
    trainer.update(optimizer="sgd", learning_rate=10.0)
    with np.errstate(all="ignore"):
        trainer.run(5000)
    assert trainer.blocked_reason and trainer.blocked_reason.startswith("diverged")
