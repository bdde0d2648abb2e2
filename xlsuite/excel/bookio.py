"""Read an open xlwings ``Book`` into the model: one bulk value read per sheet.

Every read from desktop Excel is a cross-process call, so a sheet is read whole, from A1 to the
last used cell, in one ``.value`` call, and parsed by the same ``reader.parse.parse_book`` that
reads files: a book reads the same live and saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from decimal import Decimal
from pathlib import Path

from ..core import contract as c
from ..core.book_limits import LIMITED_SHEETS, extent_reason
from ..core.errors import TRIM_SHEET, InputError
from ..core.model import DepartmentBook
from ..reader.formula_results import formula_results
from ..reader.parse import ERROR_VALUES, CellError, make_visible, parse_book, rectangular, require_sheets

NEEDED_SHEETS = c.READ_SHEETS


def sheet_names(book) -> list[str]:
    return [sheet.name for sheet in book.sheets]


def read_grid(book, name: str) -> list[list]:
    """The sheet's values from A1 to its last used cell, ``""`` for empty cells (one read).

    A sheet of the contract reaching past the limits of ``book_limits`` is refused first.

    Error values (#REF!, #DIV/0!, …) are kept (xlwings makes them ``None`` unless asked with
    ``err_to_str``) and given to the parser as ``CellError``, as the file reader gives them:
    a #REF! weight must stop 校验 and 评分 with the cell named, as ``xlsuite validate`` does,
    not score the indicator as blank."""
    sheet = book.sheets[name]
    last = sheet.used_range.last_cell
    rows, columns = last.row, last.column
    if name in LIMITED_SHEETS:
        # Before the read: a stray value in XFD100 would have it fetch 1.6 million cells.
        too_large = extent_reason(name, rows, columns)
        if too_large:
            raise InputError(book.name, too_large, TRIM_SHEET)
    else:
        # 校验结果 and xlwings.conf are read for a few columns of theirs: no stray far cell
        # makes them cost more than a sheet of the contract may.
        columns = min(columns, c.MAX_SHEET_COLUMNS)
    values = sheet.range((1, 1), (rows, columns)).options(ndim=2, empty="", err_to_str=True).value
    grid = rectangular(values or [[]])
    for row in grid:
        for col, value in enumerate(row):
            if value.__class__ is str and value in ERROR_VALUES:
                row[col] = CellError(value)
    return grid


def read_grids(book, names) -> dict[str, list[list]]:
    present = set(sheet_names(book))
    return {name: read_grid(book, name) for name in names if name in present}


def read_department(book, extra: tuple[str, ...] = ()) -> tuple[DepartmentBook, dict[str, list[list]]]:
    """The department's book from the open workbook, and the grids read (``extra`` sheets too).

    Raises:
        ContractError: a required sheet is missing, or a header (as ``parse_book`` says).
        CellValueError: cells hold values of the wrong kind.
    """
    require_sheets(sheet_names(book), None)
    grids = read_grids(book, (*NEEDED_SHEETS, *extra))
    # Control characters typed or pasted into a cell (Excel holds them; no .docx or .xlsx can):
    # shown as _x0001_ and noted, as the file reader does, before any output sees them.
    hidden = [cell for name in NEEDED_SHEETS if name in grids for cell in make_visible(grids[name], name)]
    department = parse_book({k: v for k, v in grids.items() if k in NEEDED_SHEETS}, book.name)
    department.formula_results = formula_results(grids)
    department.hidden_characters = tuple(hidden)
    return department, grids


def book_folder(book) -> Path | None:
    """The local folder holding the workbook, or None (never saved, or saved on the web)."""
    try:
        full = str(book.fullname)
    except Exception:
        return None
    if "://" in full:
        return None
    path = Path(full)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def documents_folder() -> Path:
    """Where files for a book with no folder of its own go: the user's Documents folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def book_file_name(book) -> str:
    """The book's file name (a new book's "工作簿1" has no suffix)."""
    return Path(str(book.name).replace("\\", "/")).name or "工作簿"


_JSON_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$")
"""A date as a JSON host sends it (xlwings' protocol: ``YYYY-MM-DDTHH:MM:SS.000Z``)."""


def grids_digest(grids: dict[str, list[list]]) -> str:
    """Hex sha256 of the values read, the same for the same cells whichever host sent them.

    Hosts differ in how they spell a value, not in the value: desktop Excel gives every number
    as a float (``253.0``), a JSON host may send ``253``; dates come as ``datetime`` or as an ISO
    text. Each cell is spelt one way before hashing, so a book gets one score stamp.
    """
    canonical = {name: [[_canonical(v) for v in row] for row in _trimmed(grid)]
                 for name, grid in sorted(grids.items())}
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            return ["n", repr(value)]
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return ["n", format(number.normalize(), "f") if number else "0"]
    if isinstance(value, dt.datetime | dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        return ["d", value.replace(tzinfo=None).isoformat(timespec="seconds")]
    text = str(value)
    date = _JSON_DATE.match(text)
    if date:
        return ["d", date.group(1)]
    return ["s", text]


def _trimmed(grid: list[list]) -> list[list]:
    """The grid without trailing empty rows and columns: hosts disagree on the used range."""
    rows = [list(row) for row in grid]
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(row) if v not in ("", None)), default=0) for row in rows), default=0)
    return [row[:width] + [""] * (width - len(row[:width])) for row in rows]
