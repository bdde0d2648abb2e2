"""The report's appendix: the official forms, exactly as ``xlsuite score`` lays them out.

The forms are built once, as writer-agnostic sheet plans, by ``xlsuite.forms.official``; the
report only chooses which of them it appends (``docx_plan`` draws them in Word). Pure: no Word.
"""

from __future__ import annotations

from ..forms.official import NATIONAL_LAYOUT, department_form, project_forms
from ..forms.plan import SheetPlan
from ..model import DepartmentBook
from ..profile import FormLayout
from ..scoring import BookScore


def appendix_forms(book: DepartmentBook, scores: BookScore,
                   layout: FormLayout = NATIONAL_LAYOUT) -> tuple[SheetPlan, ...]:
    """部门整体支出绩效自评表, then 项目支出绩效自评表 (one form a page) when there are projects,
    laid out as the profile's ``forms`` ask."""
    if not book.projects:
        return (department_form(book, scores, layout),)
    return department_form(book, scores, layout), project_forms(book, scores, layout)
