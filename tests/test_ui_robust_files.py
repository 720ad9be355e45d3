"""The window never blocks on a file and never dies of an exception (issue 10 §2 and §3), through the real
window: reads off the GUI thread with progress and Cancel, pipes and huge cells refused in one line,
old Mac CSV imported, an exception in a slot shown in a dialog, and damaged-but-accepted session files
trained, drawn, saved and reopened."""

import json
import os
import random
import sys
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from session_mutations import NASTY, bases, mutate, paths, to_text
from test_ui_session_files import FakeDialogs

from playground.data import session_file
from playground.data.bounded_read import ReadCancelled
from playground.ui import crash_dialog
from playground.ui.application import create_app
from playground.ui.background_read import read_in_background
from playground.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def shared_window(qapp):
    """One window for the whole module (a window costs ~3 s to build here); each test leaves it usable."""
    create_app()
    w = MainWindow()
    w.files.dialogs = FakeDialogs()
    w.resize(1300, 800)
    w.show()
    yield w
    w.close()


@pytest.fixture
def window(shared_window, qtbot):
    qtbot.waitUntil(lambda: shared_window.session.up_to_date, timeout=10_000)
    return shared_window


def test_a_slow_read_shows_progress_keeps_the_window_answering_and_cancels(window, qtbot):
    ticks = []
    heartbeat = QTimer(interval=10)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start()
    release = threading.Event()

    def slow_reader(progress, cancelled):
        for done in range(1, 1000):
            if cancelled():
                raise ReadCancelled()
            progress(done, 1000)
            release.wait(0.01)
        return "finished"

    def press_cancel():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if not dialogs or dialogs[0].value() <= 0:  # wait until it shows how far the read is
            QTimer.singleShot(20, press_cancel)
            return
        progress.append(dialogs[0].value())
        qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.LeftButton)

    progress = []
    QTimer.singleShot(300, press_cancel)
    with pytest.raises(ReadCancelled):
        read_in_background(window, "Reading slowly…", slow_reader, show_after_ms=50)
    heartbeat.stop()
    assert progress and 0 < progress[0] < 1000
    assert len(ticks) >= 10  # the GUI thread kept running timers throughout


def test_opening_a_pipe_is_refused_at_once_in_one_line(window, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert not window.files.open(fifo)
    error = window.files.dialogs.errors[-1]
    assert "a pipe" in error and "\n" not in error


def test_importing_a_csv_with_a_huge_cell_is_refused_in_one_short_line(window, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n0.5," + "9" * 200_000 + "\n")
    assert not window.files.import_points(path)
    error = window.files.dialogs.errors[-1]
    assert error.startswith("bad.csv: line 2") and len(error) < 150


def test_importing_an_old_mac_csv_works(window, tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"x,y\r0.5,0.25\r-0.5,1.0\r0.0,0.0\r")
    assert window.files.import_points(path)
    assert window.session.mode == "regression" and len(window.session.points) == 3


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_one_dialog_and_the_window_lives_on(window, qtbot):
    shown = []

    class Dialog:
        visible = True

        def isVisible(self):
            return self.visible

    def show(summary, details):
        shown.append((summary, details))
        return Dialog()

    previous = sys.excepthook
    crash_dialog.install(show)
    try:
        def broken_view():
            raise IndexError("index 37 is out of bounds for axis 0 with size 12")

        for _ in range(5):  # a view failing on every frame gives one dialog, not five
            QTimer.singleShot(0, broken_view)
        after = []
        QTimer.singleShot(0, lambda: after.append(1))  # runs once the five have run
        qtbot.waitUntil(lambda: bool(after))
        assert len(shown) == 1
        summary, details = shown[0]
        assert summary == "IndexError: index 37 is out of bounds for axis 0 with size 12"
        assert "broken_view" in details
        window.session.step(3)  # the window still trains and draws
        qtbot.waitUntil(lambda: window.session.up_to_date and window.session.snapshot.step >= 3)
    finally:
        sys.excepthook = previous


def _accepted_damaged_documents(count: int, seed: int) -> list[dict]:
    """Seeded damage to the fuzz bases, kept only where the reader accepts the result."""
    rng = random.Random(seed)
    texts = bases()
    found = []
    while len(found) < count:
        obj = json.loads(rng.choice(texts))
        mutate(obj, rng.choice(paths(obj)), rng.choice(["replace", "delete", "scale"]), rng.choice(NASTY))
        try:
            session_file.loads(to_text(obj))
        except session_file.SessionFileError:
            continue
        found.append(obj)
    return found


@pytest.mark.parametrize("seed", range(int(os.environ.get("FUZZ_WINDOW_EXAMPLES", 4))))
def test_fuzz_an_accepted_damaged_file_trains_draws_saves_and_reopens_in_the_window(window, qtbot, tmp_path, seed):
    path = tmp_path / "damaged.json"
    path.write_text(to_text(_accepted_damaged_documents(1, seed)[0]))
    session = window.session
    assert window.files.open(path), window.files.dialogs.errors
    session.step(50)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot is not None, timeout=15_000)
    # the loss plot redraws on its own timer: let it draw the restored curves
    qtbot.waitUntil(lambda: window.loss_plot.step_line.value() == session.snapshot.step, timeout=5_000)
    saved = tmp_path / "saved.json"
    assert window.files.save_to(saved), window.files.dialogs.errors
    before = session.document()
    assert window.files.open(saved), window.files.dialogs.errors
    qtbot.waitUntil(lambda: session.up_to_date, timeout=15_000)
    after = session.document()
    np.testing.assert_array_equal(after.trainer["parameters"], before.trainer["parameters"])
    assert after.trainer["step"] == before.trainer["step"] and after.settings == before.settings
