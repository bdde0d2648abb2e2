"""A province's form layout (``[forms]`` of a profile): extra indicator columns, points in the
一级指标 labels, and each form's 评价结论 / 存在问题 / 改进措施 rows, checked on a hand-worked form."""

from __future__ import annotations

import pytest
from conftest import PROFILES
from test_province_rules import _form

from xlsuite.core.errors import InputError
from xlsuite.core.evaluation import evaluate
from xlsuite.core.model import DepartmentBook, Problem
from xlsuite.core.profile import load_profile, parse_profile
from xlsuite.core.scoring import score_book
from xlsuite.forms.official import department_form, project_forms
from xlsuite.forms.outputs import form_plans
from xlsuite.forms.plan import display
from xlsuite.report import draft_report

LAYOUT = load_profile(PROFILES / "form_layout.toml")


def _book() -> DepartmentBook:
    """The hand-worked form of tests/test_province_rules.py, with 指标性质 and 问题与措施 rows."""
    book = _form()
    for row in book.indicators[:3]:
        row.nature = "反向" if row.direction == "≤" else "正向"
    book.problems = [
        Problem("预算编制不够细化", "细化项目预算"),  # 评价对象 empty: 部门整体
        Problem("", "", subject="部门整体", conclusion="部门整体支出基本完成年度目标。"),
        Problem("雨季施工组织不足", "提前安排雨季施工", subject="P-1", conclusion="项目基本完成年度目标，质量有待提高。"),
        Problem("返工造成成本超支", "加强过程验收", subject="P-1"),
    ]
    return book


def _rows(plan) -> dict[int, list[str]]:
    """Each row's shown texts, left to right."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for cell in plan.cells:
        rows.setdefault(cell.row, []).append((cell.col, display(cell)))
    return {r: [text for _, text in sorted(cells)] for r, cells in sorted(rows.items())}


def _row_starting(plan, first: str) -> list[str]:
    (row,) = [texts for texts in _rows(plan).values() if texts and texts[0] == first]
    return row


def _row_with(plan, text: str) -> list[str]:
    (row,) = [texts for texts in _rows(plan).values() if text in texts]
    return row


def test_the_project_form_prints_what_the_provinces_form_asks():
    book = _book()
    plan = project_forms(book, score_book(book, LAYOUT), LAYOUT.forms)
    assert len(plan.col_widths) == 12  # the national ten and 指标性质, 计量单位
    assert _row_starting(plan, "绩效指标") == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "指标性质", "计量单位",
        "分值", "得分", "偏差原因分析及改进措施"]
    # Scores as under the national rules (tests/test_province_rules.py); the unit has its own
    # column, so the values print without it.
    assert _row_with(plan, "建成里程") == [
        "产出指标（50分）", "数量指标", "建成里程", "≥100", "92", "正向", "公里", "20", "18.40", "雨季停工"]
    assert _row_with(plan, "单位成本") == ["成本指标", "单位成本", "≤10", "11", "反向", "万元", "15", "13.64", "涨价"]
    assert _row_with(plan, "群众出行便利")[0] == "效益指标（30分）"
    assert _row_with(plan, "群众满意度")[0] == "满意度指标（10分）"
    assert _row_starting(plan, "总分") == ["总分", "100", "84.41", "等级", "良"]  # 预算执行 10 + 90
    assert _row_starting(plan, "评价结论") == ["评价结论", "项目基本完成年度目标，质量有待提高。"]
    assert _row_starting(plan, "存在问题") == ["存在问题", "1. 雨季施工组织不足\n2. 返工造成成本超支"]
    assert _row_starting(plan, "改进措施") == ["改进措施", "1. 提前安排雨季施工\n2. 加强过程验收"]
    assert plan.scale >= 80  # twelve columns still print large enough on A4 portrait


def test_the_department_form_takes_only_the_departments_own_rows():
    book = _book()
    plan = department_form(book, score_book(book, LAYOUT), LAYOUT.forms)
    assert _row_starting(plan, "评价结论") == ["评价结论", "部门整体支出基本完成年度目标。"]
    assert _row_starting(plan, "存在问题") == ["存在问题", "预算编制不够细化"]
    assert _row_starting(plan, "改进措施") == ["改进措施", "细化项目预算"]


def test_the_national_layout_prints_none_of_it():
    book = _book()
    national = load_profile()
    plan = project_forms(book, score_book(book, national))
    assert len(plan.col_widths) == 10
    assert _row_with(plan, "建成里程")[:5] == ["产出指标", "数量指标", "建成里程", "≥100公里", "92公里"]
    assert "评价结论" not in [texts[0] for texts in _rows(plan).values()]


def test_the_scored_book_and_the_report_carry_the_same_layout():
    # 生成自评表 and xlsuite score write form_plans; the report appends the same forms.
    book = _book()
    evaluation = evaluate(book, LAYOUT)
    sheet_forms = form_plans(evaluation)[:2]
    report_forms = draft_report(evaluation).forms
    assert [_rows(p) for p in report_forms] == [_rows(p) for p in sheet_forms]
    assert _row_with(sheet_forms[1], "建成里程")[0] == "产出指标（50分）"


def test_an_unknown_form_column_is_a_clear_error():
    text = (PROFILES / "form_layout.toml").read_text("utf-8").replace('"计量单位"]', '"完成率"]')
    try:
        parse_profile(text)
    except InputError as exc:
        assert "自评表指标列“完成率”无效" in exc.reason and "指标性质 / 计量单位" in exc.reason
    else:
        raise AssertionError("accepted a column the forms cannot print")


@pytest.mark.parametrize("forms, words", [
    ('[forms.headers]\n"年度目标" = "目标"', ["自评表列名“年度目标”无效", "全年预算数"]),
    ('[forms.headers]\n"分值" = ""', ["自评表列名“分值”的新名称应为非空文字"]),
    ('[forms]\nproject_funds = ["当年财政拨款", "其他资金"]', ["须含“年度资金总额”"]),
    ('[forms]\nproject_funds = ["年度资金总额", "单位资金"]', ["项目自评表资金行“单位资金”无效"]),
    ('[forms]\ndepartment_funds = ["年度资金总额", "其他资金"]', ["部门整体自评表资金行“其他资金”无效"]),
    ('[forms.fund_labels]\n"财政拨款" = "财政资金"', ["自评表资金行“财政拨款”无效", "当年财政拨款"]),
    ('[forms]\nrates = "some"', ["“forms.rates”应为 all / total / none 之一"]),
    ('[forms]\nweight_column = "no"', ["“forms.weight_column”应为 true 或 false"]),
    ('[forms]\nempty_level2 = 5', ["“forms.empty_level2”应为表上标记空二级指标的符号"]),
])
def test_a_bad_layout_setting_is_a_clear_error(forms, words):
    text = (PROFILES / "form_layout.toml").read_text("utf-8").split("[forms]")[0] + forms
    with pytest.raises(InputError) as caught:
        parse_profile(text)
    assert all(word in caught.value.reason for word in words), caught.value.reason


def test_a_fund_source_the_profile_adds_can_be_placed_and_renamed():
    text = (PROFILES / "form_layout.toml").read_text("utf-8").split("[forms]")[0] + (
        '[funds]\nextra_sources = ["单位资金"]\n[forms]\n'
        'project_funds = ["年度资金总额", "单位资金", "当年财政拨款"]\n'
        '[forms.fund_labels]\n"单位资金" = "单位自有资金"\n')
    profile = parse_profile(text)
    book = _book()
    plan = project_forms(book, score_book(book, profile), profile.forms)
    labels = [texts[0] for texts in _rows(plan).values() if texts and texts[0] in (
        "年度资金总额", "其中：单位自有资金", "当年财政拨款", "上年结转资金")]
    assert labels == ["年度资金总额", "其中：单位自有资金", "当年财政拨款"]


def test_every_second_level_of_the_hierarchy_prints_with_its_mark():
    # 产出指标 has 数量, 质量, 成本 indicators: 时效指标 prints as a row of 「/」, where the official
    # form lists it; 效益指标 lists its four 二级 likewise; the 一级 labels span their rows.
    text = (PROFILES / "form_layout.toml").read_text("utf-8").replace(
        "[forms]\n", '[forms]\nempty_level2 = "/"\n')
    profile = parse_profile(text)
    book = _book()
    plan = project_forms(book, score_book(book, profile), profile.forms)
    rows = [texts for texts in _rows(plan).values() if texts and texts[0] != "绩效指标"]
    block = rows[rows.index(_row_with(plan, "建成里程")):rows.index(_row_starting(plan, "总分"))]
    assert [r[:3] if r[0].endswith("分）") else r[:2] for r in block] == [
        ["产出指标（50分）", "数量指标", "建成里程"], ["质量指标", "验收合格率"], ["时效指标", "/"],
        ["成本指标", "单位成本"],
        ["效益指标（30分）", "经济效益指标", "/"], ["社会效益指标", "群众出行便利"], ["生态效益指标", "/"],
        ["可持续影响指标", "/"],
        ["满意度指标（10分）", "服务对象满意度指标", "群众满意度"]]
    assert _row_with(plan, "时效指标") == ["时效指标", *["/"] * 7, ""]  # nothing to explain
    merged = {(r1, c1): r2 - r1 + 1 for r1, c1, r2, c2 in plan.merges}
    (label,) = plan.find("产出指标（50分）")
    assert merged[(label.row, label.col)] == 4
    national = project_forms(book, score_book(book, LAYOUT), LAYOUT.forms)
    assert not national.find("时效指标")
