"""The ``playground`` command: its parser, which checks every argument as it reads it, and ``main``. With no
subcommand it opens the window; subcommands work headless (what each one does: commands/cli_commands.py).

Errors print one line (``playground: error: …``) and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys

from .. import __version__
from ..blas import SINGLE_THREADED
from .cli_commands import (
    ONE_RUN_STEPS,
    cmd_bench,
    cmd_export,
    cmd_features,
    cmd_presets,
    cmd_train,
    cmd_window,
)

# The registries' keys, spelled out so that --help needs no numpy (tests/test_cli.py checks they match)
ACTIVATION_KEYS = ("tanh", "logistic", "relu", "linear", "step")
OPTIMIZER_KEYS = ("sgd", "momentum", "adam")


def _within(limit):
    """An argparse type that reads a value as the window's field for it does (the same message on refusal)."""
    def parse(text: str):
        try:
            return limit.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = limit.name  # argparse names the type in some messages
    return parse


def _per_layer(text: str) -> tuple[int, ...]:
    if text.strip().lower() in ("none", "0"):
        return ()  # no hidden layer: a linear model
    from ..data.field_limits import parse_per_layer
    try:
        return parse_per_layer(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- arguments: each checked as it is parsed, so a bad one is one line and status 2 before any work --------

MAX_CLI_STEPS = 10_000_000          # training steps of `train` and `export` (minutes at full speed)
MAX_BENCH_ROUNDS = 100
BENCH_SECONDS = (0.1, 600.0)         # seconds per `bench --ui` measurement
EXPORT_SCALE = (0.25, 4.0)
MAX_EXPORT_PIXELS = 7680 * 4320      # an 8K picture (--size × --scale²): 130 MB of pixels, not gigabytes
MAX_ANIMATION_FRAMES = 10_000        # frames of an animation (streamed to the encoder, so memory stays flat)
ANIMATION_FPS = (1.0, 60.0)
ANIMATION_SECONDS = (0.1, 600.0)
# The smallest the window can be (measured): the whole window, in presentation mode, or just the plots.
MIN_SIZE = {"window": (960, 540), "presentation": (960, 600), "plots": (640, 480), "network": (320, 240)}
MAX_SIZE = (7680, 4320)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (`playground train: error: …`) and exits 2."""

    def error(self, message: str):
        from ..data.bounded_read import one_line
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
    # here, not at the top: numpy loads only after main() set up BLAS
    from ..data import field_limits as limits
    seed = _within(limits.SEED)
    parser = OneLineParser(prog="playground", description="Neural Playground: watch a neural network learn.")
    parser.add_argument("--version", action="version", version=f"Neural Playground {__version__}")
    parser.add_argument("--preset", metavar="NAME", help="open the window on this lecture preset")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, train a preset (default xor, or --preset) for about a "
                             "second, save a screenshot, close; print one JSON line, exit 0 only if all worked")
    parser.set_defaults(handler=cmd_window)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("presets", help="list the lecture presets with their captions")
    p.set_defaults(handler=cmd_presets)

    p = sub.add_parser("features", help="list the input features φ(x) for --features, per input dimension")
    p.set_defaults(handler=cmd_features)

    p = sub.add_parser("train", help="train a preset headless and print the final losses",
                       description="Train a lecture scene without a window; the options below replace the scene's "
                                   "own network and settings, checked as the window's fields check them.")
    p.add_argument("--preset", required=True, metavar="NAME")
    p.add_argument("--features", default=None, metavar="KEYS",
                   help="comma-separated input features φ(x), e.g. x1^2,x2^2 (see `playground features`; "
                        "default: the raw inputs)")
    p.add_argument("--steps", type=_positive_int, default=None,
                   help=f"training steps, up to {MAX_CLI_STEPS:,} (default {ONE_RUN_STEPS}; a compare scene's own budget)")
    p.add_argument("--seed", type=seed, default=None,
                   help="initialization seed (default: the preset's; a compare run's own seed wins)")
    p.add_argument("--hidden", type=_per_layer, metavar="UNITS",
                   help="units per hidden layer, e.g. 8 or 8,4 (0 or none: no hidden layer)")
    p.add_argument("--activation", choices=ACTIVATION_KEYS, help="σ of the hidden units")
    p.add_argument("--optimizer", choices=OPTIMIZER_KEYS)
    p.add_argument("--lr", dest="learning_rate", type=_within(limits.LEARNING_RATE), metavar="RATE",
                   help=f"learning rate ({limits.LEARNING_RATE.range})")
    p.add_argument("--batch-size", type=_within(limits.BATCH_SIZE), metavar="N",
                   help="minibatch size (default: the scene's; all points if it has none)")
    p.add_argument("--l2", type=_within(limits.L2), metavar="LAMBDA", help=f"L2 strength λ ({limits.L2.range})")
    p.add_argument("--l1", type=_within(limits.L1), metavar="LAMBDA",
                   help=f"L1 strength λ₁: adds λ₁Σ|w| over the weights ({limits.L1.range})")
    p.add_argument("--test-fraction", type=_within(limits.TEST_FRACTION), metavar="F",
                   help=f"share of the points held out for the test loss ({limits.TEST_FRACTION.range})")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_train)

    p = sub.add_parser("bench", help="training steps per second against a minimal numpy loop")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--rounds", type=_whole_number(1, MAX_BENCH_ROUNDS), default=7,
                   help=f"timing rounds per configuration, 1 to {MAX_BENCH_ROUNDS} (default 7)")
    p.add_argument("--ui", action="store_true", help="benchmark the window instead: frames/s and steps/s, offscreen")
    p.add_argument("--compare", type=_whole_number(2, 4), default=None, metavar="RUNS",
                   help="with --ui: compare mode with RUNS runs (2 to 4) of the bench network, each its own process")
    p.add_argument("--seconds", type=_real_number(*BENCH_SECONDS), default=5.0,
                   help=f"with --ui: seconds per measurement, {BENCH_SECONDS[0]:g} to {BENCH_SECONDS[1]:g} (default 5)")
    p.add_argument("--restarts", type=_positive_int, nargs="?", const=20, default=None, metavar="SEEDS",
                   help="benchmark restarts instead: SEEDS seeds (default 20) stacked vs one run after another")
    p.add_argument("--restarts-preset", default="bishop-abs", metavar="NAME",
                   help="with --restarts: the preset whose network and settings are trained (default bishop-abs)")
    p.add_argument("--steps", type=_positive_int, default=1000, help="with --restarts: steps per seed (default 1000)")
    p.set_defaults(handler=cmd_bench)

    p = sub.add_parser("export", help="train a scene without showing a window and write the picture it shows, "
                                      "or an animation of it training",
                       description="Build the window offscreen on a preset or a saved session, train N steps, "
                                   "and write the picture the window shows: PNG (window or plots) or SVG (plots); "
                                   "or an animation of it training (GIF, MP4 or WebP), one frame every few steps.")
    scene = p.add_mutually_exclusive_group(required=True)
    scene.add_argument("--preset", metavar="NAME", help="a lecture preset (see `playground presets`)")
    scene.add_argument("--session", metavar="FILE", help="a saved session file (.json)")
    p.add_argument("--steps", type=_whole_number(0, MAX_CLI_STEPS), default=0,
                   help=f"training steps before the picture, or over which an animation's frames spread, up to "
                        f"{MAX_CLI_STEPS:,} (default 0)")
    p.add_argument("--seed", type=seed, default=None, help="re-initialize the network from this seed first")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="FILE.png or FILE.svg (a picture), FILE.gif, FILE.mp4 or FILE.webp (an animation)")
    p.add_argument("--size", metavar="WxH", type=_size, default=None,
                   help=f"window size in pixels (default 1600x900), from {'x'.join(map(str, MIN_SIZE['window']))} "
                        f"({'x'.join(map(str, MIN_SIZE['presentation']))} with --presentation, "
                        f"{'x'.join(map(str, MIN_SIZE['plots']))} with --view plots) to "
                        f"{'x'.join(map(str, MAX_SIZE))}; with --scale at most {MAX_EXPORT_PIXELS:,} pixels")
    p.add_argument("--scale", type=_real_number(*EXPORT_SCALE), default=1.0, metavar="K",
                   help="PNG or animation resolution factor from 0.25 to 4: 2 doubles the pixels, text stays sharp "
                        "(default 1)")
    p.add_argument("--view", choices=("window", "plots", "network"), default=None,
                   help="the whole window, just the plots and caption, or the network diagram alone (default: "
                        "window for PNG, plots for SVG)")
    p.add_argument("--presentation", action="store_true", help="in presentation mode (large fonts, thick lines)")
    animation = p.add_argument_group("animation (.gif, .mp4, .webp)")
    animation.add_argument("--frames", type=_whole_number(1, MAX_ANIMATION_FRAMES), default=None, metavar="K",
                           help=f"frames spread over the --steps, up to {MAX_ANIMATION_FRAMES} (default 60)")
    animation.add_argument("--fps", type=_real_number(*ANIMATION_FPS), default=None, metavar="F",
                           help=f"frames per second, {ANIMATION_FPS[0]:g} to {ANIMATION_FPS[1]:g} (default 10)")
    animation.add_argument("--seconds", type=_real_number(*ANIMATION_SECONDS), default=None, metavar="S",
                           help="instead of --frames: an animation of S seconds (--fps × S frames)")
    animation.add_argument("--log-spacing", action="store_true",
                           help="space the frames evenly in log(step), so the fast early change gets frames")
    p.set_defaults(handler=cmd_export, check_args=lambda args, export=p: _check_export(export, args))
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl+C at any moment, before or inside a command: the shell's status, no traceback
        return 130


def _main(argv: list[str] | None) -> int:
    for variable, value in SINGLE_THREADED.items():  # before numpy loads: see blas.py
        os.environ.setdefault(variable, value)
    multiprocessing.freeze_support()  # the training process of a frozen (PyInstaller) build starts here
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "check_args", None) is not None:
        args.check_args(args)
    if args.self_test:  # before the window path: it opens its own window, offscreen
        if args.handler is not cmd_window:
            parser.error("--self-test takes no command")
        from .selftest import run_self_test
        return run_self_test(preset=args.preset)
    try:
        return args.handler(args)
    except (ValueError, OSError) as exc:
        from ..data.bounded_read import one_line
        if isinstance(exc, OSError) and exc.filename and exc.strerror:  # not "[Errno 2] No such file…: '…'"
            exc = f"{exc.filename}: {exc.strerror.lower()}"
        print(f"playground: error: {one_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
