"""What a value may be, wherever it is typed: the window's fields and the ``playground train`` options (no Qt).

One ``Limit`` per setting (name, range, whole or not) parses typed text and refuses with one line that names
the field, so the window and the command line say the same thing about the same mistake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_HIDDEN_LAYERS, MAX_UNITS = 6, 64


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
            value = float(text)
        except ValueError:
            raise ValueError(f"{self.name}: {text!r} is not a number") from None
        if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
            raise ValueError(f"{self.name} must lie between {self.show(self.minimum)} and "
                             f"{self.show(self.maximum)}; got {text}")
        if self.integer:
            if not value.is_integer():
                raise ValueError(f"{self.name} must be a whole number; got {text}")
            return int(value)
        return value


LEARNING_RATE = Limit("learning rate", 1e-5, 10.0)
BATCH_SIZE = Limit("batch size", 1, 100_000, integer=True)
L2 = Limit("L2 strength λ", 0.0, 10.0)
TEST_FRACTION = Limit("test fraction", 0.0, 0.9)
SEED = Limit("initialization seed", 0, 2**31 - 1, integer=True)


def parse_per_layer(text: str) -> tuple[int, ...]:
    """"8, 4" -> (8, 4): units per hidden layer; a ValueError naming the field for "8,,4", "8, x", 65 units…"""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    if not text.strip() or any(not part.isdigit() for part in parts):
        raise ValueError(f"per-layer units: {text!r} is not a list of whole numbers like 8, 4 "
                         f"(one number per hidden layer, none empty)")
    hidden = tuple(int(part) for part in parts)
    if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= m <= MAX_UNITS for m in hidden):
        raise ValueError(f"per-layer units: {text!r}: up to {MAX_HIDDEN_LAYERS} hidden layers of 1–{MAX_UNITS} "
                         f"units each")
    return hidden
