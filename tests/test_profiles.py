"""Profiles: a province changes hierarchy, formulas, bands and grades in a file, not in code."""

from __future__ import annotations

import pytest
from engine_fixtures import PROVINCE_PROFILE, D, province_case_book

from xlsuite.core.errors import InputError
from xlsuite.core.profile import ScoringRules, load_profile
from xlsuite.core.scoring import score_book
from xlsuite.core.validation import validate_book

NATIONAL = load_profile()
PROVINCE = load_profile(PROVINCE_PROFILE)


@pytest.mark.parametrize("profile", [NATIONAL, PROVINCE], ids=["national", "province"])
def test_every_kind_adds_up_to_100(profile):
    for kind in ("项目", "部门整体"):
        levels = profile.levels(kind)
        assert levels, kind
        assert profile.rules.execution.weight + sum(level.weight for level in levels) == 100


def test_province_department_hierarchy_comes_from_its_file():
    assert [lv.name for lv in PROVINCE.levels("部门整体")] == ["投入", "过程", "产出", "效果"]
    assert [lv.name for lv in NATIONAL.levels("部门整体")] == ["产出指标", "效益指标", "满意度指标"]


def test_project_scores_differ_between_profiles():
    # Project P-1: 全年预算数 100, 全年执行数 92 → rate 92%.
    #                                 national (capped, ratio, tol 0)   province (banded, linear, tol 5%)
    # 预算执行率 92%                    10 × 0.92 = 9.20                   band ≥90% → 9.00
    # ≥ 100 → 130, w20 (130% > 120%)   20.00 (warning only)               20 × (1 − 0.1) = 18.00
    # ≤ 10 → 12.5, w20                 20 × 10/12.5 = 16.00               20 × (1 − 2.5/10) = 15.00
    # = 100 → 97, w10                  short: 10 × 0.97 = 9.70            |3| ≤ 5 → met 10.00
    # 定性 达成 24 of 30                24.00                              24.00
    # ≥ 90 → 85, w10                   10 × 85/90 = 9.444… → 9.44         9.44
    # total                            88.34 → 良 (80 ≤ 88.34 < 90)       85.44 → 优 (≥ 80)
    book = province_case_book()
    national = score_book(book, NATIONAL).projects[0]
    province = score_book(book, PROVINCE).projects[0]
    assert [s.score for s in national.indicators] == [D(x) for x in ("20.00", "16.00", "9.70", "24.00", "9.44")]
    assert [s.score for s in province.indicators] == [D(x) for x in ("18.00", "15.00", "10.00", "24.00", "9.44")]
    assert (national.execution.score, national.total, national.grade) == (D("9.20"), D("88.34"), "良")
    assert (province.execution.score, province.total, province.grade) == (D("9.00"), D("85.44"), "优")
    assert "扣减 10%" in province.indicators[0].note


def test_department_scores_under_province_hierarchy():
    # 部门整体: 支出合计 computed from the parts (totals uncalculated): 人员 100 + 公用 0 + 项目 100
    # = 200 budget; 98 + 0 + 92 = 190 executed → 95%. National capped 9.50; province band ≥95% → 10.
    # 投入 ≤ 0 → 0 met 10; 过程 定性 达成 18 of 20 → 18; 产出 ≥ 100 → 95, w30 → 28.50;
    # 效果 ≥ 90 → 90 → 30. Province: 10 + 10 + 18 + 28.50 + 30 = 96.50 → 优.
    dept = score_book(province_case_book(), PROVINCE).department
    assert dept.execution.score == D("10.00")
    assert [(lv.name, lv.weight, lv.score, lv.default_weight) for lv in dept.levels] == [
        ("投入", 10, D("10.00"), 10), ("过程", 20, D("18.00"), 20),
        ("产出", 30, D("28.50"), 30), ("效果", 30, D("30.00"), 30)]
    assert (dept.total, dept.grade) == (D("96.50"), "优")
    # National: only the execution rule changes the number: 9.50 + 86.50 = 96.00.
    assert score_book(province_case_book(), NATIONAL).department.total == D("96.00")


def test_validation_follows_the_profile_hierarchy():
    book = province_case_book()
    # Under its own profile the book is clean but for the one true warning: 130 of 100 培训人次.
    province = validate_book(book, PROVINCE)
    assert [(f.rule_id, f.subject) for f in province] == [("indicator.overachieved", "P-1")]
    assert "扣减该指标分值的 10%" in province[0].message
    # Under the national profile its 部门整体 levels are unknown, and the national defaults are
    # missed (no 产出指标/效益指标/满意度指标 rows for 部门整体).
    national = validate_book(book, NATIONAL)
    assert sorted(f.message.split("”")[0] for f in national if f.rule_id == "indicator.level1") == [
        "一级指标“产出", "一级指标“投入", "一级指标“效果", "一级指标“过程"]
    assert {f.severity for f in national if f.rule_id == "indicator.level1_weight"} == {"警告"}


def test_a_profile_without_scoring_tables_keeps_national_rules(tmp_path):
    path = tmp_path / "minimal.toml"
    path.write_text((PROVINCE_PROFILE.read_text("utf-8").split("[execution]")[0]), "utf-8")
    assert load_profile(path).rules == ScoringRules()


@pytest.mark.parametrize("text, words", [
    ('[execution]\nmethod = "stepped"\n', ["预算执行率计分方法", "stepped"]),
    ('[quantitative]\nle_formula = "log"\n', ["≤", "log"]),
    ('[execution]\nmethod = "banded"\n', ["bands"]),
    ('[rounding]\nmode = "ROUND_SIDEWAYS"\n', ["舍入方式"]),
    ("[execution\n", ["无法读取"]),
])
def test_bad_profile_is_a_clear_error(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as info:
        load_profile(path)
    for word in words:
        assert word in str(info.value)
