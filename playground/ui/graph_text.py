"""The words and numbers of a ``ComputationGraph`` for the inspector: node and parameter names in the
lecture's notation, each node's forward and backward computation written out with its numbers
(plain text, no Qt).
"""

from __future__ import annotations

import numpy as np

from ..engine.graph import ComputationGraph
from ..notation import fmt, signed, sub
from .network_notation import ANY_INPUT, NetworkNotation

MAX_TERMS_WRITTEN = 4   # a sum with more terms than this is written Σ…, not term by term


class GraphText:
    """Names and computations of one graph ``g``; the names follow ``NetworkNotation``."""

    def __init__(self, graph: ComputationGraph):
        self.g = graph
        self.names = NetworkNotation(graph.layer_sizes, graph.classification, graph.features is not None)
        self.labels = {n.key: self._node_label(n) for n in graph.nodes}

    # -- names ------------------------------------------------------------------------------
    def _node_label(self, n) -> str:
        g, names = self.g, self.names
        k = g.layer_sizes[-1]
        if n.kind == "input":
            if g.features is None:
                return names.unit(0, n.unit)
            return "x" if g.n_inputs == 1 else f"x{sub(n.unit + 1)}"  # the raw point, before φ
        if n.kind == "feature":
            return names.unit(0, n.unit)
        if n.kind == "target":
            return "y" if k == 1 else f"y{sub(n.unit + 1)}"
        if n.kind == "pre":
            return names.pre(n.layer + 1, n.unit)
        if n.kind == "act":
            return names.unit(n.layer + 1, n.unit)
        if n.kind == "score":
            return names.output(n.unit)
        if n.kind == "residual":
            return "r" if k == 1 else f"r{sub(n.unit + 1)}"
        if n.kind == "softmax":
            return f"p{sub(g.y + 1)}"
        return {"loss": "ℓ", "reg": "R", "objective": "J"}[n.kind]

    def label(self, key: str) -> str:
        return self.labels[key]

    def feature_formula(self, key: str) -> str:
        """What a feature node computes from x, in the lecture's notation: 'x₁²', 'sin(πx₂)', …"""
        return self.g.features.names[self.g.node[key].unit]

    def parameter_label(self, index: int) -> str:
        p = self.g.parameters[index]
        return self.names.weight(p.layer, p.row, p.col) if p.kind == "weight" else self.names.bias(p.layer, p.row)

    def describe_parameter(self, index: int) -> str:
        """'v₁₂: x₂ → z₁' or 'b₁: bias of z₁' for the inspector's tables."""
        p = self.g.parameters[index]
        if p.kind == "weight":
            return f"{self.parameter_label(index)}: {self.label(p.source)} → {self.label(p.node)}"
        return f"{self.parameter_label(index)}: bias of {self.label(p.node)}"

    def header(self, column: int) -> str:
        """The title over a column of the drawing: what its nodes compute."""
        g = self.g
        nodes = [n for n in g.nodes if n.column == column]
        kinds = {n.kind for n in nodes}
        layer = next((n.layer for n in nodes if n.layer is not None), None)
        if "input" in kinds:
            return "input"
        if "feature" in kinds:
            return "features φ(x)"
        if "pre" in kinds:
            return self.names.layer_formula(layer)
        if "act" in kinds:
            return self.names.activation_formula(layer + 1, g.activation)
        if "score" in kinds:
            return ("scores " if g.classification else "prediction ") + self.names.layer_formula(layer)
        if "softmax" in kinds:
            return "softmax"
        if "residual" in kinds:
            return "residual r = y − ŷ"
        if "loss" in kinds:
            return "loss ℓ" + (f"  and  R = {self.penalty}" if g.regularized else "")
        if "objective" in kinds:
            return "objective"
        return ""

    # -- forward ----------------------------------------------------------------------------
    def forward_text(self, key: str) -> str:
        """The node's forward computation with the numbers in it."""
        g, n, v = self.g, self.g.node[key], self.g.values
        lab = self.label(key)
        if n.kind == "input":
            return f"{lab} = {fmt(v[key])}   (the point's input)"
        if n.kind == "feature":
            return f"{lab} = {self.feature_formula(key)} = {fmt(v[key])}   (a feature of the point)"
        if n.kind == "target":
            return f"{lab} = {fmt(v[key])}   (the point's target)"
        if n.kind in ("pre", "score"):
            return self._affine_text(key)
        if n.kind == "act":
            z = n.parents[0]
            return f"{lab} = {g.activation}({self.label(z)}) = {g.activation}({fmt(v[z])}) = {fmt(v[key])}"
        if n.kind == "residual":
            y, s = n.parents
            return f"{lab} = {self.label(y)} − {self.label(s)} = {fmt(v[y])} − {signed(v[s])} = {fmt(v[key])}"
        if n.kind == "softmax":
            probs = ", ".join(f"p{sub(i + 1)} = {fmt(p)}" for i, p in enumerate(g.probabilities))
            return (f"{lab} = softmax(s){sub(g.y + 1)} = e^s{sub(g.y + 1)} / Σ e^sᵢ = {fmt(v[key])}"
                    f"   (true class {g.y + 1}; {probs})")
        if n.kind == "loss":
            if g.classification:
                return f"ℓ = −log {self.label('p')} = −log {fmt(v['p'])} = {fmt(v[key])}"
            rs = list(n.parents)
            if len(rs) == 1:
                return f"ℓ = r² = {signed(v[rs[0]])}² = {fmt(v[key])}"
            return f"ℓ = Σ r² = {' + '.join(signed(v[r]) + '²' for r in rs)} = {fmt(v[key])}"
        if n.kind == "reg":
            numbers = " + ".join(([f"{fmt(g.l2)} · {fmt(g.weight_sum_of_squares)}"] if g.l2 > 0 else [])
                                 + ([f"{fmt(g.l1)} · {fmt(g.weight_sum_of_magnitudes)}"] if g.l1 > 0 else []))
            return f"R = {self.penalty} = {numbers} = {fmt(v[key])}   (biases not penalized)"
        if n.kind == "objective":
            return f"J = ℓ + R = {fmt(v['loss'])} + {fmt(v['R'])} = {fmt(v[key])}"
        raise ValueError(key)

    def _affine_text(self, key: str) -> str:
        """z = Σ w·o + b (or ŷ = …) with its numbers; Σ… when there are many terms."""
        g, v = self.g, self.g.values
        bias, weights = g.bias_of(key), g.weights_into(key)
        b_label = self.parameter_label(bias.index)
        if len(weights) > MAX_TERMS_WRITTEN:
            p = weights[0]
            symbolic = (f"Σₖ {self.names.weight(p.layer, p.row, ANY_INPUT)}·"
                        f"{self.names.unit(p.layer, ANY_INPUT)} + {b_label}")
            numbers = f"{len(weights)} products + {signed(g.flat[bias.index])}"
        else:
            symbolic = " + ".join(f"{self.parameter_label(p.index)}·{self.label(p.source)}" for p in weights)
            symbolic += f" + {b_label}"
            numbers = " + ".join(f"{signed(g.flat[p.index])}·{signed(v[p.source])}" for p in weights)
            numbers += f" + {signed(g.flat[bias.index])}"
        return f"{self.label(key)} = {symbolic} = {numbers} = {fmt(v[key])}"

    # -- backward ---------------------------------------------------------------------------
    @property
    def penalty(self) -> str:
        """R in symbols: λΣw², λ₁Σ|w| or both, whichever the trainer adds."""
        g = self.g
        return " + ".join((["λΣw²"] if g.l2 > 0 else []) + (["λ₁Σ|w|"] if g.l1 > 0 else []))

    def _penalty_gradient(self, w: str, numbers: bool = False) -> str:
        """∂R/∂w in symbols (2λw + λ₁·sign(w)); with ``numbers`` the factors filled in."""
        g = self.g
        l2, l1 = (f"{fmt(2 * g.l2)}·", f"{fmt(g.l1)}·") if numbers else ("2λ", "λ₁·")
        return " + ".join(([f"{l2}{w}"] if g.l2 > 0 else []) + ([f"{l1}sign({w})"] if g.l1 > 0 else []))

    def _d(self, key: str) -> str:
        return f"∂J/∂{self.label(key)}"

    def sum_text(self, key: str) -> str:
        """The right-hand side summed over children, e.g. '0.12 + (−0.3) = −0.18' (just the value for one child)."""
        g = self.g
        shares = g.terms.get(key, [])
        if len(shares) <= 1:
            return fmt(g.grads[key])
        return " + ".join(signed(t.value) for t in shares) + f" = {fmt(g.grads[key])}"

    def backward_text(self, key: str) -> str:
        """∂J/∂node as the lecture writes it: the sum over children of upstream × local, with numbers."""
        g, n = self.g, self.g.node[key]
        if key == g.root:
            if n.kind == "loss":
                return "∂J/∂ℓ = 1   (λ = 0, so the objective J is the loss ℓ)"
            return "∂J/∂J = 1"
        shares = g.terms[key]
        lab = self.label(key)
        parts = [f"{self._d(t.child)}·∂{self.label(t.child)}/∂{lab}" for t in shares]
        numbers = " + ".join(f"{signed(t.upstream)}·{signed(t.local)}" for t in shares)
        many = len(shares) > MAX_TERMS_WRITTEN
        if many:
            parts = [f"Σ over {len(shares)} children of ∂J/∂child·∂child/∂{lab}"]
            numbers = " + ".join(signed(t.value) for t in shares[:3]) + " + …"
        text = f"{self._d(key)} = {' + '.join(parts)} = {numbers} = {fmt(g.grads[key]) if many else self.sum_text(key)}"
        if n.kind == "reg":
            text += f";  R adds ∂R/∂w = {self._penalty_gradient('w', numbers=True)} to every weight's gradient"
        if n.kind in ("pre", "score"):
            text += ";  so " + self._parameter_rule(key)
        return text

    def _parameter_rule(self, key: str) -> str:
        """'∂J/∂b₁ = 0.3 and ∂J/∂v₁ₖ = ∂J/∂z₁·xₖ (+ 2λv₁ₖ)': the parameters read off a pre / score node."""
        g = self.g
        bias, weights = g.bias_of(key), g.weights_into(key)
        if len(weights) == 1:
            w, source = self.parameter_label(weights[0].index), self.label(weights[0].source)
        else:
            p = weights[0]
            w, source = self.names.weight(p.layer, p.row, ANY_INPUT), self.names.unit(p.layer, ANY_INPUT)
        text = f"∂J/∂{self.parameter_label(bias.index)} = {fmt(g.grads[key])} and ∂J/∂{w} = {self._d(key)}·{source}"
        return text + (f" + {self._penalty_gradient(w)}" if g.regularized else "")

    def parameter_text(self, index: int) -> str:
        """∂J/∂θ of one parameter: the rule, the same terms with numbers, their values, the result.

        A weight with λ > 0: ∂J/∂w = ∂J/∂z·o + 2λw = (upstream)·(o) + 2·λ·(w) = data + reg = total.
        """
        g, p = self.g, self.g.parameters[index]
        label, upstream = self.parameter_label(index), self._d(p.node)
        if p.kind == "bias":
            return f"∂J/∂{label} = {upstream} = {fmt(g.param_grads[index])}"
        symbolic = f"{upstream}·{self.label(p.source)}"
        numbers = f"{signed(g.grads[p.node])}·{signed(g.values[p.source])}"
        text = f"∂J/∂{label} = {symbolic}"
        if g.regularized:
            w = g.flat[index]
            reg_numbers = " + ".join(([f"2·{fmt(g.l2)}·{signed(w)}"] if g.l2 > 0 else [])
                                     + ([f"{fmt(g.l1)}·{signed(np.sign(w))}"] if g.l1 > 0 else []))
            text += f" + {self._penalty_gradient(label)} = {numbers} + {reg_numbers}"
            text += f" = {signed(g.param_data_grads[index])} + {signed(g.param_reg_grads[index])}"
        else:
            text += f" = {numbers}"
        return text + f" = {fmt(g.param_grads[index])}"
