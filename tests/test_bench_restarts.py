"""``playground bench --restarts``: stacked seeds against one run after another, in one command."""

import json

from playground.commands.bench import format_restarts
from playground.commands.cli import main


def test_bench_restarts_reports_both_timings_their_ratio_and_that_the_seeds_agree(capsys):
    assert main(["bench", "--restarts", "3", "--steps", "20", "--rounds", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["preset"], result["seeds"], result["steps"], result["rounds"]) == ("bishop-abs", 3, 20, 2)
    assert result["stacked_s"] > 0 and result["sequential_s"] > 0 and result["ratio"] > 0
    assert result["max_difference"] <= 1e-12  # each stacked seed is its single run
    text = format_restarts(result)
    assert "3 seeds × 20 steps of bishop-abs" in text and f"ratio {result['ratio']:.3f}" in text


def test_bench_restarts_rejects_an_unknown_preset_in_one_line(capsys):
    assert main(["bench", "--restarts", "--restarts-preset", "nope", "--steps", "1", "--rounds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("playground: error: unknown preset 'nope'") and len(err.strip().splitlines()) == 1
