"""Help ▸ Keyboard shortcuts lists every key the window answers to, read off its actions."""

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.ui.shortcuts_dialog import shortcut_rows


def test_the_dialog_lists_every_key_the_issue_found_missing_and_every_action_with_a_key(window, qtbot):
    shown = []

    def read_and_close():
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(200, read_and_close)
    next(a for a in window.help_menu.actions() if "Keyboard shortcuts" in a.text()).trigger()
    text = shown[0]
    for keys in ("Ctrl+I", "Ctrl+H", "Ctrl+Shift+C", "Ctrl+Shift+S", "Esc", "F11", "Space", "Ctrl+Z",
                 "Ctrl+Shift+Z", "Ctrl+E", "Ctrl+O", "Ctrl+S", "1 … 6"):
        assert f"<b>{keys}" in text or f"or {keys}" in text, keys
    # anything given a key later shows up without editing the dialog
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            assert sequence.toString(QKeySequence.NativeText) in text, action.text()


def test_a_new_action_with_a_key_appears_in_the_rows(window):
    action = QAction("&Brand new thing…", window, shortcut=QKeySequence("Ctrl+Alt+B"))
    window.addAction(action)
    assert ("Ctrl+Alt+B", "Brand new thing") in shortcut_rows(window)
