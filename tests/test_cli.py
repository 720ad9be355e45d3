"""The headless command line: presets, train, bench, and one-line errors without tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.commands.bench import CONFIGS, bench_config, format_table
from playground.commands.cli import main
from playground.data import PRESETS
from playground.data.compare_scenes import COMPARE_SCENES

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args):
    """``python -m playground ARGS`` in a real subprocess, from the repository root."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)


def test_presets_lists_every_preset_with_its_caption(capsys):
    assert main(["presets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(PRESETS) + len(COMPARE_SCENES)  # compare scenes: tests/test_cli_compare.py
    for line, (key, preset) in zip(lines, PRESETS.items()):
        assert line.split()[0] == key and preset.caption in line


def test_train_json_prints_one_object_with_the_results(capsys):
    assert main(["train", "--preset", "xnor", "--steps", "2000", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    result = json.loads(out)
    assert {"train_loss", "test_loss", "train_accuracy", "steps", "seconds"} <= set(result)
    assert result["steps"] == 2000 and result["seconds"] >= 0
    assert 0 <= result["train_loss"] < 0.69  # below chance level −log ½ after training
    assert result["train_accuracy"] == 1.0 and result["test_loss"] is None


def test_train_is_reproducible_by_seed(capsys):
    runs = []
    for seed in ("3", "3", "4"):
        main(["train", "--preset", "bishop-sin", "--steps", "200", "--seed", seed, "--json"])
        runs.append(json.loads(capsys.readouterr().out))
    assert runs[0]["train_loss"] == runs[1]["train_loss"] != runs[2]["train_loss"]
    assert runs[0]["seed"] == 3 and runs[0]["train_accuracy"] is None


def test_train_prints_a_readable_summary_without_json(capsys):
    assert main(["train", "--preset", "and-gate", "--steps", "100"]) == 0
    out = capsys.readouterr().out
    assert "100 steps" in out and "train loss" in out and "train accuracy" in out


def test_unknown_preset_is_one_error_line_with_exit_code_2(capsys):
    assert main(["train", "--preset", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("playground: error: unknown preset 'nope'")
    assert "xnor" in lines[0]


@pytest.mark.parametrize("steps", ["0", "-5", "many"])
def test_bad_step_counts_are_refused_by_argparse(capsys, steps):
    with pytest.raises(SystemExit) as info:
        main(["train", "--preset", "xnor", "--steps", steps])
    assert info.value.code == 2
    assert "--steps" in capsys.readouterr().err


def test_bench_reports_steps_per_second_and_the_ratio(capsys):
    assert main(["bench", "--rounds", "1", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["config"] for r in results] == [c.name for c in CONFIGS]
    for r in results:
        assert r["engine_steps_per_s"] > 0 and r["reference_steps_per_s"] > 0
        assert r["ratio"] == pytest.approx(r["engine_steps_per_s"] / r["reference_steps_per_s"])  # one round
    table = format_table(results)
    assert all(c.name in table for c in CONFIGS) and "ratio" in table


def test_bench_config_ratio_is_the_median_of_per_round_ratios():
    r = bench_config(CONFIGS[0], rounds=3, seconds_per_round=0.02)
    assert r["rounds"] == 3 and r["steps_per_round"] >= 50
    assert r["engine_steps_per_s"] > 0 and r["reference_steps_per_s"] > 0 and r["ratio"] > 0


# -- real subprocesses -----------------------------------------------------------------------


def test_python_m_playground_trains_headless():
    result = run_cli("train", "--preset", "xnor", "--steps", "2000", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["train_accuracy"] == 1.0


@pytest.mark.process  # the end-to-end export: a new interpreter, its window and its training process
def test_a_headless_export_says_only_what_it_wrote(tmp_path):
    """Qt's offscreen platform warns "does not support propagateSizeHints()" on stderr; a user sees none of it."""
    result = run_cli("export", "--preset", "xor", "--steps", "20", "--out", str(tmp_path / "x.png"))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.strip() == f"{tmp_path / 'x.png'}  1600x900  step 20"


def test_python_m_playground_errors_print_one_line_and_no_traceback():
    result = run_cli("train", "--preset", "nope")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("playground: error:") and "Traceback" not in result.stderr


def test_python_m_playground_presets_lists_the_keys():
    result = run_cli("presets")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [*PRESETS, *COMPARE_SCENES]


@pytest.mark.parametrize("argv, words", [
    (["bench", "--ui", "--seconds", "0"], "--seconds: expected a number from 0.1"),
    (["bench", "--rounds", "100000000000"], "--rounds: expected a whole number from 1 to 100"),
    (["export", "--preset", "xor", "--seed", "-1", "--out", "x.png"], "--seed: initialization seed must lie between 0 and"),
    (["export", "--preset", "xor", "--steps", "99999999999", "--out", "x.png"], "--steps: expected a whole number"),
    (["train", "--preset", "xor", "--steps", "9" * 5000], "--steps: expected a whole number"),
    (["export", "--preset", "xor", "--scale", "nan", "--out", "x.png"], "--scale: expected a number from 0.25 to 4"),
    (["export", "--preset", "xor", "--size", "7680x4320", "--scale", "4", "--out", "x.png"], "pixels; at most"),
    (["export", "--preset", "xor", "--size", "320x240", "--out", "x.png"], "at least 960x540"),
    (["export", "--preset", "xor", "--size", "960x540", "--presentation", "--out", "x.png"], "at least 960x600"),
    (["export", "--preset", "xor", "--size", "huge", "--out", "x.png"], "expected a size like 1600x900"),
    (["train", "--steps", "5"], "the following arguments are required: --preset"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_a_bad_option_is_one_line_and_status_2_before_any_work(capsys, argv, words):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert len(err.strip().splitlines()) == 1 and words in err and len(err) < 300, err


@pytest.mark.parametrize("session", ["/dev/zero", "missing.json"])
def test_export_from_an_unreadable_session_is_one_line(capsys, tmp_path, session):
    code = main(["export", "--session", str(tmp_path / session) if session == "missing.json" else session,
                 "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert ("a device" in err) if session == "/dev/zero" else ("no such file" in err)
