"""The columns of the summary's tables, each declared once: its key, header, kind, width and value.

Everything else about a column is derived from these declarations: the summary's header row,
column widths, number formats and wrapped columns, the cells of a row and what the total rows add
up (``summary``), the records a worker sends back (``results.ProjectRow`` and the indicator rows,
built by ``collect.summarise``, kept in the store as they are), ``to_frames``' columns (``frames``)
and the columns a reader looks for (``summary_reader.records``). Adding a column is one entry
here. (The class sheets' columns are the contract's classes; the other sheets list files and
units, not departments' records.)

A column's ``value`` says where its cells come from, with the arguments of its table:

- ``UNIT``: ``value(department)``, the ``results.Department`` record;
- ``DEPARTMENT``, ``SANGONG``: ``value(department, shown)``, the record and its file as the
  summary shows it;
- ``PROJECT``: ``value(project, score)``, the book's ``model.Project`` and its ``SubjectScore``,
  in the worker that read the book; the record (``ProjectRow``) keeps the values;
- ``INDICATOR``: ``value(score, subject_name)``, an ``IndicatorScore`` and the name of what it
  evaluates (部门整体 or the project's name), likewise in the worker;
- ``FINDING``: ``value(issue, shown)``, a ``results.Issue`` and the department's file as shown.

Values should pickle (module functions, ``functools.partial`` of one, ``operator.attrgetter``):
under a start method other than fork a worker is a fresh interpreter handed the layouts that hold
them. This module imports only the core, ``layout`` and ``headers``, so the records' module
(``results``) may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from operator import attrgetter

from ..core import contract as c
from ..core.validation import ERROR, WARNING, rule_label
from ..core.validation.catalogue import LONGEST_ID
from ..layout import style, textwidth
from . import headers as h

MONEY, RATE, SCORE, INT, TEXT = "money", "rate", "score", "int", "text"
"""A column's kind: its number format (``sheet.Formats``) and whether its text is measured."""


@dataclass(frozen=True)
class SummaryColumn:
    key: str
    """The column's name in code: a record's field, a reader's key."""
    header: str
    kind: str = TEXT
    width: float = 12
    """The column's width in characters (an unwrapped text column grows to fit its widest value)."""
    value: Callable | None = None
    """Where its cells come from (see the module's doc); None for a column the sheet computes."""
    wrap: bool = False
    """Its text wraps (the row grows) rather than widening the column."""
    total: bool = False
    """Its total rows add it up (a 部门自评汇总 amount or count)."""


def keys(columns: tuple[SummaryColumn, ...]) -> tuple[str, ...]:
    return tuple(col.key for col in columns)


def headers(columns: tuple[SummaryColumn, ...]) -> tuple[str, ...]:
    return tuple(col.header for col in columns)


def position(columns, key: str) -> int:
    """The position of the column ``key`` among ``columns``."""
    return keys(columns).index(key)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _shown(value: Decimal | str | None) -> float | str | None:
    """An indicator target or actual for display: a number as float, a text as it is."""
    return float(value) if isinstance(value, Decimal) else value


# --- the unit columns that lead most tables ---------------------------------------------------

UNIT = (SummaryColumn("unit_code", h.UNIT_CODE, TEXT, 11, attrgetter("code")),
        SummaryColumn("unit_name", h.UNIT_NAME, TEXT, 30, attrgetter("name")),
        SummaryColumn("supervisor", h.SUPERVISOR, TEXT, 26, attrgetter("supervisor")))


# --- 部门自评汇总: a department's row, after the unit columns ----------------------------------

DEPT_AMOUNTS = ((h.BUDGET_TOTAL, c.STRUCTURE_TOTAL, 0), ("收入合计", c.INCOME_TOTAL, 1),
                ("财政拨款", c.FISCAL_INCOME, 1), (h.SPENT_TOTAL, c.STRUCTURE_TOTAL, 1),
                ("基本支出", c.BASIC_SPENDING, 1), (h.PROJECT_SPENT, c.PROJECT_SPENDING, 1))
"""The amount columns: (header, contract key, 0 全年预算数 / 1 全年执行数)."""

EXECUTION_RATE = "预算执行率"
ERRORS, WARNINGS = f"{ERROR}数", f"{WARNING}数"


def _amount(key: str, i: int, d, shown):
    return d.amounts[key][i]


def _project_count(d, shown):
    return len(d.projects)


def score_and_grade(score, grade: str | None) -> tuple:
    """(自评得分, 等级) as the summary shows them: no indicators, no score (the execution rate's
    alone would stand among full scores as if it were one) and 未评定（无指标） for the grade."""
    return (score, grade) if grade else (None, h.NOT_RATED)


def _dept_score(d, shown):
    return score_and_grade(d.score, d.grade)[0]


def _dept_grade(d, shown):
    return score_and_grade(d.score, d.grade)[1]


def _errors(d, shown):
    return d.count(ERROR)


def _warnings(d, shown):
    return d.count(WARNING)


def _source_file(d, shown):
    return shown


DEPARTMENT = (
    *(SummaryColumn(f"{key}.{('budget', 'executed')[i]}", header, MONEY, 12, partial(_amount, key, i), total=True)
      for header, key, i in DEPT_AMOUNTS),
    SummaryColumn("rate", EXECUTION_RATE, RATE, 10),  # the sheet: its row's formula
    SummaryColumn("project_count", "项目数", INT, 7, _project_count, total=True),
    SummaryColumn("score", h.SCORE, SCORE, 9, _dept_score),  # total rows: the mean
    SummaryColumn("grade", h.GRADE, TEXT, 6, _dept_grade),
    SummaryColumn("errors", ERRORS, INT, 7, _errors, total=True),
    SummaryColumn("warnings", WARNINGS, INT, 7, _warnings, total=True),
    SummaryColumn("source", h.SOURCE_FILE, TEXT, 40, _source_file, wrap=True),
)


# --- 三公经费汇总: a department's row, after the unit columns ------------------------------------

SANGONG_PARTS = tuple(r for r in c.budget_rows() if r.key.startswith(c.SANGONG + ".") and not r.is_total)
CONTROLLED = tuple(r for r in c.budget_rows() if r.key.startswith(c.CONTROLLED + "."))


def _budgeted(key: str, d, shown):
    return d.budgeted(key)


def _executed(key: str, d, shown):
    return d.executed(key)


SANGONG = (
    SummaryColumn("sangong.budget", "三公经费预算数", MONEY, 12, partial(_budgeted, c.SANGONG_TOTAL), total=True),
    *(SummaryColumn(r.key, r.name, MONEY, 12, partial(_executed, r.key), total=True) for r in SANGONG_PARTS),
    SummaryColumn("sangong.sum", "三公经费合计", MONEY, 12, total=True),  # the sheet: the sum of the parts before it
    *(SummaryColumn(r.key, r.name, MONEY, 10, partial(_executed, r.key), total=True) for r in CONTROLLED),
)
"""``value(department, shown)`` as ``DEPARTMENT``'s; every column is added up in the total row."""


# --- 项目自评汇总: a project's record, after the unit columns ----------------------------------

def _project_header(key: str) -> str:
    # Columns that show what a book's own column holds are headed as the workbook contract heads it.
    return c.PROJECT_SHEET_DEF.column(key).header


def _project_field(key: str, p, s):
    return getattr(p, key)


def _of_project(key: str) -> Callable:
    """``value(project, score)``: the book's own project field ``key``."""
    return partial(_project_field, key)


def _project_budget(p, s):
    return _float(s.execution.budget)


def _project_executed(p, s):
    return _float(s.execution.executed)


def _project_rate(p, s):
    return _float(s.execution.rate)


def _project_score(p, s):
    return float(s.total)


def _project_grade(p, s):
    return s.grade or ""


PROJECT = (
    SummaryColumn("code", _project_header("code"), TEXT, 16, _of_project("code")),
    SummaryColumn("name", h.PROJECT_NAME, TEXT, 36, _of_project("name"), wrap=True),
    SummaryColumn("implementer", _project_header("implementer"), TEXT, 20, _of_project("implementer")),
    SummaryColumn("budget", h.PROJECT_BUDGET, MONEY, 12, _project_budget),
    SummaryColumn("executed", h.PROJECT_EXECUTED, MONEY, 12, _project_executed),
    SummaryColumn("rate", EXECUTION_RATE, RATE, 10, _project_rate),  # the sheet: its row's formula
    SummaryColumn("score", h.SCORE, SCORE, 9, _project_score),
    SummaryColumn("grade", h.GRADE, TEXT, 6, _project_grade),
)
"""A project as 项目自评汇总 shows it and ``ProjectRow`` keeps it (amounts in 万元 as floats:
display values; the scoring itself ran on ``Decimal``)."""


# --- 绩效指标明细: an indicator's row, after 单位编码 and 单位名称 ----------------------------------

def _indicator_header(key: str) -> str:
    return c.INDICATOR_SHEET_DEF.column(key).header


def _indicator_field(key: str, s, name):
    return getattr(s.indicator, key)


def _of_indicator(key: str) -> Callable:
    """``value(score, name)``: the book's own indicator field ``key``."""
    return partial(_indicator_field, key)


def _subject_name(s, name):
    return name


def _target(s, name):
    return _shown(s.indicator.target)


def _actual(s, name):
    return _shown(s.indicator.actual)


def _weight(s, name):
    return _float(s.indicator.weight)


def _score(s, name):
    return float(s.score)


def _reported(s, name):
    return _float(s.indicator.score)


def _note(s, name):
    return s.note


def _indicator(key: str, kind: str, width: float, value: Callable | None = None, wrap: bool = False):
    return SummaryColumn(key, _indicator_header(key), kind, width, value or _of_indicator(key), wrap)


INDICATOR = (
    _indicator("subject", TEXT, 16),
    SummaryColumn("subject_name", "对象名称", TEXT, 22, _subject_name, wrap=True),
    _indicator("level1", TEXT, 10),
    _indicator("level2", TEXT, 12),
    _indicator("level3", TEXT, 26, wrap=True),
    _indicator("direction", TEXT, 6),
    _indicator("target", SCORE, 10, _target),
    _indicator("unit", TEXT, 8),
    _indicator("actual", SCORE, 10, _actual),
    _indicator("grade", TEXT, 9),
    _indicator("weight", SCORE, 7, _weight),
    _indicator("score", SCORE, 7, _score),  # recomputed by the engine under the county's profile
    SummaryColumn("reported", "文件中的得分", SCORE, 9, _reported),  # never trusted: a difference is a finding
    SummaryColumn("note", "计分说明", TEXT, 30, _note),
)
"""An indicator as 绩效指标明细 shows it and ``Department.indicators`` keeps it (numbers as
floats: display values)."""


# --- 审核问题清单: a finding's row, after the unit columns -------------------------------------

def _rule_name(issue, shown):
    return rule_label(issue.rule_id)


def _source(issue, shown):
    return shown


def _issue_field(key: str, issue, shown):
    return getattr(issue, key)


def _of_issue(key: str) -> Callable:
    """``value(issue, shown)``: the finding's own field ``key``."""
    return partial(_issue_field, key)


FINDING = (
    SummaryColumn("severity", h.SEVERITY, TEXT, 8, _of_issue("severity")),
    # 规则 (the Chinese label) for the reader, 规则编号 for reference; the id's column holds the
    # longest id on one line (the column does not wrap, a too narrow one would cut it).
    SummaryColumn("rule_name", h.RULE_NAME, TEXT, 18, _rule_name),
    SummaryColumn("rule_id", h.RULE_ID, TEXT, textwidth.unbroken_width([LONGEST_ID], style.CELL["font_size"]),
                  _of_issue("rule_id")),
    SummaryColumn("subject", h.SUBJECT, TEXT, 16, _of_issue("subject")),
    SummaryColumn("message", h.FINDING_MESSAGE, TEXT, 60, _of_issue("message"), wrap=True),
    SummaryColumn("location", h.LOCATION, TEXT, 14, _of_issue("location")),
    SummaryColumn("source", h.SOURCE_FILE, TEXT, 30, _source, wrap=True),
)


# --- the tables, as their sheets lay the columns out -------------------------------------------

TABLES = {
    h.DEPARTMENTS: (*UNIT, *DEPARTMENT),
    h.SANGONG: (*UNIT, *SANGONG),
    h.PROJECTS: (*UNIT, *PROJECT),
    # 单位名称 narrower than elsewhere: the sheet is wide; no 主管部门 (the unit's own rows say it).
    h.INDICATORS: (UNIT[0], replace(UNIT[1], width=22), *INDICATOR),
    h.FINDINGS: (*UNIT, *FINDING),
}
"""Sheet name → its columns, in order (``summary`` writes them, ``summary_reader.records`` reads
them back)."""
