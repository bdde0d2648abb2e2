"""Apply ``xlsuite.forms`` sheet plans to an open xlwings ``Book``.

The counterpart of ``forms.xlsx_writer`` for live Excel: the same plans, so 评分 in Excel lays
out the same forms as ``xlsuite score`` on the file. A plan's values go in one bulk write; its
merges, column widths and row heights follow, one call each (merges are what the official forms
need; the Office.js clients cannot do them, desktop Excel and files can).

Not yet applied: fonts, borders, alignment and print settings of the plan's styles (the file
writer applies them); see the module ``forms.plan`` for what they are.
"""

from __future__ import annotations

from decimal import Decimal

from ..forms.plan import FORMULA, NUMBER, SheetPlan
from ..model import CellRef


def plan_grid(plan: SheetPlan) -> list[list]:
    """The plan's values as a rectangular grid from A1, as one ``setValues`` writes them."""
    rows = plan.last_row + 1
    cols = max((c.col for c in plan.cells), default=-1) + 1
    grid = [[""] * max(cols, 1) for _ in range(max(rows, 1))]
    for cell in plan.cells:
        grid[cell.row][cell.col] = _value(cell.value, cell.kind)
    return grid


def _value(value, kind: str):
    if value is None:
        return ""
    if kind == NUMBER:
        return float(value) if isinstance(value, Decimal) else value
    if kind == FORMULA:
        return value
    text = str(value)
    # Text stays text: Excel reads a leading apostrophe as "this is text" and does not show it.
    return "'" + text if text[:1] in ("=", "@", "+", "-", "'") else text


def write_plan(book, plan: SheetPlan, after_sheet: str | None = None):
    """Lay ``plan`` out on sheet ``plan.name``: emptied if it exists, else added after
    ``after_sheet`` (default: the last sheet). Returns the sheet."""
    names = [s.name for s in book.sheets]
    if plan.name in names:
        sheet = book.sheets[plan.name]
        sheet.clear()
    else:
        anchor = book.sheets[after_sheet] if after_sheet in names else book.sheets[len(names) - 1]
        sheet = book.sheets.add(plan.name, after=anchor)
    sheet.range((1, 1)).value = plan_grid(plan)
    for r1, c1, r2, c2 in plan.merges:
        sheet.range((r1 + 1, c1 + 1), (r2 + 1, c2 + 1)).merge()
    for i, width in enumerate(plan.col_widths):
        sheet.range((1, i + 1)).column_width = width
    return sheet


def write_cell_values(book, values: list[tuple[CellRef, Decimal]], grids: dict[str, list[list]]) -> None:
    """Put numbers into existing cells: per sheet and column, one write over the rows from the
    first to the last cell, the rows in between keeping the values read before (``grids``)."""
    by_column: dict[tuple[str, int], dict[int, float]] = {}
    for ref, value in values:
        by_column.setdefault((ref.sheet, ref.col), {})[ref.row] = float(value)
    for (sheet, col), rows in sorted(by_column.items()):
        grid = grids[sheet]
        first, last = min(rows), max(rows)
        column = [[rows[r] if r in rows else _existing(grid, r, col)] for r in range(first, last + 1)]
        book.sheets[sheet].range((first + 1, col + 1)).value = column


def _existing(grid: list[list], row: int, col: int):
    value = grid[row][col] if row < len(grid) and col < len(grid[row]) else ""
    return _value(value, "text") if isinstance(value, str) else value


def write_meta(book, rows: list[tuple[str, str]], grid: list[list] | None, sheet_name: str) -> None:
    """Set key–value rows of the meta sheet in one write (keys already there keep their row)."""
    current = [[str(line[0]) if line else "", str(line[1]) if len(line) > 1 else ""]
               for line in (grid or [])]
    where = {key: i for i, (key, _) in enumerate(current) if key}
    for key, value in rows:
        if key in where:
            current[where[key]][1] = value
        else:
            where[key] = len(current)
            current.append([key, value])
    book.sheets[sheet_name].range((1, 1)).value = [[_value(k, "text"), _value(v, "text")]
                                                   for k, v in current]
