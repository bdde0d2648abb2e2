"""Sums of floats exactly as ``math.fsum`` gives them, added one value at a time.

The summary's total rows show sums as a spreadsheet computes them, ``math.fsum`` of the column
(exactly rounded). ``fsum`` needs the whole column at once; a county's columns arrive department
by department and are not kept. A float is an integer times a power of two no smaller than
2**-1074, so scaled by 2**1074 every value, and their sum, is an exact integer; Python divides
integers with correct rounding, as ``fsum`` rounds, so the two agree on every input.
"""

from __future__ import annotations

_SCALE = 1074


class ExactSum:
    """A running exact sum of floats; ``value`` is the ``math.fsum`` of all added."""

    __slots__ = ("_total",)

    def __init__(self):
        self._total = 0

    def add(self, value: float) -> None:
        numerator, denominator = value.as_integer_ratio()
        self._total += numerator << (_SCALE + 1 - denominator.bit_length())

    def value(self) -> float:
        return self._total / (1 << _SCALE)
