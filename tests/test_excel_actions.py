"""The 校验 button action, driven through xlwings' remote engine on books made from files.

The action runs against ``xw.Book(json=...)`` (the payload an Excel client sends), its queued
writes are applied to a copy of the file with openpyxl, and the copy is checked: what the user
would see in Excel after pressing the button.
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from conftest import SAMPLE
from libreoffice import convert

from xlsuite import contract as c
from xlsuite.excel import actions, findings_sheet, remote
from xlsuite.model import Indicator, Project
from xlsuite.reader import read_book
from xlsuite.sample import load_sample, sample_data_files
from xlsuite.template import build_workbook
from xlsuite.validation import validate_book


@pytest.fixture(autouse=True)
def _licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def run_action(path, action, out):
    """Press the button on the book in ``path``; returns (alerts, actions queued)."""
    book = remote.open_remote_book(path)
    actions.run(book, action)
    queued = book.json()["actions"]
    return remote.apply_actions(path, queued, out), queued


def fill_of(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    return "#" + fill.fgColor.rgb[-6:].upper()


def test_validate_lists_every_finding_with_a_link_and_colours_the_cells(tmp_path):
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    out = tmp_path / "checked.xlsx"
    alerts, _ = run_action(SAMPLE, actions.validate, out)
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before  # the input is untouched

    expected = validate_book(read_book(SAMPLE))
    counts = Counter(f.severity for f in expected)
    assert expected and counts["错误"] == 2  # the seed's 253 vs 281 万元, budget and executed
    assert counts["提示"] == 0  # every seed project has its indicators
    assert alerts == [f"校验完成：共 {len(expected)} 条（错误 2 条）。"
                      f"详见“校验结果”表，有问题的单元格已标色。"]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == findings_sheet.FINDINGS_SHEET
    assert wb.active.title == findings_sheet.FINDINGS_SHEET
    ws = wb[findings_sheet.FINDINGS_SHEET]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(expected)
    for row, finding in zip(rows, expected, strict=True):
        number, severity, rule_id, link, message, _subject = row
        assert (severity, rule_id, message) == (finding.severity, finding.rule_id, finding.message)
        cell = finding.cell
        assert link == f'=HYPERLINK("#\'{cell.sheet}\'!{cell.a1}","{cell.sheet}!{cell.a1}")'
        assert fill_of(wb[cell.sheet][cell.a1]) == findings_sheet.FILLS[finding.severity]
    assert [r[3] for r in rows if r[2] == "cross.projects_total"] == [
        '=HYPERLINK("#\'收支情况\'!E43","收支情况!E43")', '=HYPERLINK("#\'收支情况\'!F43","收支情况!F43")']
    # Cells without a finding keep their fill: a label, a header, an input.
    assert fill_of(wb[c.BUDGET_SHEET]["C43"]) == findings_sheet.LABEL_FILL
    assert fill_of(wb[c.INDICATOR_SHEET]["A2"]) == findings_sheet.HEADER_FILL
    assert fill_of(wb[c.INDICATOR_SHEET]["F3"]) is None


@pytest.mark.libreoffice
def test_second_run_replaces_the_list_and_clears_colours_of_fixed_cells(tmp_path):
    first = tmp_path / "first.xlsx"
    run_action(SAMPLE, actions.validate, first)
    # The accountant corrects 项目支出 on 收支情况 to the 253 万元 the projects add up to, and saves:
    # Excel stores the links' shown text, which LibreOffice recalculates here.
    wb = openpyxl.load_workbook(first)
    wb[c.BUDGET_SHEET]["E43"] = 253
    wb[c.BUDGET_SHEET]["F43"] = 253
    wb.save(tmp_path / "fixed.xlsx")
    saved = convert(tmp_path / "fixed.xlsx", tmp_path / "saved", "xlsx")

    second = tmp_path / "second.xlsx"
    alerts, _ = run_action(saved, actions.validate, second)
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames.count(findings_sheet.FINDINGS_SHEET) == 1
    rules = [r[2] for r in wb[findings_sheet.FINDINGS_SHEET].iter_rows(min_row=3, values_only=True)]
    assert "cross.projects_total" not in rules and rules
    assert fill_of(wb[c.BUDGET_SHEET]["E43"]) is None      # back to an input's (no) fill
    assert fill_of(wb[c.BUDGET_SHEET]["F43"]) is None
    cells = {r[3] for r in wb[findings_sheet.FINDINGS_SHEET].iter_rows(min_row=3, values_only=True)}
    assert not any("E43" in str(cell) for cell in cells)
    assert f"共 {len(rules)} 条" in alerts[0]


def test_previous_cells_back_to_the_template_fill():
    grid = [[""] * 6, ["序号", "严重程度", "规则编号", "位置", "说明", "评价对象"],
            [1, "错误", "x", f"{c.BUDGET_SHEET}!E3", "", ""],
            [2, "错误", "x", f"{c.BUDGET_SHEET}!E43", "", ""],
            [3, "提示", "x", "不是位置", "", ""]]
    cells = findings_sheet.previous_cells(grid)
    assert {str(cell) for cell in cells} == {f"{c.BUDGET_SHEET}!E3", f"{c.BUDGET_SHEET}!E43"}
    budget = [[""] * 7, [""] * 7] + [["", "", r.name, "", "", "", ""] for r in c.budget_rows()]
    plan = findings_sheet.colour_plan([], cells, {c.BUDGET_SHEET: budget})
    assert len(plan) == 1 and plan[0].address == "E3:E43"
    assert plan[0].fills[0] == findings_sheet.LABEL_FILL   # E3: the 收入合计 total row
    assert plan[0].fills[-1] is None                       # E43: the 项目支出 input
    assert set(plan[0].fills[1:-1]) == {...}               # everything between: kept


def test_typed_text_beginning_with_equals_stays_text(tmp_path):
    book, _ = load_sample(sample_data_files()[0])
    book.projects[0].code = "=1+1"
    src = build_workbook(tmp_path / "book.xlsx", book)
    out = tmp_path / "out.xlsx"
    run_action(src, actions.validate, out)
    ws = openpyxl.load_workbook(out)[findings_sheet.FINDINGS_SHEET]
    subjects = [row[5] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert "=1+1" in subjects
    cell = next(r[5] for r in ws.iter_rows(min_row=3) if r[5].value == "=1+1")
    assert cell.data_type == "s"


# --- errors -------------------------------------------------------------------------------------


def test_errors_become_chinese_messages_not_tracebacks(tmp_path, monkeypatch):
    wb = openpyxl.load_workbook(SAMPLE)
    wb[c.BUDGET_SHEET]["E5"] = "约二十万"
    wb.save(tmp_path / "text.xlsx")
    alerts, queued = run_action(tmp_path / "text.xlsx", actions.validate, tmp_path / "o1.xlsx")
    assert alerts == [f"校验未完成：单元格内容有误：{c.BUDGET_SHEET}!E5 应填金额（全年预算数），实为“约二十万”\n"
                      "请改正这些单元格后再试。"]
    assert [a["func"] for a in queued] == ["alert"]  # nothing else written

    del wb[c.PROBLEM_SHEET]
    wb.save(tmp_path / "missing.xlsx")
    alerts, _ = run_action(tmp_path / "missing.xlsx", actions.validate, tmp_path / "o2.xlsx")
    assert alerts == [f"校验未完成：缺少工作表：{c.PROBLEM_SHEET}（不是标准的预算绩效自评工作簿）"]

    def broken(_book):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(actions, "validate_book", broken)
    monkeypatch.setattr(actions, "LOG_FILE", tmp_path / "xlsuite.log")
    alerts, _ = run_action(SAMPLE, actions.validate, tmp_path / "o3.xlsx")
    assert alerts[0].startswith("校验未完成：程序内部出错。") and "Traceback" not in alerts[0]
    assert "ZeroDivisionError" in (tmp_path / "xlsuite.log").read_text("utf-8")


# --- cost ---------------------------------------------------------------------------------------


def synthetic_book(projects: int, indicators_per_project: int):
    """The sample department with ``projects`` projects of ``indicators_per_project`` indicators
    each, every project built the same way (one shortfall without a reason), so a bigger book has
    more of the same rows and the same kinds of findings."""
    book, _ = load_sample(sample_data_files()[0])
    template = book.projects[0]
    book.projects, book.indicators = [], [i for i in book.indicators if i.subject == c.WHOLE_DEPARTMENT]
    weight = Decimal(90) / indicators_per_project
    for p in range(projects):
        project = copy.deepcopy(template)
        project.code, project.name = f"P{p:03d}", f"项目{p:03d}"
        book.projects.append(project)
        for i in range(indicators_per_project):
            short = i == 0
            book.indicators.append(Indicator(
                subject=project.code, level1="产出指标", level2="数量指标", level3=f"指标{i}",
                direction="≥", target=Decimal(100), unit="%", actual=Decimal(90 if short else 100),
                weight=weight, deviation="" if short else "无"))
    return book


def count_calls(path, action, monkeypatch):
    """Data reads (range values read) and queued writes by kind, for one press of the button."""
    from xlwings.pro import _xlremote

    reads = Counter()
    getter = _xlremote.Range.raw_value.fget

    def counting(self):
        reads[self.sheet.name] += 1
        return getter(self)
    with monkeypatch.context() as patch:
        patch.setattr(_xlremote.Range, "raw_value", property(counting, _xlremote.Range.raw_value.fset))
        book = remote.open_remote_book(path)
        actions.run(book, action)
    return sum(reads.values()), Counter(a["func"] for a in book.json()["actions"]), reads


def test_validate_makes_as_many_calls_for_1000_indicators_as_for_5(tmp_path, monkeypatch):
    small = build_workbook(tmp_path / "small.xlsx", synthetic_book(1, 5))
    big = build_workbook(tmp_path / "big.xlsx", synthetic_book(50, 20))
    assert len(read_book(big).indicators) - len(read_book(small).indicators) == 995
    small_reads, small_writes, per_sheet = count_calls(small, actions.validate, monkeypatch)
    big_reads, big_writes, _ = count_calls(big, actions.validate, monkeypatch)
    assert (small_reads, small_writes) == (big_reads, big_writes)
    assert set(per_sheet.values()) == {1}  # each sheet read once, in one bulk call
    assert small_reads + sum(small_writes.values()) <= 30
    # The findings grew with the book; the writes did not.
    assert len(validate_book(read_book(big))) > 10 * len(validate_book(read_book(small))) / 2


def test_project_copies_keep_their_own_cells():
    book = synthetic_book(2, 3)
    assert isinstance(book.projects[1], Project) and book.projects[0] is not book.projects[1]


# --- 评分 and 生成自评表 ----------------------------------------------------------------------


def _sheet_contents(ws):
    values = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row
              if cell.value is not None}
    return values, {str(m) for m in ws.merged_cells.ranges}


def test_score_in_excel_equals_xlsuite_score_on_the_file(tmp_path):
    from xlsuite.forms.scored_book import score_book_file

    alerts, _ = run_action(SAMPLE, actions.score, tmp_path / "excel.xlsx")
    batch = score_book_file(SAMPLE, tmp_path / "batch.xlsx")
    live, filed = openpyxl.load_workbook(tmp_path / "excel.xlsx"), openpyxl.load_workbook(batch.path)
    assert live.sheetnames == filed.sheetnames
    assert live.active.title == filed.active.title == c.DEPARTMENT_FORM_SHEET
    for name in (*c.GENERATED_SHEETS, c.INDICATOR_SHEET):
        assert _sheet_contents(live[name]) == _sheet_contents(filed[name]), name
    stamp = {r[0]: r[1] for r in live[c.META_SHEET].iter_rows(values_only=True)}
    expected = {r[0]: r[1] for r in filed[c.META_SHEET].iter_rows(values_only=True)}
    for key in ("score.total", "score.grade", "score.profile", "score.projects", c.META_VERSION_KEY):
        assert stamp[key] == expected[key], key
    dept = batch.score.department
    assert alerts == [f"评分完成：部门整体 {dept.total} 分（{dept.grade}），项目 {len(batch.score.projects)} 个；"
                      f"校验发现 {len(batch.findings)} 项。已生成“{c.DEPARTMENT_FORM_SHEET}”“{c.PROJECT_FORM_SHEET}”。"]


def test_forms_button_writes_the_forms_and_nothing_into_the_data(tmp_path):
    from xlsuite.forms.scored_book import score_book_file

    run_action(SAMPLE, actions.forms, tmp_path / "excel.xlsx")
    live = openpyxl.load_workbook(tmp_path / "excel.xlsx")
    filed = openpyxl.load_workbook(score_book_file(SAMPLE, tmp_path / "batch.xlsx").path)
    for name in c.GENERATED_SHEETS:
        assert _sheet_contents(live[name]) == _sheet_contents(filed[name]), name
    source = openpyxl.load_workbook(SAMPLE)
    assert _sheet_contents(live[c.INDICATOR_SHEET]) == _sheet_contents(source[c.INDICATOR_SHEET])


def test_scoring_twice_keeps_one_copy_of_each_form(tmp_path):
    first = tmp_path / "first.xlsx"
    run_action(SAMPLE, actions.score, first)
    run_action(first, actions.score, tmp_path / "second.xlsx")
    names = openpyxl.load_workbook(tmp_path / "second.xlsx").sheetnames
    assert all(names.count(n) == 1 for n in c.GENERATED_SHEETS)


def test_score_reads_each_sheet_once_whatever_the_size(tmp_path, monkeypatch):
    small = build_workbook(tmp_path / "small.xlsx", synthetic_book(1, 5))
    big = build_workbook(tmp_path / "big.xlsx", synthetic_book(50, 20))
    small_reads, small_writes, per_sheet = count_calls(small, actions.score, monkeypatch)
    big_reads, big_writes, _ = count_calls(big, actions.score, monkeypatch)
    assert small_reads == big_reads and set(per_sheet.values()) == {1}
    # Values go in one write per sheet whatever the size; merges are one call each (see report).
    assert small_writes["setValues"] == big_writes["setValues"]
