"""The form plans (pure data): right numbers in the right places, text kept as text, one page
break per project, links only where we put them."""

from __future__ import annotations

from decimal import Decimal

from engine_fixtures import D, seed_book

from xlsuite.core.model import CellRef
from xlsuite.core.scoring import score_book
from xlsuite.core.validation import validate_book
from xlsuite.forms import (
    FORMULA,
    KINDS,
    STYLES,
    TEXT,
    SheetPlan,
    cell_link,
    department_form,
    findings_sheet,
    indicator_scores,
    project_forms,
)


def _below(plan: SheetPlan, header: str, row: int):
    """Value in ``row`` under the column whose header cell reads ``header`` (last one above)."""
    cols = [c for c in plan.cells if c.value == header and c.row < row]
    col = max(cols, key=lambda c: c.row).col
    return plan.cell(row, col).value


def _row_of(plan: SheetPlan, label: str, after: int = -1) -> int:
    return min(c.row for c in plan.cells if c.value == label and c.row > after)


def _right_of(plan: SheetPlan, row: int, col: int):
    return min((c for c in plan.cells if c.row == row and c.col > col), key=lambda c: c.col).value


def test_department_form_shows_seed_total_grade_and_money():
    book = seed_book()
    plan = department_form(book, score_book(book))
    # 92.75 / 优 are worked out by hand in test_scoring.test_seed_department_total_and_grade.
    total = _row_of(plan, "总分")
    assert _below(plan, "得分", total) == D("92.75")
    assert _below(plan, "分值", total) == 100                    # 10 execution + 90 indicators
    assert _right_of(plan, total, plan.find("等级")[0].col) == "优"
    # 年度资金总额 is 收支情况's 支出合计（按支出性质）: 581.67 budgeted and executed → 100%, 10.00
    row = _row_of(plan, "年度资金总额")
    assert (_below(plan, "全年预算数", row), _below(plan, "全年执行数", row)) == (D("581.67"), D("581.67"))
    assert (_below(plan, "执行率", row), _below(plan, "得分", row)) == (1, D("10.00"))
    # 其中 基本支出 = 人员 275.57 + 公用 25.10 = 300.67; 项目支出 281.00 as the seed report states
    assert _below(plan, "全年执行数", _row_of(plan, "其中：基本支出")) == D("300.67")
    assert _below(plan, "全年执行数", _row_of(plan, "项目支出")) == D("281.00")
    assert plan.find(book.info.unit_name) and plan.find("（2021年度）")
    # 新增规上企业 ≥6 → 3: 10 × 3/6 = 5.00 (test_scoring); the form shows direction and unit.
    row = _row_of(plan, "新增规上企业")
    assert (_below(plan, "年度指标值", row), _below(plan, "实际完成值", row)) == ("≥6家", "3家")
    assert (_below(plan, "分值", row), _below(plan, "得分", row)) == (D(10), D("5.00"))


def test_project_forms_one_page_each_with_their_totals():
    book = seed_book()
    plan = project_forms(book, score_book(book))
    titles = [c.row for c in plan.cells if c.value == "项目支出绩效自评表"]
    assert len(titles) == len(book.projects) == 7
    # every form but the first starts a printed page, exactly at its title
    assert plan.row_breaks == titles[1:]
    assert not plan.landscape and plan.scale >= 55
    # 307001-2021-04: every indicator met → 100.00 优 (test_scoring.test_seed_projects)
    start = titles[3]
    assert plan.cell(_row_of(plan, "项目名称", start), 3).value.startswith("金昌铁业")
    total = _row_of(plan, "总分", start)
    assert _below(plan, "得分", total) == D("100.00")
    assert _right_of(plan, total, 8) == "优"
    # the 项目资金 block: 100 budgeted, 100 executed, from 当年财政拨款 alone
    row = _row_of(plan, "其中：当年财政拨款", start)
    assert _below(plan, "全年执行数", row) == D(100)
    assert _below(plan, "全年执行数", _row_of(plan, "上年结转资金", start)) is None
    # -01 scores 100.00 too (test_scoring.test_seed_projects)
    first_total = _row_of(plan, "总分")
    assert (_below(plan, "得分", first_total), _right_of(plan, first_total, 8)) == (D("100.00"), "优")


def test_a_project_without_indicators_says_so_and_gets_no_grade():
    book = seed_book()
    book.indicators = [i for i in book.indicators if i.subject != "307001-2021-01"]
    plan = project_forms(book, score_book(book))
    first_total = _row_of(plan, "总分")
    assert _right_of(plan, first_total, 8) == "—"
    assert plan.find("未设置绩效指标，只计算预算执行率，不评定等级")


def test_user_text_is_text_even_when_it_looks_like_a_formula():
    book = seed_book()
    book.info.unit_name = '=HYPERLINK("http://evil.example","点我")'
    book.projects[0].name = "@SUM(A1:A3)"
    book.projects[0].implementer = "=1+1"
    score = score_book(book)
    plans = [department_form(book, score), project_forms(book, score)]
    for plan in plans:
        assert all(c.kind != FORMULA for c in plan.cells)
    for value in (book.info.unit_name, "@SUM(A1:A3)", "=1+1"):
        cells = [c for p in plans for c in p.find(value)]
        assert cells and all(c.kind == TEXT for c in cells), value


def test_plans_are_well_formed():
    book = seed_book()
    score = score_book(book)
    plans = [department_form(book, score), project_forms(book, score),
             findings_sheet(validate_book(book))]
    for plan in plans:
        positions = [(c.row, c.col) for c in plan.cells]
        assert len(positions) == len(set(positions)), plan.name
        assert all(c.style in STYLES and c.kind in KINDS for c in plan.cells)
        covered: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in plan.merges:
            cells = {(r, col) for r in range(r1, r2 + 1) for col in range(c1, c2 + 1)}
            assert not cells & covered, (plan.name, (r1, c1, r2, c2))
            covered |= cells
            # only the top-left of a merge holds a value
            assert not any(p in cells and p != (r1, c1) for p in positions)
        assert all(c.col < len(plan.col_widths) for c in plan.cells)
        assert set(range(plan.last_row + 1)) <= set(plan.row_heights)  # every row sized


def test_findings_sheet_links_each_finding_to_its_cell():
    findings = validate_book(seed_book())
    plan = findings_sheet(findings, unit_name="永昌县工业和信息化局")
    links = [c for c in plan.cells if c.kind == FORMULA]
    assert len(links) == len(findings)  # every seed finding has a cell
    assert links[0].value == '=HYPERLINK("#\'收支情况\'!E43","收支情况!E43")'
    row = links[0].row
    assert "相差 28.00" in plan.cell(row, 4).value and plan.cell(row, 4).kind == TEXT
    assert plan.cell(row, 3).value == "表间核对·项目合计"
    assert plan.cell(row, 1).value == "错误"
    # The 28 万元 gap, and the three printed 部门整体 scores that differ from the computed ones.
    assert plan.find("共 4 项：错误 1 项，警告 3 项，提示 0 项。")


def test_cell_link_quotes_sheet_names():
    assert cell_link(CellRef("绩效指标", 1, 5)) == '=HYPERLINK("#\'绩效指标\'!F2","绩效指标!F2")'
    assert cell_link(CellRef("O'Brien \"x\"", 0, 0)) == \
        '=HYPERLINK("#\'O\'\'Brien ""x""\'!A1","O\'Brien ""x""!A1")'


def test_indicator_scores_point_at_the_score_column():
    book = seed_book()
    values = dict(indicator_scores(score_book(book)))
    # the seed has 11 部门整体 rows and 5 + 4 rows of two projects: every row is scored
    assert len(values) == len(book.indicators)
    first = book.indicators[0]
    assert values[first.cells["score"]] == D("5.00")
    assert {ref.sheet for ref in values} == {"绩效指标"}
    assert {ref.col for ref in values} == {first.cells["score"].col}
    assert all(isinstance(v, Decimal) for v in values.values())
