"""Which numbers of a sheet Excel shows as percentages, from the package's own XML.

A rate typed into a cell formatted as a percentage is stored as its fraction: the accountant sees
「90%」, the file holds 0.9. Neither engine says so (calamine gives values only, and openpyxl's
formats would make the two engines read the book differently), so the format is taken here, from
``xl/styles.xml`` and the sheet's ``s=`` attributes, for both engines alike (``read_book``).
A live book in Excel is read by values only: there the fraction stays a fraction.
"""

from __future__ import annotations

import html
import re

PercentCells = frozenset[tuple[int, int]]
"""(0-based row, 0-based column) of each number shown as a percentage."""

_BUILTIN_PERCENT = frozenset({9, 10})  # 0% and 0.00%, Excel's built-in percentage formats
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_REF = re.compile(r"^([A-Za-z]{1,3})(\d{1,7})$")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escaped characters, [colours]


def percent_styles(styles_xml: bytes) -> frozenset[str]:
    """The cell style indexes (``s=`` values, as text) whose number format shows a percentage."""
    codes = {}
    for m in _NUM_FMT.finditer(styles_xml):
        attrs = _attrs(m[1])
        if "numFmtId" in attrs:
            codes[attrs["numFmtId"]] = html.unescape(attrs.get("formatCode", ""))
    xfs = _CELL_XFS.search(styles_xml)
    if xfs is None:
        return frozenset()
    found = set()
    for index, m in enumerate(_XF.finditer(xfs[1])):
        fmt = _attrs(m[1]).get("numFmtId", "0").strip()
        if (fmt.isdigit() and int(fmt) in _BUILTIN_PERCENT) or "%" in _QUOTED.sub("", codes.get(fmt, "")):
            found.add(str(index))
    return frozenset(found)


def percent_cells(sheet_xml: bytes, styles: frozenset[str]) -> PercentCells:
    """The cells of ``sheet_xml`` holding a number in one of the ``styles`` (``percent_styles``)."""
    if not styles or not any(f's="{s}"'.encode() in sheet_xml for s in styles):
        return frozenset()  # nearly every book: no percentage in this sheet at all
    found = set()
    for m in _CELL.finditer(sheet_xml):
        attrs = _attrs(m[1])
        if attrs.get("s") not in styles or attrs.get("t", "n") != "n" or not m[2] or not _VALUE.search(m[2]):
            continue
        ref = _REF.match(attrs.get("r", ""))
        if ref:
            found.add((int(ref[2]) - 1, _column(ref[1])))
    return frozenset(found)


def _column(letters: str) -> int:
    """0-based column of ``AB``."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _attrs(raw: bytes) -> dict[str, str]:
    return {m[1].decode(): (m[2] if m[2] is not None else m[3]).decode("utf-8", "replace")
            for m in _ATTR.finditer(raw)}
