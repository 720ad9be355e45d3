"""Training off the GUI thread: a Qt-free service that trains and renders snapshots, run in its own process.

The window (``playground.ui.session``) talks to it through one ``WorkerLink`` (``link.py``): typed
commands down (``protocol.py``), snapshots up, flow control in one number (``protocol.MAX_IN_FLIGHT``),
and nothing on the window's side ever blocks in a pipe.
"""

from .link import WorkerLink
from .process import WorkerProcess, WorkerThread
from .protocol import ViewSpec
from .service import TrainingService
from .snapshot import Snapshot

__all__ = ["Snapshot", "TrainingService", "ViewSpec", "WorkerLink", "WorkerProcess", "WorkerThread"]
