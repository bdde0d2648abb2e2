"""The county papers the 绩效股 signs (issue #28, deliverable 5): the 汇总报告 states the money in
万元, in all and by 主管部门, and a project or department without indicators is 未评定（无指标）
everywhere, never an execution-rate score standing among full scores."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from engine_fixtures import seed_book

from xlsuite.core import contract as c
from xlsuite.county import headers as h
from xlsuite.demo.county import run_demo
from xlsuite.report import draft_report
from xlsuite.report.county_reader import read_county_summary
from xlsuite.report.county_text import compose_county_report

pytestmark = pytest.mark.slow  # generates and consolidates a demo county of its own


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    _, result = run_demo(tmp_path_factory.mktemp("money") / "演示县")
    return result.output


def _rows(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if h.UNIT_CODE in r)
    return [dict(zip(rows[at], r, strict=True)) for r in rows[at + 1:] if r[0]]


def _wan(value) -> str:
    fen = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{fen:.0f}万元" if fen == fen.to_integral_value() else f"{fen}万元"


def test_the_county_report_states_the_money_in_wan_yuan_in_all_and_by_supervisor(summary):
    text = compose_county_report(read_county_summary(summary)).text()
    departments = _rows(summary, h.DEPARTMENTS)
    budget = sum(Decimal(str(d[h.BUDGET_TOTAL] or 0)) for d in departments)
    spent = sum(Decimal(str(d[h.SPENT_TOTAL] or 0)) for d in departments)
    assert f"纳入汇总的{len(departments)}个单位全年支出预算数{_wan(budget)}，全年执行数{_wan(spent)}" in text
    assert "预算执行率" in text and "其中项目支出" in text
    assert "占项目执行数的" in text  # the share of project funds evaluated against indicators
    assert "按主管部门：" in text
    for supervisor in {d[h.SUPERVISOR] for d in departments}:
        assert f"{supervisor}（" in text, supervisor


def test_projects_without_indicators_are_not_rated_in_the_summary_and_the_report(summary):
    projects = _rows(summary, h.PROJECTS)
    unrated = [p for p in projects if p[h.GRADE] == c.NOT_RATED]
    assert unrated and all(p[h.SCORE] is None for p in unrated)
    assert all(p[h.GRADE] for p in projects)  # no blank 等级
    text = compose_county_report(read_county_summary(summary)).text()
    assert f"其余{len(unrated)}个项目未设置绩效指标，只计算预算执行率，{c.NOT_RATED}" in text


def test_a_department_without_indicators_shows_no_score_and_is_left_out_of_the_mean(summary):
    departments = _rows(summary, h.DEPARTMENTS)
    unrated = [d for d in departments if d[h.GRADE] == c.NOT_RATED]
    assert all(d[h.SCORE] is None for d in unrated)
    assert all(d[h.GRADE] for d in departments)


def test_a_departments_report_says_a_project_without_indicators_is_not_rated():
    book = seed_book()
    code = book.projects[0].code
    book.indicators = [i for i in book.indicators if i.subject != code]
    text = "\n".join(p.text for p in draft_report(book).paragraphs)
    line = next(t for t in text.splitlines() if book.projects[0].name in t and "1、" in t)
    assert c.NOT_RATED in line and "自评得分" not in line
