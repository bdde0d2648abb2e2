"""The rows a template prepares below a table's data: formulas waiting for input, holding no value.

The standard template fills 绩效指标 and 项目支出 with the formulas of their computed columns far
below the sample's data (1,000 and 200 rows), so that a department only types. Most of those
rows stay as they were made, and they are most of a sheet's XML: 150 of the sample's 195 KB of
绩效指标. No engine reads a value from them, yet calamine parses them all and the package checks
scan them all.

``prepared_tail`` finds them exactly, or not at all: the run of rows that ends the sheet's data,
each of them the sheet's last row again with only its row number changed (a row number is a run of
digits equal to it after a letter, ``$`` or a quote: ``r="1002"``, ``N1002``, ``$A1002``), compared
byte for byte with rows made from that last row, whose cells hold formulas and no value (no
``<v>``, or an empty one: what Excel caches for a formula giving ""). Whatever such a row holds,
every row of the run holds too, but for its number, so checking the last row checks them all; and
a book in which a department typed into one of them, or which any program rewrote differently, is
read and checked in full as before.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

_SHEET_DATA_END = b"</sheetData>"
_ATTRS = rb'(?: [A-Za-z][\w:]*="[^"<>]*")*'
_FORMULA = rb"<f" + _ATTRS + rb"(?:/>|>[^<]*</f>)"
_NO_VALUE = rb"(?:<v></v>|<v/>)?"
_CELL = (rb'<c r="[A-Z]{1,3}\d{1,7}"(?: s="\d{1,5}")?(?: t="str")?(?:/>|>(?:' + _FORMULA + rb")?"
         + _NO_VALUE + rb"</c>)")
_LAST_ROW = re.compile(rb'<row r="(\d{1,7})"' + _ATTRS + rb">(?:" + _CELL + rb")+</row>")
"""A row whose cells hold at most a formula and an empty cached value: no value for any engine."""

MIN_ROWS = 16
"""Fewer prepared rows than this are left in place: finding them would cost more than it saves."""
_CACHED_BYTES = 1 << 20
"""Rows made from one last row are remembered up to this size (the next book of the template has
the same ones)."""


@dataclass(frozen=True)
class Tail:
    """Where a sheet's prepared rows lie in its XML: ``xml[start:end]``, the last of them at
    ``xml[last:end]``; ``rows`` of them, and the last is row ``number``."""

    start: int
    last: int
    end: int
    rows: int
    number: int


def prepared_tail(xml: bytes) -> Tail | None:
    """The prepared rows ending ``xml``'s ``<sheetData>`` (see the module's text), or ``None``."""
    end = xml.rfind(_SHEET_DATA_END)
    if end < 0:
        return None
    last = xml.rfind(b"<row ", 0, end)
    if last < 0 or end - last > 4096 or b"_x00" in xml[last:end]:
        return None
    match = _LAST_ROW.fullmatch(xml, last, end)
    if match is None:
        return None
    number = int(match[1])
    if number < MIN_ROWS:
        return None
    pieces = _pieces(xml[last:end], match[1])
    first = _first_row(xml, pieces, number, end)
    rows = number - first + 1
    if rows < MIN_ROWS:
        return None
    start = end - _length(pieces, first, number)
    if not (xml.endswith(b"</row>", 0, start) or xml.endswith(b"<sheetData>", 0, start)):
        return None
    if not xml.startswith(_rows(pieces, first, number), start):
        return None
    return Tail(start, last, end, rows, number)


@lru_cache(maxsize=64)
def _pieces(row: bytes, number: bytes) -> tuple[bytes, ...]:
    """``row`` split where its row number stands, so that ``str(n).join(pieces)`` is row ``n``
    (the books of one template end in the same row: worked out once)."""
    return tuple(re.split(rb'(?<=[A-Za-z$"])' + number + rb"(?![0-9])", row))


def _text(pieces: tuple[bytes, ...], n: int) -> bytes:
    return (b"%d" % n).join(pieces)


def _digits(n: int) -> int:
    """The digits of the numbers 1 to ``n`` written one after another."""
    total, low, width = 0, 1, 1
    while low <= n:
        high = min(n, low * 10 - 1)
        total += (high - low + 1) * width
        low, width = low * 10, width + 1
    return total


def _length(pieces: tuple[bytes, ...], first: int, last: int) -> int:
    """The length of rows ``first`` to ``last`` made from ``pieces``."""
    return (last - first + 1) * sum(map(len, pieces)) + (len(pieces) - 1) * (_digits(last) - _digits(first - 1))


def _first_row(xml: bytes, pieces: tuple[bytes, ...], number: int, end: int) -> int:
    """The first row of the run ending at row ``number`` just before ``end``, found by halving:
    row ``k`` is looked for where it would stand were rows ``k`` to ``number`` all prepared. (An
    odd book may mislead the search; the whole run is compared afterwards.)"""
    made = _made(pieces, number)
    low, high = 1, number
    while low < high:
        k = (low + high) // 2
        if made is None:
            at, row = end - _length(pieces, k, number), _text(pieces, k)
        else:
            rows, offsets = made
            at, row = end - (len(rows) - offsets[k - 1]), rows[offsets[k - 1]:offsets[k]]
        if at >= 0 and xml.startswith(row, at):
            high = k
        else:
            low = k + 1
    return low


def _rows(pieces: tuple[bytes, ...], first: int, last: int) -> bytes:
    """Rows ``first`` to ``last`` made from ``pieces``."""
    made = _made(pieces, last)
    if made is None:
        return b"".join(_text(pieces, k) for k in range(first, last + 1))
    rows, offsets = made
    return rows[offsets[first - 1]:]


@lru_cache(maxsize=8)
def _made(pieces: tuple[bytes, ...], last: int) -> tuple[bytes, array] | None:
    """Rows 1 to ``last`` made from ``pieces`` and where each begins (``offsets[k - 1]`` for row
    ``k``, ``offsets[last]`` their end); ``None`` when they would take more than ``_CACHED_BYTES``."""
    if _length(pieces, 1, last) > _CACHED_BYTES:
        return None
    made = [_text(pieces, k) for k in range(1, last + 1)]
    return b"".join(made), array("q", accumulate(map(len, made), initial=0))
