"""Start the window: the application object, the bundled font, the main window."""

from __future__ import annotations

import sys

from .assets import asset


def _load_bundled_font(app) -> None:
    """Use the bundled DejaVu Sans, so text shows on machines with no fonts and screenshots match everywhere."""
    from PySide6.QtGui import QFont, QFontDatabase

    families = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_file = asset("fonts", name)
        if font_file.is_file():
            families += QFontDatabase.applicationFontFamilies(
                QFontDatabase.addApplicationFontFromData(font_file.read_bytes()))
    font = QFont(families[0] if families else app.font().family())
    font.setPointSizeF(11)
    app.setFont(font)


def _window_icon():
    from PySide6.QtGui import QIcon, QPixmap

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = asset("icons", f"playground-{size}.png")
        if png.is_file():
            pixmap = QPixmap()
            pixmap.loadFromData(png.read_bytes())
            icon.addPixmap(pixmap)
    return icon


def create_app(argv=None):
    """The QApplication, configured once (also used by tests and the headless export)."""
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Neural Playground")
    app.setOrganizationName("Neural Playground")
    app.setDesktopFileName("neural-playground")
    pg.setConfigOptions(background="w", foreground="k", antialias=False)
    _load_bundled_font(app)
    app.setWindowIcon(_window_icon())
    return app


def run_app(preset: str | None = None) -> int:
    from .data import get_preset
    from .ui import crash_dialog
    from .ui.main_window import MainWindow

    if preset is not None:
        get_preset(preset)  # an unknown name fails here, before a window opens
    app = create_app()
    crash_dialog.install()  # an exception in a slot shows a dialog instead of silently breaking a view
    window = MainWindow()
    window.files.start(restore=preset is None)  # layout, last session (offered back after a crash), autosave
    if preset is not None:
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
