"""Waits and input shared by the GUI tests: waits on the session's state, never a sleep."""

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def wait_fresh(qtbot, session):
    """Wait for a snapshot that reflects every command sent so far."""
    qtbot.waitUntil(lambda: session.up_to_date, timeout=10_000)


def train_to(qtbot, session, step):
    """Train until the worker reports exactly ``step`` steps."""
    wait_fresh(qtbot, session)
    session.step(step - session.snapshot.step)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == step, timeout=15_000)


def red_pixels(widget) -> int:
    """How many pixels of the widget, as drawn, are a strong red (an invalid field's frame)."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    rgb = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = rgb[:, :3 * image.width()].reshape(image.height(), image.width(), 3).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return int(((r > 180) & (g < 90) & (b < 90)).sum())


def hover(widget, pos) -> None:
    """The mouse moving over ``widget`` to ``pos`` (its coordinates) with no button down, delivered to the widget:
    ``qtbot.mouseMove`` goes through the cursor, and the offscreen screen is 800×800, smaller than a test window,
    so a point low in the window would reach no widget at all."""
    local = QPointF(pos)
    event = QMouseEvent(QEvent.MouseMove, local, QPointF(widget.mapToGlobal(local)), Qt.NoButton, Qt.NoButton,
                        Qt.NoModifier)
    QApplication.sendEvent(widget, event)
