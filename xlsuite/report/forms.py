"""The two official forms of the report's appendix as plain cell layouts (no Word here).

部门整体支出绩效自评表 and 项目支出绩效自评表 share one nine-column grid: a label column, then
一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施; the
funds block above reuses the same columns for 年初预算数 … 得分. A form is a list of placed cells
(row, column, spans, text); the Word writer only draws them.

Amounts in forms have two decimals (``50.00``) as printed forms do; rates one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import contract as c
from ..amounts import line_amount, money
from ..model import Amounts, DepartmentBook, Project
from ..scoring import BookScore, IndicatorScore, SubjectScore
from .wording import percent, plain

COLUMN_WIDTHS_MM = (9, 15, 16, 25, 18, 18, 9, 14, 32)
"""The nine columns on an A4 page with GB/T 9704 margins (156 mm of text width), sized so that
the headers (年度指标值, 全年预算数, 执行率 …) fit on one line in 小五 (9 pt)."""

INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施")
FUNDS_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
DASH = "—"
INDENT = "\u3000" * 3
"""Lines up a 其中 row's followers under the first (three ideographic spaces, the width of 其中：)."""


@dataclass(frozen=True)
class FormCell:
    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    align: str = "center"
    """``center`` for labels and numbers, ``left`` for running text."""
    bold: bool = False


@dataclass(frozen=True)
class FormLayout:
    title: str
    """E.g. 项目支出绩效自评表."""
    caption: str
    """The line under the title: year and unit, e.g. （2021年度）."""
    cells: tuple[FormCell, ...]
    n_rows: int
    widths_mm: tuple[int, ...] = COLUMN_WIDTHS_MM


class _Grid:
    """Collects cells row by row."""

    def __init__(self):
        self.cells: list[FormCell] = []
        self.row = 0

    def put(self, col: int, text: str, *, rows: int = 1, cols: int = 1, align: str = "center",
            bold: bool = False) -> None:
        self.cells.append(FormCell(self.row, col, text, rows, cols, align, bold))

    def next(self) -> None:
        self.row += 1


def department_form(book: DepartmentBook, scores: BookScore) -> FormLayout:
    """部门整体支出绩效自评表 of ``book``."""
    g = _Grid()
    g.put(0, "部门（单位）名称", cols=3, bold=True)
    g.put(3, book.info.unit_name, cols=6, align="left")
    g.next()
    rows = [("年度资金总额", _line(book, "structure.total"), True),
            ("其中：基本支出", _line(book, "structure.基本支出"), False),
            (f"{INDENT}项目支出", _line(book, "structure.项目支出"), False)]
    sources = [row for row in c.budget_rows() if row.key.startswith("income.") and not row.is_total
               and any(_line(book, row.key).__dict__.values())]
    for i, row in enumerate(sources):
        rows.append((f"{'其中：' if i == 0 else INDENT}{row.name}", _line(book, row.key), False))
    _funds(g, "年度预算资金（万元）", rows, scores.department)
    _goals(g, book.info.goal_expected, book.info.goal_actual)
    _indicators(g, scores.department)
    year = book.info.year
    return FormLayout("部门整体支出绩效自评表", f"（{year}年度）" if year else "", tuple(g.cells), g.row)


def project_form(book: DepartmentBook, project: Project, score: SubjectScore) -> FormLayout:
    """项目支出绩效自评表 of one project."""
    g = _Grid()
    g.put(0, "项目名称", cols=2, bold=True)
    g.put(2, project.name, cols=7, align="left")
    g.next()
    g.put(0, "主管部门", cols=2, bold=True)
    g.put(2, project.supervisor, cols=3, align="left")
    g.put(5, "实施单位", cols=2, bold=True)
    g.put(7, project.implementer, cols=2, align="left")
    g.next()
    rows = [("年度资金总额", project.total, True), ("其中：当年财政拨款", project.fiscal, False),
            (f"{INDENT}上年结转资金", project.carryover, False),
            (f"{INDENT}其他资金", project.other, False)]
    _funds(g, "项目资金（万元）", rows, score)
    _goals(g, project.goal_expected, project.goal_actual)
    _indicators(g, score)
    year = book.info.year
    return FormLayout("项目支出绩效自评表", f"（{year}年度）" if year else "", tuple(g.cells), g.row)


def forms(book: DepartmentBook, scores: BookScore) -> tuple[FormLayout, ...]:
    """The department form, then one form per project in sheet order."""
    return (department_form(book, scores),
            *(project_form(book, p, s) for p, s in zip(book.projects, scores.projects, strict=True)))


# --- blocks ------------------------------------------------------------------------------------

def _line(book: DepartmentBook, key: str) -> Amounts:
    """A 收支情况 row's three amounts as the form shows them."""
    return Amounts(*(_line_value(book, key, a.key) for a in c.AMOUNT_COLUMNS))


def _line_value(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """A row's amount; a total row whose parts are all empty is empty too, not the 0.00 a
    spreadsheet caches for a SUM of blanks (the seed states no 年初预算数 at all)."""
    row = c.budget_row(key)
    if row.is_total and all(_line_value(book, part, column) is None for part in row.total_of):
        return None
    return line_amount(book, key, column)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else money(value)


def _funds(g: _Grid, label: str, rows: list[tuple[str, Amounts, bool]], score: SubjectScore) -> None:
    g.put(0, label, rows=len(rows) + 1, bold=True)
    g.put(1, "", cols=2)
    for i, header in enumerate(FUNDS_HEADERS):
        g.put(3 + i, header, bold=True)
    g.next()
    execution = score.execution
    for name, amounts, is_total in rows:
        g.put(1, name, cols=2, align="center" if is_total else "left")
        g.put(3, _amount(amounts.initial))
        g.put(4, _amount(amounts.adjusted))
        g.put(5, _amount(amounts.executed))
        if is_total:
            g.put(6, plain(execution.weight))
            g.put(7, DASH if execution.rate is None else percent(execution.rate))
            g.put(8, plain(execution.score))
        else:
            for col in (6, 7, 8):
                g.put(col, DASH)
        g.next()


def _goals(g: _Grid, expected: str, actual: str) -> None:
    g.put(0, "年度总体目标", rows=2, bold=True)
    g.put(1, "预期目标", cols=4, bold=True)
    g.put(5, "实际完成情况", cols=4, bold=True)
    g.next()
    g.put(1, expected, cols=4, align="left")
    g.put(5, actual, cols=4, align="left")
    g.next()


def _indicators(g: _Grid, score: SubjectScore) -> None:
    scored = score.indicators
    g.put(0, "绩效指标", rows=1 + max(len(scored), 1), bold=True)
    for i, header in enumerate(INDICATOR_HEADERS):
        g.put(1 + i, header, bold=True)
    g.next()
    if not scored:
        g.put(1, "未填报绩效指标", cols=8)
        g.next()
    # 一级 and 二级 cells span the consecutive rows that share them, as the printed forms do.
    for col, key in ((1, lambda s: s.indicator.level1),
                     (2, lambda s: (s.indicator.level1, s.indicator.level2))):
        for start, length in _runs([key(s) for s in scored]):
            text = scored[start].indicator.level1 if col == 1 else scored[start].indicator.level2
            g.cells.append(FormCell(g.row + start, col, text, rows=length))
    for i, s in enumerate(scored):
        row = g.row + i
        ind = s.indicator
        g.cells.extend([
            FormCell(row, 3, ind.level3, align="left"),
            FormCell(row, 4, target_text(s)),
            FormCell(row, 5, actual_text(s)),
            FormCell(row, 6, plain(s.weight)),
            FormCell(row, 7, plain(s.score)),
            FormCell(row, 8, ind.deviation, align="left"),
        ])
    g.row += len(scored)
    weight = score.execution.weight + sum((s.weight for s in scored), Decimal(0))
    g.put(0, "总分", cols=6, bold=True)
    g.put(6, plain(weight))
    if score.grade is None:
        g.put(7, DASH)
        g.put(8, "未填报绩效指标，不评定等级")
    else:
        g.put(7, plain(score.total), bold=True)
        g.put(8, f"自评等级：{score.grade}", bold=True)
    g.next()


def _runs(keys: list) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _value(value, unit: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return f"{plain(value)}{unit}"
    return str(value)


def target_text(s: IndicatorScore) -> str:
    """年度指标值 with its direction (``≥6家``); a qualitative target as written."""
    ind = s.indicator
    text = _value(ind.target, ind.unit)
    if ind.direction in ("≥", "≤") and isinstance(ind.target, Decimal):
        return f"{ind.direction}{text}"
    return text


def actual_text(s: IndicatorScore) -> str:
    """实际完成值 with its unit; a qualitative result with its grade (``…（达成）``)."""
    ind = s.indicator
    text = _value(ind.actual, ind.unit)
    if ind.direction == "定性" and ind.grade:
        return f"{text}（{ind.grade}）" if text else ind.grade
    return text
