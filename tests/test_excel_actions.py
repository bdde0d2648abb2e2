"""The 校验 button action, driven through xlsuite's host protocol on books made from files.

The action runs against ``HostBook`` (the payload a host sends), its recorded
writes are applied to a copy of the file with openpyxl, and the copy is checked: what the user
would see in Excel after pressing the button.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import host_books as host
import openpyxl
import pytest
from book_parts import open_book
from conftest import SAMPLE
from libreoffice import convert

from xlsuite.core import contract as c
from xlsuite.core.model import Project
from xlsuite.core.validation import rule_label, validate_book
from xlsuite.excel import actions, cell_colours, forms_bridge, report_action
from xlsuite.excel.host import HostBook
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook
from xlsuite.template.sample import load_sample, sample_data_files, scaled_sample


def run_action(path, action, out):
    """Press the button on the book in ``path``; returns (alerts, actions queued)."""
    book = host.open_host_book(path)
    actions.run(book, action)
    queued = book.json()["actions"]
    return host.apply_actions(path, queued, out), queued


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
    assert expected and counts["错误"] == 1  # the seed's 253 vs 281 万元, one gap in budget and executed
    assert counts["提示"] == 0  # every seed project has its indicators
    # and the department's own printed scores of three partly met indicators (its 实得98分).
    assert alerts == [f"校验完成：共 {len(expected)} 条（错误 1 条，警告 3 条）。"
                      f"详见“校验结果”表，有问题的单元格已标色。"]
    wb = open_book(out)
    # After the last data sheet (主要工作 since v1.2), before the hidden ones, where xlsuite score puts it.
    assert wb.sheetnames[wb.sheetnames.index(c.WORK_SHEET) + 1] == c.FINDINGS_SHEET
    assert wb.active.title == c.FINDINGS_SHEET
    ws = wb[c.FINDINGS_SHEET]
    # The layout of forms.findings, as 评分 writes it: title, count line, headers, findings.
    assert [cell.value for cell in ws[3]] == ["序号", "严重程度", "位置", "规则", "说明", "规则编号"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(expected)
    for n, (row, finding) in enumerate(zip(rows, expected, strict=True), start=1):
        number, severity, link, label, message, rule_id = row
        assert (number, severity, rule_id, message) == (n, finding.severity, finding.rule_id, finding.message)
        assert label == rule_label(finding.rule_id)
        cell = finding.cell
        assert link == f'=HYPERLINK("#\'{cell.sheet}\'!{cell.a1}","{cell.sheet}!{cell.a1}")'
        assert fill_of(wb[cell.sheet][cell.a1]) == cell_colours.FILLS[finding.severity]
    assert [r[2] for r in rows if r[5] == "cross.projects_total"] == ['=HYPERLINK("#\'收支情况\'!E43","收支情况!E43")']
    # Cells without a finding keep their fill: a label, a header, an input.
    assert fill_of(wb[c.BUDGET_SHEET]["C43"]) == cell_colours.LABEL_FILL
    assert fill_of(wb[c.INDICATOR_SHEET]["A2"]) == cell_colours.HEADER_FILL
    assert fill_of(wb[c.INDICATOR_SHEET]["F3"]) is None


def findings_rows(path):
    """校验结果's finding rows (序号, 严重程度, 位置, 规则, 说明, 规则编号) of a workbook file."""
    return list(open_book(path)[c.FINDINGS_SHEET].iter_rows(min_row=4, values_only=True))


def fix_projects_total(src, tmp_path, name):
    """The accountant corrects 项目支出 on 收支情况 to the 253 万元 the projects add up to and
    saves: Excel stores the links' shown text, which LibreOffice recalculates here."""
    wb = open_book(src)
    wb[c.BUDGET_SHEET]["E43"] = 253
    wb[c.BUDGET_SHEET]["F43"] = 253
    wb.save(tmp_path / f"{name}.xlsx")
    return convert(tmp_path / f"{name}.xlsx", tmp_path / name, "xlsx")


@pytest.mark.slow  # runs the buttons twice over the sample
@pytest.mark.libreoffice
def test_second_run_replaces_the_list_and_clears_colours_of_fixed_cells(tmp_path):
    first = tmp_path / "first.xlsx"
    run_action(SAMPLE, actions.validate, first)
    saved = fix_projects_total(first, tmp_path, "fixed")

    second = tmp_path / "second.xlsx"
    alerts, _ = run_action(saved, actions.validate, second)
    wb = open_book(second)
    assert wb.sheetnames.count(c.FINDINGS_SHEET) == 1
    rows = findings_rows(second)
    assert rows and "cross.projects_total" not in [r[5] for r in rows]
    assert fill_of(wb[c.BUDGET_SHEET]["E43"]) is None      # back to an input's (no) fill
    assert fill_of(wb[c.BUDGET_SHEET]["F43"]) is None
    assert not any("E43" in str(r[2]) for r in rows)
    assert f"共 {len(rows)} 条" in alerts[0]


@pytest.mark.slow  # LibreOffice recalculates the scored book
@pytest.mark.libreoffice
def test_validate_after_score_reads_the_list_score_wrote_and_clears_colours(tmp_path):
    # 评分 writes 校验结果 (and colours the cells) in the same layout as 校验: the 校验 after it
    # finds the cells listed, and once they are fixed clears them; a third run keeps them clear.
    scored = tmp_path / "scored.xlsx"
    run_action(SAMPLE, actions.score, scored)
    assert fill_of(open_book(scored)[c.BUDGET_SHEET]["E43"]) == cell_colours.FILLS["错误"]
    checked = tmp_path / "checked.xlsx"
    run_action(convert(scored, tmp_path / "scored-saved", "xlsx"), actions.validate, checked)
    assert fill_of(open_book(checked)[c.BUDGET_SHEET]["E43"]) == cell_colours.FILLS["错误"]

    fixed = fix_projects_total(checked, tmp_path, "fixed")
    again = tmp_path / "again.xlsx"
    run_action(fixed, actions.validate, again)
    wb = open_book(again)
    assert fill_of(wb[c.BUDGET_SHEET]["E43"]) is None and fill_of(wb[c.BUDGET_SHEET]["F43"]) is None
    assert "cross.projects_total" not in [r[5] for r in findings_rows(again)]
    third = tmp_path / "third.xlsx"
    run_action(convert(again, tmp_path / "again-saved", "xlsx"), actions.validate, third)
    assert fill_of(open_book(third)[c.BUDGET_SHEET]["E43"]) is None
    assert findings_rows(third) == findings_rows(again)


def test_previous_cells_back_to_the_template_fill():
    grid = [["校验结果"] + [""] * 4, ["共 3 项"] + [""] * 4, ["序号", "严重程度", "位置", "说明", "规则编号"],
            [1, "错误", f"{c.BUDGET_SHEET}!E3", "", "x"],
            [2, "错误", f"{c.BUDGET_SHEET}!E43", "", "x"],
            [3, "提示", "—", "", "x"]]
    cells = cell_colours.previous_cells(grid)
    assert {str(cell) for cell in cells} == {f"{c.BUDGET_SHEET}!E3", f"{c.BUDGET_SHEET}!E43"}
    budget = [[""] * 7, [""] * 7] + [["", "", r.name, "", "", "", ""] for r in c.budget_rows()]
    plan = cell_colours.colour_plan([], cells, {c.BUDGET_SHEET: budget})
    assert len(plan) == 1 and plan[0].address == "E3:E43"
    assert plan[0].fills[0] == cell_colours.LABEL_FILL   # E3: the 收入合计 total row
    assert plan[0].fills[-1] is None                     # E43: the 项目支出 input
    assert set(plan[0].fills[1:-1]) == {...}             # everything between: kept


def test_desktop_colours_go_by_union_addresses_within_excels_limit():
    column = cell_colours.ColumnColours("绩效指标", 11, 2, tuple(
        "#FFC7CE" if r % 2 == 0 else ... for r in range(400)))
    pairs = cell_colours.union_addresses([column])
    assert {fill for fill, _ in pairs} == {"#FFC7CE"}
    assert all(len(address) <= cell_colours.UNION_LIMIT for _, address in pairs)
    cells = [cell for _, address in pairs for cell in address.split(",")]
    assert cells == [f"L{3 + r}" for r in range(0, 400, 2)]   # every coloured cell, once, in order
    assert len(pairs) < len(cells) / 20


def test_typed_text_beginning_with_equals_stays_text(tmp_path):
    book, _ = load_sample(sample_data_files()[0])
    book.projects[0].name = "=1+1"
    src = build_workbook(tmp_path / "book.xlsx", book)
    out = tmp_path / "out.xlsx"
    run_action(src, actions.score, out)
    ws = open_book(out)[c.PROJECT_FORM_SHEET]
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cells and all(cell.data_type == "s" for cell in cells)


# --- errors -------------------------------------------------------------------------------------


def test_words_in_an_amount_cell_are_a_finding_and_validation_completes(tmp_path):
    wb = open_book(SAMPLE)
    wb[c.BUDGET_SHEET]["E5"] = "约二十万"
    wb.save(tmp_path / "text.xlsx")
    alerts, queued = run_action(tmp_path / "text.xlsx", actions.validate, tmp_path / "o1.xlsx")
    assert len(alerts) == 1 and alerts[0].startswith("校验完成")
    written = str(queued)
    assert "plausibility.text_in_number" in written and "约二十万" in written


@pytest.mark.slow  # every button on broken books
def test_errors_become_chinese_messages_not_tracebacks(tmp_path, monkeypatch):
    wb = open_book(SAMPLE)
    wb[c.BUDGET_SHEET]["E5"] = 1e30
    wb.save(tmp_path / "huge.xlsx")
    alerts, queued = run_action(tmp_path / "huge.xlsx", actions.validate, tmp_path / "o1.xlsx")
    assert alerts == [f"校验未完成：单元格内容有误：{c.BUDGET_SHEET}!E5 应填金额（全年预算数），实为 1E+30，"
                      "超出合理范围（金额以万元为单位，绝对值应小于 1E+12）\n请改正这些单元格后再试。"]
    assert [a["func"] for a in queued] == ["alert"]  # nothing else written

    del wb[c.PROBLEM_SHEET]
    wb.save(tmp_path / "missing.xlsx")
    alerts, _ = run_action(tmp_path / "missing.xlsx", actions.validate, tmp_path / "o2.xlsx")
    assert alerts == [f"校验未完成：缺少工作表：{c.PROBLEM_SHEET}（不是标准的预算绩效自评工作簿）"]

    def broken(_book, _profile=None):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(forms_bridge, "evaluate", broken)
    monkeypatch.setattr(actions, "LOG_FILE", tmp_path / "xlsuite.log")
    alerts, _ = run_action(SAMPLE, actions.validate, tmp_path / "o3.xlsx")
    assert alerts[0].startswith("校验未完成：程序内部出错。") and "Traceback" not in alerts[0]
    assert "ZeroDivisionError" in (tmp_path / "xlsuite.log").read_text("utf-8")


# --- cost ---------------------------------------------------------------------------------------


def count_calls(path, action, monkeypatch):
    """Data reads (range values read) and queued writes by kind, for one press of the button."""
    from xlsuite.excel import host as protocol

    reads = Counter()
    getter = protocol._Read.value.fget

    def counting(self):
        reads[self._range.sheet.name] += 1
        return getter(self)
    with monkeypatch.context() as patch:
        patch.setattr(protocol._Read, "value", property(counting))
        book = host.open_host_book(path)
        actions.run(book, action)
    return sum(reads.values()), Counter(a["func"] for a in book.json()["actions"]), reads


@pytest.fixture(scope="module")
def small_and_big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sizes")
    small = build_workbook(folder / "small.xlsx", scaled_sample(1, 5))
    big = build_workbook(folder / "big.xlsx", scaled_sample(50, 20))
    assert len(read_book(big).indicators) - len(read_book(small).indicators) == 995
    return small, big


@pytest.mark.slow  # runs each action on a book of 1,000 indicators
@pytest.mark.parametrize("action", [actions.validate, actions.score, actions.forms, actions.report],
                         ids=["校验", "评分", "生成自评表", "生成报告"])
def test_each_action_makes_as_many_calls_for_1000_indicators_as_for_5(small_and_big, action, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # 生成报告 of a book without a folder: ~/Documents
    # The Word document of 1,000 indicators takes python-docx a minute and no call into Excel.
    monkeypatch.setattr(report_action, "write_docx", lambda draft, path, *a, **k: path)
    small, big = small_and_big
    small_reads, small_writes, per_sheet = count_calls(small, action, monkeypatch)
    big_reads, big_writes, _ = count_calls(big, action, monkeypatch)
    assert "alert" in small_writes and small_writes["alert"] == 1   # it ran to its message
    assert (small_reads, small_writes) == (big_reads, big_writes)
    assert set(per_sheet.values()) == {1}  # each sheet read once, in one bulk call
    assert small_reads + sum(small_writes.values()) <= 30, (small_reads, small_writes)
    # 1,000 rows written into 绩效指标 and the forms in the same calls as 5: the content grew.
    grown = [sum(len(a.get("values") or []) for a in book.json()["actions"])
             for book in (_pressed(small, action), _pressed(big, action))]
    if action is not actions.report:
        assert grown[1] > 10 * grown[0]


def _pressed(path, action):
    book = host.open_host_book(path)
    actions.run(book, action)
    return book


def test_project_copies_keep_their_own_cells():
    book = scaled_sample(2, 3)
    assert isinstance(book.projects[1], Project) and book.projects[0] is not book.projects[1]


# --- 评分 and 生成自评表 ----------------------------------------------------------------------


def _values(ws):
    return {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row
            if cell.value is not None}


@pytest.mark.slow  # scores through the host and as a file
def test_score_in_excel_equals_xlsuite_score_on_the_file(tmp_path):
    from xlsuite.forms.scored_book import score_workbook

    alerts, _ = run_action(SAMPLE, actions.score, tmp_path / "excel.xlsx")
    batch = score_workbook(SAMPLE, tmp_path / "batch.xlsx")
    live, filed = openpyxl.load_workbook(tmp_path / "excel.xlsx"), openpyxl.load_workbook(batch.path)  # formulas as text
    assert live.sheetnames == filed.sheetnames
    assert live.active.title == filed.active.title == c.DEPARTMENT_FORM_SHEET
    # The same values in the same cells (the host protocol lays out no merges or styles; desktop
    # Excel copies in the very sheets the file writer makes: see the import tests below).
    for name in (*c.GENERATED_SHEETS, c.INDICATOR_SHEET):
        assert _values(live[name]) == _values(filed[name]), name
    stamp = {r[0]: r[1] for r in live[c.META_SHEET].iter_rows(values_only=True)}
    expected = {r[0]: r[1] for r in filed[c.META_SHEET].iter_rows(values_only=True)}
    for key in ("score.total", "score.grade", "score.profile", "score.projects", c.META_VERSION_KEY):
        assert stamp[key] == expected[key], key
    dept = batch.score.department
    assert alerts == [f"评分完成：部门整体 {dept.total} 分（{dept.grade}），项目 {len(batch.score.projects)} 个；"
                      f"校验发现 {len(batch.findings)} 项。已生成“{c.DEPARTMENT_FORM_SHEET}”“{c.PROJECT_FORM_SHEET}”。"]


@pytest.mark.slow  # writes every form through the host
def test_forms_button_writes_the_forms_and_nothing_into_the_data(tmp_path):
    from xlsuite.forms.scored_book import score_workbook

    run_action(SAMPLE, actions.forms, tmp_path / "excel.xlsx")
    live = openpyxl.load_workbook(tmp_path / "excel.xlsx")  # each formula as text, compared
    filed = openpyxl.load_workbook(score_workbook(SAMPLE, tmp_path / "batch.xlsx").path)
    for name in c.GENERATED_SHEETS:
        assert _values(live[name]) == _values(filed[name]), name
    source = openpyxl.load_workbook(SAMPLE)
    assert _values(live[c.INDICATOR_SHEET]) == _values(source[c.INDICATOR_SHEET])


@pytest.mark.slow  # scores through the host twice
def test_scoring_twice_keeps_one_copy_of_each_form(tmp_path):
    first = tmp_path / "first.xlsx"
    run_action(SAMPLE, actions.score, first)
    run_action(first, actions.score, tmp_path / "second.xlsx")
    names = open_book(tmp_path / "second.xlsx").sheetnames
    assert all(names.count(n) == 1 for n in c.GENERATED_SHEETS)


def _stamped_digest(payload) -> str:
    """Press 评分 on the JSON book ``payload``; the input digest its score stamp records."""
    book = HostBook(payload)
    actions.run(book, actions.score)
    written = [v for a in book.json()["actions"] if a["func"] == "setValues" for row in a["values"] for v in row]
    key = written.index(f"{c.META_SCORE_PREFIX}input_sha256")
    return written[key + 1]


def test_one_stamp_per_book_whichever_host_sent_the_cells():
    """Desktop Excel gives every number as a float and dates as datetimes, a JSON host may send
    253 and ISO texts; the same cells get the same input digest."""
    import datetime as dt

    json_style = host.payload_from_file(SAMPLE)
    desktop_style = host.payload_from_file(SAMPLE)
    changed = 0
    for sheet in desktop_style["sheets"]:
        for row in sheet["values"]:
            for i, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool):
                    row[i] = float(value)
                    changed += 1
                elif isinstance(value, str) and value.endswith(".000Z"):
                    row[i] = dt.datetime.fromisoformat(value[:-5]).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        sheet["values"] = [[*row, ""] for row in sheet["values"]] + [[""] * (len(sheet["values"][0]) + 1)]
    assert changed > 50  # the sample's amounts and weights are whole numbers
    assert _stamped_digest(desktop_style) == _stamped_digest(json_style)

    # ... and another number is another book
    other = host.payload_from_file(SAMPLE)
    budget = next(s for s in other["sheets"] if s["name"] == c.BUDGET_SHEET)
    row = next(r for r in budget["values"] if any(isinstance(v, int | float) and v for v in r))
    column = next(i for i, v in enumerate(row) if isinstance(v, int | float) and v)
    row[column] += 0.01
    assert _stamped_digest(other) != _stamped_digest(json_style)


def _with_error_cell(tmp_path, part: str, ref: bytes, code: bytes):
    """The sample with cell ``ref`` of ``part`` holding the error value ``code``, as Excel
    writes a formula's error (a #REF! where a deleted cell was referred to)."""
    import re

    import structured_mutations as sm

    parts = sm.parts_of(SAMPLE)
    xml = parts[part]
    cell = re.search(rb'<c r="' + ref + rb'"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', xml)
    parts[part] = xml[:cell.start()] + b'<c r="' + ref + b'"' + (cell[1] or b"") + b' t="e"><v>' + code \
        + b"</v></c>" + xml[cell.end():]
    path = tmp_path / "错误值.xlsx"
    path.write_bytes(sm.package(parts))
    return path


@pytest.mark.parametrize(("part", "ref", "code", "cell"), [
    ("xl/worksheets/sheet6.xml", b"J3", b"#REF!", "绩效指标!J3"),  # a weight: the score fell 92.75 → 87.75
    ("xl/worksheets/sheet4.xml", b"E4", b"#DIV/0!", "收支情况!E4"),
    ("xl/worksheets/sheet4.xml", b"F4", b"#N/A", "收支情况!F4"),
])
@pytest.mark.slow  # every button on three damaged books
def test_error_values_stop_the_buttons_as_they_stop_the_command(tmp_path, capsys, part, ref, code, cell):
    from xlsuite import cli

    path = _with_error_cell(tmp_path, part, ref, code)
    assert cli.main(["validate", str(path)]) == 2
    finding = f"单元格内容有误：{cell} 为错误值 {code.decode()}"
    assert finding in capsys.readouterr().out
    for action, name in ((actions.validate, "校验"), (actions.score, "评分")):
        alerts, queued = run_action(path, action, tmp_path / "o.xlsx")
        assert alerts == [f"{name}未完成：{finding}\n请改正这些单元格后再试。"]
        assert [a["func"] for a in queued] == ["alert"]
