"""The parts of a computation graph (engine/graph.py): its nodes, the arrows between them, the network's
parameters on those arrows, and the terms a backward sum adds up. Plain frozen records, no numbers computed."""

from __future__ import annotations

from dataclasses import dataclass

LEAF_KINDS = frozenset({"input", "target", "feature"})  # no ∂J/∂node: x and y are data, and so is φ(x)


@dataclass(frozen=True)
class Node:
    """One intermediate variable. ``column``/``row`` place it in a drawing, columns ordered by layer.

    ``layer`` is the index into network.weights of the layer that computes a pre / score node
    (for an act node: of its pre-activation); ``unit`` is its row there, or the index of an
    input, target or residual.
    """

    key: str
    kind: str  # input | feature | target | pre | act | score | residual | softmax | loss | reg | objective
    column: int
    row: int
    parents: tuple[str, ...]
    layer: int | None = None
    unit: int | None = None


@dataclass(frozen=True)
class Edge:
    """An arrow parent → child; ``parameter`` is the flat index of the weight it carries (None: no weight)."""

    source: str
    target: str
    parameter: int | None


@dataclass(frozen=True)
class Parameter:
    """One entry of the flat parameter vector: a weight W[layer][row, col] or a bias b[layer][row]."""

    index: int
    kind: str                 # weight | bias
    layer: int
    row: int
    col: int | None
    node: str                 # the pre-activation / score node it feeds
    source: str | None        # for a weight: the node it scales


@dataclass(frozen=True)
class Term:
    """One child's share of ∂J/∂node: upstream ∂J/∂child times local ∂child/∂node."""

    child: str
    upstream: float
    local: float
    value: float
