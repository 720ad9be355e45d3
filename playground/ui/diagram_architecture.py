"""Growing and shrinking the network from the diagram while keeping the trained weights (numpy only).

The session rebuilds a network from its seed when the architecture changes; these functions say
which of the old weights carry over into the new shape and what the new parameter vector is. A
weight layer of the new network takes the overlapping block of its old counterpart (the same
index, or none for a layer that is new); a new unit's outgoing weights start at zero, so adding a
unit leaves the fit exactly as it was until training puts the unit to use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Network, ParameterVector


@dataclass(frozen=True)
class Change:
    """A new hidden-layer tuple, which old weight layer each new one comes from (None: fresh from
    the seed), which hidden layer gained units (their outgoing weights start at 0), and what to say."""

    hidden: tuple[int, ...]
    sources: tuple[int | None, ...]
    grown_layer: int | None
    description: str


def add_unit(hidden: tuple[int, ...], layer: int) -> Change:
    """One more unit at the end of hidden layer ``layer`` (0-based)."""
    new = list(hidden)
    new[layer] += 1
    return Change(tuple(new), tuple(range(len(hidden) + 1)), layer,
                  f"unit {new[layer]} added to layer {layer + 1}: its input weights and bias are drawn from the "
                  f"seed, its output weights start at 0 (the fit is unchanged); all other weights kept")


def remove_unit(hidden: tuple[int, ...], layer: int) -> Change:
    """Drop the last unit of hidden layer ``layer`` (0-based) with its weights in and out."""
    new = list(hidden)
    new[layer] -= 1
    return Change(tuple(new), tuple(range(len(hidden) + 1)), None,
                  f"unit {hidden[layer]} removed from layer {layer + 1} with its weights; all other weights kept")


def add_layer(hidden: tuple[int, ...], units: int) -> Change:
    """A new last hidden layer of ``units`` units: it and the output layer start from the seed."""
    L = len(hidden)
    return Change((*hidden, units), (*range(L), None, None), None,
                  f"layer {L + 1} added ({units} units): its weights and the output weights are drawn from the "
                  f"seed; the weights of layers 1–{L} kept" if L else
                  f"layer 1 added ({units} units): every weight drawn from the seed")


def remove_layer(hidden: tuple[int, ...]) -> Change:
    """Drop the last hidden layer: the output layer, now fed by the layer before, starts from the seed."""
    L = len(hidden)
    kept = f"; the weights of layers 1–{L - 1} kept" if L > 1 else ""
    return Change(hidden[:-1], (*range(L - 1), None), None,
                  f"layer {L} removed: the output weights are drawn from the seed{kept}")


def carried_parameters(change: Change, old_sizes: tuple[int, ...], old_flat: np.ndarray,
                       new_sizes: tuple[int, ...], activation: str, seed: int) -> np.ndarray:
    """The (P_new,) parameters for ``new_sizes``: the seed's initialization (as the session's rebuild draws
    it) with each weight layer's overlapping block taken from its source in ``old_flat`` (P_old,)."""
    fresh = Network(new_sizes, activation, seed=seed)
    old = ParameterVector(tuple(old_sizes), np.asarray(old_flat, dtype=np.float64).copy())
    for j, source in enumerate(change.sources):
        if source is None:
            continue
        W, b, W_old, b_old = fresh.weights[j], fresh.biases[j], old.weights[source], old.biases[source]
        rows, cols = min(W.shape[0], W_old.shape[0]), min(W.shape[1], W_old.shape[1])
        W[:rows, :cols] = W_old[:rows, :cols]
        b[:rows] = b_old[:rows]
    if change.grown_layer is not None:  # weight layer grown_layer + 1 reads the grown layer
        W_next = fresh.weights[change.grown_layer + 1]
        W_next[:, old_sizes[change.grown_layer + 1]:] = 0.0
    return fresh.parameters.copy()
