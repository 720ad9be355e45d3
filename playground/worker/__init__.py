"""Training off the GUI thread: a Qt-free service that trains and renders snapshots, run in its own process.

The window (``playground.ui.session``) sends small commands down a pipe and receives
immutable snapshots back, at most one in flight, so it always draws the newest state.
"""

from .service import TrainingService, ViewSpec
from .snapshot import Snapshot

__all__ = ["Snapshot", "TrainingService", "ViewSpec"]
