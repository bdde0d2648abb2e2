"""How wide text prints and how tall a wrapped cell must be: one measure for every writer.

Spreadsheet programs do not grow a row for wrapped text they did not type themselves
(LibreOffice and WPS print the default height, and the text runs over the rows below), and
Excel shows ``###`` for a number wider than its column. So every writer of xlsuite (the
template and samples, the forms, the county summary, the feedback letters, the Word report
and the terminal tables of ``xlsuite validate``) measures text here, by East Asian width
(Unicode's ``east_asian_width``): wide (W), full-width (F) and ambiguous (A) characters
(CJK, full-width punctuation, “” — which Chinese fonts draw square) take a full em, the
rest (Latin, digits) about half.

Units: column widths in Excel character units (as ``set_column`` and ``ColumnDimension``),
row heights and font sizes in points. Pure standard library.
"""

from __future__ import annotations

import re
import sys
import unicodedata

NARROW_EM = 0.55
"""Width of a narrow character in ems. Digits are 0.5 em in 宋体/仿宋 and 0.64 em in the
DejaVu Sans LibreOffice falls back to: the estimate sits between, and wrapping keeps
``WRAP_SLACK`` in hand."""
WIDEST_NARROW_EM = 0.66
"""The widest a narrow character prints in the fonts a page may be set in: DejaVu Sans, which
LibreOffice falls back to without the Windows fonts, draws digits 0.64 em wide (and %
0.95). A text that must not break (``100.00%``) gets room for this."""
WRAP_SLACK = 0.92
"""Share of a cell's inner width a line is assumed to fill: wrapping breaks at whole
characters (CJK) or words (Latin), and fonts differ."""
LINE_SPACING = 1.55
"""Line height as a multiple of the font size. CJK fonts (Noto, 宋体) need more than Latin
ones; erring high only adds white space, erring low would clip text."""
CELL_PADDING_PT = 6.0
"""Left + right inner padding of a cell, in points."""
ROW_PADDING_PT = 5.0
"""Top + bottom room of a row, in points."""


def _wide_class() -> re.Pattern:
    """A character class of every wide character: the Basic Multilingual Plane looked up once
    (some 10 ms), and the planes above it taken as wide (CJK extensions, emoji)."""
    ranges, start = [], None
    for cp in range(0x10000):
        wide = unicodedata.east_asian_width(chr(cp)) in "WFA" and not 0xD800 <= cp <= 0xDFFF
        if wide and start is None:
            start = cp
        elif not wide and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0xFFFF))
    ranges.append((0x10000, sys.maxunicode))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]")


_WIDE = _wide_class()
_TOKEN_KINDS = re.compile(rf"({_WIDE.pattern})|([^\s{_WIDE.pattern[1:-1]}]+)|(\s+)")
"""A wide character (a line may break before or after it), a run of narrow characters (a
word, a number: breaks only at its ends) or a run of spaces, each kind its own group."""


def wide_count(text: str) -> int:
    """How many wide characters ``text`` holds."""
    return 0 if text.isascii() else len(_WIDE.findall(text))


def columns(text: str) -> int:
    """Display width in character cells (a terminal's columns, Excel's width units): a wide
    character takes two, any other one."""
    return len(text) + wide_count(text)


def ems(text: str, narrow: float = NARROW_EM) -> float:
    """Printed width of one line of ``text`` in ems of its font, a narrow character taking
    ``narrow`` (``WIDEST_NARROW_EM`` for the widest font it may meet)."""
    wide = wide_count(text)
    return wide + (len(text) - wide) * narrow


def points(text: str, size: float, narrow: float = NARROW_EM) -> float:
    """Printed width of one line of ``text`` in points, in a font of ``size`` points."""
    return ems(text, narrow) * size


def column_points(width_chars: float) -> float:
    """A column's printed width in points: Excel shows ``width`` digits of the default font
    (7 px each for Calibri 11 and 宋体 11) plus 5 px of padding; 96 px = 72 pt."""
    return (width_chars * 7 + 5) * 0.75


def chars_for_points(width_pt: float) -> float:
    """The column width (Excel character units) that prints ``width_pt`` points wide."""
    return max(0.0, (width_pt / 0.75 - 5) / 7)


def lines(text: str, width_pt: float, size: float) -> int:
    """Lines ``text`` takes when wrapped in a cell (merged range) ``width_pt`` points wide, in
    a font of ``size`` points: each line break starts a line, words and numbers move whole
    to the next line, CJK text breaks between any two characters."""
    usable = max(width_pt - CELL_PADDING_PT, size) * WRAP_SLACK / size  # in ems
    total = 0
    for paragraph in str(text).split("\n"):
        # The common case, without walking the text; a character is at most an em wide, so a
        # paragraph of no more characters than a line has ems fits without being measured.
        if len(paragraph) <= usable or ems(paragraph) <= usable:
            total += 1
            continue
        count, used = 1, 0.0
        for wide, narrow, token in _TOKEN_KINDS.findall(paragraph):
            # As ems(token), without a search of each token: a wide character is an em, a
            # narrow run holds no wide character, and only spaces are measured.
            if wide:
                token, width = wide, 1.0
            elif narrow:
                token, width = narrow, len(narrow) * NARROW_EM
            else:
                width = ems(token)
            if token.isspace():  # a line may end in spaces; it never starts with them
                used = min(used + width, usable) if used else 0.0
                continue
            if used and used + width > usable:
                count, used = count + 1, 0.0
            used += width
            while used > usable:  # a word longer than a line breaks inside it
                count, used = count + 1, used - usable
        total += count
    return total


def widest_word(text: str, size: float, narrow: float = NARROW_EM) -> float:
    """Points of the widest run of ``text`` a line cannot break inside: a word or number
    (``100.00%``); CJK text breaks between any two characters."""
    return max((points(m[0], size, narrow) for m in _TOKEN_KINDS.finditer(text) if m[3] is None), default=0.0)


def unbroken_width(texts, size: float, narrow: float = WIDEST_NARROW_EM) -> float:
    """The column width (Excel character units) in which none of ``texts`` breaks inside a word,
    in a font of ``size`` points, whatever font it prints in (``narrow``: a narrow character's
    ems; the usual fonts' ``NARROW_EM`` where a cell shrinks to fit the rest): for ids a reader
    copies (``plausibility.no_department_indicators``), where a break mid-word misleads."""
    widest = max((widest_word(t, size, narrow) for t in texts), default=0.0)
    return round(chars_for_points(widest / WRAP_SLACK + CELL_PADDING_PT) + 0.5, 1)


def line_height(size: float) -> float:
    """Points one line of wrapped text takes in a font of ``size`` points."""
    return size * LINE_SPACING


def height(text: str, width_pt: float, size: float, *, wrap: bool = True) -> float:
    """Points a cell (merged range) ``width_pt`` wide must be tall to show ``text`` whole."""
    count = (str(text).count("\n") + 1) if not wrap else lines(text, width_pt, size)
    return count * line_height(size) + ROW_PADDING_PT


def column_height(text: str, width_chars: float, size: float, *, wrap: bool = True) -> float:
    """``height`` for a cell of a column ``width_chars`` Excel character units wide."""
    return height(text, column_points(width_chars), size, wrap=wrap)


def fits(text: str, width_chars: float, size: float) -> bool:
    """Whether ``text`` shows on one line, unclipped, in a column ``width_chars`` wide (a
    number that does not shows as ``###``)."""
    return points(text, size) + CELL_PADDING_PT <= column_points(width_chars) * WRAP_SLACK


def width_for(text: str, size: float) -> float:
    """The narrowest column width (Excel character units) that shows ``text`` on one line."""
    return chars_for_points((points(text, size) + CELL_PADDING_PT) / WRAP_SLACK)
