"""The 得分核对 sheet as a plan: every score the book itself prints beside the engine's, and the
rule that explains a difference (``scoring.reconcile``), as ``xlsuite score`` lists them."""

from __future__ import annotations

from .. import contract as c
from .. import style
from ..scoring.reconcile import Printed, summary
from .findings import cell_link
from .plan import FORMULA, NUMBER, Grid, SheetPlan

COLUMNS = (("序号", 5.0), (c.FINDING_LOCATION, 13.0), ("评价对象", 30.0), ("评分项", 24.0),
           ("文件中的得分", 9.0), ("重新计算的得分", 9.0), ("核对结果", 30.0))
AGREES = "一致"
HEADER_ROW = 2


def score_check_sheet(printed: list[Printed], *, unit_name: str, profile_name: str,
                      names: dict[str, str]) -> SheetPlan:
    """得分核对: title, the summary line, then one row per printed score. ``names`` gives each
    项目编码's 项目名称, shown beside the code."""
    plan = SheetPlan(c.SCORE_CHECK_SHEET, col_widths=[w for _, w in COLUMNS], fit_to_width=True,
                     print_title_rows=(HEADER_ROW, HEADER_ROW), footer=style.PAGE_FOOTER,
                     freeze=(HEADER_ROW + 1, 0), gridlines=True)
    grid = Grid(plan)
    last = len(COLUMNS) - 1
    grid.put(0, f"{c.SCORE_CHECK_SHEET} — {unit_name}" if unit_name else c.SCORE_CHECK_SHEET, "title", to_col=last)
    grid.next(30)
    grid.put(0, summary(printed, profile_name) + "。", "caption", to_col=last)
    grid.next()
    for col, (header, _) in enumerate(COLUMNS):
        grid.put(col, header, "header")
    grid.next()
    for n, p in enumerate(printed, start=1):
        grid.put(0, n, "center", NUMBER)
        if p.cell is not None:
            grid.put(1, cell_link(p.cell), "link", FORMULA)
        else:
            grid.put(1, "—", "center")
        name = names.get(p.subject, "")
        grid.put(2, f"{p.subject} {name}" if name else p.subject, "text")
        grid.put(3, p.what, "text")
        grid.put(4, p.printed, "score", NUMBER)
        grid.put(5, p.engine, "score", NUMBER)
        grid.put(6, AGREES if p.agrees else f"不一致：{p.explanation}", "center" if p.agrees else "warning")
        grid.next()
    grid.finish()
    return plan
