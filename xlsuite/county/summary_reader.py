"""Read back a summary workbook ``consolidate`` wrote: its sheets by name, columns by header text.

The county report (``xlsuite.report.county_reader``) and the 审核意见 (``feedback``) both read a
summary; they find sheets and columns by the texts in ``headers`` (the ones the writer uses),
never by position, so a summary a person has re-sorted, filtered or widened still reads.
calamine reads the cached values the writer stored.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import ContractError
from . import headers as h

Grid = list[list]


def read_sheets(path: str | Path, names: tuple[str, ...]) -> dict[str, Grid]:
    """The grids of sheets ``names`` of the summary at ``path``.

    Raises:
        InputError: the file is not a readable workbook.
        ContractError: it is not a summary written by ``xlsuite consolidate`` (a sheet is missing).
    """
    from ..reader.engines import open_engine
    from ..reader.sniff import check_workbook_file

    path = Path(path)
    check_workbook_file(path)
    book = open_engine(path)
    try:
        missing = [name for name in names if name not in book.sheet_names()]
        if missing:
            raise ContractError(path, f"不是 xlsuite consolidate 生成的汇总表（缺少工作表：{'、'.join(missing)}）")
        return {name: book.grid(name) for name in names}
    finally:
        book.close()


def about(grids: dict[str, Grid]) -> dict[str, str]:
    """汇总说明's key–value rows (the first value of a key: the sheet guide below repeats names)."""
    out: dict[str, str] = {}
    for row in grids[h.ABOUT]:
        if len(row) > h.ABOUT_VALUE_COL and (key := text(row[h.ABOUT_KEY_COL])):
            out.setdefault(key, text(row[h.ABOUT_VALUE_COL]))
    return out


def table(path, grids: dict[str, Grid], sheet: str, *headers: str) -> list[dict[str, str]]:
    """The rows below the first row holding all ``headers``, as header → cell text."""
    grid = grids[sheet]
    for at, row in enumerate(grid):
        texts = [text(v) for v in row]
        if all(x in texts for x in headers):
            cols = {x: texts.index(x) for x in headers}
            return [{x: text(r[i]) if i < len(r) else "" for x, i in cols.items()} for r in grid[at + 1:]]
    raise ContractError(path, f"汇总表“{sheet}”中找不到表头：{'、'.join(headers)}")


def records(path, grids: dict[str, Grid], sheet: str, *keys: str) -> list[dict[str, str]]:
    """The rows of one of the declared tables (``columns.TABLES``), as column key → cell text, of
    the columns ``keys`` (by default all), found by their declared headers as ``table`` finds them."""
    from .columns import TABLES

    declared = {col.key: col.header for col in TABLES[sheet]}
    wanted = {key: declared[key] for key in keys or declared}
    return [{key: row[header] for key, header in wanted.items()}
            for row in table(path, grids, sheet, *wanted.values())]


def text(value) -> str:
    """A cell as text; a whole number read as a float (307001.0) loses its .0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
