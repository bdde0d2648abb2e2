"""Validation: the seed sample's one real error, one broken case per rule, and balance properties."""

from __future__ import annotations

import random

import pytest
from engine_fixtures import D, seed_book
from hypothesis import given
from hypothesis import strategies as st

from xlsuite.core import contract as c
from xlsuite.core.amounts import parts_sum
from xlsuite.core.model import (
    TEXT_NOTE,
    UNIT_NOTE,
    Amounts,
    BudgetLine,
    CellNote,
    CellRef,
    DepartmentBook,
    FormulaResult,
    Project,
    column_letters,
)
from xlsuite.core.validation import ERROR, HINT, RULES, WARNING, rule, validate_book


def _by_severity(findings, severity):
    return [(f.rule_id, f.location) for f in findings if f.severity == severity]


# --- the seed sample ---------------------------------------------------------------------------

def test_seed_reports_projects_253_against_281():
    findings = validate_book(seed_book())
    errors = [f for f in findings if f.severity == ERROR]
    # The report's seven projects add up to 50 + 30 + 50 + 100 + 17 + 1 + 5 = 253.00 万元 while
    # 项目支出 is 281.00. It is one gap (likely the 煤炭配送体系建设奖补资金 the seed mentions
    # elsewhere) showing in 全年预算数 (column E) and 全年执行数 (column F) alike: one error, at
    # the first of them, naming both, and no other error anywhere.
    assert [(f.rule_id, f.location) for f in errors] == [("cross.projects_total", "收支情况!E43")]
    (gap,) = errors
    for words in ("7 个项目", "全年预算数、全年执行数均为项目合计 253.00 万元", "收支情况表 281.00 万元",
                  "相差 28.00 万元"):
        assert words in gap.message
    assert gap.message.count("28.00") == 1


def test_a_gap_of_different_sizes_per_column_is_one_finding_with_each_columns_numbers():
    book = seed_book()
    _amount("structure.项目支出", "executed", "270.00")(book)  # 执行数 now 17 off, 预算数 still 28
    (gap,) = [f for f in validate_book(book) if f.rule_id == "cross.projects_total"]
    assert gap.location == "收支情况!E43"
    assert ("全年预算数为项目合计 253.00 万元、收支情况表 281.00 万元，相差 28.00 万元；"
            "全年执行数为项目合计 253.00 万元、收支情况表 270.00 万元，相差 17.00 万元") in gap.message



def test_seed_has_only_true_warnings_and_hints():
    findings = validate_book(seed_book())
    # Every shortfall has a 偏差原因, every qualitative score lies in its band, weights add up,
    # no indicator exceeds 120% of its target. The only warnings: the department's own scores of
    # its three partly met indicators (9, 7.5, 4.5 of its 实得98分) are not the national rule's.
    warnings = [f for f in findings if f.severity == WARNING]
    assert [(f.rule_id, f.location) for f in warnings] == [
        ("indicator.cached_score", f"绩效指标!K{row}") for row in (3, 5, 10)]
    # Every project has its indicators: nothing to hint at.
    assert _by_severity(findings, HINT) == []


def test_uncalculated_totals_are_skipped_not_reported():
    # Formulas never calculated (xlsxwriter, some web tools) leave the total rows empty: the
    # balance rules have nothing to compare and must not invent an error.
    book = seed_book()
    for row in c.budget_rows():
        if row.is_total:
            book.budget[row.key].amounts = Amounts()
    errors = _by_severity(validate_book(book), ERROR)
    assert errors == [("cross.projects_total", "收支情况!E43")]


# --- one broken book per rule ------------------------------------------------------------------

def _amount(key, column, value):
    def mutate(book):
        setattr(book.budget[key].amounts, column, None if value is None else D(value))
    return mutate


def _indicator(index, **changes):
    def mutate(book):
        for name, value in changes.items():
            setattr(book.indicators[index], name, D(value) if isinstance(value, int | float) else value)
    return mutate


def _project(index, **changes):
    def mutate(book):
        project = book.projects[index]
        for name, value in changes.items():
            if "." in name:
                group, column = name.split(".")
                setattr(getattr(project, group), column, D(value))
            else:
                setattr(project, name, value)
    return mutate


def _problem(index, **changes):
    def mutate(book):
        for name, value in changes.items():
            setattr(book.problems[index], name, value)
    return mutate


def _info(**changes):
    def mutate(book):
        for name, value in changes.items():
            setattr(book.info, name, value)
    return mutate


def _chain(*mutations):
    def mutate(book):
        for m in mutations:
            m(book)
    return mutate


def _set(**changes):
    def mutate(book):
        for name, value in changes.items():
            setattr(book, name, value)
    return mutate


def _note(kind, sheet, row, col, text, value=None):
    """A cell the reader had to interpret, as it records one (``book.cell_notes``)."""
    def mutate(book):
        what = "金额（全年预算数（合计））"
        problem = (f"{what}填写为“{text}”，按 {value} 万元读取" if kind == UNIT_NOTE
                   else f"应填{what}，实为“{text}”")
        book.cell_notes.append(CellNote(kind, CellRef(sheet, row, col), text, problem, value))
    return mutate


def _drop_department_indicators(book):
    book.indicators = [i for i in book.indicators if i.subject != c.WHOLE_DEPARTMENT]


# (rule id, how to break the seed, where the finding must point, words its message must hold)
def _drop_project_indicators(book):
    book.indicators = [i for i in book.indicators if i.subject != "307001-2021-01"]


_GOAL = column_letters([col.key for col in c.PROJECT_SHEET_DEF.columns].index("goal_expected"))
_SELF_SCORE_COL = len(c.PROJECT_SHEET_DEF.columns) + [col.key for col in c.PROJECT_SHEET_DEF.computed].index("self_score")


BROKEN = [
    ("balance.income", _amount("income.其他收入", "executed", 30), "收支情况!F3",
     ["收入合计", "581.67", "583.67", "2.00"]),
    ("balance.function", _amount("function.201", "executed", "50.18"), "收支情况!F9",
     ["581.67", "579.67", "2.00"]),
    ("balance.economic", _amount("economic.302", "adjusted", "30.01"), "收支情况!E29",
     ["581.67", "583.67", "2.00"]),
    ("balance.structure", _amount("structure.total", "executed", 600), "收支情况!F39",
     ["600.00", "581.67", "18.33"]),
    ("balance.basic", _amount("structure.人员经费", "executed", "270.57"), "收支情况!F40",
     ["300.67", "295.67", "5.00"]),
    ("balance.sangong", _amount("sangong.公务接待费", "adjusted", "1.50"), "收支情况!E44",
     ["1.17", "1.50", "0.33"]),
    # economic total left uncalculated, a part changed: its computed total 577.67 ≠ 581.67
    ("balance.views", _chain(_amount("economic.total", "executed", None),
                             _amount("economic.301", "executed", "180.83")),
     "收支情况!F29", ["577.67", "581.67", "4.00"]),
    ("cross.projects_total", lambda book: None, "收支情况!E43", ["253.00", "281.00", "28.00"]),
    ("cross.project_sources", _project(0, **{"fiscal.executed": 45}), "项目支出!G4",
     ["50.00", "45.00", "5.00"]),
    ("indicator.subject", _indicator(0, subject="307001-2021-99"), "绩效指标!A3", ["307001-2021-99"]),
    ("indicator.weight", _indicator(1, weight=None), "绩效指标!J4", ["盘活闲置工业企业", "未填写"]),
    ("indicator.weight", _indicator(1, weight=D("1E+30")), "绩效指标!J4", ["1.00E+30", "超过 100", "记 0 分"]),
    # 12 + 8×5 + 30 + 10 = 92 of the indicators, + 10 for execution = 102
    ("indicator.weight_total", _indicator(0, weight=12), "绩效指标!J3", ["92", "102", "100", "2"]),
    # 产出 55 and 效益 25 still add to 90: no error, two warnings against the defaults 50 and 30
    ("indicator.level1_weight", _chain(_indicator(0, weight=15), _indicator(6, weight=5)),
     "绩效指标!B3", ["产出指标", "55", "50"]),
    ("indicator.level1", _indicator(0, level1="投入指标"), "绩效指标!B3", ["投入指标", "产出指标"]),
    ("indicator.level2", _indicator(0, level2="社会效益指标"), "绩效指标!C3", ["社会效益指标", "数量指标"]),
    ("indicator.direction", _indicator(0, direction="≈"), "绩效指标!E3", ["≈"]),
    ("indicator.quantitative", _indicator(1, actual="已完成"), "绩效指标!H4", ["实际完成值", "已完成"]),
    ("indicator.deviation", _indicator(0, deviation=""), "绩效指标!L3", ["新增规上企业", "≥ 6", "实际 3"]),
    # 110 / 90 = 122.22% > 120%
    ("indicator.overachieved", _indicator(10, actual=110), "绩效指标!H13", ["110", "90", "122.22%", "120%"]),
    # indicator 0 (≥ 6, actual 3, weight 10) scores 3/6 × 10 = 5.00; the file says 10
    ("indicator.cached_score", _indicator(0, score=10), "绩效指标!K3", ["新增规上企业", "10", "5"]),
    ("indicator.qualitative_grade", _indicator(8, grade="基本达成"), "绩效指标!I11", ["基本达成", "无效"]),
    # no 等级 and 12 of 10: no band holds it
    ("indicator.qualitative_grade", _indicator(8, grade="", score=12), "绩效指标!K11", ["未选择定性等级", "12"]),
    ("indicator.qualitative_inferred", _indicator(8, grade=""), "绩效指标!I11", ["疫情防控物资保障", "达成"]),
    ("indicator.qualitative_empty", _indicator(8, actual=None), "绩效指标!H11", ["实际完成值", "未填写"]),
    ("indicator.value_text", _indicator(0, actual="3家"), "绩效指标!H3", ["“3家”按 3 计分", "家"]),
    # 民用煤炭质量抽检合格率 ≥ 100 %, actual typed as 0.99
    ("indicator.percent_scale", _chain(_indicator(4, actual=D("0.99")), _indicator(4, deviation="x")),
     "绩效指标!H7", ["100", "0.99", "100 倍"]),
    ("indicator.nature", _indicator(0, nature="反向"), "绩效指标!M3", ["反向", "≥", "≤"]),
    # 疫情防控点配发取暖燃煤 ≥ 80 吨, its actual typed as the target is: 「≥85吨」
    ("indicator.actual_compared", _indicator(16, actual="≥85吨"), "绩效指标!H19", ["≥85吨", "比较符号", "按 85 计分"]),
    # 取暖煤炭配送购置支出 18 万元 in a project that spent 17.00
    ("indicator.cost_over_spent", _indicator(17, actual=18), "绩效指标!H20",
     ["取暖煤炭配送购置支出", "18 万元", "疫情防控工作经费", "17.00", "1.00"]),
    ("indicator.execution_twice", _indicator(0, level3="预算执行率"), "绩效指标!D3", ["预算执行率", "10 分", "部门整体"]),
    ("indicator.level2_time", _indicator(0, target="2021年12月底前"), "绩效指标!C3",
     ["2021年12月底前", "数量指标", "时效指标"]),
    ("indicator.degenerate_target", _indicator(10, target=100), "绩效指标!F13", ["服务企业满意度", "≥100%", "每一位"]),
    ("indicator.degenerate_target", _indicator(4, target=105), "绩效指标!F7", ["民用煤炭质量抽检合格率", "≥105%", "不可能"]),
    ("plausibility.goal_sum", _project(0, goal_expected="奖补资金30+20=60万元"), f"项目支出!{_GOAL}4",
     ["30+20=60万元", "30+20 之和为 50", "不是 60"]),
    # 疫情防控工作经费 spent 17 of 17: 10 points, not the 9 printed
    ("indicator.printed_execution", _project(4, printed_execution=D(9)), "项目支出!T8", ["疫情防控工作经费", "9", "10"]),
    # …its 17 of 17 is 100%, not the 95% printed; a 执行率分值 of 20 is another province's; its total is 98
    ("indicator.printed_rate", _project(4, printed_rate=D("0.95")), "项目支出!U8", ["疫情防控工作经费", "95%", "100%"]),
    ("indicator.printed_weight", _project(4, printed_weight=D(20)), "项目支出!V8", ["疫情防控工作经费", "20", "10"]),
    ("indicator.printed_total", _project(4, printed_total=D(100)), "项目支出!W8", ["疫情防控工作经费", "100", "98"]),
    # 部分达成 of weight 10 must lie in [6, 8); 10 is moved to 7.99
    ("indicator.qualitative_band", _indicator(8, grade="部分达成"), "绩效指标!K11",
     ["部分达成", "10", "[6, 8)", "7.99"]),
    ("plausibility.overspent", _project(5, **{"total.executed": "1.5", "fiscal.executed": "1.5"}),
     "项目支出!G9", ["1.50", "1.00", "0.50"]),
    ("plausibility.negative", _amount("income.事业收入", "initial", -5), "收支情况!D6", ["事业收入", "-5.00"]),
    # 0.12345 万元 = 1,234.5 元: half a 元, which no budget system keeps
    ("plausibility.decimals", _amount("controlled.会议费", "adjusted", "0.12345"), "收支情况!E49",
     ["会议费", "0.12345", "四位小数"]),
    ("plausibility.no_budget", _project(6, **{"total.adjusted": 0}), "项目支出!F10",
     ["办公设备购置经费", "0.00", "5.00"]),
    ("plausibility.year", _info(year=1921), "部门信息!B3", ["1921"]),
    ("plausibility.unit_code", _info(unit_code=""), "部门信息!B4", ["单位编码"]),
    ("plausibility.required", _project(0, name=""), "项目支出!B4", ["项目名称"]),
    ("plausibility.duplicate_project", _project(1, code="307001-2021-01"), "项目支出!A5",
     ["307001-2021-01", "项目支出!A4"]),
    ("plausibility.no_department_indicators", _drop_department_indicators, "", ["部门整体"]),
    ("plausibility.scope", _info(scope="项目"), "部门信息!B16", ["项目", "仅项目"]),
    # 部门信息 row 19 holds 内设机构数 (v1.2), under 填报范围 and the notice's two lines
    ("plausibility.count", _info(internal_units=-6), "部门信息!B19", ["内设机构数", "-6", "不能为负数"]),
    # 11 + 6 + 2 编制 of each kind against 编制人数 18 (row 8)
    ("plausibility.staff_sum", _info(staff_worker=2), "部门信息!B8", ["编制人数", "18", "行政编制数、事业编制数、工勤编制数之和为 19"]),
    ("plausibility.hidden_characters", _set(hidden_characters=((CellRef("部门信息", 4, 1), "_x0001_"),)),
     "部门信息!B5", ["_x0001_"]),
    # indicator 0 scores 5.00; the template's 计算得分 cell was left at 10
    ("indicator.formula_result", _set(formula_results=(FormulaResult(CellRef("绩效指标", 2, 12), "computed_score",
                                                                     10.0),)),
     "绩效指标!M3", ["计算得分", "10", "5"]),
    ("plausibility.unit_in_cell", _note(UNIT_NOTE, "项目支出", 7, 5, "100万", D(100)), "项目支出!F8",
     ["100万", "100 万元"]),
    ("plausibility.text_in_number", _note(TEXT_NOTE, "项目支出", 7, 5, "一百万"), "项目支出!F8",
     ["一百万", "按空白"]),
    ("plausibility.placeholder", _indicator(0, deviation="对照年度目标，说明偏差原因（100字以内）"), "绩效指标!L3",
     ["对照年度目标"]),
    ("plausibility.problem_subject", _problem(0, subject="307001-2021-99"), "问题与措施!C3",
     ["307001-2021-99", "不会列入任何自评表"]),
    ("plausibility.no_indicators", _drop_project_indicators, "项目支出!A4", ["甘肃施可丰"]),
    # the first project (项目支出 row 4) scores 100.00; its 自评得分 formula left 1 in the file
    ("indicator.formula_result", _set(formula_results=(FormulaResult(CellRef("项目支出", 3, _SELF_SCORE_COL),
                                                                     "self_score", 1.0),)),
     "项目支出!" + column_letters(_SELF_SCORE_COL) + "4",
     ["307001-2021-01", "自评得分", "1", "100"]),
]


@pytest.mark.parametrize("rule_id, mutate, location, words", BROKEN,
                         ids=[f"{b[0]}-{n}" for n, b in enumerate(BROKEN)])
def test_each_rule_reports_where_and_how_much(rule_id, mutate, location, words):
    book = seed_book()
    mutate(book)
    hits = [f for f in validate_book(book) if f.rule_id == rule_id and f.location == location]
    assert hits, f"{rule_id} not reported at {location or '(no cell)'}"
    finding = hits[0]
    assert finding.severity == rule(rule_id).severity
    for word in words:
        assert word in finding.message, (word, finding.message)


def test_every_catalogue_rule_has_a_broken_case():
    assert {b[0] for b in BROKEN} == {r.id for r in RULES}


@pytest.mark.parametrize(("rule_id", "mutate", "location"), [
    ("balance.income", _chain(_amount("income.其他收入", "adjusted", 30), _amount("income.其他收入", "executed", 30)),
     "收支情况!E3"),
    ("balance.views", _chain(_amount("economic.total", "adjusted", None), _amount("economic.total", "executed", None),
                             _amount("economic.301", "adjusted", "180.83"),
                             _amount("economic.301", "executed", "180.83")), "收支情况!E29"),
    ("cross.project_sources", _project(0, **{"fiscal.adjusted": 45, "fiscal.executed": 45}), "项目支出!F4"),
])
def test_a_gap_in_two_columns_is_one_finding(rule_id, mutate, location):
    book = seed_book()
    mutate(book)
    (found,) = [f for f in validate_book(book) if f.rule_id == rule_id]
    assert found.location == location
    assert "全年预算数、全年执行数均为" in found.message


def test_findings_are_sorted_errors_first_then_by_place():
    book = seed_book()
    _indicator(0, deviation="")(book)            # a warning on 绩效指标
    _info(unit_code="")(book)                     # an error on 部门信息
    findings = validate_book(book)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=[ERROR, WARNING, HINT].index)
    assert [f.location for f in findings if f.severity == ERROR] == [
        "部门信息!B4", "收支情况!E43"]


# --- balance properties ------------------------------------------------------------------------

def _spread(total: int, keys: list[str], weights: list[int]) -> dict[str, int]:
    """``total`` hundredths of 万元 spread over ``keys`` in proportion to ``weights``, exactly."""
    share = [total * w // (sum(weights) or 1) for w in weights]
    share[0] += total - sum(share)  # the rounding remainder, so the parts add up exactly
    return dict(zip(keys, share, strict=True))


def _keys(prefix):
    return [r.key for r in c.budget_rows() if r.key.startswith(prefix) and not r.is_total]


GROUPS = ("function.", "economic.", "income.", "sangong.")


@st.composite
def balanced_books(draw):
    """A book whose 收支情况 and 项目支出 balance in every column; total rows either stored
    (calculated) or empty (never calculated)."""
    used = {g: draw(st.permutations(_keys(g)))[:draw(st.integers(1, 4))] for g in GROUPS}
    projects = [Project(f"P{i}", f"项目{i}") for i in range(draw(st.integers(0, 4)))]
    amounts = st.integers(0, 10_000_000)
    budget = {r.key: BudgetLine(r.key) for r in c.budget_rows()}
    columns = ("initial", "adjusted", "executed")
    for column in columns:
        for p in projects:
            value = D(draw(amounts)) / 100
            setattr(p.total, column, value)
            setattr(p.fiscal, column, value)
        staff, office = draw(amounts), draw(amounts)
        project_total = sum(int(getattr(p.total, column) * 100) for p in projects)
        spending = staff + office + project_total
        values = {"structure.人员经费": staff, "structure.公用经费": office, "structure.项目支出": project_total}
        for group in GROUPS:
            total = draw(st.integers(0, 100_000)) if group == "sangong." else spending
            weights = draw(st.lists(st.integers(1, 100), min_size=len(used[group]),
                                    max_size=len(used[group])))
            values |= _spread(total, used[group], weights)
        for key, value in values.items():
            setattr(budget[key].amounts, column, D(value) / 100)
    book = DepartmentBook(budget=budget, projects=projects)
    if draw(st.booleans()):  # as a spreadsheet program that calculated the formulas saves it
        for row in reversed(c.budget_rows()):  # parts before their totals
            if row.is_total:
                for column in columns:
                    setattr(budget[row.key].amounts, column, parts_sum(book, row.key, column))
    return book


def _money_findings(book):
    return [f for f in validate_book(book) if f.rule_id.startswith(("balance.", "cross."))]


@given(balanced_books(), st.randoms(use_true_random=False))
def test_balanced_book_passes_and_still_passes_shuffled(book, rnd: random.Random):
    assert _money_findings(book) == []
    items = list(book.budget.items())
    rnd.shuffle(items)
    rnd.shuffle(book.projects)
    shuffled = DepartmentBook(info=book.info, budget=dict(items), projects=book.projects)
    assert _money_findings(shuffled) == []


@given(balanced_books(), st.data())
def test_one_cent_off_is_caught(book, data):
    # The property above would hold for a checker that checks nothing: one cent added to an
    # input row of 收支情况 must be reported by a balance or cross-sheet rule.
    # input row of 收支情况 that some rule compares must be reported. Without stored totals,
    # income and 三公 have nothing to be compared with (income need not equal spending), so
    # only the spending rows, which three views and 项目支出 cross-check, are changed then.
    calculated = book.budget["income.total"].amounts.adjusted is not None
    spending = ("function.", "economic.", "structure.")
    prefixes = ("income.", *spending, "sangong.") if calculated else spending
    inputs = [r.key for r in c.budget_rows() if not r.is_total and r.key.startswith(prefixes)]
    key = data.draw(st.sampled_from(inputs))
    column = data.draw(st.sampled_from(["initial", "adjusted", "executed"]))
    amounts = book.budget[key].amounts
    setattr(amounts, column, (getattr(amounts, column) or D(0)) + D("0.01"))
    assert _money_findings(book)
