"""The 得分对照 sheet as a plan: every score the book itself prints beside the engine's, and the
rule that explains a difference (``scoring.reconcile``), as ``xlsuite score`` lists them."""

from __future__ import annotations

from .. import contract as c
from ..scoring.reconcile import Printed, summary
from .list_sheet import HEADER_ROW, list_sheet, put_link
from .plan import NUMBER, SheetPlan

__all__ = ["AGREES", "COLUMNS", "HEADER_ROW", "score_check_sheet"]

COLUMNS = (("序号", 5.0), (c.FINDING_LOCATION, 13.0), ("评价对象", 30.0), ("评分项", 24.0),
           ("文件中的得分", 9.0), ("重新计算的得分", 9.0), ("核对结果", 30.0))
AGREES = "一致"


def score_check_sheet(printed: list[Printed], *, unit_name: str, profile_name: str,
                      names: dict[str, str]) -> SheetPlan:
    """得分对照: title, the summary line, then one row per printed score. ``names`` gives each
    项目编码's 项目名称, shown beside the code."""
    name = c.SCORE_CHECK_SHEET
    plan, grid = list_sheet(name, COLUMNS, f"{name} — {unit_name}" if unit_name else name,
                            summary(printed, profile_name) + "。")
    for n, p in enumerate(printed, start=1):
        grid.put(0, n, "center", NUMBER)
        put_link(grid, 1, p.cell)
        project = names.get(p.subject, "")
        grid.put(2, f"{p.subject} {project}" if project else p.subject, "text")
        grid.put(3, p.what, "text")
        grid.put(4, p.printed, "score", NUMBER)
        grid.put(5, p.engine, "score", NUMBER)
        grid.put(6, AGREES if p.agrees else f"不一致：{p.explanation}", "center" if p.agrees else "warning")
        grid.next()
    grid.finish()
    return plan
