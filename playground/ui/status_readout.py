"""The status bar's two readouts of a snapshot: where training is (step, epoch, losses, accuracies, rate)
and how fast it goes (steps per second, frames per second)."""

from __future__ import annotations

import time


def _fmt(value, percent=False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.3g}"


def progress_text(snap) -> str:
    """Step, epoch, loss (test loss), accuracy (test accuracy) when there is one, and the learning rate."""
    m = snap.metrics
    text = f"step {snap.step:,}   epoch {snap.epoch:,}   loss {_fmt(m.train_loss)}"
    if m.test_loss is not None:
        text += f" (test {_fmt(m.test_loss)})"
    if m.train_accuracy is not None:
        text += f"   accuracy {_fmt(m.train_accuracy, True)}"
        if m.test_accuracy is not None:
            text += f" (test {_fmt(m.test_accuracy, True)})"
    return text + f"   lr {snap.learning_rate:.3g}"


class RatesReadout:
    """Steps per second (the worker's count) and frames per second (snapshots shown here in the last second)."""

    def __init__(self):
        self._frames: list[float] = []  # times of recent frames

    def text(self, snap) -> str:
        """The readout for ``snap``, counted as one more frame shown now."""
        now = time.perf_counter()
        self._frames = [t for t in self._frames if now - t < 1.0] + [now]
        fps = len(self._frames) - 1 if len(self._frames) > 1 else 0
        return f"{snap.steps_per_second:,.0f} steps/s   {fps} fps"
