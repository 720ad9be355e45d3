"""What a typed value may be, wherever it is typed: the window's fields and the command line's options.

One ``Limit`` per setting (its name and its range from ``data.scene``, whole or not) parses typed text and
refuses with one line that names the field, so the window and the command line say the same thing about
the same mistake, and accept exactly what a session file may hold and the engine can train.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import scene


@dataclass(frozen=True)
class Limit:
    name: str
    minimum: float
    maximum: float
    integer: bool = False

    def show(self, value) -> str:
        """Whole numbers as whole numbers (2147483647, never 2.14748e+09)."""
        return str(int(value)) if self.integer else f"{value:g}"

    @property
    def range(self) -> str:
        return f"{self.show(self.minimum)} … {self.show(self.maximum)}"

    def parse(self, text: str):
        """The value ``text`` means, or a ValueError whose message names the field and why it is refused."""
        text = text.strip().replace(",", ".")
        if not text:
            raise ValueError(f"{self.name} needs a value ({self.range})")
        try:
            value = int(text) if self.integer and text.lstrip("+-").isdigit() else float(text)  # ints exactly
        except ValueError:
            raise ValueError(f"{self.name}: {text[:40]!r} is not a number") from None
        if (isinstance(value, float) and not math.isfinite(value)) or not self.minimum <= value <= self.maximum:
            raise ValueError(f"{self.name} must lie between {self.show(self.minimum)} and "
                             f"{self.show(self.maximum)}; got {text[:40]}")
        if self.integer:
            if not float(value).is_integer():
                raise ValueError(f"{self.name} must be a whole number; got {text[:40]}")
            return int(value)
        return value


LEARNING_RATE = Limit("learning rate", *scene.LEARNING_RATE)
BATCH_SIZE = Limit("batch size", 1, scene.MAX_POINTS, integer=True)
L2 = Limit("L2 strength λ", *scene.L2)
L1 = Limit("L1 strength λ₁", *scene.L1)
TEST_FRACTION = Limit("test fraction", *scene.TEST_FRACTION)
SEED = Limit("initialization seed", 0, scene.MAX_SEED, integer=True)


def parse_per_layer(text: str) -> tuple[int, ...]:
    """"8, 4" -> (8, 4): units per hidden layer; a ValueError naming the field for "8,,4", "8, x", 65 units…"""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    if not text.strip() or any(not part.isdigit() for part in parts):
        raise ValueError(f"per-layer units: {text[:40]!r} is not a list of whole numbers like 8, 4 "
                         f"(one number per hidden layer, none empty)")
    hidden = tuple(int(part) for part in parts)
    layers, units = scene.MAX_HIDDEN_LAYERS, scene.MAX_UNITS_PER_LAYER
    if len(hidden) > layers or any(not 1 <= m <= units for m in hidden):
        raise ValueError(f"per-layer units: {text[:40]!r}: up to {layers} hidden layers of 1–{units} units each")
    return hidden
