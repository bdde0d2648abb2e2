"""Generated sheets (the official forms, 校验结果) as writer-agnostic plans.

``plan`` defines the data (``SheetPlan``, ``PlanCell``, ``STYLES``); ``official`` and
``findings`` build plans from a book and its scores; ``values`` gives the cell values written
into existing sheets; ``writer`` is the interface every plan writer implements. None of these
imports an Excel library. Writers apply plans: ``xlsx_writer`` (openpyxl, files) — import it
explicitly; ``score_workbook`` in
``scored_book`` is the file-level ``xlsuite score``.
"""

from .findings import cell_link, findings_sheet
from .official import department_form, project_forms
from .plan import FORMULA, KINDS, NUMBER, STYLES, TEXT, Merge, PlanCell, SheetPlan, StyleSpec
from .values import indicator_scores, score_stamp

__all__ = ["SheetPlan", "PlanCell", "StyleSpec", "Merge", "STYLES", "KINDS", "TEXT", "NUMBER",
           "FORMULA", "department_form", "project_forms", "findings_sheet", "cell_link",
           "indicator_scores", "score_stamp"]
