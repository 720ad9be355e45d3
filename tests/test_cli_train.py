"""`playground train` with the scene's network and settings replaced from the command line, checked like the
window's fields, and a test loss when points are held out."""

import json

import numpy as np
import pytest

from playground.commands.cli import ACTIVATION_KEYS, OPTIMIZER_KEYS, main
from playground.data import get_preset
from playground.engine import ACTIVATIONS, OPTIMIZERS, Network, Trainer


def train_json(capsys, *args):
    code = main(["train", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_every_override_reaches_the_trainer_and_the_test_loss_is_measured(capsys):
    code, result = train_json(capsys, "--preset", "xor", "--steps", "500", "--hidden", "8,4", "--activation", "relu",
                               "--optimizer", "adam", "--lr", "0.01", "--batch-size", "20", "--l2", "0.001",
                               "--seed", "3", "--test-fraction", "0.2")
    assert code == 0
    assert result["layer_sizes"] == [2, 8, 4, 2] and result["activation"] == "relu"
    assert (result["optimizer"], result["learning_rate"], result["batch_size"], result["l2"]) == ("adam", 0.01, 20, 0.001)
    assert result["seed"] == 3 and result["test_fraction"] == 0.2
    assert result["n_test"] > 0 and result["n_train"] + result["n_test"] == 200
    assert result["test_loss"] is not None and result["test_accuracy"] is not None

    # the same run built here by hand from the engine gives the same numbers
    data = get_preset("xor").make_dataset()
    preset_settings = get_preset("xor").settings
    from dataclasses import replace
    settings = replace(preset_settings, optimizer="adam", learning_rate=0.01, batch_size=20, l2=0.001,
                       test_fraction=0.2)
    trainer = Trainer(Network((2, 8, 4, 2), "relu", seed=3), data.X, data.y, settings, seed=3)
    trainer.run(500)
    m = trainer.metrics()
    assert result["test_loss"] == m.test_loss and result["train_loss"] == m.train_loss


def test_without_held_out_points_the_summary_says_how_to_get_a_test_loss(capsys):
    assert main(["train", "--preset", "and-gate", "--steps", "10"]) == 0
    out = capsys.readouterr().out
    assert "test loss —   (no points held out: add --test-fraction 0.2)" in out


def test_a_hand_set_scene_with_another_network_trains_from_random_weights(capsys):
    code, result = train_json(capsys, "--preset", "and-perceptron", "--steps", "200", "--activation", "tanh")
    assert code == 0 and result["layer_sizes"] == [2, 1, 2] and result["steps"] == 200


@pytest.mark.parametrize("option, value, message", [
    ("--lr", "200", "learning rate must lie between 1e-06 and 100; got 200"),
    ("--lr", "fast", "learning rate: 'fast' is not a number"),
    ("--batch-size", "2.5", "batch size must be a whole number; got 2.5"),
    ("--l2", "-1", "L2 strength λ must lie between 0 and 10; got -1"),
    ("--test-fraction", "0.995", "test fraction must lie between 0 and 0.99; got 0.995"),
    ("--seed", str(2**63), f"initialization seed must lie between 0 and {2**63 - 1}; got {2**63}"),
    ("--hidden", "8,,4", "per-layer units: '8,,4' is not a list of whole numbers"),
    ("--hidden", "65", "up to 6 hidden layers of 1–64 units"),
    ("--activation", "sigmoid", "invalid choice: 'sigmoid'"),
])
def test_a_bad_option_is_refused_naming_the_field_and_nothing_runs(capsys, option, value, message):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--preset", "xor", option, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_choices_are_the_registries_keys():
    assert tuple(ACTIVATIONS) == ACTIVATION_KEYS and tuple(OPTIMIZERS) == OPTIMIZER_KEYS


def test_no_hidden_layer_from_the_command_line(capsys):
    code, result = train_json(capsys, "--preset", "and-gate", "--steps", "5", "--hidden", "none")
    assert code == 0 and result["layer_sizes"] == [2, 2]
    assert np.isfinite(result["train_loss"])
