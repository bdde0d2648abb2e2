"""Contract v1.1, reader and engine side: 填报范围 (a book of projects only), 指标性质 against 方向,
the printed 自评执行率得分 checked, and the scoring report of ``xlsuite score``. v1.0 books (the
sample as committed before the template became v1.1) read and score as before."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from book_parts import V10_SAMPLE, V11_SAMPLE, column_of, open_book
from conftest import SAMPLE
from engine_fixtures import D, seed_book

from xlsuite.core import contract as c
from xlsuite.core.errors import ContractError
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import score_book
from xlsuite.core.scoring.reconcile import printed_scores
from xlsuite.core.validation import WARNING, validate_book
from xlsuite.reader import ENGINES, read_book


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlsuite", *map(str, args)], capture_output=True, text=True,
                          timeout=180)


def _info_line(ws, label: str, value) -> None:
    """Set the 部门信息 line ``label`` (label in column A, value in B), appending it below the last
    line when the sheet has none (a v1.0 book)."""
    row = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label), ws.max_row + 1)
    ws.cell(row, 1, label)
    ws.cell(row, 2, value)


@pytest.fixture(params=["v1.1", "v1.0"])
def either_sample(request) -> Path:
    """The committed sample (contract v1.1), and the one of contract v1.0."""
    return V10_SAMPLE if request.param == "v1.0" else SAMPLE


def _projects_only(sample: Path, out: Path, *, keep_budget: bool) -> Path:
    """The sample as a unit submitting its projects only: 填报范围 仅项目, no 部门整体 indicators
    (rows 3–13), and 收支情况 either left out or kept with every amount cleared."""
    wb = open_book(sample)
    _info_line(wb[c.INFO_SHEET], c.info_field("scope").label, c.SCOPE_PROJECTS)
    wb[c.INDICATOR_SHEET].delete_rows(3, 11)
    if keep_budget:
        ws = wb[c.BUDGET_SHEET]
        for row in ws.iter_rows(min_row=3, min_col=4, max_col=6):
            for cell in row:
                cell.value = None
    else:
        del wb[c.BUDGET_SHEET]
    wb.save(out)
    return out


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("keep_budget", [True, False], ids=["empty-budget-sheet", "no-budget-sheet"])
def test_a_projects_only_book_gets_no_department_level_finding(tmp_path, either_sample, engine, keep_budget):
    # Before: 2–3 false cross.projects_total errors, plausibility.no_budget and
    # no_department_indicators warnings (or, without 收支情况, a refused book).
    path = _projects_only(either_sample, tmp_path / "projects.xlsx", keep_budget=keep_budget)
    book = read_book(path, engine=engine)
    assert book.projects_only
    assert validate_book(book) == []
    # The projects score exactly as in the full book.
    full = score_book(read_book(either_sample, engine=engine))
    assert [(p.code, p.total, p.grade) for p in score_book(book).projects] == \
        [(p.code, p.total, p.grade) for p in full.projects]


def test_the_score_command_on_a_projects_only_book_does_not_evaluate_the_department(tmp_path, sample_path):
    path = _projects_only(sample_path, tmp_path / "projects.xlsx", keep_budget=False)
    result = _cli("score", path, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 0, result.stderr
    assert "填报范围：仅项目" in result.stdout and "部门整体：" not in result.stdout
    assert "错误 0 项，警告 0 项，提示 0 项" in result.stdout


def test_a_book_without_budget_sheet_that_is_not_projects_only_is_refused(tmp_path, sample_path):
    wb = open_book(sample_path)
    del wb[c.BUDGET_SHEET]
    wb.save(tmp_path / "no-budget.xlsx")
    with pytest.raises(ContractError) as info:
        read_book(tmp_path / "no-budget.xlsx")
    assert "缺少工作表：收支情况" in str(info.value) and "仅项目" in str(info.value)


def test_an_unknown_scope_is_an_error_and_the_book_is_checked_in_full():
    book = seed_book()
    book.info.scope = "项目"
    found = [f.rule_id for f in validate_book(book)]
    assert "plausibility.scope" in found and "cross.projects_total" in found


def test_a_v12_book_reads_and_a_newer_one_is_refused(tmp_path, sample_path):
    wb = open_book(sample_path)
    meta = wb[c.META_SHEET]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == c.META_VERSION_KEY)
    meta.cell(row, 2, "1.2")
    wb.save(tmp_path / "v12.xlsx")
    assert read_book(tmp_path / "v12.xlsx").template_version == "1.2"
    meta.cell(row, 2, "1.3")
    wb.save(tmp_path / "v13.xlsx")
    with pytest.raises(ContractError):
        read_book(tmp_path / "v13.xlsx")


# --- 指标性质 -------------------------------------------------------------------------------------

def test_nature_is_read_and_checked_against_the_direction(tmp_path, sample_path):
    # The sample marks every ≥ indicator 正向 and every ≤ one 反向: typed the other way round on
    # row 3 (≥) and row 20 (≤), both are pointed out.
    wb = open_book(sample_path)
    col = column_of(c.INDICATOR_SHEET_DEF, "nature")
    ws = wb[c.INDICATOR_SHEET]
    assert (ws[f"{col}2"].value, ws[f"{col}3"].value, ws[f"{col}20"].value) == ("指标性质", "正向", "反向")
    ws[f"{col}3"], ws[f"{col}20"] = "反向", "正向"
    wb.save(tmp_path / "nature.xlsx")
    book = read_book(tmp_path / "nature.xlsx")
    assert [i.nature for i in book.indicators[:2]] == ["反向", "正向"]
    found = [(f.severity, f.location) for f in validate_book(book) if f.rule_id == "indicator.nature"]
    assert found == [(WARNING, f"绩效指标!{col}3"), (WARNING, f"绩效指标!{col}20")]
    assert not [f for f in validate_book(read_book(sample_path)) if f.rule_id == "indicator.nature"]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_v10_book_reads_and_scores_as_before(engine):
    book = read_book(V10_SAMPLE, engine=engine)
    assert book.template_version == c.V10
    assert (book.info.scope, book.info.filled_date) == ("", "")
    assert all(i.nature == "" for i in book.indicators)
    assert all(p.printed_execution is None and p.category == "" for p in book.projects)
    score = score_book(book)
    assert (score.department.total, score.department.grade) == (D("92.75"), "优")
    assert [f.rule_id for f in validate_book(book)] == ["cross.projects_total"]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_v11_sample_is_the_v10_one_with_the_new_fields_filled(engine):
    # Every v1.0 value sits in the same cell of both books; only v1.1's lines and columns differ.
    old, new = read_book(V10_SAMPLE, engine=engine), read_book(V11_SAMPLE, engine=engine)
    assert new.template_version == c.V11
    added = {f.key for f in c.V11_INFO_FIELDS} | {col.key for cols in c.V11_COLUMNS.values() for col in cols}

    def v10(record) -> dict:
        # v1.1's sample also carries the seed department's printed 得分 (its 实得98分, #28); the
        # v1.0 sample left them to the engine, which scores both books alike (below).
        values = {k: v for k, v in vars(record).items() if k not in added and k not in ("cells", "score")}
        cells = {k: str(ref) for k, ref in record.cells.items() if k not in added}
        return {**values, "cells": cells}

    assert v10(new.info) == v10(old.info)
    for sheet, records in (("projects", zip(old.projects, new.projects, strict=True)),
                           ("indicators", zip(old.indicators, new.indicators, strict=True))):
        for before, after in records:
            assert v10(after) == v10(before), sheet

    def scores(book) -> list:
        return [(s.code, s.execution.score, [i.score for i in s.indicators], s.total, s.grade)
                for s in score_book(book).subjects()]

    assert scores(new) == scores(old)


# --- the printed 自评执行率得分 and the scoring report -------------------------------------------------

PRINTED = column_of(c.PROJECT_SHEET_DEF, "printed_execution")


def _with_printed_execution(sample: Path, out: Path, scores: dict[int, object]) -> Path:
    wb = open_book(sample)
    ws = wb[c.PROJECT_SHEET]
    assert ws[f"{PRINTED}2"].value == "自评执行率得分"
    for row, value in scores.items():
        ws[f"{PRINTED}{row}"] = value
    wb.save(out)
    return out


def test_the_printed_execution_score_is_checked(tmp_path, sample_path):
    # Project 307001-2021-05 (row 8) spent 17 of 17: 100% → 10; the form printed 9.
    path = _with_printed_execution(sample_path, tmp_path / "printed.xlsx", {5: None, 8: 9})
    book = read_book(path)
    assert [p.printed_execution for p in book.projects[:5]] == [D(10), None, D(10), D(10), D(9)]
    found = [f for f in validate_book(book) if f.rule_id == "indicator.printed_execution"]
    assert [(f.severity, f.location) for f in found] == [(WARNING, f"项目支出!{PRINTED}8")]
    assert "自评执行率得分 9" in found[0].message and "计算为 10" in found[0].message


def test_the_scoring_report_names_the_rule_that_explains_a_difference():
    # 86.2% of 全年预算数 100 (年初 80) → 8.62 under national rules. A form printing 9 scored whole
    # points; one printing 10 divided by 年初预算数 (107.75%, capped); one printing 0 follows no
    # rule the report knows.
    from test_province_rules import _form
    cases = {D(9): "每项取整数分", D(10): "执行率以年初预算数为分母", D(0): None}
    for printed, rule_label in cases.items():
        book = _form()
        book.projects[0].printed_execution = printed
        book.indicators[2].score = D("13.5")  # ≤ 10 → 11, w15: 13.64 by ratio, 13.50 by the linear formula
        profile = load_profile()
        report = printed_scores(book, score_book(book, profile), profile)
        execution = report[0]
        assert (execution.what, execution.printed, execution.engine) == ("预算执行率", printed, D("8.62"))
        assert "执行率 86.2%" in execution.explanation
        if rule_label:
            assert rule_label in execution.explanation
        else:
            assert "一致" not in execution.explanation
        indicator = next(p for p in report if p.what == "单位成本")
        assert (indicator.engine, indicator.agrees) == (D("13.64"), False)
        assert "“≤”指标按 (1 − 超出比例) × 分值" in indicator.explanation


def test_the_score_command_prints_every_printed_score_beside_the_engines(tmp_path, sample_path):
    path = _with_printed_execution(sample_path, tmp_path / "printed.xlsx", {8: 9})
    result = _cli("score", path, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 0, result.stderr
    summary = "工作簿中已填得分 24 项，按评分方案“全国默认（财预〔2020〕10号）”重新计算，一致 20 项，不一致 4 项"
    assert f"得分对照：{summary}（详见“得分对照”工作表）" in result.stdout
    line = next(x for x in result.stdout.splitlines() if f"项目支出!{PRINTED}8" in x)
    assert "文件 9，重新计算 10" in line and "执行率 100%" in line
    assert "部门整体：92.75 分，等级 优" in result.stdout
    # The scored book carries the same report as a sheet: the summary, then every printed score
    # with a link to its cell, the book's and the engine's score and the explanation.
    ws = open_book(tmp_path / "out.xlsx")[c.SCORE_CHECK_SHEET]
    assert ws["A2"].value == summary + "。"
    rows = [row for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None]
    # 部门整体's printed total (98) first, then the 24 printed scores.
    assert len(rows) == 25 and rows[0][3].startswith("自评得分合计")
    (differs,) = [row for row in rows if row[6] != "一致" and row[3] == "预算执行率"]
    assert f"项目支出!{PRINTED}8" in differs[1] and differs[1].startswith("=HYPERLINK(")
    assert differs[2] == "307001-2021-05 疫情防控工作经费" and differs[3] == "预算执行率"
    assert (differs[4], differs[5]) == (9, 10)
    assert differs[6].startswith("不一致：执行率 100%")


def test_decimal_places_of_the_printed_score_do_not_matter():
    book = seed_book()
    book.indicators[8].score = Decimal("10.000")
    profile = load_profile()
    (printed,) = [p for p in printed_scores(book, score_book(book, profile), profile)
                  if p.what == book.indicators[8].level3]
    assert printed.agrees


def test_each_row_of_a_project_code_listed_twice_is_held_to_its_own_printed_score():
    # Rows 4 and 5 (307001-2021-01 and -02, both fully spent: 10 points) given one 项目编码: the
    # second row's printed 9 is its own, not the first row's 10 looked up by code.
    book = seed_book()
    book.projects[1].code = book.projects[0].code
    book.projects[1].printed_execution = D(9)
    found = [f for f in validate_book(book) if f.rule_id == "indicator.printed_execution"]
    assert [f.location for f in found] == [f"项目支出!{PRINTED}5"]
