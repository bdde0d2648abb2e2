"""Draw sheet plans (``xlsuite.forms.plan``) into a Word document: ``DocxPlanWriter``.

The official forms are laid out once, as the ``SheetPlan`` data that ``xlsuite score`` and the
Excel buttons write into workbooks (``xlsuite.forms.official``); the report's appendix draws
those very plans, so the forms in the report and in the scored workbook cannot drift apart.

How a plan becomes Word:

- a row whose cells are all borderless (the title, the year, 填报单位 … 金额单位, 联系人 …)
  becomes a paragraph: the 表格标题 style for a ``title`` cell, 表格说明 for the others; when the
  row holds several cells they are joined by tabs, each tab stop where its cell sits (the left,
  centre or right of its columns, as the cell is aligned);
- consecutive rows holding bordered cells become one table in the template's 表格 style, with
  the plan's columns: widths proportional to their printed widths, scaled to the page's text
  width; merged ranges become merged cells; a row never splits across pages, and the first
  row (the form's 部门名称 / 项目名称) repeats on every page a table runs onto; a number stays
  on one line;
- a cell's text is what the spreadsheet shows (``plan.display``: numbers under their number
  formats); its style gives bold and horizontal and vertical alignment, while font and size
  come from the template's 表格文字 style, so a county's restyled template restyles the forms;
- a manual page break (``row_breaks``) starts a new page; an empty row separates nothing in
  Word and is dropped; row heights are the spreadsheet's estimate, and Word grows rows itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Emu, Pt

from ..adapters.docx_oxml import BodyEnd, TableGrid, no_wrap, qn, set_style_id, style_id
from ..forms.plan import STYLES, PlanCell, SheetPlan, display
from ..forms.writer import PlanWriter
from ..layout import textwidth
from ..layout.textwidth import column_points
from .docx_template import STYLE_NAMES, TABLE_STYLE

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
_TAB = {"left": WD_TAB_ALIGNMENT.LEFT, "center": WD_TAB_ALIGNMENT.CENTER,
        "right": WD_TAB_ALIGNMENT.RIGHT}
_VALIGN = {"top": WD_CELL_VERTICAL_ALIGNMENT.TOP, "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
           "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}
_PARAGRAPH_STYLE = {"title": "form_title"}
"""Plan style → report template style of a borderless row; any other is ``form_caption``."""

PARAGRAPH, TABLE = "paragraph", "table"


class DocxPlanWriter(PlanWriter):
    """The ``PlanWriter`` of a python-docx ``Document`` (``forms.writer``): each plan appended to
    the end of ``doc`` as paragraphs and tables (see the module notes).

    Args:
        doc: the document.
        style_ids: the document's ``paragraph_style_ids`` when the caller has them.
        above_pt: what the page already holds above each plan, such as 附件1: each printed page
            of a plan (a form) whose tables would run onto a second page in the template's table
            type is set smaller, down to ``MIN_TABLE_TEXT_PT``, if that keeps it on one page.
    """

    def __init__(self, doc, style_ids: dict[str, str | None] | None = None, *, above_pt: float = 0.0):
        self.doc = doc
        self.style_ids = paragraph_style_ids(doc) if style_ids is None else style_ids
        self.above_pt = above_pt

    def write_plans(self, plans: Sequence[SheetPlan]) -> None:
        for plan in plans:
            self._draw(plan)

    def _draw(self, plan: SheetPlan) -> None:
        doc, style_ids = self.doc, self.style_ids
        widths = _column_widths(doc, plan)
        breaks = set(plan.row_breaks)
        rows = _cells_by_row(plan)
        merges = Merges(plan)
        end = BodyEnd(doc)
        pages = _pages(plan, segments(plan))
        sizes = _page_sizes(doc, plan, pages, widths, rows, merges, self.above_pt)
        for page, size in zip(pages, sizes, strict=True):
            for kind, first, last in page:
                if kind == PARAGRAPH:
                    paragraph = _row_paragraph(end, rows[first], widths, merges, style_ids)
                else:
                    paragraph = _table(doc, end, first, last, widths, rows, merges, style_ids["table_text"], size)
                if first in breaks:
                    paragraph.paragraph_format.page_break_before = True


class Merges:
    """A plan's merged ranges, found by their first cell and by their first row.

    Every lookup is per cell or per table, and a plan of P projects has some 30·P merges: a
    scan of them all per lookup made ``xlsuite report`` quadratic in projects (1,000 projects
    60 s, 3,000 projects 338 s)."""

    def __init__(self, plan: SheetPlan):
        self.at: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        for merge in plan.merges:
            self.at[(merge[0], merge[1])] = merge
            self.by_row.setdefault(merge[0], []).append(merge)

    def span(self, row: int, col: int) -> tuple[int, int, int, int]:
        """The range the cell at ``row``, ``col`` covers (itself when not merged)."""
        return self.at.get((row, col), (row, col, row, col))

    def starting_in(self, first: int, last: int) -> list[tuple[int, int, int, int]]:
        """The merges whose first row lies in ``first``..``last``."""
        return [m for r in range(first, last + 1) for m in self.by_row.get(r, ())]


def _pages(plan: SheetPlan, runs: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """``runs`` (``segments``) grouped by printed page: a manual break starts a page."""
    pages: list[list[tuple[str, int, int]]] = [[]]
    breaks = set(plan.row_breaks)
    for run in runs:
        if run[1] in breaks and pages[-1]:
            pages.append([])
        pages[-1].append(run)
    return pages


MIN_TABLE_TEXT_PT = 7.5
"""六号: the smallest type a form's table is set in to keep the form on one page."""
_SIZE_STEP_PT = 0.5
_WORD_LINE = 1.3
"""Line height in ems of single-spaced CJK text in a table cell, and (``_PARAGRAPH_LINE``) of the
form's title and captions, measured on LibreOffice's pages (``pdftotext -bbox``) of the sample's
部门整体 form at 8 pt: the table came within 1% of its estimate, the title and captions within 2%."""
_PARAGRAPH_LINE = 1.45
_PAGE_FILL = 0.96
"""The share of a page's height a form may be estimated to fill and still be said to fit: the
estimate is no typesetter, and the fonts Word and LibreOffice substitute differ a little."""
_ROW_PAD_PT = 2.0
"""Borders and the space Word leaves above and below a cell's paragraph."""


def _page_sizes(doc, plan: SheetPlan, pages, widths: list[int], rows, merges: Merges,
                above_pt: float) -> list[float | None]:
    """Per printed page of ``plan``: the table type size that keeps it on one page when the
    template's does not, else ``None`` (the template's size: it fits, or nothing ≥ the minimum
    makes it fit, and the form runs on with its header row repeated)."""
    section = doc.sections[-1]
    usable = (section.page_height - section.top_margin - section.bottom_margin) / _PT * _PAGE_FILL
    base, padding = _table_text_metrics(doc)
    sizes: list[float | None] = []
    for n, page in enumerate(pages):
        room = usable - (above_pt if n == 0 else 0.0)
        room -= sum(line_height(doc, _paragraph_kind(rows[first])) for kind, first, _ in page if kind == PARAGRAPH)
        tables = [(first, last) for kind, first, last in page if kind == TABLE]
        chosen = None
        if _tables_height(tables, widths, rows, merges, base, padding) > room:
            size = base - _SIZE_STEP_PT
            while size >= MIN_TABLE_TEXT_PT and chosen is None:
                if _tables_height(tables, widths, rows, merges, size, padding) <= room:
                    chosen = size
                size -= _SIZE_STEP_PT
        sizes.append(chosen)
    return sizes


def _tables_height(tables, widths, rows, merges: Merges, size: float, padding: int) -> float:
    return sum(_table_height(first, last, widths, rows, merges, size, padding) for first, last in tables)


def _table_height(first: int, last: int, widths: list[int], rows, merges: Merges, size: float,
                  padding: int) -> float:
    """Points rows ``first``..``last`` take in Word with text of ``size`` points: each row as
    tall as its tallest one-row cell; a cell merged down several rows that needs more than they
    give adds the rest to its last row."""
    heights = {r: 0.0 for r in range(first, last + 1)}
    tall: list[tuple[int, int, float]] = []
    for r in range(first, last + 1):
        for cell in rows.get(r, ()):
            r1, c1, r2, c2 = merges.span(cell.row, cell.col)
            width = (sum(widths[c1:c2 + 1]) - padding) / _PT
            text = display(cell)
            count = textwidth.lines(text, width + textwidth.CELL_PADDING_PT, size) if text else 1
            need = count * size * _WORD_LINE + _ROW_PAD_PT
            if r2 > r1:
                tall.append((r1, min(r2, last), need))
            else:
                heights[r] = max(heights[r], need)
    for r1, r2, need in tall:
        given = sum(heights[r] for r in range(r1, r2 + 1))
        if need > given:
            heights[r2] += need - given
    return sum(heights.values())


def _paragraph_kind(cells: list[PlanCell]) -> str:
    """The report template's style kind of a borderless row's paragraph."""
    return _PARAGRAPH_STYLE.get(cells[0].style, "form_caption")


def line_height(doc, kind: str) -> float:
    """Points one line of the template's paragraph style ``kind`` takes, with its spacing."""
    style = doc.styles[STYLE_NAMES[kind]]
    size = style.font.size.pt if style.font.size is not None else 10.5
    fmt = style.paragraph_format
    spacing = sum(x.pt for x in (fmt.space_before, fmt.space_after) if x is not None)
    return size * _PARAGRAPH_LINE + spacing


def segments(plan: SheetPlan) -> list[tuple[str, int, int]]:
    """The plan's rows as ``(kind, first, last)`` runs: each borderless row a ``paragraph``,
    each run of rows with bordered cells (or covered by a merge from one) a ``table``; empty
    rows belong to neither. A page break always starts a new run."""
    kinds: dict[int, str] = {}
    for cell in plan.cells:
        if STYLES[cell.style].border:
            kinds[cell.row] = TABLE
        else:
            kinds.setdefault(cell.row, PARAGRAPH)
    for r1, _, r2, _ in plan.merges:
        if kinds.get(r1) == TABLE:
            for r in range(r1, r2 + 1):
                kinds[r] = TABLE
    out: list[tuple[str, int, int]] = []
    breaks = set(plan.row_breaks)
    for row in sorted(kinds):
        kind = kinds[row]
        if (kind == TABLE and out and out[-1][0] == TABLE and out[-1][2] == row - 1
                and row not in breaks):
            out[-1] = (TABLE, out[-1][1], row)
        else:
            out.append((kind, row, row))
    return out


def _cells_by_row(plan: SheetPlan) -> dict[int, list[PlanCell]]:
    """The plan's cells grouped by row, each row's in column order: one pass over the cells,
    not one per row or table (a book of 50 projects has some 15,000 cells)."""
    rows: dict[int, list[PlanCell]] = {}
    for cell in plan.cells:
        rows.setdefault(cell.row, []).append(cell)
    for cells in rows.values():
        cells.sort(key=lambda c: c.col)
    return rows


def paragraph_style_ids(doc) -> dict[str, str | None]:
    """Kind → the id python-docx writes for the template's style of that kind (``STYLE_NAMES``).

    Looked up once per document: each python-docx lookup scans every style (for the default
    one), and the forms need one per cell.
    """
    return {kind: style_id(doc, doc.styles[name], WD_STYLE_TYPE.PARAGRAPH)
            for kind, name in STYLE_NAMES.items()}


# --- paragraphs --------------------------------------------------------------------------------

def _row_paragraph(end: BodyEnd, cells: list[PlanCell], widths: list[int], merges: Merges,
                   style_ids: dict[str, str | None]):
    paragraph = end.paragraph()
    set_style_id(paragraph, style_ids[_paragraph_kind(cells)])
    paragraph.alignment = _ALIGN[STYLES[cells[0].style].align]
    if len(cells) > 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for cell in cells[1:]:
            align, position = _tab_stop(cell, widths, merges)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Emu(position), _TAB[align])
    _runs(paragraph, "\t".join(display(c) for c in cells), bold=False)
    return paragraph


def _tab_stop(cell: PlanCell, widths: list[int], merges: Merges) -> tuple[str, int]:
    """Where a cell of a borderless row sits on the line: its alignment and the position (EMU)."""
    last = merges.span(cell.row, cell.col)[3]
    left, right = sum(widths[:cell.col]), sum(widths[:last + 1])
    align = STYLES[cell.style].align
    return align, {"left": left, "center": (left + right) // 2, "right": right}[align]


# --- tables ------------------------------------------------------------------------------------
#
# python-docx finds a cell (``table.cell``, ``column.cells``) by walking the whole table, and a
# merge re-measures the table around it; done per cell, a 1,000-row appendix took minutes. So a
# table's rows are copies of one blank row, merges are done on its cell grid read once, and
# cells are then found in it (``adapters.docx_oxml.TableGrid``).

def _table(doc, end: BodyEnd, first: int, last: int, widths: list[int], rows: dict[int, list[PlanCell]],
           merges: Merges, text_style_id: str | None, size: float | None = None):
    """Rows ``first``..``last`` of ``plan`` as one table, its text in ``size`` points where
    given (else the template's 表格文字); returns its first paragraph."""
    table = end.table(1, len(widths), sum(widths))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    grid = TableGrid(table, last - first + 1, widths, text_style_id)
    for r1, c1, r2, c2 in merges.starting_in(first, last):
        grid.merge(r1 - first, c1, r2 - first, c2)
    for row in range(first, last + 1):
        for cell in rows.get(row, ()):
            spec = STYLES[cell.style]
            target = grid.cell(row - first, cell.col)
            target.vertical_alignment = _VALIGN[spec.valign]
            if spec.shrink:  # a number: one line, as the spreadsheet shows it
                no_wrap(target)
            paragraph = target.paragraphs[0]
            paragraph.alignment = _ALIGN[spec.align]
            _runs(paragraph, display(cell), bold=spec.bold, size=size)
    return grid.cell(0, 0).paragraphs[0]


def _column_widths(doc, plan: SheetPlan) -> list[int]:
    """The plan's columns in EMU, filling the page's text width.

    Proportional to the columns' printed widths, except that a column is never narrower than
    what its own (unmerged) cells cannot break: a short label such as 全年预算数 or 满意度指标,
    or a number such as ``100.00%``. The page is narrower than the spreadsheet's A4 print, so
    without this 执行率 would print ``100.00`` over ``%``; the width such a column needs is
    taken from the columns with room to spare, in proportion to that room.
    """
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    points = [column_points(w) for w in plan.col_widths]
    widths = [text_width * p / sum(points) for p in points]
    size, padding = _table_text_metrics(doc)
    spanned = {(m[0], m[1]) for m in plan.merges if m[3] > m[1]}
    need = [0.0] * len(widths)
    for cell in plan.cells:
        if (cell.row, cell.col) not in spanned and STYLES[cell.style].border:
            unbroken = _unbreakable_width(display(cell), size) * _PT * _SAFETY + padding
            need[cell.col] = max(need[cell.col], unbroken)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    room = [max(0.0, w - n) for n, w in zip(need, widths, strict=True)]
    if 0 < short <= sum(room):
        widths = [max(w, n) - short * r / sum(room) for w, n, r in zip(widths, need, room, strict=True)]
    return [int(w) for w in widths]


_PT = 12700
"""EMU per point."""
_SAFETY = 1.05
"""CJK glyphs of the substitute fonts run a little wider than a square em. Latin letters and
digits are measured as the widest font they may meet draws them (``WIDEST_NARROW_EM``, the
fallback DejaVu Sans): Word and LibreOffice ignore ``noWrap`` where the cell is too narrow."""
_NARROW = textwidth.WIDEST_NARROW_EM
_WHOLE_EM = 5
"""A text up to this many characters wide stays on one line (全年预算数, 满意度指标)."""


def _unbreakable_width(text: str, size: float) -> float:
    """Points of the widest part of ``text`` that must not break: a whole short line, else the
    longest run of Latin letters, digits and signs (CJK text breaks between any characters)."""
    widest = 0.0
    for line in text.split("\n"):
        if textwidth.ems(line) <= _WHOLE_EM:
            widest = max(widest, textwidth.points(line, size, _NARROW))
        else:
            widest = max(widest, textwidth.widest_word(line, size, _NARROW))
    return widest


def _table_text_metrics(doc) -> tuple[float, int]:
    """The template's table font size (points) and a cell's left + right padding (EMU)."""
    font = doc.styles[STYLE_NAMES["table_text"]].font.size
    size = font.pt if font is not None else 10.5
    margins = doc.styles[TABLE_STYLE].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    twips = 0
    for edge in ("left", "right"):
        node = margins.find(qn(f"w:{edge}")) if margins is not None else None
        twips += int(node.get(qn("w:w"))) if node is not None else 108  # Word's default 0.075"
    return size, twips * 635


def _runs(paragraph, text: str, bold: bool, size: float | None = None) -> None:
    """``text`` as one run: python-docx writes ``\n`` as a line break and ``\t`` as a tab."""
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if size is not None:
        run.font.size = Pt(size)
