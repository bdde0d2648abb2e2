"""Checks that records are complete: required fields, year and unit code, unique projects,
objects with indicators, and a budget to measure execution against."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from .. import contract as c
from ..amounts import LineAmounts, line_amounts, with_unit
from ..model import DepartmentBook
from ..profile import Profile
from ..scoring.rules import execution_budget, execution_column
from .catalogue import rule
from .findings import Finding

YEAR_RANGE = (2000, 2100)
"""Years outside this are typos (a 21 for 2021, an amount in the wrong cell)."""

# Fields with their own rule (year, unit code, indicator weight) are not repeated as "required".
_INFO_REQUIRED = [f for f in c.INFO_FIELDS if f.required and f.key not in ("year", "unit_code")]


def _required_columns(sheet: c.TableSheet, *skip: str):
    """The required columns of ``sheet``, and a getter of a record's values in those columns
    as a tuple (``total.adjusted`` reaches into the ``total`` amounts). Made once: every record
    of every book in a batch goes through it, and one call reads them all."""
    columns = tuple(col for col in sheet.columns if col.required and col.key not in skip)
    if len(columns) > 1:
        return columns, attrgetter(*(col.key for col in columns))
    # attrgetter of one name gives the value itself, not a 1-tuple (and of none, an error).
    get = attrgetter(columns[0].key) if columns else None
    return columns, lambda record: (get(record),) if get else ()


# 年初预算数 may be empty: a project added during the year has none, and it then reads as 0.
_PROJECT_REQUIRED = _required_columns(c.PROJECT_SHEET_DEF, "total.initial")
_INDICATOR_REQUIRED = _required_columns(c.INDICATOR_SHEET_DEF, "weight")
_PROBLEM_REQUIRED = _required_columns(c.PROBLEM_SHEET_DEF)
_WORK_REQUIRED = _required_columns(c.WORK_SHEET_DEF)


def check_hidden_characters(book: DepartmentBook) -> Iterator[Finding]:
    """Each cell whose text held control characters, shown as the reader kept them."""
    for cell, shown in book.hidden_characters:
        yield rule("plausibility.hidden_characters").finding(cell, shown=shown)


def check_info(book: DepartmentBook) -> Iterator[Finding]:
    info = book.info
    year_cell = info.cells.get("year")
    noted = _noted(book)
    if info.year is None and year_cell in noted:
        pass  # text where the year belongs: reported as such (plausibility.text_in_number)
    elif info.year is None:
        yield rule("plausibility.year").finding(year_cell, problem="未填写")
    elif not YEAR_RANGE[0] <= info.year <= YEAR_RANGE[1]:
        yield rule("plausibility.year").finding(
            year_cell, problem=f" {info.year} 不在 {YEAR_RANGE[0]}–{YEAR_RANGE[1]} 之间，请核实")
    if not info.unit_code:
        yield rule("plausibility.unit_code").finding(info.cells.get("unit_code"))
    if info.scope and info.scope not in c.SCOPES:
        yield rule("plausibility.scope").finding(info.cells.get("scope"), value=info.scope,
                                                 allowed=" 或 ".join(c.SCOPES))
    for f in _INFO_REQUIRED:
        if getattr(info, f.key) in (None, ""):
            yield rule("plausibility.required").finding(info.cells.get(f.key), sheet=c.INFO_SHEET,
                                                        field=f.label, where="")
    # The template's input check stops a negative count in Excel; a book from elsewhere may hold one.
    for f in c.COUNT_FIELDS:
        value = getattr(info, f.key)
        if value is not None and value < 0:
            yield rule("plausibility.count").finding(info.cells.get(f.key), field=f.label, value=value)
    yield from _staff_sums(info)


def _staff_sums(info) -> Iterator[Finding]:
    """A staff total against its kinds, where they must agree: every kind filled, or the kinds
    already more than the total. Some kinds left blank may simply be unstated (a unit giving its
    行政编制 only), so a sum short of the total is then no contradiction."""
    for total_key, kinds in c.STAFF_KINDS.items():
        total = getattr(info, total_key)
        values = [getattr(info, key) for key in kinds]
        given = [v for v in values if v is not None]
        if total is None or not given:
            continue
        parts = sum(given)
        if parts > total or (len(given) == len(values) and parts != total):
            labels = [c.info_field(key).label for key, v in zip(kinds, values, strict=True) if v is not None]
            yield rule("plausibility.staff_sum").finding(
                info.cells.get(total_key), total_label=c.info_field(total_key).label, total=total, parts=parts,
                kinds="、".join(labels) + ("之和" if len(labels) > 1 else ""))


def check_records(book: DepartmentBook) -> Iterator[Finding]:
    """Required cells of 项目支出, 绩效指标 and 问题与措施, and unique 项目编码."""
    # Nearly every record is complete: test all of its values at once, and only for a record
    # with a gap go column by column.
    noted = _noted(book)
    columns, get = _PROJECT_REQUIRED
    for project in book.projects:
        values = get(project)
        if None in values or "" in values:
            label = project.name or project.code
            where = f"（项目“{label}”）" if label else ""
            yield from _required(c.PROJECT_SHEET, columns, values, project, where, project.code, noted)
    columns, get = _INDICATOR_REQUIRED
    for indicator in book.indicators:
        values = get(indicator)
        if None in values or "" in values:
            where = f"（指标“{indicator.level3}”）" if indicator.level3 else ""
            yield from _required(c.INDICATOR_SHEET, columns, values, indicator, where, indicator.subject, noted)
    columns, get = _PROBLEM_REQUIRED
    codes = {p.code for p in book.projects if p.code}
    for problem in book.problems:
        values = get(problem)
        if (None in values or "" in values) and not problem.conclusion:
            yield from _required(c.PROBLEM_SHEET, columns, values, problem, "", problem.subject, noted)
        if problem.subject and problem.subject != c.WHOLE_DEPARTMENT and problem.subject not in codes:
            yield rule("plausibility.problem_subject").finding(problem.cells.get("subject"), problem.subject,
                                                               subject=problem.subject)
    columns, get = _WORK_REQUIRED
    for item in book.work:
        values = get(item)
        if None in values or "" in values:
            yield from _required(c.WORK_SHEET, columns, values, item, "", "", noted)
    first_seen = {}
    for project in book.projects:
        if not project.code:
            continue
        if project.code in first_seen:
            other = first_seen[project.code]
            yield rule("plausibility.duplicate_project").finding(
                project.cells.get("code"), project.code, code=project.code,
                other=str(other) if other is not None else "上文")
        else:
            first_seen[project.code] = project.cells.get("code")


def check_coverage(book: DepartmentBook, amounts: dict[str, LineAmounts] | None,
                   profile: Profile) -> Iterator[Finding]:
    """Every evaluated object has indicators and a budget to measure its execution against.

    Args:
        amounts: ``line_amounts(book)``, when the caller has it already.
        profile: the scoring profile, whose ``[execution] denominator`` says which budget the
            rate divides by (全年预算数 by default, 年初预算数 where it says ``initial``): only a
            missing denominator leaves the execution rate unscored.
    """
    rules = profile.rules.execution
    column = next(col for col in c.AMOUNT_COLUMNS if col.key == execution_column(rules))
    subjects = {i.subject for i in book.indicators}
    department = not book.projects_only  # 填报范围 仅项目: no department-level evaluation
    if department and c.WHOLE_DEPARTMENT not in subjects:
        yield rule("plausibility.no_department_indicators").finding(None, c.WHOLE_DEPARTMENT)
    initial, adjusted, executed = (line_amounts(book) if amounts is None else amounts)[c.STRUCTURE_TOTAL]
    budget = execution_budget(initial, adjusted, rules)
    if department and (budget is None or budget <= 0):
        line = book.budget.get(c.STRUCTURE_TOTAL)
        yield rule("plausibility.no_budget").finding(
            line.cells.get(column.key) if line else None, c.WHOLE_DEPARTMENT, subject_name=c.WHOLE_DEPARTMENT,
            budget_label=column.header, budget=with_unit(budget), executed=with_unit(executed))
    for project in book.projects:
        name = project.name or project.code
        if project.code and project.code not in subjects:
            yield rule("plausibility.no_indicators").finding(project.cells.get("code"), project.code,
                                                             name=name)
        budget = getattr(project.total, column.key)
        if budget is not None and budget <= 0:
            # An empty 全年预算数 is already a missing required field; 0 is its own problem.
            # (An empty 年初预算数 reads as 0: a project added during the year has none.)
            yield rule("plausibility.no_budget").finding(
                project.cells.get(f"total.{column.key}"), project.code, subject_name=f"项目“{name}”",
                budget_label=column.header, budget=with_unit(budget),
                executed=with_unit(project.total.executed))


def _noted(book: DepartmentBook) -> frozenset:
    """Cells read as empty because they hold text where a number belongs: each is reported once,
    as that (``plausibility.text_in_number``), not again as an empty required field."""
    return frozenset(note.cell for note in book.cell_notes)


def _required(sheet, columns, values, record, where, subject, noted=frozenset()) -> Iterator[Finding]:
    for col, value in zip(columns, values, strict=True):
        if (value is None or value == "") and record.cells.get(col.key) not in noted:
            yield rule("plausibility.required").finding(record.cells.get(col.key), subject, sheet=sheet,
                                                        field=col.header, where=where)
