"""Read a county summary workbook (written by ``xlsuite consolidate``) for the county report.

Sheets are found by name and columns by their header text (``xlsuite.county.headers``, the
definitions the summary writer uses), never by fixed coordinates, so a summary a person has
re-sorted, filtered or widened still reads. calamine reads the cached values the writer stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.errors import InputError
from ..county import headers as h
from ..county.results import SKIPPED
from ..county.summary_reader import about as summary_about
from ..county.summary_reader import read_sheets, records
from ..county.summary_reader import table as _table
from .wording import score

LEGACY_UNGRADED = "未评级"
"""等级分布's label for ungraded departments in summaries written before #28."""
NEEDED = (h.ABOUT, h.DEPARTMENTS, h.PROJECTS, h.FINDINGS, h.REJECTED, h.MISSING, h.GRADES)


@dataclass(frozen=True)
class Scored:
    """A department or project with its score, as the summary lists it."""

    name: str
    unit: str
    """The department (for a department: its 主管部门)."""
    score: Decimal
    grade: str
    """Empty when no grade was given (no indicators)."""
    budget: Decimal = Decimal(0)
    """万元: a department's 支出预算数, a project's 全年预算数."""
    spent: Decimal = Decimal(0)
    """万元: a department's 支出合计 (全年执行数), a project's 全年执行数."""
    project_spent: Decimal = Decimal(0)
    """万元: a department's 项目支出 (执行数); 0 for a project."""


@dataclass
class CountySummary:
    """What the county report says, as read from the summary workbook.

    Attributes:
        county, year: from 汇总说明 (``year`` is ``""`` when the summary has none).
        departments: the included departments, in the summary's order.
        projects: every project of the included departments.
        rejected: 类别 of every file left out (skipped files such as lock files not counted).
        roster_given: whether the consolidation had a roster to check against.
        missing: names of roster units without an included workbook.
        grades: the grade distribution of 等级分布, in its order, with zero counts; the
            ungraded count under ``xlsuite.county.headers.UNGRADED``.
        findings: ``(rule id, severity, 单位编码)`` of every finding.
    """

    county: str
    year: str
    departments: list[Scored] = field(default_factory=list)
    projects: list[Scored] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    roster_given: bool = False
    missing: list[str] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=dict)
    findings: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        """Workbook files received: every one is either included or left out with a reason."""
        return len(self.departments) + len(self.rejected)

    def rule_counts(self) -> list[tuple[str, int, int]]:
        """``(rule id, findings, departments)`` most frequent first (ties by rule id)."""
        counts = Counter(rule for rule, _, _ in self.findings)
        units = {rule: len({code for r, _, code in self.findings if r == rule}) for rule in counts}
        return sorted(((rule, n, units[rule]) for rule, n in counts.items()), key=lambda x: (-x[1], x[0]))


def read_county_summary(path: str | Path) -> CountySummary:
    """Read the summary workbook at ``path``.

    Raises:
        InputError: the file is not a readable workbook.
        ContractError: it is not a summary written by ``xlsuite consolidate`` (a sheet or a
            column is missing); the message names what is missing.
    """
    path = Path(path)
    return _parse(path, read_sheets(path, NEEDED))


def _parse(path: Path, grids: dict[str, list[list]]) -> CountySummary:
    about = summary_about(grids)
    summary = CountySummary(county=about.get(h.ABOUT_COUNTY, ""), year=about.get(h.ABOUT_YEAR, ""))
    summary.roster_given = about.get(h.ABOUT_ROSTER, h.NO_ROSTER) != h.NO_ROSTER
    for row in _table(path, grids, h.DEPARTMENTS, h.UNIT_CODE, h.UNIT_NAME, h.SUPERVISOR, h.SCORE, h.GRADE,
                      h.BUDGET_TOTAL, h.SPENT_TOTAL, h.PROJECT_SPENT):
        if row[h.UNIT_CODE]:  # subtotal and total rows have no 单位编码
            summary.departments.append(Scored(row[h.UNIT_NAME], row[h.SUPERVISOR], _score(row[h.SCORE]),
                                              _grade(row[h.GRADE]), _score(row[h.BUDGET_TOTAL]),
                                              _score(row[h.SPENT_TOTAL]), _score(row[h.PROJECT_SPENT])))
    for row in records(path, grids, h.PROJECTS, "unit_code", "unit_name", "name", "score", "grade", "budget",
                       "executed"):
        if row["unit_code"]:
            summary.projects.append(Scored(row["name"], row["unit_name"], _score(row["score"]), _grade(row["grade"]),
                                           _score(row["budget"]), _score(row["executed"])))
    summary.findings = [(row[h.RULE_ID], row[h.SEVERITY], row[h.UNIT_CODE])
                        for row in _table(path, grids, h.FINDINGS, h.UNIT_CODE, h.SEVERITY, h.RULE_ID)
                        if row[h.RULE_ID]]
    summary.rejected = [row[h.CATEGORY] for row in _table(path, grids, h.REJECTED, h.FILE, h.CATEGORY)
                        if row[h.FILE] and row[h.CATEGORY] != SKIPPED]
    summary.missing = [row[h.UNIT_NAME] or row[h.UNIT_CODE]
                       for row in _table(path, grids, h.MISSING, h.UNIT_CODE, h.UNIT_NAME)
                       if row[h.UNIT_CODE] or row[h.UNIT_NAME]]
    for row in _table(path, grids, h.GRADES, h.GRADE, h.UNIT_COUNT):
        if row[h.GRADE] == h.TOTAL:
            break  # the grade table ends at its 合计 row; the execution-rate table follows
        if row[h.GRADE]:
            grade = h.UNGRADED if row[h.GRADE] == LEGACY_UNGRADED else row[h.GRADE]
            summary.grades[grade] = int(_score(row[h.UNIT_COUNT] or 0))
    return summary


def _grade(text: str) -> str:
    """A grade as written; 未评定（无指标） (no indicators, no grade) reads as none."""
    return "" if text == h.NOT_RATED else text


def _score(text: str) -> Decimal:
    """A score or count as written (the summary stores two-decimal scores as numbers)."""
    try:
        return score(Decimal(text or "0"))
    except ArithmeticError:
        raise InputError(None, f"汇总表中的得分“{text}”不是数字") from None
