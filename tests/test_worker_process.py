"""The window and a real training process under load and faults: the GUI thread never waits for the worker.

Each test runs a QTimer on the GUI thread for its whole length and checks that it kept firing (the
longest gap between two ticks), which is what "the window still answers" means. Before the worker
link had its writer and reader threads, the first two cases froze the window for good.
"""

import os
import signal
import time

import numpy as np
import pytest
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt, QTimer

from playground.worker.process import QUIT_SECONDS

pytestmark = pytest.mark.process

MAX_GAP = 2.0  # seconds the GUI thread may go without its timer (generous: 2 busy cores, 5000-point redraws)


class Ticks:
    """A 20 ms timer on the GUI thread; ``longest_gap`` is the longest time it did not get to run."""

    def __init__(self):
        self.times = [time.monotonic()]
        self.timer = QTimer(interval=20)
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))
        self.timer.start()

    @property
    def longest_gap(self) -> float:
        return float(np.max(np.diff(self.times + [time.monotonic()])))


class RefuseDialogs:
    """No modal dialog may open in a test: a question or error fails it instead."""

    def error(self, title, text):
        raise AssertionError(f"{title}: {text}")

    ask = error


def _generate_spirals(session, qtbot, n):
    session.load_preset("spiral")
    session.generate("spirals", n, 0.03, 0)
    wait_fresh(qtbot, session)
    assert len(session.points) == n


def test_a_stroke_on_5000_spiral_points_at_full_speed_never_freezes_the_window(window, qtbot):
    session, plot = window.session, window.class_plot
    _generate_spirals(session, qtbot, 5000)
    session.set_speed(None)
    session.play()
    qtbot.waitUntil(lambda: session.snapshot is not None and session.snapshot.step > 50, timeout=15_000)
    vp = plot.viewport()
    # A quick hand: the moves arrive faster than the window handles events, so every edit sends all
    # points down while 540 KB snapshots come up. Before the link had its own threads, this call froze.
    qtbot.mousePress(vp, Qt.LeftButton, pos=plot.data_to_widget(-1.2, -1.2))
    for t in np.linspace(0, 1, 120):
        qtbot.mouseMove(vp, plot.data_to_widget(-1.2 + 2.4 * t, -1.2 + 2.4 * t * t))
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=plot.data_to_widget(1.2, 1.2))
    drawn = len(session.points)
    assert drawn > 5000 + 20
    ticks = Ticks()  # from here the window must answer while the worker catches up
    step = session.snapshot.step
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step > step + 20, timeout=15_000)
    assert session.playing and session.snapshot.test_mask.shape == (drawn,)
    assert ticks.longest_gap < MAX_GAP, f"the GUI thread stalled for {ticks.longest_gap:.2f} s"


def test_setting_20000_points_while_paused_never_freezes_the_window(window, qtbot, tmp_path):
    session = window.session
    session.load_preset("spiral")
    wait_fresh(qtbot, session)
    rng = np.random.default_rng(1)
    X, y = rng.uniform(-1.4, 1.4, (20_000, 2)), rng.integers(0, 2, 20_000)
    csv = tmp_path / "many.csv"
    csv.write_text("x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{c}" for (a, b), c in zip(X.tolist(), y.tolist())))
    window.files.dialogs = RefuseDialogs()
    gaps = []
    for _ in range(3):  # import it again and again: each sends all 20k points while snapshots come up
        assert window.files.import_points(csv)  # before the fix this call never returned
        session.step(1)
        ticks = Ticks()  # from here on the window must answer; the import itself is parsing, not waiting
        qtbot.wait(300)
        gaps.append(ticks.longest_gap)
    qtbot.waitUntil(lambda: session.up_to_date, timeout=20_000)
    assert len(session.points) == 20_000 and session.snapshot.test_mask.shape == (20_000,)
    np.testing.assert_array_equal(session.points.X, X)
    assert max(gaps) < MAX_GAP, f"the GUI thread stalled for {max(gaps):.2f} s"


def _worker_pid(session) -> int:
    return session.link.endpoint.process.pid


def test_a_frozen_worker_is_noticed_restarted_and_continues_playing_at_its_step(window, qtbot):
    session = window.session
    _generate_spirals(session, qtbot, 2000)
    session.set_speed(600.0)
    session.play()
    qtbot.waitUntil(lambda: session.snapshot is not None and session.snapshot.step > 300, timeout=15_000)
    pid = _worker_pid(session)
    ticks = Ticks()
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen_at = session.snapshot.step
        for i in range(60):  # a user still drawing while nothing answers: every edit sends all points
            session.add_points([[0.01 * i, 0.5]])
        with qtbot.waitSignal(session.message, timeout=15_000,
                              check_params_cb=lambda text: "stopped answering" in text) as blocker:
            pass
        assert "restarted at step" in blocker.args[0]
        qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step > frozen_at + 50, timeout=15_000)
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass  # the watchdog killed it, as it should
    assert session.playing and _worker_pid(session) != pid
    assert len(session.points) == 2060
    assert ticks.longest_gap < MAX_GAP, f"the GUI thread stalled for {ticks.longest_gap:.2f} s"


def test_a_killed_worker_continues_from_where_it_was_with_the_points(window, qtbot):
    session = window.session
    session.add_points([[0.3, -1.1]])
    drawn = session.points
    session.update_settings(optimizer="adam", learning_rate=0.01)
    session.step(400)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 400, timeout=15_000)
    before = session.snapshot.parameters
    with qtbot.waitSignal(session.message, timeout=10_000,
                          check_params_cb=lambda text: "restarted" in text) as blocker:
        session.link.endpoint.process.kill()  # what a crash in the training process looks like from here
    assert "points are kept" in blocker.args[0] and "step 400" in blocker.args[0]
    wait_fresh(qtbot, session)
    np.testing.assert_array_equal(session.points.X, drawn.X)
    assert session.snapshot.step == 400
    np.testing.assert_array_equal(session.snapshot.parameters, before)
    session.step(5)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 405, timeout=10_000)


def test_closing_while_training_a_big_scene_is_prompt(window, qtbot):
    session = window.session
    _generate_spirals(session, qtbot, 5000)
    session.set_speed(None)
    session.play()
    qtbot.waitUntil(lambda: session.snapshot is not None and session.snapshot.step > 100, timeout=15_000)
    process = session.link.endpoint.process
    started = time.monotonic()
    window.close()
    took = time.monotonic() - started
    assert not process.is_alive() and process.exitcode == 0  # it quit by itself, not killed
    assert took < 1.0, f"closing took {took:.2f} s"


def test_quitting_with_a_frozen_worker_is_prompt_and_keeps_the_points(make_window, qtbot, tmp_path, monkeypatch):
    from playground.data import session_file

    w = make_window(files=tmp_path, show=False)
    w.files.last_session.start(restore=False)
    session = w.session
    session.update_settings(optimizer="adam", learning_rate=0.01)
    session.step(300)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 300, timeout=15_000)
    qtbot.waitUntil(lambda: session.link.last_known_state()["trainer"] is not None, timeout=5_000)
    process = session.link.endpoint.process
    os.kill(process.pid, signal.SIGSTOP)
    session.add_points([[0.42, 0.99]])  # drawn after the worker froze
    saved_at = []  # when the quit's autosave wrote the points: the window's own wait for the frozen worker is over
    write = session_file.save

    def save(*args, **kwargs):
        saved_at.append(time.monotonic())
        return write(*args, **kwargs)
    monkeypatch.setattr(session_file, "save", save)
    started = time.monotonic()
    w.close()
    took = time.monotonic() - started
    assert not process.is_alive()
    # Each wait bounded by its own patience (0.5 s for the state, QUIT_SECONDS for the process to quit before it is
    # killed) plus a margin for the work around it, so a loaded machine's slow process teardown fails neither
    # while a wait for a worker that never answers still does.
    asked = saved_at[0] - started
    assert asked < 1.0, f"the window waited {asked:.2f} s for the frozen worker's state"
    assert took - asked < QUIT_SECONDS + 1.0, f"stopping the frozen worker took {took - asked:.2f} s"
    saved = session_file.load(w.files.last_session.path)
    assert saved.X[-1, 0] == pytest.approx(0.42) and len(saved.X) == len(session.points)
    assert saved.trainer["step"] == 300  # and where training was
