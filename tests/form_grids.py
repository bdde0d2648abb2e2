"""A printed form as a grid of what each cell shows, with merges marked: the text of a merged
range's top-left cell, ``<`` in a cell merged with the one on its left, ``^`` with the one above.
One reading for a sheet plan, a written worksheet, a host book's recorded sheet and a Word
table, so a hand-worked form can be compared cell for cell with each of them.

Beside the shown text, a workbook's reader also gets each cell's stored value and type
(``*_values``: ``(kind, value)`` by position): a number written as text shows the same digits
but is no number to a formula or a sort."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from xlsuite.forms.plan import FORMULA, NUMBER, TEXT, display, format_number

LEFT, UP = "<", "^"


def plan_grid(plan, first: int, last: int) -> list[list[str]]:
    """Rows ``first``..``last`` (0-based, inclusive) of a sheet plan."""
    width = len(plan.col_widths)
    grid = [[""] * width for _ in range(first, last + 1)]
    for cell in plan.cells:
        if first <= cell.row <= last:
            grid[cell.row - first][cell.col] = display(cell)
    _mark(grid, [(r1 - first, c1, r2 - first, c2) for r1, c1, r2, c2 in plan.merges if first <= r1 <= last])
    return grid


def sheet_grid(ws, first: int, last: int, width: int) -> list[list[str]]:
    """Rows ``first``..``last`` (1-based, as Excel numbers them) of an openpyxl worksheet, each
    number shown under its cell's number format."""
    grid = []
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=width):
        texts = []
        for cell in row:
            value = cell.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = format_number(Decimal(str(value)), cell.number_format)
            elif cell.data_type == "f":
                value = link_text(value)
            texts.append("" if value is None else str(value))
        grid.append(texts)
    merges = [(m.min_row - first, m.min_col - 1, m.max_row - first, m.max_col - 1)
              for m in ws.merged_cells.ranges if first <= m.min_row <= last]
    _mark(grid, merges)
    return grid


_HYPERLINK = re.compile(r'^=HYPERLINK\("(?:[^"]|"")*",\s*"((?:[^"]|"")*)"\)$', re.IGNORECASE)


def link_text(formula: str) -> str:
    """What a spreadsheet shows for a ``=HYPERLINK(target, text)`` formula: its text."""
    match = _HYPERLINK.match(formula)
    assert match, f"a formula other than a link: {formula!r}"
    return match.group(1).replace('""', '"')


def plan_values(plan) -> dict[tuple[int, int], tuple[str, object]]:
    """The value a workbook writer must store per (0-based) position: numbers as floats, text
    and formulas as written; empty cells left out."""
    out = {}
    for cell in plan.cells:
        if cell.value is None or cell.value == "":
            continue
        value = float(cell.value) if cell.kind == NUMBER else str(cell.value)
        out[(cell.row, cell.col)] = (cell.kind, value)
    return out


def sheet_values(ws) -> dict[tuple[int, int], tuple[str, object]]:
    """What an openpyxl worksheet stores, as ``plan_values`` reads a plan."""
    out = {}
    kinds = {"n": NUMBER, "s": TEXT, "f": FORMULA}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            kind = kinds[cell.data_type]
            out[(cell.row - 1, cell.column - 1)] = (kind, float(cell.value) if kind == NUMBER else cell.value)
    return out


@dataclass
class HostSheet:
    """A sheet as a host has it once it applied the recorded actions (``excel.host``)."""

    name: str
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)

    def stored(self) -> dict[tuple[int, int], tuple[str, object]]:
        """The values as ``plan_values`` reads a plan: a leading apostrophe is Excel's text
        prefix (the rest is text, even ``=…``), a leading ``=`` a formula."""
        out = {}
        for at, value in self.values.items():
            if value == "" or value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[at] = (NUMBER, float(value))
            elif value.startswith("'"):
                out[at] = (TEXT, value[1:])
            elif value.startswith("="):
                out[at] = (FORMULA, value)
            else:
                out[at] = (TEXT, value)
        return out


_FORMATS_ONLY = {"alert", "activateSheet", "setRangeColor", "setRangeColors", "setFontProperty"}
"""Recorded actions that change no value, merge or width."""


def host_sheets(payload: dict, actions: list[dict]) -> dict[str, HostSheet]:
    """The sheets of a host book after its recorded ``actions``, as a host applies them."""
    sheets = []
    for sheet in payload["sheets"]:
        host = HostSheet(sheet["name"])
        for r, row in enumerate(sheet["values"]):
            for col, value in enumerate(row):
                host.values[(r, col)] = value
        sheets.append(host)
    for a in actions:
        func = a["func"]
        if func == "addSheet":
            index, name = a["args"]
            sheets.insert(index, HostSheet(name))
            continue
        if func in _FORMATS_ONLY:
            continue
        sheet = sheets[a["sheet_position"]]
        row, col = a["start_row"], a["start_column"]
        if func == "setValues":
            for r, line in enumerate(a["values"]):
                for c, value in enumerate(line):
                    sheet.values[(row + r, col + c)] = value
        elif func in ("sheetClear", "sheetClearContents"):
            sheet.values.clear()
        elif func == "rangeMerge":
            sheet.merges.append((row, col, row + a["row_count"] - 1, col + a["column_count"] - 1))
        elif func == "setColumnWidth":
            for c in range(a["column_count"]):
                sheet.widths[col + c] = a["args"][0]
        else:
            raise NotImplementedError(f"host_sheets does not know {func!r}")
    return {sheet.name: sheet for sheet in sheets}


def word_blocks(doc) -> list[tuple[str, object, bool]]:
    """The document's body in order: ``("paragraph", text, page break before)`` for each
    paragraph with text, ``("table", word_grid, page break before)`` for each table."""
    blocks = []
    for item in doc.iter_inner_content():
        if hasattr(item, "rows"):
            first = item.cell(0, 0).paragraphs[0]
            blocks.append(("table", word_grid(item), bool(first.paragraph_format.page_break_before)))
        elif item.text:
            blocks.append(("paragraph", item.text, bool(item.paragraph_format.page_break_before)))
    return blocks


def word_grid(table) -> list[list[str]]:
    """A python-docx table: a cell that is the same XML cell as its upper (or left) neighbour is
    part of their merge."""
    rows, cols = len(table.rows), len(table.columns)
    grid = []
    for r in range(rows):
        line = []
        for col in range(cols):
            tc = table.cell(r, col)._tc
            # Above first: in a block merged both ways, the rows below its first are ``^`` all
            # along, as ``_mark`` marks a plan's and a sheet's.
            if r and table.cell(r - 1, col)._tc is tc:
                line.append(UP)
            elif col and table.cell(r, col - 1)._tc is tc:
                line.append(LEFT)
            else:
                line.append(table.cell(r, col).text)
        grid.append(line)
    return grid


def _mark(grid: list[list[str]], merges) -> None:
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) == (r1, c1):
                    continue
                grid[r][col] = LEFT if r == r1 else UP
