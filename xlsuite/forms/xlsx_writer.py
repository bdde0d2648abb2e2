"""Apply sheet plans and values to an openpyxl workbook (the file writer of the forms).

Only this module (and ``scored_book``) knows openpyxl; plans come from the pure builders, and
what a writer must do with them is ``forms.writer``'s ``PlanWriter`` / ``BookWriter``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from ..adapters.openpyxl_internals import set_merges, share_style
from ..core import contract as c
from ..core.model import CellRef
from ..layout import style
from .plan import FORMULA, NUMBER, STYLES, TEXT, SheetPlan, StyleSpec
from .writer import BookWriter

_THIN = Side(style="thin", color="000000")


class XlsxPlanWriter(BookWriter):
    """The ``BookWriter`` of an openpyxl workbook (``forms.writer``): the whole layout of each
    plan, as ``xlsuite score`` writes its file and desktop Excel copies it in.

    ``index``: where the first new sheet goes (default: the end); the plans follow it in order.
    """

    def __init__(self, wb: Workbook, index: int | None = None):
        self.wb = wb
        self.index = index

    def write_plans(self, plans: Sequence[SheetPlan]) -> None:
        for i, plan in enumerate(plans):
            _apply_plan(self.wb, plan, None if self.index is None else self.index + i)

    def write_values(self, values: Sequence[tuple[CellRef, Decimal]]) -> None:
        for ref, value in values:
            ws = self.wb[ref.sheet]
            ws.cell(ref.row + 1, ref.col + 1).value = float(value)

    def write_meta(self, rows: Sequence[tuple[str, str]]) -> None:
        """Creates the meta sheet (hidden) when the book has none."""
        wb = self.wb
        if c.META_SHEET in wb.sheetnames:
            ws = wb[c.META_SHEET]
        else:
            ws = wb.create_sheet(c.META_SHEET)
            ws.sheet_state = "hidden"
        where = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
        next_row = max(where.values(), default=0) + 1
        for key, value in rows:
            r = where.get(key)
            if r is None:
                r, next_row = next_row, next_row + 1
            _write(ws, r, 1, key, TEXT)
            _write(ws, r, 2, value, TEXT)


def _apply_plan(wb: Workbook, plan: SheetPlan, index: int | None) -> Worksheet:
    """Create the sheet ``plan.name`` at ``index`` (default: the end) and lay the plan out.

    A sheet of that name already in ``wb`` is replaced, so scoring twice leaves one copy.
    """
    if plan.name in wb.sheetnames:
        old = wb[plan.name]
        if index is None:
            index = wb.sheetnames.index(plan.name)
        wb.remove(old)
    ws = wb.create_sheet(plan.name, index)
    styler = _Styler()
    styles = {}
    for cell in plan.cells:
        styler.apply(_write(ws, cell.row + 1, cell.col + 1, cell.value, cell.kind), cell.style)
        styles[(cell.row, cell.col)] = cell.style
    for r1, c1, r2, c2 in plan.merges:
        # Style every cell of the range first: Excel and LibreOffice draw a merged range's
        # border from its member cells, and openpyxl keeps only the top-left's value.
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) != (r1, c1):
                    styler.apply(ws.cell(r + 1, col + 1), styles.get((r1, c1)))
    # All at once: merging one range at a time checks it against every earlier one.
    set_merges(ws, [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for r1, c1, r2, c2 in plan.merges])
    for i, width in enumerate(plan.col_widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    for r, height in plan.row_heights.items():
        ws.row_dimensions[r + 1].height = height
    _page_setup(ws, plan)
    return ws


# --- cells -------------------------------------------------------------------------------------


def _write(ws: Worksheet, row: int, col: int, value, kind: str):
    """Put ``value`` into the cell as ``kind`` says; returns the cell (its style is the caller's)."""
    cell = ws.cell(row, col)
    if value is not None:
        if kind == NUMBER:
            cell.value = float(value) if isinstance(value, Decimal) else value
        elif kind == FORMULA:
            cell.value = value  # one of our own formulas; openpyxl stores it as a formula
        else:
            cell.value = str(value)
            cell.data_type = "s"  # text stays text, even "=SUM(A1)" typed as a unit name
    return cell


class _Styler:
    """Styles cells of one sheet: the first cell of each style through openpyxl's style
    objects, every later one by copying that cell's style ids (assigning the objects again
    would hash them and search the workbook's style lists for every cell)."""

    def __init__(self):
        self.first: dict[str, object] = {}

    def apply(self, cell, style: str | None) -> None:
        if style is None:
            return
        styled = self.first.get(style)
        if styled is not None:
            share_style(styled, cell)
            return
        font, alignment, border, number_format = _formats(style)
        cell.font, cell.alignment, cell.number_format = font, alignment, number_format
        if border is not None:
            cell.border = border
        self.first[style] = cell


@cache
def _formats(style: str):
    spec: StyleSpec = STYLES[style]
    font = Font(name=spec.font, size=spec.size, bold=spec.bold, charset=134,
                color=spec.color, underline="single" if spec.underline else None)
    alignment = Alignment(horizontal=spec.align, vertical=spec.valign, wrap_text=spec.wrap,
                          shrink_to_fit=spec.shrink or None)
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN) if spec.border else None
    return font, alignment, border, spec.number_format


def _page_setup(ws: Worksheet, plan: SheetPlan) -> None:
    setup = ws.page_setup
    setup.paperSize = style.A4_PAPER
    setup.orientation = "landscape" if plan.landscape else "portrait"
    if plan.fit_to_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 0
    else:
        setup.scale = plan.scale
    left, right, top, bottom = plan.margins
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom,
                                  header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = plan.center_horizontally
    if plan.footer:
        ws.oddFooter.center.text = plan.footer
    if plan.print_title_rows is not None:
        first, last = plan.print_title_rows
        ws.print_title_rows = f"{first + 1}:{last + 1}"
    if plan.row_breaks:
        breaks = RowBreak()
        for r in plan.row_breaks:
            breaks.append(Break(id=r))
        ws.row_breaks = breaks
    ws.sheet_view.showGridLines = plan.gridlines
    if plan.freeze is not None:
        ws.freeze_panes = ws.cell(plan.freeze[0] + 1, plan.freeze[1] + 1)
