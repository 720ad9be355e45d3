"""`playground train` on compare scenes: one JSON object with the runs in panel order, one text line per run;
a one-run scene gains the same ``runs`` list; `playground presets` marks compare scenes."""

import json

from playground.commands.cli import main
from playground.data.compare_scenes import COMPARE_SCENES


def train_json(capsys, *args):
    code = main(["train", *args, "--json"])
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1  # one JSON object on one line
    return code, json.loads(out)


def test_presets_marks_compare_scenes_with_their_run_count(capsys):
    assert main(["presets"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    for key, scene in COMPARE_SCENES.items():
        assert f"[compare: {len(scene.runs)} runs]" in lines[key] and scene.caption in lines[key]
    assert "[compare" not in lines["xnor"]


def test_compare_scene_json_has_every_run_in_panel_order(capsys):
    scene = COMPARE_SCENES["compare-xnor"]
    code, result = train_json(capsys, "--preset", "compare-xnor")
    assert code == 0 and result["preset"] == "compare-xnor"
    assert [run["label"] for run in result["runs"]] == [run.label for run in scene.runs]
    perceptron, mlp = result["runs"]
    assert perceptron["steps"] == mlp["steps"] == scene.steps  # the scene's own budget by default
    assert perceptron["layer_sizes"] == [2, 2] and mlp["layer_sizes"] == [2, 2, 2]
    assert perceptron["train_accuracy"] <= 0.75 and mlp["train_accuracy"] == 1.0
    assert {"label", "train_loss", "train_accuracy", "test_loss", "steps"} <= set(perceptron)


def test_the_options_change_the_base_scene_and_a_run_keeps_its_own_overrides(capsys):
    code, result = train_json(capsys, "--preset", "compare-curvature", "--steps", "300", "--lr", "0.05",
                              "--test-fraction", "0.2")
    assert code == 0
    sgd, clipped, adam = result["runs"]
    assert all(run["steps"] == 300 and run["learning_rate"] == 0.05 for run in result["runs"])
    assert (sgd["optimizer"], clipped["clip_norm"], adam["optimizer"]) == ("sgd", 0.1, "adam")
    assert all(run["n_test"] > 0 and run["test_loss"] is not None for run in result["runs"])
    assert sgd["stopped"] is None  # at 0.05 plain SGD no longer diverges


def test_a_diverged_run_reports_why_with_a_null_loss_and_the_scene_still_exits_0(capsys):
    code, result = train_json(capsys, "--preset", "compare-curvature", "--steps", "1000")
    sgd, clipped, _ = result["runs"]
    assert code == 0
    assert sgd["stopped"].startswith("diverged") and sgd["train_loss"] is None and sgd["steps"] < 1000
    assert clipped["stopped"] is None and clipped["steps"] == 1000


def test_one_run_scene_json_gains_a_runs_list_equal_to_its_top_level_fields(capsys):
    code, result = train_json(capsys, "--preset", "xnor", "--steps", "300")
    assert code == 0
    (run,) = result["runs"]
    for name in ("steps", "train_loss", "test_loss", "train_accuracy", "layer_sizes", "seed"):
        assert run[name] == result[name], name


def test_compare_text_output_is_one_line_per_run(capsys):
    assert main(["train", "--preset", "compare-flat", "--steps", "50"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.startswith("compare-flat:")
    assert [line.split()[0] for line in lines] == ["logistic", "tanh", "ReLU"]
    assert all("50 steps" in line and "accuracy" in line for line in lines)


def test_features_option_feeds_phi_to_runs_without_their_own_and_raw_runs_stay_raw(capsys):
    _, result = train_json(capsys, "--preset", "compare-flat", "--steps", "20", "--features", "x1,x2,x1x2")
    assert all(run["features"] == ["x1", "x2", "x1x2"] and run["layer_sizes"][0] == 3 for run in result["runs"])
    _, result = train_json(capsys, "--preset", "compare-feature-map", "--steps", "20", "--features", "x1x2")
    phi, mlp, raw = result["runs"]
    assert phi["features"] == ["x1^2", "x2^2"]  # the run's own φ wins over the option
    assert mlp["features"] is None and raw["features"] is None  # "on raw x" says so in its label


def test_a_bad_feature_key_is_one_error_line(capsys):
    assert main(["train", "--preset", "compare-flat", "--steps", "5", "--features", "x9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("playground: error: unknown feature 'x9'") and len(err.strip().splitlines()) == 1
