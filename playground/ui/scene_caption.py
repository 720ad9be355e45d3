"""The caption over the plots says only what is true: a scene's words describe the scene as it was loaded, so
once the points or the network on screen differ from it, the caption says so and names what is on screen.

    "XOR of the signs — Class 2 (orange) where … 4 tanh hidden units. [The scene's original setup; on screen:
    your points (37 points, 3 classes); network 2 → 4 → 3 tanh]"
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..data import get_preset
from ..data.points import PointSet

ORIGINAL = " [The scene's original setup; on screen: "
_OLD_MARKER = " [your network:"  # written by earlier versions into session files


def scene_words(caption: str) -> str:
    """The caption without any note about what differs on screen."""
    return caption.split(ORIGINAL)[0].split(_OLD_MARKER)[0]


@lru_cache(maxsize=4)
def _scene_points(key: str) -> PointSet:
    data = get_preset(key).make_dataset()
    return PointSet(data.X, data.y)


def differences(preset_key: str | None, points: PointSet, hidden, activation: str, layer_sizes,
                features: tuple[str, ...] = ()) -> list[str]:
    """What on screen differs from the scene ``preset_key`` as loaded, in words; [] when nothing or no scene."""
    try:
        preset = get_preset(preset_key)
    except ValueError:  # drawn by hand, or a file from a scene this version does not have
        return []
    found = []
    scene = _scene_points(preset_key)
    if points.X.shape != scene.X.shape or not (np.array_equal(points.X, scene.X) and np.array_equal(points.y, scene.y)):
        if points.X.shape[1] == 2 and len(points):
            classes = len(np.unique(points.y))
            found.append(f"your points ({len(points)} points, {classes} class{'es' if classes != 1 else ''})")
        else:
            found.append(f"your points ({len(points)})")
    if (tuple(hidden), activation) != (tuple(preset.hidden), preset.activation) or \
            layer_sizes[-1] != preset.layer_sizes(preset.make_dataset())[-1]:
        found.append(f"network {' → '.join(map(str, layer_sizes))} {activation}")
    if features:  # no scene chooses features: any are the student's
        found.append(f"features φ(x) = ({', '.join(features)})")
    return found


def caption_for(caption: str, preset_key: str | None, points: PointSet, hidden, activation: str,
                layer_sizes, features: tuple[str, ...] = ()) -> str:
    """``caption``'s scene words, with a note naming what on screen differs from that scene (``features``:
    the display names of φ's features, () for the raw inputs)."""
    words = scene_words(caption)
    found = differences(preset_key, points, hidden, activation, layer_sizes, features)
    return f"{words}{ORIGINAL}{'; '.join(found)}]" if found and words else words
