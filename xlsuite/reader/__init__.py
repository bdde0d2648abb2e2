"""Read a department's workbook file into the model.

``read_book`` is the one public entry point: it checks the file's bytes, opens it with an engine
(calamine by default), and parses only the sheets the contract needs. Every failure is an
``XlsuiteError`` whose message names the file and the reason in Chinese.
"""

from __future__ import annotations

from pathlib import Path

from .. import contract as c
from ..errors import InputError
from ..model import DepartmentBook
from .engines import ENGINES, open_engine
from .parse import parse_book
from .sniff import diagnose_package, read_workbook_file

NEEDED_SHEETS = (*c.REQUIRED_SHEETS, c.META_SHEET)


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
    try:
        book = open_engine(path, engine, data)
    except InputError:
        diagnose_package(path)  # a clearer reason than the engine's, when there is one
        raise
    try:
        names = book.sheet_names()
        # parse_book names any required sheet that is missing
        grids = {name: book.grid(name) for name in NEEDED_SHEETS if name in names}
    finally:
        book.close()
    return parse_book(grids, path)


__all__ = ["read_book", "ENGINES"]
