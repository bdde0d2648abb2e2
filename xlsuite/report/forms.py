"""The report's appendix: the official forms, exactly as ``xlsuite score`` lays them out.

The forms are built once, as writer-agnostic sheet plans, by ``xlsuite.forms.official``; the
report only chooses which of them it appends (``docx_plan`` draws them in Word). Pure: no Word.
"""

from __future__ import annotations

from ..forms.official import department_form, project_forms
from ..forms.plan import SheetPlan
from ..model import DepartmentBook
from ..scoring import BookScore


def appendix_forms(book: DepartmentBook, scores: BookScore) -> tuple[SheetPlan, ...]:
    """部门整体支出绩效自评表, then 项目支出绩效自评表 (one form a page) when there are projects."""
    if not book.projects:
        return (department_form(book, scores),)
    return department_form(book, scores), project_forms(book, scores)
