"""Turn sheet grids into the model, finding data by header text rather than by position.

Input is a mapping of sheet name → rectangular grid anchored at A1 (what every engine gives,
and what xlwings gives for a used range), so the same code serves files and live Excel.
Inserted rows, hidden or reordered columns and blank lines all read the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .. import contract as c
from ..errors import CellValueError, ContractError
from ..model import (
    Amounts,
    BudgetLine,
    CellRef,
    DepartmentBook,
    DepartmentInfo,
    Indicator,
    Problem,
    Project,
)

Grid = list[list]
HEADER_SCAN_ROWS = 15
"""How far down a sheet the header row may be (titles and notes may sit above it)."""

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_REQUIRED_MARK = re.compile(r"[（(]必填[)）]|\*")


def normalize_label(value) -> str:
    """Header and label text compared loosely: no spaces, no 必填 marks, full-width brackets."""
    text = _REQUIRED_MARK.sub("", str(value))
    text = re.sub(r"\s+", "", text)
    return text.replace("(", "（").replace(")", "）")


class _Cells:
    """Converts raw cell values to model types, collecting every bad cell instead of stopping."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def text(self, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return str(value).strip()

    def decimal(self, value, ref: CellRef, what: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.problems.append((str(ref), f"应填{what}，实为逻辑值"))
            return None
        if isinstance(value, int | float):
            # 15 significant digits, as Excel keeps them; drops float noise such as 0.30000000000000004.
            return Decimal(f"{value:.15g}")
        if isinstance(value, str):
            number = parse_number(value)
            if number is not None:
                return number
            if not value.strip():
                return None
        self.problems.append((str(ref), f"应填{what}，实为“{_shorten(value)}”"))
        return None

    def integer(self, value, ref: CellRef, what: str) -> int | None:
        if isinstance(value, str):
            value = value.strip().rstrip("年人名")
        number = self.decimal(value, ref, what)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.problems.append((str(ref), f"应填整数{what}，实为 {number}"))
            return None
        return int(number)

    def value(self, value) -> Decimal | str | None:
        """An indicator target or actual: a number where it is one, else its text."""
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(f"{value:.15g}")
        if isinstance(value, str):
            number = parse_number(value)
            return number if number is not None else (value.strip() or None)
        return self.text(value)


def parse_number(text: str) -> Decimal | None:
    """A number typed as text ("1,234.50", " 12 ") or ``None`` when the text is not one."""
    text = text.strip()
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _shorten(value, limit: int = 20) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _cell(grid: Grid, row: int, col: int):
    line = grid[row] if row < len(grid) else ()
    return line[col] if col < len(line) else ""


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def find_header(grid: Grid, sheet: str, headers: list[str], required: list[str],
                path) -> tuple[int, dict[str, int]]:
    """Locate the header row holding ``headers``; return it and header → column index.

    The row matching most headers within the first rows wins. Missing required headers raise
    ``ContractError`` naming them.
    """
    wanted = {normalize_label(h): h for h in headers}
    best_row, best = -1, {}
    for r, line in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = {}
        for col, value in enumerate(line):
            if isinstance(value, str) and value:
                header = wanted.get(normalize_label(value))
                if header is not None and header not in found:
                    found[header] = col
        if len(found) > len(best):
            best_row, best = r, found
    missing = [h for h in required if h not in best]
    if missing:
        raise ContractError(path, f"工作表“{sheet}”缺少表头：{'、'.join(missing)}（请使用标准模板，勿修改表头文字）")
    return best_row, best


def parse_book(grids: Mapping[str, Grid], path=None) -> DepartmentBook:
    """Build the model from sheet grids (sheet name → grid anchored at A1).

    Raises:
        ContractError: a required sheet or header is missing, or the template is too new.
        CellValueError: cells hold the wrong kind of value (every such cell is listed).
    """
    missing = [s for s in c.REQUIRED_SHEETS if s not in grids]
    if missing:
        raise ContractError(path, f"缺少工作表：{'、'.join(missing)}（不是标准的预算绩效自评工作簿）")
    version = template_version(grids.get(c.META_SHEET))
    check_version(version, path)
    cells = _Cells()
    book = DepartmentBook(
        info=_parse_info(grids[c.INFO_SHEET], cells, path),
        budget=_parse_budget(grids[c.BUDGET_SHEET], cells, path),
        projects=_parse_table(grids, c.PROJECT_SHEET_DEF, cells, path, _project),
        indicators=_parse_table(grids, c.INDICATOR_SHEET_DEF, cells, path, _indicator),
        problems=_parse_table(grids, c.PROBLEM_SHEET_DEF, cells, path, _problem),
        template_version=version,
        source=str(path) if path is not None else "",
    )
    if cells.problems:
        raise CellValueError(path, cells.problems)
    return book


def template_version(grid: Grid | None) -> str:
    for line in grid or ():
        if len(line) >= 2 and line[0] == c.META_VERSION_KEY:
            return _Cells().text(line[1])
    return ""


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def check_version(version: str, path) -> None:
    if version and _version_tuple(version) > _version_tuple(c.TEMPLATE_VERSION):
        raise ContractError(path, f"模板版本 {version} 比本程序支持的版本 {c.TEMPLATE_VERSION} 新，"
                                  "请升级 xlsuite 后再读取")


def _parse_info(grid: Grid, cells: _Cells, path) -> DepartmentInfo:
    sheet = c.INFO_SHEET
    header_row, cols = find_header(grid, sheet, [c.INFO_LABEL_HEADER, c.INFO_VALUE_HEADER],
                                   [c.INFO_LABEL_HEADER, c.INFO_VALUE_HEADER], path)
    label_col, value_col = cols[c.INFO_LABEL_HEADER], cols[c.INFO_VALUE_HEADER]
    fields = {normalize_label(f.label): f for f in c.INFO_FIELDS}
    info = DepartmentInfo()
    for r in range(header_row + 1, len(grid)):
        f = fields.get(normalize_label(_cell(grid, r, label_col)))
        if f is None:
            continue
        ref = CellRef(sheet, r, value_col)
        raw = _cell(grid, r, value_col)
        value = cells.integer(raw, ref, f.label) if f.kind == "int" else cells.text(raw)
        setattr(info, f.key, value)
        info.cells[f.key] = ref
    return info


def _parse_budget(grid: Grid, cells: _Cells, path) -> dict[str, BudgetLine]:
    sheet = c.BUDGET_SHEET
    headers = [col.header for col in c.BUDGET_COLUMNS]
    required = ["科目编码", "科目名称", *(a.header for a in c.AMOUNT_COLUMNS)]
    header_row, cols = find_header(grid, sheet, headers, required, path)
    by_code = {r.code: r for r in c.budget_rows() if r.code}
    by_name = {normalize_label(r.name): r for r in c.budget_rows() if not r.code}
    lines = {r.key: BudgetLine(r.key) for r in c.budget_rows()}
    note_col = cols.get("备注")
    for r in range(header_row + 1, len(grid)):
        code = cells.text(_cell(grid, r, cols["科目编码"]))
        row = by_code.get(code) if code else by_name.get(normalize_label(_cell(grid, r, cols["科目名称"])))
        if row is None:
            continue
        line = lines[row.key]
        for amount in c.AMOUNT_COLUMNS:
            ref = CellRef(sheet, r, cols[amount.header])
            value = cells.decimal(_cell(grid, r, ref.col), ref, f"金额（{amount.header}）")
            setattr(line.amounts, amount.key, value)
            line.cells[amount.key] = ref
        if note_col is not None:
            line.note = cells.text(_cell(grid, r, note_col))
            line.cells["note"] = CellRef(sheet, r, note_col)
    return lines


def _parse_table(grids, sheet_def: c.TableSheet, cells: _Cells, path, make) -> list:
    """Rows under the header of a table sheet, each converted by ``make``; blank rows skipped."""
    grid = grids[sheet_def.name]
    headers = [col.header for col in sheet_def.columns]
    required = [col.header for col in sheet_def.columns if col.required]
    header_row, found = find_header(grid, sheet_def.name, headers, required, path)
    columns = [(col, found[col.header]) for col in sheet_def.columns if col.header in found]
    first_col = columns[0][1]
    records = []
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        if _is_blank(line):
            continue
        if sheet_def is c.PROJECT_SHEET_DEF and cells.text(_cell(grid, r, first_col)) == c.PROJECT_TOTAL_LABEL:
            continue
        values, refs = {}, {}
        for col, index in columns:
            ref = CellRef(sheet_def.name, r, index)
            raw = _cell(grid, r, index)
            if col.kind == "money":
                values[col.key] = cells.decimal(raw, ref, f"金额（{col.header}）")
            elif col.kind == "number":
                values[col.key] = cells.decimal(raw, ref, f"数值（{col.header}）")
            elif col.kind == "value":
                values[col.key] = cells.value(raw)
            else:
                values[col.key] = cells.text(raw)
            refs[col.key] = ref
        if all(v in (None, "") for v in values.values()):
            continue  # a row with content only in columns we do not read
        record = make(values)
        record.cells.update(refs)
        records.append(record)
    return records


def _amounts(values: dict, source: str) -> Amounts:
    return Amounts(*(values.get(f"{source}.{a.key}") for a in c.AMOUNT_COLUMNS))


def _project(values: dict) -> Project:
    return Project(
        code=values.get("code", ""), name=values.get("name", ""),
        supervisor=values.get("supervisor", ""), implementer=values.get("implementer", ""),
        total=_amounts(values, "total"), fiscal=_amounts(values, "fiscal"),
        carryover=_amounts(values, "carryover"), other=_amounts(values, "other"),
        goal_expected=values.get("goal_expected", ""), goal_actual=values.get("goal_actual", ""),
    )


def _indicator(values: dict) -> Indicator:
    return Indicator(**{col.key: values.get(col.key, _empty(col))
                        for col in c.INDICATOR_SHEET_DEF.columns})


def _problem(values: dict) -> Problem:
    return Problem(**{col.key: values.get(col.key, _empty(col))
                      for col in c.PROBLEM_SHEET_DEF.columns})


def _empty(col: c.Column):
    return "" if col.kind == "text" else None
