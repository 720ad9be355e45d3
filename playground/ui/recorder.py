"""File ▸ Record animation…: what the plots (or the whole window) show, while you play, draw and change settings.

A timer grabs a frame FPS times a second with the PNG export's drawing code (``export.animation.frame_of``,
the step stamped on it) and hands it to an encoder thread through a short queue, so a long recording holds
a few frames, never all of them, and the GUI thread never waits for the encoder: when the queue is full the
frame is dropped (and counted). Drawing a frame must happen on the GUI thread; when it is slow (a 2×
frame of a big window), frames are taken less often so that drawing them takes at most half of the
GUI thread's time. Each frame carries its time slot (seconds × FPS since the start), so the frame
before a late or dropped one lasts longer and the animation plays at the speed it was recorded. Stop (the red ●
button in the toolbar, or the menu item again) lets the thread finish the file while a progress bar in the
status bar counts the frames still to encode.
"""

from __future__ import annotations

import queue
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
)

from ..export import animation, encoders
from .dialog_parts import ok_cancel, region_buttons

FPS_CHOICES = (10, 15, 25)
SCALES = (1, 2)
QUEUE_BYTES = 100_000_000  # frames waiting for the encoder at most: ~36 of 1057×860 at 1×, 9 at 2× (≥ 4)
ANIMATION_FILTER = "GIF animation (*.gif);;MP4 video, H.264 (*.mp4);;WebP animation (*.webp)"
_STOP = None               # the queue's end marker


class RecordDialog(QDialog):
    """What to record, how sharp and how smooth; the file name (and so the format) is asked next."""

    def __init__(self, parent, region: str, scale: int, fps: int):
        super().__init__(parent)
        self.setWindowTitle("Record animation")
        self.regions, column = region_buttons(self, region)
        self.scale = QComboBox()
        for k in SCALES:
            self.scale.addItem(f"{k}× ({'screen' if k == 1 else 'sharp text on slides, larger file'})", k)
        self.scale.setCurrentIndex(max(self.scale.findData(scale), 0))
        self.fps = QComboBox()
        for k in FPS_CHOICES:
            self.fps.addItem(f"{k} frames per second", k)
        self.fps.setCurrentIndex(max(self.fps.findData(fps), 0))
        form = QFormLayout()
        form.addRow("Record", column)
        form.addRow("Resolution", self.scale)
        form.addRow("Smoothness", self.fps)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self))

    def choice(self) -> tuple[str, int, int]:
        return self.regions.checkedButton().property("region"), self.scale.currentData(), self.fps.currentData()


class RecorderDialogs:
    """The questions Record animation… asks. Tests substitute an object with the same methods."""

    def __init__(self, parent):
        self.parent = parent

    def options(self, region: str, scale: int, fps: int) -> tuple[str, int, int] | None:
        dialog = RecordDialog(self.parent, region, scale, fps)
        return dialog.choice() if dialog.exec() == QDialog.Accepted else None

    def save_path(self, title: str, start: str, filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, start, filter)
        return path or None

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)


class Recorder(QObject):
    finished = Signal(str)             # the path written, or "" when the recording failed (the status bar says why)
    _encoder_done = Signal(str, str)   # from the encoder thread: path, error text

    def __init__(self, window, dialogs=None):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.dialogs = dialogs or RecorderDialogs(window)
        self.choice = ("plots", 1, FPS_CHOICES[0])
        self.recording = False
        self.encoding = False
        self.captured = self.encoded = self.dropped = 0
        self._writer = None
        self._queue: queue.Queue | None = None
        self._encoder = None            # the threading.Thread (not named "thread": QObject.thread() exists)
        self._target = None
        self._started = 0.0
        self._next_frame_due = 0.0      # time.monotonic() before which a tick takes no frame
        self._last_slot = -1            # the time slot of the last frame queued
        self._written = (0, 0.0)        # frames in the finished file and how long they play (s)
        self._error = ""

        self._build_window_items(window)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._progress_timer = QTimer(self, interval=100)
        self._progress_timer.timeout.connect(self._on_progress_timer_timeout)
        self._encoder_done.connect(self._on_encoder_done)
        window.installEventFilter(self)

    def _build_window_items(self, window) -> None:
        """What the recorder shows in the window: its action (File → Record animation…), the toolbar's red dot, a
        progress bar in the status bar."""
        self.action = QAction("&Record animation…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.action.setToolTip("Record what the plots (or the window) show as GIF, MP4 or WebP; again to stop")
        self.action.triggered.connect(self.toggle)
        # The red dot: shown in the toolbar only while recording; a click stops.
        self.dot = QToolButton()
        self.dot.setObjectName("recording_dot")
        self.dot.setToolTip("Recording: click to stop and write the file")
        self.dot.setStyleSheet("QToolButton { color: #d62728; font-weight: bold; padding: 0 8px; }")
        self.dot.clicked.connect(self.stop)
        self.dot_action = window.toolbar.addWidget(self.dot)
        self.dot_action.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("encoding %v/%m frames")
        self.progress.setVisible(False)
        window.statusBar().addPermanentWidget(self.progress)

    # -- starting and stopping --------------------------------------------------------------------
    def toggle(self) -> None:
        if self.recording:
            self.stop()
        else:
            self.start_dialog()

    def start_dialog(self) -> bool:
        if self.encoding:
            self.session.message.emit("still writing the last animation: wait for it to finish")
            return False
        choice = self.dialogs.options(*self.choice)
        if choice is None:
            return False
        self.choice = choice
        start = str(Path.home() / "training.gif")
        path = self.dialogs.save_path("Record animation", start, ANIMATION_FILTER)
        if not path:
            return False
        if Path(path).suffix.lower() not in encoders.FORMATS:
            path += ".gif"
        return self.start(path, *choice)

    def start(self, path, region: str = "plots", scale: int = 1, fps: int = FPS_CHOICES[0]) -> bool:
        """Start recording ``region`` ("plots" or "window") into ``path``; False (and a message) if it cannot."""
        if self.recording or self.encoding:
            return False
        path = Path(path)
        self._target = self.window if region == "window" else self.window.centralWidget()
        # the size of every frame: the region's now (a window resized later is fitted into it)
        width, height = round(self._target.width() * scale), round(self._target.height() * scale)
        if path.suffix.lower() == ".mp4":  # H.264 in yuv420p takes even sizes only: drop the odd pixel
            width, height = width - width % 2, height - height % 2
        try:
            self._writer = encoders.open_writer(path, width, height, fps)
        except (OSError, ValueError) as exc:
            self.dialogs.error("Cannot record", f"{path.name}: {exc}")
            self.session.message.emit(f"cannot record {path.name}: {exc}")
            return False
        self._scale, self._size = scale, (width, height)
        self.captured, self.encoded, self.dropped, self._error = 0, 0, 0, ""
        # unbounded as a queue, so stop() can always put its marker; _take_frame() keeps the frames in it bounded
        self._queue = queue.Queue()
        self._max_queued = max(4, QUEUE_BYTES // (3 * width * height))
        self._encoder = threading.Thread(target=self._encode, name="animation-encoder", daemon=True)
        self._encoder.start()
        self._stamp_space = ExitStack()  # the caption wraps clear of the step stamp until stop()
        self._stamp_space.enter_context(animation.stamp_space(self.window.caption))
        self.recording = True
        self._started = self._next_frame_due = time.monotonic()
        self._fps, self._last_slot = fps, -1
        self._tick.start(round(1000 / fps))
        self._show_dot()
        self.dot_action.setVisible(True)
        self.action.setText("Stop &recording")
        self.session.message.emit(f"recording {path.name}: click ● REC to stop")
        return True

    def stop(self) -> None:
        """Stop capturing; the encoder thread finishes the file and ``finished`` says when it is written."""
        if not self.recording:
            return
        self.recording = False
        self._tick.stop()
        # the file ends with what was on screen at Stop (and is never empty), even if the encoder was behind; taken
        # before the caption gets back the room kept for the step stamp, or the stamp covers it on the frame held longest
        self._take_frame(final=True)
        self._stamp_space.close()
        self.dot_action.setVisible(False)
        self.action.setText("&Record animation…")
        self.encoding = True
        self._queue.put(_STOP)  # never waits: the queue itself is unbounded
        self.progress.setRange(0, max(self.captured, 1))
        self.progress.setValue(self.encoded)
        self.progress.setVisible(True)
        self._progress_timer.start()

    # -- capturing (GUI thread) ---------------------------------------------------------------------
    def _step(self) -> int:
        snapshot = self.session.snapshot
        return snapshot.step if snapshot is not None else 0

    def _take_frame(self, final: bool = False) -> None:
        now = time.monotonic()
        slot = max(round((now - self._started) * self._fps), self._last_slot + 1)
        frame = animation.frame_of(self._target, self._scale, self._step(), self._size)
        drawing = time.monotonic() - now
        self._next_frame_due = now + 2 * drawing  # drawing takes at most half of the GUI thread's time
        if not final and self._queue.qsize() >= self._max_queued:  # the encoder is behind: drop it, never wait
            self.dropped += 1
        else:
            self._queue.put_nowait((frame, slot))
            self._last_slot = slot
            self.captured += 1

    @Slot()
    def _on_tick_timeout(self) -> None:
        if not self._error and time.monotonic() >= self._next_frame_due:
            self._take_frame()
        self._show_dot()
        if self._error:  # the encoder failed (disk full…): stop now, the status bar says why
            self.stop()

    def _show_dot(self) -> None:
        seconds = int(time.monotonic() - self._started) if self.recording else 0
        self.dot.setText(f"● REC {seconds // 60}:{seconds % 60:02d}  ■ Stop")

    # -- encoding (its own thread) ------------------------------------------------------------------
    def _encode(self) -> None:
        writer, stopped = self._writer, False
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    stopped = True
                    break
                frame, slot = item
                writer.add(frame, slot)
                self.encoded += 1
            path = writer.close()
            self._written = (writer.written, writer.seconds)
        except Exception as exc:  # OSError, ValueError, an encoder's own error: reported, never raised here
            error = str(exc) if isinstance(exc, (OSError, ValueError)) else f"{type(exc).__name__}: {exc}"
            writer.abort()
            self._error = error  # the next tick sees it and stops the recording
            while not stopped:   # take (and drop) frames until stop() has put its marker
                stopped = self._queue.get() is _STOP
            self._encoder_done.emit("", error)
            return
        self._encoder_done.emit(str(path), "")

    @Slot()
    def _on_progress_timer_timeout(self) -> None:
        self.progress.setValue(min(self.encoded, self.progress.maximum()))

    @Slot(str, str)
    def _on_encoder_done(self, path: str, error: str) -> None:
        self._encoder.join()
        self._encoder = self._writer = self._queue = None
        self.encoding = False
        self._progress_timer.stop()
        self.progress.setVisible(False)
        if error:
            self.session.message.emit(f"the animation could not be written: {error}")
        else:
            dropped = f" ({self.dropped} dropped: the encoder fell behind)" if self.dropped else ""
            # what the file holds, not what was captured: a GIF merges identical frames into longer ones
            self.session.message.emit(f"recorded {self._written[1]:.1f} s: {self._written[0]} frames in "
                                      f"{Path(path).name}{dropped}")
        self.finished.emit(path)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Close and (self.recording or self.encoding):
            self.stop()  # closing the window still writes the file: wait for the encoder (it has a few frames)
            if self._encoder is not None:
                self._encoder.join(30.0)
        return False
