"""Checks people can read, in letters a 绩效股 can sign (issue #28, deliverables 3 and 6): every
sheet and letter names a rule in Chinese before its id, an id never breaks mid-word, a letter is
addressed to the roster unit its unreadable file names, is signed and sealed, and lists one line
per indicator with whose it is."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from engine_fixtures import D, seed_book

from xlsuite.cli import main
from xlsuite.core import contract as c
from xlsuite.core.validation import RULES, rule, validate_book
from xlsuite.core.validation.catalogue import LONGEST_ID
from xlsuite.county import consolidate
from xlsuite.county import headers as h
from xlsuite.county.feedback import SEAL
from xlsuite.forms.findings import findings_sheet
from xlsuite.layout import textwidth

ROSTER = "单位编码,单位名称,主管部门\n307001,永昌县工业和信息化局,永昌县工业和信息化局\n600004,永昌县第四中学,永昌县教育局\n"


@pytest.fixture(scope="module")
def county(tmp_path_factory, sample_path):
    """The seed sample (its 28 万元 gap sends it back) and a file nobody can read whose name
    names a roster unit, consolidated with their letters."""
    root = tmp_path_factory.mktemp("letters")
    folder = root / "报送"
    folder.mkdir()
    shutil.copy(sample_path, folder / "工信局.xlsx")
    (folder / "永昌县第四中学-2021年自评.xlsx").write_bytes(b"not a workbook")
    roster = root / "名册.csv"
    roster.write_text(ROSTER, "utf-8")
    out = root / "汇总.xlsx"
    result = consolidate([folder], out, roster=roster, feedback=root / "审核意见", county="永昌县")
    return result, out


def _texts(path) -> list[str]:
    ws = openpyxl.load_workbook(path)[h.FEEDBACK_SHEET]
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def _letter(result, code: str):
    return next(path for lt, path in zip(result.returns, result.feedback, strict=True) if lt.code == code)


def test_every_rule_has_a_chinese_label_of_its_own():
    labels = [r.label for r in RULES]
    assert len(set(labels)) == len(labels)
    assert rule("cross.projects_total").label == "表间核对·项目合计"
    assert all(r.label.startswith(r.family + "·") and r.name.isascii() is False for r in RULES)


def test_the_findings_sheet_names_each_rule_in_chinese_before_its_id():
    findings = validate_book(seed_book())
    plan = findings_sheet(findings, unit_name="永昌县工业和信息化局")
    headers = [cell.value for cell in plan.cells if cell.style == "header"]
    assert headers.index(c.FINDING_RULE_NAME) < headers.index(c.FINDING_RULE)
    gap = next(cell.row for cell in plan.cells if cell.value == "cross.projects_total")
    row = {cell.col: cell for cell in plan.cells if cell.row == gap}
    assert row[headers.index(c.FINDING_RULE_NAME)].value == "表间核对·项目合计"
    # The id never wraps (a break mid-word would split it); a narrow column shrinks it instead.
    assert row[headers.index(c.FINDING_RULE)].style == "code"


def test_the_summary_lists_the_chinese_rule_beside_the_id(county):
    _, out = county
    ws = openpyxl.load_workbook(out, read_only=True)[h.FINDINGS]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and h.RULE_ID in r)
    name, rid = header.index(h.RULE_NAME), header.index(h.RULE_ID)
    assert name < rid
    gap = next(r for r in rows if r and r[rid] == "cross.projects_total")
    assert gap[name] == "表间核对·项目合计"


def test_a_letter_names_rules_in_chinese_and_keeps_ids_whole(county):
    result, _ = county
    path = _letter(result, "307001")
    ws = openpyxl.load_workbook(path)[h.FEEDBACK_SHEET]
    header_row = next(row for row in ws.iter_rows() if any(cell.value == h.RULE_ID for cell in row))
    cols = {cell.value: cell.column_letter for cell in header_row if cell.value}
    assert list(cols).index(h.RULE_NAME) < list(cols).index(h.RULE_ID)
    gap = next(row for row in ws.iter_rows(min_row=header_row[0].row + 1)
               if any(cell.value == "cross.projects_total" for cell in row))
    by_col = {cell.column_letter: cell for cell in gap}
    assert by_col[cols[h.RULE_NAME]].value == "表间核对·项目合计"
    # Never wrapped, so never broken mid-word; a too narrow column shrinks the id instead.
    id_cell = by_col[cols[h.RULE_ID]]
    assert not id_cell.alignment.wrap_text and id_cell.alignment.shrink_to_fit
    width = ws.column_dimensions[cols[h.RULE_ID]].width
    assert width >= textwidth.unbroken_width([LONGEST_ID], id_cell.font.sz, textwidth.NARROW_EM)


def test_a_letter_is_signed_by_the_county_finance_bureau_with_a_seal_line(county):
    result, _ = county
    texts = _texts(_letter(result, "307001"))
    tail = texts[-3:]
    assert tail[0] == "永昌县财政局" and tail[1].endswith("日") and "年" in tail[1] and tail[2] == SEAL


def test_an_unreadable_file_named_after_a_roster_unit_gets_that_units_letter(county, tmp_path):
    result, out = county
    (letter,) = [lt for lt in result.returns if "第四中学" in "".join(lt.files)]
    assert (letter.code, letter.name, letter.supervisor) == ("600004", "永昌县第四中学", "永昌县教育局")
    texts = _texts(_letter(result, "600004"))
    assert texts[texts.index("单位名称") + 1] == "永昌县第四中学"
    assert texts[texts.index("单位编码") + 1] == "600004"
    # Written again from the summary (xlsuite feedback): the same identity.
    assert main(["feedback", str(out), "-o", str(tmp_path / "again")]) == 0
    again = _texts(tmp_path / "again" / "永昌县第四中学-审核意见.xlsx")
    assert again[again.index("单位编码") + 1] == "600004"


def test_a_qualitative_indicator_with_neither_value_is_one_finding():
    book = seed_book()
    qualitative = next(i for i in book.indicators if i.direction == "定性" and i.subject != "部门整体")
    qualitative.target = qualitative.actual = None
    (found,) = [f for f in validate_book(book) if f.rule_id == "indicator.qualitative_empty"]
    assert "年度指标值和实际完成值未填写" in found.message


def test_a_finding_on_a_projects_row_says_whose_it_is():
    book = seed_book()
    project = book.projects[2]
    project.total.executed = project.total.adjusted + D(10)
    found = [f for f in validate_book(book) if f.cell is not None and f.cell.sheet == c.PROJECT_SHEET]
    assert found and {f.subject for f in found} == {project.code}
