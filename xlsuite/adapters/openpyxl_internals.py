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

A read-only sheet's ``iter_rows(values_only=True)`` skips without a word a ``<row>`` numbered
at or above an earlier one (its cells never reach the caller), where calamine places the cells by
their own references. ``read_only_values`` reads the rows as that call does, through the same
pieces, and raises on such a row instead:

- ``ReadOnlyWorksheet._get_source()`` (the sheet's XML, a context manager), its
  ``_shared_strings`` and ``parent`` (the workbook's ``data_only``, ``epoch``,
  ``_date_formats`` and ``_timedelta_formats``), which ``WorkSheetParser``
  (``openpyxl.worksheet._reader``) takes; ``WorkSheetParser.parse()`` yields each row's number
  and its cells;
- ``WorkSheetParser.parse_cell(element)``, which returns a dict with ``value`` and
  ``data_type``: a number in a date-styled cell beyond Excel's dates (99,999,999,999) it makes
  the text ``#VALUE!`` typed ``e`` (with a warning) where calamine gives the number;
  ``read_only_values`` gives the number too (``_cast_number`` of the ``<v>`` text,
  ``VALUE_TAG``), so both engines hand the parser the same value;
- ``ReadOnlyWorksheet._get_row(cells, min_col, max_col, values_only)``, one row's values (with
  ``max_col=None``, up to its last cell; ``()`` for a row without cells). The sheet's
  ``<dimension>``, which ``_cells_by_row`` trusts for ``max_row`` / ``max_column``, is not used.

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

The scored book is a copy of the department's made by ``load_workbook`` and ``save``; openpyxl
turns each cell of a shared formula (a column filled down in Excel, and the template's computed
columns) into a formula of its own, each by a ``Translator`` pass over the group's formula: 1.2 s
for the template's 3,000 computed cells, and a saved copy ten times the size of the book.
``load_keeping_shared_formulas`` loads as ``load_workbook`` does, keeping them shared:

- ``ExcelReader.read_worksheets`` makes each sheet's ``WorksheetReader`` under that name of
  module ``openpyxl.reader.excel``; a copy of the method whose globals bind the name to a
  subclass (nothing of openpyxl is changed) whose ``parse_formula`` returns a ``SharedFormula``
  for the cells of a shared formula, and ``shared_formulae`` holds the groups it has seen;
- ``SharedFormula`` is an ``ArrayFormula`` (``openpyxl.worksheet.formula``), which the cell
  writers (``openpyxl.cell._writer``) save as ``<f>`` with the attributes its iteration yields
  and its ``text`` (none for the other cells of a group). Nothing else in openpyxl looks at
  ``ArrayFormula`` but ``Worksheet.array_formulae``, which xlsuite does not use.

``pyproject.toml`` pins openpyxl below 3.2; ``tests/test_adapters.py`` checks each of these and
names this module when a new version has moved one.
"""

from __future__ import annotations

from copy import copy
from functools import cache


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


def read_only_values(ws) -> list[tuple]:
    """The rows of read-only sheet ``ws`` as tuples of values (``None`` where empty), as
    ``ws.iter_rows(values_only=True)`` gives them, but a row numbered out of order raises, and
    the sheet's extent is its cells', not its ``<dimension>``: iter_rows stops at the
    dimension's last row and column, so a dimension smaller than the sheet (``A1:H5``) dropped
    every cell beyond it without a word, where calamine reads them all.

    Raises:
        ValueError: a ``<row>`` numbered at or above an earlier one (openpyxl would drop it);
            and whatever openpyxl raises on a damaged sheet.
    """
    wb = ws.parent
    rows: list[tuple] = []
    with ws._get_source() as src:
        parser = _parser_class()(src, ws._shared_strings, data_only=wb.data_only, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for number, cells in parser.parse():
            if number <= len(rows):
                raise ValueError(f"row {number} follows row {len(rows)}")
            rows += [()] * (number - 1 - len(rows))
            rows.append(ws._get_row(cells, 1, None, True))  # as wide as its last cell
    return rows


@cache
def _parser_class():
    """openpyxl's sheet parser, but a number in a date-styled cell beyond the dates stays the
    number (openpyxl makes it ``#VALUE!`` and warns; calamine gives the number)."""
    import warnings

    from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser, _cast_number

    class FarDatesAsNumbers(WorkSheetParser):
        def parse_cell(self, element):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                cell = super().parse_cell(element)
            if cell["data_type"] == "e" and element.get("t", "n") == "n":
                cell["value"], cell["data_type"] = _cast_number(element.findtext(VALUE_TAG)), "n"
            return cell

    return FarDatesAsNumbers


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


def load_keeping_shared_formulas(source, **options):
    """``openpyxl.load_workbook(source, **options)`` with every shared formula kept as it is
    in the file (see the notes): saved, the copy stores each formula once, as the book did."""
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):
        read_worksheets = _read_worksheets_keeping_shared()

    reader = Reader(source, **options)
    reader.read()
    return reader.wb


def _shared_formula_class():
    from openpyxl.worksheet.formula import ArrayFormula

    class SharedFormula(ArrayFormula):
        """One cell of a shared formula: the group's first cell with its range and text, the
        others with the group's number only."""

        t = "shared"

        def __init__(self, si: str, ref: str | None = None, text: str | None = None):
            super().__init__(ref, text)
            self.si = si

        def __iter__(self):
            yield "t", "shared"
            if self.ref:
                yield "ref", self.ref
            yield "si", self.si

    return SharedFormula


@cache
def _read_worksheets_keeping_shared():
    import types

    import openpyxl.reader.excel
    from openpyxl.worksheet._reader import WorkSheetParser, WorksheetReader
    from openpyxl.xml.constants import SHEET_MAIN_NS

    shared_formula = _shared_formula_class()
    formula_tag = f"{{{SHEET_MAIN_NS}}}f"

    class Parser(WorkSheetParser):
        def parse_formula(self, element):
            formula = element.find(formula_tag)
            if formula.get("t") != "shared":
                return super().parse_formula(element)
            si = formula.get("si")
            if formula.get("ref") and formula.text:
                self.shared_formulae[si] = True
                return shared_formula(si, formula.get("ref"), "=" + formula.text)
            if self.shared_formulae.get(si) is True:
                return shared_formula(si)
            return super().parse_formula(element)  # a group not begun here: as openpyxl reads it

    class Reader(WorksheetReader):
        def __init__(self, ws, xml_source, shared_strings, data_only, rich_text):
            super().__init__(ws, xml_source, shared_strings, data_only, rich_text)
            self.parser = Parser(xml_source, shared_strings, data_only, ws.parent.epoch,
                                 ws.parent._date_formats, ws.parent._timedelta_formats, rich_text)

    method = openpyxl.reader.excel.ExcelReader.read_worksheets
    names = dict(method.__globals__)
    names["WorksheetReader"] = Reader
    return types.FunctionType(method.__code__, names, method.__name__, method.__defaults__, method.__closure__)
