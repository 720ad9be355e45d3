"""``playground bench``: engine training steps per second against a minimal numpy loop, and
(``--restarts``) many seeds trained as one stacked computation against one run after another.

The reference is the smallest honest numpy loop for the same network, data, batches and
plain SGD: forward, backward, and ``W -= lr·dW`` per layer, with none of the trainer's
bookkeeping. Each round times both on the same machine back to back, and the reported
ratio is the median of the per-round ratios, so load from other processes largely cancels.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np

from ..data import get_preset, make_dataset
from ..engine import Network, StackedTrainer, Trainer, TrainingSettings


@dataclass(frozen=True)
class BenchConfig:
    name: str
    layer_sizes: tuple[int, ...]
    activation: str
    loss: str
    batch_size: int
    n_points: int
    dataset: str


CONFIGS = (
    BenchConfig("[1,3,1] tanh mse full batch of 50", (1, 3, 1), "tanh", "mse", 50, 50, "x2"),
    BenchConfig("[2,8,8,2] tanh cross-entropy batch 10 of 500", (2, 8, 8, 2), "tanh", "cross_entropy", 10, 500, "xor"),
    BenchConfig("[2,32,32,3] relu cross-entropy batch 32 of 1000", (2, 32, 32, 3), "relu", "cross_entropy", 32, 1000,
                "blobs"),
)


def _data(config: BenchConfig):
    extra = {"k": 3} if config.dataset == "blobs" else {}
    d = make_dataset(config.dataset, n=config.n_points, seed=0, **extra)
    return d.X, d.y


def make_trainer(config: BenchConfig, lr: float = 0.01) -> Trainer:
    X, y = _data(config)
    network = Network(config.layer_sizes, config.activation, seed=0)
    settings = TrainingSettings(loss=config.loss, optimizer="sgd", learning_rate=lr, batch_size=config.batch_size)
    return Trainer(network, X, y, settings, seed=0)


def reference_loop(config: BenchConfig, lr: float = 0.01):
    """A minimal hand-written numpy SGD loop for ``config``; returns run(n_steps)."""
    X, y = _data(config)
    net = Network(config.layer_sizes, config.activation, seed=0)
    Ws = [W.copy() for W in net.weights]
    bs = [b.copy() for b in net.biases]
    n, B = X.shape[0], config.batch_size
    rng = np.random.default_rng(1)
    relu = config.activation == "relu"
    state = {"cursor": n, "Xe": X, "ye": y}

    def run(n_steps: int) -> None:
        for _ in range(n_steps):
            if state["cursor"] >= n:
                order = rng.permutation(n)
                state["Xe"], state["ye"], state["cursor"] = X[order], y[order], 0
            i = state["cursor"]
            state["cursor"] += B
            xb, yb = state["Xe"][i:i + B], state["ye"][i:i + B]
            hs = [xb]
            for W, b in zip(Ws[:-1], bs[:-1]):
                z = hs[-1] @ W.T + b
                hs.append(np.maximum(z, 0) if relu else np.tanh(z))
            s = hs[-1] @ Ws[-1].T + bs[-1]
            m = s.shape[0]
            if config.loss == "mse":
                d = 2 * (s - yb) / m
            else:
                e = np.exp(s - s.max(axis=1, keepdims=True))
                d = e / e.sum(axis=1, keepdims=True)
                d[np.arange(m), yb] -= 1
                d /= m
            for j in range(len(Ws) - 1, -1, -1):
                dW = d.T @ hs[j]
                db = d.sum(axis=0)
                if j:
                    dh = d @ Ws[j]
                    d = dh * (hs[j] > 0) if relu else dh * (1 - hs[j] ** 2)
                Ws[j] -= lr * dW
                bs[j] -= lr * db
    return run


def _rate(run, n_steps: int) -> float:
    start = time.perf_counter()
    run(n_steps)
    return n_steps / (time.perf_counter() - start)


def bench_config(config: BenchConfig, rounds: int = 7, seconds_per_round: float = 0.25) -> dict:
    trainer = make_trainer(config)
    reference = reference_loop(config)
    engine = trainer.run
    # calibrate the number of steps per round from a short warm-up
    steps = max(50, int(seconds_per_round * _rate(reference, 200)))
    engine_rates, reference_rates = [], []
    for _ in range(rounds):
        engine_rates.append(_rate(engine, steps))
        reference_rates.append(_rate(reference, steps))
    ratios = [e / r for e, r in zip(engine_rates, reference_rates)]
    return {
        "config": config.name,
        "engine_steps_per_s": statistics.median(engine_rates),
        "reference_steps_per_s": statistics.median(reference_rates),
        "ratio": statistics.median(ratios),
        "rounds": rounds,
        "steps_per_round": steps,
    }


def run_bench(rounds: int = 7) -> list[dict]:
    return [bench_config(c, rounds) for c in CONFIGS]


def format_table(results: list[dict]) -> str:
    lines = [f"{'configuration':50s} {'engine steps/s':>15s} {'numpy loop':>12s} {'ratio':>6s}"]
    for r in results:
        lines.append(f"{r['config']:50s} {r['engine_steps_per_s']:15,.0f} {r['reference_steps_per_s']:12,.0f} "
                     f"{r['ratio']:6.2f}")
    lines.append("ratio = median over rounds of engine / reference steps per second (≥ 0.8 is the target)")
    return "\n".join(lines)


# -- restarts: S seeds stacked against S single runs one after another -------------------------

def _restarts_stacked(preset, data, seeds, steps: int) -> StackedTrainer:
    stacked = StackedTrainer(preset.layer_sizes(data), preset.activation, data.X, data.y, preset.settings, seeds)
    stacked.run(steps)
    return stacked


def _restarts_sequential(preset, data, seeds, steps: int) -> list[Trainer]:
    trainers = []
    for seed in seeds:
        trainer = Trainer(Network(preset.layer_sizes(data), preset.activation, seed=seed), data.X, data.y,
                          preset.settings, seed=seed)
        trainer.run(steps)
        trainers.append(trainer)
    return trainers


def bench_restarts(preset_key: str = "bishop-abs", n_seeds: int = 20, steps: int = 1000, rounds: int = 5) -> dict:
    """Seconds for ``n_seeds`` seeds × ``steps`` steps of a preset: stacked vs one single run after another.

    Both sides include building their networks. Each round times both back to back; the ratio is the
    median of the per-round ratios (target ≤ 0.25). ``max_difference`` is the largest parameter difference
    between a stacked seed and its single run (they should agree to ~1e-12).
    """
    preset = get_preset(preset_key)
    data = preset.make_dataset()
    seeds = range(n_seeds)
    stacked_times, sequential_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        stacked = _restarts_stacked(preset, data, seeds, steps)
        stacked_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        singles = _restarts_sequential(preset, data, seeds, steps)
        sequential_times.append(time.perf_counter() - start)
    difference = max(float(np.abs(stacked.network.parameters[row] - single.network.parameters).max())
                     for row, single in enumerate(singles))
    return {
        "preset": preset_key, "seeds": n_seeds, "steps": steps, "rounds": rounds,
        "stacked_s": statistics.median(stacked_times),
        "sequential_s": statistics.median(sequential_times),
        "ratio": statistics.median(s / q for s, q in zip(stacked_times, sequential_times)),
        "max_difference": difference,
    }


def format_restarts(result: dict) -> str:
    r = result
    return "\n".join((
        f"restarts: {r['seeds']} seeds × {r['steps']} steps of {r['preset']}, median of {r['rounds']} rounds",
        f"  stacked            {r['stacked_s']:8.3f} s",
        f"  one after another  {r['sequential_s']:8.3f} s",
        f"  ratio {r['ratio']:.3f} (stacked / one after another, median per round; ≤ 0.25 is the target)",
        f"  largest parameter difference between a stacked seed and its single run: {r['max_difference']:.1e}",
    ))
