"""The ``playground`` command: with no subcommand it opens the window; subcommands work headless.

Errors print one line (``playground: error: …``) and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import time

from . import __version__
from .blas import SINGLE_THREADED


def _cmd_presets(args) -> int:
    from .data import PRESETS
    width = max(map(len, PRESETS))
    for key, preset in PRESETS.items():
        print(f"{key:{width}s}  {preset.title}: {preset.caption}")
    return 0


def _cmd_train(args) -> int:
    from .data import get_preset
    preset = get_preset(args.preset)
    trainer, _ = preset.build(seed=args.seed)
    start = time.perf_counter()
    steps = trainer.run(args.steps)
    seconds = time.perf_counter() - start
    m = trainer.metrics()
    result = {
        "preset": preset.key, "steps": steps, "seconds": round(seconds, 3), "seed": trainer.seed,
        "train_loss": m.train_loss, "test_loss": m.test_loss,
        "train_accuracy": m.train_accuracy, "test_accuracy": m.test_accuracy,
        "stopped": trainer.blocked_reason,
    }
    if args.json:
        print(json.dumps(result))
    else:
        def fmt(v, pct=False):
            return "—" if v is None else (f"{100 * v:.1f}%" if pct else f"{v:.3g}")
        print(f"{preset.key}: {steps} steps in {seconds:.2f} s (seed {trainer.seed})")
        print(f"  train loss {fmt(m.train_loss)}   test loss {fmt(m.test_loss)}")
        if m.train_accuracy is not None:
            print(f"  train accuracy {fmt(m.train_accuracy, True)}   test accuracy {fmt(m.test_accuracy, True)}")
        if trainer.blocked_reason:
            print(f"  stopped: {trainer.blocked_reason}")
    return 1 if trainer.blocked_reason else 0


def _cmd_bench(args) -> int:
    if args.ui:
        from .ui.bench import run_ui_bench
        return run_ui_bench(json_output=args.json, seconds=args.seconds)
    from .benchmarks import format_table, run_bench
    results = run_bench(rounds=args.rounds)
    print(json.dumps(results) if args.json else format_table(results))
    return 0


def _cmd_export(args) -> int:
    from .export.headless import run_export
    return run_export(args)


def _cmd_window(args) -> int:
    from .app import run_app
    return run_app(preset=args.preset)


# -- arguments: each checked as it is parsed, so a bad one is one line and status 2 before any work --------

MAX_CLI_STEPS = 10_000_000          # training steps of `train` and `export` (minutes at full speed)
MAX_BENCH_ROUNDS = 100
BENCH_SECONDS = (0.1, 600.0)         # seconds per `bench --ui` measurement
EXPORT_SCALE = (0.25, 4.0)
MAX_EXPORT_PIXELS = 7680 * 4320      # an 8K picture (--size × --scale²): 130 MB of pixels, not gigabytes
# The smallest the window can be (measured): the whole window, in presentation mode, or just the plots.
MIN_SIZE = {"window": (960, 540), "presentation": (960, 600), "plots": (640, 480)}
MAX_SIZE = (7680, 4320)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (`playground train: error: …`) and exits 2."""

    def error(self, message: str):
        from .data.bounded_read import one_line
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def _whole_number(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low:,} to {high:,}, got {value:,}"
                                             if value.bit_length() < 100 else f"{text[:20]}… is too large")
        return value
    return parse


def _real_number(low: float, high: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text[:40]!r}") from None
        if not low <= value <= high:  # NaN fails both
            raise argparse.ArgumentTypeError(f"expected a number from {low:g} to {high:g}, got {text}")
        return value
    return parse


def _size(text: str) -> str:
    """``WxH`` within MAX_SIZE, normalized (the export parses it again; the view's minimum is checked later)."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[xX×]\s*(\d{1,6})\s*", text or "")
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size like 1600x900, got {text[:40]!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if width > MAX_SIZE[0] or height > MAX_SIZE[1]:
        raise argparse.ArgumentTypeError(f"at most {MAX_SIZE[0]}x{MAX_SIZE[1]}, got {width}x{height}")
    return f"{width}x{height}"


_positive_int = _whole_number(1, MAX_CLI_STEPS)


def _check_export(parser: argparse.ArgumentParser, args) -> None:
    """What one option cannot say alone: the size against the view, the pixels against the scale."""
    if args.size is None:
        return
    width, height = map(int, args.size.split("x"))
    view = args.view or ("plots" if str(args.out).lower().endswith(".svg") else "window")
    kind = "presentation" if view == "window" and args.presentation else view
    low = MIN_SIZE[kind]
    if width < low[0] or height < low[1]:
        what = "with --presentation" if kind == "presentation" else f"with --view {view}"
        parser.error(f"--size: {what} the window is at least {low[0]}x{low[1]}, got {width}x{height}")
    pixels = round(width * args.scale) * round(height * args.scale)
    if pixels > MAX_EXPORT_PIXELS:
        parser.error(f"--size {width}x{height} at --scale {args.scale:g} is {pixels:,} pixels; at most "
                     f"{MAX_EXPORT_PIXELS:,} (7680x4320)")


def build_parser() -> argparse.ArgumentParser:
    from .engine.limits import MAX_SEED  # here, not at the top: numpy loads only after main() set up BLAS
    seed = _whole_number(0, MAX_SEED)
    parser = OneLineParser(prog="playground", description="Neural Playground: watch a neural network learn.")
    parser.add_argument("--version", action="version", version=f"Neural Playground {__version__}")
    parser.add_argument("--preset", metavar="NAME", help="open the window on this lecture preset")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, train a preset (default xor, or --preset) for about a "
                             "second, save a screenshot, close; print one JSON line, exit 0 only if all worked")
    parser.set_defaults(handler=_cmd_window)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("presets", help="list the lecture presets with their captions")
    p.set_defaults(handler=_cmd_presets)

    p = sub.add_parser("train", help="train a preset headless and print the final losses")
    p.add_argument("--preset", required=True, metavar="NAME")
    p.add_argument("--steps", type=_positive_int, default=10_000,
                   help=f"training steps, up to {MAX_CLI_STEPS:,} (default 10000)")
    p.add_argument("--seed", type=seed, default=None, help="initialization seed (default: the preset's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("bench", help="training steps per second against a minimal numpy loop")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--rounds", type=_whole_number(1, MAX_BENCH_ROUNDS), default=7,
                   help=f"timing rounds per configuration, 1 to {MAX_BENCH_ROUNDS} (default 7)")
    p.add_argument("--ui", action="store_true", help="benchmark the window instead: frames/s and steps/s, offscreen")
    p.add_argument("--seconds", type=_real_number(*BENCH_SECONDS), default=5.0,
                   help=f"with --ui: seconds per measurement, {BENCH_SECONDS[0]:g} to {BENCH_SECONDS[1]:g} (default 5)")
    p.set_defaults(handler=_cmd_bench)

    p = sub.add_parser("export", help="train a scene without showing a window and write the picture it shows",
                       description="Build the window offscreen on a preset or a saved session, train N steps, "
                                   "and write the picture the window shows: PNG (window or plots) or SVG (plots).")
    scene = p.add_mutually_exclusive_group(required=True)
    scene.add_argument("--preset", metavar="NAME", help="a lecture preset (see `playground presets`)")
    scene.add_argument("--session", metavar="FILE", help="a saved session file (.json)")
    p.add_argument("--steps", type=_whole_number(0, MAX_CLI_STEPS), default=0,
                   help=f"training steps before the picture, up to {MAX_CLI_STEPS:,} (default 0)")
    p.add_argument("--seed", type=seed, default=None, help="re-initialize the network from this seed first")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    p.add_argument("--size", metavar="WxH", type=_size, default=None,
                   help=f"window size in pixels (default 1600x900), from {'x'.join(map(str, MIN_SIZE['window']))} "
                        f"({'x'.join(map(str, MIN_SIZE['presentation']))} with --presentation, "
                        f"{'x'.join(map(str, MIN_SIZE['plots']))} with --view plots) to "
                        f"{'x'.join(map(str, MAX_SIZE))}; with --scale at most {MAX_EXPORT_PIXELS:,} pixels")
    p.add_argument("--scale", type=_real_number(*EXPORT_SCALE), default=1.0, metavar="K",
                   help="PNG resolution factor from 0.25 to 4: 2 doubles the pixels, text stays sharp (default 1)")
    p.add_argument("--view", choices=("window", "plots"), default=None,
                   help="the whole window, or just the plots and caption (default: window for PNG, plots for SVG)")
    p.add_argument("--presentation", action="store_true", help="in presentation mode (large fonts, thick lines)")
    p.set_defaults(handler=_cmd_export, check_args=lambda args, export=p: _check_export(export, args))
    return parser


def main(argv: list[str] | None = None) -> int:
    for variable, value in SINGLE_THREADED.items():  # before numpy loads: see blas.py
        os.environ.setdefault(variable, value)
    multiprocessing.freeze_support()  # the training process of a frozen (PyInstaller) build starts here
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "check_args", None) is not None:
        args.check_args(args)
    if args.self_test:  # before the window path: it opens its own window, offscreen
        if args.handler is not _cmd_window:
            parser.error("--self-test takes no command")
        from .selftest import run_self_test
        return run_self_test(preset=args.preset)
    try:
        return args.handler(args)
    except (ValueError, OSError) as exc:
        from .data.bounded_read import one_line
        if isinstance(exc, OSError) and exc.filename and exc.strerror:  # not "[Errno 2] No such file…: '…'"
            exc = f"{exc.filename}: {exc.strerror.lower()}"
        print(f"playground: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
