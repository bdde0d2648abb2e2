"""The 校验结果 sheet and the cell colours of a 校验 run, as plain data (no Excel here).

``findings_grid`` lays the findings out as rows of values, each location a HYPERLINK formula to
its cell (which works in Excel, WPS and LibreOffice alike) whose shown text is the location
itself, so the next run can read back which cells it coloured. ``colour_plan`` gives, per sheet
and column, the fills to set: the new offending cells in their severity's colour, and cells
coloured by the previous run back to the fill the template gives them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .. import contract as c
from ..model import CellRef, column_letters
from ..validation import ERROR, HINT, SEVERITIES, WARNING, Finding

FINDINGS_SHEET = "校验结果"
HEADERS = ("序号", "严重程度", "规则编号", "位置", "说明", "评价对象")
LOCATION_COLUMN = HEADERS.index("位置")
HEADER_ROW = 1
"""Row 1 holds the summary line, row 2 the headers, findings from row 3 (0-based 0, 1, 2…)."""
WIDTHS = (6, 9, 24, 18, 80, 14)

FILLS = {ERROR: "#FFC7CE", WARNING: "#FFEB9C", HINT: "#DDEBF7"}
"""Fill of an offending cell by the most serious finding on it."""
HEADER_FILL = "#D9E1F2"
LABEL_FILL = "#F2F2F2"
"""The template's fills (``template._Formats``): headers, and locked labels and totals."""

_LOCATION = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")


def summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    if not findings:
        return "校验通过：未发现问题。"
    parts = "，".join(f"{s} {counts[s]} 条" for s in SEVERITIES if counts[s])
    return f"校验完成：共 {len(findings)} 条（{parts}）。详见“{FINDINGS_SHEET}”表，有问题的单元格已标色。"


def findings_grid(findings: list[Finding]) -> list[list]:
    """Rows for 校验结果 from A1: summary, headers, one row per finding."""
    rows: list[list] = [[summary(findings)] + [""] * (len(HEADERS) - 1), list(HEADERS)]
    for n, f in enumerate(findings, start=1):
        rows.append([n, f.severity, f.rule_id, _link(f.cell), _text(f.message), _text(f.subject)])
    return rows


def _text(value: str) -> str:
    # A message quoting what the user typed may begin with "=" or "@": keep it text.
    return "'" + value if value[:1] in ("=", "@", "+", "-") else value


def _link(cell: CellRef | None) -> str:
    if cell is None:
        return ""
    target = f"#'{cell.sheet}'!{cell.a1}".replace('"', '""')
    return f'=HYPERLINK("{target}","{str(cell).replace(chr(34), chr(34) * 2)}")'


def previous_cells(grid: list[list] | None) -> set[CellRef]:
    """The cells a previous run listed (and coloured), read back from its 位置 column."""
    cells = set()
    for line in (grid or [])[HEADER_ROW + 1:]:
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
        letters = column_letters(self.column)
        return f"{letters}{self.first_row + 1}:{letters}{self.first_row + len(self.fills)}"


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
    if cell.row == HEADER_ROW:
        return HEADER_FILL
    if cell.row < HEADER_ROW:
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
