"""Fund sources a profile adds (``[funds] extra_sources``): the template's columns, the reader,
the 合计 check in xlsuite and in the template's own formulas, and the project form."""

from __future__ import annotations

import pytest
from conftest import PROFILES
from engine_fixtures import D, seed_book
from formula_books import recalculated

from xlsuite.core import contract as c
from xlsuite.core.errors import InputError
from xlsuite.core.model import Amounts
from xlsuite.core.profile import load_profile, parse_profile
from xlsuite.core.scoring import score_book
from xlsuite.core.validation import validate_book
from xlsuite.forms.official import project_forms
from xlsuite.forms.plan import display
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook
from xlsuite.template.checks import marked

FUNDS = load_profile(PROFILES / "fund_sources.toml")
SPECIAL, OWN = FUNDS.extra_sources


def _book(own_executed="20"):
    """The seed book, its first project's 50 split 30 fiscal + 20 单位资金 (executed as given)."""
    book = seed_book()
    project = book.projects[0]
    project.fiscal = Amounts(None, D(30), D(30))
    project.extra_sources = {SPECIAL: Amounts(), OWN: Amounts(None, D(20), D(own_executed))}
    return book


def _headers(ws) -> list[str]:
    return [cell.value for cell in ws[c.HEADER_ROW + 1] if cell.value]


def test_the_template_has_the_sources_columns_after_the_contracts(tmp_path):
    from book_parts import open_book
    ws = open_book(build_workbook(tmp_path / "t.xlsx", None, FUNDS))[c.PROJECT_SHEET]
    headers = _headers(ws)
    other = headers.index("全年执行数（其他资金）")
    assert headers[other + 1:other + 7] == [
        f"{amount.header}（{label}）" for label in (SPECIAL, OWN) for amount in c.AMOUNT_COLUMNS]
    assert headers[other + 7] == "年度目标（预期）"
    # the 合计 row adds up the new columns too
    column = ws.cell(c.HEADER_ROW + 1, other + 6).column_letter
    assert ws[f"{column}{c.HEADER_ROW + 2}"].value.startswith(f"=SUM({column}")


def test_a_book_with_the_sources_reads_and_checks_them(tmp_path):
    path = build_workbook(tmp_path / "b.xlsx", _book(), FUNDS)
    book = read_book(path)
    project = book.projects[0]
    assert project.extra_sources == {SPECIAL: Amounts(None, None, None), OWN: Amounts(None, D(20), D(20))}
    assert project.fiscal == Amounts(None, D(30), D(30))
    assert [f for f in validate_book(book, FUNDS) if f.rule_id == "cross.project_sources"] == []
    # 单位资金 executed 25: the sources add up to 55 against a 合计 of 50
    book = read_book(build_workbook(tmp_path / "bad.xlsx", _book(own_executed="25"), FUNDS))
    (found,) = [f for f in validate_book(book, FUNDS) if f.rule_id == "cross.project_sources"]
    assert "本年财政拨款、上年结转、其他资金、财政专户管理资金、单位资金之和不符：全年执行数为合计 50.00 万元、各来源之和 55.00 万元" in found.message
    # a book of the national template has none, and reads as before
    assert read_book(build_workbook(tmp_path / "n.xlsx", seed_book())).projects[0].extra_sources == {}


def test_the_project_form_prints_a_row_per_source():
    book = _book()
    plan = project_forms(book, score_book(book, FUNDS))
    rows: dict[int, list[str]] = {}
    for cell in sorted(plan.cells, key=lambda x: (x.row, x.col)):
        rows.setdefault(cell.row, []).append(display(cell))
    labels = [texts[0] if texts[0] != "项目资金（万元）" else texts[1] for texts in rows.values()]
    start = labels.index("年度资金总额")
    assert labels[start:start + 6] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", SPECIAL, OWN]
    own = next(texts for texts in rows.values() if texts[0] == OWN)
    assert own[1:4] == ["", "20.00", "20.00"]  # 年初预算数 left empty


@pytest.mark.slow  # LibreOffice recalculates the template
@pytest.mark.libreoffice
def test_the_templates_own_check_adds_the_sources_too(tmp_path):
    balanced = build_workbook(tmp_path / "balanced.xlsx", _book(), FUNDS)
    unbalanced = build_workbook(tmp_path / "unbalanced.xlsx", _book(own_executed="25"), FUNDS)
    checks = []
    for grid in recalculated([balanced, unbalanced], tmp_path / "lo"):
        rows = grid[c.PROJECT_SHEET]
        header = rows[c.HEADER_ROW]
        checks.append(rows[c.HEADER_ROW + 2][header.index(c.CHECKS_COLUMN.header)])
    assert marked("cross.project_sources") not in checks[0]
    assert marked("cross.project_sources") in checks[1] and "（全年执行数）" in checks[1]


@pytest.mark.parametrize(("sources", "words"), [
    ('["上年结转"]', "资金来源“上年结转”重复"),
    ('["单位资金", "单位资金"]', "资金来源“单位资金”重复"),
    ('["单位（自有）资金"]', "不能含括号"),
    ('[""]', "资金来源名称应为非空文字"),
])
def test_a_bad_source_name_is_a_clear_error(sources, words):
    with pytest.raises(InputError) as caught:
        parse_profile(f"[funds]\nextra_sources = {sources}\n")
    assert words in caught.value.reason
