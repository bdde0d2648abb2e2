"""The 校验结果 sheet as a plan: every finding with a link to its cell."""

from __future__ import annotations

from .. import contract as c
from .. import style
from ..model import CellRef
from ..validation import ERROR, HINT, SEVERITIES, WARNING, Finding
from .plan import FORMULA, NUMBER, Grid, SheetPlan

COLUMNS = ((c.FINDING_NUMBER, 5.0), (c.FINDING_SEVERITY, 8.0), (c.FINDING_LOCATION, 13.0),
           (c.FINDING_MESSAGE, 42.0), (c.FINDING_RULE, 24.0))
SEVERITY_STYLES = {ERROR: "error", WARNING: "warning", HINT: "hint"}
HEADER_ROW = 2


def findings_sheet(findings: list[Finding], *, unit_name: str = "", note: str = "") -> SheetPlan:
    """校验结果: title, a count line, then one row per finding (序号, 严重程度, 位置 as a link
    to the cell, 说明, 规则编号). ``note`` is appended to the count line (e.g. the profile)."""
    plan = SheetPlan(c.FINDINGS_SHEET, col_widths=[w for _, w in COLUMNS], fit_to_width=True,
                     print_title_rows=(HEADER_ROW, HEADER_ROW), footer=style.PAGE_FOOTER,
                     freeze=(HEADER_ROW + 1, 0), gridlines=True)
    grid = Grid(plan)
    last = len(COLUMNS) - 1
    grid.put(0, f"校验结果 — {unit_name}" if unit_name else "校验结果", "title", to_col=last)
    grid.next(30)
    counts = "，".join(f"{s} {sum(1 for f in findings if f.severity == s)} 项" for s in SEVERITIES)
    grid.put(0, f"共 {len(findings)} 项：{counts}。{note}", "caption", to_col=last)
    grid.next()
    for col, (header, _) in enumerate(COLUMNS):
        grid.put(col, header, "header")
    grid.next()
    if not findings:
        grid.put(0, "未发现问题。", "center", to_col=last)
        grid.next()
    for n, f in enumerate(findings, start=1):
        grid.put(0, n, "center", NUMBER)
        grid.put(1, f.severity, SEVERITY_STYLES.get(f.severity, "center"))
        if f.cell is not None:
            grid.put(2, cell_link(f.cell), "link", FORMULA)
        else:
            grid.put(2, "—", "center")
        grid.put(3, f.message, "text")
        grid.put(4, f.rule_id, "text")
        grid.next()
    grid.finish()
    return plan


def cell_link(ref: CellRef) -> str:
    """``=HYPERLINK("#'绩效指标'!F2","绩效指标!F2")``: a link to a cell of this workbook.

    The HYPERLINK formula (rather than a cell hyperlink) behaves the same in Excel, WPS and
    LibreOffice, in files and through xlwings alike.
    """
    sheet = "'" + ref.sheet.replace("'", "''") + "'"
    target = f"#{sheet}!{ref.a1}"
    shown = f"{ref.sheet}!{ref.a1}"
    return f'=HYPERLINK("{_quoted(target)}","{_quoted(shown)}")'


def _quoted(text: str) -> str:
    return text.replace('"', '""')
