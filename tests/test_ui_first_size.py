"""The window opens within its screen: at 1280×720 a 1500×900 window hid its own plots past the screen's edge."""

import pytest
from PySide6.QtCore import QRect, QSize

from playground.ui.main_window import DEFAULT_SIZE


class Screen:
    """A stand-in for a QScreen of the given free area (the only thing the window asks of it)."""

    def __init__(self, width, height):
        self.free = QRect(0, 0, width, height)

    def availableGeometry(self):
        return self.free


@pytest.mark.parametrize("screen, expected", [((1280, 720), QSize(1280, 720)), ((1024, 640), QSize(1024, 640)),
                                              ((3840, 2160), DEFAULT_SIZE)])
def test_the_first_size_fits_the_screen(window, monkeypatch, screen, expected):
    monkeypatch.setattr(window, "screen", lambda: Screen(*screen))
    assert window.first_size() == expected
