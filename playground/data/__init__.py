"""Datasets, lecture presets, drawn points, session files and points CSV: numpy and the standard library only."""

from .datasets import DATASETS, Dataset, make_dataset
from .presets import PRESETS, Preset, get_preset

__all__ = ["DATASETS", "Dataset", "PRESETS", "Preset", "get_preset", "make_dataset"]
