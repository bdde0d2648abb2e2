"""Spreadsheet engines: each only opens a file, lists its sheets and gives a sheet's cells.

Every engine returns a sheet as a rectangular grid of Python values anchored at A1, with ``""``
for an empty cell, so the parser never knows which library read the file. calamine (Rust) is the
default: it reads an .xlsx an order of magnitude faster than openpyxl. openpyxl stays as a second
engine that tests run against too. Libraries are imported late, inside the engine.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Protocol

from ..core.errors import REMOVE_PASSWORD, InputError, library_reason
from .parse import rectangular

Grid = list[list]


class Engine(Protocol):
    def sheet_names(self) -> list[str]: ...

    def grid(self, name: str) -> Grid: ...

    def close(self) -> None: ...


class CalamineEngine:
    def __init__(self, path: Path, data: bytes | None = None, xlsx: bool = False):
        """``data``, the file's bytes if the caller has read them already, saves opening it again;
        ``xlsx``: ``data`` is a package only calamine's .xlsx reader can take (see
        ``package.PackageCheck.engine_package_is_xlsx``)."""
        import python_calamine

        self._errors = (python_calamine.CalamineError, python_calamine.ZipError,
                        python_calamine.XmlError)
        self.path = path
        if data is not None:
            # From memory calamine reads a package about 5% faster than from the path. Given
            # bytes it guesses the format, so load_tables=True, which only its .xlsx reader
            # accepts, keeps it to that reader: an .xlsx package is read as one whatever its
            # name (given the path, calamine goes by the extension, and reads an .xlsx saved
            # as "x.xls" as a broken .xls, where openpyxl reads it). Any failure goes the path's
            # way below, which gives the reason as it always has (and reads .xlsb and .ods).
            # (Loading the tables costs a tenth of reading the sample: not done where only the
            # .xlsx reader can read the package anyway.)
            try:
                self._wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data), load_tables=not xlsx)
                return
            except (*self._errors, ValueError, OSError):
                pass
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError:
            raise InputError(path, "工作簿设置了打开密码（已加密），无法读取", REMOVE_PASSWORD) from None
        except (*self._errors, ValueError, OSError) as exc:
            raise InputError(path, f"文件已损坏，无法读取（{library_reason(exc)}）") from None

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheet_names)

    def grid(self, name: str) -> Grid:
        try:
            return self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (*self._errors, ValueError) as exc:
            raise InputError(self.path, f"工作表“{name}”已损坏，无法读取（{library_reason(exc)}）") from None

    def close(self) -> None:
        self._wb.close()


class OpenpyxlEngine:
    def __init__(self, path: Path, data: bytes | None = None, xlsx: bool = False):
        """``data``, the file's bytes if the caller has read them already, is read from memory:
        the content decides, as with calamine, not the name (openpyxl given a path refuses any
        name but .xlsx/.xlsm/.xltx/.xltm). ``xlsx`` is calamine's affair."""
        import zipfile
        import zlib

        from openpyxl.utils.exceptions import InvalidFileException

        from ..adapters.openpyxl_internals import open_read_only

        self.path = path
        # What openpyxl raises on a damaged package, at opening or (read-only, it parses a sheet
        # as it is iterated) while reading a sheet: bad XML (the standard library's ParseError
        # and lxml's XMLSyntaxError are both SyntaxErrors), a missing part (KeyError), a damaged
        # zip member, a cell it cannot convert (ValueError, IndexError into the shared strings,
        # OverflowError for a date) or an element of the wrong shape (TypeError, AttributeError).
        self._errors = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError,
                        ValueError, TypeError, AttributeError, OverflowError, InvalidFileException)
        try:
            # A sheet the workbook lists but whose part is missing from the package openpyxl
            # leaves out without a word; listed, it fails in ``grid`` as it does with calamine
            # (the file is damaged) instead of reading as a sheet the user never had.
            self._wb, self._listed = open_read_only(io.BytesIO(data) if data is not None else path)
        except (*self._errors, OSError) as exc:
            raise InputError(path, f"文件已损坏，无法读取（{library_reason(exc)}）") from None

    def sheet_names(self) -> list[str]:
        return list(self._listed)

    def grid(self, name: str) -> Grid:
        from ..adapters.openpyxl_internals import read_only_values

        if name not in self._wb.sheetnames:
            raise InputError(self.path, f"工作表“{name}”已损坏，无法读取（文件中缺少它的内容）")
        try:
            ws = self._wb[name]
            # As iter_rows(values_only=True), but a row numbered out of order, which it would
            # drop without a word, makes the sheet damaged (calamine reads it by its cells).
            rows = [["" if v is None else v for v in row] for row in read_only_values(ws)]
        except self._errors as exc:
            raise InputError(self.path, f"工作表“{name}”已损坏，无法读取（{library_reason(exc)}）") from None
        return rectangular(rows)

    def close(self) -> None:
        self._wb.close()


ENGINES = {"calamine": CalamineEngine, "openpyxl": OpenpyxlEngine}
DEFAULT_ENGINE = "calamine"


def open_engine(path: Path, engine: str | None = None, data: bytes | None = None, xlsx: bool = False) -> Engine:
    """Open ``path`` with the named engine; ``data``, its bytes if already read, may spare a read
    (``xlsx``: see ``CalamineEngine``)."""
    name = engine or DEFAULT_ENGINE
    try:
        cls = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose from {sorted(ENGINES)}") from None
    return cls(path, data, xlsx)
