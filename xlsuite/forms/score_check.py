"""The 得分对照 sheet as a plan: every score the book itself prints beside the engine's, and the
rule that explains a difference (``scoring.reconcile``), as ``xlsuite score`` lists them."""

from __future__ import annotations

from ..core import contract as c
from ..core.amounts import number
from ..core.scoring.reconcile import Printed, PrintedTotal, summary
from .list_sheet import HEADER_ROW, list_sheet, put_link
from .plan import NUMBER, SheetPlan

__all__ = ["AGREES", "COLUMNS", "HEADER_ROW", "score_check_sheet"]

COLUMNS = (("序号", 5.0), (c.FINDING_LOCATION, 13.0), ("评价对象", 30.0), ("评分项", 24.0),
           ("文件中的得分", 9.0), ("重新计算的得分", 9.0), ("核对结果", 30.0))
AGREES = "一致"
TOTAL = "自评得分合计"
"""评分项 of a subject's total row: the sum the unit reports (实得98分) beside the engine's total."""


def score_check_sheet(printed: list[Printed], *, unit_name: str, profile_name: str,
                      names: dict[str, str], totals: list[PrintedTotal] = ()) -> SheetPlan:
    """得分对照: title, the summary line, one row per subject total the book prints (``totals``:
    the unit's 实得 against the engine's, first, as that is the number a reader looks for), then
    one row per printed score. ``names`` gives each 项目编码's 项目名称, shown beside the code."""
    name = c.SCORE_CHECK_SHEET
    plan, grid = list_sheet(name, COLUMNS, f"{name} — {unit_name}" if unit_name else name,
                            summary(printed, profile_name) + "。")
    n = 0
    for t in totals:
        n += 1
        grid.put(0, n, "center", NUMBER)
        put_link(grid, 1, None)
        grid.put(2, _subject(t.subject, names), "text")
        grid.put(3, f"{TOTAL}（指标 {number(t.indicators)} + 预算执行率 {number(t.execution)}）", "text")
        grid.put(4, t.printed, "score", NUMBER)
        grid.put(5, t.engine, "score", NUMBER)
        why = f"不一致：相差 {number(abs(t.printed - t.engine))} 分，来自下列 {len(t.differing)} 项" \
            if t.differing else "不一致：各项得分一致，合计按评分方案计算（如指标得分折算）"
        grid.put(6, AGREES if t.agrees else why, "center" if t.agrees else "warning")
        grid.next()
    for p in printed:
        n += 1
        grid.put(0, n, "center", NUMBER)
        put_link(grid, 1, p.cell)
        grid.put(2, _subject(p.subject, names), "text")
        grid.put(3, p.what, "text")
        grid.put(4, p.printed, "score", NUMBER)
        grid.put(5, p.engine, "score", NUMBER)
        grid.put(6, AGREES if p.agrees else f"不一致：{p.explanation}", "center" if p.agrees else "warning")
        grid.next()
    grid.finish()
    return plan


def _subject(code: str, names: dict[str, str]) -> str:
    project = names.get(code, "")
    return f"{code} {project}" if project else code
