"""Session files, CSV points and the last session, driven through the window's File menu."""

import json

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget

from playground.ui.session import CLASSIFICATION, REGRESSION


class FakeDialogs:
    """Answers the File menu's questions without showing anything."""

    def __init__(self):
        self.paths, self.errors, self.asked = [], [], []
        self.answer = True

    def open_path(self, title, directory, filter):
        return self.paths.pop(0)

    def save_path(self, title, directory, filter):
        return self.paths.pop(0)

    def export_options(self, region, scale):
        return region, scale

    def error(self, title, text):
        self.errors.append(text)

    def ask(self, title, text):
        self.asked.append(text)
        return self.answer


@pytest.fixture
def own_window(make_window):
    """``own_window(files=None)``: a window answering its dialogs with FakeDialogs, its settings and last
    session in the folder ``files`` if given."""
    return lambda files=None: make_window(size=(1300, 800), files=files, dialogs=FakeDialogs())


@pytest.fixture
def window(own_window):
    return own_window()


def test_save_then_open_continues_with_the_same_numbers(window, qtbot, tmp_path):
    """Ctrl+S on a momentum run with minibatches, mid-epoch; then the next 100 steps after opening the
    file equal the next 100 steps of the original, bit for bit."""
    s, path = window.session, tmp_path / "lecture.json"
    s.load_preset("moons")
    s.update_settings(optimizer="momentum", batch_size=7, test_fraction=0.2, l2=1e-4)
    s.set_speed(60.0)
    qtbot.waitUntil(lambda: s.up_to_date, timeout=10_000)
    train_to(qtbot, s, 157)
    points, settings = s.points, s.settings
    window.files.dialogs.paths = [str(tmp_path / "lecture")]  # Save As adds the .json
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert path.is_file() and window.files.path == path
    assert window.files.recent_files()[0] == str(path) and "lecture.json" in window.windowTitle()
    train_to(qtbot, s, 257)
    continued = s.snapshot.parameters

    s.load_preset("bishop-sin")  # somewhere else entirely
    qtbot.waitUntil(lambda: s.up_to_date, timeout=10_000)
    assert window.files.open(path)
    qtbot.waitUntil(lambda: s.up_to_date, timeout=10_000)
    assert s.mode == CLASSIFICATION and s.snapshot.step == 157 and s.preset == "moons"
    np.testing.assert_array_equal(s.points.X, points.X)
    np.testing.assert_array_equal(s.points.y, points.y)
    assert s.settings == settings and s.steps_per_second == 60.0
    assert len(s.snapshot.loss_steps) >= 2  # the loss curve comes back too
    train_to(qtbot, s, 257)
    np.testing.assert_array_equal(s.snapshot.parameters, continued)


def _state(session):
    snap = session.snapshot
    return (session.points, session.mode, session.hidden, session.activation, session.settings, session.caption,
            session.link.seq, snap.step, snap.parameters.tobytes())


def _valid_file(window, qtbot, tmp_path) -> dict:
    s = window.session
    train_to(qtbot, s, 20)
    path = tmp_path / "good.json"
    s.save(path)
    return json.loads(path.read_text())


def _with(obj, path, value):
    obj = json.loads(json.dumps(obj))
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(obj)


MALFORMED = {
    "truncated": (lambda good: json.dumps(good)[:300], "not valid JSON (truncated or damaged?)"),
    "not JSON": (lambda good: "\u0089PNG garbage", "not valid JSON"),
    "wrong type": (lambda good: _with(good, ("points", "X", 3, 0), "abc"), "points.X[3][0]: expected a number, got 'abc'"),
    "mismatched shapes": (lambda good: _with(good, ("trainer", "parameters"), [0.1] * 12),
                          "trainer.parameters: expected 10 numbers for layers [1, 3, 1], got 12"),
    "NaN": (lambda good: _with(good, ("trainer", "parameters", 2), "@@").replace('"@@"', "NaN"),
            "trainer.parameters[2]: expected a finite number, got NaN"),
    "huge array": (lambda good: _with(_with_json(good, ("points", "y"), [[0.0]] * 100_001), ("points", "X"),
                                      [[0.0]] * 100_001), "points.X: 100,001 points is more than the limit"),
    "unknown version": (lambda good: _with(good, ("version",), 7), "version: unknown version 7"),
}


def _with_json(obj, path, value):
    return json.loads(_with(obj, path, value))


def test_each_malformed_file_says_what_and_where_and_changes_nothing(window, qtbot, tmp_path):
    """Truncated, not JSON, wrong types, mismatched shapes, NaN, a huge array, an unknown version: one window
    tries them all (a window per case costs a second of process start each)."""
    good = _valid_file(window, qtbot, tmp_path)
    for case, (make, message) in MALFORMED.items():
        path = tmp_path / "bad.json"
        path.write_text(make(good))
        before = _state(window.session)
        assert not window.files.open(path), case
        error = window.files.dialogs.errors[-1]
        assert message in error and error.startswith("bad.json: "), (case, error)
        assert message in window.statusBar().currentMessage(), case
        wait_fresh(qtbot, window.session)  # a snapshot caused by a stray command would arrive first
        assert _state(window.session) == before, case
        assert window.files.path is None, case
    assert len(window.files.dialogs.errors) == len(MALFORMED)


def test_points_go_out_to_csv_and_come_back_as_one_undo_step(window, qtbot, tmp_path):
    s, files = window.session, window.files
    s.load_preset("blobs")
    path = tmp_path / "blobs.csv"
    assert files.export_points(path)
    assert path.read_text().splitlines()[0] == "x1,x2,label"
    original = s.points
    s.clear_points()
    assert files.import_points(path)
    np.testing.assert_array_equal(s.points.X, original.X)
    np.testing.assert_array_equal(s.points.y, original.y)
    s.undo()
    assert len(s.points) == 0  # the import was one undo step


def test_a_1d_csv_switches_to_1d_and_a_bad_line_is_named(window, qtbot, tmp_path):
    s, files = window.session, window.files
    s.set_mode(CLASSIFICATION)
    path = tmp_path / "curve.csv"
    path.write_text("x,y\n-0.5,0.25\n0,0\n0.5,0.25\n")
    assert files.import_points(path)
    assert s.mode == REGRESSION and s.points.y[:, 0].tolist() == [0.25, 0.0, 0.25]
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n0.1,0.2\n0.3,zero\n")
    before = s.points
    assert not files.import_points(bad)
    assert files.dialogs.errors[-1] == "bad.csv: line 3, column 2: 'zero' is not a number"
    assert s.points is before


def test_the_last_session_comes_back_on_the_next_start(own_window, qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    first = own_window(tmp_path)
    first.files.last_session.start()
    assert first.files.last_session.primary
    s = first.session
    s.add_points([[0.3, 0.9]])
    train_to(qtbot, s, 40)
    dock = first.findChild(QDockWidget, "controls")
    dock.hide()  # a layout change the next start restores (saveState / restoreState)
    first.files.last_session._on_autosave_timer_timeout()  # the 30 s autosave, now: something changed
    qtbot.waitUntil(first.files.last_session.path.is_file, timeout=10_000)  # written when the worker answers
    points = s.points
    first.close()
    assert not settings.value("session/running", type=bool)

    second = own_window(tmp_path)
    second.files.last_session.start()
    qtbot.waitUntil(lambda: second.session.up_to_date, timeout=10_000)
    np.testing.assert_array_equal(second.session.points.X, points.X)
    assert second.session.snapshot.step == 40
    assert second.findChild(QDockWidget, "controls").isHidden() and second.files.dialogs.asked == []
    second.close()


@pytest.mark.parametrize("answer", [True, False])
def test_after_a_crash_the_autosave_is_offered_back(own_window, qtbot, tmp_path, answer):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    data = tmp_path / "data"
    data.mkdir()
    crashed = own_window()
    crashed.session.load_preset("spiral")
    qtbot.waitUntil(lambda: crashed.session.up_to_date, timeout=10_000)
    crashed.session.save(data / "last-session.json")
    crashed.close()
    settings.setValue("session/running", True)  # the run that wrote it never said goodbye

    w = own_window(tmp_path)
    w.files.dialogs.answer = answer
    w.files.last_session.start()
    qtbot.waitUntil(lambda: w.session.up_to_date, timeout=10_000)
    assert len(w.files.dialogs.asked) == 1 and "did not close properly" in w.files.dialogs.asked[0]
    assert (w.session.preset == "spiral") == answer
    w.close()
