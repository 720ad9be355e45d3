"""What each ``playground`` subcommand does, once commands/cli.py has parsed and checked its arguments:
list the presets and the features, train headless, benchmark, export, or open the window."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace


def cmd_presets(args) -> int:
    from ..data import PRESETS
    from ..data.compare_scenes import COMPARE_SCENES
    width = max(map(len, [*PRESETS, *COMPARE_SCENES]))
    for key, preset in PRESETS.items():
        print(f"{key:{width}s}  {preset.title}: {preset.caption}")
    for key, scene in COMPARE_SCENES.items():
        print(f"{key:{width}s}  [compare: {len(scene.runs)} runs] {scene.title}: {scene.caption}")
    return 0


def cmd_features(args) -> int:
    from ..engine import FEATURES, feature_keys
    for n_inputs, heading in ((1, "1-D inputs x (regression scenes)"),
                              (2, "2-D inputs x₁, x₂ (classification and 2-D regression scenes)")):
        print(f"{heading}:")
        for key in feature_keys(n_inputs):
            print(f"  {key:8s}  {FEATURES[key].name}")
    return 0


# `train` options that override the scene's training settings (TrainingSettings field names)
TRAIN_SETTINGS = ("optimizer", "learning_rate", "batch_size", "l2", "l1", "test_fraction")


def _scene_for_train(args, preset):
    """``preset`` with the command line's network and training settings instead of its own."""
    changes = {name: getattr(args, name) for name in TRAIN_SETTINGS if getattr(args, name) is not None}
    settings = replace(preset.settings, **changes).validated()
    network = {name: getattr(args, name) for name in ("hidden", "activation") if getattr(args, name) is not None}
    if args.features is not None or (network and any(network[k] != getattr(preset, k) for k in network)):
        preset = replace(preset, weights=None, biases=None, **network)  # hand-set weights fit only their network
    return replace(preset, settings=settings)


ONE_RUN_STEPS = 10_000  # `train`'s default for a one-run scene; a compare scene has its own budget


def cmd_train(args) -> int:
    from ..data.compare import CompareScene, RunResult, build_trainer
    from ..data.compare_scenes import get_scene
    scene = get_scene(args.preset)
    if isinstance(scene, CompareScene):
        return _train_compare(args, scene)
    preset = _scene_for_train(args, scene)
    trainer = build_trainer(preset, args.features, args.seed)
    start = time.perf_counter()
    steps = trainer.run(ONE_RUN_STEPS if args.steps is None else args.steps)
    seconds = time.perf_counter() - start
    m = trainer.metrics()
    s = trainer.settings
    network = f"{' → '.join(map(str, trainer.network.layer_sizes))} {trainer.network.activation}"
    result = {
        "preset": preset.key, "steps": steps, "seconds": round(seconds, 3), "seed": trainer.seed,
        "layer_sizes": list(trainer.network.layer_sizes), "activation": trainer.network.activation,
        "features": None if trainer.features is None else list(trainer.features.keys),
        "optimizer": s.optimizer, "learning_rate": s.learning_rate, "batch_size": s.batch_size, "l2": s.l2, "l1": s.l1,
        "test_fraction": s.test_fraction, "n_train": m.n_train, "n_test": m.n_test,
        "train_loss": m.train_loss, "test_loss": m.test_loss,
        "train_accuracy": m.train_accuracy, "test_accuracy": m.test_accuracy,
        "stopped": trainer.blocked_reason,
        "runs": [RunResult.of(preset.title, trainer, steps).as_json()],  # the shape of a compare scene's result
    }
    if args.json:
        print(json.dumps(result))
    else:
        def fmt(v, pct=False):
            return "—" if v is None else (f"{100 * v:.1f}%" if pct else f"{v:.3g}")
        no_test = "" if m.n_test else "   (no points held out: add --test-fraction 0.2)"
        batch = "all points" if s.batch_size is None else f"batches of {s.batch_size}"
        print(f"{preset.key}: {steps} steps in {seconds:.2f} s (seed {trainer.seed})")
        print(f"  network {network}; {s.optimizer} at {s.learning_rate:g}, {batch}, L2 λ {s.l2:g}, L1 λ₁ {s.l1:g}; "
              f"{m.n_train} training and {m.n_test} test points")
        if trainer.features is not None:
            print(f"  features φ(x) = ({', '.join(trainer.features.names)})")
        print(f"  train loss {fmt(m.train_loss)}   test loss {fmt(m.test_loss)}{no_test}")
        if m.train_accuracy is not None:
            print(f"  train accuracy {fmt(m.train_accuracy, True)}   test accuracy {fmt(m.test_accuracy, True)}")
        if trainer.blocked_reason:
            print(f"  stopped: {trainer.blocked_reason}")
    return 1 if trainer.blocked_reason else 0


def _train_compare(args, scene) -> int:
    """Train every run of a compare scene; the options change its base. Exit 0 even when a run diverged:
    in a scene that can be the lecture's point, and each run's ``stopped`` says so."""
    base = _scene_for_train(args, scene.base)
    if args.seed is not None:
        base = replace(base, seed=args.seed)
    features = scene.features if args.features is None else tuple(k.strip() for k in args.features.split(","))
    scene = replace(scene, base=base, features=features)
    start = time.perf_counter()
    results = scene.train(args.steps)
    seconds = time.perf_counter() - start
    runs = [r.as_json() for r in results]
    if args.json:
        print(json.dumps({"preset": scene.key, "title": scene.title, "steps": max(r["steps"] for r in runs),
                          "seconds": round(seconds, 3), "runs": runs}))
        return 0
    print(f"{scene.key}: {scene.title}; {len(runs)} runs in {seconds:.2f} s")
    width = max(len(r["label"]) for r in runs)
    for r in runs:
        loss = "—" if r["train_loss"] is None else f"{r['train_loss']:.3g}"
        line = f"  {r['label']:{width}s}  {r['steps']:>6d} steps  train loss {loss}"
        if r["train_accuracy"] is not None:
            line += f"  accuracy {100 * r['train_accuracy']:.1f}%"
        if r["test_loss"] is not None:
            line += f"  test loss {r['test_loss']:.3g}"
        print(line + ("  (diverged)" if r["stopped"] else ""))
    return 0


def cmd_bench(args) -> int:
    if args.ui and args.compare:
        from .compare_bench import run_compare_bench
        return run_compare_bench(args.compare, json_output=args.json, seconds=args.seconds)
    if args.ui:
        from .ui_bench import run_ui_bench
        return run_ui_bench(json_output=args.json, seconds=args.seconds)
    if args.restarts:
        from .bench import bench_restarts, format_restarts
        result = bench_restarts(args.restarts_preset, n_seeds=args.restarts, steps=args.steps, rounds=args.rounds)
        print(json.dumps(result) if args.json else format_restarts(result))
        return 0
    from .bench import format_table, run_bench
    results = run_bench(rounds=args.rounds)
    print(json.dumps(results) if args.json else format_table(results))
    return 0


def cmd_export(args) -> int:
    from .export import run_export
    return run_export(args)


def cmd_window(args) -> int:
    from ..display_check import check_display
    problem = check_display().message()  # before Qt loads its platform plugin, which would abort
    if problem:
        print(f"playground: error: {problem}", file=sys.stderr)
        return 1
    from .app import run_app
    return run_app(preset=args.preset)
