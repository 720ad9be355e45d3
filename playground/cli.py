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
from dataclasses import replace

from . import __version__
from .blas import SINGLE_THREADED


def _cmd_presets(args) -> int:
    from .data import PRESETS
    width = max(map(len, PRESETS))
    for key, preset in PRESETS.items():
        print(f"{key:{width}s}  {preset.title}: {preset.caption}")
    return 0


def _cmd_features(args) -> int:
    from .engine import FEATURES, feature_keys
    for n_inputs, heading in ((1, "1-D inputs x (regression scenes)"), (2, "2-D inputs x₁, x₂ (classification scenes)")):
        print(f"{heading}:")
        for key in feature_keys(n_inputs):
            print(f"  {key:8s}  {FEATURES[key].name}")
    return 0


def _build_trainer(preset, seed: int | None, hidden: tuple[int, ...] | None, features: str | None):
    """The preset's trainer, or with ``--hidden`` / ``--features`` a fresh network of that shape on its data
    (freshly initialized: a hand-set preset's weights fit only its own shape)."""
    if hidden is None and features is None:
        return preset.build(seed=seed)[0]
    from .engine import FeatureMap, Network, Trainer
    seed = preset.seed if seed is None else seed
    data = preset.make_dataset()
    feature_map = None if features is None else FeatureMap.parse(features, data.X.shape[1])
    sizes = replace(preset, hidden=preset.hidden if hidden is None else hidden).layer_sizes(data)
    if feature_map is not None:
        sizes[0] = len(feature_map)
    network = Network(sizes, preset.activation, seed=seed)
    return Trainer(network, data.X, data.y, preset.settings, seed=seed, features=feature_map)


def _cmd_train(args) -> int:
    from .data import get_preset
    preset = get_preset(args.preset)
    trainer = _build_trainer(preset, args.seed, args.hidden, args.features)
    start = time.perf_counter()
    steps = trainer.run(args.steps)
    seconds = time.perf_counter() - start
    m = trainer.metrics()
    result = {
        "preset": preset.key, "steps": steps, "seconds": round(seconds, 3), "seed": trainer.seed,
        "layer_sizes": list(trainer.network.layer_sizes),
        "features": None if trainer.features is None else list(trainer.features.keys),
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
        if trainer.features is not None:
            print(f"  features φ(x) = ({', '.join(trainer.features.names)})")
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
    if args.restarts:
        from .benchmarks import bench_restarts, format_restarts
        result = bench_restarts(args.restarts_preset, n_seeds=args.restarts, steps=args.steps, rounds=args.rounds)
        print(json.dumps(result) if args.json else format_restarts(result))
        return 0
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


def _hidden_layers(text: str) -> tuple[int, ...]:
    """``0`` (no hidden layer: a linear model), ``8`` or ``8,4`` (units per hidden layer)."""
    try:
        units = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected units per layer such as 8 or 8,4 (0 for none), got {text!r}") from None
    if units == (0,):
        return ()
    if any(u < 1 for u in units):
        raise argparse.ArgumentTypeError(f"every hidden layer needs ≥ 1 unit (0 alone for none), got {text!r}")
    return units


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

    p = sub.add_parser("features", help="list the input features φ(x) for --features, per input dimension")
    p.set_defaults(handler=_cmd_features)

    p = sub.add_parser("train", help="train a preset headless and print the final losses")
    p.add_argument("--preset", required=True, metavar="NAME")
    p.add_argument("--hidden", type=_hidden_layers, default=None, metavar="UNITS",
                   help="hidden units per layer, e.g. 8 or 8,4; 0 for none (default: the preset's)")
    p.add_argument("--features", default=None, metavar="KEYS",
                   help="comma-separated input features φ(x), e.g. x1^2,x2^2 (see `playground features`; "
                        "default: the raw inputs)")
    p.add_argument("--steps", type=_positive_int, default=10_000, help="training steps (default 10000)")
    p.add_argument("--seed", type=int, default=None, help="initialization seed (default: the preset's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("bench", help="training steps per second against a minimal numpy loop")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--rounds", type=_positive_int, default=7, help="timing rounds per configuration (default 7)")
    p.add_argument("--ui", action="store_true", help="benchmark the window instead: frames/s and steps/s, offscreen")
    p.add_argument("--seconds", type=float, default=5.0, help="with --ui: seconds per measurement (default 5)")
    p.add_argument("--restarts", type=_positive_int, nargs="?", const=20, default=None, metavar="SEEDS",
                   help="benchmark restarts instead: SEEDS seeds (default 20) stacked vs one run after another")
    p.add_argument("--restarts-preset", default="bishop-abs", metavar="NAME",
                   help="with --restarts: the preset whose network and settings are trained (default bishop-abs)")
    p.add_argument("--steps", type=_positive_int, default=1000, help="with --restarts: steps per seed (default 1000)")
    p.set_defaults(handler=_cmd_bench)

    p = sub.add_parser("export", help="train a scene without showing a window and write the picture it shows",
                       description="Build the window offscreen on a preset or a saved session, train N steps, "
                                   "and write the picture the window shows: PNG (window or plots) or SVG (plots).")
    scene = p.add_mutually_exclusive_group(required=True)
    scene.add_argument("--preset", metavar="NAME", help="a lecture preset (see `playground presets`)")
    scene.add_argument("--session", metavar="FILE", help="a saved session file (.json)")
    p.add_argument("--steps", type=int, default=0, help="training steps before the picture (default 0)")
    p.add_argument("--seed", type=int, default=None, help="re-initialize the network from this seed first")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    p.add_argument("--size", metavar="WxH", default=None, help="window size in pixels (default 1600x900)")
    p.add_argument("--scale", type=float, default=1.0, metavar="K",
                   help="PNG resolution factor: 2 doubles the pixels, text stays sharp (default 1)")
    p.add_argument("--view", choices=("window", "plots"), default=None,
                   help="the whole window, or just the plots and caption (default: window for PNG, plots for SVG)")
    p.add_argument("--presentation", action="store_true", help="in presentation mode (large fonts, thick lines)")
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
