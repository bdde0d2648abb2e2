"""The provinces' scoring rules a profile expresses, one test profile per rule family, each
scoring a hand-worked form.

The form: project P-1, 年初预算数 80, 全年预算数 100, 全年执行数 86.2 万元 (86.2%), and five
indicators printed as 产出 50 / 效益 30 / 满意度 10:

| row | indicator                 | direction | target | actual | 分值 | national score          |
|-----|---------------------------|-----------|--------|--------|------|-------------------------|
| 1   | 数量 建成里程              | ≥         | 100    | 92     | 20   | 20 × 0.92 = 18.40        |
| 2   | 质量 验收合格率            | ≥         | 100    | 85     | 15   | 15 × 0.85 = 12.75        |
| 3   | 成本 单位成本              | ≤         | 10     | 11     | 15   | 15 × 10/11 = 13.636… → 13.64 |
| 4   | 社会效益 群众出行便利      | 定性      | 部分达成 score 21   | 30   | 21 (band 18–24)          |
| 5   | 满意度 群众满意度          | ≥         | 90     | 95     | 10   | 10.00                    |

National: 8.62 (86.2% × 10) + 75.79 = 84.41 → 良.
"""

from __future__ import annotations

import pytest
from book_parts import open_book
from conftest import PROFILES
from engine_fixtures import D, indicator, seed_book

from xlsuite.core.errors import InputError
from xlsuite.core.model import Amounts, DepartmentBook, DepartmentInfo, Project
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import score_book
from xlsuite.core.validation import validate_book

NATIONAL = load_profile()


def _form() -> DepartmentBook:
    project = Project("P-1", "乡村道路改造", total=Amounts(D(80), D(100), D("86.2")),
                      fiscal=Amounts(D(80), D(100), D("86.2")))
    rows = [
        indicator("P-1", "产出指标", "数量指标", "建成里程", "≥", 100, 92, 20, unit="公里", deviation="雨季停工"),
        indicator("P-1", "产出指标", "质量指标", "验收合格率", "≥", 100, 85, 15, unit="%", deviation="返工"),
        indicator("P-1", "产出指标", "成本指标", "单位成本", "≤", 10, 11, 15, unit="万元", deviation="涨价"),
        indicator("P-1", "效益指标", "社会效益指标", "群众出行便利", "定性", "明显改善", "有所改善", 30,
                  grade="部分达成", score=21, deviation="两段未通"),
        indicator("P-1", "满意度指标", "服务对象满意度指标", "群众满意度", "≥", 90, 95, 10, unit="%"),
    ]
    info = DepartmentInfo(year=2023, unit_code="999002", unit_name="示例交通局", supervisor="示例交通局")
    return DepartmentBook(info=info, projects=[project], indicators=rows)


def _project(profile):
    return score_book(_form(), profile).projects[0]


def _scores(subject):
    return [s.score for s in subject.indicators]


def test_the_form_under_national_rules():
    p = _project(NATIONAL)
    assert _scores(p) == [D(x) for x in ("18.40", "12.75", "13.64", "21.00", "10.00")]
    assert (p.execution.score, p.total, p.grade) == (D("8.62"), D("84.41"), "良")


def test_banded_scoring_of_indicators():
    # Bands of completion: ≥100% full, ≥90% 80%, ≥80% 60%, below nothing; 定性 grades pay fixed
    # shares (部分达成 70%).
    # 92% → 80% × 20 = 16.00; 85% → 60% × 15 = 9.00; ≤: 10/11 = 90.9% → 80% × 15 = 12.00;
    # 部分达成 → 70% × 30 = 21.00; 95 ≥ 90 → 10.00. 8.62 + 68.00 = 76.62 → 中.
    p = _project(load_profile(PROFILES / "banded_indicators.toml"))
    assert _scores(p) == [D(x) for x in ("16.00", "9.00", "12.00", "21.00", "10.00")]
    assert (p.execution.score, p.total, p.grade) == (D("8.62"), D("76.62"), "中")


def test_banded_qualitative_pays_the_grades_share_whatever_was_typed():
    profile = load_profile(PROFILES / "banded_indicators.toml")
    book = _form()
    book.indicators[3].score = D(23)  # in the national 部分达成 band, but the province pays 70%
    p = score_book(book, profile).projects[0]
    assert p.indicators[3].score == D("21.00") and p.indicators[3].warning
    # 未选等级: the score's band (23 of 30 = 76.7% → 部分达成) is the grade, paid its share.
    book.indicators[3].grade = ""
    assert score_book(book, profile).projects[0].indicators[3].score == D("21.00")


def test_whole_points_per_item():
    # Each item rounded to whole points, half up, before adding: the execution rate 86.2% scores
    # 9 of 10 (as one published form prints it); 18.40 → 18, 12.75 → 13, 13.636… → 14, 21, 10.
    p = _project(load_profile(PROFILES / "whole_points.toml"))
    assert _scores(p) == [D(x) for x in ("18", "13", "14", "21", "10")]
    assert (p.execution.score, p.total, p.grade) == (D("9"), D("85"), "良")


def test_execution_rate_against_the_initial_budget():
    # 86.2 / 年初预算数 80 = 107.75%, capped → 10.00; the indicators as national: 75.79 → 85.79.
    p = _project(load_profile(PROFILES / "initial_denominator.toml"))
    assert (p.execution.budget, p.execution.score, p.total) == (D(80), D("10.00"), D("85.79"))


def test_execution_worth_20_with_the_indicator_block_scaled_to_80():
    # 86.2% × 20 = 17.24. The printed 90 points of indicators count for 80: each national score
    # × 80/90: 16.355… → 16.36, 11.333… → 11.33, 12.124… → 12.12, 18.666… → 18.67, 8.888… → 8.89,
    # together 67.37. 17.24 + 67.37 = 84.61 → 良.
    profile = load_profile(PROFILES / "execution20.toml")
    p = _project(profile)
    assert _scores(p) == [D(x) for x in ("16.36", "11.33", "12.12", "18.67", "8.89")]
    assert [s.row_score for s in p.indicators] == [D(x) for x in ("18.40", "12.75", "13.64", "21.00", "10.00")]
    assert (p.execution.score, p.total, p.grade) == (D("17.24"), D("84.61"), "良")
    # 90 + 20 ≠ 100 is how such a form is printed, not an error.
    assert not [f for f in validate_book(_form(), profile) if f.rule_id == "indicator.weight_total"]
    assert [f.rule_id for f in validate_book(_form(), NATIONAL) if f.rule_id == "indicator.weight_total"] == []


def test_grade_words_come_from_the_profile():
    # The national rules compute the seed department 92.75 (its report: 实得98分, 被评为“优秀”);
    # with this profile's words both totals are 优秀.
    profile = load_profile(PROFILES / "grade_words.toml")
    score = score_book(seed_book(), profile)
    assert (score.department.total, score.department.grade) == (D("92.75"), "优秀")
    assert score_book(_form(), profile).projects[0].grade == "良好"


def test_no_fixed_first_level_split():
    # 产出 55 / 效益 25 still add to 90: national warns twice against 50/30; a province that fixes
    # no split says nothing, yet still checks the names and the total.
    book = seed_book()
    book.indicators[0].weight, book.indicators[6].weight = D(15), D(5)
    national = [f.rule_id for f in validate_book(book, NATIONAL)]
    free = [f.rule_id for f in validate_book(book, load_profile(PROFILES / "free_level1.toml"))]
    assert national.count("indicator.level1_weight") == 2
    assert "indicator.level1_weight" not in free
    book.indicators[0].level1 = "投入指标"
    assert "indicator.level1" in [f.rule_id for f in validate_book(book, load_profile(PROFILES / "free_level1.toml"))]


@pytest.mark.parametrize(("text", "words"), [
    ('[quantitative]\nmethod = "banded"\n', "须给出 bands"),
    ('[quantitative]\nmethod = "steps"\n', "定量指标计分方法“steps”无效"),
    ('[execution]\ndenominator = "budget"\n', "预算执行率分母“budget”无效"),
    ('[execution]\nscale_indicators = "yes"\n', "应为 true 或 false"),
    ('[level1_weights]\nfixed = 1\n', "应为 true 或 false"),
])
def test_a_bad_rule_family_setting_is_a_clear_error(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert words in str(info.value)


def test_first_level_weights_per_project_type():
    # 项目类别 工程类 splits 60/20/10 under this profile. The form prints 50/30/10: for a 工程类
    # project that is 产出 10 short and 效益 10 over (two warnings), for an untyped one it is right.
    profile = load_profile(PROFILES / "project_types.toml")
    book = _form()
    assert _indicator_findings(book, profile) == []
    book.projects[0].category = "工程类"
    warnings = [f.message for f in validate_book(book, profile) if f.rule_id == "indicator.level1_weight"]
    assert len(warnings) == 2 and "“产出指标”分值合计 50，评分方案默认为 60" in warnings[0]
    levels = score_book(book, profile).projects[0].levels
    assert [(lv.name, lv.weight, lv.default_weight) for lv in levels] == [
        ("产出指标", 50, 60), ("效益指标", 30, 20), ("满意度指标", 10, 10)]
    # An indicator block split as the type says is clean; scores do not depend on the split.
    for row, weight in ((0, 25), (1, 20), (2, 15), (3, 20)):
        book.indicators[row].weight = D(weight)
    book.indicators[3].score = D(14)  # 部分达成: 60–80% of its 20
    assert _indicator_findings(book, profile) == []
    book.projects[0].category = "其他类"  # a type the profile does not name: the 项目 defaults
    assert len([f for f in validate_book(book, profile) if f.rule_id == "indicator.level1_weight"]) == 2


def _indicator_findings(book, profile):
    return [f.rule_id for f in validate_book(book, profile) if f.rule_id.startswith("indicator.")]


def test_project_type_is_read_from_its_column(tmp_path, sample_path):

    from book_parts import column_of

    from xlsuite.core import contract as c
    from xlsuite.reader import read_book
    wb = open_book(sample_path)
    col = column_of(c.PROJECT_SHEET_DEF, "category")
    assert wb[c.PROJECT_SHEET][f"{col}2"].value == "项目类别"
    wb[c.PROJECT_SHEET][f"{col}4"], wb[c.PROJECT_SHEET][f"{col}5"] = "工程类", None
    wb.save(tmp_path / "typed.xlsx")
    assert [p.category for p in read_book(tmp_path / "typed.xlsx").projects[:3]] == ["工程类", "", "企业奖补"]


def test_a_scaled_book_scored_twice_finds_its_own_scores(tmp_path, sample_path):
    # The 得分 column gets each row's own score (before the block is scaled), which is what the
    # check of a printed 得分 compares with: the scored copy raises no cached_score warning.
    import shutil

    from xlsuite.forms.scored_book import score_workbook
    from xlsuite.reader import read_book
    profile = load_profile(PROFILES / "execution20.toml")
    first = score_workbook(shutil.copy(sample_path, tmp_path / "book.xlsx"), tmp_path / "once.xlsx", profile)
    again = validate_book(read_book(first.path), profile)
    assert not [f for f in again if f.rule_id == "indicator.cached_score"]


def test_a_scaled_block_never_exceeds_its_points():
    # Full marks on 30/20/30/10 scale to 26.666…, 17.777…, 26.666…, 8.888…: rounded one by one
    # they make 80.01, so a perfect project would score 100.01. The row rounded up furthest (the
    # first 26.67) gives the 0.01 back: 26.66 + 17.78 + 26.67 + 8.89 = 80.00, total 100.00.
    profile = load_profile(PROFILES / "execution20.toml")
    book = _form()
    book.projects[0].total = Amounts(D(100), D(100), D(100))
    book.indicators = [
        indicator("P-1", "产出指标", "数量指标", "a", "≥", 1, 1, 30),
        indicator("P-1", "产出指标", "质量指标", "b", "≥", 1, 1, 20),
        indicator("P-1", "效益指标", "社会效益指标", "c", "≥", 1, 1, 30),
        indicator("P-1", "满意度指标", "服务对象满意度指标", "d", "≥", 1, 1, 10),
    ]
    p = score_book(book, profile).projects[0]
    assert _scores(p) == [D(x) for x in ("26.66", "17.78", "26.67", "8.89")]
    assert p.total == D("100.00") == p.execution.score + sum(_scores(p))


@pytest.mark.parametrize(("name", "words"), [
    ("execution20.toml", "指标分值按比例折算"),
])
def test_a_rule_family_the_formulas_do_not_follow_gets_a_template_without_formula_scores(tmp_path, name, words):
    # Formulas showing other numbers than the batch would be worse than none: the template says
    # which rule it cannot compute and leaves scoring to the 评分 button and xlsuite score.

    from xlsuite.core import contract as c
    from xlsuite.template.build import build_workbook
    from xlsuite.template.formulas import compiler_for
    profile = load_profile(PROFILES / name)
    assert compiler_for(profile) is None
    wb = open_book(build_workbook(tmp_path / "t.xlsx", profile=profile))
    assert c.SUMMARY_SHEET not in wb.sheetnames
    readme = " ".join(str(v) for (v,) in wb[c.README_SHEET].iter_rows(max_col=1, values_only=True) if v)
    assert f"{words}规则暂未用表格公式实现" in readme


@pytest.mark.parametrize("name", ["grade_words.toml", "free_level1.toml", "banded_indicators.toml",
                                  "whole_points.toml", "initial_denominator.toml", "project_types.toml"])
def test_rule_families_the_formulas_follow_keep_them(name):
    from xlsuite.template.formulas import compiler_for
    assert compiler_for(load_profile(PROFILES / name)) is not None
