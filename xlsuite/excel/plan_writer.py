"""Apply ``xlsuite.forms`` sheet plans to an open xlwings ``Book``, in a fixed number of calls.

The official forms repeat a block per project, each with its own merges and styles: applied cell
by cell or merge by merge they cost one call into Excel per merge (about 2,600 for 50 projects
with 1,000 indicators). Neither desktop Excel nor a JSON host can do better range by range: the host protocol's
ranges are single rectangles (no union addresses), and desktop Excel's union addresses stop at
255 characters, so chunking them grows with the book again. So the plans reach Excel whole:

- **desktop Excel** (``book.app.engine.name == "excel"``): ``forms.xlsx_writer`` — the writer
  of ``xlsuite score`` — lays every plan out in a temporary workbook, which Excel opens; each
  sheet is copied into the book (``Sheet.copy``: values, merges, fonts, borders, alignment,
  number formats, widths, heights, page breaks, print setup, all in one call) and the temporary
  workbook is closed. A generated sheet already in the book is deleted first and its copy takes
  its place. Calls: open, close, and per sheet at most a delete and a copy;
- **a JSON host** (``host``: tests, ``xlsuite serve``, the WPS add-in; like the Office.js clients, which implement no merges, widths or
  fonts anyway): each plan's values in one write on a sheet added or emptied; no layout.

Both place the same values in the same cells, so 评分 gives the same forms in either.
"""

from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from ..core.model import CellRef
from ..forms.plan import FORMULA, NUMBER, SheetPlan

DESKTOP_ENGINE = "excel"


def write_plans(book, plans, after_sheet: str | None = None) -> None:
    """Lay ``plans`` out on sheets named ``plan.name``, in order: a sheet of that name is
    replaced where it stands; a new one goes after ``after_sheet`` (default: the last sheet)
    or after the plan before it."""
    if is_desktop(book):
        import_plans(book, plans, after_sheet)
    else:
        anchor = after_sheet
        for plan in plans:
            write_plan_values(book, plan, anchor)
            anchor = plan.name


def is_desktop(book) -> bool:
    """Whether ``book`` lives in desktop Excel (Windows or macOS), which can open files."""
    try:
        return book.app.engine.name == DESKTOP_ENGINE
    except Exception:  # an engine without app or engine: treat as remote
        return False


# --- JSON host: values only ------------------------------------------------------------


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


def write_plan_values(book, plan: SheetPlan, after_sheet: str | None = None):
    """The plan's values on sheet ``plan.name`` (emptied, or added after ``after_sheet``):
    two calls whatever the plan's size. Returns the sheet."""
    names = [s.name for s in book.sheets]
    if plan.name in names:
        sheet = book.sheets[plan.name]
        sheet.clear()
    else:
        anchor = book.sheets[after_sheet] if after_sheet in names else book.sheets[len(names) - 1]
        # after=: xlwings' remote engine put a sheet added with before= one place too early.
        sheet = book.sheets.add(plan.name, after=anchor)
    sheet.range((1, 1)).value = plan_grid(plan)
    return sheet


# --- desktop Excel: sheets built by the file writer, copied in --------------------------------


def import_plans(book, plans, after_sheet: str | None = None) -> None:
    """Copy ``plans``, laid out by ``forms.xlsx_writer`` in a temporary workbook, into ``book``."""
    path = _plans_file(plans)
    app = book.app
    updating, alerts = app.screen_updating, app.display_alerts
    app.screen_updating = False
    app.display_alerts = False  # Sheet.Delete would ask "are you sure?"
    source = None
    try:
        source = app.books.open(str(path))
        names = [s.name for s in book.sheets]
        anchor = after_sheet if after_sheet in names else names[-1]
        for plan in plans:
            if plan.name in names:
                at = names.index(plan.name)
                # The sheet before the old one; the old one is never first (说明 is).
                anchor = names[at - 1] if at > 0 else None
                book.sheets[plan.name].delete()
                names.remove(plan.name)
            if anchor is None:
                source.sheets[plan.name].copy(before=book.sheets[0])
            else:
                source.sheets[plan.name].copy(after=book.sheets[anchor])
            names.insert(names.index(anchor) + 1 if anchor else 0, plan.name)
            anchor = plan.name
    finally:
        if source is not None:
            source.close()
        app.display_alerts, app.screen_updating = alerts, updating
        path.unlink(missing_ok=True)
    book.activate()


def _plans_file(plans) -> Path:
    """A temporary .xlsx holding just ``plans``, as ``xlsuite score`` lays them out."""
    import openpyxl

    from ..forms.xlsx_writer import apply_plan

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for plan in plans:
        apply_plan(wb, plan)
    fd, name = tempfile.mkstemp(prefix="xlsuite-", suffix=".xlsx", dir=_excel_readable_dir())
    os.close(fd)
    try:
        wb.save(name)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _excel_readable_dir() -> str | None:
    """Where Excel may open a file without asking: on macOS its sandbox container (a file
    elsewhere brings up a "grant access" dialog, as xlwings' own temporary pictures avoid);
    elsewhere the system's temporary folder."""
    if sys.platform == "darwin":
        container = Path.home() / "Library/Containers/com.microsoft.Excel/Data"
        if container.is_dir():
            return str(container)
    return None


# --- values into existing sheets ---------------------------------------------------------------


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
