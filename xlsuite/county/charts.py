"""The 等级分布 sheet: how many departments got each grade and each execution-rate band, with charts.

Counts are data (computed here); the totals and shares beside them are formulas.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from ..layout import style
from . import headers as h
from .sheet import Formats

if TYPE_CHECKING:
    from .results import Department

UNGRADED = h.UNGRADED
RATE_BANDS = (  # (label, low inclusive, high exclusive); None = unbounded
    ("低于60%", None, Decimal("0.6")),
    ("60%～80%", Decimal("0.6"), Decimal("0.8")),
    ("80%～90%", Decimal("0.8"), Decimal("0.9")),
    ("90%～95%", Decimal("0.9"), Decimal("0.95")),
    ("95%～100%（含）", Decimal("0.95"), None),
)
OVER, NO_BUDGET = "超过100%", "无预算数"


def _headers(label: str) -> tuple[str, str, str]:
    """The columns of both tables: the key (等级, 预算执行率), its 单位数 and their 占比."""
    return (label, h.UNIT_COUNT, h.SHARE)


LABEL_COL, COUNT_COL, SHARE_COL = (_headers(h.GRADE).index(x) for x in _headers(h.GRADE))
COUNT = xl_col_to_name(COUNT_COL)
CHART_COL = SHARE_COL + 2
"""The charts stand to the right of the tables, a column apart."""


def rate_band(rate: Decimal | None) -> str:
    if rate is None:
        return NO_BUDGET
    if rate > 1:
        return OVER
    for label, low, high in RATE_BANDS:
        if (low is None or rate >= low) and (high is None or rate < high):
            return label
    raise AssertionError(rate)


def write_distribution(wb, fmt: Formats, name: str, departments: list[Department],
                       grades: tuple[str, ...]) -> None:
    ws = wb.add_worksheet(name)
    ws.set_column(LABEL_COL, LABEL_COL, 18)
    ws.set_column(COUNT_COL, SHARE_COL, 10)
    ws.write_string(0, LABEL_COL, "部门整体自评等级分布", fmt.key)
    grade_counts = {g: 0 for g in (*grades, UNGRADED)}
    for d in departments:
        grade_counts[d.grade or UNGRADED] = grade_counts.get(d.grade or UNGRADED, 0) + 1
    first, last = _table(ws, fmt, 1, h.GRADE, grade_counts)
    _chart(wb, ws, name, "部门整体自评等级分布（单位数）", first, last, "#4472C4")
    bands = {label: 0 for label, _, _ in RATE_BANDS}
    bands[OVER] = bands[NO_BUDGET] = 0
    for d in departments:
        bands[rate_band(d.rate)] += 1
    top = max(last + 4, 17)  # below the first chart (about 14 rows high)
    ws.write_string(top - 1, LABEL_COL, "部门整体预算执行率分布", fmt.key)
    first, last = _table(ws, fmt, top, "预算执行率", bands)
    _chart(wb, ws, name, "部门整体预算执行率分布（单位数）", first, last, "#70AD47", anchor_row=top)
    style.print_a4(ws, landscape=True, pages_tall=1)


def _table(ws, fmt: Formats, header_row: int, label: str, counts: dict[str, int]) -> tuple[int, int]:
    """Header, one row per key, a total row; returns the first and last data rows (0-based)."""
    for col, text in enumerate(_headers(label)):
        ws.write_string(header_row, col, text, fmt.header)
    first = header_row + 1
    last = first + len(counts) - 1
    total = sum(counts.values())
    total_row = last + 1
    b = COUNT
    for row, (key, count) in enumerate(counts.items(), first):
        ws.write_string(row, LABEL_COL, key, fmt.cell["text"])
        ws.write_number(row, COUNT_COL, count, fmt.cell["int"])
        ws.write_formula(row, SHARE_COL, f'=IF(${b}${total_row + 1}>0,{b}{row + 1}/${b}${total_row + 1},"")',
                         fmt.cell["rate"], count / total if total else "")
    ws.write_string(total_row, LABEL_COL, h.TOTAL, fmt.total["text"])
    ws.write_formula(total_row, COUNT_COL, f"=SUM({b}{first + 1}:{b}{last + 1})", fmt.total["int"], total)
    ws.write_formula(total_row, SHARE_COL, f'=IF({b}{total_row + 1}>0,1,"")', fmt.total["rate"], 1 if total else "")
    return first, last


def _chart(wb, ws, sheet: str, title: str, first: int, last: int, color: str, anchor_row: int = 1) -> None:
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": title,
        "categories": [sheet, first, LABEL_COL, last, LABEL_COL],
        "values": [sheet, first, COUNT_COL, last, COUNT_COL],
        "fill": {"color": color},
        "data_labels": {"value": True},
    })
    chart.set_title({"name": title, "name_font": {"name": style.SONGTI, "size": 12}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_font": {"name": style.SONGTI, "size": 9}})
    chart.set_y_axis({"num_font": {"name": style.SONGTI, "size": 9}, "min": 0})
    chart.set_size({"width": 520, "height": 260})
    ws.insert_chart(anchor_row - 1, CHART_COL, chart)
