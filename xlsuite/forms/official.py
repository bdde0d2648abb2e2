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

from ..core import contract as c
from ..core.amounts import number, stored
from ..core.model import Amounts, DepartmentBook, Indicator, Project
from ..core.profile import PROJECT_KIND, FormLayout
from ..core.scoring import BookScore, ExecutionScore, IndicatorScore, SubjectScore
from ..layout import style
from .plan import NUMBER, Grid, SheetPlan, format_number, page_scale

# A..J; the widths add up to what A4 portrait holds at 100% with half-inch margins.
COL_WIDTHS = [6.0, 8.0, 9.0, 14.0, 10.0, 10.0, 5.0, 8.0, 11.0, 11.0]
EXTRA_COLUMN_WIDTHS = {"method": 12.0}
"""Width of an extra indicator column a profile's layout asks for; the others take 6 (指标性质,
计量单位, 方向: a few characters)."""
EXTRA_COLUMN_WIDTH = 6.0


class Columns:
    """The form grid for one layout: the ten national columns A..J, with the profile's extra
    indicator columns inserted after F (实际完成值), so every block keeps its own columns and
    only the indicator block fills the inserted ones (the others span them)."""

    def __init__(self, layout: FormLayout):
        self.extras = layout.indicator_columns
        n = len(self.extras)
        self.A, self.B, self.C, self.D, self.E, self.F = range(6)
        self.G, self.H, self.I, self.J = range(6 + n, 10 + n)
        self.LAST = self.J
        self.widths = [*COL_WIDTHS[:6], *(EXTRA_COLUMN_WIDTHS.get(key, EXTRA_COLUMN_WIDTH) for key in self.extras),
                       *COL_WIDTHS[6:]]


AMOUNT_HEADERS = tuple(col.header for col in c.AMOUNT_COLUMNS)  # 年初预算数, 全年预算数, 全年执行数
INDICATOR_HEADERS = tuple(c.INDICATOR_SHEET_DEF.column(key).header
                          for key in ("level1", "level2", "level3", "target", "actual", "weight", "score"))
"""一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分: as the workbook heads them."""
WEIGHT_HEADER, SCORE_HEADER = INDICATOR_HEADERS[-2:]
DEVIATION_HEADER = c.INDICATOR_SHEET_DEF.column("deviation").header
DEPARTMENT_FORM_TITLE, PROJECT_FORM_TITLE = "部门整体支出绩效自评表", "项目支出绩效自评表"
NO_INDICATORS = "未设置绩效指标，只计算预算执行率，不评定等级"
NO_GRADE = "—"
SUB_ROW_PREFIX = "其中："
"""The first money row under the total begins so: 其中：当年财政拨款."""


NATIONAL_LAYOUT = FormLayout()
CONCLUSION_ROWS = (("评价结论", "conclusion"), (c.PROBLEM_SHEET_DEF.column("problem").header, "problem"),
                   (c.PROBLEM_SHEET_DEF.column("measure").header, "measure"))
"""The closing rows a layout with ``conclusions`` prints, from 问题与措施's columns."""


def official_forms(book: DepartmentBook, score: BookScore,
                   layout: FormLayout = NATIONAL_LAYOUT) -> tuple[SheetPlan, ...]:
    """The official forms the book's 填报范围 asks for: 部门整体支出绩效自评表 (none for 仅项目, whose
    department is not evaluated: its form would print a score of 0 out of 10), then 项目支出绩效自评表."""
    projects = project_forms(book, score, layout)
    return (projects,) if book.projects_only else (department_form(book, score, layout), projects)


def department_form(book: DepartmentBook, score: BookScore, layout: FormLayout = NATIONAL_LAYOUT) -> SheetPlan:
    """部门整体支出绩效自评表 of ``book`` with its 部门整体 score, on one A4 page when it fits;
    ``layout`` (the profile's ``forms``) adds what a province's form prints besides."""
    k = Columns(layout)
    plan = _new_plan(c.DEPARTMENT_FORM_SHEET, k)
    grid = Grid(plan)
    info, dept = book.info, score.department
    _heading(grid, k, DEPARTMENT_FORM_TITLE, book)
    grid.put(k.A, "部门名称", "label", to_col=k.C)
    grid.put(k.D, info.unit_name, "text", to_col=k.LAST)
    grid.next()
    lines = dict(zip(c.DEPARTMENT_FORM_FUNDS, (_line(book, key) for key in (
        c.STRUCTURE_TOTAL, c.BASIC_SPENDING, c.PROJECT_SPENDING)), strict=True))
    money_rows = _money_rows(layout, c.WHOLE_DEPARTMENT, lines)
    _evaluation(grid, k, layout, book, ("年度部门整体支出预算（万元）", money_rows),
                (info.goal_expected, info.goal_actual), dept, layout.levels(c.WHOLE_DEPARTMENT))
    _signature(grid, k, book)
    grid.finish()
    plan.scale = page_scale([sum(plan.row_heights.values())], plan)
    return plan


def project_forms(book: DepartmentBook, score: BookScore, layout: FormLayout = NATIONAL_LAYOUT) -> SheetPlan:
    """项目支出绩效自评表 of every project, one below the other, each starting a printed page."""
    k = Columns(layout)
    plan = _new_plan(c.PROJECT_FORM_SHEET, k)
    grid = Grid(plan)
    starts = []
    for project, scored in zip(book.projects, score.projects, strict=True):
        starts.append(grid.row)
        _project_form(grid, k, layout, book, project, scored)
        grid.next()  # a blank row between forms on screen; the page breaks before the next
    grid.finish()
    plan.row_breaks = starts[1:]
    bounds = [*starts, grid.row]
    heights = [sum(plan.row_heights[r] for r in range(lo, hi)) for lo, hi in zip(bounds, bounds[1:], strict=False)]
    plan.scale = page_scale(heights, plan)
    return plan


# --- blocks ------------------------------------------------------------------------------------


def _new_plan(name: str, k: Columns) -> SheetPlan:
    return SheetPlan(name, col_widths=list(k.widths), margins=style.FORM_MARGINS)


def _heading(grid: Grid, k: Columns, title: str, book: DepartmentBook) -> None:
    grid.put(k.A, title, "title", to_col=k.LAST)
    grid.next(30)
    year = book.info.year
    grid.put(k.A, f"（{year}年度）" if year else "（    年度）", "subtitle", to_col=k.LAST)
    grid.next(20)
    grid.put(k.A, f"填报单位：{book.info.unit_name}", "caption", to_col=k.G - 1)
    grid.put(k.G, "金额单位：万元", "caption_right", to_col=k.LAST)
    grid.next(20)


def _project_form(grid: Grid, k: Columns, layout: FormLayout, book: DepartmentBook, project: Project,
                  scored: SubjectScore) -> None:
    _heading(grid, k, PROJECT_FORM_TITLE, book)
    grid.put(k.A, c.PROJECT_SHEET_DEF.column("name").header, "label", to_col=k.C)
    grid.put(k.D, project.name, "text", to_col=k.LAST)
    grid.next()
    grid.put(k.A, c.PROJECT_SHEET_DEF.column("supervisor").header, "label", to_col=k.C)
    grid.put(k.D, project.supervisor, "text", to_col=k.G - 1)
    grid.put(k.G, c.PROJECT_SHEET_DEF.column("implementer").header, "label", to_col=k.H)
    grid.put(k.I, project.implementer, "text", to_col=k.LAST)
    grid.next()
    lines = dict(zip(c.PROJECT_FORM_FUNDS, (project.total, project.fiscal, project.carryover, project.other),
                     strict=True)) | project.extra_sources
    money_rows = _money_rows(layout, PROJECT_KIND, lines)
    _evaluation(grid, k, layout, book, ("项目资金（万元）", money_rows),
                (project.goal_expected, project.goal_actual), scored, layout.levels(PROJECT_KIND, project.category))


def _evaluation(grid: Grid, k: Columns, layout: FormLayout, book: DepartmentBook,
                money: tuple[str, list[tuple[str, Amounts, bool]]], goals: tuple[str, str],
                subject: SubjectScore, levels: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    """What both forms say of their subject, in order: the money and its execution score, the
    year's goals, the indicators, the total, and (where the layout asks) the conclusions."""
    _money_block(grid, k, layout, *money, subject.execution)
    _goal_block(grid, k, layout, *goals)
    _indicator_block(grid, k, layout, subject, levels)
    _total_row(grid, k, layout, subject)
    if layout.conclusions:
        _conclusion_rows(grid, k, book, subject.code)


def _money_rows(layout: FormLayout, kind: str, lines: dict[str, Amounts]) -> list[tuple[str, Amounts, bool]]:
    """(printed label, amounts, is the total) of each money row the layout prints for ``kind``,
    in its order; the first row under the total reads 其中：…, as the national forms print it."""
    rows = []
    for name in layout.funds(kind, tuple(lines)):
        label = layout.fund_label(name)
        if len(rows) == 1 and rows[0][2] and not label.startswith(SUB_ROW_PREFIX):
            label = SUB_ROW_PREFIX + label
        # A source the profile adds that the book has no column for prints blank.
        rows.append((label, lines.get(name, Amounts()), name == c.FORM_TOTAL_ROW))
    return rows


def _money_block(grid: Grid, k: Columns, layout: FormLayout, label: str,
                 rows: list[tuple[str, Amounts, bool]], execution: ExecutionScore) -> None:
    amount_cols = (k.D, k.E, k.F)
    grid.put(k.A, label, "header", rows=len(rows) + 1)
    grid.put(k.B, None, "header", to_col=k.C)
    for col, header in zip(amount_cols, AMOUNT_HEADERS, strict=True):
        grid.put(col, layout.word(header), "header", to_col=_spanned(k, col))
    grid.put(k.G, layout.word(WEIGHT_HEADER), "header")
    grid.put(k.H, layout.word(c.FORM_EXECUTION_RATE), "header")
    grid.put(k.I, layout.word(SCORE_HEADER), "header", to_col=k.LAST)
    grid.next()
    for text, amounts, is_total in rows:
        grid.put(k.B, text, "text", to_col=k.C)
        for col, value in zip(amount_cols, (amounts.initial, amounts.adjusted, amounts.executed),
                              strict=True):
            grid.put(col, value, "money", NUMBER, to_col=_spanned(k, col))
        printed_rate = layout.rates == "all" or (is_total and layout.rates == "total")
        if is_total:
            grid.put(k.G, execution.weight, "weight", NUMBER)
            grid.put(k.H, execution.rate if printed_rate else None, "percent", NUMBER)
            grid.put(k.I, execution.score, "score", NUMBER, to_col=k.LAST)
        else:
            grid.put(k.G, "—", "center")
            grid.put(k.H, _rate(amounts) if printed_rate else None, "percent", NUMBER)
            grid.put(k.I, "—", "center", to_col=k.LAST)
        grid.next()


def _spanned(k: Columns, col: int) -> int:
    """The last column a cell at ``col`` spans: F (全年执行数) takes in the inserted columns."""
    return k.G - 1 if col == k.F else col


def _goal_block(grid: Grid, k: Columns, layout: FormLayout, expected: str, actual: str) -> None:
    heading, expected_header, actual_header = (layout.word(w) for w in c.FORM_GOAL_HEADINGS)
    grid.put(k.A, heading, "header", rows=2)
    grid.put(k.B, expected_header, "header", to_col=k.G - 1)
    grid.put(k.G, actual_header, "header", to_col=k.LAST)
    grid.next()
    grid.put(k.B, expected, "text", to_col=k.G - 1)
    grid.put(k.G, actual, "text", to_col=k.LAST)
    grid.next(40)


def _indicator_block(grid: Grid, k: Columns, layout: FormLayout, subject: SubjectScore,
                     levels: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    rows = _grouped(subject.indicators)
    empty: set[int] = set()
    if layout.empty_level2 and rows:
        rows, empty = _with_empty_level2(rows, levels, layout.empty_level2)
    extras = {key: k.F + 1 + i for i, key in enumerate(k.extras)}
    heading = layout.word(c.FORM_INDICATOR_BLOCK)
    if layout.block_points:
        heading += _points(sum((s.points for s in rows), Decimal(0)))
    grid.put(k.A, heading, "header", rows=max(1, len(rows)) + 1)
    for col, header in zip(range(k.B, k.F + 1), INDICATOR_HEADERS[:5], strict=True):
        grid.put(col, layout.word(header), "header")
    for key, col in extras.items():
        grid.put(col, layout.word(_extra_header(key)), "header")
    score_col = k.G if not layout.weight_column else k.H
    if layout.weight_column:
        grid.put(k.G, layout.word(WEIGHT_HEADER), "header")
    grid.put(score_col, layout.word(SCORE_HEADER), "header", to_col=k.H)
    grid.put(k.I, layout.word(DEVIATION_HEADER), "header", to_col=k.LAST)
    grid.next()
    if not rows:
        grid.put(k.B, NO_INDICATORS, "center", to_col=k.LAST)
        grid.next()
        return
    with_unit = "unit" not in extras
    first = grid.row
    for i, s in enumerate(rows):
        ind = s.indicator
        r = first + i
        if i == 0 or ind.level1 != rows[i - 1].indicator.level1:
            n = _run(rows, i, lambda x: x.level1)
            label = ind.level1
            if layout.level1_points:
                label += _points(sum(x.points for x in rows[i:i + n]))
            grid.put(k.B, label, "center", row=r, rows=n)
        if i == 0 or (ind.level1, ind.level2) != (rows[i - 1].indicator.level1,
                                                  rows[i - 1].indicator.level2):
            grid.put(k.C, ind.level2, "center", row=r,
                     rows=_run(rows, i, lambda x: (x.level1, x.level2)))
        grid.put(k.D, ind.level3, "center" if id(s) in empty else "text", row=r)
        if id(s) in empty:  # a 二级指标 with no indicator: the mark across, nothing scored
            for col in (k.E, k.F, *extras.values()):
                grid.put(col, layout.empty_level2, "center", row=r)
            if layout.weight_column:
                grid.put(k.G, layout.empty_level2, "center", row=r)
            grid.put(score_col, layout.empty_level2, "center", row=r, to_col=k.H)
            grid.put(k.I, None, "text", to_col=k.LAST, row=r)
            grid.next()
            continue
        grid.put(k.E, target_text(ind, with_unit), "center", row=r)
        grid.put(k.F, actual_text(ind, with_unit), "center", row=r)
        for key, col in extras.items():
            grid.put(col, layout.method(ind.direction) if key == "method" else getattr(ind, key), "center", row=r)
        if layout.weight_column:
            grid.put(k.G, s.points, "weight", NUMBER, row=r)
        grid.put(score_col, s.score, "score", NUMBER, row=r, to_col=k.H)
        grid.put(k.I, ind.deviation, "text", to_col=k.LAST, row=r)
        grid.next()


def _extra_header(key: str) -> str:
    return c.FORM_METHOD if key == "method" else c.INDICATOR_SHEET_DEF.column(key).header


def _points(points: Decimal) -> str:
    """A block's points as its heading carries them: （50分）."""
    return f"（{format_number(points, 'General')}分）"


def _total_row(grid: Grid, k: Columns, layout: FormLayout, subject: SubjectScore) -> None:
    grid.put(k.A, layout.word(c.FORM_TOTAL), "header", to_col=k.G - 1)
    grid.put(k.G, subject.points, "weight", NUMBER)
    grid.put(k.H, subject.total, "total", NUMBER)
    grid.put(k.I, layout.word(c.FORM_GRADE), "header")
    grid.put(k.J, subject.grade or NO_GRADE, "total")
    grid.next(24)


def _conclusion_rows(grid: Grid, k: Columns, book: DepartmentBook, subject: str) -> None:
    """评价结论, 存在问题 and 改进措施 of ``subject`` from 问题与措施: several rows' texts one
    under the other, numbered when there are more than one; a row left empty stays on the form
    for the evaluator to fill in by hand."""
    own = [p for p in book.problems if p.concerns(subject)]
    for label, key in CONCLUSION_ROWS:
        texts = list(dict.fromkeys(t for t in (getattr(p, key) for p in own) if t))
        if len(texts) > 1:
            texts = [f"{i}. {t}" for i, t in enumerate(texts, start=1)]
        grid.put(k.A, label, "header", to_col=k.B)
        grid.put(k.C, "\n".join(texts), "text", to_col=k.LAST)
        grid.next(40)


def _signature(grid: Grid, k: Columns, book: DepartmentBook) -> None:
    info = book.info
    grid.put(k.A, f"联系人：{info.contact}", "caption", to_col=k.E)
    grid.put(k.F, f"联系电话：{info.phone}", "caption", to_col=k.LAST)
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


def _with_empty_level2(rows: list[IndicatorScore], levels: tuple[tuple[str, tuple[str, ...]], ...],
                       mark: str) -> tuple[list[IndicatorScore], set[int]]:
    """``rows`` in the hierarchy's order with a row marked ``mark`` for each 二级指标 of a 一级指标
    the subject uses that has no indicator (as official forms list every 二级); a 一级指标 the
    subject has no indicator under at all is left out, and names the hierarchy does not know
    follow in the sheet's order. Returns the rows and the ``id`` of each marked row."""
    groups: dict[tuple[str, str], list[IndicatorScore]] = {}
    for s in rows:
        groups.setdefault((s.indicator.level1, s.indicator.level2), []).append(s)
    used = {level1 for level1, _ in groups}
    out: list[IndicatorScore] = []
    empty: set[int] = set()
    for level1, level2s in levels:
        if level1 not in used:
            continue
        for level2 in level2s:
            found = groups.pop((level1, level2), None)
            if found:
                out += found
            else:
                blank = IndicatorScore(Indicator(rows[0].indicator.subject, level1, level2, mark, ""), Decimal(0), Decimal(0))
                empty.add(id(blank))
                out.append(blank)
    # Names outside the hierarchy (validation reports them) keep their place after it, grouped.
    out = _grouped_in_hierarchy(out, [s for group in groups.values() for s in group])
    return out, empty


def _grouped_in_hierarchy(ordered: list[IndicatorScore], rest: list[IndicatorScore]) -> list[IndicatorScore]:
    """``ordered`` then ``rest``, each row of ``rest`` placed after the last row of its 一级指标 in
    ``ordered`` when there is one, so a 一级指标's rows stay together for their merged label."""
    out = list(ordered)
    for s in rest:
        at = max((i for i, x in enumerate(out) if x.indicator.level1 == s.indicator.level1), default=len(out) - 1)
        out.insert(at + 1, s)
    return out


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


def target_text(ind: Indicator, with_unit: bool = True) -> str:
    """年度指标值 as forms print it: ``≥6家``, ``≤17万元``; an ``=`` target plainly (``1个``);
    without the unit where the form has a 计量单位 column."""
    text = _show(ind.target, ind.unit if with_unit else "")
    if ind.direction in (c.AT_LEAST, c.AT_MOST) and isinstance(ind.target, Decimal):
        return f"{ind.direction}{text}"
    return text


def actual_text(ind: Indicator, with_unit: bool = True) -> str:
    """实际完成值 with its unit; a qualitative result with its grade (``…（达成）``)."""
    text = _show(ind.actual, ind.unit if with_unit else "")
    if ind.direction == c.QUALITATIVE and ind.grade:
        return f"{text}（{ind.grade}）" if text else ind.grade
    return text
