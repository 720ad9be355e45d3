"""The QApplication, configured once: name, bundled font, window icon, pyqtgraph's options.

Used by every entry point that shows a window (the window, the export, the self-test, the benchmarks) and by the tests.
"""

from __future__ import annotations

import sys

from ..assets import asset


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


def quiet_offscreen_warnings(app) -> None:
    """On Qt's offscreen platform (headless export, self-test), drop its "does not support
    propagateSizeHints()" lines, which say nothing to a user; every other message goes to stderr."""
    if app.platformName() != "offscreen":
        return
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message):
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def create_app(argv=None):
    """The QApplication, configured once (also used by tests and the headless export)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Neural Playground")
    app.setOrganizationName("Neural Playground")
    app.setDesktopFileName("neural-playground")
    pg.setConfigOptions(background="w", foreground="k", antialias=False)
    _load_bundled_font(app)
    app.setWindowIcon(_window_icon())
    return app
