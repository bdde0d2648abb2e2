"""One hand-worked 自评表 per layout family of ``[forms]``, matched cell for cell (texts, merges,
headings) by the sheet plan, by the scored workbook ``xlsuite score`` writes, and by the
report's appendix.

The book: one road project, 100 万元 budgeted (85 财政拨款, 5 上年结转, 10 其他资金), 86.2 spent,
five indicators, and a department with one indicator. Worked by hand under the national rules
(every family below keeps them; only the layout differs):

- 执行率 86.2 / 100 = 86.20% → 10 × 0.862 = 8.62; 财政拨款 75 / 85 = 88.24%, 上年结转
  3.2 / 5 = 64.00%, 其他资金 8 / 10 = 80.00%.
- 建成里程 92 / 100 × 20 = 18.40; 验收合格率 85 / 100 × 15 = 12.75; 单位成本 (≤) 10 / 11 × 15 =
  13.64; 群众出行便利 部分达成 21 (within 60–80% of 30); 群众满意度 95 ≥ 90 → 10.
- 总分 8.62 + 18.40 + 12.75 + 13.64 + 21 + 10 = 84.41 of 100 → 良. Blocks: 产出 50, 效益 30,
  满意度 10, the indicators 90.
- 部门整体: 505.60 / 520 = 97.23% → 9.72; 道路改造项目 1 ≥ 1 → 90; 99.72 → 优.
"""

from __future__ import annotations

from decimal import Decimal as D

import docx
import openpyxl
import pytest
from conftest import PROFILES
from engine_fixtures import indicator
from form_grids import plan_grid, sheet_grid, word_grid
from test_province_rules import _form

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.core.model import Amounts, BudgetLine, DepartmentBook, DepartmentInfo, Project
from xlsuite.core.profile import load_profile
from xlsuite.forms.official import department_form, project_forms
from xlsuite.forms.scored_book import score_workbook
from xlsuite.report import draft_report, write_docx
from xlsuite.template.build import build_workbook

U, L = "^", "<"


def _book() -> DepartmentBook:
    project = Project("P-1", "乡村道路改造", total=Amounts(D(80), D(100), D("86.2")),
                      fiscal=Amounts(D(70), D(85), D(75)), carryover=Amounts(None, D(5), D("3.2")),
                      other=Amounts(D(10), D(10), D(8)), supervisor="示例交通局", implementer="示例公路段",
                      goal_expected="改造乡村道路100公里", goal_actual="完成92公里")
    # test_province_rules' hand-worked project indicators, and one of the department's own.
    rows = [*_form().indicators,
            indicator(c.WHOLE_DEPARTMENT, "产出指标", "数量指标", "道路改造项目", "≥", 1, 1, 90, unit="个")]
    info = DepartmentInfo(year=2023, unit_code="999002", unit_name="示例交通局", supervisor="示例交通局",
                          goal_expected="完成年度道路改造任务", goal_actual="基本完成")
    budget = {key: BudgetLine(key, amounts) for key, amounts in (
        (c.STRUCTURE_TOTAL, Amounts(D(500), D(520), D("505.6"))),
        (c.BASIC_SPENDING, Amounts(D(400), D(420), D("419.4"))),
        (f"{c.STRUCTURE}.人员经费", Amounts(D(300), D(310), D("309.4"))),
        (f"{c.STRUCTURE}.公用经费", Amounts(D(100), D(110), D(110))),
        (c.PROJECT_SPENDING, Amounts(D(100), D(100), D("86.2"))))}
    return DepartmentBook(info=info, budget=budget, projects=[project], indicators=rows)


GOALS = [["年度总体目标", "预期目标", L, L, L, L, "实际完成情况", L, L, L],
         [U, "改造乡村道路100公里", L, L, L, L, "完成92公里", L, L, L]]
WHO = [["项目名称", L, L, "乡村道路改造", L, L, L, L, L, L],
       ["主管部门", L, L, "示例交通局", L, L, "实施单位", L, "示例公路段", L]]

# Family 1, goal blocks (as Hubei prints them): no 分值 per indicator; the points in the headings.
GOAL_BLOCKS_PROJECT = [
    *WHO,
    ["项目资金（万元）", "", L, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", L],
    [U, "年度资金总额", L, "80.00", "100.00", "86.20", "10", "86.20%", "8.62", L],
    [U, "其中：当年财政拨款", L, "70.00", "85.00", "75.00", "—", "88.24%", "—", L],
    [U, "上年结转资金", L, "", "5.00", "3.20", "—", "64.00%", "—", L],
    [U, "其他资金", L, "10.00", "10.00", "8.00", "—", "80.00%", "—", L],
    *GOALS,
    ["年度绩效目标（90分）", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分", L,
     "偏差原因分析及改进措施", L],
    [U, "产出指标（50分）", "数量指标", "建成里程", "≥100公里", "92公里", "18.40", L, "雨季停工", L],
    [U, U, "质量指标", "验收合格率", "≥100%", "85%", "12.75", L, "返工", L],
    [U, U, "成本指标", "单位成本", "≤10万元", "11万元", "13.64", L, "涨价", L],
    [U, "效益指标（30分）", "社会效益指标", "群众出行便利", "明显改善", "有所改善（部分达成）", "21.00", L, "两段未通", L],
    [U, "满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "10.00", L, "", L],
    ["总分", L, L, L, L, L, "100", "84.41", "等级", "良"],
]

# Family 2, weights (as Sichuan prints them): re-worded headings and a 得分计算方法 column, inserted
# after 全年实际值(B); the money block's 全年执行数 spans it.
ABOVE = "实际值÷目标值×权重，达到目标得满分"
BELOW = "目标值÷实际值×权重，不超过目标得满分"
WEIGHTS_PROJECT = [
    ["项目名称", L, L, "乡村道路改造", L, L, L, L, L, L, L],
    ["主管部门", L, L, "示例交通局", L, L, L, "实施单位", L, "示例公路段", L],
    ["项目资金（万元）", "", L, "年初预算数", "调整后预算数", "全年执行数", L, "权重", "执行率", "得分", L],
    [U, "年度资金总额", L, "80.00", "100.00", "86.20", L, "10", "86.20%", "8.62", L],
    [U, "其中：当年财政拨款", L, "70.00", "85.00", "75.00", L, "—", "88.24%", "—", L],
    [U, "上年结转资金", L, "", "5.00", "3.20", L, "—", "64.00%", "—", L],
    [U, "其他资金", L, "10.00", "10.00", "8.00", L, "—", "80.00%", "—", L],
    ["年度总体目标", "预期目标", L, L, L, L, L, "实际完成情况", L, L, L],
    [U, "改造乡村道路100公里", L, L, L, L, L, "完成92公里", L, L, L],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "全年实际值(B)", "得分计算方法", "权重", "得分",
     "偏差原因分析及改进措施", L],
    [U, "产出指标", "数量指标", "建成里程", "≥100公里", "92公里", ABOVE, "20", "18.40", "雨季停工", L],
    [U, U, "质量指标", "验收合格率", "≥100%", "85%", ABOVE, "15", "12.75", "返工", L],
    [U, U, "成本指标", "单位成本", "≤10万元", "11万元", BELOW, "15", "13.64", "涨价", L],
    [U, "效益指标", "社会效益指标", "群众出行便利", "明显改善", "有所改善（部分达成）", "按达成、部分达成、未达成分档计分",
     "30", "21.00", "两段未通", L],
    [U, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", ABOVE, "10", "10.00", "", L],
    ["总分", L, L, L, L, L, L, "100", "84.41", "等级", "良"],
]

# Family 3, funds rows (as Anhui prints them): 执行率 left blank; 合计, 财政资金, 其他资金 only.
INDICATORS = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施", L],
    [U, "产出指标", "数量指标", "建成里程", "≥100公里", "92公里", "20", "18.40", "雨季停工", L],
    [U, U, "质量指标", "验收合格率", "≥100%", "85%", "15", "12.75", "返工", L],
    [U, U, "成本指标", "单位成本", "≤10万元", "11万元", "15", "13.64", "涨价", L],
    [U, "效益指标", "社会效益指标", "群众出行便利", "明显改善", "有所改善（部分达成）", "30", "21.00", "两段未通", L],
    [U, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "10", "10.00", "", L],
]
FUNDS_PROJECT = [
    *WHO,
    ["项目资金（万元）", "", L, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", L],
    [U, "合计", L, "80.00", "100.00", "86.20", "10", "", "8.62", L],
    [U, "其中：财政资金", L, "70.00", "85.00", "75.00", "—", "", "—", L],
    [U, "其他资金", L, "10.00", "10.00", "8.00", "—", "", "—", L],
    *GOALS,
    *INDICATORS,
    ["总分", L, L, L, L, L, "100", "84.41", "等级", "良"],
]
FUNDS_DEPARTMENT = [
    ["部门名称", L, L, "示例交通局", L, L, L, L, L, L],
    ["年度部门整体支出预算（万元）", "", L, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", L],
    [U, "合计", L, "500.00", "520.00", "505.60", "10", "", "9.72", L],
    ["年度总体目标", "预期目标", L, L, L, L, "实际完成情况", L, L, L],
    [U, "完成年度道路改造任务", L, L, L, L, "基本完成", L, L, L],
    ["绩效指标", *INDICATORS[0][1:]],
    [U, "产出指标", "数量指标", "道路改造项目", "≥1个", "1个", "90", "90.00", "", L],
    ["总分", L, L, L, L, L, "100", "99.72", "等级", "优"],
]

FAMILIES = {
    "goal_blocks": (GOAL_BLOCKS_PROJECT, None),
    "weights": (WEIGHTS_PROJECT, None),
    "funds": (FUNDS_PROJECT, FUNDS_DEPARTMENT),
}
FIRST_TABLE_ROW = 3
"""0-based row of a form's first table row (部门名称 / 项目名称): the title, the year and the
填报单位 caption come first."""


def _profile(family: str):
    return load_profile(PROFILES / f"layout_{family}.toml")


def _table(expected) -> tuple[int, int]:
    return FIRST_TABLE_ROW, FIRST_TABLE_ROW + len(expected) - 1


@pytest.mark.parametrize("family", FAMILIES)
def test_the_plans_are_the_hand_worked_forms(family):
    profile = _profile(family)
    book = _book()
    score = evaluate(book, profile).score
    project, department = FAMILIES[family]
    assert plan_grid(project_forms(book, score, profile.forms), *_table(project)) == project
    if department is not None:
        assert plan_grid(department_form(book, score, profile.forms), *_table(department)) == department


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Each family's book scored by ``xlsuite score`` and reported by ``xlsuite report``."""
    out = {}
    for family in FAMILIES:
        folder = tmp_path_factory.mktemp(family)
        profile = _profile(family)
        source = build_workbook(folder / "示例交通局.xlsx", _book(), profile)
        scored = score_workbook(source, folder / "评分.xlsx", profile).path
        report = write_docx(draft_report(evaluate(_book(), profile)), folder / "报告.docx")
        out[family] = (openpyxl.load_workbook(scored), docx.Document(str(report)))
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_the_scored_book_prints_the_hand_worked_forms(written, family):
    workbook, _ = written[family]
    project, department = FAMILIES[family]
    first, last = _table(project)
    assert sheet_grid(workbook[c.PROJECT_FORM_SHEET], first + 1, last + 1, len(project[0])) == project
    if department is not None:
        first, last = _table(department)
        assert sheet_grid(workbook[c.DEPARTMENT_FORM_SHEET], first + 1, last + 1, len(department[0])) == department


@pytest.mark.parametrize("family", FAMILIES)
def test_the_reports_appendix_prints_the_hand_worked_forms(written, family):
    _, report = written[family]
    project, department = FAMILIES[family]
    department_table, project_table = report.tables[-2:]
    assert word_grid(project_table)[:len(project)] == project
    if department is not None:
        assert word_grid(department_table)[:len(department)] == department


@pytest.mark.parametrize("family", FAMILIES)
def test_a_label_over_few_rows_gets_the_height_its_text_needs(family):
    # 年度部门整体支出预算（万元） beside a single money row: before, its two rows were 40 points for
    # five lines of text, and the label printed over the rows above and below it.
    from xlsuite.forms.plan import STYLES, text_height
    from xlsuite.layout.textwidth import column_points

    profile = _profile(family)
    book = _book()
    score = evaluate(book, profile).score
    for plan in (department_form(book, score, profile.forms), project_forms(book, score, profile.forms)):
        for r1, c1, r2, c2 in plan.merges:
            cell = plan.cell(r1, c1)
            if cell is None or not isinstance(cell.value, str) or r1 == r2:
                continue
            width = sum(column_points(w) for w in plan.col_widths[c1:c2 + 1])
            need = text_height(cell.value, width, STYLES[cell.style])
            assert sum(plan.row_heights[r] for r in range(r1, r2 + 1)) >= need - 0.1, cell
