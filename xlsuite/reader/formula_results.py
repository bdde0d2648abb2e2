"""The results the template's score formulas left in a book: the computed columns of 项目支出 and
绩效指标 and 评分汇总's 自评得分 / 自评等级, as the file caches them.

The batch never uses them (it recomputes every score); ``validation.formula_checks`` reports
those that differ from the recomputed ones: a result typed over, or left by another profile.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core import contract as c
from ..core.model import CellRef, FormulaResult

SCORED_COLUMNS = ("computed_score", "execution_score", "self_score", "self_grade")
"""The computed columns holding a score or grade the engine also computes (the 得分核对 and
校验 columns are the template's own remarks)."""
DEPARTMENT_KEYS = {c.SUMMARY_TOTAL_LABEL: "department.total", c.SUMMARY_GRADE_LABEL: "department.grade"}
_HEADER_ROWS = 10


def formula_results(grids: Mapping[str, list[list]]) -> tuple[FormulaResult, ...]:
    """Every non-empty cached result of a score formula in ``grids`` (sheet name → grid)."""
    found: list[FormulaResult] = []
    for sheet in (c.PROJECT_SHEET_DEF, c.INDICATOR_SHEET_DEF):
        grid = grids.get(sheet.name)
        if grid:
            found += _table_results(grid, sheet)
    summary = grids.get(c.SUMMARY_SHEET)
    for r, line in enumerate(summary or ()):
        key = DEPARTMENT_KEYS.get(line[0]) if line and line[0].__class__ is str else None
        if key is not None and len(line) > 1 and line[1] not in ("", None):
            found.append(FormulaResult(CellRef(c.SUMMARY_SHEET, r, 1), key, line[1]))
    return tuple(found)


def _table_results(grid: list[list], sheet: c.TableSheet) -> list[FormulaResult]:
    headers = {sheet.computed_column(key).header: key for key in SCORED_COLUMNS
               if any(col.key == key for col in sheet.computed)}
    first_header = sheet.columns[0].header
    header_row = next((r for r, line in enumerate(grid[:_HEADER_ROWS]) if first_header in line), None)
    if header_row is None:
        return []
    columns = {headers[v]: col for col, v in enumerate(grid[header_row]) if v.__class__ is str and v in headers}
    found = []
    for row in range(header_row + 1, len(grid) if columns else 0):
        line = grid[row]
        if not line or line[0] == c.PROJECT_TOTAL_LABEL:
            continue
        for key, col in columns.items():
            value = line[col] if col < len(line) else ""
            if value not in ("", None) and value.__class__ in (float, int, str):
                found.append(FormulaResult(CellRef(sheet.name, row, col), key, value))
    return found
