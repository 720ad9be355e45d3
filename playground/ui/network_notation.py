"""Names of a network's units and parameters as the lecture writes them (plain text, no Qt).

Layers are numbered as in the hidden-space view: 0 is the input, j = 1…L hidden layer j, L + 1
the output; weight layer j (``network.weights[j]``) reads layer j and feeds layer j + 1.

- One hidden layer, the slide's notation: hᵢ(x) = σ(vᵢᵀx + bᵢ) and f(x) = Σᵢ wᵢhᵢ(x) + w₀,
  so hidden weights vᵢ (vᵢₖ: the weight of input k when there are several), hidden biases bᵢ,
  output weights wᵢ and the output bias w₀ (with several outputs wⱼᵢ and wⱼ₀ for output j).
- No hidden layer, the ridge-regression and perceptron slides: ŷ = Σₖ wₖxₖ + b.
- Deeper networks, the layered notation h⁽ʲ⁾ = σ(W⁽ʲ⁾o + b⁽ʲ⁾) with entries w⁽ʲ⁾ᵢₖ and b⁽ʲ⁾ᵢ.
- With a feature map the first layer reads φ(x): its inputs are φⱼ and every x above becomes φ.
"""

from __future__ import annotations

from ..notation import sub, sup

ANY_INPUT = "ₖ"   # the index of "every input k" in a formula such as ∂J/∂vᵢₖ = ∂J/∂zᵢ·xₖ


def _index(i: int | str) -> str:
    return i if isinstance(i, str) else sub(i + 1)


class NetworkNotation:
    """The names for a network with ``layer_sizes`` [d, m₁, …, m_L, k]; ``classification``: outputs are scores s."""

    def __init__(self, layer_sizes, classification: bool, features: bool = False):
        self.sizes = tuple(int(s) for s in layer_sizes)
        self.input = "φ" if features else "x"  # what the first layer reads
        self.classification = classification
        self.n_hidden = len(self.sizes) - 2
        self.slide = self.n_hidden == 1   # the slide's vᵢ, bᵢ, wᵢ, w₀

    # -- units ------------------------------------------------------------------------------
    def unit(self, layer: int, i: int | str) -> str:
        """x (or xₖ, φₖ) for the input, h₂ (one hidden layer) or h⁽²⁾₁ (several), ŷ or s₁ for the output."""
        if layer == 0:
            return self.input if self.sizes[0] == 1 else f"{self.input}{_index(i)}"
        if layer == self.n_hidden + 1:
            return self.output(i)
        return f"h⁽{sup(layer)}⁾{_index(i)}" if self.n_hidden > 1 else f"h{_index(i)}"

    def pre(self, layer: int, i: int | str) -> str:
        """The pre-activation of unit i of hidden ``layer``: z₂, or z⁽²⁾₁ with several hidden layers."""
        return f"z⁽{sup(layer)}⁾{_index(i)}" if self.n_hidden > 1 else f"z{_index(i)}"

    def output(self, i: int | str) -> str:
        if self.classification:
            return f"s{_index(i)}"
        return "ŷ" if self.sizes[-1] == 1 else f"ŷ{_index(i)}"

    # -- parameters -------------------------------------------------------------------------
    def weight(self, j: int, row: int, col: int | str) -> str:
        """The weight network.weights[j][row, col]; ``col`` = ANY_INPUT names a generic input k."""
        rows, cols = self.sizes[j + 1], self.sizes[j]
        out = sub(row + 1) if rows > 1 else ""
        if self.slide and j == 0:
            return f"v{sub(row + 1)}" + ("" if cols == 1 else _index(col))
        if self.slide:
            return f"w{out}{_index(col)}"
        if self.n_hidden == 0:
            return f"w{out}" + ("" if cols == 1 else _index(col))
        return f"w⁽{sup(j + 1)}⁾{sub(row + 1)}{_index(col)}"

    def bias(self, j: int, row: int) -> str:
        """The bias network.biases[j][row]: bᵢ and w₀ on the slide, b with no hidden layer, b⁽ʲ⁾ᵢ deeper."""
        out = sub(row + 1) if self.sizes[j + 1] > 1 else ""
        if self.slide:
            return f"b{sub(row + 1)}" if j == 0 else f"w{out}₀"
        if self.n_hidden == 0:
            return f"b{out}"
        return f"b⁽{sup(j + 1)}⁾{sub(row + 1)}"

    # -- formulas ---------------------------------------------------------------------------
    def layer_formula(self, j: int) -> str:
        """What weight layer j computes, for a column header: 'zᵢ = vᵢᵀx + bᵢ', 'ŷ = Σᵢ wᵢhᵢ + w₀', …"""
        last = j == self.n_hidden
        if self.slide:
            if not last:
                v = f"vᵢ{self.input}" if self.sizes[0] == 1 else f"vᵢᵀ{self.input}"
                return f"zᵢ = {v} + bᵢ"
            if self.sizes[-1] == 1 and not self.classification:
                return "ŷ = Σᵢ wᵢhᵢ + w₀"
            return f"{self.output('ⱼ')} = Σᵢ wⱼᵢhᵢ + wⱼ₀"
        if self.n_hidden == 0:
            if self.sizes[-1] == 1 and not self.classification:
                return f"ŷ = w{self.input} + b" if self.sizes[0] == 1 else f"ŷ = Σₖ wₖ{self.input}ₖ + b"
            return f"{self.output('ⱼ')} = Σₖ wⱼₖ{self.input}ₖ + bⱼ"
        tag = f"⁽{sup(j + 1)}⁾"
        source = self.input if j == 0 else f"h⁽{sup(j)}⁾"
        target = self.output("") if last else f"z{tag}"
        return f"{target} = W{tag}{source} + b{tag}"

    def activation_formula(self, layer: int, activation: str) -> str:
        """'hᵢ = tanh(zᵢ)' (one hidden layer) or 'h⁽²⁾ = tanh(z⁽²⁾)'."""
        if self.n_hidden > 1:
            return f"h⁽{sup(layer)}⁾ = {activation}(z⁽{sup(layer)}⁾)"
        return f"hᵢ = {activation}(zᵢ)"

    def model_formula(self) -> str:
        """The model in one line for a one-hidden-layer network (the slide's), '' otherwise."""
        if not self.slide:
            return ""
        phi = "" if self.input == "x" else "φ(x)"  # hᵢ(x) = σ(vᵢᵀφ(x) + bᵢ)
        v = f"vᵢ{phi or 'x'}" if self.sizes[0] == 1 else f"vᵢᵀ{phi or 'x'}"
        if self.sizes[-1] == 1 and not self.classification:
            return f"hᵢ(x) = σ({v} + bᵢ),  f(x) = Σᵢ wᵢhᵢ(x) + w₀"
        return f"hᵢ(x) = σ({v} + bᵢ),  {self.output('ⱼ')}(x) = Σᵢ wⱼᵢhᵢ(x) + wⱼ₀"
