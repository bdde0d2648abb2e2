"""Colouring the cells a 校验 finds, and restoring the cells the previous run coloured.

The findings themselves go into 校验结果 as ``forms.findings.findings_sheet`` lays it out (the
same sheet 评分 writes): its 位置 column holds a HYPERLINK formula per finding whose shown text
is the location itself, so the next run reads back which cells it coloured. ``colour_plan``
gives, per sheet and column, the fills to set: the new offending cells in their severity's
colour, and cells coloured by the previous run back to the fill the template gives them.
``paint`` applies it: one call per column (per 10,000 cells of it) on a JSON host, and on desktop Excel one call
per fill colour and ~20 cells (union addresses; xlwings' own ``set_colors`` there makes one call
per cell).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..core import contract as c
from ..core.model import CellRef, column_letters
from ..core.validation import ERROR, HINT, SEVERITIES, WARNING, Finding
from ..forms import findings as layout
from ..layout import style
from .host import SET_COLORS_LIMIT

LOCATION_COLUMN = [name for name, _ in layout.COLUMNS].index(c.FINDING_LOCATION)
"""Column of 位置 in 校验结果; its rows start below ``layout.HEADER_ROW``."""
TEMPLATE_HEADER_ROW = c.HEADER_ROW
"""Header row (0-based) of the template's data sheets; their data starts below it."""

FILLS = {ERROR: style.ERROR_FILL, WARNING: style.WARNING_FILL, HINT: style.HINT_FILL}
"""Fill of an offending cell by the most serious finding on it."""
HEADER_FILL, LABEL_FILL = style.HEADER_FILL, style.LABEL_FILL
"""The template's fills (``template._Formats``): headers, and locked labels and totals."""

UNION_LIMIT = 255
"""Excel takes at most 255 characters in a ``Range("A1,B2,…")`` address."""

_LOCATION = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")


def summary(findings: list[Finding]) -> str:
    """The message box after 校验."""
    counts = Counter(f.severity for f in findings)
    if not findings:
        return "校验通过：未发现问题。"
    parts = "，".join(f"{s} {counts[s]} 条" for s in SEVERITIES if counts[s])
    return f"校验完成：共 {len(findings)} 条（{parts}）。详见“{c.FINDINGS_SHEET}”表，有问题的单元格已标色。"


def previous_cells(grid: list[list] | None) -> set[CellRef]:
    """The cells a previous run listed (and coloured), read back from 校验结果's 位置 column."""
    cells = set()
    for line in (grid or [])[layout.HEADER_ROW + 1:]:
        if len(line) > LOCATION_COLUMN:
            match = _LOCATION.match(str(line[LOCATION_COLUMN]))
            if match:
                cells.add(CellRef(match["sheet"], int(match["row"]) - 1, _column_index(match["col"])))
    return cells


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


@dataclass(frozen=True)
class ColumnColours:
    """Fills for one column of one sheet from ``first_row`` down: ``...`` keeps a cell's fill."""

    sheet: str
    column: int
    first_row: int
    fills: tuple

    @property
    def address(self) -> str:
        return self._address(self.first_row, len(self.fills))

    def blocks(self, rows: int) -> list[tuple[str, tuple]]:
        """(address, fills) of consecutive blocks of at most ``rows`` cells covering the column."""
        return [(self._address(self.first_row + start, len(self.fills[start:start + rows])),
                 self.fills[start:start + rows]) for start in range(0, len(self.fills), rows)]

    def _address(self, first_row: int, rows: int) -> str:
        letters = column_letters(self.column)
        return f"{letters}{first_row + 1}:{letters}{first_row + rows}"


def colour_plan(findings: list[Finding], previous: set[CellRef],
                grids: dict[str, list[list]]) -> list[ColumnColours]:
    """One ``ColumnColours`` per (sheet, column) that has a cell to colour or to restore.

    One per column rather than per cell keeps the number of writes independent of the number of
    rows; the column is the unit because a sheet's full box may exceed the 10,000 cells xlwings
    allows in one call.
    """
    wanted: dict[CellRef, str | None] = {}
    for cell in previous:
        if cell.sheet in grids:
            wanted[cell] = template_fill(cell, grids[cell.sheet])
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    best: dict[CellRef, str] = {}
    for f in findings:
        if f.cell is not None and f.cell.sheet in grids:
            if f.cell not in best or rank[f.severity] < rank[best[f.cell]]:
                best[f.cell] = f.severity
    for cell, severity in best.items():
        wanted[cell] = FILLS[severity]
    by_column: dict[tuple[str, int], dict[int, str | None]] = {}
    for cell, fill in wanted.items():
        by_column.setdefault((cell.sheet, cell.col), {})[cell.row] = fill
    plan = []
    for (sheet, col), rows in sorted(by_column.items()):
        first, last = min(rows), max(rows)
        plan.append(ColumnColours(sheet, col, first,
                                  tuple(rows.get(r, ...) for r in range(first, last + 1))))
    return plan


def template_fill(cell: CellRef, grid: list[list]) -> str | None:
    """The fill the template gives ``cell``: header blue, label and total grey, inputs none."""
    if cell.row == TEMPLATE_HEADER_ROW:
        return HEADER_FILL
    if cell.row < TEMPLATE_HEADER_ROW:
        return None
    line = grid[cell.row] if cell.row < len(grid) else []
    if cell.sheet == c.INFO_SHEET:
        return LABEL_FILL if cell.col == 0 else None
    if cell.sheet == c.BUDGET_SHEET:
        name_col = [col.key for col in c.BUDGET_COLUMNS].index("name")
        totals = {r.name for r in c.budget_rows() if r.is_total}
        if cell.col <= name_col or (len(line) > name_col and line[name_col] in totals):
            return LABEL_FILL
        return None
    if cell.sheet == c.PROJECT_SHEET:
        return LABEL_FILL if line[:1] == [c.PROJECT_TOTAL_LABEL] else None
    return None


def paint(book, plan: list[ColumnColours], desktop: bool) -> None:
    """Apply ``plan`` to ``book``: on desktop Excel by union addresses per fill, elsewhere one
    ``set_colors`` per column."""
    for sheet_name in dict.fromkeys(column.sheet for column in plan):
        sheet = book.sheets[sheet_name]
        columns = [column for column in plan if column.sheet == sheet_name]
        with _unprotected(sheet):
            if desktop:
                for fill, address in union_addresses(columns):
                    sheet.range(address).color = fill
            else:
                for column in columns:
                    # xlwings takes 10,000 cells a call: a column of 15,000 projects goes in blocks
                    for address, fills in column.blocks(SET_COLORS_LIMIT):
                        sheet.range(address).set_colors([[f] for f in fills])


def union_addresses(columns: list[ColumnColours]) -> list[tuple[str | None, str]]:
    """(fill, ``"E3,E9,…"``) pairs covering every cell to set, each address within
    ``UNION_LIMIT`` characters."""
    by_fill: dict[str | None, list[str]] = {}
    for column in columns:
        letters = column_letters(column.column)
        for i, fill in enumerate(column.fills):
            if fill is not ...:
                by_fill.setdefault(fill, []).append(f"{letters}{column.first_row + i + 1}")
    out = []
    for fill, cells in by_fill.items():
        chunk = ""
        for cell in cells:
            if chunk and len(chunk) + 1 + len(cell) > UNION_LIMIT:
                out.append((fill, chunk))
                chunk = ""
            chunk = f"{chunk},{cell}" if chunk else cell
        if chunk:
            out.append((fill, chunk))
    return out


class _unprotected:
    """Lift a sheet's (password-less) protection while colouring it, in desktop Excel.

    The template protects its sheets against slips, which also forbids formatting cells. The
    JSON host has no protection to lift, so there this does nothing.
    """

    def __init__(self, sheet):
        self.api = None
        try:
            api = sheet.api
            if getattr(api, "ProtectContents", False):
                api.Unprotect()
                self.api = api
        except Exception:  # a JSON host: no api
            self.api = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.api is not None:
            self.api.Protect(AllowInsertingRows=True, AllowDeletingRows=True,
                             AllowFormattingColumns=True, AllowFormattingRows=True,
                             AllowFiltering=True, AllowSorting=True)
        return False
