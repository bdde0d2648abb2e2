"""The report's appendix draws the official forms' sheet plans (xlsuite.forms) as Word tables:
the same cells, merges and texts as the workbook's 部门整体自评表 and 项目自评表."""

from __future__ import annotations

import re
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn

from xlsuite.core.scoring import score_book
from xlsuite.forms.official import department_form, project_forms
from xlsuite.forms.plan import NUMBER, STYLES, PlanCell, SheetPlan, display, format_number
from xlsuite.reader import read_book
from xlsuite.report import draft_report, write_docx
from xlsuite.report.docx_plan import TABLE, segments


@pytest.fixture(scope="module")
def seed(sample_path, tmp_path_factory):
    book = read_book(sample_path)
    scores = score_book(book)
    path = write_docx(draft_report(book), tmp_path_factory.mktemp("forms") / "seed.docx")
    return book, scores, docx.Document(str(path))


@pytest.mark.parametrize("value, number_format, text", [
    ("581.67", "#,##0.00", "581.67"),
    ("1234.565", "#,##0.00", "1,234.57"),   # thousands separator; half up as Excel rounds
    ("253", "#,##0.00", "253.00"),
    ("0.99951", "0.00%", "99.95%"),
    ("1", "0.00%", "100.00%"),
    ("7.705", "0.00", "7.71"),
    ("10.00", "General", "10"),             # General drops trailing zeros
    ("99.20", "General", "99.2"),
])
def test_numbers_show_as_their_number_format_shows_them(value, number_format, text):
    assert format_number(Decimal(value), number_format) == text


def test_every_style_number_format_can_be_shown():
    for name in STYLES:
        assert display(PlanCell(0, 0, Decimal("0.5"), name, NUMBER))  # raises on an unknown format


def test_a_link_shows_its_text_and_text_stays_as_typed():
    link = PlanCell(0, 0, '=HYPERLINK("#\'绩效指标\'!F2","绩效指标!F2")', "link", "formula")
    assert display(link) == "绩效指标!F2"
    assert display(PlanCell(0, 0, "=SUM(A1:A2)")) == "=SUM(A1:A2)"
    assert display(PlanCell(0, 0, None)) == ""


def test_word_tables_hold_the_plans_cells_and_merges(seed):
    book, scores, doc = seed
    plans = [department_form(book, scores), project_forms(book, scores)]
    tables = iter(doc.tables)
    checked = 0
    for plan in plans:
        for kind, first, last in segments(plan):
            if kind != TABLE:
                continue
            table = next(tables)
            assert len(table.rows) == last - first + 1
            assert len(table.columns) == len(plan.col_widths)
            for cell in plan.cells:
                if first <= cell.row <= last:
                    assert table.cell(cell.row - first, cell.col).text == display(cell), cell
                    checked += 1
            for r1, c1, r2, c2 in plan.merges:
                if first <= r1 <= last:
                    corner = table.cell(r1 - first, c1)._tc
                    assert all(table.cell(r - first, c)._tc is corner
                               for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    assert next(tables, None) is None  # no table that is not a plan's
    assert checked > 200


def test_titles_and_captions_are_paragraphs_and_each_project_starts_a_page(seed):
    book, _, doc = seed
    titles = [p for p in doc.paragraphs if p.style.name == "表格标题"]
    assert [p.text for p in titles] == ["部门整体支出绩效自评表"] + ["项目支出绩效自评表"] * 7
    # the first project form follows 附件2 (a style that starts a page); the others break themselves
    assert [bool(p.paragraph_format.page_break_before) for p in titles[2:]] == [True] * 6
    captions = [p for p in doc.paragraphs if p.text.startswith("填报单位：")]
    assert len(captions) == 8
    caption = captions[0]
    assert caption.text == "填报单位：永昌县工业和信息化局\t金额单位：万元"
    (stop,) = caption.paragraph_format.tab_stops
    # 金额单位 is right-aligned at the right edge of the table (the page's text width)
    section = doc.sections[-1]
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT
    assert abs(stop.position - (section.page_width - section.left_margin - section.right_margin)) < 100
    assert "联系人：" in next(p.text for p in doc.paragraphs if p.text.startswith("联系人："))


def test_columns_fill_the_text_width_and_numbers_get_room(seed):
    _, _, doc = seed
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        widths = [col.width for col in table.columns]
        assert abs(sum(widths) - text_width) < 100
    dept = doc.tables[0]
    # 执行率 (column H) is wider than its share of the spreadsheet's widths, so 100.00% fits
    widths = [col.width for col in dept.columns]
    assert widths[7] / sum(widths) > 8 / 92


# --- the grid-based drawing writes what python-docx's cell-by-cell API writes --------------------

def _reference_table(doc, plan, first, last, widths):
    """A form table drawn the plain python-docx way (every cell looked up with ``table.cell``,
    merged with ``_Cell.merge``, styled through the public setters): slow, but it is the
    library's own behaviour, so it is what ``docx_plan``'s faster drawing must write."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Emu

    from xlsuite.report.docx_plan import _ALIGN, _VALIGN
    from xlsuite.report.docx_template import STYLE_NAMES, TABLE_STYLE

    table = doc.add_table(rows=last - first + 1, cols=len(widths))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
        for cell in column.cells:
            cell.width = Emu(width)
            cell.paragraphs[0].style = doc.styles[STYLE_NAMES["table_text"]]
    for r1, c1, r2, c2 in plan.merges:
        if first <= r1 <= last:
            table.cell(r1 - first, c1).merge(table.cell(r2 - first, c2))
    for cell in plan.cells:
        if first <= cell.row <= last:
            spec = STYLES[cell.style]
            target = table.cell(cell.row - first, cell.col)
            if spec.shrink:
                tc_pr = target._tc.get_or_add_tcPr()
                tc_pr.insert_element_before(tc_pr.makeelement(qn("w:noWrap"), {}), "w:vAlign")
            target.vertical_alignment = _VALIGN[spec.valign]
            target.paragraphs[0].alignment = _ALIGN[spec.align]
            run = target.paragraphs[0].add_run(display(cell))
            if spec.bold:
                run.bold = True
    for row in table.rows:
        row._tr.get_or_add_trPr().append(row._tr.trPr.makeelement(qn("w:cantSplit"), {}))
    first_row = table.rows[0]._tr.trPr
    first_row.append(first_row.makeelement(qn("w:tblHeader"), {}))
    if first in plan.row_breaks:
        table.cell(0, 0).paragraphs[0].paragraph_format.page_break_before = True
    return table


def _tables_xml(doc) -> list[bytes]:
    from lxml import etree

    return [etree.tostring(t._tbl) for t in doc.tables]


_ODD_PLAN = SheetPlan(
    "试表",
    cells=[PlanCell(0, 0, "表题", "title"),
           PlanCell(1, 0, "二级\n标题", "header"), PlanCell(1, 2, "横向合并", "label"),
           PlanCell(1, 4, "纵向\t合并", "center"),
           PlanCell(2, 2, Decimal("1234.5"), "money", NUMBER), PlanCell(2, 3, Decimal("0.5"), "percent", NUMBER),
           PlanCell(3, 0, None, "text"), PlanCell(3, 1, "=不是公式", "text"),
           PlanCell(4, 0, "分页后", "total"), PlanCell(4, 1, None, "text")],
    merges=[(1, 0, 2, 1),    # a block: two rows and two columns
            (1, 2, 1, 3),    # across two columns
            (1, 4, 3, 4),    # down three rows
            (4, 1, 4, 4)],   # across the rest of a row that starts a new page
    col_widths=[8, 10, 12, 9, 14], row_breaks=[4])


@pytest.mark.slow  # draws every form twice, once cell by cell
@pytest.mark.parametrize("which", ["odd", "department", "projects"])
def test_form_tables_are_what_python_docx_cell_by_cell_makes(seed, which):
    from xlsuite.report.docx_plan import DocxPlanWriter, _column_widths
    from xlsuite.report.docx_template import report_template_document

    book, scores, _ = seed
    plan = {"odd": lambda: _ODD_PLAN, "department": lambda: department_form(book, scores),
            "projects": lambda: project_forms(book, scores)}[which]()
    fast, slow = report_template_document(), report_template_document()
    DocxPlanWriter(fast).write_plans([plan])
    widths = _column_widths(slow, plan)
    tables = [_reference_table(slow, plan, first, last, widths)
              for kind, first, last in segments(plan) if kind == TABLE]
    assert len(tables) >= 1 + (which != "department")
    # the template's own example table comes first in both
    assert _tables_xml(fast) == _tables_xml(slow)
    if which == "odd":  # the merges really are there: a 2×2 block, a span, a 3-row column
        first = fast.tables[-2]
        assert first.cell(0, 0)._tc is first.cell(1, 1)._tc
        assert first.cell(0, 4)._tc is first.cell(2, 4)._tc is not first.cell(0, 3)._tc
        assert first.cell(0, 4).text == "纵向\t合并"


def test_tables_repeat_their_first_row_and_numbers_do_not_wrap(seed):
    """A form running onto a second page starts it with 部门名称 / 项目名称 again, no row breaks
    across pages, and an amount or a rate never wraps as ``100.00`` over ``%``."""
    *_, doc = seed
    assert doc.tables
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    rates = [tc for table in doc.tables for tc in table._tbl.iter(qn("w:tc"))
             if re.fullmatch(r"\d[\d,]*\.\d\d%", "".join(t.text for t in tc.iter(qn("w:t"))))]
    assert rates and all(tc.tcPr.find(qn("w:noWrap")) is not None for tc in rates)
