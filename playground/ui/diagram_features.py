"""The diagram's input column as TensorFlow Playground's: every feature φⱼ(x) of the mode, each a tile with its
picture over the input range; the ones fed to the first layer are linked, the others pale. A click on a tile
toggles that feature (``Session.set_features``: the network is rebuilt, Ctrl+Z brings the old one back).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..engine.features import FEATURES, RAW_KEYS, FeatureMap, feature_keys
from ..notation import sub
from .diagram_pictures import Curves, Maps, feature_curves
from .unit_colors import colorize


@dataclass(frozen=True)
class InputColumn:
    """The input column of a network whose points are ``n_inputs``-D and whose first layer reads ``active``."""

    candidates: FeatureMap         # every feature of the mode, in display order: one tile each
    active: tuple[str, ...]        # the keys fed to the first layer, in the network's input order
    chosen: bool                   # features were chosen (φ names), not the raw inputs

    @classmethod
    def of(cls, features: tuple[str, ...] | None, n_inputs: int) -> InputColumn:
        active = tuple(features) if features is not None else RAW_KEYS[n_inputs]
        return cls(FeatureMap(feature_keys(n_inputs), n_inputs), active, features is not None)

    @property
    def slots(self) -> list[int]:
        """The tile of each network input: input i is drawn at tile slots[i]."""
        return [self.candidates.keys.index(key) for key in self.active]

    @property
    def short_names(self) -> list[str]:
        """Each tile's feature as written on it: x₁, x₁², sin(πx₁)…"""
        return [FEATURES[key].name for key in self.candidates.keys]

    def name(self, tile: int) -> str:
        """A tile's name: φⱼ = formula for a chosen feature, x₁ for a raw input, the formula for one not fed."""
        key = self.candidates.keys[tile]
        if key not in self.active:
            return f"{FEATURES[key].name} (not fed to the network)"
        i = self.active.index(key)
        return f"φ{sub(i + 1)} = {FEATURES[key].name}" if self.chosen else FEATURES[key].name

    def tooltip(self, tile: int) -> str:
        fed = self.candidates.keys[tile] in self.active
        return (f"input {self.name(tile)}\nclick to {'stop feeding it to' if fed else 'feed it to'} the first layer "
                "(re-initializes the network; Ctrl+Z brings it back)")

    def toggled(self, tile: int) -> tuple[str, ...] | None:
        """The feature keys with tile's feature switched (display order); None if it is the last one on."""
        key = self.candidates.keys[tile]
        keys = set(self.active) ^ {key}
        if not keys:
            return None
        return tuple(k for k in self.candidates.keys if k in keys)

    def pictures(self, pictures: Curves | Maps, extent: tuple[float, float, float, float]) -> Curves | Maps:
        """``pictures`` with column 0 holding every candidate feature's picture (over x in 1-D, the plane in 2-D)."""
        phi = self.candidates
        if isinstance(pictures, Curves):
            values, low, high = feature_curves(phi, pictures.xs)
            return replace(pictures, values=[values, *pictures.values[1:]], low=[low, *pictures.low[1:]],
                           high=[high, *pictures.high[1:]])
        side = pictures.side
        x0, x1, y0, y1 = extent
        gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))
        inputs = phi(np.column_stack([gx.ravel(), gy.ravel()])).T.reshape(-1, side, side).astype(np.float32)
        rgba = np.ascontiguousarray(colorize(inputs, "linear")[:, ::-1])  # row 0 = top of the tile
        return replace(pictures, rgba=[rgba, *pictures.rgba[1:]])
