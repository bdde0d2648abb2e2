"""The 校验结果 sheet as a plan: every finding with a link to its cell."""

from __future__ import annotations

from ..core import contract as c
from ..core.validation import ERROR, HINT, SEVERITIES, WARNING, Finding, rule_label
from .list_sheet import HEADER_ROW, cell_link, list_sheet, put_link
from .plan import NUMBER, SheetPlan

__all__ = ["COLUMNS", "HEADER_ROW", "SEVERITY_STYLES", "cell_link", "findings_sheet"]

# 位置 stays the third column: the next 校验 reads it back from sheets earlier versions wrote.
COLUMNS = ((c.FINDING_NUMBER, 5.0), (c.FINDING_SEVERITY, 8.0), (c.FINDING_LOCATION, 13.0),
           (c.FINDING_RULE_NAME, 16.0), (c.FINDING_MESSAGE, 42.0), (c.FINDING_RULE, 24.0))
SEVERITY_STYLES = {ERROR: "error", WARNING: "warning", HINT: "hint"}


def findings_sheet(findings: list[Finding], *, unit_name: str = "", note: str = "") -> SheetPlan:
    """校验结果: title, a count line, then one row per finding (序号, 严重程度, 位置 as a
    link to the cell, 规则 in Chinese, 说明, 规则编号). ``note`` is appended to the count line (e.g. the profile)."""
    counts = "，".join(f"{s} {sum(1 for f in findings if f.severity == s)} 项" for s in SEVERITIES)
    plan, grid = list_sheet(c.FINDINGS_SHEET, COLUMNS, f"校验结果 — {unit_name}" if unit_name else "校验结果",
                            f"共 {len(findings)} 项：{counts}。{note}")
    if not findings:
        grid.put(0, "未发现问题。", "center", to_col=len(COLUMNS) - 1)
        grid.next()
    for n, f in enumerate(findings, start=1):
        grid.put(0, n, "center", NUMBER)
        grid.put(1, f.severity, SEVERITY_STYLES.get(f.severity, "center"))
        put_link(grid, 2, f.cell)
        grid.put(3, rule_label(f.rule_id), "text")
        grid.put(4, f.message, "text")
        grid.put(5, f.rule_id, "code")
        grid.next()
    grid.finish()
    return plan
