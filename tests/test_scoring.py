"""Scoring: hand-worked examples for every formula, the seed department, and bounds."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from engine_fixtures import D, indicator, seed_book
from hypothesis import given
from hypothesis import strategies as st

from xlsuite.core.model import Amounts, DepartmentBook, Project
from xlsuite.core.profile import ExecutionRule, load_profile
from xlsuite.core.scoring import rules as r
from xlsuite.core.scoring import score_book, score_indicator

NATIONAL = load_profile().rules
LINEAR_LE = replace(NATIONAL, le_formula="linear")
TOLERANT = replace(NATIONAL, eq_tolerance=D("0.05"))
DEDUCTING = replace(NATIONAL, overachievement_deduction=D("0.1"))
BANDS = ((D("0.95"), D(1)), (D("0.9"), D("0.9")), (D("0.8"), D("0.8")), (D("0.6"), D("0.6")))


def quant(direction, target, actual, weight, rules=NATIONAL):
    return r.quantitative_score(direction, D(target), D(actual), D(weight), rules)


# --- quantitative indicators -------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, weight, expected, met, over", [
    # met exactly: full weight
    (6, 6, 8, "8.00", True, False),
    # met above target but within 120%: 10.3/10 = 103% → full weight, no warning
    (10, "10.3", 10, "10.00", True, False),
    # short: 10 × 3/6 = 5.00
    (6, 3, 10, "5.00", False, False),
    # short: 8 × 27/28 = 7.714… → 7.71
    (28, 27, 8, "7.71", False, False),
    # short: 5 × 1/8 = 0.625 → 0.63 (half up; banker's rounding would give 0.62)
    (8, 1, 5, "0.63", False, False),
    # nothing done: 0
    (6, 0, 10, "0.00", False, False),
    # exactly 120% is not "far over" (the threshold is exceeded, not reached)
    (100, 120, 10, "10.00", True, False),
    # far over: 110/90 = 122% > 120% → full weight, flagged
    (90, 110, 10, "10.00", True, True),
])
def test_at_least(target, actual, weight, expected, met, over):
    result = quant("≥", target, actual, weight)
    assert (result.score, result.met, result.overachieved) == (D(expected), met, over)


def test_overachievement_deduction_takes_its_share_of_the_weight():
    # 110/90 = 122% > 120%; deduction 10% of weight 10 → 10 − 1 = 9.00
    assert quant("≥", 90, 110, 10, DEDUCTING).score == D("9.00")
    # 108/90 = 120% exactly: not over, no deduction
    assert quant("≥", 90, 108, 10, DEDUCTING).score == D("10.00")


@pytest.mark.parametrize("target, actual, weight, ratio_score, linear_score", [
    # met: at or under the ceiling → full weight under both formulas
    (17, 17, 20, "20.00", "20.00"),
    (17, 15, 20, "20.00", "20.00"),
    # over by 25%: ratio 20 × 10/12.5 = 16.00; linear 20 × (1 − 2.5/10) = 15.00
    (10, "12.5", 20, "16.00", "15.00"),
    # over by 3 of 12: ratio 10 × 12/15 = 8.00; linear 10 × (1 − 3/12) = 7.50
    (12, 15, 10, "8.00", "7.50"),
    # twice the target: ratio 20 × 10/20 = 10.00; linear reaches 0
    (10, 20, 20, "10.00", "0.00"),
    # beyond twice: ratio 20 × 10/25 = 8.00; linear stays at 0, never negative
    (10, 25, 20, "8.00", "0.00"),
])
def test_at_most_both_formulas(target, actual, weight, ratio_score, linear_score):
    assert quant("≤", target, actual, weight).score == D(ratio_score)
    assert quant("≤", target, actual, weight, LINEAR_LE).score == D(linear_score)


@pytest.mark.parametrize("target, actual, weight, rules, expected, met", [
    # tolerance 0: only the exact value is met
    (1, 1, 20, NATIONAL, "20.00", True),
    (1, 0, 20, NATIONAL, "0.00", False),
    # 97 of 100 with no tolerance: short, scored as ≥: 10 × 0.97 = 9.70
    (100, 97, 10, NATIONAL, "9.70", False),
    # tolerance 5%: |104 − 100| = 4 ≤ 5 → met; the edge 105 is still met
    (100, 104, 10, TOLERANT, "10.00", True),
    (100, 105, 10, TOLERANT, "10.00", True),
    # outside, short: 94 → scored as ≥: 10 × 94/100 = 9.40
    (100, 94, 10, TOLERANT, "9.40", False),
    # outside, over: 110 → scored as ≤ (ratio): 10 × 100/110 = 9.0909… → 9.09
    (100, 110, 10, TOLERANT, "9.09", False),
])
def test_equal_within_and_outside_tolerance(target, actual, weight, rules, expected, met):
    result = quant("=", target, actual, weight, rules)
    assert (result.score, result.met) == (D(expected), met)


# --- qualitative indicators --------------------------------------------------------------------

@pytest.mark.parametrize("grade, given, expected, in_band", [
    # inside the band: the evaluator's score stands (bands of weight 10: 达成 [8, 10],
    # 部分达成 [6, 8), 未达成 [0, 6))
    ("达成", 10, "10.00", True),
    ("达成", 8, "8.00", True),
    ("部分达成", 6, "6.00", True),
    ("部分达成", "7.99", "7.99", True),
    ("未达成", 0, "0.00", True),
    # outside: moved to the nearest score of the band, never beyond what the grade allows
    ("达成", 5, "8.00", False),        # below 达成's floor 8
    ("部分达成", 8, "7.99", False),    # 8 belongs to 达成; highest 部分达成 score is 7.99
    ("部分达成", 3, "6.00", False),
    ("未达成", 7, "5.99", False),
])
def test_qualitative_band(grade, given, expected, in_band):
    assert r.qualitative_in_band(grade, D(given), D(10), NATIONAL) is in_band
    assert r.qualitative_score(grade, D(given), D(10), NATIONAL) == D(expected)
    scored = score_indicator(indicator(direction="定性", weight=10, grade=grade, score=given), NATIONAL)
    assert scored.score == D(expected)
    assert scored.warning is (not in_band)


def test_qualitative_without_score_scores_zero():
    assert score_indicator(indicator(direction="定性", weight=10, grade="达成"), NATIONAL).score == 0
    assert score_indicator(indicator(direction="定性", weight=10), NATIONAL).score == 0


@pytest.mark.parametrize(("given", "grade"), [(9, "达成"), (8, "达成"), (7.9, "部分达成"), (6, "部分达成"),
                                              (5.99, "未达成"), (10, "达成")])
def test_qualitative_without_grade_takes_the_band_its_score_lies_in(given, grade):
    # Published forms print no 等级: the score says which band the evaluator chose.
    scored = score_indicator(indicator(direction="定性", weight=10, score=given), NATIONAL)
    assert (scored.score, scored.qualitative_grade, scored.inferred_grade) == (D(str(given)).quantize(D("0.01")),
                                                                               grade, True)
    assert not scored.warning


def test_quantitative_without_numbers_scores_zero_with_note():
    scored = score_indicator(indicator(target=6, actual="基本完成", weight=10), NATIONAL)
    assert scored.score == 0 and "记 0 分" in scored.note


@pytest.mark.parametrize("weight", ["100.01", "1E+27", "1E+300"])
def test_absurd_weight_scores_zero_with_a_note_instead_of_crashing(weight):
    # 1E+27 × 90/100 rounded to 2 decimals would need 30 digits: Decimal's 28 raised before.
    scored = score_indicator(indicator(target=100, actual=90, weight=weight), NATIONAL)
    assert scored.score == 0 and scored.warning
    assert scored.note == "分值超过 100，记 0 分"


def test_weight_of_exactly_100_still_scores():
    assert score_indicator(indicator(target=100, actual=90, weight=100), NATIONAL).score == D("90.00")


def test_rounding_a_number_beyond_28_digits_keeps_it():
    assert r.round_score(D("1E+30"), NATIONAL) == D("1E+30")


# --- execution rate ----------------------------------------------------------------------------

def _execution(method, bands=()):
    return replace(NATIONAL, execution=ExecutionRule(D(10), method, bands))


@pytest.mark.parametrize("method, budget, executed, expected", [
    # capped (national): min(rate, 1) × 10
    ("capped", 200, 180, "9.00"),    # 90%
    ("capped", 200, 200, "10.00"),   # 100%
    ("capped", 200, 220, "10.00"),   # 110% capped at 10
    # linear: (1 − |rate − 1|) × 10, so overspending costs too
    ("linear", 200, 180, "9.00"),
    ("linear", 200, 200, "10.00"),
    ("linear", 200, 220, "9.00"),    # 110% → 1 − 0.1
    # banded ≥95% 10, ≥90% 9, ≥80% 8, ≥60% 6, else 0
    ("banded", 200, 180, "9.00"),    # 90% → 9
    ("banded", 200, 194, "10.00"),   # 97% → full
    ("banded", 200, 200, "10.00"),
    ("banded", 200, 220, "10.00"),   # 110% reaches the top band
    ("banded", 200, 100, "0.00"),    # 50% below every band
    # a rate with more decimals: 1 / 3 → 3.333… → 3.33
    ("capped", 3, 1, "3.33"),
])
def test_execution_rate(method, budget, executed, expected):
    rules = _execution(method, BANDS if method == "banded" else ())
    rate = r.execution_rate(D(budget), D(executed))
    assert r.execution_score(rate, rules) == D(expected)


def test_no_budget_means_no_rate_and_no_score():
    assert r.execution_rate(D(0), D(5)) is None
    assert r.execution_rate(None, D(5)) is None
    assert r.execution_score(None, NATIONAL) == 0


# --- grades ------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, grade", [
    ("0", "差"), ("59.99", "差"), ("60", "中"), ("79.99", "中"),
    ("80", "良"), ("89.99", "良"), ("90", "优"), ("100", "优"),
])
def test_grade_boundaries(total, grade):
    assert r.grade_of(D(total), NATIONAL) == grade


# --- the seed department -----------------------------------------------------------------------

def test_seed_department_total_and_grade():
    score = score_book(seed_book(), load_profile())
    dept = score.department
    # 预算执行率: 收支情况 支出合计（按支出性质） 全年执行数 581.67 / 全年预算数 581.67 = 100% → 10.00
    assert (dept.execution.budget, dept.execution.executed) == (D("581.67"), D("581.67"))
    assert dept.execution.score == D("10.00")
    # The 11 部门整体 indicators (weight, target → actual):
    #   新增规上企业          10  ≥6 → 3      10 × 3/6   = 5.00
    #   盘活闲置工业企业        8  ≥6 → 6      met        = 8.00
    #   重点项目开（复）工      8  ≥28 → 27    8 × 27/28  = 7.714… → 7.71
    #   争取上级专项资金        8  ≥1200 → 1200           = 8.00
    #   民用煤炭抽检合格率      8  ≥100 → 100             = 8.00
    #   隐患整改               8  ≥35 → 35               = 8.00
    #   规上工业增加值增长      10  ≥10 → 10.3 (103% < 120%) = 10.00
    #   困难问题解决            5  ≥28 → 17    5 × 17/28  = 3.035… → 3.04
    #   疫情防控物资保障 定性   10  达成, 得分 10 (band [8, 10]) = 10.00
    #   能耗控制在限额内 定性    5  达成, 得分 5 (band [4, 5])   = 5.00
    #   服务企业满意度          10  ≥90 → 95 (106% < 120%)  = 10.00
    # 产出 5 + 8 + 7.71 + 8 + 8 + 8 = 44.71; 效益 10 + 3.04 + 10 + 5 = 28.04; 满意度 10
    # total = 10 + 44.71 + 28.04 + 10 = 92.75 → ≥ 90 → 优
    expected = ["5.00", "8.00", "7.71", "8.00", "8.00", "8.00", "10.00", "3.04", "10.00", "5.00", "10.00"]
    assert [s.score for s in dept.indicators] == [D(x) for x in expected]
    assert {lv.name: lv.score for lv in dept.levels} == {
        "产出指标": D("44.71"), "效益指标": D("28.04"), "满意度指标": D("10.00")}
    assert dept.total == D("92.75")
    assert dept.grade == "优"


def test_seed_projects():
    projects = {p.code: p for p in score_book(seed_book()).projects}
    # 307001-2021-04: 100/100 executed → 10; every indicator met (= 1 → 1, ≥ 99 → 99.2,
    # ≤ 12 → 12, ≥ 15 → 15, ≥ 90 → 95) → 20 + 20 + 10 + 30 + 10 = 90; total 100 → 优
    assert (projects["307001-2021-04"].total, projects["307001-2021-04"].grade) == (D("100.00"), "优")
    # 307001-2021-05: 10 + 30 (≥80 → 85) + 20 (≤17 → 17) + 28 (定性 达成 28 of 30, band [24, 30])
    # + 10 (≥90 → 92) = 98.00 → 优
    assert (projects["307001-2021-05"].total, projects["307001-2021-05"].grade) == (D("98.00"), "优")
    # Every project executed its whole budget → 10 for execution; then
    # -01: = 1 → 1 (30), ≤ 12 → 12 (20), 定性 达成 30 of 30, ≥ 90 → 95 (10): 10 + 90 = 100.00
    # -02: = 1 → 1 (30), = 100 → 100 (20), 定性 达成 30 of 30, ≥ 90 → 95 (10): 100.00
    # -03: = 1 → 1 (30), ≤ 12 → 12 (20), 定性 达成 28 of 30 (band [24, 30]), ≥ 90 → 93 (10): 98.00
    # -06: ≥ 2 → 2 (30), ≤ 1 → 1 (20), 定性 达成 30 of 30, ≥ 90 → 95 (10): 100.00
    # -07: ≥ 10 → 10 (30), ≤ 5 → 5 (20), 定性 达成 27 of 30, ≥ 90 → 96 (10): 97.00
    expected = {"307001-2021-01": "100.00", "307001-2021-02": "100.00", "307001-2021-03": "98.00",
                "307001-2021-06": "100.00", "307001-2021-07": "97.00"}
    assert {code: projects[code].total for code in expected} == {k: D(v) for k, v in expected.items()}
    assert all(p.grade == "优" for p in projects.values())


def test_a_project_without_indicators_gets_execution_only_and_no_grade():
    book = seed_book()
    book.indicators = [i for i in book.indicators if i.subject != "307001-2021-01"]
    project = next(p for p in score_book(book).projects if p.code == "307001-2021-01")
    # 50/50 executed → 10.00; no indicators to add; no grade for a partial evaluation
    assert (project.total, project.grade) == (D("10.00"), None)


def test_uncalculated_totals_score_the_same():
    # A file saved without calculating formulas has empty total rows; the department's
    # execution then comes from the parts: 人员 275.57 + 公用 25.10 + 项目 281.00 = 581.67.
    book = seed_book()
    for row_key, line in book.budget.items():
        if row_key.endswith(".total") or row_key == "structure.基本支出":
            line.amounts.adjusted = line.amounts.executed = None
    dept = score_book(book).department
    assert dept.execution.budget == D("581.67")
    assert dept.total == D("92.75")


# --- properties --------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
profiles = st.builds(
    lambda le, tol, ded, method: replace(NATIONAL, le_formula=le, eq_tolerance=tol,
                                         overachievement_deduction=ded,
                                         execution=ExecutionRule(D(10), method, BANDS)),
    st.sampled_from(["ratio", "linear"]), shares, shares, st.sampled_from(["capped", "linear", "banded"]))


@given(st.sampled_from(["≥", "≤", "="]), money, money, weights, profiles)
def test_quantitative_score_within_weight(direction, target, actual, weight, rules):
    score = r.quantitative_score(direction, target, actual, weight, rules).score
    assert 0 <= score <= weight


@given(st.sampled_from(["达成", "部分达成", "未达成"]), weights, weights)
def test_qualitative_score_within_weight(grade, given_score, weight):
    assert 0 <= r.qualitative_score(grade, given_score, weight, NATIONAL) <= weight


@given(money, money, profiles)
def test_execution_score_within_weight(budget, executed, rules):
    assert 0 <= r.execution_score(r.execution_rate(budget, executed), rules) <= rules.execution.weight


@st.composite
def subject_indicators(draw):
    """Indicators of one subject whose 分值 add up to 90, with random directions and values."""
    count = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(0, 9000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 9000]
    rows = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        weight = Decimal(high - low) / 100
        direction = draw(st.sampled_from(["≥", "≤", "=", "定性"]))
        if direction == "定性":
            grade = draw(st.sampled_from(["达成", "部分达成", "未达成", ""]))
            rows.append(indicator("P", direction="定性", weight=weight, grade=grade,
                                  score=draw(st.one_of(st.none(), weights))))
        else:
            rows.append(indicator("P", direction=direction, weight=weight,
                                  target=draw(money), actual=draw(st.one_of(money, st.just("未完成")))))
    return rows


@given(subject_indicators(), money, money, profiles)
def test_total_is_sum_of_parts_and_within_100(rows, budget, executed, rules):
    profile = replace(load_profile(), rules=rules)
    book = DepartmentBook(projects=[Project("P", "项目", total=Amounts(None, budget, executed))],
                          indicators=rows)
    subject = score_book(book, profile).projects[0]
    parts = subject.execution.score + sum(s.score for s in subject.indicators)
    assert subject.total == parts
    assert subject.total == subject.execution.score + sum(lv.score for lv in subject.levels)
    assert 0 <= subject.total <= 100
    for s in subject.indicators:
        assert 0 <= s.score <= s.weight
