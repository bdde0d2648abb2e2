"""Values typed as published forms print them: read, scored and reported, never a refused book.

「150万」 in a 万元 cell is 150 with a 提示; a word in an amount cell is one 错误 while the rest of
the book is read and checked; 「≥266米」 and 「2023年12月」 are read by the one parser the UDFs
share; a percent typed 0.9 beside 90 is a finding of its own; 定性 rows without target, actual or
等级, and a form's instruction text left in a cell, are found.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from book_parts import open_book
from engine_fixtures import D, indicator, seed_book

from xlsuite.core import contract as c
from xlsuite.core.model import CellRef
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import score_indicator
from xlsuite.core.scoring.targets import Period, Target, parse_target
from xlsuite.core.validation import ERROR, HINT, WARNING, validate_book
from xlsuite.excel.udfs import XLSUITE_SCORE, XLSUITE_TARGET
from xlsuite.reader import ENGINES, read_book

NATIONAL = load_profile().rules
SEED_ERRORS = [("cross.projects_total", "收支情况!E43")]


def _edited(sample: Path, out: Path, sheet: str, cells: dict) -> Path:
    wb = open_book(sample)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(out)
    return out


def _found(findings, *severities):
    return [(f.rule_id, f.location) for f in findings if f.severity in severities]


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlsuite", *map(str, args)], capture_output=True, text=True,
                          timeout=180)


# --- amounts typed with their unit, or as words --------------------------------------------------

@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("typed", ["100万", "100万元", " 100 万元 "])
def test_an_amount_typed_with_its_unit_reads_as_the_number_with_a_hint(tmp_path, sample_path, engine, typed):
    # 项目支出!F7: 全年预算数（合计） of project 307001-2021-04, 100 万元 in the sample.
    path = _edited(sample_path, tmp_path / "unit.xlsx", c.PROJECT_SHEET, {"F7": typed})
    book = read_book(path, engine=engine)
    assert book.projects[3].total.adjusted == 100
    findings = validate_book(book)
    assert _found(findings, HINT) == [("plausibility.unit_in_cell", "项目支出!F7")]
    hint = next(f for f in findings if f.severity == HINT)
    assert typed.strip() in hint.message and "100 万元" in hint.message
    assert _found(findings, ERROR) == SEED_ERRORS  # the book's own errors, unchanged


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_word_in_an_amount_cell_is_one_error_and_the_book_is_still_checked(tmp_path, sample_path, engine):
    # Before, the whole book was refused (exit 2) and its other findings lost.
    path = _edited(sample_path, tmp_path / "word.xlsx", c.PROJECT_SHEET, {"F7": "壹佰万元"})
    book = read_book(path, engine=engine)
    assert book.projects[3].total.adjusted is None
    findings = validate_book(book)
    errors = _found(findings, ERROR)
    assert ("plausibility.text_in_number", "项目支出!F7") in errors
    # Not reported a second time as an empty required cell; the seed's 28 万元 gap is still there
    # (now 128 万元 in 全年预算数, the project's 100 being unread).
    assert ("plausibility.required", "项目支出!F7") not in errors
    assert ("cross.projects_total", "收支情况!E43") in errors
    message = next(f.message for f in findings if f.rule_id == "plausibility.text_in_number")
    assert "壹佰万元" in message and "按空白处理" in message


def test_validate_reports_every_typed_cell_at_once_with_exit_1(tmp_path, sample_path):
    path = _edited(sample_path, tmp_path / "both.xlsx", c.PROJECT_SHEET, {"F7": "150万", "G8": "十七"})
    result = _cli("validate", path)
    assert result.returncode == 1, result.stdout + result.stderr
    for words in ("项目支出!F7", "150万", "项目支出!G8", "十七", "收支情况!E43"):
        assert words in result.stdout


def test_an_error_value_still_refuses_the_book_naming_the_typed_cells_too(tmp_path, sample_path):
    # A value no accountant types (#REF!) still refuses the book; the refusal lists every cell.
    from xlsuite.core.errors import CellValueError
    wb = open_book(sample_path)
    wb[c.PROJECT_SHEET]["F7"] = "壹佰万元"
    wb[c.BUDGET_SHEET]["E4"] = "#REF!"  # openpyxl stores an error code as an error value
    assert wb[c.BUDGET_SHEET]["E4"].data_type == "e"
    wb.save(tmp_path / "y.xlsx")
    with pytest.raises(CellValueError) as info:
        read_book(tmp_path / "y.xlsx")
    assert [ref for ref, _ in info.value.cells] == ["收支情况!E4", "项目支出!F7"]


def test_a_weight_typed_with_points_reads_as_the_number(tmp_path, sample_path):
    path = _edited(sample_path, tmp_path / "points.xlsx", c.INDICATOR_SHEET, {"J3": "10分"})
    book = read_book(path)
    assert book.indicators[0].weight == 10
    assert _found(validate_book(book), HINT) == [("plausibility.unit_in_cell", "绩效指标!J3")]
    assert XLSUITE_SCORE("≥", 6, 3, "10分") == 5.0


# --- targets and actuals typed with signs, units and dates ---------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2023年12月", Target("", None, "", Period(2023, 12))),
    ("2023年12月31日前", Target("", None, "", Period(2023, 12, 31))),
    ("≤2023年底", Target("≤", None, "", Period(2023, 12))),
    ("2023-06-30T00:00:00", Target("", None, "", Period(2023, 6, 30))),
    ("2023年", Target("", None, "", Period(2023))),
    ("2023", Target("", Decimal(2023), "")),
    ("≥266米", Target("≥", Decimal(266), "米")),
    ("12个月", Target("", Decimal(12), "个月")),
])
def test_parse_target_reads_dates_as_dates(text, expected):
    # Before, 「2023年12月」 was the number 2023 with the unit 「年12月」.
    assert parse_target(text) == expected


def test_a_date_target_is_shown_by_the_target_udf():
    assert XLSUITE_TARGET("2023年12月") == [["", "2023年12月", ""]]


@pytest.mark.parametrize(("direction", "target", "actual", "unit", "score", "read_as"), [
    ("≥", 266, "≥266米", "米", "10.00", (("actual", "266"),)),
    ("≥", "≥300米", "266米", "米", "8.87", (("target", "300"), ("actual", "266"))),
    ("≥", "90%", "95%", "%", "10.00", (("target", "90"), ("actual", "95"))),
    ("≤", "2023年12月", "2023年11月20日", "", "10.00", (("target", "2023年12月"), ("actual", "2023年11月20日"))),
    ("≤", "2023年12月", "2023年12月", "", "10.00", (("target", "2023年12月"), ("actual", "2023年12月"))),
    ("≤", "2023年12月", "2024年1月", "", "0.00", (("target", "2023年12月"), ("actual", "2024年1月"))),
    ("=", "2023年6月底", "2023-06-30T00:00:00", "", "10.00",
     (("target", "2023年6月"), ("actual", "2023年6月30日"))),
])
def test_typed_values_score_through_the_engine_and_the_udf_alike(direction, target, actual, unit, score, read_as):
    row = indicator(direction=direction, target=target, actual=actual, unit=unit, weight=10)
    scored = score_indicator(row, NATIONAL)
    assert (scored.score, scored.read_as) == (D(score), read_as)
    udf_target, udf_actual = (float(v) if isinstance(v, int) else v for v in (target, actual))
    # The UDF has no unit argument: a row without a unit takes the unit typed with the value.
    assert XLSUITE_SCORE(direction, udf_target, udf_actual, 10.0) == float(score)


@pytest.mark.parametrize(("target", "actual", "unit"), [(266, "266公里", "米"), ("300米", "266公里", "")])
def test_a_unit_other_than_the_indicators_is_not_read(target, actual, unit):
    scored = score_indicator(indicator(target=target, actual=actual, unit=unit, weight=10), NATIONAL)
    assert scored.score == 0 and scored.quant is None


def _seed_with(index: int, **changes):
    book = seed_book()
    for name, value in changes.items():
        setattr(book.indicators[index], name, value)
    return book


def test_a_value_read_from_text_is_a_hint_naming_the_cell():
    # Row 3 (绩效指标!H3): 新增规上企业 ≥ 6 家, actual 3.
    findings = validate_book(_seed_with(0, actual="3家"))
    hints = [f for f in findings if f.rule_id == "indicator.value_text"]
    assert [(f.severity, f.location) for f in hints] == [(HINT, "绩效指标!H3")]
    assert "“3家”按 3 计分" in hints[0].message
    assert not any(f.rule_id == "indicator.quantitative" for f in findings)


def test_a_late_date_needs_a_deviation_reason():
    findings = validate_book(_seed_with(0, direction="≤", target="2021年12月", actual="2022年3月", unit="",
                                        deviation=""))
    deviation = [f for f in findings if f.rule_id == "indicator.deviation"]
    assert [f.location for f in deviation] == ["绩效指标!L3"]
    assert "2021年12月" in deviation[0].message and "2022年3月" in deviation[0].message


@pytest.mark.parametrize(("target", "actual", "flagged"), [
    (D(90), D("0.9"), True), (D("0.9"), D(95), True), (D(90), D(95), False), (D("0.9"), D("0.95"), False),
    (D(90), D("80"), False),
])
def test_a_percent_typed_as_a_fraction_beside_a_whole_percent_is_its_own_finding(target, actual, flagged):
    # Row 7 (绩效指标!H7): 民用煤炭质量抽检合格率 ≥ 100 %.
    findings = validate_book(_seed_with(4, target=target, actual=actual, deviation="原因"))
    found = [(f.severity, f.location) for f in findings if f.rule_id == "indicator.percent_scale"]
    assert found == ([(WARNING, "绩效指标!H7")] if flagged else [])


# --- 定性 rows and instruction text ------------------------------------------------------------------

def test_a_qualitative_row_without_target_or_actual_is_found():
    # Row 11: 疫情防控物资保障 定性, 达成 10 of 10; before, an empty target and actual passed silently.
    findings = validate_book(_seed_with(8, target=None, actual=None))
    found = [(f.rule_id, f.severity, f.location) for f in findings if f.rule_id == "indicator.qualitative_empty"]
    # One finding for the row, naming both fields, at the first of them.
    assert found == [("indicator.qualitative_empty", WARNING, "绩效指标!F11")]
    assert "年度指标值和实际完成值未填写" in next(
        f.message for f in findings if f.rule_id == "indicator.qualitative_empty")


def test_a_qualitative_row_without_grade_takes_its_band_from_the_score():
    # Row 21: 保障疫情防控点正常运转, 28 of 30 → 达成 (80–100%).
    book = _seed_with(18, grade="")
    findings = validate_book(book)
    assert not any(f.rule_id == "indicator.qualitative_grade" for f in findings)
    inferred = [f for f in findings if f.rule_id == "indicator.qualitative_inferred"]
    assert [(f.severity, f.location) for f in inferred] == [(HINT, "绩效指标!I21")]
    assert "“达成”" in inferred[0].message
    from xlsuite.core.scoring import score_book
    assert score_book(book).projects[4].total == score_book(seed_book()).projects[4].total


def test_a_score_outside_every_band_without_grade_is_an_error():
    findings = validate_book(_seed_with(18, grade="", score=D(35)))
    assert [(f.rule_id, f.location) for f in findings if f.rule_id == "indicator.qualitative_grade"] == [
        ("indicator.qualitative_grade", "绩效指标!K21")]


@pytest.mark.parametrize(("where", "text"), [
    ("deviation", "对照年度目标，说明未完成原因及改进措施（100字以内）"),
    ("deviation", "请简要说明偏差原因"),
    ("level3", "（限20字）"),
])
def test_instruction_text_left_in_a_cell_is_found(where, text):
    findings = validate_book(_seed_with(0, **{where: text}))
    found = [f for f in findings if f.rule_id == "plausibility.placeholder"]
    assert [(f.severity, f.location) for f in found] == [
        (WARNING, "绩效指标!L3" if where == "deviation" else "绩效指标!D3")]


def test_instruction_text_in_a_project_goal_is_found():
    book = seed_book()
    book.projects[0].goal_actual = "对照年度目标，说明实际完成情况（200字以内）"
    found = [f.location for f in validate_book(book) if f.rule_id == "plausibility.placeholder"]
    assert found == [str(book.projects[0].cells["goal_actual"])]


def test_instruction_text_in_a_projects_conclusion_is_that_projects_finding():
    # the seed's 问题与措施 row given to its first project, its 评价结论 left as the instruction
    book = seed_book()
    problem = book.problems[0]
    problem.subject, problem.conclusion = book.projects[0].code, "对照年度目标，简要说明评价结论（100字以内）"
    problem.cells = {**problem.cells, "conclusion": CellRef(c.PROBLEM_SHEET, 2, 3)}
    (found,) = [f for f in validate_book(book) if f.rule_id == "plausibility.placeholder"]
    assert (found.location, found.subject) == ("问题与措施!D3", book.projects[0].code)


def test_the_seed_has_no_instruction_text():
    assert not any(f.rule_id == "plausibility.placeholder" for f in validate_book(seed_book()))
