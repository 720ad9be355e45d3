"""View ▸ Reverse vs forward mode through the real window: the counts it shows are the brute counts of an
instrumented autodiff on the session's own network (tests/test_engine_ad_count.py), and follow the network."""

import numpy as np
from test_engine_ad_count import all_orders, build, multiply_in_order
from test_ui_recorder import click_menu_item

from playground.engine import Network


def brute_counts(session):
    """(P, multiplications of reverse mode's backward pass, of forward mode's P tangent passes) for one point."""
    network = Network(session.layer_sizes, session.activation, seed=0)
    x = np.full(session.layer_sizes[0], 0.3)
    graph, out = build(network, x, np.ones(session.layer_sizes[-1]))
    forward_pass = sum(op == "mul" for op, _ in graph.ops) - session.layer_sizes[-1]
    return network.parameters.size, forward_pass, graph.reverse(out)[1], graph.forward_mode(out)[1]


def shown_row(view, row):
    return [cell.text() for cell in view.cells[row]]


def test_the_view_opens_from_the_menu_and_shows_the_brute_counts_of_the_current_network(window, qtbot):
    view, session = window.ad_modes, window.session
    click_menu_item(qtbot, window.view_menu, view.action)  # View ▸ Reverse vs forward mode
    qtbot.waitUntil(view.dock.isVisible)
    assert "Reverse mode automatic differentiation (backprop) is faster since we have a scalar output and a " \
           "vector input" in view.slide.text()
    for hidden in ((3,), (8, 8)):
        if hidden != session.hidden:
            assert session.set_architecture(hidden, session.activation)
        n = len(session.points)
        P, forward_pass, backward, tangents = brute_counts(session)
        assert f"P = {P:,} parameters" in view.network.text()
        assert shown_row(view, 1)[2:] == [f"{forward_pass:,}", f"{n * forward_pass:,}"]
        assert shown_row(view, 2)[2:] == [f"{forward_pass + backward:,}", f"{n * (forward_pass + backward):,}"]
        assert shown_row(view, 3)[1:] == [f"+ P = {P:,}", f"{forward_pass + tangents:,}",
                                          f"{n * (forward_pass + tangents):,}"]
        shapes = [(1, session.layer_sizes[-1])] + [(session.layer_sizes[k], session.layer_sizes[k - 1])
                                                    for k in range(len(session.layer_sizes) - 1, 0, -1)]
        mats = [np.ones(shape) for shape in shapes]
        reverse, forward = multiply_in_order(mats, "reverse")[1], multiply_in_order(mats, "forward")[1]
        best = min(cost for cost, _ in all_orders(shapes))
        assert (f"from the left (reverse) {reverse:,}, from the right (forward) {forward:,}, best {best:,}"
                in view.chain.text())
        if hidden == (3,):  # 1 → 3 → 1: a scalar input, so the forward order wins for ∂ℓ/∂x (4 vs 6)
            assert (reverse, forward, best) == (6, 4, 4)
        widths = view.bar_items.opts["width"]
        assert list(widths) == [forward_pass + backward, forward_pass + tangents]
    assert P == 1 * 8 + 8 + 8 * 8 + 8 + 8 * 1 + 1  # 1 → 8 → 8 → 1
