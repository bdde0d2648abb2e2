"""The limits of a book xlsuite reads, worded once and checked alike on every path before the work.

The numbers are the contract's: ``MAX_SHEET_ROWS`` and ``MAX_SHEET_COLUMNS``, how far a sheet
xlsuite reads may reach (which bounds its projects and indicators), and ``MAX_CELL_TEXT``, the
longest text a cell holds in Excel. Three paths check the extent, each as early as it can and each
with the same Chinese line:

- a file: ``reader.package`` finds a sheet's extent in its XML, before any engine loads it;
- a book open in Excel (the buttons): ``excel.bookio`` asks for the sheet's used range, before
  reading a rectangle from A1 to it (a stray value in XFD100 would make that 1.6 million cells);
- a book sent to ``xlsuite serve``: ``server.app`` measures the payload's grids, before building
  the book, and answers 413.

Text lengths are checked on the grids every path parses (``reader.parse.parse_book``), and by the
server before the work too: only a program writes a longer text, and no output could hold it.
"""

from __future__ import annotations

from . import contract as c
from .model import column_letters

LIMITED_SHEETS = frozenset(c.READ_SHEETS)
"""The sheets the limits apply to: those every reader reads. Others (a user's own notes, the
generated forms) are never read as data, so their size is no concern of the readers."""


def extent_reason(sheet: str, rows: int, columns: int) -> str | None:
    """Why a sheet reaching ``rows`` × ``columns`` (to its last used cell) is refused, or None."""
    if rows <= c.MAX_SHEET_ROWS and columns <= c.MAX_SHEET_COLUMNS:
        return None
    return (f"工作表“{sheet}”的已用区域过大（达 {_count(rows)} 行 × {_count(columns)} 列，"
            f"上限 {c.MAX_SHEET_ROWS:,} 行 × {c.MAX_SHEET_COLUMNS} 列）")


def long_texts(sheet: str, grid: list[list]) -> list[tuple[str, str]]:
    """``(cell reference, problem)`` for each text in ``grid`` longer than a cell holds."""
    return [(f"{sheet}!{column_letters(col)}{row + 1}",
             f"文字长达 {len(value):,} 字，超过单元格上限 {c.MAX_CELL_TEXT:,} 字")
            for row, line in enumerate(grid) for col, value in enumerate(line)
            if value.__class__ is str and len(value) > c.MAX_CELL_TEXT]


def _count(n: int) -> str:
    # A reference's digits may be any number in a damaged file: past a billion, the exact count
    # says nothing more.
    return f"{n:,}" if n < 10**9 else "10 亿以上"
