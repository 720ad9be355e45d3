"""``playground --self-test``: prove that this installation (or frozen bundle) really works.

It opens the real window offscreen, loads a lecture preset, trains it for about a second in
the worker process, counts the frames the main plot paints and the steps the worker reports,
saves a screenshot of the whole window to a temporary PNG (deleted afterwards), checks that the plot in it shows
the fit's red (1-D) or the class colours (2-D), writes a short MP4 (H.264) and GIF of the plots
with the animation encoders and decodes them again (so a bundle that lost PyAV's or Pillow's
libraries fails here), closes the window and checks that the training process has exited. It prints one JSON
line; the exit code is 0 only if every check passed:

    {"ok": true, "version": "0.1.0", "frozen": true, "preset": "xor", "platform": "offscreen",
     "startup_seconds": 1.6, "frames": 34, "steps": 14000, "fps": 33.5, "steps_per_s": 13900.0,
     "trained_seconds": 1.0, "screenshot": {"width": 1500, "height": 900, "bytes": 260000,
     "deleted": true}, "class_pixels": [87736, 67689],
     "region_fraction": 0.419, "animation": {"mp4": {"codec": "h264", "frames": 3, "width": 1056,
     "height": 860, "bytes": 41000}, "gif": {...}}, "worker_exitcode": 0, "seconds": 2.9}

``display_check`` says what a real (xcb) window would still need on this machine: the system
packages to install and whether a display answers (see ``display_check.py``); it is reported, not
required, since the self-test itself runs offscreen unless QT_QPA_PLATFORM says otherwise.
``startup_seconds`` (Linux) runs from the process's start to the window being up with the
preset's first snapshot from the training process; ``seconds`` is the whole self-test.

On failure: ``"ok": false`` and a ``"reason"``, with whatever was measured up to then.
CI runs it on the PyInstaller bundle (``dist/neural-playground-<version>/neural-playground
--self-test``); it is also the quickest check that a machine can show the window at all.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time

from .. import __version__
from ..display_check import check_display
from .pump import pump_events

DEFAULT_PRESET = "xor"
TRAIN_SECONDS = 1.0
READY_TIMEOUT = 30.0   # a cold start of the frozen worker on a busy machine takes a few seconds
STOP_TIMEOUT = 5.0     # the window's close asks the worker to quit and waits up to 2 s, then terminates it
# 1-D: the fit's red (within COLOR_TOLERANCE, Euclidean RGB) must cover more of the plot than the
# legend's sample line can (about 30 x 4 px): a 4 px wide curve across the plot.
COLOR_TOLERANCE = 40.0
MIN_RED_PIXELS_PER_COLUMN = 1.5
# 2-D: the decision regions are class colours blended toward white (paler = less sure). A pixel
# shows class k when it lies on the line from white to k's colour (at least MIN_BLEND of the way,
# within COLOR_TOLERANCE / 3 of the line). The regions must cover MIN_REGION_FRACTION of the plot
# (the legend and points alone cannot), and every class in the data must show somewhere.
MIN_BLEND = 0.15
MIN_REGION_FRACTION = 0.15
MIN_CLASS_PIXELS = 150
ANIMATION_FRAMES = 3   # frames of the plots written to a test MP4 and GIF (they differ: each has its step)


class SelfTestFailed(Exception):
    pass


def _seconds_since_process_start() -> float | None:
    """How long this process has run (Linux: from /proc, 10 ms resolution); None elsewhere."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # fields 3, 4, ... after the command name
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time in ticks after boot
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _rgb(image):
    """The QImage's pixels as a float32 array (height, width, 3)."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format_RGB32)  # 0xffRRGGBB: bytes B, G, R, A in memory
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, : 4 * w].reshape(h, w, 4)[..., 2::-1].astype(np.float32)


def _near_count(rgb, color) -> int:
    """How many pixels lie within COLOR_TOLERANCE of ``color``."""
    import numpy as np

    return int((np.linalg.norm(rgb - np.asarray(color, np.float32), axis=-1) <= COLOR_TOLERANCE).sum())


def _blend_count(rgb, color) -> int:
    """How many pixels are ``color`` blended toward white (at least MIN_BLEND of the way to it)."""
    import numpy as np

    d = 255.0 - rgb                                   # (h, w, 3): distance from white
    e = 255.0 - np.asarray(color, np.float32)          # (3,): the colour's distance from white
    t = d @ e / float(e @ e)                           # (h, w): how far along white -> colour
    off_line = np.linalg.norm(d - t[..., None] * e, axis=-1)
    return int(((t >= MIN_BLEND) & (t <= 1.15) & (off_line <= COLOR_TOLERANCE / 3)).sum())


def _check_screenshot(path: str, window, plot, session) -> dict:
    """Read the PNG back and check that the main plot's part of it shows what training drew."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QImage

    from ..palette import CLASS_COLORS, FIT_RED, NEGATIVE_RGB, POSITIVE_RGB
    from ..ui.session import REGRESSION

    image = QImage(path)
    if image.isNull():
        raise SelfTestFailed(f"the screenshot {path} cannot be read back as an image")
    ratio = image.devicePixelRatio()
    top_left = plot.mapTo(window, QPoint(0, 0))
    area = QRect(round(top_left.x() * ratio), round(top_left.y() * ratio),
                 round(plot.width() * ratio), round(plot.height() * ratio)).intersected(image.rect())
    if area.width() < 50 or area.height() < 50:
        raise SelfTestFailed(f"the main plot is only {area.width()}x{area.height()} px in the screenshot")
    rgb = _rgb(image.copy(area))
    if session.mode == REGRESSION:
        red = _near_count(rgb, FIT_RED)
        needed = int(MIN_RED_PIXELS_PER_COLUMN * area.width())
        found = {"fit_red_pixels": red}
        if red < needed:
            raise SelfTestFailed(f"the screenshot shows no red fit curve ({red} red pixels in the plot, "
                                 f"{needed} expected)")
    else:
        if session.points.is_classification:
            labels = sorted({int(k) for k in session.points.y})
            colours = [CLASS_COLORS[k] for k in labels]
        else:  # 2-D regression: the surface's two end colours (as "classes" 1 and 2 below), blended toward white
            labels, colours = [0, 1], [NEGATIVE_RGB, POSITIVE_RGB]
        counts = [_blend_count(rgb, colour) for colour in colours]
        fraction = sum(counts) / (area.width() * area.height())
        found = {"class_pixels": counts, "region_fraction": round(fraction, 3)}
        if fraction < MIN_REGION_FRACTION:
            raise SelfTestFailed(f"the screenshot shows no decision regions (class colours cover "
                                 f"{fraction:.1%} of the plot, {MIN_REGION_FRACTION:.0%} expected)")
        missing = [k + 1 for k, n in zip(labels, counts) if n < MIN_CLASS_PIXELS]
        if missing:
            raise SelfTestFailed(f"the screenshot does not show class {missing} in the plot "
                                 f"(pixels per class {counts}, {MIN_CLASS_PIXELS} expected)")
    return found


def _check_animations(target) -> dict:
    """Write ANIMATION_FRAMES frames of ``target`` as MP4 and GIF, decode both, check count and size."""
    import av
    from PIL import Image

    from ..export import animation, encoders

    found = {}
    with tempfile.TemporaryDirectory(prefix="neural-playground-self-test-") as folder:  # removed even on failure
        for kind in ("mp4", "gif"):
            path = os.path.join(folder, f"animation.{kind}")
            size = (target.width() - target.width() % 2, target.height() - target.height() % 2)  # H.264: even
            with encoders.open_writer(path, *size, fps=10, hold_seconds=0) as writer:
                for step in range(ANIMATION_FRAMES):
                    writer.add(animation.frame_of(target, 1.0, step, size))
            if kind == "mp4":
                with av.open(path) as container:
                    codec = container.streams.video[0].codec_context.name
                    decoded = [(frame.width, frame.height) for frame in container.decode(video=0)]
            else:
                codec = "gif"
                with Image.open(path) as image:
                    decoded = [image.size] * image.n_frames
            found[kind] = {"codec": codec, "frames": len(decoded), "width": size[0], "height": size[1],
                           "bytes": os.path.getsize(path)}
            if len(decoded) != ANIMATION_FRAMES or set(decoded) != {size}:
                raise SelfTestFailed(f"the {kind.upper()} animation decodes to {len(decoded)} frames of "
                                     f"{sorted(set(decoded))}, not {ANIMATION_FRAMES} of {size}")
    return {"animation": found}


def run_self_test(preset: str | None = None, seconds: float = TRAIN_SECONDS) -> int:
    """Run the self-test, print one JSON line, return the exit code (0 = every check passed)."""
    start = time.perf_counter()
    result: dict = {"ok": False, "version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
                    "preset": preset or DEFAULT_PRESET}
    window = app = None
    workers: list = []
    try:
        # What a real window would need here (reported, not required: the self-test itself runs offscreen)
        result["display_check"] = check_display(respect_platform_choice=False).as_dict()
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # unless the user chose a platform
        problem = check_display().message()  # the user chose xcb: fail with the reason, not Qt's abort
        if problem:
            raise SelfTestFailed(problem)
        from ..data import get_preset
        from ..ui.application import create_app, quiet_offscreen_warnings
        from ..ui.main_window import MainWindow
        from ..ui.paint_counter import PaintCounter
        from ..ui.session import REGRESSION

        get_preset(result["preset"])  # an unknown name fails before a window opens
        app = create_app()
        result["platform"] = app.platformName()
        quiet_offscreen_warnings(app)
        window = MainWindow()
        window.show()
        workers = [p for p in multiprocessing.active_children() if p.name == "playground-trainer"]
        if not workers:
            raise SelfTestFailed("the window started no training process")
        session = window.session
        session.load_preset(result["preset"])
        if not pump_events(app, READY_TIMEOUT, lambda: session.up_to_date):
            raise SelfTestFailed(f"the training process sent no snapshot within {READY_TIMEOUT:g} s")
        startup = _seconds_since_process_start()
        if startup is not None:  # process start to the window up with the preset's first snapshot
            result["startup_seconds"] = round(startup, 2)
        plot = window.fit_view.plot if session.mode == REGRESSION else window.class_plot
        counter = PaintCounter(plot.viewport())
        pump_events(app, 0.1)

        step0, frames0, t0 = session.snapshot.step, counter.count, time.perf_counter()
        session.play()
        pump_events(app, seconds)
        elapsed = time.perf_counter() - t0
        frames, steps = counter.count - frames0, session.snapshot.step - step0
        session.pause()
        pump_events(app, 5.0, lambda: session.up_to_date and not session.playing)
        pump_events(app, 0.05)  # let the last snapshot paint
        result.update(frames=frames, steps=steps, fps=round(frames / elapsed, 1),
                      steps_per_s=round(steps / elapsed, 1), trained_seconds=round(elapsed, 3))
        if session.snapshot.blocked_reason:
            raise SelfTestFailed(f"training stopped: {session.snapshot.blocked_reason}")
        if steps <= 0:
            raise SelfTestFailed("the training process made no steps")
        if frames <= 0:
            raise SelfTestFailed("the main plot painted no frames while training")

        # written and read back through a real file (the disk path a user's export takes), then deleted
        with tempfile.TemporaryDirectory(prefix="neural-playground-self-test-") as folder:
            path = os.path.join(folder, "window.png")
            pixmap = window.grab()
            if pixmap.isNull() or not pixmap.save(path, "PNG"):
                raise SelfTestFailed(f"could not write the screenshot to {path}")
            result["screenshot"] = {"width": pixmap.width(), "height": pixmap.height(),
                                    "bytes": os.path.getsize(path), "deleted": True}
            result.update(_check_screenshot(path, window, plot, session))
        result.update(_check_animations(window.centralWidget()))

        window.close()
        window = None
        pump_events(app, 0.05)
        for process in workers:
            process.join(STOP_TIMEOUT)
        alive = [p.pid for p in workers if p.is_alive()]
        result["worker_exitcode"] = workers[0].exitcode if len(workers) == 1 else [p.exitcode for p in workers]
        if alive:
            raise SelfTestFailed(f"the training process {alive} is still running after the window closed")
        if any(p.exitcode != 0 for p in workers):
            raise SelfTestFailed(f"the training process exited with code {result['worker_exitcode']}, not 0")
        result["ok"] = True
    except SelfTestFailed as exc:
        result["reason"] = str(exc)
    except Exception as exc:  # anything at all: the JSON line says what, the exit code says failed
        result["reason"] = f"{type(exc).__name__}: {exc}"
    finally:
        if window is not None:
            try:
                window.close()
            except Exception:
                pass
        for process in workers:
            if process.is_alive():
                process.terminate()
                process.join(2.0)
        result["seconds"] = round(time.perf_counter() - start, 3)
        print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1
