"""xlsuite's own host protocol: a book sent as JSON, the button actions run on it, their edits
recorded as a list of actions that the host applies.

Every place that runs the actions away from desktop Excel speaks it: the tests, ``xlsuite serve``,
Python in a WPS 加载项 page (Pyodide), the thin clients. The payload and the actions have the
shapes xlwings' remote protocol gives them (so a client of one reads the other), but this is
xlsuite's own MIT code: nothing here needs xlwings, let alone its PRO engine.

The payload::

    {"client": "...", "version": "...", "protocol": 1,
     "book": {"name": "...", "active_sheet_index": 0, "selection": "A1"},
     "names": [], "sheets": [{"name": "...", "values": [[...], ...]}, ...]}

``values`` run from A1 to the last used cell, empty cells ``""`` (or null), dates as
``"YYYY-MM-DDTHH:MM:SS.000Z"``, formulas as their cached values. Each recorded action is
``{"func", "args", "values", "sheet_position", "start_row", "start_column", "row_count",
"column_count"}`` with zero-based positions; ``func`` is one of ``FUNCS``.

Reads see the book as it was sent: writes are recorded, not applied (a host applies them once the
action has returned), so an action reads everything first, then writes. Sheets added during the
run are there for later writes, by position.

``HostBook`` gives the actions the part of xlwings' ``Book`` API they use: ``name``, ``fullname``,
``sheets`` (iteration, ``[name]``, ``[index]``, ``add(name, after=/before=)``), ``app.alert``,
``app.engine.name``; a sheet's ``name``, ``used_range.last_cell``, ``range(...)``, ``clear()``,
``clear_contents()``, ``activate()``; a range's ``value`` (read with ``options(ndim=2,
empty="")``, written as a grid), ``color``, ``set_colors``, ``column_width``, ``font.bold``,
``merge()``. Anything else is an AttributeError, so an action that needs more fails in the tests.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ..core.errors import XlsuiteError
from ..core.model import column_letters

PROTOCOL = 1
"""The version of this protocol a payload may name (``"protocol"``; absent means 1)."""
ENGINE_NAME = "xlsuite-host"
"""``book.app.engine.name`` here: not ``"excel"``, so the actions take the values-only paths."""

FUNCS = ("setValues", "setRangeColor", "setRangeColors", "addSheet", "sheetClear", "sheetClearContents",
         "alert", "setColumnWidth", "activateSheet", "setFontProperty", "rangeMerge")
"""Every edit a host must know how to apply."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$")
_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")
_CELL_TYPES = (str, int, float, bool, type(None))
SET_COLORS_LIMIT = 10_000
"""The most cells xlwings' ``Range.set_colors`` takes in one call (0.37, on every engine), kept
here too so that what the tests run on this host would run in Excel."""


class PayloadError(XlsuiteError):
    """A payload that is not a book of this protocol (the reason is for the person who sent it)."""

    def __init__(self, reason: str):
        super().__init__(None, f"工作簿数据格式有误：{reason}")


class HostBook:
    """The book of a payload, recording the actions run on it (``actions``)."""

    def __init__(self, payload: dict):
        _check(payload)
        book = payload["book"]
        self.name: str = book["name"]
        self.fullname: str = book.get("fullname") or book["name"]
        self.actions: list[dict] = []
        self._grids = [_grid(sheet["values"]) for sheet in payload["sheets"]]
        self._names = [sheet["name"] for sheet in payload["sheets"]]
        self._active = int(book.get("active_sheet_index") or 0)
        self.sheets = _Sheets(self)
        self.app = _App(self)

    def json(self) -> dict:
        """What a host applies: ``{"actions": [...]}``."""
        return {"protocol": PROTOCOL, "actions": list(self.actions)}

    def _record(self, func: str, args: list, *, values=None, sheet: int | None = None,
                rect: tuple[int, int, int, int] | None = None) -> None:
        row, col, rows, cols = rect or (None, None, None, None)
        self.actions.append({"func": func, "args": args, "values": values, "sheet_position": sheet,
                             "start_row": row, "start_column": col, "row_count": rows, "column_count": cols})


class _App:
    def __init__(self, book: HostBook):
        self._book = book
        self.engine = type("Engine", (), {"name": ENGINE_NAME})()

    def alert(self, prompt: str, title: str = "", buttons: str = "ok", mode: str = "", callback: str = ""):
        # The host shows the box after the action returns: the action cannot wait for an answer,
        # so a question is asked as if answered OK (the host applies nothing if its user cancels).
        self._book._record("alert", [str(prompt), str(title), buttons, mode or "", callback or ""])
        return None


class _Sheets:
    def __init__(self, book: HostBook):
        self._book = book

    def __iter__(self):
        return iter([_Sheet(self._book, i) for i in range(len(self._book._names))])

    def __len__(self) -> int:
        return len(self._book._names)

    def __getitem__(self, key) -> _Sheet:
        names = self._book._names
        if isinstance(key, int):
            if not -len(names) <= key < len(names):
                raise IndexError(key)
            return _Sheet(self._book, key % len(names))
        if key not in names:
            raise KeyError(key)
        return _Sheet(self._book, names.index(key))

    def add(self, name: str, before: _Sheet | None = None, after: _Sheet | None = None) -> _Sheet:
        book = self._book
        if name in book._names:
            raise ValueError(f"a sheet named {name!r} exists")
        if after is not None:
            index = after.index + 1
        elif before is not None:
            index = before.index
        else:
            index = len(book._names)
        book._names.insert(index, name)
        book._grids.insert(index, [[]])
        book._record("addSheet", [index, name])
        return _Sheet(book, index)


class _Sheet:
    def __init__(self, book: HostBook, index: int):
        self._book = book
        self.index = index

    @property
    def name(self) -> str:
        return self._book._names[self.index]

    @property
    def book(self) -> HostBook:
        return self._book

    @property
    def used_range(self) -> _Range:
        grid = self._book._grids[self.index]
        rows = max(len(grid), 1)
        cols = max((len(row) for row in grid), default=0) or 1
        return _Range(self, 0, 0, rows, cols)

    def range(self, first, last=None) -> _Range:
        if isinstance(first, str):
            if last is not None:
                raise TypeError("an address names its whole range")
            return _Range(self, *_parse_address(first))
        row, col = first
        last_row, last_col = last if last is not None else first
        if min(row, col, last_row, last_col) < 1:
            raise ValueError("rows and columns count from 1")
        return _Range(self, row - 1, col - 1, last_row - row + 1, last_col - col + 1)

    def clear(self) -> None:
        self._book._record("sheetClear", [None], sheet=self.index)

    def clear_contents(self) -> None:
        self._book._record("sheetClearContents", [None], sheet=self.index)

    def activate(self) -> None:
        self._book._active = self.index
        self._book._record("activateSheet", [self.index], sheet=self.index)


class _Range:
    def __init__(self, sheet: _Sheet, row: int, col: int, rows: int, cols: int):
        self.sheet, self.row0, self.col0, self.rows, self.cols = sheet, row, col, rows, cols

    @property
    def last_cell(self) -> _Range:
        return _Range(self.sheet, self.row0 + self.rows - 1, self.col0 + self.cols - 1, 1, 1)

    @property
    def row(self) -> int:
        return self.row0 + 1

    @property
    def column(self) -> int:
        return self.col0 + 1

    @property
    def address(self) -> str:
        return f"${column_letters(self.col0)}${self.row0 + 1}:${column_letters(self.col0 + self.cols - 1)}${self.row0 + self.rows}"

    def options(self, ndim: int | None = None, empty="", err_to_str: bool = True) -> _Read:
        # Error values (#REF!, #DIV/0!) come as the texts Excel shows, always: they are data
        # the checks name, never blanks.
        return _Read(self, ndim, empty)

    @property
    def value(self):
        return _Read(self, None, None).value

    @value.setter
    def value(self, data) -> None:
        grid = data if isinstance(data, list) and data and isinstance(data[0], list) else \
            ([data] if isinstance(data, list) else [[data]])
        width = max(len(row) for row in grid)
        grid = [[protocol_value(v) for v in row] + [""] * (width - len(row)) for row in grid]
        self._record("setValues", [None], values=grid, rows=len(grid), cols=width)

    @property
    def color(self):
        raise NotImplementedError("a JSON book carries no formats: actions do not read them")

    @color.setter
    def color(self, fill: str | None) -> None:
        self._record("setRangeColor", [_colour(fill)])

    def set_colors(self, matrix: list[list]) -> None:
        # As xlwings' own ``Range.set_colors`` (0.37) refuses: an action that passes here
        # passes in Excel and with xlwings' engines too.
        if self.rows * self.cols > SET_COLORS_LIMIT:
            raise ValueError(f"Range.set_colors() supports at most {SET_COLORS_LIMIT:,} cells per call")
        if len(matrix) != self.rows or any(len(row) != self.cols for row in matrix):
            raise ValueError(f"expected {self.rows} rows of {self.cols} colours")
        self._record("setRangeColors", [[["keep" if f is ... else _colour(f) for f in row] for row in matrix]])

    @property
    def column_width(self):
        raise NotImplementedError("a JSON book carries no formats: actions do not read them")

    @column_width.setter
    def column_width(self, width: float) -> None:
        self._record("setColumnWidth", [width])

    @property
    def font(self) -> _Font:
        return _Font(self)

    def merge(self, across: bool = False) -> None:
        self._record("rangeMerge", [bool(across)])

    def _record(self, func: str, args: list, *, values=None, rows: int | None = None, cols: int | None = None):
        self.sheet._book._record(func, args, values=values, sheet=self.sheet.index,
                                 rect=(self.row0, self.col0, rows or self.rows, cols or self.cols))


class _Font:
    def __init__(self, rng: _Range):
        self._range = rng

    @property
    def bold(self):
        raise NotImplementedError("a JSON book carries no formats: actions do not read them")

    @bold.setter
    def bold(self, value: bool) -> None:
        self._range._record("setFontProperty", ["bold", bool(value)])


class _Read:
    def __init__(self, rng: _Range, ndim: int | None, empty):
        self._range, self._ndim, self._empty = rng, ndim, empty

    @property
    def value(self):
        r = self._range
        grid = r.sheet._book._grids[r.sheet.index]
        rows = [[_cell_in(grid[i][j] if i < len(grid) and j < len(grid[i]) else "", self._empty)
                 for j in range(r.col0, r.col0 + r.cols)] for i in range(r.row0, r.row0 + r.rows)]
        if self._ndim == 2:
            return rows
        if r.rows == 1 and r.cols == 1:
            return rows[0][0]
        if r.rows == 1:
            return rows[0]
        if r.cols == 1:
            return [row[0] for row in rows]
        return rows


def _cell_in(value, empty):
    if value == "" or value is None:
        return empty
    if isinstance(value, str) and _DATE.match(value):
        return dt.datetime.fromisoformat(value[:19])
    return value


def protocol_value(value):
    """A value as the protocol carries it: dates as ISO text with Z, numbers finite (what a host
    sends for a cell, and what an action writes)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a cell cannot hold an infinite number")
    if not isinstance(value, _CELL_TYPES):
        raise TypeError(f"a cell cannot hold a {type(value).__name__}")
    return value


def _colour(fill: str | None) -> str | None:
    """``#rrggbb`` in lower case (as xlwings' protocol sends it), or None for no fill."""
    return fill.lower() if isinstance(fill, str) else fill


def _grid(values: list) -> list[list]:
    return [list(row) for row in values]


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _parse_address(address: str) -> tuple[int, int, int, int]:
    match = _ADDRESS.match(address.strip())
    if not match:
        raise ValueError(f"not a single-rectangle address: {address!r}")
    c1, r1, c2, r2 = match.groups()
    c2, r2 = c2 or c1, r2 or r1
    row, col = int(r1) - 1, _column(c1)
    return row, col, int(r2) - int(r1) + 1, _column(c2) - col + 1


def _check(payload) -> None:
    """Refuse what is not a book of this protocol, naming what is wrong."""
    if not isinstance(payload, dict):
        raise PayloadError("应为 JSON 对象")
    if payload.get("protocol", PROTOCOL) != PROTOCOL:
        raise PayloadError(f"协议版本 {payload.get('protocol')!r} 不受支持（应为 {PROTOCOL}）")
    book = payload.get("book")
    if not isinstance(book, dict) or not isinstance(book.get("name"), str) or not book["name"]:
        raise PayloadError("缺少工作簿名称（book.name）")
    if "fullname" in book and not isinstance(book["fullname"], str):
        raise PayloadError("book.fullname 应为文字")
    if not isinstance(book.get("active_sheet_index", 0), int):
        raise PayloadError("book.active_sheet_index 应为整数")
    sheets = payload.get("sheets")
    if not isinstance(sheets, list) or not sheets:
        raise PayloadError("缺少工作表（sheets）")
    seen = set()
    for i, sheet in enumerate(sheets):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str) or not sheet["name"]:
            raise PayloadError(f"第 {i + 1} 个工作表缺少名称")
        if sheet["name"] in seen:
            raise PayloadError(f"工作表名称重复：{sheet['name']}")
        seen.add(sheet["name"])
        values = sheet.get("values")
        if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
            raise PayloadError(f"工作表“{sheet['name']}”的 values 应为二维数组")
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if not isinstance(value, _CELL_TYPES) or (isinstance(value, float) and not math.isfinite(value)):
                    raise PayloadError(f"工作表“{sheet['name']}”的 {column_letters(c)}{r + 1} 不是单元格的值")
