"""A list sheet of a scored book as a plan: a title, a caption line, a header row repeated on
every printed page, then one row per item, a column of them linking to the cell the item is
about. 校验结果 (``findings``) and 得分对照 (``score_check``) are laid out so."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.model import CellRef
from ..layout import style
from .plan import FORMULA, Grid, SheetPlan

HEADER_ROW = 2


def list_sheet(name: str, columns: Sequence[tuple[str, float]], title: str, caption: str) -> tuple[SheetPlan, Grid]:
    """The sheet ``name`` with ``columns`` ((header, width) each), its title, caption and header
    row written; the grid is on the first item's row."""
    plan = SheetPlan(name, col_widths=[w for _, w in columns], fit_to_width=True,
                     print_title_rows=(HEADER_ROW, HEADER_ROW), footer=style.PAGE_FOOTER,
                     freeze=(HEADER_ROW + 1, 0), gridlines=True)
    grid = Grid(plan)
    last = len(columns) - 1
    grid.put(0, title, "title", to_col=last)
    grid.next(30)
    grid.put(0, caption, "caption", to_col=last)
    grid.next()
    for col, (header, _) in enumerate(columns):
        grid.put(col, header, "header")
    grid.next()
    return plan, grid


def put_link(grid: Grid, col: int, ref: CellRef | None) -> None:
    """A link to the cell ``ref`` (``cell_link``), or a dash for an item about no one cell."""
    if ref is not None:
        grid.put(col, cell_link(ref), "link", FORMULA)
    else:
        grid.put(col, "—", "center")


def cell_link(ref: CellRef) -> str:
    """``=HYPERLINK("#'绩效指标'!F2","绩效指标!F2")``: a link to a cell of this workbook.

    The HYPERLINK formula (rather than a cell hyperlink) behaves the same in Excel, WPS and
    LibreOffice, in files and through xlwings alike.
    """
    sheet = "'" + ref.sheet.replace("'", "''") + "'"
    target = f"#{sheet}!{ref.a1}"
    shown = f"{ref.sheet}!{ref.a1}"
    return f'=HYPERLINK("{_quoted(target)}","{_quoted(shown)}")'


def _quoted(text: str) -> str:
    return text.replace('"', '""')
