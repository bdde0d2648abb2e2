"""openpyxl's internals that xlsuite relies on, all of them (openpyxl 3.1).

``load_workbook`` refuses a file object or path whose name is not .xlsx/.xlsm/.xltx/.xltm
(the content should decide, as with calamine), and drops without a word a sheet the workbook
lists but whose part is missing from the package. ``open_read_only`` does what
``load_workbook(read_only=True, data_only=True)`` does, through the reader behind it:

- ``openpyxl.reader.excel.ExcelReader(source, read_only=..., data_only=...)`` and its
  ``read()``, which opens the package into ``ExcelReader.archive`` (a ``zipfile.ZipFile``, left
  open for the read-only sheets, closed here when reading fails) and builds ``ExcelReader.wb``;
- ``ExcelReader.parser.sheets``: the sheets ``xl/workbook.xml`` lists, each with ``name``,
  whether or not their part exists.

The sheet writer of the forms (``forms/xlsx_writer``) lays out thousands of cells and merges
per scored book, and two public paths cost more than the whole rest of ``xlsuite score``:

- ``cell.font = …`` (and alignment, border, number format) hashes the style objects and looks
  them up in the workbook's lists on every assignment; ``share_style`` styles one cell that way
  and gives the others of the same style a copy of its ``Cell._style`` (openpyxl's
  ``StyleArray`` of style ids), which is what the assignments end in;
- ``Worksheet.merge_cells`` checks each new range against every earlier one (quadratic in the
  merges of a sheet) and turns the covered cells into ``MergedCell`` objects; ``set_merges`` builds
  ``Worksheet.merged_cells`` (a ``MultiCellRange``, which the sheet writer saves range by
  range as ``str(range)``) at once, leaving the covered cells as the writer styled them.

``pyproject.toml`` pins openpyxl below 3.2; ``tests/test_adapters.py`` checks each of these and
names this module when a new version has moved one.
"""

from __future__ import annotations

from copy import copy


def open_read_only(source):
    """The read-only, values-only openpyxl workbook of ``source`` (a path or a binary file
    object, whatever its name), and the names of the sheets the workbook lists.

    Raises whatever openpyxl raises on a damaged package (the package is closed first).
    """
    from openpyxl.reader.excel import ExcelReader

    reader = None
    try:
        reader = ExcelReader(source, read_only=True, data_only=True)
        reader.read()
    except BaseException:
        if reader is not None:
            reader.archive.close()
        raise
    return reader.wb, [sheet.name for sheet in reader.parser.sheets]


def share_style(styled, cell) -> None:
    """Give ``cell`` exactly the style of ``styled`` (a cell of the same workbook)."""
    cell._style = copy(styled._style)


def set_merges(ws, ranges) -> None:
    """Make ``ranges`` ((first row, first col, last row, last col), 1-based, not overlapping) the
    merged ranges of ``ws``, which has none yet, for saving: plain ``CellRange`` objects, since a
    ``MergedCellRange`` restyles its top-left cell's border as it is made."""
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

    ws.merged_cells = MultiCellRange([CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2)
                                      for r1, c1, r2, c2 in ranges])
