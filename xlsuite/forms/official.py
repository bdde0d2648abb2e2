"""The two official forms as sheet plans: 部门整体支出绩效自评表 and 项目支出绩效自评表.

Layouts follow the forms annexed to 财预〔2020〕10号 (and the seed report's appendices): a
title and the year, who (部门名称 / 项目名称, 主管部门, 实施单位), the money block with
年初预算数, 全年预算数, 全年执行数, 分值, 执行率 and 得分, the 年度总体目标 (预期目标 / 实际完成情况),
the indicator block, and 总分 with 等级. Both forms share one ten-column grid that fits A4
portrait; the project sheet holds one form per printed page.

Pure: builds ``SheetPlan`` data from the model and the scores, imports no Excel library.
"""

from __future__ import annotations

from decimal import Decimal

from .. import contract as c
from .. import style
from ..amounts import number, stored
from ..model import Amounts, DepartmentBook, Indicator, Project
from ..scoring import BookScore, ExecutionScore, IndicatorScore, SubjectScore
from .plan import NUMBER, Grid, SheetPlan, page_scale

# A..J; the widths add up to what A4 portrait holds at 100% with half-inch margins.
COL_WIDTHS = [6.0, 8.0, 9.0, 14.0, 10.0, 10.0, 5.0, 8.0, 11.0, 11.0]
LAST = len(COL_WIDTHS) - 1
A, B, C, D, E, F, G, H, I, J = range(len(COL_WIDTHS))  # noqa: E741 (the columns' letters)

AMOUNT_HEADERS = tuple(col.header for col in c.AMOUNT_COLUMNS)  # 年初预算数, 全年预算数, 全年执行数
INDICATOR_HEADERS = tuple(c.INDICATOR_SHEET_DEF.column(key).header
                          for key in ("level1", "level2", "level3", "target", "actual", "weight", "score"))
"""一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分: as the workbook heads them."""
WEIGHT_HEADER, SCORE_HEADER = INDICATOR_HEADERS[-2:]
DEVIATION_HEADER = c.INDICATOR_SHEET_DEF.column("deviation").header
DEPARTMENT_FORM_TITLE, PROJECT_FORM_TITLE = "部门整体支出绩效自评表", "项目支出绩效自评表"
NO_INDICATORS = "未设置绩效指标，只计算预算执行率，不评定等级"
NO_GRADE = "—"


def department_form(book: DepartmentBook, score: BookScore) -> SheetPlan:
    """部门整体支出绩效自评表 of ``book`` with its 部门整体 score, on one A4 page when it fits."""
    plan = _new_plan(c.DEPARTMENT_FORM_SHEET)
    grid = Grid(plan)
    info, dept = book.info, score.department
    _heading(grid, DEPARTMENT_FORM_TITLE, book)
    grid.put(A, "部门名称", "label", to_col=C)
    grid.put(D, info.unit_name, "text", to_col=LAST)
    grid.next()
    money_rows = [
        ("年度资金总额", _line(book, c.STRUCTURE_TOTAL), True),
        ("其中：基本支出", _line(book, c.BASIC_SPENDING), False),
        ("项目支出", _line(book, c.PROJECT_SPENDING), False),
    ]
    _money_block(grid, "年度部门整体支出预算（万元）", money_rows, dept.execution)
    _goal_block(grid, info.goal_expected, info.goal_actual)
    _indicator_block(grid, dept)
    _total_row(grid, dept)
    _signature(grid, book)
    grid.finish()
    plan.scale = page_scale([sum(plan.row_heights.values())], plan)
    return plan


def project_forms(book: DepartmentBook, score: BookScore) -> SheetPlan:
    """项目支出绩效自评表 of every project, one below the other, each starting a printed page."""
    plan = _new_plan(c.PROJECT_FORM_SHEET)
    grid = Grid(plan)
    starts = []
    for project, scored in zip(book.projects, score.projects, strict=True):
        starts.append(grid.row)
        _project_form(grid, book, project, scored)
        grid.next()  # a blank row between forms on screen; the page breaks before the next
    grid.finish()
    plan.row_breaks = starts[1:]
    bounds = [*starts, grid.row]
    heights = [sum(plan.row_heights[r] for r in range(lo, hi)) for lo, hi in zip(bounds, bounds[1:], strict=False)]
    plan.scale = page_scale(heights, plan)
    return plan


# --- blocks ------------------------------------------------------------------------------------


def _new_plan(name: str) -> SheetPlan:
    return SheetPlan(name, col_widths=list(COL_WIDTHS), margins=style.FORM_MARGINS)


def _heading(grid: Grid, title: str, book: DepartmentBook) -> None:
    grid.put(A, title, "title", to_col=LAST)
    grid.next(30)
    year = book.info.year
    grid.put(A, f"（{year}年度）" if year else "（    年度）", "subtitle", to_col=LAST)
    grid.next(20)
    grid.put(A, f"填报单位：{book.info.unit_name}", "caption", to_col=F)
    grid.put(G, "金额单位：万元", "caption_right", to_col=LAST)
    grid.next(20)


def _project_form(grid: Grid, book: DepartmentBook, project: Project, scored: SubjectScore) -> None:
    _heading(grid, PROJECT_FORM_TITLE, book)
    grid.put(A, c.PROJECT_SHEET_DEF.column("name").header, "label", to_col=C)
    grid.put(D, project.name, "text", to_col=LAST)
    grid.next()
    grid.put(A, c.PROJECT_SHEET_DEF.column("supervisor").header, "label", to_col=C)
    grid.put(D, project.supervisor, "text", to_col=F)
    grid.put(G, c.PROJECT_SHEET_DEF.column("implementer").header, "label", to_col=H)
    grid.put(I, project.implementer, "text", to_col=LAST)
    grid.next()
    money_rows = [
        ("年度资金总额", project.total, True),
        ("其中：当年财政拨款", project.fiscal, False),
        ("上年结转资金", project.carryover, False),
        (dict(c.FUND_SOURCES)["other"], project.other, False),
    ]
    _money_block(grid, "项目资金（万元）", money_rows, scored.execution)
    _goal_block(grid, project.goal_expected, project.goal_actual)
    _indicator_block(grid, scored)
    _total_row(grid, scored)


def _money_block(grid: Grid, label: str, rows: list[tuple[str, Amounts, bool]],
                 execution: ExecutionScore) -> None:
    grid.put(A, label, "header", rows=len(rows) + 1)
    grid.put(B, None, "header", to_col=C)
    for col, header in zip((D, E, F), AMOUNT_HEADERS, strict=True):
        grid.put(col, header, "header")
    grid.put(G, WEIGHT_HEADER, "header")
    grid.put(H, "执行率", "header")
    grid.put(I, SCORE_HEADER, "header", to_col=LAST)
    grid.next()
    for text, amounts, is_total in rows:
        grid.put(B, text, "text", to_col=C)
        for col, value in zip((D, E, F), (amounts.initial, amounts.adjusted, amounts.executed),
                              strict=True):
            grid.put(col, value, "money", NUMBER)
        if is_total:
            grid.put(G, execution.weight, "weight", NUMBER)
            grid.put(H, execution.rate, "percent", NUMBER)
            grid.put(I, execution.score, "score", NUMBER, to_col=LAST)
        else:
            grid.put(G, "—", "center")
            grid.put(H, _rate(amounts), "percent", NUMBER)
            grid.put(I, "—", "center", to_col=LAST)
        grid.next()


def _goal_block(grid: Grid, expected: str, actual: str) -> None:
    grid.put(A, "年度总体目标", "header", rows=2)
    grid.put(B, "预期目标", "header", to_col=F)
    grid.put(G, "实际完成情况", "header", to_col=LAST)
    grid.next()
    grid.put(B, expected, "text", to_col=F)
    grid.put(G, actual, "text", to_col=LAST)
    grid.next(40)


def _indicator_block(grid: Grid, subject: SubjectScore) -> None:
    rows = _grouped(subject.indicators)
    grid.put(A, "绩效指标", "header", rows=max(1, len(rows)) + 1)
    for col, header in zip(range(B, I), INDICATOR_HEADERS, strict=True):
        grid.put(col, header, "header")
    grid.put(I, DEVIATION_HEADER, "header", to_col=LAST)
    grid.next()
    if not rows:
        grid.put(B, NO_INDICATORS, "center", to_col=LAST)
        grid.next()
        return
    first = grid.row
    for i, s in enumerate(rows):
        ind = s.indicator
        r = first + i
        if i == 0 or ind.level1 != rows[i - 1].indicator.level1:
            grid.put(B, ind.level1, "center", row=r, rows=_run(rows, i, lambda x: x.level1))
        if i == 0 or (ind.level1, ind.level2) != (rows[i - 1].indicator.level1,
                                                  rows[i - 1].indicator.level2):
            grid.put(C, ind.level2, "center", row=r,
                     rows=_run(rows, i, lambda x: (x.level1, x.level2)))
        grid.put(D, ind.level3, "text", row=r)
        grid.put(E, target_text(ind), "center", row=r)
        grid.put(F, actual_text(ind), "center", row=r)
        grid.put(G, s.points, "weight", NUMBER, row=r)
        grid.put(H, s.score, "score", NUMBER, row=r)
        grid.put(I, ind.deviation, "text", to_col=LAST, row=r)
        grid.next()


def _total_row(grid: Grid, subject: SubjectScore) -> None:
    grid.put(A, "总分", "header", to_col=F)
    grid.put(G, subject.points, "weight", NUMBER)
    grid.put(H, subject.total, "total", NUMBER)
    grid.put(I, "等级", "header")
    grid.put(J, subject.grade or NO_GRADE, "total")
    grid.next(24)


def _signature(grid: Grid, book: DepartmentBook) -> None:
    info = book.info
    grid.put(A, f"联系人：{info.contact}", "caption", to_col=E)
    grid.put(F, f"联系电话：{info.phone}", "caption", to_col=LAST)
    grid.next(24)


# --- values ------------------------------------------------------------------------------------


def _line(book: DepartmentBook, key: str) -> Amounts:
    return Amounts(*(_amount(book, key, col.key) for col in c.AMOUNT_COLUMNS))


def _amount(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """A 收支情况 amount as the form prints it: the stored value, else (an uncalculated total)
    the sum of its parts; blank when every part is empty, so an unfilled 年初预算数 does not
    show 0.00. The stored value wins otherwise: it is what the score used."""
    value = stored(book, key, column)
    row = c.budget_row(key)
    if not row.is_total:
        return value
    parts = [p for p in (_amount(book, part, column) for part in row.total_of) if p is not None]
    if value is None or (value == 0 and not parts):
        # A SUM over empty cells is stored as 0 by some programs and not at all by others:
        # the form shows both alike, blank.
        return sum(parts, Decimal(0)) if parts else None
    return value


def _rate(amounts: Amounts) -> Decimal | None:
    if not amounts.adjusted or amounts.executed is None:
        return None
    return amounts.executed / amounts.adjusted


def _grouped(scored: tuple[IndicatorScore, ...]) -> list[IndicatorScore]:
    """Rows ordered so equal 一级 and 二级 names sit together (first appearance order), ready to
    merge as the official forms do; the order inside a group is the sheet's."""
    first_l1: dict[str, int] = {}
    first_l2: dict[tuple[str, str], int] = {}
    for i, s in enumerate(scored):
        first_l1.setdefault(s.indicator.level1, i)
        first_l2.setdefault((s.indicator.level1, s.indicator.level2), i)
    order = sorted(range(len(scored)), key=lambda i: (
        first_l1[scored[i].indicator.level1],
        first_l2[(scored[i].indicator.level1, scored[i].indicator.level2)], i))
    return [scored[i] for i in order]


def _run(rows: list[IndicatorScore], start: int, key) -> int:
    """How many rows from ``start`` share ``key`` of their indicator."""
    value, n = key(rows[start].indicator), 1
    while start + n < len(rows) and key(rows[start + n].indicator) == value:
        n += 1
    return n


def _show(value, unit: str) -> str:
    if isinstance(value, Decimal):
        return f"{number(value)}{unit}"
    return value or ""


def target_text(ind: Indicator) -> str:
    """年度指标值 as forms print it: ``≥6家``, ``≤17万元``; an ``=`` target plainly (``1个``)."""
    text = _show(ind.target, ind.unit)
    if ind.direction in (c.AT_LEAST, c.AT_MOST) and isinstance(ind.target, Decimal):
        return f"{ind.direction}{text}"
    return text


def actual_text(ind: Indicator) -> str:
    """实际完成值 with its unit; a qualitative result with its grade (``…（达成）``)."""
    text = _show(ind.actual, ind.unit)
    if ind.direction == c.QUALITATIVE and ind.grade:
        return f"{text}（{ind.grade}）" if text else ind.grade
    return text
