"""`playground features` and `playground train --features … --hidden …`: the lecture's feature-map claim headless."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.commands.cli import main
from playground.engine import FEATURES, feature_keys

REPO = Path(__file__).resolve().parents[1]


def train_json(capsys, *args):
    assert main(["train", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    return json.loads(out)


def test_features_lists_every_key_with_its_name_under_its_input_dimension(capsys):
    assert main(["features"]) == 0
    lines = capsys.readouterr().out.splitlines()
    headings = [i for i, line in enumerate(lines) if not line.startswith(" ")]
    assert len(headings) == 2 and "1-D" in lines[headings[0]] and "2-D" in lines[headings[1]]
    for n_inputs, (start, end) in zip((1, 2), [(headings[0] + 1, headings[1]), (headings[1] + 1, len(lines))]):
        rows = [line.split() for line in lines[start:end]]
        assert [row[0] for row in rows] == list(feature_keys(n_inputs))
        assert [" ".join(row[1:]) for row in rows] == [FEATURES[key].name for key in feature_keys(n_inputs)]


def test_circles_with_no_hidden_layer_on_squared_inputs_reach_98_percent(capsys):
    result = train_json(capsys, "--preset", "circles", "--hidden", "0", "--features", "x1^2,x2^2")
    assert result["layer_sizes"] == [2, 2] and result["features"] == ["x1^2", "x2^2"]
    assert result["steps"] == 10_000 and result["train_accuracy"] >= 0.98


def test_circles_with_no_hidden_layer_on_raw_inputs_stay_near_chance(capsys):
    result = train_json(capsys, "--preset", "circles", "--hidden", "0", "--features", "x1,x2")
    assert result["layer_sizes"] == [2, 2]
    # chance level for two balanced classes: cross-entropy ln 2 ≈ 0.693; a line cuts off at most a cap of the ring
    assert result["train_loss"] > 0.67 and result["train_accuracy"] < 0.75


def test_hidden_alone_changes_the_shape_and_features_alone_keep_the_presets_hidden_layers(capsys):
    assert train_json(capsys, "--preset", "circles", "--hidden", "8,4", "--steps", "5")["layer_sizes"] == [2, 8, 4, 2]
    result = train_json(capsys, "--preset", "circles", "--steps", "5", "--features", "x1,x2,x1x2")
    assert result["layer_sizes"] == [3, 4, 2] and result["features"] == ["x1", "x2", "x1x2"]
    assert train_json(capsys, "--preset", "circles", "--steps", "5")["features"] is None


def test_polynomial_features_fit_the_parabola_exactly_without_hidden_units(capsys):
    with_square = train_json(capsys, "--preset", "bishop-x2", "--hidden", "0", "--features", "x,x^2", "--steps", "3000")
    line_only = train_json(capsys, "--preset", "bishop-x2", "--hidden", "0", "--features", "x", "--steps", "3000")
    assert with_square["train_loss"] < 1e-8 < 0.05 < line_only["train_loss"]


def test_the_summary_names_the_features_in_the_lectures_notation(capsys):
    assert main(["train", "--preset", "circles", "--hidden", "0", "--features", "x1^2,x2^2", "--steps", "10"]) == 0
    assert "φ(x) = (x₁², x₂²)" in capsys.readouterr().out


@pytest.mark.parametrize("features, words", [
    ("x^2,x2", ["'x^2' is for 1-D inputs", "x1, x2, x1^2, x2^2, x1x2, sin_x1, sin_x2"]),
    ("x1,x9", ["unknown feature 'x9'", "x1, x2, x1^2"]),
    ("x1,x1", ["'x1' is listed twice"]),
])
def test_bad_features_are_one_error_line_naming_the_key(capsys, features, words):
    assert main(["train", "--preset", "circles", "--features", features]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("playground: error:")
    for word in words:
        assert word in err


@pytest.mark.parametrize("hidden", ["-1", "8,0", "a"])
def test_bad_hidden_layers_are_refused_by_argparse(capsys, hidden):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--preset", "circles", f"--hidden={hidden}"])
    assert exit_.value.code == 2 and "--hidden" in capsys.readouterr().err


def test_the_issues_command_line_as_typed():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "playground", "train", "--preset", "circles", "--hidden", "0",
                           "--features", "x1^2,x2^2", "--json"], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["train_accuracy"] >= 0.98
