"""The inspector's words: the lecture's notation for the parameters, and written formulas that agree with their
numbers (checked against the engine's forward pass and gradients, not against the graph's own)."""

import re

import numpy as np
import pytest

from playground.engine import Network
from playground.engine.graph import ComputationGraph
from playground.ui.graph_text import GraphText


def _names_to_values(text: GraphText, net: Network) -> dict[str, float]:
    return {text.parameter_label(p.index): float(net.parameters[p.index]) for p in text.g.parameters}


def test_one_hidden_layer_uses_the_slides_v_b_w_and_w0():
    """f(x) = w₀ + Σᵢ wᵢ σ(vᵢx + bᵢ): each name sits on the number the network uses in that role."""
    net = Network((1, 3, 1), "tanh")
    net.weights[0][:, 0] = [1, 2, 3]      # vᵢ
    net.biases[0][:] = [4, 5, 6]          # bᵢ
    net.weights[1][0, :] = [7, 8, 9]      # wᵢ
    net.biases[1][:] = [10]               # w₀
    text = GraphText(ComputationGraph(net, [0.5], [0.0], "mse"))
    assert _names_to_values(text, net) == {"v₁": 1, "v₂": 2, "v₃": 3, "b₁": 4, "b₂": 5, "b₃": 6,
                                           "w₁": 7, "w₂": 8, "w₃": 9, "w₀": 10}
    assert text.names.model_formula() == "hᵢ(x) = σ(vᵢx + bᵢ),  f(x) = Σᵢ wᵢhᵢ(x) + w₀"
    assert text.forward_text("s0").startswith("ŷ = w₁·h₁ + w₂·h₂ + w₃·h₃ + w₀ = 7·")


def test_two_inputs_index_the_hidden_weight_vector_and_two_outputs_the_output_weights():
    net = Network((2, 2, 2), "tanh")
    net.parameters[...] = np.arange(net.parameters.size, dtype=float)
    text = GraphText(ComputationGraph(net, [0.1, 0.2], 1, "cross_entropy"))
    names = _names_to_values(text, net)
    assert names["v₁₂"] == net.weights[0][0, 1] and names["v₂₁"] == net.weights[0][1, 0]   # vᵢₖ: input k of unit i
    assert names["w₂₁"] == net.weights[1][1, 0] and names["w₂₀"] == net.biases[1][1]       # output 2's w and w₀
    assert names["b₂"] == net.biases[0][1]
    assert text.describe_parameter(1) == "v₁₂: x₂ → z₁"


def test_deeper_networks_keep_the_layered_notation():
    net = Network((2, 3, 2, 2), "tanh")
    text = GraphText(ComputationGraph(net, [0.1, 0.2], 0, "cross_entropy"))
    labels = [text.parameter_label(p.index) for p in text.g.parameters]
    assert labels[0] == "w⁽¹⁾₁₁" and labels[-1] == "b⁽³⁾₂"
    assert not any(label.startswith("v") for label in labels)


def _evaluate(formula: str, symbols: dict[str, float]) -> float:
    """The value of a written formula: symbols replaced by numbers, '·' and juxtaposition ('2λw') as products."""
    for name in sorted(symbols, key=len, reverse=True):
        formula = formula.replace(name, f"({float(symbols[name])!r})")
    formula = formula.replace("·", "*").replace("−", "-")
    formula = re.sub(r"\)\s*\(", ")*(", formula)
    formula = re.sub(r"(\d)\(", r"\1*(", formula)
    return eval(formula, {"__builtins__": {}})


CASES = [((1, 1), "linear", "mse"), ((1, 3, 1), "tanh", "mse"), ((2, 3, 2), "logistic", "cross_entropy"),
         ((2, 2, 2, 1), "tanh", "mse")]


@pytest.mark.parametrize("sizes, activation, loss", CASES)
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_a_weights_gradient_tooltip_says_the_same_sum_in_symbols_and_in_numbers(sizes, activation, loss, l2):
    """∂J/∂w = ∂J/∂z·o + 2λw = (upstream)·(o) + 2·λ·w: with λ > 0 the symbolic step names the ridge term too."""
    net = Network(sizes, activation, seed=7)
    x = np.linspace(-0.6, 0.4, sizes[0])
    y = 1 if loss == "cross_entropy" else np.full(sizes[-1], 0.3)
    text = GraphText(ComputationGraph(net, x, y, loss, l2))
    J, grads = net.loss_and_gradients(x[None, :], np.array([y]) if loss == "cross_entropy" else y[None, :], loss, l2)
    outputs = [x, *(h[0] for h in net.forward(x[None, :]).activations)]
    for p in (p for p in text.g.parameters if p.kind == "weight"):
        parts = text.parameter_text(p.index).split(" = ")
        symbolic, numbers, result = parts[1], parts[2], parts[-1]
        assert len(parts) == (5 if l2 else 4)
        assert symbolic.count(" + ") == numbers.count(" + ") == (1 if l2 else 0)
        assert ("2λ" in symbolic) == (l2 > 0)
        # the symbols, given their meaning from the engine, add up to the engine's gradient
        symbols = {f"∂J/∂{text.label(p.node)}": grads.biases[p.layer][p.row],   # ∂J/∂z is the bias gradient
                   text.label(p.source): outputs[p.layer][p.col], "λ": l2,
                   text.parameter_label(p.index): net.weights[p.layer][p.row, p.col]}
        assert _evaluate(symbolic, symbols) == pytest.approx(grads.flat[p.index], rel=1e-9, abs=1e-15)
        # the numbers, rounded to 3 digits, add up to it too; and the result is it
        terms = [_evaluate(term, {}) for term in numbers.split(" + ")]
        assert sum(terms) == pytest.approx(grads.flat[p.index], abs=0.01 * sum(map(abs, terms)) + 1e-12)
        assert float(result.replace("−", "-")) == pytest.approx(grads.flat[p.index], rel=5e-3, abs=1e-12)
