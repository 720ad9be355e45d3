"""File ▸ Record animation… through the real window: menu, mouse, the red dot, the file decoded again."""

import time

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, Qt

from playground.palette import POINT_BLUE


class FakeDialogs:
    """Answers the recorder's questions as a user would: plots, 1×, 10 fps, this file."""

    def __init__(self, path, region="plots"):
        self.path, self.region, self.errors = str(path), region, []

    def options(self, region, scale, fps):
        return self.region, 1, 10

    def save_path(self, title, start, filter):
        return self.path

    def error(self, title, text):
        self.errors.append(text)


def click_menu_item(qtbot, menu, action):
    menu.popup(menu.parentWidget().mapToGlobal(menu.parentWidget().rect().topLeft()))
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


def gif_frames(path):
    """The frames as a viewer composes them (RGB) and their durations in ms."""
    image = Image.open(path)
    frames, durations = [], []
    for i in range(image.n_frames):
        image.seek(i)
        frames.append(np.array(image.convert("RGB")))
        durations.append(image.info["duration"])
    return frames, durations


def test_recording_from_the_window_with_the_mouse_writes_a_gif_of_what_happened(window, qtbot, tmp_path):
    recorder, session = window.recorder, window.session
    out = tmp_path / "lesson.gif"
    recorder.dialogs = FakeDialogs(out)
    plots = window.centralWidget()
    assert not recorder.dot_action.isVisible()

    asked = time.monotonic()
    click_menu_item(qtbot, window.file_menu, recorder.action)          # File ▸ Record animation…
    qtbot.waitUntil(lambda: recorder.captured >= 1, timeout=5_000)
    first_frame_seen = time.monotonic()                                # the first frame was taken in between
    assert recorder.dot_action.isVisible()                             # the red dot says so
    dot = recorder.dot
    assert "REC" in dot.text()
    qtbot.waitUntil(lambda: recorder.captured >= 3, timeout=5_000)

    play = window.toolbar.widgetForAction(window.play_action)
    qtbot.mouseClick(play, Qt.LeftButton)                               # play…
    qtbot.waitUntil(lambda: session.snapshot.step > 300, timeout=10_000)
    qtbot.mouseClick(play, Qt.LeftButton)                               # …pause…
    plot = window.fit_view.plot
    points_before = len(session.points)
    clicked = (0.2, 1.3)                                                # …and draw a point high above the data
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(*clicked))
    qtbot.waitUntil(lambda: len(session.points) == points_before + 1)
    # where the point and the plot are in the recorded frames (the caption wraps clear of the step while recording)
    spot = plot.viewport().mapTo(plots, plot.data_to_widget(*clicked))
    top = plot.viewport().mapTo(plots, plot.viewport().rect().topLeft()).y()
    captured = recorder.captured
    qtbot.waitUntil(lambda: recorder.captured > captured, timeout=10_000)  # still recording while paused

    with qtbot.waitSignal(recorder.finished, timeout=20_000) as finished:
        stop_clicked = time.monotonic()
        qtbot.mouseClick(dot, Qt.LeftButton)                            # stop: the file is written
        stop_done = time.monotonic()                                     # the last frame was taken in between
    assert finished.args == [str(out)]
    assert not recorder.dot_action.isVisible() and not recorder.recording

    frames, durations = gif_frames(out)
    size = (plots.height(), plots.width(), 3)
    assert len(frames) >= 3 and all(f.shape == size for f in frames)
    # identical frames (before play, while paused) merge into longer ones, late frames make the one before
    # last longer: the animation lasts as long as the recording did (by this test's clock, which sees the first
    # and last frames only within a window of time), plus the 2 s hold, give or take a frame at 10 fps
    recorded_ms = sum(durations) - 2000
    assert 1000 * (stop_clicked - first_frame_seen) - 100 <= recorded_ms <= 1000 * (stop_done - asked) + 100

    def blue_at_click(rgb):
        patch = rgb[spot.y() - 3:spot.y() + 4, spot.x() - 3:spot.x() + 4].astype(int)
        return (np.abs(patch - POINT_BLUE).max(axis=2) <= 30).any()
    assert not blue_at_click(frames[0]) and blue_at_click(frames[-1])   # the drawn point appears
    # the fit moved while playing: the first and the last frames differ in the plot, not just in the step stamp
    assert (frames[0][top:] != frames[-1][top:]).any(axis=2).sum() > 2000
    # the status bar tells what the file holds (decoded here), not how many frames were captured
    assert len(frames) < recorder.captured
    assert window.statusBar().currentMessage() == (f"recorded {sum(durations) / 1000:.1f} s: "
                                                   f"{len(frames)} frames in lesson.gif")


def test_the_last_frame_keeps_the_caption_clear_of_the_step_stamp(window, qtbot, tmp_path):
    # the last frame is held longest: on it the caption had already spread back under "step N" (it was taken after the
    # caption's room for the stamp was given back)
    recorder = window.recorder
    out = tmp_path / "still.gif"
    recorder.dialogs = FakeDialogs(out)
    recorder.action.trigger()
    qtbot.waitUntil(lambda: recorder.captured >= 2, timeout=5_000)
    with qtbot.waitSignal(recorder.finished, timeout=20_000):
        recorder.action.trigger()
    frames, _ = gif_frames(out)
    caption = window.caption.geometry()
    rows = slice(caption.top(), caption.bottom() + 1)
    # nothing moved (paused, same step), so the recording ends on the very picture it began with
    assert (frames[0][rows] == frames[-1][rows]).all()


def test_recording_the_whole_window_as_mp4_keeps_an_even_size(window, qtbot, tmp_path):
    import av
    recorder = window.recorder
    window.resize(1301, 801)
    qtbot.waitUntil(lambda: window.width() == 1301)
    out = tmp_path / "window.mp4"
    recorder.dialogs = FakeDialogs(out, region="window")
    recorder.action.trigger()
    qtbot.waitUntil(lambda: recorder.captured >= 3, timeout=5_000)
    with qtbot.waitSignal(recorder.finished, timeout=20_000):
        recorder.action.trigger()                                       # the menu item again stops
    with av.open(str(out)) as container:
        frames = list(container.decode(video=0))
    assert {(f.width, f.height) for f in frames} == {(1300, 800)}
    assert len(frames) >= 3 + 20                                        # the frames and 2 s held at 10 fps
    assert window.statusBar().currentMessage() == f"recorded {len(frames) / 10:.1f} s: {len(frames)} frames in window.mp4"


def test_a_recording_that_cannot_start_says_why_and_leaves_no_dot(window, qtbot, tmp_path):
    recorder = window.recorder
    recorder.dialogs = FakeDialogs(tmp_path / "missing-folder" / "x.gif")
    recorder.action.trigger()
    assert not recorder.recording and not recorder.dot_action.isVisible()
    assert recorder.dialogs.errors and "x.gif" in recorder.dialogs.errors[0]


def test_a_slow_encoder_never_blocks_the_window_and_its_progress_shows_after_stop(window, qtbot, tmp_path,
                                                                                 monkeypatch):
    import threading

    from playground.ui import recorder as recorder_module
    real_open = recorder_module.encoders.open_writer
    gate = threading.Event()       # the encoder thread waits here: an encoder far slower than the frames

    class Slow:
        def __init__(self, writer):
            self.writer, self.width, self.height = writer, writer.width, writer.height

        def add(self, rgb, slot=None):
            gate.wait(10)
            self.writer.add(rgb, slot)

        def close(self):
            path = self.writer.close()
            self.written, self.seconds = self.writer.written, self.writer.seconds
            return path

        def abort(self):
            self.writer.abort()

    monkeypatch.setattr(recorder_module.encoders, "open_writer", lambda *a, **k: Slow(real_open(*a, **k)))
    monkeypatch.setattr(recorder_module, "QUEUE_BYTES", 1)              # room for the minimum of 4 frames
    recorder = window.recorder
    recorder.dialogs = FakeDialogs(tmp_path / "slow.gif")
    recorder.action.trigger()
    # the window keeps taking frames (and drops what does not fit) while the encoder has not taken even one
    qtbot.waitUntil(lambda: recorder.dropped >= 3, timeout=15_000)
    assert recorder.encoded == 0 and recorder.captured <= 5
    qtbot.mouseClick(recorder.dot, Qt.LeftButton)
    assert recorder.encoding and recorder.progress.isVisible()         # "encoding k/n frames" in the status bar
    assert recorder.progress.maximum() == recorder.captured and recorder.progress.value() == 0
    with qtbot.waitSignal(recorder.finished, timeout=20_000):
        gate.set()
    assert not recorder.progress.isVisible() and not recorder.encoding
    assert Image.open(tmp_path / "slow.gif").size == (window.centralWidget().width(), window.centralWidget().height())
    assert f"({recorder.dropped} dropped" in window.statusBar().currentMessage()


def test_the_record_dialog_returns_what_was_clicked(window, qtbot):
    from playground.ui.recorder import RecordDialog
    dialog = RecordDialog(window, "plots", 1, 10)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.choice() == ("plots", 1, 10)
    whole = next(b for b in dialog.regions.buttons() if b.property("region") == "window")
    qtbot.mouseClick(whole, Qt.LeftButton, pos=QPoint(8, whole.height() // 2))   # on its round indicator
    dialog.scale.setCurrentIndex(dialog.scale.findData(2))
    dialog.fps.setCurrentIndex(dialog.fps.findData(25))
    assert dialog.choice() == ("window", 2, 25)


def test_an_encoder_error_stops_the_recording_says_why_and_leaves_no_file(window, qtbot, tmp_path, monkeypatch):
    from playground.ui import recorder as recorder_module
    real_open = recorder_module.encoders.open_writer

    def failing_open(*args, **kwargs):
        writer = real_open(*args, **kwargs)
        real_add = writer.add

        def add(rgb, slot=None):
            if writer.frames == 2:
                raise OSError("No space left on device")
            real_add(rgb, slot)
        writer.add = add
        return writer

    monkeypatch.setattr(recorder_module.encoders, "open_writer", failing_open)
    recorder = window.recorder
    recorder.dialogs = FakeDialogs(tmp_path / "full.gif")
    with qtbot.waitSignal(recorder.finished, timeout=20_000) as finished:
        recorder.action.trigger()                                       # …and nobody clicks stop
    assert finished.args == [""] and not recorder.recording and not recorder.dot_action.isVisible()
    assert "No space left on device" in window.statusBar().currentMessage()
    assert list(tmp_path.iterdir()) == []                               # no file, no .part file


def test_a_recorded_frame_leaves_no_stale_now_marker_in_the_live_learning_rate_plot(window, qtbot):
    """The recorder draws a frame right after the marker moved (before the scene's queued repaint bookkeeping):
    the live η plot must still clear the marker's old place."""
    import pyqtgraph as pg

    from playground.export import animation
    from playground.ui.loss_plot import MARKER_COLOR

    line, view = window.loss_plot.step_line, window.loss_plot.lr
    vp = view.viewport()

    def live_marker_columns():
        """x of the viewport's columns with a run of marker-red pixels, as the window shows them now."""
        top = vp.mapTo(window, QPoint(0, 0))
        shot = window.screen().grabWindow(window.winId(), top.x(), top.y(), vp.width(), vp.height())
        rgb = animation.image_rgb(shot.toImage()).astype(int)
        red = np.abs(rgb - MARKER_COLOR).max(axis=2) <= 40
        return set(np.flatnonzero(red.sum(axis=0) >= 8).tolist())

    def column_of(step):
        return round(view.mapFromScene(view.plotItem.vb.mapViewToScene(pg.Point(step, 0))).x())

    low, high = view.plotItem.vb.viewRange()[0]
    old_x, new_x = column_of(low + 0.3 * (high - low)), column_of(low + 0.7 * (high - low))
    line.setValue(low + 0.3 * (high - low))
    qtbot.waitUntil(lambda: any(abs(x - old_x) <= 2 for x in live_marker_columns()))
    line.setValue(low + 0.7 * (high - low))
    animation.frame_of(window.centralWidget(), 1, 0)     # what the recorder does on its timer
    qtbot.waitUntil(lambda: any(abs(x - new_x) <= 2 for x in live_marker_columns()))
    assert not any(abs(x - old_x) <= 2 for x in live_marker_columns())
