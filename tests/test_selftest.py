"""`playground --self-test` run as a user would, its screenshot check, the about box and the desktop entry."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from playground import __version__
from playground.assets import asset
from playground.commands.selftest import SelfTestFailed, _check_screenshot
from playground.palette import CLASS_COLORS
from playground.ui.application import create_app

REPO = Path(__file__).resolve().parents[1]
DESKTOP_ENTRY = REPO / "resources" / "neural-playground.desktop"


def run_self_test(*args, temporary_folder=None):
    """``python -m playground --self-test ARGS`` in a real subprocess, offscreen (its temporary files in
    ``temporary_folder`` if given); returns (exit code, JSON)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    if temporary_folder is not None:
        env["TMPDIR"] = str(temporary_folder)
    proc = subprocess.run([sys.executable, "-m", "playground", "--self-test", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, (proc.stdout, proc.stderr)  # exactly one JSON line, whatever happened
    return proc.returncode, json.loads(lines[0])


@pytest.mark.process  # the self-test spawns the real training process
@pytest.mark.parametrize("preset, evidence", [("xor", "class_pixels"), ("bishop-x2", "fit_red_pixels"),
                                              ("plane", "class_pixels")])  # 2-D regression: the surface's two colours
def test_self_test_trains_draws_saves_a_screenshot_and_stops_the_worker(preset, evidence, tmp_path):
    code, result = run_self_test("--preset", preset, temporary_folder=tmp_path)
    shot = result.get("screenshot", {})
    try:
        assert code == 0 and result["ok"] is True, result.get("reason")
        assert result["version"] == __version__ and result["preset"] == preset
        assert result["frames"] > 0 and result["steps"] > 0
        assert result["fps"] > 0 and result["steps_per_s"] > 0
        assert result["worker_exitcode"] == 0
        assert shot["bytes"] > 0 and shot["deleted"] is True and "path" not in shot
        assert shot["width"] >= 800 and shot["height"] >= 500
        assert set(result["display_check"]) == {"ok", "missing_packages", "no_display"}
        assert result[evidence]  # the pixels that made the screenshot count as "not blank"
        mp4, gif = result["animation"]["mp4"], result["animation"]["gif"]  # written and decoded again
        assert mp4["codec"] == "h264" and mp4["frames"] == gif["frames"] == 3 and mp4["bytes"] > 0
        assert 0 < result["seconds"] < 60
        if sys.platform.startswith("linux"):
            assert 0 < result["startup_seconds"] < 60
        # and it leaves no screenshot in the temporary folder
        assert not [p for p in tmp_path.rglob("*") if "self-test" in p.name], list(tmp_path.rglob("*"))
    finally:
        if shot.get("path"):  # an old self-test's file: never left behind by a test
            Path(shot["path"]).unlink(missing_ok=True)


def test_a_failed_self_test_is_one_json_line_with_a_reason_and_exit_code_1():
    code, result = run_self_test("--preset", "no-such-scene")
    assert code == 1 and result["ok"] is False
    assert "unknown preset" in result["reason"] and result["version"] == __version__


@pytest.mark.process  # the self-test spawns the real training process
def test_a_worker_that_outlives_the_window_fails_the_self_test():
    script = textwrap.dedent("""
        import sys
        from playground.commands import selftest
        from playground.commands.cli import main
        from playground.worker.process import WorkerProcess
        if __name__ == "__main__":
            WorkerProcess.close = lambda self, timeout=2.0: None  # the window "forgets" to stop its worker
            selftest.STOP_TIMEOUT = 0.5
            sys.exit(main(["--self-test"]))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120)
    result = json.loads(proc.stdout.splitlines()[-1])
    assert proc.returncode == 1 and result["ok"] is False
    assert "still running after the window closed" in result["reason"]


@pytest.fixture
def window(make_window):
    return make_window(size=None)  # the window's own first size, as the self-test shows it


@pytest.mark.parametrize("preset, fill, message", [
    ("xor", (255, 255, 255), "no decision regions"),                  # blank
    ("xor", CLASS_COLORS[0], r"does not show class \[2\]"),           # one class only
    ("bishop-x2", (255, 255, 255), "no red fit"),                      # blank
])
def test_the_screenshot_check_passes_the_window_and_fails_a_wrong_image(window, qtbot, tmp_path, preset, fill,
                                                                         message):
    session = window.session
    session.load_preset(preset)
    session.step(500)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 500, timeout=10_000)
    plot = window.class_plot if preset == "xor" else window.fit_view.plot
    qtbot.waitUntil(lambda: plot.isVisible() and plot.height() > 100)  # laid out for the scene
    real = tmp_path / "window.png"
    assert window.grab().save(str(real))
    assert _check_screenshot(str(real), window, plot, session)  # the real window passes

    wrong = QImage(window.size(), QImage.Format_RGB32)
    wrong.fill(QColor(*fill))
    wrong_path = tmp_path / "wrong.png"
    assert wrong.save(str(wrong_path))
    with pytest.raises(SelfTestFailed, match=message):
        _check_screenshot(str(wrong_path), window, plot, session)


def test_the_about_box_shows_the_version_and_the_app_icon(window, qtbot):
    seen = {}

    def inspect_and_close():
        box = QApplication.activeModalWidget()
        seen["box"] = isinstance(box, QMessageBox)
        seen["text"] = box.text()
        seen["icon"] = box.iconPixmap().toImage().convertToFormat(QImage.Format_ARGB32)
        box.accept()

    about = next(a for a in window.help_menu.actions() if "About" in a.text())
    QTimer.singleShot(0, inspect_and_close)
    about.trigger()  # modal: returns once inspect_and_close accepted it
    assert seen["box"] and __version__ in seen["text"]
    expected = QImage.fromData(asset("icons", "playground-64.png").read_bytes()).convertToFormat(QImage.Format_ARGB32)
    assert seen["icon"] == expected  # the app's own icon, not Qt's generic information icon
    assert __version__ in window.windowTitle()


def test_the_window_is_matched_to_its_desktop_entry():
    app = create_app()
    entry = dict(line.split("=", 1) for line in DESKTOP_ENTRY.read_text().splitlines() if "=" in line)
    assert app.desktopFileName() == DESKTOP_ENTRY.stem == entry["Icon"] == entry["StartupWMClass"]
    assert not app.windowIcon().isNull()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate not installed (Debian: desktop-file-utils)")
def test_the_desktop_entry_validates():
    proc = subprocess.run(["desktop-file-validate", str(DESKTOP_ENTRY)], capture_output=True, text=True)
    assert proc.returncode == 0 and "error" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
