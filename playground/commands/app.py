"""``playground`` with no command: the configured application, the main window, Ctrl+C in the terminal."""

from __future__ import annotations


def run_app(preset: str | None = None) -> int:
    from ..data.compare_scenes import COMPARE_SCENES, get_scene
    from ..ui import crash_dialog
    from ..ui.application import create_app
    from ..ui.main_window import MainWindow

    if preset is not None:
        get_scene(preset)  # an unknown name fails here, before a window opens
    app = create_app()
    crash_dialog.install()  # an exception in a slot shows a dialog instead of silently breaking a view
    window = MainWindow()
    window.files.last_session.start(restore=preset is None)  # layout, last session (offered back after a crash), autosave
    if preset in COMPARE_SCENES:
        window.compare.open_scene(preset)  # compare mode: the scene's runs side by side
    elif preset is not None:
        window.session.load_preset(preset)
    window.show()
    _quit_on_interrupt(app, window)
    return app.exec()


def _quit_on_interrupt(app, window) -> None:
    """Ctrl+C in the terminal closes the window as the Quit menu does (autosave, training process stopped).

    Python runs signal handlers only between bytecodes, never while Qt's loop waits in C++; a timer gives
    the interpreter a moment every 200 ms. (The training process ignores SIGINT: the window stops it.)
    """
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: window.close())
    app._interrupt_timer = timer = QTimer(app, interval=200)  # kept alive with the application
    timer.timeout.connect(lambda: None)
    timer.start()
