"""What the window and the training service say to each other: small frozen dataclasses, nothing else.

Commands go down (the window to the service) and change what the service does; each carries the
sequence number ``seq`` the link gave it, and every snapshot says the highest ``seq`` it reflects, so
the window knows when what it shows is up to date. Control messages (``Ack``, ``GetState``, ``Quit``)
go down too but change nothing the window draws. Replies come up: snapshots, errors, state answers,
checkpoints and heartbeats.

Flow control lives here, in one number: the service sends a snapshot only while fewer than
``MAX_IN_FLIGHT`` of its snapshots have not been taken by the window (acknowledged), so it renders the
next frame while the window draws this one, and nothing queues up behind a busy window.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..engine import TrainingSettings

MAX_IN_FLIGHT = 4           # snapshots sent but not yet taken by the window: frames per second × the time a
                            # snapshot takes to go up and its Ack to come back; on a busy machine that round trip
                            # (four threads in two processes to wake) reached ~100 ms, so 2 held compare mode's
                            # runs to ~20 snapshots/s (measured: 4 runs at load ~9, 15-21 -> 25-28 panel frames/s)
HEARTBEAT_SECONDS = 0.5     # the service says it is alive at least this often, busy or idle
CHECKPOINT_SECONDS = 1.0    # the service sends its full trainer state at most this often while it changes


@dataclass(frozen=True)
class ViewSpec:
    """What the window shows: the 1-D x range or the 2-D extent (x0, x1, y0, y1) to evaluate on."""

    x_range: tuple[float, float] = (-1.25, 1.25)
    extent: tuple[float, float, float, float] = (-1.5, 1.5, -1.5, 1.5)
    # Every hidden unit's map in each 2-D snapshot (the unit heatmaps view): True, False (compare mode's panels show
    # only the regions, and (m, G, G) maps per frame were ~95% of a snapshot's bytes), None: as the last view said.
    unit_maps: bool | None = None

    def following(self, previous: ViewSpec) -> ViewSpec:
        """This view with what it leaves open (None) as ``previous`` had it; unit maps are sent unless told not."""
        unit_maps = self.unit_maps if self.unit_maps is not None else previous.unit_maps
        return replace(self, unit_maps=True if unit_maps is None else unit_maps)


# -- commands (counted: each has a seq) ------------------------------------------------------------
@dataclass(frozen=True)
class Command:
    seq: int = field(default=0, kw_only=True)  # set by the link when it sends the command


@dataclass(frozen=True)
class Build(Command):
    """A new network and trainer on the points X (n, d), y; the first layer sees φ(X) for the feature keys
    ``features`` (``engine.features``), or X itself when None."""

    layer_sizes: tuple[int, ...]
    activation: str
    seed: int
    settings: TrainingSettings
    X: np.ndarray
    y: np.ndarray
    features: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SetData(Command):
    """The user's points changed; the weights are kept (the output layer widens for a new class)."""

    X: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Configure(Command):
    """Training settings changed live (``TrainingSettings`` field → value); the weights are kept."""

    changes: dict


@dataclass(frozen=True)
class Reset(Command):
    seed: int


@dataclass(frozen=True)
class SetParameters(Command):
    flat: np.ndarray  # (P,) the network's flat parameter vector


@dataclass(frozen=True)
class RestartSchedule(Command):
    """The learning-rate schedule starts again from the base rate at this step; the weights are kept."""


@dataclass(frozen=True)
class Play(Command):
    pass


@dataclass(frozen=True)
class Pause(Command):
    pass


@dataclass(frozen=True)
class Step(Command):
    n: int = 1


@dataclass(frozen=True)
class Speed(Command):
    steps_per_second: float | None  # None: full speed


@dataclass(frozen=True)
class View(Command):
    spec: ViewSpec


@dataclass(frozen=True)
class Restore(Command):
    """Continue exactly from a saved ``{"trainer": Trainer.state(), "curves": ...}`` after a matching Build."""

    state: dict


@dataclass(frozen=True)
class Resume(Command):
    """Continue as closely as possible from a checkpoint after a restart: weights, step, epoch and curves
    always; the optimizer's state when it fits the current settings (a lenient ``Restore``)."""

    state: dict


# -- control (not counted) ----------------------------------------------------------------------
@dataclass(frozen=True)
class Ack:
    """The window took ``count`` snapshots."""

    count: int = 1


@dataclass(frozen=True)
class GetState:
    """Ask for the full trainer state after every command before this one (answered by ``StateReply``)."""

    request: int


@dataclass(frozen=True)
class Quit:
    pass


# -- replies ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Error:
    text: str


@dataclass(frozen=True)
class StateReply:
    request: int
    state: dict | None   # {"trainer": ..., "curves": ...}
    error: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    """The full state as of command ``seq``: what a restarted service continues from."""

    seq: int
    state: dict


@dataclass(frozen=True)
class Heartbeat:
    pass
