"""The lecture's notation in plain text: numbers for a slide, sub- and superscript digits, unit names
(no Qt, no numpy)."""

from __future__ import annotations

import math

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


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a slide: ``digits`` significant digits, no trailing zeros, a true minus sign."""
    if value is None:
        return "—"
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0.0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def signed(value: float, digits: int = 3) -> str:
    """A term of a sum: negative numbers in parentheses, as in 0.12 + (−0.30)."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith("−") else text
