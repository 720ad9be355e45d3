"""Switching modes (1-D, 2-D classification, 2-D regression):
the scene of the mode not on screen is parked, and switching back finds it as it was.

``SessionModes`` is a mixin of ``Session``: it uses the session's scene, points, link and signals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..data.points import EditHistory
from ..data.scene import MODES, Scene
from ..engine import Network

DEFAULT_PRESET = {key: mode.default_preset for key, mode in MODES.items()}
# What a student chose that switching to the other mode's first scene keeps (the rest is the scene's setup)
STUDENT_CHOICES = ("optimizer", "learning_rate", "momentum")

# What belongs to the student, not to a scene: it stays as set when the mode changes.
KEPT_ACROSS_MODES = ("speed", "current_class", "current_value")


@dataclass(frozen=True)
class ParkedScene:
    """A mode's scene, its points with their undo history, and the weights it had (None: not known yet)."""

    scene: Scene
    edits: EditHistory
    parameters: np.ndarray | None

    def returning_to(self, current: Scene) -> Scene:
        """The parked scene, with what the student set meanwhile in ``current`` (the speed, the class)."""
        return replace(self.scene, **{name: getattr(current, name) for name in KEPT_ACROSS_MODES})


class SessionModes:
    def set_mode(self, mode: str) -> None:
        """Switch to another mode; the scene left behind (points, undo, network, weights) waits for the way back."""
        if mode == self.mode:
            return
        self.pause()
        self._parked[self.mode] = ParkedScene(self.scene, self.edits,
                                              None if self.snapshot is None else self.snapshot.parameters)
        parked = self._parked.pop(mode, None)
        self.scene_replaced.emit()
        if parked is None:
            self._load_keeping_choices(DEFAULT_PRESET[mode])
            return
        self.networks.clear()
        self.scene, self.edits = parked.returning_to(self.scene), parked.edits
        self._rebuild()
        if parked.parameters is not None and parked.parameters.size == Network(self.layer_sizes).parameters.size:
            self.set_parameters(parked.parameters)
        self.caption_changed.emit(self.caption)
        self.points_changed.emit()
        self.settings_changed.emit()

    def _load_keeping_choices(self, key: str) -> None:
        """Load the other mode's first scene, but keep the optimizer and rate the student chose, and say so."""
        mine = {name: getattr(self.settings, name) for name in STUDENT_CHOICES}
        self.load_preset(key)
        theirs = {name: getattr(self.settings, name) for name in STUDENT_CHOICES}
        if mine != theirs and self.update_settings(**mine):
            # short enough to show whole in a 1280 px status bar (the caption names the scene)
            self.message.emit(f"kept your {mine['optimizer']} at η {mine['learning_rate']:g} (this scene's own: "
                              f"{theirs['optimizer']} at {theirs['learning_rate']:g})")
