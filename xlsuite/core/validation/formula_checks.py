"""The results the template's formulas left in the file, held to the recomputed scores.

The template scores as the accountant types (``template.formulas``); the batch never trusts
those results and recomputes every score. A result that differs was typed over, or computed by
a template of another profile: the accountant should know that the number they see in Excel is
not the one the county will use.
"""

from __future__ import annotations

import math
from decimal import Decimal

from ..amounts import number
from ..model import DepartmentBook, FormulaResult
from ..profile import Profile
from ..scoring import rules as r
from ..scoring.engine import BookScore, SubjectScore
from .catalogue import rule
from .findings import Finding

_COLUMN_WORDS = {"computed_score": "计算得分", "execution_score": "预算执行得分", "self_score": "自评得分",
                 "self_grade": "自评等级", "department.total": "自评得分", "department.grade": "自评等级"}


def check_formula_results(book: DepartmentBook, profile: Profile, scores: BookScore) -> list[Finding]:
    if not book.formula_results:
        return []
    indicators = {(s.indicator.cells.sheet, s.indicator.cells.row): s
                  for subject in scores.subjects() for s in subject.indicators
                  if getattr(s.indicator.cells, "row", None) is not None}
    by_code: dict[str, list[SubjectScore]] = {}
    for subject in scores.projects:
        by_code.setdefault(subject.code, []).append(subject)
    projects = {}
    for project in book.projects:
        subjects = by_code.get(project.code, [])
        if len(subjects) == 1 and getattr(project.cells, "row", None) is not None:
            projects[project.cells.row] = subjects[0]
    found = []
    for result in book.formula_results:
        expected = _expected(result, indicators, projects, scores)
        if expected is None:
            continue
        what, value = expected
        cached = _cached(result.value, value, profile)
        if cached is not None:
            found.append(rule("indicator.formula_result").finding(
                result.cell, what[0], what=what[1], column=_COLUMN_WORDS[result.key], cached=cached,
                profile=profile.name, value=_shown(value)))
    return found


def _expected(result: FormulaResult, indicators, projects, scores: BookScore):
    """(subject, what) and the recomputed value of ``result``'s cell, or None when nothing was
    recomputed for it (a row the engine does not score)."""
    key = result.key
    if key.startswith("department."):
        d = scores.department
        return (d.code, "部门整体"), d.total if key == "department.total" else (d.grade or "")
    if key == "computed_score":
        s = indicators.get((result.cell.sheet, result.cell.row))
        return None if s is None else ((s.indicator.subject, f"指标“{s.indicator.level3}”"), s.score)
    subject = projects.get(result.cell.row)
    if subject is None:
        return None
    what = (subject.code, f"项目“{subject.code}”")
    if key == "execution_score":
        return what, subject.execution.score
    if key == "self_score":
        return what, subject.total
    return what, subject.grade or ""


def _cached(cached, value, profile: Profile) -> str | None:
    """``cached`` as shown in the message when it differs from ``value``, else None."""
    if isinstance(value, str):
        text = cached.strip() if isinstance(cached, str) else number(Decimal(repr(float(cached))))
        return None if text == value else _shown(text)
    if isinstance(cached, str) or not math.isfinite(cached):
        return None  # the formula's own remark (请核对指标值): the row scores 0 either way
    if r.round_score(Decimal(repr(float(cached))), profile.rules) == value:
        return None
    return _shown(cached)


def _shown(value) -> str:
    if isinstance(value, str):
        return f"“{value}”" if value else "空"
    return number(value if isinstance(value, Decimal) else Decimal(repr(float(value))))
