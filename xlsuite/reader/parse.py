"""Turn sheet grids into the model, finding data by header text rather than by position.

Input is a mapping of sheet name → rectangular grid anchored at A1 (what every engine gives,
and what xlwings gives for a used range), so the same code serves files and live Excel.
Inserted rows, hidden or reordered columns and blank lines all read the same.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from operator import itemgetter

from ..core import contract as c
from ..core.book_limits import LIMITED_SHEETS, long_texts
from ..core.errors import CellValueError, ContractError
from ..core.model import (
    TEXT_NOTE,
    UNIT_NOTE,
    Amounts,
    BudgetLine,
    CellNote,
    CellRef,
    DepartmentBook,
    DepartmentInfo,
    Indicator,
    Problem,
    Project,
    RowCells,
    WorkItem,
)

Grid = list[list]
HEADER_SCAN_ROWS = 15
"""How far down a sheet the header row may be (titles and notes may sit above it)."""

MAX_AMOUNT = c.MAX_AMOUNT  # amounts beyond it are bad cells (see the contract for why)
_NO_LIMIT = math.inf
"""The bound of other numbers: any finite value; NaN and ±∞ (no spreadsheet makes them, but a
file written by another program may hold them) are rejected in every numeric cell."""

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_REQUIRED_MARK = re.compile(r"[（(]必填[)）]|\*")


_SPACES = re.compile(r"\s+")
_normalized: dict[str, str] = {}


def normalize_label(value) -> str:
    """Header and label text compared loosely: no spaces, no 必填 marks, full-width brackets."""
    text = value if isinstance(value, str) else str(value)
    # Every workbook repeats the same headers and labels: remember them.
    done = _normalized.get(text)
    if done is None:
        done = _SPACES.sub("", _REQUIRED_MARK.sub("", text)).replace("(", "（").replace(")", "）")
        if len(_normalized) < 10_000:
            _normalized[text] = done
    return done


_FLOAT_DECIMALS: dict[float, Decimal] = {}
_FLOAT_DECIMALS_MAX = 50_000
_ZERO, _NEGATIVE_ZERO = Decimal("0"), Decimal("-0")


def float_decimal(value: float) -> Decimal:
    """``Decimal(f"{value:.15g}")``: 15 significant digits, as Excel keeps them, which drops float
    noise such as 0.30000000000000004.

    Formatting a float to 15 digits is the costliest step of reading a book, and books repeat
    their numbers (a total and its one part, a project's total and its fiscal share, weights,
    zeros), so conversions are remembered. Decimals are immutable: sharing one is safe.
    """
    if not value:  # 0.0 and -0.0 are one dict key but two Decimals
        return _NEGATIVE_ZERO if math.copysign(1.0, value) < 0 else _ZERO
    number = _FLOAT_DECIMALS.get(value)
    if number is None:
        number = Decimal(f"{value:.15g}")
        if len(_FLOAT_DECIMALS) < _FLOAT_DECIMALS_MAX:
            _FLOAT_DECIMALS[value] = number
    return number


class CellError:
    """A cell holding an error value (``#DIV/0!``, ``#REF!``, ``#N/A``, …), as the reader gives
    it to the parser whichever engine read it: a bad cell wherever the contract reads one."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __eq__(self, other):
        return isinstance(other, CellError) and other.code == self.code

    def __hash__(self):
        return hash(self.code)

    def __repr__(self):
        return f"CellError({self.code!r})"

    def __str__(self):
        return self.code


ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#DATA!"})
"""The error values a spreadsheet shows in a cell (Excel's, WPS's and LibreOffice's alike): what a
live book's read gives as text where a file holds an error cell (see ``excel.bookio``)."""


MAX_INTEGER = 10**9
"""Whole numbers (年度, 编制人数) must be smaller than this in magnitude: larger ones are bad
cells (a 5,000-digit 年度 could not even be printed: Python's int-to-text limit is 4,300 digits)."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def visible_text(text: str) -> str:
    """``text`` with each character XML cannot hold (control characters; Excel stores them as
    ``_x0001_``) written out as that ``_xHHHH_`` form, so every output (xlsx, docx, JSON) keeps
    it visibly instead of failing or dropping it."""
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", text) if _XML_ILLEGAL.search(text) else text


_CONTROL_FORM = re.compile(r"_x00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f])_")
"""The ``_xHHHH_`` form of a character XML cannot hold (``visible_text`` writes them so)."""


def make_visible(grid: list[list], sheet: str) -> list[tuple[CellRef, str]]:
    """Make every text of ``grid`` its ``visible_text``, in place; return each cell that holds a
    character no workbook can show, with the ``_xHHHH_`` forms it now shows (``、``-joined).

    calamine decodes ``_x0001_`` into the character, openpyxl keeps the text as stored, and a
    live book gives the character itself: all end in the same visible form, which is what is
    looked for (``DepartmentBook.hidden_characters``)."""
    hidden = []
    for r, line in enumerate(grid):
        for col, value in enumerate(line):
            if value.__class__ is str:
                line[col] = shown = visible_text(value)
                codes = _CONTROL_FORM.findall(shown)
                if codes:
                    hidden.append((CellRef(sheet, r, col), "、".join(dict.fromkeys(codes))))
    return hidden


class _Cells:
    """Converts raw cell values to model types, collecting every bad cell instead of stopping.

    Text typed where a number belongs goes to ``notes`` (the book is still read, and validation
    reports it); a value no accountant types (an error value, NaN, a number beyond any budget)
    goes to ``problems``, and the book is refused with every such cell named.
    """

    def __init__(self):
        self.problems: list[tuple[str, str]] = []
        self.notes: list[CellNote] = []
        self.reported: list[tuple[str, str]] = []
        """Problems and notes together in reading order: what a refusal lists."""

    def _problem(self, ref: CellRef, problem: str) -> None:
        self.problems.append((str(ref), problem))
        self.reported.append((str(ref), problem))

    def _note(self, kind: str, ref: CellRef, text: str, problem: str, value: Decimal | None = None) -> None:
        self.notes.append(CellNote(kind, ref, text, problem, value))
        self.reported.append((str(ref), problem))

    def text(self, value, ref=None) -> str:
        """``ref``, where given, names the cell when it holds an error value (a bad cell)."""
        if value.__class__ is str:
            return value.strip()
        if value is None:
            return ""
        if value.__class__ is CellError:
            if ref is not None:
                self._problem(CellRef(*ref), f"为错误值 {value.code}")
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return str(value).strip()

    def decimal(self, value, ref, what: str, limit: float = _NO_LIMIT,
                units: tuple[str, ...] = ()) -> Decimal | None:
        """``ref`` is a ``CellRef`` or a ``(sheet, row, col)`` tuple; a number whose magnitude
        reaches ``limit`` (``MAX_AMOUNT`` for amounts) is a bad cell, as is NaN or ±∞. A text
        of a number followed by one of ``units`` (``contract.UNIT_WORDS``) reads as the number,
        with a note; any other text reads as empty, with a note."""
        if value.__class__ is float and -limit < value < limit:  # False for NaN and ±∞ too
            return float_decimal(value)
        if value is None or value == "":
            return None
        ref = CellRef(*ref)
        if value.__class__ is CellError:
            self._problem(ref, f"为错误值 {value.code}")
            return None
        if isinstance(value, bool):
            self._problem(ref, f"应填{what}，实为逻辑值")
            return None
        number = None
        if isinstance(value, int):
            value = _as_float(value)
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                self._problem(ref, f"应填{what}，实为{_NON_FINITE[(value > 0) - (value < 0)]}")
                return None
            number = Decimal(f"{value:.15g}")
        elif isinstance(value, str):
            number = parse_number(value)
            if number is None:
                if not value.strip():
                    return None
                number, unit = _with_unit(value, units)
                if number is None:
                    self._note(TEXT_NOTE, ref, value, f"应填{what}，实为“{_shorten(value)}”")
                    return None
                if -limit < number < limit:
                    self._note(UNIT_NOTE, ref, value, f"{what}填写为“{_shorten(value)}”，按 {number} {unit}读取",
                               number)
        if number is None:
            self._problem(ref, f"应填{what}，实为“{_shorten(value)}”")
            return None
        if not -limit < number < limit:
            self._problem(ref, f"应填{what}，实为 {_magnitude(number)}，超出合理范围"
                               f"（金额以万元为单位，绝对值应小于 {_magnitude(Decimal(limit))}）")
            return None
        return number

    def integer(self, value, ref: CellRef, what: str) -> int | None:
        if isinstance(value, str):
            value = value.strip().rstrip("年人名")
        number = self.decimal(value, ref, what)
        if number is None:
            return None
        if not -MAX_INTEGER < number < MAX_INTEGER:
            self._problem(CellRef(*ref), f"应填整数{what}，实为 {_magnitude(number)}，超出合理范围")
            return None
        if number != number.to_integral_value():
            self._problem(CellRef(*ref), f"应填整数{what}，实为 {number}")
            return None
        return int(number)

    def value(self, value, ref=None, what: str = "") -> Decimal | str | None:
        """An indicator target or actual: a number where it is one, else its text.

        NaN or ±∞ in a cell named by ``ref`` (and ``what``) is a bad cell; without ``ref`` (a
        worksheet function's argument) it comes back as a non-finite ``Decimal`` for the caller.
        """
        if value.__class__ is float and (ref is None or -_NO_LIMIT < value < _NO_LIMIT):
            return float_decimal(value)
        if value is None or value == "":
            return None
        if value.__class__ is CellError:
            return self.decimal(value, ref, what) if ref is not None else None
        if isinstance(value, int) and not isinstance(value, bool):
            value = _as_float(value)  # an integer past a float's range is ±∞, as calamine reads it
        if isinstance(value, float):
            if not math.isfinite(value):  # NaN or ±∞: ``decimal`` words the problem
                return self.decimal(value, ref, what) if ref is not None else Decimal(value)
            return float_decimal(value)
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


def _with_unit(text: str, units: tuple[str, ...]) -> tuple[Decimal | None, str]:
    """The number of 「150万」 or 「150 万元」 when the unit is one of ``units``, and that unit."""
    text = text.strip()
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            number = parse_number(text[: -len(unit)])
            if number is not None:
                return number, units[0]
    return None, ""


def _as_float(value: int) -> float | int:
    """An integer cell as a spreadsheet holds it: a float (15 significant digits), ±∞ past a
    float's range (openpyxl reads a 400-digit ``<v>`` as an int; calamine as ∞)."""
    if isinstance(value, bool):
        return value
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


_NON_FINITE = {0: "非数值（NaN）", 1: "无穷大", -1: "负无穷大"}
"""How a message names NaN (which compares neither above nor below 0), +∞ and -∞."""


def _magnitude(number: Decimal) -> str:
    """A number too large to read digit by digit, as Excel shows it: ``1E+26``, ``1.5E+13``."""
    return f"{number.normalize():E}"


def _shorten(value, limit: int = 20) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _cell(grid: Grid, row: int, col: int):
    line = grid[row] if row < len(grid) else ()
    return line[col] if col < len(line) else ""


def _is_blank(values) -> bool:
    # A loop rather than all(<generator>): a filled row ends at its first cell, and this runs
    # for every row of every book.
    for v in values:
        if v is not None and not (isinstance(v, str) and not v.strip()):
            return False
    return True


@cache
def _wanted(headers: tuple[str, ...]) -> dict[str, str]:
    return {normalize_label(h): h for h in headers}


def find_header(grid: Grid, sheet: str, headers: list[str], required: list[str],
                path, enough: int | None = None) -> tuple[int, dict[str, int]]:
    """Locate the header row holding ``headers``; return it and header → column index.

    The row matching most headers within the first rows wins; the first matching ``enough`` of
    them (every header the template writes, where the others are optional columns few books
    have) is taken at once. Missing required headers raise ``ContractError`` naming them.
    """
    wanted = _wanted(tuple(headers))
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
            if len(found) >= (enough or len(wanted)):
                break
    missing = [h for h in required if h not in best]
    if missing:
        raise ContractError(path, f"工作表“{sheet}”缺少表头：{'、'.join(missing)}（请使用标准模板，勿修改表头文字）")
    return best_row, best


def require_sheets(names, path) -> None:
    """Raise ``ContractError`` naming the ``REQUIRED_SHEETS`` missing from ``names``.

    收支情况 alone may be missing: a book of projects only (填报范围 仅项目) needs none, which
    ``parse_book`` decides once it has read 部门信息.
    """
    missing = [s for s in c.REQUIRED_SHEETS if s not in names]
    if missing and missing != [c.BUDGET_SHEET]:
        raise ContractError(path, f"缺少工作表：{'、'.join(missing)}（不是标准的预算绩效自评工作簿）")


def parse_book(grids: Mapping[str, Grid], path=None) -> DepartmentBook:
    """Build the model from sheet grids (sheet name → rectangular grid anchored at A1; pass ragged
    rows through ``rectangular`` first).

    Raises:
        ContractError: a required sheet or header is missing, or the template is too new.
        CellValueError: cells hold the wrong kind of value (every such cell is listed), or a
            text longer than a cell holds (``book_limits``).
    """
    require_sheets(grids, path)
    too_long = [cell for name, grid in grids.items() if name in LIMITED_SHEETS for cell in long_texts(name, grid)]
    if too_long:
        raise CellValueError(path, too_long)
    version = template_version(grids.get(c.META_SHEET))
    check_version(version, path)
    cells = _Cells()
    info = _parse_info(grids[c.INFO_SHEET], cells, path)
    if c.BUDGET_SHEET in grids:
        budget = _parse_budget(grids[c.BUDGET_SHEET], cells, path)
    elif info.scope == c.SCOPE_PROJECTS:
        budget = {key: BudgetLine(key) for key in _budget_keys()[2]}  # no department budget: all empty
    else:
        raise ContractError(path, f"缺少工作表：{c.BUDGET_SHEET}（不是标准的预算绩效自评工作簿；"
                                  f"只填报项目的，请在部门信息中将填报范围填为“{c.SCOPE_PROJECTS}”）")
    book = DepartmentBook(
        info=info,
        budget=budget,
        projects=_parse_projects(grids, cells, path),
        indicators=_parse_table(grids, c.INDICATOR_SHEET_DEF, cells, path, _indicator),
        problems=_parse_table(grids, c.PROBLEM_SHEET_DEF, cells, path, _problem),
        # 主要工作 is v1.2's: an older book has no such sheet, and no main work.
        work=_parse_table(grids, c.WORK_SHEET_DEF, cells, path, _work) if c.WORK_SHEET in grids else [],
        template_version=version,
        profile_source=meta_value(grids.get(c.META_SHEET), c.META_PROFILE_SOURCE_KEY),
        source=str(path) if path is not None else "",
        score_stamp=meta_items(grids.get(c.META_SHEET), c.META_SCORE_PREFIX),
    )
    if cells.problems:
        raise CellValueError(path, cells.reported)
    book.cell_notes = cells.notes
    return book


def rectangular(grid: Grid) -> Grid:
    """Pad ragged rows (as some sources give them) so every row can be indexed by column."""
    width = max((len(line) for line in grid), default=0)
    if all(len(line) == width for line in grid):
        return grid
    return [list(line) + [""] * (width - len(line)) for line in grid]


def template_version(grid: Grid | None) -> str:
    return meta_value(grid, c.META_VERSION_KEY)


def meta_value(grid: Grid | None, key: str) -> str:
    """The text beside ``key`` in the meta sheet's first column ("" when absent)."""
    for line in grid or ():
        if len(line) >= 2 and line[0] == key:
            return _Cells().text(line[1])
    return ""


def meta_items(grid: Grid | None, prefix: str) -> dict[str, str]:
    """The meta sheet's keys beginning with ``prefix`` (the prefix dropped) and their texts."""
    return {str(line[0])[len(prefix):]: _Cells().text(line[1]) for line in grid or ()
            if len(line) >= 2 and isinstance(line[0], str) and line[0].startswith(prefix)}


@lru_cache(maxsize=64)
def _version_tuple(version: str) -> tuple[int, ...]:
    # A part of more than 9 digits is simply large (and int() of 4,301 digits would raise).
    return tuple(int(p) if len(p) <= 9 else MAX_INTEGER for p in re.findall(r"\d+", version))


def check_version(version: str, path) -> None:
    if version and _version_tuple(version) > _version_tuple(c.READ_VERSION):
        raise ContractError(path, f"模板版本 {_shorten(version)} 比本程序支持的版本 {c.READ_VERSION} 新，"
                                  "请升级 xlsuite 后再读取")


@cache
def _info_fields() -> dict[str, c.Field]:
    return {normalize_label(f.label): f for f in c.INFO_FIELDS}


def _parse_info(grid: Grid, cells: _Cells, path) -> DepartmentInfo:
    sheet = c.INFO_SHEET
    header_row, cols = find_header(grid, sheet, [c.INFO_LABEL_HEADER, c.INFO_VALUE_HEADER],
                                   [c.INFO_LABEL_HEADER, c.INFO_VALUE_HEADER], path)
    label_col, value_col = cols[c.INFO_LABEL_HEADER], cols[c.INFO_VALUE_HEADER]
    fields = _info_fields()
    info = DepartmentInfo()
    for r in range(header_row + 1, len(grid)):
        f = fields.get(normalize_label(_cell(grid, r, label_col)))
        if f is None:
            continue
        ref = CellRef(sheet, r, value_col)
        raw = _cell(grid, r, value_col)
        if f.kind == "int":
            value = cells.integer(raw, ref, f.label)
        elif f.kind in ("number", "percent"):
            value = cells.decimal(raw, ref, f"数值（{f.label}）", _NO_LIMIT, c.UNIT_WORDS[f.kind])
        else:
            value = cells.text(raw, ref)
        setattr(info, f.key, value)
        info.cells[f.key] = ref
    return info


@cache
def _budget_keys() -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """Contract key by 科目编码, by normalized 科目名称 (rows without a code), and every key in order."""
    rows = c.budget_rows()
    by_code = {r.code: r.key for r in rows if r.code}
    by_name = {normalize_label(r.name): r.key for r in rows if not r.code}
    return by_code, by_name, tuple(r.key for r in rows)


_MONEY_UNITS = c.UNIT_WORDS["money"]
_BUDGET_HEADERS = [col.header for col in c.BUDGET_COLUMNS]
_CODE, _NAME, _NOTE = (c.budget_column(key).header for key in ("code", "name", "note"))
_BUDGET_REQUIRED = [_CODE, _NAME, *(a.header for a in c.AMOUNT_COLUMNS)]


def _parse_budget(grid: Grid, cells: _Cells, path) -> dict[str, BudgetLine]:
    sheet = c.BUDGET_SHEET
    header_row, cols = find_header(grid, sheet, _BUDGET_HEADERS, _BUDGET_REQUIRED, path)
    by_code, by_name, keys = _budget_keys()
    code_col, name_col, note_col = cols[_CODE], cols[_NAME], cols.get(_NOTE)
    amount_cols = {a.key: (cols[a.header], f"金额（{a.header}）") for a in c.AMOUNT_COLUMNS}
    (initial, initial_what), (adjusted, adjusted_what), (executed, executed_what) = (
        amount_cols[key] for key in ("initial", "adjusted", "executed"))
    columns = {a.key: cols[a.header] for a in c.AMOUNT_COLUMNS}
    if note_col is not None:
        columns["note"] = note_col
    text, decimal = cells.text, cells.decimal

    def amount(v, r: int, col: int, what: str) -> Decimal | None:
        return None if v == "" else decimal(v, (sheet, r, col), what, MAX_AMOUNT, _MONEY_UNITS)

    lines: dict[str, BudgetLine | None] = dict.fromkeys(keys)  # contract order
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        code = line[code_col]
        code = code.strip() if code.__class__ is str else text(code)
        key = by_code.get(code) if code else by_name.get(normalize_label(line[name_col]))
        if key is None:
            continue
        # Three amounts in each of ~50 rows of every book: the case of a float in bounds is inlined.
        i, a, e = line[initial], line[adjusted], line[executed]
        amounts = Amounts(
            float_decimal(i) if i.__class__ is float and -MAX_AMOUNT < i < MAX_AMOUNT
            else amount(i, r, initial, initial_what),
            float_decimal(a) if a.__class__ is float and -MAX_AMOUNT < a < MAX_AMOUNT
            else amount(a, r, adjusted, adjusted_what),
            float_decimal(e) if e.__class__ is float and -MAX_AMOUNT < e < MAX_AMOUNT
            else amount(e, r, executed, executed_what))
        note = text(line[note_col], (sheet, r, note_col)) if note_col is not None else ""
        # A row listed twice: the lower one wins, as it always has.
        lines[key] = BudgetLine(key, amounts, note, RowCells(sheet, r, columns))
    for key, budget_line in lines.items():
        if budget_line is None:  # not in the sheet: reads as empty
            lines[key] = BudgetLine(key)
    return lines


def _parse_table(grids, sheet_def: c.TableSheet, cells: _Cells, path, make) -> list:
    """Rows under the header of a table sheet, each converted by ``make``; blank rows skipped.

    ``make`` gets the row's values as a list in the contract's column order (a column missing
    from the sheet reads as empty) and the row's ``RowCells``.
    """
    name = sheet_def.name
    grid = grids[name]
    headers = [col.header for col in sheet_def.read_columns]
    required = [col.header for col in sheet_def.columns if col.required]
    # Every header the sheet's first version has: the row holding them is the header row, in
    # books of any version.
    first = min(col.since for col in sheet_def.columns)
    enough = sum(col.since == first for col in sheet_def.columns)
    header_row, found = find_header(grid, name, headers, required, path, enough=enough)
    # Where each column sits, worked out once per sheet: (position in the list, sheet column).
    texts, decimals, values_cols = [], [], []
    for pos, col in enumerate(sheet_def.read_columns):
        if col.header not in found:
            continue
        index = found[col.header]
        if col.kind in ("money", "number", "percent"):
            money = col.kind == "money"
            what = f"{'金额' if money else '数值'}（{col.header}）"
            decimals.append((pos, index, what, MAX_AMOUNT if money else _NO_LIMIT, c.UNIT_WORDS[col.kind]))
        elif col.kind == "value":
            values_cols.append((pos, index, f"数值或文字（{col.header}）"))
        else:
            texts.append((pos, index))
    empty = [_empty_value(col) for col in sheet_def.read_columns]
    skip_total = name == c.PROJECT_SHEET
    first_col = found[sheet_def.columns[0].header]
    columns = {col.key: found[col.header] for col in sheet_def.read_columns if col.header in found}
    text, decimal, value = cells.text, cells.decimal, cells.value
    records = []
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        # Most rows of a template's table are empty but for formulas with no result yet, which
        # read as "": counted in C, such a row is settled without a Python loop over its cells.
        if line.count("") == len(line) or _is_blank(line):
            continue
        if skip_total and text(line[first_col]) == c.PROJECT_TOTAL_LABEL:
            continue
        values = empty.copy()
        # Columns batched by kind, with inlined fast paths: this runs for every cell of every book.
        for pos, index in texts:
            v = line[index]
            values[pos] = v.strip() if v.__class__ is str else text(v, (name, r, index))
        for pos, index, what, limit, units in decimals:
            v = line[index]
            if v.__class__ is float and -limit < v < limit:
                values[pos] = float_decimal(v)
            else:
                values[pos] = None if v == "" else decimal(v, (name, r, index), what, limit, units)
        for pos, index, what in values_cols:
            v = line[index]
            if v.__class__ is float and -_NO_LIMIT < v < _NO_LIMIT:
                values[pos] = float_decimal(v)
            else:
                values[pos] = value(v, (name, r, index), what)
        # A row with content only in columns we do not read is skipped. The first column is
        # required and nearly always filled, which settles it without looking at the others.
        if not values[0] and all(v is None or v == "" for v in values):
            continue
        records.append(make(values, RowCells(name, r, columns)))
    return records


def _empty_value(col: c.Column) -> str | None:
    """What a cell of a column not present in the sheet reads as."""
    return "" if col.kind == "text" else None


def _positions(sheet: c.TableSheet) -> dict[str, int]:
    """Column key → its position in the contract's column order (and in ``make``'s list)."""
    return {col.key: pos for pos, col in enumerate(sheet.read_columns)}


# Records are built from positions worked out here once, by field name, rather than through a
# dict per row: several times cheaper, and a model field with no column fails at import.
_indicator_values = itemgetter(*(_positions(c.INDICATOR_SHEET_DEF)[f.name]
                                 for f in fields(Indicator) if f.name != "cells"))
_problem_values = itemgetter(*(_positions(c.PROBLEM_SHEET_DEF)[f.name] for f in fields(Problem) if f.name != "cells"))
_work_values = itemgetter(*(_positions(c.WORK_SHEET_DEF)[f.name] for f in fields(WorkItem) if f.name != "cells"))
_PROJECT_TEXT_KEYS = ("code", "name", "supervisor", "implementer", "goal_expected", "goal_actual",
                      "printed_execution", "category", "printed_rate", "printed_weight", "printed_total")
_AMOUNT_KEYS = tuple(a.key for a in c.AMOUNT_COLUMNS)
_SOURCE_HEADER = re.compile("^(?:" + "|".join(re.escape(a.header) for a in c.AMOUNT_COLUMNS) + ")（(.+)）$")
_KNOWN_SOURCES = frozenset(label for _, label in c.FUND_SOURCES)
_PROJECT_CODE = c.PROJECT_SHEET_DEF.column("code").header


def _parse_projects(grids, cells: _Cells, path) -> list[Project]:
    extra = _extra_sources(grids[c.PROJECT_SHEET])
    return _parse_table(grids, c.project_sheet(extra), cells, path, _project_maker(extra))


def _extra_sources(grid) -> tuple[str, ...]:
    """The fund sources beyond the contract's that this book's 项目支出 heads (its template's
    profile added them: ``[funds] extra_sources``), each known by its three amount headers
    年初预算数（X）, 全年预算数（X）, 全年执行数（X） (``contract.source_header``). A source with only
    some of them is no source: its columns are not read, as any column the contract does not know."""
    for line in grid[:HEADER_SCAN_ROWS]:
        if _PROJECT_CODE not in line:
            continue
        seen: dict[str, int] = {}
        for value in line:
            if value.__class__ is str and (match := _SOURCE_HEADER.match(value)):
                seen[match.group(1)] = seen.get(match.group(1), 0) + 1
        return tuple(label for label, count in seen.items()
                     if count == len(c.AMOUNT_COLUMNS) and label not in _KNOWN_SOURCES)
    return ()


@cache
def _project_maker(extra: tuple[str, ...]):
    """A function making a ``Project`` from a row's values in the column order of
    ``project_sheet(extra)``. The positions are worked out once per layout (nearly always the
    contract's own), not once per row."""
    pos = _positions(c.project_sheet(extra))
    texts = itemgetter(*(pos[key] for key in _PROJECT_TEXT_KEYS))
    amounts = itemgetter(*(pos[f"{source}.{amount}"] for source, _ in c.FUND_SOURCES for amount in _AMOUNT_KEYS))
    extra_at = [(label, tuple(pos[f"{key}.{amount}"] for amount in _AMOUNT_KEYS))
                for key, label in c.fund_sources(extra)[len(c.FUND_SOURCES):]]

    def make(values: list, cells: RowCells) -> Project:
        (code, name, supervisor, implementer, goal_expected, goal_actual, printed_execution, category,
         printed_rate, printed_weight, printed_total) = texts(values)
        ti, ta, te, fi, fa, fe, ci, ca, ce, oi, oa, oe = amounts(values)
        return Project(code=code, name=name, supervisor=supervisor, implementer=implementer,
                       total=Amounts(ti, ta, te), fiscal=Amounts(fi, fa, fe), carryover=Amounts(ci, ca, ce),
                       other=Amounts(oi, oa, oe), goal_expected=goal_expected, goal_actual=goal_actual,
                       printed_execution=printed_execution, category=category, printed_rate=printed_rate,
                       printed_weight=printed_weight, printed_total=printed_total, cells=cells,
                       extra_sources={label: Amounts(*(values[i] for i in where)) for label, where in extra_at})
    return make


def _indicator(values: list, cells: RowCells) -> Indicator:
    return Indicator(*_indicator_values(values), cells=cells)


def _problem(values: list, cells: RowCells) -> Problem:
    return Problem(*_problem_values(values), cells=cells)


def _work(values: list, cells: RowCells) -> WorkItem:
    return WorkItem(*_work_values(values), cells=cells)
