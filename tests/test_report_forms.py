"""The report's appendix draws the official forms' sheet plans (xlsuite.forms) as Word tables:
the same cells, merges and texts as the workbook's 部门整体自评表 and 项目自评表."""

from __future__ import annotations

from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT

from xlsuite.forms.official import department_form, project_forms
from xlsuite.forms.plan import NUMBER, STYLES, PlanCell, display, format_number
from xlsuite.reader import read_book
from xlsuite.report import draft_report, write_docx
from xlsuite.report.docx_plan import TABLE, segments
from xlsuite.scoring import score_book


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
