"""After a scene, Clear or the other mode replaces what an opened file held, Ctrl+S asks where (Save As)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_ui_session_files import FakeDialogs

from playground.ui.session import CLASSIFICATION


@pytest.fixture
def saved(make_window, qtbot, tmp_path):
    """A window whose session was saved to prepared.json (its title shows the file)."""
    w = make_window(size=(1300, 800), dialogs=FakeDialogs())
    path = tmp_path / "prepared.json"
    w.files.dialogs.paths = [str(path)]
    qtbot.keyClick(w, Qt.Key_S, Qt.ControlModifier)
    assert path.is_file() and w.files.path == path and "prepared.json" in w.windowTitle()
    return w, path


def load_scene(window):
    window.presets.setCurrentIndex(window.presets.findData("xor"))
    window.presets.activated.emit(window.presets.currentIndex())  # as a click on the Scene box does


def click_clear(window):
    button = next(b for b in window.controls.findChildren(QPushButton) if b.text() == "Clear")
    button.click()


def switch_mode(window):
    window.controls.mode.setCurrentIndex(window.controls.mode.findData(CLASSIFICATION))


@pytest.mark.parametrize("replace", [load_scene, click_clear, switch_mode])
def test_ctrl_s_after_the_scene_is_replaced_asks_where_and_keeps_the_prepared_file(saved, qtbot, tmp_path, replace):
    window, prepared = saved
    before = prepared.read_bytes()
    replace(window)
    assert "prepared.json" not in window.windowTitle() and window.files.path is None
    other = tmp_path / "other.json"
    window.files.dialogs.paths = [str(other)]
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert window.files.dialogs.paths == []  # the Save As dialog was asked
    assert other.is_file() and prepared.read_bytes() == before
    assert "other.json" in window.windowTitle()


def test_ctrl_s_after_drawing_still_saves_to_the_same_file(saved, qtbot):
    window, prepared = saved
    window.session.add_points([[0.3, 0.2]])
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert window.files.path == prepared and "prepared.json" in window.windowTitle()
    assert prepared.read_bytes().count(b"0.3") >= 1
