"""``playground bench --ui``: frames drawn per second and training steps per second with the window live.

The configuration is the issue's: 2-D mode, [2, 8, 8, 2] tanh, 500 points, batch 10, every
view on, offscreen. Frames are counted as real paint events of the main plot, steps from
the worker's snapshots. Rounds alternate with a headless run of the same configuration in
this process, so the ratio compares numbers taken on the same machine in the same minute.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from .bench import CONFIGS, make_trainer

CONFIG = CONFIGS[1]  # [2,8,8,2] tanh cross-entropy, batch 10 of 500 points


def _headless_rate(seconds: float) -> float:
    trainer = make_trainer(CONFIG)
    start, steps = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        steps += trainer.run(200)
    return steps / (time.perf_counter() - start)


def _configure(session) -> None:
    """The bench's network, points and settings in ``session``, at full speed (compared with training flat out)."""
    from ..data import make_dataset

    session.load_preset("xor")
    session.set_architecture(CONFIG.layer_sizes[1:-1], CONFIG.activation)
    data = make_dataset(CONFIG.dataset, n=CONFIG.n_points, seed=0)
    session.generate(CONFIG.dataset, CONFIG.n_points, 0.0, 0)
    session.update_settings(optimizer="sgd", learning_rate=0.01, batch_size=CONFIG.batch_size)
    session.set_speed(None)
    assert len(session.points) == len(data.X)


def run_ui_bench(json_output: bool = False, seconds: float = 5.0, rounds: int = 3) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest

    from ..ui.application import create_app, quiet_offscreen_warnings
    from ..ui.main_window import MainWindow
    from ..ui.paint_counter import PaintCounter

    app = create_app()
    quiet_offscreen_warnings(app)
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    session = window.session
    _configure(session)
    counter = PaintCounter(window.class_plot.viewport())
    QTest.qWait(500)

    results = []
    for _ in range(rounds):
        headless = _headless_rate(min(2.0, seconds))
        session.play()
        QTest.qWait(300)  # let the first frames through before measuring
        step0, paints0, t0 = session.snapshot.step, counter.count, time.perf_counter()
        QTest.qWait(int(seconds * 1000))
        elapsed = time.perf_counter() - t0
        fps = (counter.count - paints0) / elapsed
        steps = (session.snapshot.step - step0) / elapsed
        session.pause()
        QTest.qWait(200)
        results.append({"fps": fps, "ui_steps_per_s": steps, "headless_steps_per_s": headless,
                        "ratio": steps / headless})
    window.close()
    app.processEvents()

    summary = {key: statistics.median(r[key] for r in results) for key in results[0]}
    summary.update(config=f"2-D {CONFIG.name}, every view on, offscreen", rounds=rounds, seconds_per_round=seconds)
    if json_output:
        print(json.dumps(summary))
    else:
        print(f"{summary['config']}: medians of {rounds} rounds of {seconds:g} s")
        print(f"  window frames/s          {summary['fps']:8.1f}   (target ≥ 30)")
        print(f"  steps/s with the window  {summary['ui_steps_per_s']:8,.0f}")
        print(f"  steps/s headless         {summary['headless_steps_per_s']:8,.0f}")
        print(f"  ratio                    {summary['ratio']:8.2f}   (target ≥ 0.5)")
    return 0
