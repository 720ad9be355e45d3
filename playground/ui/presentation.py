"""Presentation mode (View → Presentation mode, F11): legible from the back of a lecture hall.

Full screen; the window's ``Look`` scales every named style token (fonts, line widths, point
sizes) by one factor, and the application font (menus, toolbar, status bar) by the same factor.
The factor follows the screen's height (``presentation_scale``): a projector shows 720 or 1080
pixel rows on the same wall, so text ``SCALE_AT_1080`` × its size on a 1080-row screen is as
large on the wall as text 1.25 × on a 720-row one, which leaves the plots the room they need.
The docks (controls, inspector) are tucked away. F11 or Esc leaves, restoring the exact previous
layout (window geometry and dock state) and the look at scale 1: the views restyle themselves
from the same tokens either way, so nothing has to be remembered and nothing stays enlarged.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDockWidget

SCALE_AT_1080 = 1.6   # at 1920x1080: 11 pt ticks become 17.6 pt, a 4 px fit 6.4 px wide
SCALE_RANGE = (1.25, 2.0)


def presentation_scale(screen_height: int) -> float:
    """The one factor for every style token on a screen ``screen_height`` px tall."""
    low, high = SCALE_RANGE
    return round(min(max(SCALE_AT_1080 * screen_height / 1080, low), high), 2)


def scaled_font(font: QFont, factor: float) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    return font


class PresentationMode(QObject):
    toggled = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.enabled = False
        self._saved = None  # the window's layout before the mode: geometry, state, flags, app font
        self.action = QAction("&Presentation mode", window, checkable=True, shortcut=QKeySequence("F11"))
        self.action.setToolTip("Full screen, large fonts and thick lines, controls tucked away (F11; Esc leaves)")
        self.action.toggled.connect(self._on_action_toggled)
        window.menu("view").addAction(self.action)
        window.addAction(self.action)  # the shortcut works while the menu bar is hidden too
        self._escape = QShortcut(QKeySequence(Qt.Key_Escape), window)
        self._escape.setEnabled(False)
        self._escape.setWhatsThis("leave presentation mode")  # Help ▸ Keyboard shortcuts lists it
        self._escape.activated.connect(lambda: self.set_enabled(False))

    @Slot(bool)
    def _on_action_toggled(self, on: bool) -> None:
        self.set_enabled(on)

    def toggle(self) -> None:
        self.set_enabled(not self.enabled)

    def set_enabled(self, on: bool, full_screen: bool = True) -> None:
        """Enter or leave presentation mode; ``full_screen=False`` keeps the window's size (headless export)."""
        if on == self.enabled:
            return
        w = self.window
        app = QApplication.instance()
        if on:
            self._saved = {"geometry": w.geometry(), "normal": w.normalGeometry(), "state": w.saveState(),
                           "flags": w.windowState(), "app_font": QFont(app.font())}
            self.enabled = True
            for dock in w.findChildren(QDockWidget):
                dock.hide()
            screen = w.screen().geometry().height() if full_screen else w.height()
            scale = presentation_scale(screen)
            app.setFont(scaled_font(self._saved["app_font"], scale))
            w.look.set_scale(scale)
            if full_screen:
                w.showFullScreen()
        else:
            self.enabled = False
            saved, self._saved = self._saved, None
            app.setFont(saved["app_font"])
            w.look.set_scale(1.0)
            # the smaller minimum sizes must be in force before the old geometry is put back
            QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
            flags = saved["flags"]
            w.showNormal()
            # setGeometry, not restoreGeometry: the latter fits the window to the screen, and the point is to
            # put back exactly what was there
            w.setGeometry(saved["normal"] if flags & (Qt.WindowFullScreen | Qt.WindowMaximized) else saved["geometry"])
            if flags & Qt.WindowFullScreen:
                w.showFullScreen()
            elif flags & Qt.WindowMaximized:
                w.showMaximized()
            w.restoreState(saved["state"])
        self._escape.setEnabled(on)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.toggled.emit(on)
