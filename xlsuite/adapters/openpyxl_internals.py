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

``pyproject.toml`` pins openpyxl below 3.2; ``tests/test_adapters.py`` checks each of these and
names this module when a new version has moved one.
"""

from __future__ import annotations


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
