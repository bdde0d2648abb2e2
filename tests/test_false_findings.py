"""Findings that were false on real provinces' forms (issue 27): each case is a book a province
really prints, and the finding it must no longer get."""

from __future__ import annotations

from pathlib import Path

import pytest
from book_parts import column_of, open_book
from engine_fixtures import D, seed_book

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import score_book
from xlsuite.core.validation import HINT, validate_book
from xlsuite.forms.official import actual_text, target_text
from xlsuite.forms.outputs import form_plans
from xlsuite.reader import ENGINES, read_book
from xlsuite.report.forms import appendix_forms

PROFILES = Path(__file__).parent / "data" / "profiles"


def _found(book, rule_id, profile=None, subject=None):
    return [f for f in validate_book(book, profile)
            if f.rule_id == rule_id and subject in (None, f.subject)]


def test_an_indicator_named_like_the_execution_rate_is_not_taken_for_the_printed_execution_score():
    # Some provinces list 预算执行率 as an indicator too. Its 得分 (here 18 of a weight of 20,
    # against 10 recomputed) is an indicator's score: a cached-score warning at its row, never
    # 「自评执行率得分 18」, which is the project's printed score of the 项目支出 sheet.
    book = seed_book()
    row = book.indicators[11]  # the first indicator of the first project
    row.level3, row.score = "预算执行率", D(18)
    assert _found(book, "indicator.printed_execution") == []
    (cached,) = [f for f in _found(book, "indicator.cached_score") if f.location == str(row.cells["score"])]
    assert "预算执行率" in cached.message and "18" in cached.message


def test_no_budget_looks_at_the_budget_the_profile_divides_by():
    # 年初预算数 50, 全年预算数 0: under a profile dividing by 年初预算数 the project scores 10,
    # so 「执行率记 0 分」 would be false; under the national one it is true.
    initial = load_profile(PROFILES / "initial_denominator.toml")
    book = seed_book()
    project = book.projects[0]
    project.total.initial, project.total.adjusted = D(50), D(0)
    assert score_book(book, initial).projects[0].execution.score == 10
    code = project.code
    assert _found(book, "plausibility.no_budget", initial, code) == []
    (national,) = _found(book, "plausibility.no_budget", subject=code)
    assert "全年预算数为 0.00" in national.message
    # and the other way round: 年初预算数 0 is what that profile cannot divide by
    project.total.initial, project.total.adjusted = D(0), D(50)
    (found,) = _found(book, "plausibility.no_budget", initial, code)
    assert found.location == str(project.cells["total.initial"]) and "年初预算数为 0.00" in found.message


def test_amounts_kept_to_the_yuan_are_no_finding_and_below_it_only_a_hint():
    # Provincial systems keep amounts to the 元 and print them so: 89.974 and 132.9125 万元.
    book = seed_book()
    book.projects[0].total.adjusted = D("89.974")
    book.projects[1].total.adjusted = D("132.9125")
    assert _found(book, "plausibility.decimals") == []
    book.projects[1].total.adjusted = D("132.91255")  # half a 元
    (found,) = _found(book, "plausibility.decimals")
    assert found.severity == HINT and "132.91255" in found.message


def _projects_only(tmp_path) -> Path:
    from conftest import SAMPLE
    wb = open_book(SAMPLE)
    ws = wb[c.INFO_SHEET]
    label = c.info_field("scope").label
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2, c.SCOPE_PROJECTS)
    wb[c.INDICATOR_SHEET].delete_rows(3, 11)
    out = tmp_path / "projects.xlsx"
    wb.save(out)
    return out


def test_a_projects_only_book_gets_no_department_form(tmp_path):
    # 仅项目: the department is not evaluated, so no 部门整体自评表 (it printed 总分 10, 得分 0,
    # 「未设置绩效指标」) in the scored book or in the report's appendix.
    book = read_book(_projects_only(tmp_path))
    evaluation = evaluate(book)
    names = [plan.name for plan in form_plans(evaluation)]
    assert c.DEPARTMENT_FORM_SHEET not in names and names[0] == c.PROJECT_FORM_SHEET
    assert [plan.name for plan in appendix_forms(book, evaluation.score)] == [c.PROJECT_FORM_SHEET]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_rate_stored_as_an_excel_percentage_prints_as_the_accountant_sees_it(tmp_path, engine):
    # 民用煤炭质量抽检合格率: target typed as 95% (stored 0.95, format 0%), actual as 100.00%
    # (stored 1, format 0.00%), no 计量单位. It printed 「≥0.95」 and 「1」, and scored 1/0.95.
    from conftest import SAMPLE
    wb = open_book(SAMPLE)
    ws = wb[c.INDICATOR_SHEET]
    row = next(r for r in range(1, ws.max_row + 1)
               if ws[f"{column_of(c.INDICATOR_SHEET_DEF, 'level3')}{r}"].value == "民用煤炭质量抽检合格率")
    for key, value, fmt in (("target", 0.95, "0%"), ("actual", 1, "0.00%")):
        cell = ws[f"{column_of(c.INDICATOR_SHEET_DEF, key)}{row}"]
        cell.value, cell.number_format = value, fmt
    ws[f"{column_of(c.INDICATOR_SHEET_DEF, 'unit')}{row}"].value = None
    wb.save(tmp_path / "percent.xlsx")
    book = read_book(tmp_path / "percent.xlsx", engine=engine)
    rate = next(i for i in book.indicators if i.level3 == "民用煤炭质量抽检合格率")
    assert (rate.target, rate.actual, rate.unit) == (95, 100, "%")
    assert (target_text(rate), actual_text(rate)) == ("≥95%", "100%")
    # every other number reads as typed: the seed's findings are unchanged
    assert [f.rule_id for f in validate_book(book)] == [f.rule_id for f in validate_book(read_book(SAMPLE))]
