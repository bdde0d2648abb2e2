"""The three plan writers (``forms.writer``) draw the same plans into what a reader sees alike.

The same sheet plans — the sample's 部门整体自评表, 项目自评表, 校验结果 and 得分对照, and a
hand-made plan with every style, kind and shape of merge — are drawn through the openpyxl
writer (read back from the saved file), the live book's writer on xlsuite's host protocol (its
recorded actions applied as a host applies them) and the Word writer (read back with
python-docx), and each result is read the one way ``form_grids`` reads them all:

- the file: every cell's shown text with its merges, every stored value with its kind, column
  widths, row heights and page breaks exactly as planned;
- the host book: every stored value with its kind, as the file stores it (a JSON host gets
  values only: no merges, formats or widths, ``excel.plan_writer``);
- Word: the borderless rows as paragraphs of their cells' shown texts, each bordered run as a
  table with the plan's shown texts and merges, page breaks where the plan breaks, and column
  widths in the plan's proportions (a column widened for a word that cannot break aside).

Desktop Excel copies in the sheets the openpyxl writer laid out (``tests/test_excel_desktop.py``),
so the file's reading stands for it. The last tests break a writer on purpose (a merge dropped, a
number written as text) and check that the comparison sees it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from form_grids import host_sheets, plan_grid, plan_values, sheet_grid, sheet_values, word_blocks

from xlsuite import read_book
from xlsuite.adapters.docx_oxml import clear_body
from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.excel.host import HostBook
from xlsuite.excel.plan_writer import LiveBookPlanWriter
from xlsuite.forms.outputs import form_plans
from xlsuite.forms.plan import FORMULA, KINDS, NUMBER, STYLES, TEXT, PlanCell, SheetPlan, display
from xlsuite.forms.xlsx_writer import XlsxPlanWriter
from xlsuite.layout.textwidth import column_points
from xlsuite.report.docx_plan import TABLE, DocxPlanWriter, segments
from xlsuite.report.docx_template import report_template_document

LINK = '=HYPERLINK("#\'绩效指标\'!A5","绩效指标!A5")'

HAND_MADE = SheetPlan(
    "试表",
    cells=[
        PlanCell(0, 0, "试表：每种样式", "title"),
        PlanCell(1, 0, "（2021年度）", "subtitle"),
        PlanCell(2, 0, "填报单位：某局", "caption"), PlanCell(2, 3, "金额单位：万元", "caption_right"),
        *[PlanCell(3, col, text, "header") for col, text in enumerate(("指标", "金额", "比例", "权重", "得分", "位置"))],
        PlanCell(4, 0, "一级\n指标", "label"),
        PlanCell(4, 1, Decimal("1234.565"), "money", NUMBER), PlanCell(4, 2, Decimal("0.99951"), "percent", NUMBER),
        PlanCell(4, 3, 10, "weight", NUMBER), PlanCell(4, 4, Decimal("9.5"), "score", NUMBER),
        PlanCell(4, 5, LINK, "link", FORMULA),
        # text that a spreadsheet would otherwise take for a formula, a sign or a text prefix
        PlanCell(5, 1, "=SUM(A1)", "text"), PlanCell(5, 2, "+1", "center"), PlanCell(5, 3, "R-001", "code"),
        PlanCell(5, 4, "错误", "error"), PlanCell(5, 5, "警告", "warning"),
        PlanCell(6, 1, "-提示", "hint"), PlanCell(6, 2, "'引号", "text"), PlanCell(6, 3, "@at", "text"),
        PlanCell(6, 4, "跨两列", "center"),
        PlanCell(7, 0, "合计", "total"), PlanCell(7, 2, Decimal("92.75"), "total", NUMBER),
        PlanCell(7, 3, "两行三列", "text"),
        PlanCell(9, 0, "注：分页前的说明。", "caption"),
        PlanCell(10, 0, "分页后", "header"), PlanCell(11, 0, None, "text"), PlanCell(11, 1, Decimal("-3"), "money", NUMBER),
    ],
    merges=[(0, 0, 0, 5), (1, 0, 1, 5), (2, 0, 2, 2), (2, 3, 2, 5),
            (4, 0, 6, 0),              # down three rows
            (6, 4, 6, 5),              # across two columns
            (7, 0, 8, 1),              # a 2×2 block
            (7, 2, 8, 2),              # a number down two rows
            (7, 3, 8, 5),              # a 2×3 block
            (9, 0, 9, 5), (10, 0, 10, 5)],
    col_widths=[12, 14, 12, 10, 10, 18],
    row_heights={0: 30.0, 3: 22.5, 4: 36.0, 7: 20.0, 8: 20.0},
    row_breaks=[10])


@pytest.fixture(scope="module")
def plans(sample_path) -> dict[str, SheetPlan]:
    evaluation = evaluate(read_book(sample_path))
    return {plan.name: plan for plan in (*form_plans(evaluation), HAND_MADE)}


PLAN_NAMES = (c.DEPARTMENT_FORM_SHEET, c.PROJECT_FORM_SHEET, c.FINDINGS_SHEET, c.SCORE_CHECK_SHEET, HAND_MADE.name)


def test_the_hand_made_plan_holds_every_style_and_kind():
    assert {cell.style for cell in HAND_MADE.cells} == set(STYLES)
    assert {cell.kind for cell in HAND_MADE.cells} == set(KINDS)
    assert any(r2 > r1 and c2 > c1 for r1, c1, r2, c2 in HAND_MADE.merges)


def test_the_sample_gives_the_plans_compared(plans):
    assert set(PLAN_NAMES) <= set(plans)
    assert all(plans[name].cells and plans[name].merges for name in PLAN_NAMES[:2])


# --- drawing through each writer ---------------------------------------------------------------


def draw_xlsx(plans: list[SheetPlan], tmp_path) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    XlsxPlanWriter(wb).write_plans(plans)
    path = tmp_path / "plans.xlsx"
    wb.save(path)
    return openpyxl.load_workbook(path)


def draw_host(plans: list[SheetPlan]) -> dict:
    payload = {"client": "xlsuite tests", "version": "", "protocol": 1,
               "book": {"name": "b.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
               "sheets": [{"name": "说明", "values": [["说明"]], "pictures": [], "tables": []}]}
    book = HostBook(payload)
    LiveBookPlanWriter(book, after_sheet="说明").write_plans(plans)
    return host_sheets(payload, book.json()["actions"])


def draw_word(plan: SheetPlan):
    doc = report_template_document()
    clear_body(doc)  # the template's example content
    DocxPlanWriter(doc).write_plans([plan])
    buffer = io.BytesIO()
    doc.save(buffer)
    return docx.Document(io.BytesIO(buffer.getvalue()))


# --- what a reader sees, against the plan ------------------------------------------------------


def xlsx_differences(plan: SheetPlan, ws) -> list[str]:
    out = []
    width = len(plan.col_widths)
    if sheet_grid(ws, 1, plan.last_row + 1, width) != plan_grid(plan, 0, plan.last_row):
        out.append("shown texts or merges")
    if sheet_values(ws) != plan_values(plan):
        out.append("stored values or kinds")
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(width)]
    if widths != plan.col_widths:
        out.append("column widths")
    if {r: ws.row_dimensions[r + 1].height for r in plan.row_heights} != plan.row_heights:
        out.append("row heights")
    if [b.id for b in ws.row_breaks.brk] != plan.row_breaks:
        out.append("page breaks")
    return out


def host_differences(plan: SheetPlan, sheet) -> list[str]:
    return [] if sheet.stored() == plan_values(plan) else ["stored values or kinds"]


def word_expected(plan: SheetPlan) -> list[tuple[str, object, bool]]:
    """The blocks Word must show for ``plan`` (``form_grids.word_blocks``)."""
    breaks = set(plan.row_breaks)
    out = []
    for kind, first, last in segments(plan):
        if kind == TABLE:
            out.append(("table", plan_grid(plan, first, last), first in breaks))
        else:
            text = "\t".join(display(c) for c in sorted((c for c in plan.cells if c.row == first), key=lambda c: c.col))
            if text:
                out.append(("paragraph", text, first in breaks))
    return out


def word_differences(plan: SheetPlan, doc) -> list[str]:
    out = []
    blocks, expected = word_blocks(doc), word_expected(plan)
    if [b for b in blocks if b[0] == "paragraph"] != [b for b in expected if b[0] == "paragraph"]:
        out.append("paragraphs")
    if [b for b in blocks if b[0] == "table"] != [b for b in expected if b[0] == "table"]:
        out.append("tables")
    if [b[0] for b in blocks] != [b[0] for b in expected]:
        out.append("order of paragraphs and tables")
    return out


def word_width_shares(plan: SheetPlan, doc) -> list[tuple[float, float]]:
    """(share of the page in Word, share of the printed sheet) of each column, per table."""
    planned = [column_points(w) for w in plan.col_widths]
    out = []
    for table in doc.tables:
        widths = [col.width for col in table.columns]
        out.extend((w / sum(widths), p / sum(planned)) for w, p in zip(widths, planned, strict=True))
    return out


# --- the conformance tests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(plans, tmp_path_factory):
    ordered = [plans[name] for name in PLAN_NAMES]
    return {"xlsx": draw_xlsx(ordered, tmp_path_factory.mktemp("writers")), "host": draw_host(ordered),
            "word": {plan.name: draw_word(plan) for plan in ordered}}


@pytest.mark.parametrize("name", PLAN_NAMES)
def test_the_file_shows_every_cell_merge_width_height_and_break_of_the_plan(plans, drawn, name):
    assert xlsx_differences(plans[name], drawn["xlsx"][name]) == []


@pytest.mark.parametrize("name", PLAN_NAMES)
def test_the_host_book_stores_the_values_and_kinds_the_file_stores(plans, drawn, name):
    assert host_differences(plans[name], drawn["host"][name]) == []
    assert drawn["host"][name].stored() == sheet_values(drawn["xlsx"][name])


def test_the_host_book_gets_the_sheets_in_plan_order_after_the_anchor(drawn):
    assert list(drawn["host"]) == ["说明", *PLAN_NAMES]


@pytest.mark.parametrize("name", PLAN_NAMES)
def test_word_shows_the_plans_paragraphs_tables_merges_and_breaks(plans, drawn, name):
    assert word_differences(plans[name], drawn["word"][name]) == []


@pytest.mark.parametrize("name", PLAN_NAMES)
def test_word_tables_fill_the_pages_text_width(plans, drawn, name):
    doc = drawn["word"][name]
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        # within a twip per column: Word stores widths in twips
        assert abs(sum(col.width for col in table.columns) - text_width) <= 635 * len(table.columns)


def test_word_columns_are_in_the_plans_proportions(drawn):
    # Without a word too wide for its column (the official forms' 全年预算数 or 100.00% widen
    # theirs, taking the room from the others: ``docx_plan._column_widths``), every column
    # takes the share of the page it takes of the printed sheet.
    shares = word_width_shares(HAND_MADE, drawn["word"][HAND_MADE.name])
    assert len(shares) == 2 * len(HAND_MADE.col_widths)  # two tables, split by the page break
    assert max(abs(word - planned) for word, planned in shares) < 1e-3


def test_the_three_readings_agree_on_the_hand_made_plan(drawn):
    # The shown texts and merges of the file, and the texts of Word's tables, are one grid.
    ws = drawn["xlsx"][HAND_MADE.name]
    grid = sheet_grid(ws, 1, HAND_MADE.last_row + 1, len(HAND_MADE.col_widths))
    tables = [(first, last) for kind, first, last in segments(HAND_MADE) if kind == TABLE]
    word_tables = [block[1] for block in word_blocks(drawn["word"][HAND_MADE.name]) if block[0] == "table"]
    assert word_tables == [grid[first:last + 1] for first, last in tables]
    assert grid[4][1:6] == ["1,234.57", "99.95%", "10", "9.50", "绩效指标!A5"]
    assert grid[5][1] == "=SUM(A1)" and grid[6][2] == "'引号"


# --- the comparison sees a writer that goes wrong ----------------------------------------------


def test_a_file_writer_that_drops_a_merge_is_caught(monkeypatch, tmp_path):
    from xlsuite.forms import xlsx_writer

    set_merges = xlsx_writer.set_merges
    monkeypatch.setattr(xlsx_writer, "set_merges", lambda ws, ranges: set_merges(ws, ranges[:-1]))
    ws = draw_xlsx([HAND_MADE], tmp_path)[HAND_MADE.name]
    assert xlsx_differences(HAND_MADE, ws) == ["shown texts or merges"]


def test_a_file_writer_that_writes_a_number_as_text_is_caught(monkeypatch, tmp_path):
    from xlsuite.forms import xlsx_writer

    write = xlsx_writer._write

    def as_text(ws, row, col, value, kind):
        return write(ws, row, col, str(value) if kind == NUMBER and value == 10 else value,
                     TEXT if kind == NUMBER and value == 10 else kind)

    monkeypatch.setattr(xlsx_writer, "_write", as_text)
    ws = draw_xlsx([HAND_MADE], tmp_path)[HAND_MADE.name]
    # the weight 10 shows the same digits: only its kind gives it away
    assert xlsx_differences(HAND_MADE, ws) == ["stored values or kinds"]


def test_a_host_writer_that_writes_a_number_as_text_is_caught(monkeypatch):
    from xlsuite.excel import plan_writer

    value = plan_writer._value
    monkeypatch.setattr(plan_writer, "_value",
                        lambda v, kind: str(v) if kind == NUMBER else value(v, kind))
    assert host_differences(HAND_MADE, draw_host([HAND_MADE])[HAND_MADE.name]) == ["stored values or kinds"]


def test_a_word_writer_that_drops_a_merge_is_caught(monkeypatch):
    from xlsuite.report import docx_plan

    starting_in = docx_plan.Merges.starting_in
    monkeypatch.setattr(docx_plan.Merges, "starting_in", lambda self, first, last: starting_in(self, first, last)[:-1])
    assert word_differences(HAND_MADE, draw_word(HAND_MADE)) == ["tables"]


# --- the two book writers write the same scores and stamp into existing sheets -----------------


def test_both_book_writers_store_the_same_scores_and_stamp(sample_path, tmp_path):
    import datetime as dt

    from host_books import payload_from_file

    from xlsuite.forms.outputs import scored_outputs

    outputs = scored_outputs(evaluate(read_book(sample_path)), input_sha256="0" * 64,
                             when=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    # a key already there keeps its row and takes the new value; the stamp's keys are new
    rows = [("profile", "某省方案"), *outputs.stamp]

    wb = openpyxl.load_workbook(sample_path)
    file_writer = XlsxPlanWriter(wb)
    file_writer.write_values(outputs.scores)
    file_writer.write_meta(rows)
    wb.save(tmp_path / "scored.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "scored.xlsx")

    payload = payload_from_file(sample_path)
    book = HostBook(payload)
    live_writer = LiveBookPlanWriter(book, {sheet["name"]: sheet["values"] for sheet in payload["sheets"]})
    live_writer.write_values(outputs.scores)
    live_writer.write_meta(rows)
    host = host_sheets(payload, book.json()["actions"])

    assert outputs.scores
    for ref, value in outputs.scores:
        at = (ref.row, ref.col)
        assert sheet_values(wb[ref.sheet])[at] == host[ref.sheet].stored()[at] == (NUMBER, float(value))
    meta = sheet_values(wb[c.META_SHEET])
    assert meta == host[c.META_SHEET].stored()
    assert meta[(3, 0)] == (TEXT, "profile") and meta[(3, 1)] == (TEXT, "某省方案")
    assert [meta[(r, 0)][1] for r in range(5, 5 + len(outputs.stamp))] == [key for key, _ in outputs.stamp]
