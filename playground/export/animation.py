"""Training as an animation: frames of a widget drawn by the PNG export's code, with the step on each.

Used by ``playground export … --out FILE.gif|.mp4|.webp`` (``playground/commands/export.py``) and by the window's
File ▸ Record animation… (``ui/recorder.py``); it takes widgets and knows no window.

A frame is ``images.render_widget`` (text and lines drawn at the scale, not upscaled), the step
stamped in its top-right corner, then handed to an ``encoders`` writer as an RGB array.
"""

from __future__ import annotations

import math
import sys
import time
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from . import images

DEFAULT_FRAMES = 60
DEFAULT_FPS = 10.0
MAX_FRAMES = 3000
STAMP_SPACE = 140          # px kept clear at the caption's right for the step stamp ("step 100,000")


def frame_steps(total: int, frames: int, log_spacing: bool = False) -> list[int]:
    """The step shown by each of ``frames`` frames: 0 first, ``total`` last, strictly increasing.

    Even spacing, or with ``log_spacing`` even in log(1 + step): the first steps change the fit
    the most, so they get more frames (steps 0, 1, 3, 7, … for 2ᵏ − 1 spacing).
    """
    if frames < 2:
        raise ValueError(f"--frames must be ≥ 2; got {frames}")
    if total < frames - 1:
        raise ValueError(f"--steps {total} is too few for {frames} frames: each frame must show a later step "
                         f"(use at least --steps {frames - 1}, or fewer frames)")
    position = np.arange(frames) / (frames - 1)
    if log_spacing:
        wanted = np.expm1(position * math.log1p(total))
    else:
        wanted = position * total
    steps = [int(round(s)) for s in wanted]
    for i in range(1, frames):               # early log steps round to the same step: move them apart
        steps[i] = max(steps[i], steps[i - 1] + 1)
    for i in range(frames - 1, -1, -1):      # and never past the end (leaving room for the frames after)
        steps[i] = min(steps[i], total - (frames - 1 - i))
    return steps


def image_rgb(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 RGB copy of ``image``."""
    image = image.convertToFormat(QImage.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height).reshape(height, -1)
    return rows[:, :3 * width].reshape(height, width, 3).copy()


def stamp_step(image: QImage, step: int) -> None:
    """Write "step 1,234" in the top-right corner of ``image`` (in its logical pixels, so it scales too)."""
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        font = QFont()
        font.setPixelSize(16)
        font.setBold(True)
        painter.setFont(font)
        text = f"step {step:,}"
        ratio = image.devicePixelRatio()
        width = painter.fontMetrics().horizontalAdvance(text) + 16
        box = QRectF(image.width() / ratio - width - 6, 6, width, 26)
        painter.setPen(QPen(QColor(26, 42, 68, 90), 1))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(QColor(26, 42, 68))
        painter.drawText(box, Qt.AlignCenter, text)
    finally:
        painter.end()


@contextmanager
def stamp_space(caption):
    """While frames are taken, ``caption`` (the label atop the plots) wraps its text clear of the step stamp."""
    margins = caption.contentsMargins()
    caption.setContentsMargins(margins.left(), margins.top(), margins.right() + STAMP_SPACE, margins.bottom())
    try:
        yield
    finally:
        caption.setContentsMargins(margins)


def frame_of(widget, scale: float, step: int, size: tuple[int, int] | None = None) -> np.ndarray:
    """``widget`` drawn at ``scale`` with ``step`` stamped on it, as RGB; ``size`` (w, h) pads or shrinks
    it to that many pixels (a window resized while recording keeps the animation's size)."""
    image = images.render_widget(widget, scale)
    stamp_step(image, step)
    if size is not None and (image.width(), image.height()) != tuple(size):
        image = _fit_into(image, *size)
    return image_rgb(image)


def _fit_into(image: QImage, width: int, height: int) -> QImage:
    """``image`` scaled down (never up) to fit width × height, centred on white."""
    image.setDevicePixelRatio(1.0)
    if 0 <= image.width() - width <= 1 and 0 <= image.height() - height <= 1:  # MP4's even size: crop the odd pixel
        return image.copy(0, 0, width, height)
    if image.width() > width or image.height() > height:
        image = image.scaled(width, height, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    canvas = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
    canvas.fill(QColor("white"))
    painter = QPainter(canvas)
    painter.drawImage((width - image.width()) // 2, (height - image.height()) // 2, image)
    painter.end()
    return canvas


class ProgressBar:
    """``frames 12/60 [#####·····] 20%  ETA 0:14`` on stderr: rewritten in place on a terminal,
    a line every 10% otherwise (a log file gets a few lines, not hundreds)."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.start = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def update(self, done: int) -> None:
        elapsed = time.monotonic() - self.start
        eta = elapsed / done * (self.total - done) if done else float("nan")
        width = 24
        filled = round(width * done / self.total)
        eta_text = "--:--" if math.isnan(eta) else f"{int(eta) // 60}:{int(eta) % 60:02d}"
        line = (f"frames {done}/{self.total} [{'#' * filled}{'·' * (width - filled)}] "
                f"{100 * done / self.total:3.0f}%  ETA {eta_text}")
        decile = 10 * done // self.total
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done == self.total else ""))
        elif decile != self._last_decile:
            self.stream.write(line + "\n")
        self._last_decile = decile
        self.stream.flush()


__all__ = ["DEFAULT_FPS", "DEFAULT_FRAMES", "ProgressBar", "frame_of", "frame_steps", "image_rgb",
           "stamp_space", "stamp_step"]
