"""A log axis that never crowds its labels, and the number formats of the loss and learning-rate axes."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from ..notation import sup


class LogAxis(pg.AxisItem):
    """A log axis labelled at whole decades (0.01, 0.1, 1, … and 10⁻⁶ beyond), never crowded.

    Between decades it draws unlabelled minor ticks; over less than two decades it also
    labels 2× and 5×. pyqtgraph's own log ticks label every minor tick when the range is
    narrow, and the labels overlap.
    """

    _span = 10.0

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        self._span = span = maxVal - minVal
        first, last = math.floor(minVal), math.ceil(maxVal)
        stride = 1 if span <= 6 else 2 if span <= 12 else 4
        major = [float(d) for d in range(first, last + 1) if minVal <= d <= maxVal and d % stride == 0]
        mantissas = (2, 5) if span < 2 else range(2, 10) if stride == 1 else ()
        minor = [d + math.log10(m) for d in range(first - 1, last + 1) for m in mantissas
                 if minVal <= d + math.log10(m) <= maxVal]
        if len(major) + (len(minor) if span < 2 else 0) < 2:  # a very narrow range: three plain ticks
            self._span = 0.0
            return [(None, list(np.linspace(minVal, maxVal, 3)[[0, 2]])), (None, [])]
        return [(float(stride), major), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        strings = []
        for v in values:
            decade = abs(v - round(v)) < 1e-9
            if self._span == 0.0:
                strings.append(_format_power(10.0 ** v, digits=3))
            elif decade or self._span < 2:
                strings.append(_format_power(10.0 ** v))
            else:
                strings.append("")
        return strings


def format_rate(value: float) -> str:
    return "0" if value == 0 else _format_power(value, digits=2) if value < 1e-3 else f"{value:.2g}"


def _format_power(value: float, digits: int = 1) -> str:
    """0.001 … 1000 as plain numbers, beyond as 10⁻⁶ or 5·10⁻⁵."""
    exponent = math.floor(math.log10(value) + 1e-9)
    if -3 <= exponent <= 3:
        return f"{value:.{digits}g}" if digits > 1 else f"{value:g}"
    mantissa_text, exponent_text = f"{value:.{digits - 1}e}".split("e")  # 10.0 ** -324 would be 0: no division
    mantissa, exponent = float(mantissa_text), int(exponent_text)
    power = "10" + sup(exponent)
    return power if mantissa == 1 else f"{mantissa:g}·{power}"
