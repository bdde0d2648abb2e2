"""Sheet plans: a generated sheet described as plain data, for any writer to apply.

The official forms and the 校验结果 sheet are laid out once, here and in ``official.py`` /
``findings.py``, as a ``SheetPlan``: cells with values, a named style and a kind, merged ranges,
column widths, row heights, page breaks and print settings. A writer turns a plan into a real
sheet: ``xlsx_writer`` with openpyxl for files, ``excel.plan_writer`` for live Excel, and
``report.docx_plan`` draws it as Word tables; ``writer.py`` says what each must do. This module
imports no Excel library; writers need nothing else from xlsuite to apply a plan.

Coordinates are 0-based (row 0 is Excel row 1, column 0 is column A) everywhere in a plan.
Units: column widths in Excel character units (as ``ColumnDimension.width`` and xlwings'
``column_width``), row heights and font sizes in points, margins in inches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..layout import style, textwidth
from ..layout.textwidth import column_points

TEXT, NUMBER, FORMULA = "text", "number", "formula"
KINDS = (TEXT, NUMBER, FORMULA)
"""How a writer stores a cell value.

``text``: always a string cell, whatever it starts with (a unit name ``=SUM(A1)`` stays text);
``number``: a numeric cell (the value is a ``Decimal`` or ``int``); ``formula``: one of our own
formulas (only ``=HYPERLINK(...)`` links), written as a formula. A value of ``None`` writes no
value but still applies the style (borders of an empty table cell).
"""


@dataclass(frozen=True)
class StyleSpec:
    """What a named style looks like; every writer maps it to its own format objects.

    Attributes:
        font: font name (宋体 for titles and headings, 仿宋 for entries, as official forms use).
        size: font size in points.
        bold: bold text.
        align: horizontal alignment, ``left``, ``center`` or ``right``.
        valign: vertical alignment, ``top``, ``center`` or ``bottom``.
        wrap: wrap text within the cell (merged range).
        shrink: shrink the text to fit the cell's width instead (numbers: a number cannot wrap,
            and one wider than its column prints as ``###``; the forms' grid is fixed).
        border: thin black border on every side of the cell (of every cell of a merged range).
        number_format: Excel number format code (``General``, ``0.00``, ``0.00%``, …).
        color: font colour as ``RRGGBB``, or ``None`` for automatic (black).
        underline: single underline (links).
    """

    font: str = style.FANGSONG
    size: float = 10
    bold: bool = False
    align: str = "left"
    valign: str = "center"
    wrap: bool = True
    shrink: bool = False
    border: bool = True
    number_format: str = "General"
    color: str | None = None
    underline: bool = False


_NUMBER = {"wrap": False, "shrink": True}

STYLES: dict[str, StyleSpec] = {
    "title": StyleSpec(font=style.SONGTI, size=16, bold=True, align="center", wrap=False, border=False),
    "subtitle": StyleSpec(font=style.SONGTI, size=11, align="center", wrap=False, border=False),
    "caption": StyleSpec(font=style.SONGTI, size=10, border=False),
    "caption_right": StyleSpec(font=style.SONGTI, size=10, align="right", border=False, wrap=False),
    "header": StyleSpec(font=style.SONGTI, bold=True, align="center"),
    "label": StyleSpec(font=style.SONGTI, align="center"),
    "text": StyleSpec(),
    "center": StyleSpec(align="center"),
    "money": StyleSpec(align="right", number_format=style.MONEY_FORMAT, **_NUMBER),
    "percent": StyleSpec(align="right", number_format=style.PERCENT_FORMAT, **_NUMBER),
    "weight": StyleSpec(align="center", number_format="General", **_NUMBER),
    "score": StyleSpec(align="center", number_format=style.DECIMAL_FORMAT, **_NUMBER),
    "total": StyleSpec(font=style.SONGTI, bold=True, align="center", number_format=style.DECIMAL_FORMAT,
                       **_NUMBER),
    "link": StyleSpec(align="center", color="0563C1", underline=True),
    # An id a reader may copy (规则编号): never wrapped, so never broken inside a word; a
    # column narrower than the longest id shrinks its font instead.
    "code": StyleSpec(size=9, **_NUMBER),
    "error": StyleSpec(align="center", bold=True, color="C00000"),
    "warning": StyleSpec(align="center", color="B45F06"),
    "hint": StyleSpec(align="center"),
}
"""Every style a plan may name. Writers must know all of them (a test checks the xlsx one)."""


@dataclass(frozen=True)
class PlanCell:
    """One cell of a plan: where, what, how it looks, and how it is stored.

    Attributes:
        row, col: 0-based position; for a merged range, its top-left cell.
        value: ``str`` for ``text`` and ``formula``, ``Decimal``/``int`` for ``number``, or
            ``None`` (style only).
        style: a key of ``STYLES``.
        kind: ``text``, ``number`` or ``formula`` (see ``KINDS``).
    """

    row: int
    col: int
    value: str | Decimal | int | None
    style: str = "text"
    kind: str = TEXT


Merge = tuple[int, int, int, int]
"""A merged range ``(first_row, first_col, last_row, last_col)``, 0-based and inclusive. It
takes the value and style of its top-left ``PlanCell``; a writer draws the style's border
around every cell of the range."""


@dataclass
class SheetPlan:
    """A whole generated sheet.

    Attributes:
        name: sheet name (from the contract, e.g. 项目自评表).
        cells: every cell to write; at most one per position.
        merges: merged ranges (see ``Merge``); they never overlap.
        col_widths: width of columns 0, 1, … in Excel character units.
        row_heights: explicit heights in points by 0-based row; other rows keep the default.
            Heights are estimated from the text so that wrapped text shows in full.
        row_breaks: 0-based rows that start a new printed page (manual page breaks, "before"
            this row, as Excel's ``HPageBreaks.Add(Before=...)``).
        landscape: print in landscape orientation (else portrait); paper is always A4.
        print_title_rows: ``(first, last)`` 0-based rows repeated on every printed page, or None.
        scale: print zoom in percent (10–400), used when ``fit_to_width`` is false. The forms set
            it so the longest page still fits one A4 sheet; manual breaks then hold (Excel
            ignores manual breaks under "fit to page").
        fit_to_width: print one page wide and as many tall as needed (for sheets without
            manual breaks).
        margins: ``(left, right, top, bottom)`` in inches.
        center_horizontally: centre the printout on the page.
        footer: centre footer text with Excel codes (``&P`` page, ``&N`` pages), or "".
        gridlines: show gridlines on screen (forms hide them; their borders are drawn).
        freeze: ``(row, col)`` of the first scrollable cell, or None.
    """

    name: str
    cells: list[PlanCell] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    col_widths: list[float] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    row_breaks: list[int] = field(default_factory=list)
    landscape: bool = False
    print_title_rows: tuple[int, int] | None = None
    scale: int = 100
    fit_to_width: bool = False
    margins: tuple[float, float, float, float] = style.FORM_MARGINS
    center_horizontally: bool = True
    footer: str = ""
    gridlines: bool = False
    freeze: tuple[int, int] | None = None

    def cell(self, row: int, col: int) -> PlanCell | None:
        """The plan cell at a position (the top-left of a merge holds its value)."""
        for c in self.cells:
            if (c.row, c.col) == (row, col):
                return c
        return None

    def find(self, value) -> list[PlanCell]:
        """Cells holding exactly ``value`` (for tests and writers that need a landmark)."""
        return [c for c in self.cells if c.value == value]

    @property
    def last_row(self) -> int:
        return max((c.row for c in self.cells), default=-1)


# --- what a cell shows -----------------------------------------------------------------------

_LINK = re.compile(r'^=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)$')


def display(cell: PlanCell) -> str:
    """The text a cell shows in a spreadsheet, for writers that draw text rather than cells
    (the report's Word tables): a number under its style's number format, a link as its
    shown text, anything else as written; an empty cell as ``""``."""
    value = cell.value
    if value is None:
        return ""
    if cell.kind == NUMBER:
        return format_number(Decimal(value), STYLES[cell.style].number_format)
    if cell.kind == FORMULA and (link := _LINK.match(str(value))):
        return link.group(1).replace('""', '"')
    return str(value)


def format_number(value: Decimal, number_format: str) -> str:
    """``value`` as a spreadsheet shows it under one of the plan styles' number formats:
    ``General`` (no trailing zeros), or ``0.00``, ``#,##0.00``, ``0.00%`` and the like
    (fixed decimals, rounded half up as Excel rounds, thousands separators where the format
    has a comma, ×100 and ``%`` for a percentage).

    Raises:
        ValueError: a format these rules do not cover (add it here when a style uses it).
    """
    if number_format == "General":
        return format(value.normalize(), "f")
    match = re.fullmatch(r"(#,##)?0(?:\.(0+))?(%?)", number_format)
    if match is None:
        raise ValueError(f"unsupported number format {number_format!r}")
    grouping, decimals, percent = match.group(1), len(match.group(2) or ""), match.group(3)
    if percent:
        value *= 100
    try:
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # past Decimal's 28 digits (a rate of 1E+32): as it is
        return f"{value.normalize():E}{percent}"
    return f"{rounded:{',' if grouping else ''}.{decimals}f}{percent}"


# --- layout helpers shared by the plan builders ----------------------------------------------

A4_WIDTH_PT, A4_HEIGHT_PT = style.A4_PT
MIN_ROW_HEIGHT = 20.0
MIN_SCALE = 55
"""Below this a printed form is too small to read; a longer page spills onto the next."""

class Grid:
    """Builds a plan row by row: ``put`` cells and merges, then ``finish`` estimates heights."""

    def __init__(self, plan: SheetPlan):
        self.plan = plan
        self.row = 0
        self._min_height: dict[int, float] = {}
        self._spans: list[tuple[int, int, float]] = []
        """(first row, rows, height needed) of each text merged over several rows."""

    def put(self, col: int, value, style: str = "text", kind: str = TEXT, *,
            to_col: int | None = None, rows: int = 1, row: int | None = None) -> None:
        """Write ``value`` at (``row`` or the current row, ``col``), merged through ``to_col``
        and over ``rows`` rows when those are given."""
        r = self.row if row is None else row
        if kind == TEXT and value is not None and not isinstance(value, str):
            value = str(value)
        self.plan.cells.append(PlanCell(r, col, value, style, kind))
        last_col = col if to_col is None else to_col
        if last_col != col or rows > 1:
            self.plan.merges.append((r, col, r + rows - 1, last_col))
        if kind == TEXT and value:
            need = text_height(value, self._width(col, last_col), STYLES[style])
            if rows == 1:
                self._min_height[r] = max(self._min_height.get(r, 0.0), need)
            else:
                self._spans.append((r, rows, need))

    def next(self, height: float | None = None) -> None:
        """Move to the next row; ``height`` sets the minimum height of the row just written."""
        if height is not None:
            self._min_height[self.row] = max(self._min_height.get(self.row, 0.0), height)
        self.row += 1

    def finish(self, default: float = MIN_ROW_HEIGHT) -> None:
        """Give every written row its estimated height (at least ``default`` points)."""
        heights = self.plan.row_heights
        for r in range(self.row):
            heights[r] = round(max(default, self._min_height.get(r, 0.0)), 1)
        for first, rows, need in self._spans:
            # A label over several rows (项目资金（万元）beside one money row) gets what its rows
            # lack: the last of them grows, so every row keeps the height its own cells need.
            short = need - sum(heights[r] for r in range(first, first + rows))
            if short > 0:
                heights[first + rows - 1] = round(heights[first + rows - 1] + short, 1)

    def _width(self, first: int, last: int) -> float:
        return sum(column_points(w) for w in self.plan.col_widths[first:last + 1])


def text_height(text: str, width_pt: float, style: StyleSpec) -> float:
    """Height in points a ``text`` needs in a cell (range) ``width_pt`` wide (``textwidth``)."""
    return textwidth.height(text, width_pt, style.size, wrap=style.wrap)


def page_scale(page_heights: list[float], plan: SheetPlan) -> int:
    """The largest print zoom (≤ 100%) at which the tallest page and the width fit A4."""
    left, right, top, bottom = plan.margins
    paper_w, paper_h = (A4_HEIGHT_PT, A4_WIDTH_PT) if plan.landscape else (A4_WIDTH_PT, A4_HEIGHT_PT)
    usable_h = (paper_h - (top + bottom) * 72) * 0.97
    usable_w = (paper_w - (left + right) * 72) * 0.99
    width = sum(column_points(w) for w in plan.col_widths)
    scale = min(100.0, usable_w / width * 100 if width else 100,
                min((usable_h / h * 100 for h in page_heights if h), default=100))
    return max(MIN_SCALE, math.floor(scale))
