"""The county summary as pandas DataFrames, for analysts who go on in Python.

One frame per table of the summary workbook, built from the ``ConsolidationResult`` in memory
(no re-reading of the written file). Column names are the Chinese headers a county accountant
knows from the summary. pandas loads only when a frame is asked for: consolidation needs none.
"""

from __future__ import annotations

from ..core.validation import SEVERITIES
from . import columns
from . import headers as h
from .results import ConsolidationResult

UNIT = columns.headers(columns.UNIT[:2])
DEPARTMENT_COLUMNS = (*UNIT, h.SUPERVISOR, "年度", "预算执行率", h.SCORE, h.GRADE, "评分方案", *SEVERITIES,
                      h.SOURCE_FILE)
# The records' columns as the summary declares them (``columns``): a project's and an
# indicator's every field, a finding's own fields.
PROJECT_COLUMNS = (*UNIT, *columns.headers(columns.PROJECT))
INDICATOR_COLUMNS = (*UNIT, *columns.headers(columns.INDICATOR))
FINDING_KEYS = ("severity", "rule_id", "subject", "message", "location")
FINDING_COLUMNS = (*UNIT, *(col.header for col in columns.FINDING if col.key in FINDING_KEYS))
REJECTED_COLUMNS = (h.FILE, h.CATEGORY, "原因", "请单位", *UNIT)
MISSING_COLUMNS = (*UNIT, h.SUPERVISOR, "说明")
UNLISTED_COLUMNS = (*UNIT, h.SUPERVISOR, h.FILE, "是否纳入汇总", "情况")
RETURN_COLUMNS = (*UNIT, h.SUPERVISOR, "审核结论", "退回原因", *SEVERITIES, "报送文件", h.FEEDBACK_FILE)


def to_frames(result: ConsolidationResult) -> dict:
    """The summary's tables as DataFrames, by name.

    Returns:
        ``{"departments", "projects", "indicators", "findings", "rejected", "missing", "unlisted",
        "returns"}`` (不在名册中的单位, 退回清单) →
        ``pandas.DataFrame``; amounts in 万元 and scores as floats, rates as fractions (0.92).
    """
    import pandas as pd

    departments = [(d.code, d.name, d.supervisor, d.year, _float(d.rate), float(d.score), d.grade or "",
                    d.profile, *(d.count(s) for s in SEVERITIES), d.path) for d in result.departments]
    projects = [(d.code, d.name, *p) for d in result.departments for p in d.projects]
    indicators = [(d.code, d.name, *i) for d in result.departments for i in d.indicators]
    finding_values = [col.value for col in columns.FINDING if col.key in FINDING_KEYS]
    findings = [(d.code, d.name, *[value(i, d.path) for value in finding_values])
                for d in result.departments for i in d.issues]
    rejected = [(r.path, r.category, r.reason, r.request, r.code, r.name) for r in result.rejected]
    missing = [(m.code, m.name, m.supervisor, m.note) for m in result.missing]
    unlisted = [(u.code, u.name, u.supervisor, u.path, u.status, u.note) for u in result.unlisted]
    returns = [(lt.code, lt.name, lt.supervisor, lt.verdict, lt.why, *(lt.count(s) for s in SEVERITIES),
                "；".join(lt.files), lt.file_name) for lt in result.returns]
    tables = {"departments": (departments, DEPARTMENT_COLUMNS), "projects": (projects, PROJECT_COLUMNS),
              "indicators": (indicators, INDICATOR_COLUMNS), "findings": (findings, FINDING_COLUMNS),
              "rejected": (rejected, REJECTED_COLUMNS), "missing": (missing, MISSING_COLUMNS),
              "unlisted": (unlisted, UNLISTED_COLUMNS), "returns": (returns, RETURN_COLUMNS)}
    return {name: pd.DataFrame(rows, columns=list(columns)) for name, (rows, columns) in tables.items()}


def _float(value) -> float | None:
    return None if value is None else float(value)


__all__ = ["to_frames"]
