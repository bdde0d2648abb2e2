"""Checks on money: 收支情况 balances, 项目支出 against 收支情况, and plausible amounts.

A county batch validates every book of every department, so the loops over rows and amounts
are written for speed: each amount is looked at with a cheap test first, and a finding (with its
cell and message) is built only for the few that fail it. The order of checks and findings is
the order the rules are written in, so a book always gives the same list.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from .. import contract as c
from ..amounts import YUAN, ZERO, LineAmounts, below_yuan, line_amounts, money, source_sum, sum_of_parts
from ..model import Amounts, DepartmentBook
from .catalogue import rule
from .findings import Finding

COLUMN_LABELS = {a.key: a.header for a in c.AMOUNT_COLUMNS}
_COLUMNS = tuple(enumerate(COLUMN_LABELS.items()))
"""(index in ``LineAmounts``, (column key, label)) of each amount column."""

# Each total row of 收支情况, the rule that guards it, and how its parts are named in messages.
_TOTAL_RULES = (
    (c.INCOME_TOTAL, "balance.income", "各项收入"),
    (c.FUNCTION_TOTAL, "balance.function", "各功能分类支出"),
    (c.ECONOMIC_TOTAL, "balance.economic", "各经济分类支出"),
    (c.STRUCTURE_TOTAL, "balance.structure", "基本支出与项目支出"),
    (c.BASIC_SPENDING, "balance.basic", "人员经费与公用经费"),
    (c.SANGONG_TOTAL, "balance.sangong", "“三公”经费各项"),
)
_SPENDING_VIEWS = (c.FUNCTION_TOTAL, c.ECONOMIC_TOTAL, c.STRUCTURE_TOTAL)
_HUGE = Decimal("1E+25")
"""Amounts from here on cannot be rounded to 元 within Decimal's 28 digits: the cheap test sends
them to ``_amount_cells``, whose ``below_yuan`` copes with them (the reader rejects amounts of
``MAX_AMOUNT`` or more, but a book built in code may hold one)."""


def check_balances(book: DepartmentBook,
                   amounts: dict[str, LineAmounts] | None = None) -> Iterator[Finding]:
    """Every total row of 收支情况 equals its parts, in each amount column: one finding per
    row, naming every column that differs.

    A total the file holds no value for (formulas never calculated) has nothing to compare: the
    engine uses the sum of its parts instead, so it is skipped rather than reported.

    Args:
        amounts: ``line_amounts(book)``, when the caller has it already.
    """
    if book.projects_only:
        return  # 填报范围 仅项目: no department budget to balance
    amounts = line_amounts(book) if amounts is None else amounts
    for key, rule_id, parts_label in _TOTAL_RULES:
        line = book.budget.get(key)
        if line is None:
            continue
        row = c.budget_row(key)
        gaps = []
        for index, (column, label) in _COLUMNS:
            total = getattr(line.amounts, column)
            if total is None:
                continue
            parts = sum_of_parts(amounts, row.total_of, index)
            if total != parts:
                gaps.append((column, label, dict(total=money(total), parts=money(parts),
                                                 diff=money(abs(total - parts)))))
        if gaps:
            yield _gap(rule_id, book, key, gaps, row=row.name, parts_label=parts_label)
    # The three views of spending describe the same money.
    first = c.budget_row(_SPENDING_VIEWS[0])
    for key in _SPENDING_VIEWS[1:]:
        gaps = []
        for index, (column, label) in _COLUMNS:
            reference, value = amounts[first.key][index], amounts[key][index]
            if value != reference:
                gaps.append((column, label, dict(total=money(value), other=money(reference),
                                                 diff=money(abs(value - reference)))))
        if gaps:
            yield _gap("balance.views", book, key, gaps, row=c.budget_row(key).name, other_row=first.name)


def check_cross_sheet(book: DepartmentBook) -> Iterator[Finding]:
    """Σ projects = 项目支出 of 收支情况 in every amount column; each project's sources add up.
    One finding per gap, naming every column it shows in."""
    key = c.PROJECT_SPENDING
    project_line = book.budget.get(key)
    totals = [p.total for p in book.projects]
    # 填报范围 仅项目: the projects are not part of a department budget in this book.
    gaps = []
    for column, label in () if book.projects_only else COLUMN_LABELS.items():
        projects = source_sum(totals, column)
        line = getattr(project_line.amounts, column) if project_line is not None else None
        if line is None and all(getattr(t, column) is None for t in totals):
            continue  # the column is empty on both sheets
        line = line if line is not None else Decimal(0)
        if projects != line:
            gaps.append((column, label, dict(projects=money(projects), line=money(line),
                                              diff=money(abs(projects - line)))))
    if gaps:
        yield _gap("cross.projects_total", book, key, gaps, count=len(book.projects))
    for project in book.projects:
        split = project.sources()
        sources = [amounts for _, _, amounts in split]
        gaps = []
        for column, label in COLUMN_LABELS.items():
            total = getattr(project.total, column)
            if total is None:
                continue
            if all(getattr(source, column) is None for source in sources):
                continue  # nothing split by source: the total stands alone
            parts = source_sum(sources, column)
            if total != parts:
                gaps.append((column, label, dict(total=money(total), parts=money(parts),
                                                 diff=money(abs(total - parts)))))
        if gaps:
            yield rule("cross.project_sources").finding(
                project.cells.get(f"total.{gaps[0][0]}"), project.code, name=project.name or project.code,
                sources="、".join(source_label for _, source_label, _ in split),
                columns=[(label, numbers) for _, label, numbers in gaps])


def check_amounts(book: DepartmentBook) -> Iterator[Finding]:
    """Negative amounts, amounts below 1 元, and execution beyond the budget.

    Only cells people type are checked; total rows follow from them, and reporting a total as
    well would say the same thing twice.
    """
    budget = book.budget
    # Nearly every amount is fine, so each line is first given a cheap test; only a line that
    # fails it goes through ``_amount_cells``, which looks up its cells and words the findings.
    for key, what in () if book.projects_only else _typed_rows():
        line = budget.get(key)
        if line is None:
            continue
        a = line.amounts
        initial, adjusted, executed = a.initial, a.adjusted, a.executed
        if initial is None and adjusted is None and executed is None:
            continue  # most rows of a sheet are unused classifications
        if _worth_a_look(a):
            yield from _amount_cells(what, a, line.cells, "")
        if adjusted is not None and executed is not None and executed > adjusted:
            yield _overspent(what, adjusted, executed, line.cells.get("executed"))
    for project in book.projects:
        what = project.name or project.code
        for source, source_label, a in (("total", c.FUND_SOURCES[0][1], project.total), *project.sources()):
            if _worth_a_look(a):
                yield from _amount_cells(what, a, project.cells, source, f"（{source_label}）")
        adjusted, executed = project.total.adjusted, project.total.executed
        if adjusted is not None and executed is not None and executed > adjusted:
            yield _overspent(what, adjusted, executed, project.cells.get("total.executed"))


def _worth_a_look(a: Amounts) -> bool:
    """The cheap test: an amount that is negative, has digits below 元, or is too large to round."""
    for value in (a.initial, a.adjusted, a.executed):
        if value is not None and (value < ZERO or value >= _HUGE or value != value.quantize(YUAN)):
            return True
    return False


@cache
def _typed_rows() -> tuple[tuple[str, str], ...]:
    """(key, how messages name it) of every 收支情况 row people type, in sheet order."""
    return tuple((row.key, f"{row.code} {row.name}" if row.code else row.name)
                 for row in c.budget_rows() if not row.is_total)


def _amount_cells(what, amounts, cells, prefix, suffix="") -> Iterator[Finding]:
    for column, label in COLUMN_LABELS.items():
        value = getattr(amounts, column)
        if value is None:
            continue
        cell = cells.get(f"{prefix}.{column}" if prefix else column)
        if value < 0:
            yield rule("plausibility.negative").finding(cell, what=what, column=label + suffix,
                                                        value=money(value))
        if below_yuan(value):
            yield rule("plausibility.decimals").finding(cell, what=what, column=label + suffix,
                                                        value=format(value, "f"))


def _overspent(what, budget, executed, cell) -> Finding:
    return rule("plausibility.overspent").finding(
        cell, what=what, executed=money(executed), budget=money(budget), diff=money(abs(executed - budget)))


def _gap(rule_id: str, book: DepartmentBook, key: str, gaps: list, **values) -> Finding:
    """One finding for a 收支情况 line that differs in the columns of ``gaps`` ((column key,
    label, that column's numbers) each); it points at the first of them."""
    return rule(rule_id).finding(_cell(book, key, gaps[0][0]),
                                 columns=[(label, numbers) for _, label, numbers in gaps], **values)


def _cell(book: DepartmentBook, key: str, column: str):
    line = book.budget.get(key)
    return line.cells.get(column) if line is not None else None
