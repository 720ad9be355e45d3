"""The scene of the mode not on screen: switching 1-D ↔ 2-D parks it, and switching back finds it as it was."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..data.points import EditHistory
from ..data.scene import Scene

# What belongs to the student, not to a scene: it stays as set when the mode changes.
KEPT_ACROSS_MODES = ("speed", "current_class")


@dataclass(frozen=True)
class ParkedScene:
    """A mode's scene, its points with their undo history, and the weights it had (None: not known yet)."""

    scene: Scene
    edits: EditHistory
    parameters: np.ndarray | None

    def returning_to(self, current: Scene) -> Scene:
        """The parked scene, with what the student set meanwhile in ``current`` (the speed, the class)."""
        return replace(self.scene, **{name: getattr(current, name) for name in KEPT_ACROSS_MODES})
