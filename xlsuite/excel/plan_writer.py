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
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..core import contract as c
from ..core.model import CellRef
from ..forms.plan import FORMULA, NUMBER, SheetPlan
from ..forms.writer import BookWriter

DESKTOP_ENGINE = "excel"


class LiveBookPlanWriter(BookWriter):
    """The ``BookWriter`` of an open xlwings ``Book`` (``forms.writer``), by the two paths the
    module notes describe: the whole layout in desktop Excel, values and kinds only on a JSON
    host (there a merged range's other cells stay empty and no format is set, so a number shows
    as the number it is, unformatted).

    Args:
        book: the open book.
        grids: sheet name → values read from the book before any write (``bookio``);
            ``write_values`` keeps the cells between two written ones as read, ``write_meta``
            adds to the keys read. Only those two need them.
        after_sheet: where new sheets go (default: after the last sheet); each further plan
            goes after the one before it. A sheet named as a plan is replaced where it stands.
    """

    def __init__(self, book, grids: dict[str, list[list]] | None = None, after_sheet: str | None = None):
        self.book = book
        self.grids = grids or {}
        self.after_sheet = after_sheet

    def write_plans(self, plans: Sequence[SheetPlan]) -> None:
        if is_desktop(self.book):
            import_plans(self.book, plans, self.after_sheet)
        else:
            anchor = self.after_sheet
            for plan in plans:
                _write_plan_values(self.book, plan, anchor)
                anchor = plan.name

    def write_values(self, values: Sequence[tuple[CellRef, Decimal]]) -> None:
        """Per sheet and column, one write over the rows from the first to the last cell."""
        _write_cell_values(self.book, values, self.grids)

    def write_meta(self, rows: Sequence[tuple[str, str]]) -> None:
        """In one write; a book without the meta sheet gets none (only xlsuite's template has
        one, and a sheet added here would show: a host cannot hide it)."""
        if c.META_SHEET in self.grids:
            _write_meta(self.book, rows, self.grids[c.META_SHEET])


def is_desktop(book) -> bool:
    """Whether ``book`` lives in desktop Excel (Windows or macOS), which can open files."""
    try:
        return book.app.engine.name == DESKTOP_ENGINE
    except Exception:  # an engine without app or engine: treat as remote
        return False


# --- JSON host: values only ------------------------------------------------------------


def _values_grid(plan: SheetPlan) -> list[list]:
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


def _write_plan_values(book, plan: SheetPlan, after_sheet: str | None = None):
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
    sheet.range((1, 1)).value = _values_grid(plan)
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

    from ..forms.xlsx_writer import XlsxPlanWriter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    XlsxPlanWriter(wb).write_plans(plans)
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


def _write_cell_values(book, values: Sequence[tuple[CellRef, Decimal]], grids: dict[str, list[list]]) -> None:
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


def _write_meta(book, rows: Sequence[tuple[str, str]], grid: list[list]) -> None:
    """Set key–value rows of the meta sheet in one write (keys already there keep their row)."""
    current = [[str(line[0]) if line else "", str(line[1]) if len(line) > 1 else ""]
               for line in grid]
    where = {key: i for i, (key, _) in enumerate(current) if key}
    for key, value in rows:
        if key in where:
            current[where[key]][1] = value
        else:
            where[key] = len(current)
            current.append([key, value])
    book.sheets[c.META_SHEET].range((1, 1)).value = [[_value(k, "text"), _value(v, "text")]
                                                     for k, v in current]
