"""One fixed 256-colour palette per GIF that keeps the app's own colours exact (numpy only, no Qt).

A GIF holds at most 256 colours. A palette chosen per frame would flicker and defeat the
frame-to-frame compression, and a generic one would shift the class colours a slide talks
about ("the orange class"). So every GIF gets one global palette, fixed at its first frame:

- the exact colours of ``playground.palette`` (points, fit, classes, units), white and black:
  a pixel of exactly one of them keeps it exactly;
- each class colour blended toward white in steps (the decision regions' confidence shading);
- a grey ramp (antialiased text and axes);
- the rest chosen by median cut from the first frame (heatmaps, loss curves, widgets).

Index ``TRANSPARENT`` is never a colour: the writer marks unchanged pixels with it.
Pixels map to the nearest palette colour through a 64×64×64 table, filled in for the table
cells a frame uses as they first appear (a recording uses a few thousand of the 262,144);
a pixel of exactly a key colour is recognised through its cell and keeps that colour.
"""

from __future__ import annotations

import numpy as np

from ..palette import CLASS_COLORS, FIT_RED, POINT_BLUE, UNIT_COLORS

TRANSPARENT = 255          # the index that means "unchanged since the previous frame"
COLOURS = 255              # usable palette entries (0 … 254)
BLEND_STEPS = 9            # class colour → white: t = 0.1 … 0.9 of the way to white
GREY_STEPS = 32
_BITS = 6                  # bits per channel of the lookup table
_SHIFT = 8 - _BITS

KEY_COLOURS = list(dict.fromkeys([(255, 255, 255), (0, 0, 0), POINT_BLUE, FIT_RED, *CLASS_COLORS, *UNIT_COLORS]))


def _fixed_colours() -> np.ndarray:
    """(k, 3) uint8: the key colours, the class blends and the grey ramp, without duplicates."""
    colours = [np.array(KEY_COLOURS, float)]
    t = np.linspace(0.1, 0.9, BLEND_STEPS)[:, None]                      # (BLEND_STEPS, 1)
    for colour in CLASS_COLORS:
        colours.append(np.asarray(colour, float) * (1 - t) + 255.0 * t)
    colours.append(np.repeat(np.linspace(0, 255, GREY_STEPS)[:, None], 3, axis=1))
    fixed = np.rint(np.concatenate(colours)).astype(np.uint8)
    _, first = np.unique(fixed, axis=0, return_index=True)
    return fixed[np.sort(first)]


class GifPalette:
    """A palette (``colours``: (n ≤ 255, 3) uint8) and the map from RGB frames to its indices."""

    def __init__(self, first_frame: np.ndarray):
        """``first_frame``: (h, w, 3) uint8 RGB; its most common other colours fill the free slots."""
        fixed = _fixed_colours()
        free = COLOURS - len(fixed)
        self.colours = np.concatenate([fixed, _median_cut(first_frame, free)])[:COLOURS]
        # (64**3,) the nearest palette entry of each cell; TRANSPARENT (never an answer) = not computed yet
        self._table = np.full(1 << (3 * _BITS), TRANSPARENT, np.uint8)
        # (64**3,) the key colour (0xRRGGBB) that lies in each cell, NO_KEY where none does; key i is entry i
        self._cell_key = np.full(1 << (3 * _BITS), NO_KEY, np.uint32)
        self._cell_key_index = np.zeros(1 << (3 * _BITS), np.uint8)
        keys = np.array(KEY_COLOURS, np.uint32)
        cells = _cell(keys[:, 0], keys[:, 1], keys[:, 2])
        self._cell_key[cells] = keys[:, 0] << 16 | keys[:, 1] << 8 | keys[:, 2]
        self._cell_key_index[cells] = np.arange(len(keys))

    def _learn(self, cells: np.ndarray) -> None:
        """Fill in the nearest palette entry (Euclidean RGB) of each cell's centre."""
        mask = (1 << _BITS) - 1
        levels = np.stack([cells >> (2 * _BITS), cells >> _BITS & mask, cells & mask], -1)
        centres = ((levels << _SHIFT) + (1 << _SHIFT) // 2).astype(np.float32)    # (m, 3)
        palette = self.colours.astype(np.float32)                                # (n, 3)
        squared = (palette ** 2).sum(1)
        for start in range(0, len(cells), 16384):                                 # ≤ 16 MB at a time
            block = centres[start:start + 16384]
            distance = squared[None, :] - 2.0 * block @ palette.T                  # |p|² − 2 c·p (|c|² is common)
            self._table[cells[start:start + 16384]] = distance.argmin(1)

    def indices(self, rgb: np.ndarray) -> np.ndarray:
        """(h, w) uint8 palette indices of the (h, w, 3) uint8 frame; the key colours map exactly."""
        r, g, b = (rgb[..., i].astype(np.uint32) for i in range(3))
        cell = _cell(r, g, b)
        out = self._table[cell]
        unknown = out == TRANSPARENT
        if unknown.any():
            self._learn(np.unique(cell[unknown]))
            out = self._table[cell]
        exact = self._cell_key[cell] == (r << 16 | g << 8 | b)
        out[exact] = self._cell_key_index[cell[exact]]
        return out

    def bytes(self) -> bytes:
        """768 bytes for the GIF's global colour table (the transparent slot is magenta, never drawn)."""
        table = np.zeros((256, 3), np.uint8)
        table[:len(self.colours)] = self.colours
        table[TRANSPARENT] = (255, 0, 255)
        return table.tobytes()


NO_KEY = np.uint32(0xFFFFFFFF)   # no 24-bit colour packs to this


def _cell(r, g, b):
    """The lookup table's cell of uint32 channel values."""
    return (r >> _SHIFT) << (2 * _BITS) | (g >> _SHIFT) << _BITS | (b >> _SHIFT)


# Two key colours in one cell could not both stay exact; the palette's colours are far apart, keep it so.
_key_cells = [int(_cell(*(np.uint32(c) for c in colour))) for colour in KEY_COLOURS]
assert len(set(_key_cells)) == len(_key_cells), "two key colours share a lookup cell: raise _BITS"


def _median_cut(rgb: np.ndarray, count: int) -> np.ndarray:
    """(≤ count, 3) uint8: Pillow's median-cut colours of a subsample of ``rgb``."""
    if count <= 0:
        return np.zeros((0, 3), np.uint8)
    from PIL import Image
    step = max(1, int(np.sqrt(rgb.shape[0] * rgb.shape[1] / 250_000)))   # ~250k pixels are plenty
    sample = Image.fromarray(np.ascontiguousarray(rgb[::step, ::step]), "RGB")
    quantized = sample.quantize(colors=count, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    used = sorted(index for _, index in quantized.getcolors(256))
    return np.array(quantized.getpalette(), np.uint8).reshape(-1, 3)[used]
