"""The lecture's notation in plain text: sub- and superscript digits, unit names (no Qt, no numpy)."""

from __future__ import annotations

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sub(n: int | str) -> str:
    """Subscript digits: sub(12) == '₁₂'."""
    return str(n).translate(_SUB)


def sup(n: int | str) -> str:
    """Superscript digits: sup(-6) == '⁻⁶'."""
    return str(n).translate(_SUP)


def unit_name(i: int) -> str:
    """h₁, h₂, … for unit index i = 0, 1, …"""
    return "h" + sub(i + 1)
