"""The ``playground`` command: with no subcommand it opens the window; subcommands work headless.

Errors print one line (``playground: error: …``) and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be ≥ 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="playground", description="Neural Playground: watch a neural network learn.")
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
    p.add_argument("--steps", type=_positive_int, default=10_000, help="training steps (default 10000)")
    p.add_argument("--seed", type=int, default=None, help="initialization seed (default: the preset's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("bench", help="training steps per second against a minimal numpy loop")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--rounds", type=_positive_int, default=7, help="timing rounds per configuration (default 7)")
    p.add_argument("--ui", action="store_true", help="benchmark the window instead: frames/s and steps/s, offscreen")
    p.add_argument("--seconds", type=float, default=5.0, help="with --ui: seconds per measurement (default 5)")
    p.set_defaults(handler=_cmd_bench)

    p = sub.add_parser("export", help="train a scene without showing a window and write the picture it shows, "
                                      "or an animation of it training",
                       description="Build the window offscreen on a preset or a saved session, train N steps, "
                                   "and write the picture the window shows: PNG (window or plots) or SVG (plots); "
                                   "or an animation of it training (GIF, MP4 or WebP), one frame every few steps.")
    scene = p.add_mutually_exclusive_group(required=True)
    scene.add_argument("--preset", metavar="NAME", help="a lecture preset (see `playground presets`)")
    scene.add_argument("--session", metavar="FILE", help="a saved session file (.json)")
    p.add_argument("--steps", type=int, default=0,
                   help="training steps before the picture, or over which an animation's frames spread (default 0)")
    p.add_argument("--seed", type=int, default=None, help="re-initialize the network from this seed first")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="FILE.png or FILE.svg (a picture), FILE.gif, FILE.mp4 or FILE.webp (an animation)")
    p.add_argument("--size", metavar="WxH", default=None, help="window size in pixels (default 1600x900)")
    p.add_argument("--scale", type=float, default=1.0, metavar="K",
                   help="PNG or animation resolution factor: 2 doubles the pixels, text stays sharp (default 1)")
    p.add_argument("--view", choices=("window", "plots"), default=None,
                   help="the whole window, or just the plots and caption (default: window for PNG, plots for SVG)")
    p.add_argument("--presentation", action="store_true", help="in presentation mode (large fonts, thick lines)")
    animation = p.add_argument_group("animation (.gif, .mp4, .webp)")
    animation.add_argument("--frames", type=_positive_int, default=None, metavar="K",
                           help="frames spread over the --steps (default 60)")
    animation.add_argument("--fps", type=float, default=None, metavar="F", help="frames per second (default 10)")
    animation.add_argument("--seconds", type=float, default=None, metavar="S",
                           help="instead of --frames: an animation of S seconds (--fps × S frames)")
    animation.add_argument("--log-spacing", action="store_true",
                           help="space the frames evenly in log(step), so the fast early change gets frames")
    p.set_defaults(handler=_cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    for variable, value in SINGLE_THREADED.items():  # before numpy loads: see blas.py
        os.environ.setdefault(variable, value)
    multiprocessing.freeze_support()  # the training process of a frozen (PyInstaller) build starts here
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # before the window path: it opens its own window, offscreen
        if args.handler is not _cmd_window:
            parser.error("--self-test takes no command")
        from .selftest import run_self_test
        return run_self_test(preset=args.preset)
    try:
        return args.handler(args)
    except (ValueError, OSError) as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
