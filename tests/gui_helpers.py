"""Waits shared by the GUI tests: on the session's state, never a sleep."""


def wait_fresh(qtbot, session):
    """Wait for a snapshot that reflects every command sent so far."""
    qtbot.waitUntil(lambda: session.up_to_date, timeout=10_000)


def train_to(qtbot, session, step):
    """Train until the worker reports exactly ``step`` steps."""
    wait_fresh(qtbot, session)
    session.step(step - session.snapshot.step)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == step, timeout=15_000)


def window_with_own_files(qtbot, folder):
    """The main window with its settings and data folder (the last session) in ``folder``: a window that
    may own the autosave without touching another test's files."""
    from PySide6.QtCore import QSettings

    from playground.ui.application import create_app
    from playground.ui.main_window import MainWindow

    create_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.settings = QSettings(str(folder / "settings.ini"), QSettings.IniFormat)
    w.files.data_dir = folder / "data"
    return w
