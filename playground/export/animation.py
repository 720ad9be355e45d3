"""Training as an animation: frames of a widget drawn by the PNG export's code, with the step on each.

Used by ``playground export … --out FILE.gif|.mp4|.webp`` (``record_training``) and by the
window's File ▸ Record animation… (``ui/recorder.py``, which calls ``frame_of``).

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
LOSS_CURVE_POINTS = 150    # snapshots over the whole run, as a still export takes: the loss plot's curve
DRAWN_TIMEOUT = 2.0        # s to wait for the loss plot (it redraws at most every 100 ms) to show a step
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
def stamp_space(window):
    """While frames are taken, the caption (top of the plots) wraps its text clear of the step stamp."""
    caption = getattr(window, "caption", None)
    if caption is None:
        yield
        return
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


def record_training(app, window, target, writer, steps: list[int], scale: float, progress=None) -> None:
    """Train ``window``'s session from step 0 of this run through ``steps`` (relative), adding a frame of
    ``target`` to ``writer`` at each; the session trains in chunks so the loss curve has its points."""
    from .headless import _wait, train
    session = window.session
    _wait(app, lambda: session.up_to_date, 30.0, "the training process to start")
    start = session.snapshot.step
    total = max(steps[-1], 1)
    done = 0
    for index, step in enumerate(steps):
        if step > done:
            chunks = max(1, math.ceil(LOSS_CURVE_POINTS * (step - done) / total))
            train(app, session, step - done, chunks=chunks)
            done = step
        _wait_drawn(app, window, start + done)
        writer.add(frame_of(target, scale, start + done, (writer.width, writer.height)))
        if progress is not None:
            progress.update(index + 1)


def _wait_drawn(app, window, step: int) -> None:
    """Until the loss plot (the one view that redraws on a timer) shows ``step``; then paint what is pending."""
    from PySide6.QtCore import QEventLoop
    deadline = time.monotonic() + DRAWN_TIMEOUT
    while window.loss_plot.step_line.value() != step and time.monotonic() < deadline:
        app.processEvents(QEventLoop.AllEvents, 10)
        time.sleep(0.001)
    app.processEvents(QEventLoop.AllEvents, 10)


__all__ = ["DEFAULT_FPS", "DEFAULT_FRAMES", "ProgressBar", "frame_of", "frame_steps", "image_rgb",
           "record_training", "stamp_space", "stamp_step"]
