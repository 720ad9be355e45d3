"""∂J/∂θ for the diagram's hover: the training objective J (mean loss + λΣw² + λ₁Σ|w|) over all training points."""

from __future__ import annotations

import numpy as np

from ..engine import ParameterVector


def gradients(session, flat: np.ndarray) -> ParameterVector | None:
    """∂J/∂θ of the session's network at parameters ``flat`` (P,) over the full batch of training points
    (held-out points excluded, features applied); None when there is nothing to take it over."""
    snap, pts = session.snapshot, session.points
    if snap is None or not len(pts) or snap.test_mask.shape[0] != len(pts):
        return None
    train = ~snap.test_mask
    if not train.any():
        return None
    network = session.network_from_snapshot()
    network.parameters[...] = flat
    settings = session.settings
    y = pts.y[train] if settings.loss == "mse" else pts.y[train].astype(np.intp)
    try:
        inputs = session.network_inputs(pts.X[train])  # φ(x) with features
        _, grads = network.loss_and_gradients(inputs, y, settings.loss, settings.l2, settings.l1)
    except ValueError:
        return None  # e.g. a class the network has no output for yet
    return grads
