"""The report's appendix: the official forms, exactly as ``xlsuite score`` lays them out.

The forms are built once, as writer-agnostic sheet plans, by ``xlsuite.forms.official``; the
report only chooses which of them it appends (``docx_plan`` draws them in Word). Pure: no Word.
"""

from __future__ import annotations

from ..core.model import DepartmentBook
from ..core.profile import FormLayout
from ..core.scoring import BookScore
from ..forms.official import NATIONAL_LAYOUT, official_forms
from ..forms.plan import SheetPlan


def appendix_forms(book: DepartmentBook, scores: BookScore,
                   layout: FormLayout = NATIONAL_LAYOUT) -> tuple[SheetPlan, ...]:
    """部门整体支出绩效自评表 (unless 仅项目), then 项目支出绩效自评表 (one form a page) when there are
    projects, laid out as the profile's ``forms`` ask."""
    forms = official_forms(book, scores, layout)
    return forms if book.projects else forms[:-1]
