"""The county summary as pandas DataFrames, for analysts who go on in Python.

One frame per table of the summary workbook, built from the ``ConsolidationResult`` in memory
(no re-reading of the written file). Column names are the Chinese headers a county accountant
knows from the summary. pandas loads only when a frame is asked for: consolidation needs none.
"""

from __future__ import annotations

from .consolidation import ConsolidationResult

DEPARTMENT_COLUMNS = ("单位编码", "单位名称", "主管部门", "年度", "预算执行率", "自评得分", "等级", "评分方案",
                      "错误", "警告", "提示", "文件")
PROJECT_COLUMNS = ("单位编码", "单位名称", "项目编码", "项目名称", "实施单位", "全年预算数", "全年执行数",
                   "预算执行率", "自评得分", "等级")
INDICATOR_COLUMNS = ("单位编码", "单位名称", "评价对象", "对象名称", "一级指标", "二级指标", "三级指标", "方向",
                     "年度指标值", "计量单位", "实际完成值", "定性等级", "分值", "得分", "文件中的得分", "计分说明")
FINDING_COLUMNS = ("单位编码", "单位名称", "严重程度", "规则编号", "评价对象", "问题说明", "位置")
REJECTED_COLUMNS = ("文件", "类别", "原因", "请单位", "单位编码", "单位名称")
MISSING_COLUMNS = ("单位编码", "单位名称", "主管部门", "说明")


def to_frames(result: ConsolidationResult) -> dict:
    """The summary's tables as DataFrames, by name.

    Returns:
        ``{"departments", "projects", "indicators", "findings", "rejected", "missing"}`` →
        ``pandas.DataFrame``; amounts in 万元 and scores as floats, rates as fractions (0.92).
    """
    import pandas as pd

    severities = ("错误", "警告", "提示")
    departments = [(d.code, d.name, d.supervisor, d.year, _float(d.rate), float(d.score), d.grade or "",
                    d.profile, *(d.count(s) for s in severities), d.path) for d in result.departments]
    projects = [(d.code, d.name, *p) for d in result.departments for p in d.projects]
    indicators = [(d.code, d.name, *i) for d in result.departments for i in d.indicators]
    findings = [(d.code, d.name, i.severity, i.rule_id, i.subject, i.message, i.location)
                for d in result.departments for i in d.issues]
    rejected = [(r.path, r.category, r.reason, r.request, r.code, r.name) for r in result.rejected]
    missing = [(m.code, m.name, m.supervisor, m.note) for m in result.missing]
    tables = {"departments": (departments, DEPARTMENT_COLUMNS), "projects": (projects, PROJECT_COLUMNS),
              "indicators": (indicators, INDICATOR_COLUMNS), "findings": (findings, FINDING_COLUMNS),
              "rejected": (rejected, REJECTED_COLUMNS), "missing": (missing, MISSING_COLUMNS)}
    return {name: pd.DataFrame(rows, columns=list(columns)) for name, (rows, columns) in tables.items()}


def _float(value) -> float | None:
    return None if value is None else float(value)


__all__ = ["to_frames"]
