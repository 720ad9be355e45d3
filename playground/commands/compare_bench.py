"""``playground bench --ui --compare N``: compare mode live with N runs of the bench network, offscreen.

Each run is the tfpg-like network of ``ui_bench.CONFIG`` (2-8-8-2 tanh, 500 points, batch 10) from its own seed,
trained in its own worker process at full speed while the window draws every panel. Frames are real paint events
of each panel's plot (the slowest panel counts); each run's steps/s is divided by the same network's headless
steps/s: one run alone on the machine (measured in this process between the rounds, every run paused), so the
ratio is the issue's "each run at ≥ 25% of its own headless speed" with numbers from the same minute. The window
process's CPU use during the rounds and the load average before them say how busy the machine was.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from .ui_bench import _configure, _headless_rate


def _wait(condition, seconds: float) -> None:
    from PySide6.QtTest import QTest
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QTest.qWait(20)
    if not condition():
        raise RuntimeError("the compare runs did not start in time")


def run_compare_bench(n_runs: int, json_output: bool = False, seconds: float = 5.0, rounds: int = 3) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest

    from ..data.compare import MAX_RUNS
    from ..ui.application import create_app, quiet_offscreen_warnings
    from ..ui.main_window import MainWindow
    from ..ui.paint_counter import PaintCounter

    if not 2 <= n_runs <= MAX_RUNS:
        raise ValueError(f"--compare: 2 to {MAX_RUNS} runs; got {n_runs}")
    app = create_app()
    quiet_offscreen_warnings(app)
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    _configure(window.session)
    runs = window.compare.runs
    for seed in range(1, n_runs):
        runs.duplicate(0, then=lambda run, seed=seed: run.reset(seed))
        _wait(lambda seed=seed: len(runs.runs) == seed + 1, 30.0)
    _wait(lambda: all(r.up_to_date for r in runs.runs), 30.0)
    counters = [PaintCounter(panel.plot.viewport()) for panel in window.compare.panels.panels]
    QTest.qWait(500)

    results = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for _ in range(rounds):
        headless = _headless_rate(min(2.0, seconds))
        window.play_action.trigger()
        QTest.qWait(300)  # let the first frames through before measuring
        steps0 = [r.snapshot.step for r in runs.runs]
        paints0, t0, cpu0 = [c.count for c in counters], time.perf_counter(), time.process_time()
        QTest.qWait(int(seconds * 1000))
        elapsed = time.perf_counter() - t0
        window_cpu = (time.process_time() - cpu0) / elapsed
        fps = min((c.count - p) / elapsed for c, p in zip(counters, paints0))
        rates = [(r.snapshot.step - s) / elapsed for r, s in zip(runs.runs, steps0)]
        window.play_action.trigger()
        QTest.qWait(200)
        results.append({"fps": fps, "headless_steps_per_s": headless, "steps_per_s": rates,
                        "ratios": [rate / headless for rate in rates], "window_cpu": window_cpu})
    window.close()
    app.processEvents()

    summary = {"fps": statistics.median(r["fps"] for r in results),
               "headless_steps_per_s": statistics.median(r["headless_steps_per_s"] for r in results),
               "steps_per_s": [statistics.median(r["steps_per_s"][i] for r in results) for i in range(n_runs)],
               "ratios": [statistics.median(r["ratios"][i] for r in results) for i in range(n_runs)],
               "window_cpu": statistics.median(r["window_cpu"] for r in results), "load_average": load,
               "config": f"compare mode: {n_runs} runs of [2,8,8,2] tanh, 500 points, batch 10, offscreen",
               "rounds": rounds, "seconds_per_round": seconds, "cpus": os.cpu_count()}
    if json_output:
        print(json.dumps(summary))
        return 0
    print(f"{summary['config']}: medians of {rounds} rounds of {seconds:g} s ({summary['cpus']} CPUs)")
    print(f"  frames/s of the slowest panel  {summary['fps']:8.1f}   (target ≥ 30)")
    print(f"  steps/s headless (one run)     {summary['headless_steps_per_s']:8,.0f}")
    for i, (rate, ratio) in enumerate(zip(summary["steps_per_s"], summary["ratios"])):
        print(f"  run {i + 1}: steps/s {rate:8,.0f}   ratio {ratio:5.2f}   (target ≥ 0.25)")
    print(f"  window process CPU {summary['window_cpu']:.2f} cores; load average before {load:.1f}")
    return 0
