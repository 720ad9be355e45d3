"""Growing and shrinking the network from the diagram while keeping the trained weights.

The session rebuilds a network from its seed when the architecture changes; these functions say
which of the old weights carry over into the new shape and what the new parameter vector is, and
``apply_change`` does it through the session's public methods (no Qt here beyond its signals). A
weight layer of the new network takes the overlapping block of its old counterpart (the same
index, or none for a layer that is new); a new unit's outgoing weights start at zero, so adding a
unit leaves the fit exactly as it was until training puts the unit to use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Network, ParameterVector
from .session import MAX_HIDDEN_LAYERS, MAX_UNITS


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


# -- through the session ------------------------------------------------------------------------
def apply_change(session, change: Change) -> bool:
    """Rebuild the session's network for ``change`` and carry the trained weights over; the status bar
    says what was kept and what was drawn from the seed."""
    snap = session.snapshot
    if snap is None or not session.up_to_date:  # the weights to keep are those after every command sent
        session.message.emit("the network is being built; try again in a moment")
        return False
    old_sizes, old_flat = tuple(snap.layer_sizes), snap.parameters
    if not session.set_architecture(change.hidden, session.activation):
        return False
    session.set_parameters(carried_parameters(change, old_sizes, old_flat, session.layer_sizes,
                                              session.activation, session.seed))
    session.message.emit(change.description)
    return True


def change_units(session, layer: int, sign: int) -> bool:
    """One unit more (sign > 0) or fewer in hidden layer ``layer`` (0-based), within 1…MAX_UNITS."""
    hidden = tuple(session.hidden)
    if sign > 0 and hidden[layer] >= MAX_UNITS:
        session.message.emit(f"layer {layer + 1} has {MAX_UNITS} units, the most a layer can have")
        return False
    if sign < 0 and hidden[layer] <= 1:
        session.message.emit(f"layer {layer + 1} has one unit left: use − layer to remove the layer")
        return False
    return apply_change(session, add_unit(hidden, layer) if sign > 0 else remove_unit(hidden, layer))


def add_hidden_layer(session) -> bool:
    """A new last hidden layer as wide as the one before it (3 units after none)."""
    hidden = tuple(session.hidden)
    if len(hidden) >= MAX_HIDDEN_LAYERS:
        session.message.emit(f"the network has {MAX_HIDDEN_LAYERS} hidden layers, the most it can have")
        return False
    return apply_change(session, add_layer(hidden, hidden[-1] if hidden else 3))


def remove_hidden_layer(session) -> bool:
    return bool(session.hidden) and apply_change(session, remove_layer(tuple(session.hidden)))
