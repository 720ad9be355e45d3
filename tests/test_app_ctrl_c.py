"""Ctrl+C in the terminal, at any moment: the app quits as Quit does, with no traceback and nothing left behind.

A terminal sends SIGINT to the whole process group: the window's process and its training process.
Each test starts the real app (``python -m playground``, offscreen) in its own process group.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

REPO = Path(__file__).resolve().parents[1]
QUIT_STATUSES = (0, 130)  # 0: it quit as the Quit menu does; 130: interrupted before the window was up (README)


def _start_app(tmp_path) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-m", "playground"], cwd=REPO, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _interrupt_and_wait(proc: subprocess.Popen) -> str:
    """Ctrl+C as a terminal sends it (to the whole group); the app's stderr once it has exited."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        return err
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def _training_process(app: int) -> dict | None:
    """The app's training process (a child started by multiprocessing's spawn) as its /proc status, or None."""
    for entry in Path("/proc").iterdir():
        try:
            status = dict(line.split(":", 1) for line in (entry / "status").read_text().splitlines() if ":" in line)
            is_training = b"spawn_main" in (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue  # not a process, or it ended meanwhile
        if status["PPid"].strip() == str(app) and is_training:
            return status
    return None


def _ignores_ctrl_c(status: dict | None) -> bool:
    """True once the training process ignores SIGINT, which it does first thing in its main function."""
    return status is not None and bool(int(status["SigIgn"], 16) & 1 << (signal.SIGINT - 1))


def _group_gone(group: int, within: float) -> bool:
    """True once no process of the group is left (multiprocessing's resource tracker ends a moment after)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _wait_for(condition, within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


def _assert_quit_cleanly(proc: subprocess.Popen, err: str, moment: str) -> None:
    assert proc.returncode in QUIT_STATUSES, f"Ctrl+C {moment}: exit status {proc.returncode}\n{err}"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, f"Ctrl+C {moment}:\n{err}"
    assert _group_gone(proc.pid, within=5.0), f"Ctrl+C {moment}: a process of the app's group is left"


def test_ctrl_c_in_the_terminal_quits_cleanly_and_stops_the_worker(tmp_path):
    proc = _start_app(tmp_path)
    lock = tmp_path / "data" / "Neural Playground" / "Neural Playground" / "instance.lock"
    assert _wait_for(lock.exists, within=60), "the app did not start"
    assert _wait_for(lambda: _ignores_ctrl_c(_training_process(proc.pid)), within=60), "no training process"
    time.sleep(1.5)  # the window has settled after its start (the first second is the next test's)
    err = _interrupt_and_wait(proc)
    assert proc.returncode == 0, err  # with the window up, Ctrl+C is Quit
    _assert_quit_cleanly(proc, err, "once settled")
    assert (lock.parent / "last-session.json").is_file()  # it quit as Quit does: autosaved


def _qt_loading(app: int) -> bool:
    """True once the app's process has begun to load Qt's libraries (PySide6 is being imported)."""
    try:
        return "libQt6Core" in Path(f"/proc/{app}/maps").read_text()
    except OSError:
        return False


def _training_process_importing(app: int) -> bool:
    """True once the training process is importing numpy: after Python's start, before it could ignore SIGINT."""
    status = _training_process(app)
    if status is None or _ignores_ctrl_c(status):
        return False
    try:
        return "_multiarray_umath" in Path(f"/proc/{status['Pid'].strip()}/maps").read_text()
    except OSError:
        return False


MOMENTS = {  # (stage, seconds after it): on a loaded machine seconds since the start hit any stage, even
    # Python's own start (its ``site`` module), which is not the app's to answer
    "Qt loading": (_qt_loading, 0.0),
    "Qt loading + 0.3 s": (_qt_loading, 0.3),
    "training process spawned": (lambda app: _training_process(app) is not None, 0.0),
    "training process importing": (_training_process_importing, 0.0),
    "training process up": (lambda app: _ignores_ctrl_c(_training_process(app)), 0.0),
    "training process up + 0.5 s": (lambda app: _ignores_ctrl_c(_training_process(app)), 0.5),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_ctrl_c_in_the_first_second_quits_without_a_traceback(tmp_path, moment):
    """Before the fix: tracebacks from the imports or the training process's start (KeyboardInterrupt), an
    ImportError from PySide6 interrupted mid-import, an abort (SIGABRT), or an app that never quit (a close
    before Qt's loop ran)."""
    proc = _start_app(tmp_path)
    stage, after = MOMENTS[moment]
    assert _wait_for(lambda: stage(proc.pid), within=60), f"never saw: {moment}"
    time.sleep(after)
    err = _interrupt_and_wait(proc)
    _assert_quit_cleanly(proc, err, f"at {moment}")
