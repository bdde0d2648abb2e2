"""Checks that records are complete: required fields, year and unit code, unique projects,
objects with indicators, and a budget to measure execution against."""

from __future__ import annotations

from collections.abc import Iterator

from .. import contract as c
from ..amounts import line_amount, money
from ..model import DepartmentBook
from .catalogue import rule
from .findings import Finding

YEAR_RANGE = (2000, 2100)
"""Years outside this are typos (a 21 for 2021, an amount in the wrong cell)."""

# Fields with their own rule (year, unit code, indicator weight) are not repeated as "required".
_INFO_REQUIRED = [f for f in c.INFO_FIELDS if f.required and f.key not in ("year", "unit_code")]
# 年初预算数 may be empty: a project added during the year has none, and it then reads as 0.
_PROJECT_REQUIRED = [col for col in c.PROJECT_SHEET_DEF.columns
                     if col.required and col.key != "total.initial"]
_INDICATOR_REQUIRED = [col for col in c.INDICATOR_SHEET_DEF.columns
                       if col.required and col.key != "weight"]
_PROBLEM_REQUIRED = [col for col in c.PROBLEM_SHEET_DEF.columns if col.required]


def check_info(book: DepartmentBook) -> Iterator[Finding]:
    info = book.info
    year_cell = info.cells.get("year")
    if info.year is None:
        yield rule("plausibility.year").finding(year_cell, problem="未填写")
    elif not YEAR_RANGE[0] <= info.year <= YEAR_RANGE[1]:
        yield rule("plausibility.year").finding(
            year_cell, problem=f" {info.year} 不在 {YEAR_RANGE[0]}–{YEAR_RANGE[1]} 之间，请核实")
    if not info.unit_code:
        yield rule("plausibility.unit_code").finding(info.cells.get("unit_code"))
    for f in _INFO_REQUIRED:
        if getattr(info, f.key) in (None, ""):
            yield rule("plausibility.required").finding(info.cells.get(f.key), sheet=c.INFO_SHEET,
                                                        field=f.label, where="")


def check_records(book: DepartmentBook) -> Iterator[Finding]:
    """Required cells of 项目支出, 绩效指标 and 问题与措施, and unique 项目编码."""
    for project in book.projects:
        label = project.name or project.code
        where = f"（项目“{label}”）" if label else ""
        yield from _required(c.PROJECT_SHEET, _PROJECT_REQUIRED, project, where, project.code)
    for indicator in book.indicators:
        where = f"（指标“{indicator.level3}”）" if indicator.level3 else ""
        yield from _required(c.INDICATOR_SHEET, _INDICATOR_REQUIRED, indicator, where, indicator.subject)
    for problem in book.problems:
        yield from _required(c.PROBLEM_SHEET, _PROBLEM_REQUIRED, problem, "", "")
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


def check_coverage(book: DepartmentBook) -> Iterator[Finding]:
    """Every evaluated object has indicators and a budget to measure its execution against."""
    subjects = {i.subject for i in book.indicators}
    if c.WHOLE_DEPARTMENT not in subjects:
        yield rule("plausibility.no_department_indicators").finding(None, c.WHOLE_DEPARTMENT)
    budget = line_amount(book, "structure.total", "adjusted")
    if budget is None or budget <= 0:
        line = book.budget.get("structure.total")
        yield rule("plausibility.no_budget").finding(
            line.cells.get("adjusted") if line else None, c.WHOLE_DEPARTMENT, subject_name="部门整体",
            budget=money(budget), executed=money(line_amount(book, "structure.total", "executed")))
    for project in book.projects:
        name = project.name or project.code
        if project.code and project.code not in subjects:
            yield rule("plausibility.no_indicators").finding(project.cells.get("code"), project.code,
                                                             name=name)
        budget = project.total.adjusted
        if budget is not None and budget <= 0:
            # An empty 全年预算数 is already a missing required field; 0 is its own problem.
            yield rule("plausibility.no_budget").finding(
                project.cells.get("total.adjusted"), project.code, subject_name=f"项目“{name}”",
                budget=money(budget), executed=money(project.total.executed))


def _required(sheet, columns, record, where, subject) -> Iterator[Finding]:
    for col in columns:
        value = _get(record, col.key)
        if value is None or value == "":
            yield rule("plausibility.required").finding(record.cells.get(col.key), subject, sheet=sheet,
                                                        field=col.header, where=where)


def _get(record, key: str):
    """A record's value by column key; ``total.adjusted`` reaches into the ``total`` amounts."""
    if "." in key:
        group, name = key.split(".", 1)
        return getattr(getattr(record, group), name)
    return getattr(record, key)
