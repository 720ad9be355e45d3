"""``playground export``: build the window offscreen, train, and write the picture it shows.

    playground export (--preset NAME | --session FILE) [--steps N] [--seed S] --out FILE.png|FILE.svg
                      [--size WxH] [--scale K] [--view window|plots|network] [--presentation]
    playground export (--preset NAME | --session FILE) --steps N --out FILE.gif|FILE.mp4|FILE.webp
                      [--frames K | --fps F --seconds S] [--log-spacing] [--size WxH] [--scale K] ...

An animation (``playground/export/animation.py``) takes a frame of the same picture at steps spread over the N.
``--view network`` draws the network diagram alone (ui/network_diagram.py), at the --size asked.

The window is the real one (same widgets, same worker process), shown on Qt's offscreen
platform, so the picture is the one a teacher would see. Training goes through the session
in chunks, waiting for each snapshot, so the loss plot has a curve and not two dots.
"""

from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path

from .pump import pump_events, wait_until

FORMATS = (".png", ".svg")
DEFAULT_SIZE = (1600, 900)
CHUNKS = 150  # snapshots taken while training: points on the loss curve
DRAWN_TIMEOUT = 2.0  # s to wait for the loss plot (it redraws at most every 100 ms) to show a step


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not match:
        raise ValueError(f"--size must look like 1600x900; got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise ValueError(f"--size must lie between 320x240 and 7680x4320; got {width}x{height}")
    return width, height


def train(app, session, steps: int, timeout: float | None = None, chunks: int = CHUNKS) -> None:
    """Take exactly ``steps`` more steps through the session, in chunks so the loss curve fills in."""
    timeout = timeout if timeout is not None else 30.0 + steps / 500.0
    deadline = time.monotonic() + timeout
    wait_until(app, lambda: session.up_to_date, timeout, "the training process to start")
    start = session.snapshot.step
    done = 0
    chunks = max(1, min(chunks, steps))
    for i in range(chunks):
        target = steps * (i + 1) // chunks
        if target == done:
            continue
        session.step(target - done)
        done = target
        goal = start + done
        wait_until(app, lambda goal=goal: session.up_to_date and session.snapshot.step >= goal or
                   session.up_to_date and session.snapshot.blocked_reason is not None,
                   max(deadline - time.monotonic(), 1.0), f"step {goal}")
        if session.snapshot.blocked_reason:
            raise ValueError(f"training stopped at step {session.snapshot.step}: {session.snapshot.blocked_reason}")


def view_widget(window, view: str):
    """What ``view`` draws: the window, its plots and caption, or the network diagram made by ``show_network``."""
    if view == "network":
        return window.network_view
    return window if view == "window" else window.centralWidget()


def show_network(window, width: int, height: int):
    """The network diagram of ``window``'s session alone, in a top-level widget ``width`` × ``height``
    (offscreen), styled by the window's look (presentation mode enlarges it too)."""
    from ..ui.network_diagram import NetworkDiagram
    diagram = NetworkDiagram(window.session, look=window.look)
    diagram.resize(width, height)
    diagram.show()
    window.network_view = diagram  # view_widget finds it there
    return diagram


def _wait_network_drawn(app, window) -> None:
    diagram, session = getattr(window, "network_view", None), window.session
    if diagram is not None:
        wait_until(app, lambda: session.snapshot is not None and diagram.drawn_serial == session.snapshot.serial,
                   DRAWN_TIMEOUT, "the network diagram to draw")


def train_runs(app, window, steps: int, chunks: int = CHUNKS) -> None:
    """``train`` the window's session, or in compare mode every run (a run that diverges stops, as in the window)."""
    if not window.compare.active:
        train(app, window.session, steps, chunks=chunks)
        return
    for run in window.compare.runs.runs:
        if run.snapshot is not None and run.snapshot.blocked_reason:
            continue  # stopped earlier (diverged): it stays where it stopped
        try:
            train(app, run, steps, chunks=chunks)
        except ValueError:
            pass  # stopped (diverged): the panel and its header say so, the other runs go on


def export_window(window, out: Path, scale: float = 1.0, view: str = "window") -> tuple[int, int]:
    """Write ``window`` (or its plots, or the network diagram) to ``out`` (.png or .svg); returns the image size
    in pixels."""
    from ..export import images, svg
    target = view_widget(window, view)
    if out.suffix.lower() == ".svg":
        svg.save_svg(target, out)
        return target.width(), target.height()
    image = images.save_png(target, out, scale)
    return image.width(), image.height()


def run_export(args) -> int:
    """The CLI handler: errors raise ValueError / OSError, which the CLI prints as one line."""
    from ..export import encoders
    out = Path(args.out)
    suffix = out.suffix.lower()
    animated = suffix in encoders.FORMATS
    if suffix not in FORMATS and not animated:
        raise ValueError(f"--out must end in .png or .svg (a picture) or .gif, .mp4 or .webp (an animation); "
                         f"got {out.name!r}")
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
    plan = _animation_plan(args, suffix, (round(width * scale), round(height * scale))) if animated else None
    # Check the scene before any window exists, so a bad name or file fails fast with its message.
    from ..data.compare_scenes import COMPARE_SCENES, get_scene
    document = None
    if args.preset is not None:
        get_scene(args.preset)
        if args.preset in COMPARE_SCENES and args.seed is not None:
            raise ValueError(f"--seed: {args.preset} is a compare scene, and its runs have their own seeds")
    else:
        from ..data import session_file
        document = session_file.load(args.session)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: no window ever shows
    from ..ui.application import create_app, quiet_offscreen_warnings
    from ..ui.main_window import MainWindow

    app = create_app()
    quiet_offscreen_warnings(app)
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
        if view == "network":
            show_network(window, width, height)
        if document is not None:
            window.compare.runs.apply_document(document)  # one run, or compare mode's runs
        elif args.preset in COMPARE_SCENES:
            window.compare.open_scene(args.preset)  # the scene's panels side by side
        else:
            session.load_preset(args.preset)
        if args.seed is not None:
            session.reset(args.seed)
        if plan is not None:
            size = _export_animation(app, window, out, scale, view, plan, (width, height))
        else:
            train_runs(app, window, args.steps)
            pump_events(app, 0.2)  # timers that redraw at a bounded rate (the loss plot: every 100 ms) catch up
            _wait_network_drawn(app, window)
            _check_window_size(view_widget(window, view), width, height, "network diagram" if view == "network"
                               else "window")
            size = export_window(window, out, scale, view)
    finally:
        if getattr(window, "network_view", None) is not None:
            window.network_view.close()
        window.close()
        app.processEvents()
    frames = f"  {plan['frames']} frames at {plan['fps']:g} fps" if plan is not None else ""
    print(f"{out}  {size[0]}x{size[1]}{frames}  step {session.snapshot.step if session.snapshot else 0}")
    return 0


def _check_window_size(widget, width: int, height: int, what: str = "window") -> None:
    if (widget.width(), widget.height()) != (width, height):
        raise ValueError(f"the {what} cannot be {width}x{height} (its smallest size is "
                         f"{widget.minimumSizeHint().width()}x{widget.minimumSizeHint().height()})")


def _animation_plan(args, suffix: str, pixels: tuple[int, int]) -> dict:
    """Check the animation options before any window exists; the frames' steps and rate."""
    from ..export import animation, encoders
    encoders.require(suffix)  # a missing encoder says so now, not after minutes of training
    frames, fps, seconds = getattr(args, "frames", None), getattr(args, "fps", None), getattr(args, "seconds", None)
    if frames is not None and seconds is not None:
        raise ValueError("give --frames or --seconds, not both (--seconds counts frames as --fps × --seconds)")
    fps = animation.DEFAULT_FPS if fps is None else fps
    if not 0.5 <= fps <= 60:
        raise ValueError(f"--fps must lie between 0.5 and 60; got {fps:g}")
    if seconds is not None:
        if not 0 < seconds <= 600:
            raise ValueError(f"--seconds must lie between 0 and 600; got {seconds:g}")
        frames = max(2, round(fps * seconds))
    frames = animation.DEFAULT_FRAMES if frames is None else frames
    if frames > animation.MAX_FRAMES:
        raise ValueError(f"--frames must be ≤ {animation.MAX_FRAMES}; got {frames}")
    if args.steps < 1:
        raise ValueError("an animation shows training: give --steps N (N ≥ 1)")
    steps = animation.frame_steps(args.steps, frames, bool(getattr(args, "log_spacing", False)))
    if suffix == ".mp4" and (pixels[0] % 2 or pixels[1] % 2):
        raise ValueError(f"MP4 (H.264, yuv420p) needs an even width and height; --size × --scale gives "
                         f"{pixels[0]}x{pixels[1]} pixels")
    return {"steps": steps, "frames": frames, "fps": fps}


def _export_animation(app, window, out: Path, scale: float, view: str, plan: dict, size) -> tuple[int, int]:
    """Write ``plan``'s frames of the window (or its plots) to ``out``; returns the frame size in pixels.
    An error or Ctrl+C mid-way leaves no file (the writer removes its .part file)."""
    from ..export import animation, encoders
    wait_until(app, lambda: window.session.up_to_date, 30.0, "the training process to start")
    with animation.stamp_space(window.caption):
        pump_events(app, 0.1)
        _wait_network_drawn(app, window)
        target = view_widget(window, view)
        _check_window_size(target if view == "network" else window, *size,
                           "network diagram" if view == "network" else "window")
        width, height = round(target.width() * scale), round(target.height() * scale)
        progress = animation.ProgressBar(plan["frames"])
        with encoders.open_writer(out, width, height, plan["fps"]) as writer:
            _record_training(app, window, target, writer, plan["steps"], scale, progress)
    return width, height


def _record_training(app, window, target, writer, steps: list[int], scale: float, progress=None) -> None:
    """Train ``window``'s session (in compare mode every run, all panels in each frame) from step 0 of this run
    through ``steps`` (relative), adding a frame of ``target`` to ``writer`` at each; the sessions train in
    chunks so the loss curves have their points."""
    from ..export import animation
    session = window.session
    for run in window.compare.runs.runs if window.compare.active else [session]:
        wait_until(app, lambda run=run: run.up_to_date, 30.0, "the training process to start")
    start = session.snapshot.step
    total = max(steps[-1], 1)
    done = 0
    for index, step in enumerate(steps):
        if step > done:
            chunks = max(1, math.ceil(CHUNKS * (step - done) / total))  # CHUNKS over the whole run
            train_runs(app, window, step - done, chunks=chunks)
            done = step
        _wait_drawn(app, window, start + done)
        _wait_network_drawn(app, window)
        writer.add(animation.frame_of(target, scale, start + done, (writer.width, writer.height)))
        if progress is not None:
            progress.update(index + 1)


def _wait_drawn(app, window, step: int) -> None:
    """Until the loss plot (the one view that redraws on a timer) shows ``step``; then paint what is pending."""
    from PySide6.QtCore import QEventLoop
    pump_events(app, DRAWN_TIMEOUT, lambda: window.loss_plot.step_line.value() == step)
    if window.compare.active:  # every run is at the step; the panels' headers read it on their timer
        from ..ui.compare_panels import READOUT_MS
        pump_events(app, 1.5 * READOUT_MS / 1000)
    app.processEvents(QEventLoop.AllEvents, 10)
