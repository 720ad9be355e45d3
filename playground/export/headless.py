"""``playground export``: build the window offscreen, train, and write the picture it shows.

    playground export (--preset NAME | --session FILE) [--steps N] [--seed S] --out FILE.png|FILE.svg
                      [--size WxH] [--scale K] [--view window|plots] [--presentation]

The window is the real one (same widgets, same worker process), shown on Qt's offscreen
platform, so the picture is the one a teacher would see. Training goes through the session
in chunks, waiting for each snapshot, so the loss plot has a curve and not two dots.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

FORMATS = (".png", ".svg")
DEFAULT_SIZE = (1600, 900)
CHUNKS = 150  # snapshots taken while training: points on the loss curve


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not match:
        raise ValueError(f"--size must look like 1600x900; got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise ValueError(f"--size must lie between 320x240 and 7680x4320; got {width}x{height}")
    return width, height


def _wait(app, condition, timeout: float, what: str) -> None:
    from PySide6.QtCore import QEventLoop
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        app.processEvents(QEventLoop.AllEvents, 10)
        time.sleep(0.001)


def _settle(app, seconds: float = 0.2) -> None:
    """Let timers that redraw at a bounded rate (the loss plot: every 100 ms) catch up."""
    from PySide6.QtCore import QEventLoop
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.AllEvents, 10)
        time.sleep(0.002)


def train(app, session, steps: int, timeout: float | None = None) -> None:
    """Take exactly ``steps`` more steps through the session, in chunks so the loss curve fills in."""
    timeout = timeout if timeout is not None else 30.0 + steps / 500.0
    deadline = time.monotonic() + timeout
    _wait(app, lambda: session.up_to_date, timeout, "the training process to start")
    start = session.snapshot.step
    done = 0
    chunks = max(1, min(CHUNKS, steps))
    for i in range(chunks):
        target = steps * (i + 1) // chunks
        if target == done:
            continue
        session.step(target - done)
        done = target
        goal = start + done
        _wait(app, lambda: session.up_to_date and session.snapshot.step >= goal or
              session.up_to_date and session.snapshot.blocked_reason is not None,
              max(deadline - time.monotonic(), 1.0), f"step {goal}")
        if session.snapshot.blocked_reason:
            raise ValueError(f"training stopped at step {session.snapshot.step}: {session.snapshot.blocked_reason}")


def export_window(window, out: Path, scale: float = 1.0, view: str = "window") -> tuple[int, int]:
    """Write ``window`` (or its plots) to ``out`` (.png or .svg); returns the image size in pixels."""
    from . import images, svg
    target = window if view == "window" else window.centralWidget()
    if out.suffix.lower() == ".svg":
        svg.save_svg(target, out)
        return target.width(), target.height()
    image = images.save_png(target, out, scale)
    return image.width(), image.height()


def run_export(args) -> int:
    """The CLI handler: errors raise ValueError / OSError, which the CLI prints as one line."""
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"--out must end in .png or .svg; got {out.name!r}")
    if not out.parent.exists():
        raise ValueError(f"the folder {str(out.parent)!r} does not exist")
    width, height = parse_size(args.size) if args.size else DEFAULT_SIZE
    scale = float(args.scale)
    if not 0.25 <= scale <= 4:
        raise ValueError(f"--scale must lie between 0.25 and 4; got {args.scale}")
    view = args.view or ("plots" if suffix == ".svg" else "window")
    if suffix == ".svg" and view != "plots":
        raise ValueError("SVG export holds the plots (vector drawings): use --view plots or a .png file")
    if args.steps < 0:
        raise ValueError(f"--steps must be ≥ 0; got {args.steps}")
    # Check the scene before any window exists, so a bad name or file fails fast with its message.
    document = None
    if args.preset is not None:
        from ..data import get_preset
        get_preset(args.preset)
    else:
        from ..data import session_file
        document = session_file.load(args.session)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: no window ever shows
    from ..app import create_app
    from ..ui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    try:
        session = window.session
        if view == "plots":  # the plots fill the requested size: no menus, toolbar, controls or status bar
            window.menuBar().hide()
            window.statusBar().hide()
            for child in window.children():
                if child.metaObject().className() in ("QToolBar", "QDockWidget"):
                    child.hide()
        window.resize(width, height)
        window.show()
        if args.presentation:
            window.presentation.set_enabled(True, full_screen=False)
            window.resize(width, height)
        if document is not None:
            session.apply_document(document)
        else:
            session.load_preset(args.preset)
        if args.seed is not None:
            session.reset(args.seed)
        train(app, session, args.steps)
        _settle(app)
        if (window.width(), window.height()) != (width, height):
            raise ValueError(f"the window cannot be {width}x{height} (its smallest size is "
                             f"{window.minimumSizeHint().width()}x{window.minimumSizeHint().height()})")
        size = export_window(window, out, scale, view)
    finally:
        window.close()
        app.processEvents()
    print(f"{out}  {size[0]}x{size[1]}  step {session.snapshot.step if session.snapshot else 0}")
    return 0
