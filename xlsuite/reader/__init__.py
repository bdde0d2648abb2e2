"""Read a department's workbook file into the model.

``read_book`` is the one public entry point: it checks the file's bytes, opens it with an engine
(calamine by default), and parses only the sheets the contract needs. Every failure is an
``XlsuiteError`` whose message names the file and the reason in Chinese.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..core import contract as c
from ..core.errors import InputError
from ..core.model import CellRef, DepartmentBook
from .engines import DEFAULT_ENGINE, ENGINES, open_engine
from .formula_results import formula_results
from .package import check_package, name_malformed_sheet
from .parse import CellError, make_visible, parse_book
from .sniff import diagnose_package, read_workbook_file

NEEDED_SHEETS = c.READ_SHEETS


def read_book(path: str | Path, engine: str | None = None) -> DepartmentBook:
    """Read a filled standard workbook (.xlsx or .xlsm).

    Args:
        path: the workbook file.
        engine: ``"calamine"`` (default, fast) or ``"openpyxl"``.

    Returns:
        The department's book, each value remembering its sheet and cell.

    Raises:
        InputError: the file is not a readable workbook (empty, corrupt, encrypted, .xls, …).
        ContractError: it is a workbook, but not a standard one this xlsuite can read.
        CellValueError: cells hold values of the wrong kind; every such cell is named.
    """
    path = Path(path)
    data = read_workbook_file(path)  # the file is read once: checked, then handed to the engine
    # Limits, CRCs and error cells, before any engine allocates a sheet (see ``package``).
    checked = check_package(path, data, NEEDED_SHEETS)
    xlsx = False
    if (engine or DEFAULT_ENGINE) == "calamine" and checked.parts:
        data, xlsx = checked.engine_package(data), checked.engine_package_is_xlsx  # the very bytes checked
    try:
        book = open_engine(path, engine, data, xlsx)
    except InputError:
        # A clearer reason than the engine's, when there is one.
        name_malformed_sheet(path, data)
        diagnose_package(path)
        raise
    try:
        names = book.sheet_names()
        # parse_book names any required sheet that is missing
        hidden: list[tuple[CellRef, str]] = []
        grids = {name: _checked_grid(book.grid(name), checked.errors.get(name), checked.escapes, hidden, name)
                 for name in NEEDED_SHEETS if name in names}
    finally:
        book.close()
    book = parse_book(grids, path)
    as_percentages(book, checked.percent)
    book.formula_results = formula_results(grids)
    book.hidden_characters = tuple(hidden)
    return book


def as_percentages(book: DepartmentBook, cells: frozenset[tuple[int, int]]) -> None:
    """Each indicator target or actual Excel shows as a percentage (``percent_cells``), as the
    accountant sees it: 0.9 shown 「90%」 reads as 90, with the unit % when none is given, so
    the forms print 「≥90%」 and it compares with a rate typed as 90."""
    if not cells:
        return
    for indicator in book.indicators:
        for key in ("target", "actual"):
            value, ref = getattr(indicator, key), indicator.cells.get(key)
            if isinstance(value, Decimal) and ref is not None and (ref.row, ref.col) in cells:
                shown = value * 100
                setattr(indicator, key, shown.quantize(1) if shown == shown.to_integral_value() else shown.normalize())
                indicator.unit = indicator.unit or "%"


def _checked_grid(grid, errors, escapes: bool, hidden: list, sheet: str):
    """``grid`` with its error cells as ``CellError``s (calamine reads them as blank, openpyxl as
    text), so both engines give the parser the same values, and, where the package may hold
    characters XML cannot, its texts made ``visible_text`` (each such cell added to ``hidden``, with the
    ``_xHHHH_`` forms it now shows)."""
    for (r, col), code in (errors or {}).items():
        if r < len(grid) and col < len(grid[r]):
            grid[r][col] = CellError(code)
    if escapes:
        hidden += make_visible(grid, sheet)
    return grid


__all__ = ["read_book", "ENGINES"]
