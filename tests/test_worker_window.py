"""The worker link seen from the window: pacing after rebuilds, the steps/s readout, autosave.

Ctrl+C in the terminal: test_app_ctrl_c.py."""

import time

import pytest
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt

from playground.ui import last_session


def test_reset_while_playing_starts_again_from_step_0_at_the_chosen_speed(window, qtbot):
    """Issue 9: pressing R after ~1 s of play showed thousands of steps 0.3 s later (the old clock replayed)."""
    session = window.session
    session.set_speed(60.0)
    qtbot.keyClick(window, Qt.Key_Space)
    qtbot.waitUntil(lambda: session.snapshot.step >= 40, timeout=10_000)
    pressed = time.monotonic()  # before the key: the worker may take steps while the window still redraws for it
    qtbot.keyClick(window, Qt.Key_R)
    wait_fresh(qtbot, session)
    # playing again from step 0: a replayed clock would show its thousands of steps in the first frames
    qtbot.waitUntil(lambda: session.snapshot.step >= 10, timeout=10_000)
    wait_fresh(qtbot, session)
    elapsed = time.monotonic() - pressed
    assert session.playing
    assert session.snapshot.step <= 60.0 * elapsed + 3  # at most the chosen speed since R, plus a frame


def test_changing_the_units_while_playing_restarts_the_pacing(window, qtbot):
    session = window.session
    session.set_speed(60.0)
    session.play()
    qtbot.waitUntil(lambda: session.snapshot.step >= 40, timeout=10_000)
    changed = time.monotonic()  # before the change: the rebuilt worker trains while the window rebuilds its views
    session.set_architecture((5,), "tanh")
    wait_fresh(qtbot, session)  # rebuilt at step 0; a replayed clock would show its steps in the first frames
    qtbot.waitUntil(lambda: session.snapshot.step >= 10, timeout=10_000)
    wait_fresh(qtbot, session)
    assert session.snapshot.step <= 60.0 * (time.monotonic() - changed) + 3


def test_the_rate_readout_is_true_in_slow_motion(window, qtbot):
    session = window.session
    window.speed.setCurrentIndex(window.speed.findData(2.0))  # "slow motion: 2 steps/s"
    session.play()
    started = time.monotonic()
    qtbot.waitUntil(lambda: session.snapshot.step >= 5, timeout=10_000)
    rate = session.snapshot.steps_per_second
    assert rate == pytest.approx(2.0, rel=0.2)
    assert session.snapshot.step <= 2.0 * (time.monotonic() - started) + 2
    assert window.rates.text().startswith("2 steps/s")


@pytest.fixture
def primary(make_window, tmp_path):
    """A window that owns the last-session autosave in a temporary data folder."""
    w = make_window(files=tmp_path, show=False)
    w.files.data_dir.mkdir()
    return w


def test_points_are_autosaved_a_few_seconds_after_an_edit(primary, qtbot, monkeypatch):
    primary.files.last_session.edit_timer.setInterval(300)  # the few seconds, shortened for the test
    primary.files.last_session.start(restore=False)
    wait_fresh(qtbot, primary.session)
    assert primary.files.last_session.autosave_timer.interval() == last_session.AUTOSAVE_MS  # the 30 s clock is not it
    primary.session.add_points([[0.1, 0.2]])
    path = primary.files.last_session.path
    qtbot.waitUntil(path.is_file, timeout=5_000)
    from playground.data import session_file
    saved = session_file.load(path)
    assert len(saved.X) == len(primary.session.points) and saved.X[-1, 0] == pytest.approx(0.1)


def test_a_stale_temporary_file_from_a_killed_save_is_removed_at_start(primary):
    stale = primary.files.data_dir / f".{last_session.LAST_SESSION}.abc123.tmp"
    stale.write_text('{"format": "neural-playground-session", "half a fi')
    other = primary.files.data_dir / "notes.tmp"  # not ours: left alone
    other.write_text("keep")
    primary.files.last_session.start(restore=False)
    assert not stale.exists() and other.exists()


def test_the_held_out_points_are_known_where_the_points_are(window, qtbot):
    """The split is a pure function of (n, test fraction): the window's mask is the worker's, with no wait."""
    from playground.engine.settings import holdout_mask

    session = window.session
    session.update_settings(test_fraction=0.3)
    session.add_points([[0.1 * i - 1.0, 0.0] for i in range(20)])
    mask = session.test_mask  # known at once, before any snapshot reflects the new points
    assert mask.shape == (len(session.points),)
    wait_fresh(qtbot, session)
    assert (session.snapshot.test_mask == mask).all()
    longer = holdout_mask(len(mask) + 500, 0.3)
    assert (longer[:len(mask)] == mask).all()  # adding points never moves earlier ones
    assert longer.mean() == pytest.approx(0.3, abs=0.05)


@pytest.mark.process
def test_a_100k_point_full_batch_scene_after_a_fast_one_still_draws_and_pauses_at_once(window, qtbot):
    """Issue 10 §4: after a fast scene the chunk stayed at 256 steps; 100k full-batch points then gave
    2 frames in 10 s and Pause took 3.2 s."""
    import numpy as np

    from playground.worker.service import MAX_CHUNK as OLD_CHUNK  # the chunk that stayed after the fast scene

    session = window.session
    session.set_speed(None)
    session.play()
    qtbot.waitUntil(lambda: session.snapshot.step > 3000, timeout=15_000)  # fast: big chunks
    session.update_settings(batch_size=None)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.2, 1.2, 100_000)
    session.add_points(np.column_stack([x, np.sin(3 * x)]))
    qtbot.waitUntil(lambda: session.up_to_date, timeout=15_000)
    frames = []
    session.snapshot_changed.connect(lambda snap: frames.append(snap.step))
    # it trains and shows it: 4 frames, later steps (before: no frame in 3 s), each a slice of a few steps apart,
    # not the fast scene's 256-step chunks; counted in steps, so a loaded machine's slower steps change nothing
    qtbot.waitUntil(lambda: len(frames) >= 4 and frames[-1] > frames[0], timeout=15_000)
    assert max(np.diff(frames)) < OLD_CHUNK // 4, f"frames {frames}: chunks as large as the fast scene's"
    session.pause()
    shown = frames[-1]
    qtbot.waitUntil(lambda: session.up_to_date and not session.snapshot.playing, timeout=5_000)
    # paused at once: within a slice or two of the newest frame (before: 3.2 s, a 256-step chunk of 100k points)
    assert session.snapshot.step - shown < OLD_CHUNK // 4
