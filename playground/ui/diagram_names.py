"""What the parts of a drawn network diagram are called, and which parameter each one is.

A unit's name ("φ₃ = x₁²", "h₂ of layer 1", "f(x)", "score s₁"), a link's source and target, the flat index of a
link's weight or a unit's bias in the network's (P,) parameter vector and that parameter's name, and the tooltip
for what is under the mouse. Pure text and numbers about one built diagram: ``network_diagram.py`` draws and edits.
"""
from __future__ import annotations

import numpy as np

from ..engine import ParameterVector
from ..notation import sub
from .diagram_canvas import Hit
from .diagram_features import InputColumn


def fmt(value: float) -> str:
    return f"{value:.4g}"


class DiagramNames:
    """The names and parameter positions of a diagram built for ``layer_sizes`` (1-D when ``one_d``), whose input
    column is ``inputs``."""

    def __init__(self, layer_sizes, one_d: bool, inputs: InputColumn):
        self.layer_sizes, self.one_d, self.inputs = tuple(layer_sizes), one_d, inputs
        # the parameter layout, filled with each entry's own flat index
        self._positions = positions = ParameterVector(self.layer_sizes)
        positions.flat[...] = np.arange(positions.flat.size)

    def unit(self, column: int, unit: int) -> str:
        last = len(self.layer_sizes) - 1
        if column == 0:  # a tile of the input column
            return self.inputs.name(unit)
        if column == last:
            if self.one_d or self.layer_sizes[-1] == 1:  # regression: one output, the fit
                return "f(x)" if self.one_d else "output ŷ(x₁, x₂)"
            return f"score s{sub(unit + 1)}"
        return f"h{sub(unit + 1)} of layer {column}"

    def link(self, j: int, o: int, i: int) -> tuple[str, str]:
        """The names of a link's source and target (input i of weight layer 0 is drawn at tile slots[i])."""
        source = self.unit(0, self.inputs.slots[i]) if j == 0 else self.unit(j, i)
        return source, self.unit(j + 1, o)

    def index(self, hit: Hit) -> int | None:
        """The flat index of a link's weight or a unit's bias (None for an input unit)."""
        if hit.kind == "link":
            return int(self._positions.weights[hit.a][hit.b, hit.c])
        if hit.kind == "unit" and hit.a > 0:
            return int(self._positions.biases[hit.a - 1][hit.b])
        return None

    def parameter(self, index: int) -> str:
        """What parameter ``index`` is, for the field that edits it: "w (x₁² → f(x))" or "b of h₂ of layer 1"."""
        for j, (W, b) in enumerate(zip(self._positions.weights, self._positions.biases)):
            found = np.argwhere(index == W)
            if found.size:
                source, target = self.link(j, *map(int, found[0]))
                return f"w ({source} → {target})"
            found = np.flatnonzero(b == index)
            if found.size:
                return f"b of {self.unit(j + 1, int(found[0]))}"
        return ""

    def describe(self, hit: Hit, flat: np.ndarray, gradient: float | None) -> str:
        """The tooltip for ``hit`` with the parameters ``flat`` (P,) drawn; ``gradient``: a link's ∂J/∂w, if known."""
        if hit.kind == "button":
            layer = f"layer {hit.a}"
            return f"add a unit to {layer}" if hit.b > 0 else f"remove the last unit of {layer}"
        if hit.kind == "unit":
            if hit.a == 0:
                return self.inputs.tooltip(hit.b)
            bias = flat[self.index(hit)]
            return f"{self.unit(hit.a, hit.b)}: bias b = {fmt(bias)}\nclick to type its bias"
        w = flat[self.index(hit)]
        source, target = self.link(hit.a, hit.b, hit.c)
        text = f"w = {fmt(w)}   ({source} → {target})"
        if gradient is not None:
            text += f"\n∂J/∂w = {fmt(gradient)}   (over all training points)"
        return text + "\nclick to type a value, drag up or down to change it"
