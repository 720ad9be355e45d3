"""How many multiplications the gradient of a network's loss costs in reverse mode and in forward mode.

The network of ``Network``: z_l = W_l h_{l−1} + b_l with W_l (d_l, d_{l−1}), h_l = σ(z_l) for the hidden
layers, the scores f = z_L. The loss enters through its derivative g = ∂ℓ/∂f (d_L numbers the loss gives),
so the gradient is that of the scalar gᵀf with respect to all P parameters. Counted per training point:
every multiplication of a matrix product or an elementwise product on the derivative's path, including
the multiplications by the seed; evaluating σ and σ′ and the additions are not counted. The input x is
a constant (no tangent, no adjoint).

Reverse mode (backprop) is one backward pass: the seed δ_L = 1·g, then per layer dW_l = δ_l h_{l−1}ᵀ,
and below the first layer δ_{l−1} = (W_lᵀ δ_l) ⊙ σ′(z_{l−1}). Forward mode is one pass per parameter:
the tangent ż_l = Ẇ_l h_{l−1} + W_l ḣ_{l−1} (+ ḃ_l), ḣ_l = σ′(z_l) ⊙ ż_l, and at the end gᵀḟ. Its tangents
are dense vectors (a pass does not know which entries happen to be zero), so one tangent pass costs what
one backward pass costs, and forward mode costs P times as much: "Reverse mode automatic differentiation
(backprop) is faster since we have a scalar output and a vector input."
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class GradientCost:
    """Multiplications for one training point's gradient. ``forward_pass``: the network's own forward pass
    (both modes need it once); ``per_pass``: one backward pass, or one forward-mode tangent pass."""

    layer_sizes: tuple[int, ...]
    parameters: int
    forward_pass: int
    per_pass: int

    @property
    def reverse(self) -> int:
        """The forward pass, then one backward pass."""
        return self.forward_pass + self.per_pass

    @property
    def forward(self) -> int:
        """The forward pass (the primal values, once), then one tangent pass per parameter."""
        return self.forward_pass + self.parameters * self.per_pass


def gradient_cost(layer_sizes: Sequence[int]) -> GradientCost:
    """The counts for a network with ``layer_sizes`` (d_0 inputs, …, d_L outputs)."""
    sizes = tuple(int(d) for d in layer_sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes: need at least inputs and outputs, each ≥ 1, got {sizes}")
    pairs = list(zip(sizes, sizes[1:]))  # (d_{l−1}, d_l) for l = 1 … L
    parameters = sum(a * b + b for a, b in pairs)
    forward_pass = sum(a * b for a, b in pairs)
    weight_products = sum(a * b for a, b in pairs)            # dW_l = δ_l h_{l−1}ᵀ, or Ẇ_l h_{l−1}
    through_layers = sum(a * b for a, b in pairs[1:])          # W_lᵀ δ_l, or W_l ḣ_{l−1}, above the input
    activations = sum(sizes[1:-1])                             # ⊙ σ′(z_l) in every hidden layer
    seed = sizes[-1]                                           # 1·g, or gᵀḟ
    return GradientCost(sizes, parameters, forward_pass, weight_products + through_layers + activations + seed)


# -- the lecture's chain rule as a product of Jacobians: which order to multiply them in ----------------------

def product_cost(shapes: Sequence[tuple[int, int]], order: str) -> int:
    """Multiplications of the chain J₁J₂…J_m (J_i of shape (rows, cols), each cols = the next's rows) taken
    left to right ("reverse": the last dimension, the output's, is kept throughout) or right to left
    ("forward": the first dimension, the input's, is kept). A (p×q)(q×r) product costs p·q·r."""
    if order not in ("reverse", "forward"):
        raise ValueError(f"order: 'reverse' or 'forward', got {order!r}")
    rows, cols = ([s[0] for s in shapes], [s[1] for s in shapes])
    if order == "reverse":
        return sum(rows[0] * rows[i] * cols[i] for i in range(1, len(shapes)))
    return sum(rows[i] * cols[i] * cols[-1] for i in range(len(shapes) - 1))


def optimal_chain_cost(shapes: Sequence[tuple[int, int]]) -> tuple[int, str]:
    """The fewest multiplications for the chain over every order (the matrix chain ordering problem, by
    dynamic programming over sub-chains), and that order written with parentheses, e.g. "((J1 J2) J3)"."""
    dims = [shapes[0][0], *(s[1] for s in shapes)]
    m = len(shapes)
    best = [[0] * m for _ in range(m)]
    split = [[0] * m for _ in range(m)]
    for length in range(2, m + 1):
        for i in range(m - length + 1):
            j = i + length - 1
            best[i][j], split[i][j] = min((best[i][k] + best[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1], k)
                                          for k in range(i, j))

    def written(i: int, j: int) -> str:
        return f"J{i + 1}" if i == j else f"({written(i, split[i][j])} {written(split[i][j] + 1, j)})"
    return best[0][m - 1], written(0, m - 1)


def input_gradient_chain(layer_sizes: Sequence[int]) -> list[tuple[int, int]]:
    """The shapes of ∂ℓ/∂x = ∂ℓ/∂f · ∂f/∂h_{L−1} · … · ∂h₁/∂x for a network with ``layer_sizes``: (1, d_L), then
    (d_l, d_{l−1}) for l = L … 1 (each layer's Jacobian diag(σ′) W_l; the diagonal factor folded in)."""
    sizes = tuple(layer_sizes)
    return [(1, sizes[-1])] + [(sizes[k], sizes[k - 1]) for k in range(len(sizes) - 1, 0, -1)]
