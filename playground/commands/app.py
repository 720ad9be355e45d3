"""``playground`` with no command: the configured application, the main window, Ctrl+C in the terminal."""

from __future__ import annotations

import signal


def run_app(preset: str | None = None) -> int:
    ctrl_c = _CtrlC()  # from here a Ctrl+C is remembered, never raised inside Qt's imports or the window's start
    from ..data.compare_scenes import COMPARE_SCENES, get_scene
    from ..ui import crash_dialog
    from ..ui.application import create_app
    from ..ui.main_window import MainWindow

    if preset is not None:
        get_scene(preset)  # an unknown name fails here, before a window opens
    if ctrl_c.requested:
        return 130  # interrupted before anything of Qt started: nothing to close (the shell's status for Ctrl+C)
    app = create_app()
    crash_dialog.install()  # an exception in a slot shows a dialog instead of silently breaking a view
    window = MainWindow()
    window.files.last_session.start(restore=preset is None)  # layout, last session (offered back after a crash), autosave
    if preset in COMPARE_SCENES:
        window.compare.open_scene(preset)  # compare mode: the scene's runs side by side
    elif preset is not None:
        window.session.load_preset(preset)
    window.show()
    _quit_on_interrupt(app, window, ctrl_c)
    return app.exec()


class _CtrlC:
    """SIGINT while the app starts: remembered in ``requested``, then answered by ``respond`` once it is set.

    The default handler raised KeyboardInterrupt wherever Python happened to be: inside PySide6's imports
    (an ImportError from libshiboken), inside a Python method Qt called while building the window, or
    after the training process started (a crash at exit, SIGSEGV in 2 of 6 tries).
    """

    def __init__(self):
        self.requested = False
        self.respond = None
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, *_) -> None:
        self.requested = True
        if self.respond is not None:
            self.respond()


def _quit_on_interrupt(app, window, ctrl_c: _CtrlC) -> None:
    """Ctrl+C in the terminal closes the window as the Quit menu does (autosave, training process stopped).

    The close runs from Qt's loop: a close before ``app.exec()`` started (a Ctrl+C during the start) closed
    the window but never quit the loop, which then ran on with no window. Python runs signal handlers only
    between bytecodes, never while Qt's loop waits in C++; a timer gives the interpreter a moment every
    200 ms. (The training process ignores SIGINT: the window stops it.)
    """
    from PySide6.QtCore import QTimer

    ctrl_c.respond = lambda: QTimer.singleShot(0, window.close)
    if ctrl_c.requested:
        ctrl_c.respond()
    app._interrupt_timer = timer = QTimer(app, interval=200)  # kept alive with the application
    timer.timeout.connect(lambda: None)
    timer.start()
