"""xlsxwriter's internals that xlsuite relies on, all of them (xlsxwriter 3.1 – 3.3).

What is used, and why:

- ``Worksheet._write_rows()`` writes the ``<row>`` elements of rows ``dim_rowmin`` to
  ``dim_rowmax`` into ``Worksheet.fh``; ``Worksheet._check_dimensions(row, col)`` widens those
  bounds. ``RowsXmlWorksheet`` writes rows rendered ahead as XML (the county summary's data
  rows, see ``county/rawrows.py``), or yielded as UTF-8 by a function only then (written to
  ``fh.buffer``, the file under xlsxwriter's UTF-8 text file ``fh``, after ``fh.flush()``), between stretches of
  xlsxwriter's own rows, by narrowing the bounds around each call.
- ``Workbook.str_table`` (also ``Worksheet.str_table``), the shared string table: its
  ``_get_shared_string_index(text)``, its ``count`` (text cells, written as ``<sst count>``) and
  ``string_array`` (the strings in index order, ready once the workbook closes). Rows rendered
  ahead take their strings' indexes from it and add the cells they place to its count.
- ``Format._get_xf_index()``, a format's style number (the ``s`` attribute of a cell).
- ``Workbook.worksheet_class``, the class ``add_worksheet`` makes when given none (a subclass
  of ``Workbook`` sets it to have every sheet a ``RowsXmlWorksheet``).
- ``Workbook._get_packager()``, the hook xlsxwriter has for replacing its ``Packager``; the
  packager's ``_write_shared_strings_file()``, ``_filename(name)`` and ``workbook``; and
  ``SharedStrings`` with ``string_table``, ``_set_xml_writer(path)``, ``_assemble_xml_file()``,
  ``fh`` and ``_write_sst_strings()``. ``Workbook.shared_string_xml`` writes every ``<si>``
  with a function of xlsuite's (xlsxwriter writes text looking like rich-text markup unescaped).
- ``Workbook._store_workbook()`` making the package's ``zipfile.ZipFile`` under the name
  ``ZipFile`` of module ``xlsxwriter.workbook``, with no way to choose the deflate level. For
  ``Workbook.zip_level`` this module makes, once, a copy of that method whose globals are a copy
  of the module's with ``ZipFile`` bound to a ``ZipFile`` at that level. Nothing of xlsxwriter
  is changed: other workbooks, and other threads, still get xlsxwriter's own method.
- Sheets assembled apart: the packager's ``_write_worksheet_files()``, done as xlsxwriter does
  it (a file from ``_filename``, ``Worksheet._set_xml_writer`` and ``_assemble_xml_file()``,
  ``constant_memory``'s ``_opt_reopen()`` and ``_write_single_row()``), but that a worksheet
  with ``assemble_apart`` set is assembled, and deflated, by a forked child (on Linux) while the
  packager goes on; ``_store_workbook`` then adds each part's file with ``ZipFile.write`` after
  setting its time to 1980-01-31. Its ``ZipFile`` takes a sheet assembled apart in as the child
  deflated it, writing the member as Python's ``zipfile`` does (``ZipInfo.from_file``,
  ``FileHeader``, and the ``ZipFile``'s ``fp``, ``start_dir``, ``_lock``, ``_writecheck``,
  ``_didModify``, ``filelist``, ``NameToInfo``, ``_strict_timestamps``): the package is byte
  for byte the one written without it.

- ``Worksheet.table`` (row → column → cell), where ``write_shared_formula`` puts its cells.
- ``Worksheet._write_cell(row, col, cell)``, which writes one ``<c>`` element, dispatching on
  the cell tuple's class name, and the XML writer's ``_xml_start_tag``, ``_xml_data_element``,
  ``_xml_empty_tag`` and ``_xml_end_tag``. ``FormulaWorksheet`` (every sheet of this module's
  ``Workbook``) also writes ``FormulaCell``: a formula with no cached value, and a column filled
  down with one formula stored as Excel stores it, the formula once (``<f t="shared" ref=…
  si=…>``) and the other cells pointing at it (``<f t="shared" si=…/>``). xlsxwriter writes every cell's formula in full:
  the template's 1,000 indicator rows made a 3.4 MB sheet that every reader had to parse.

``pyproject.toml`` pins xlsxwriter below 3.4; ``tests/test_adapters.py`` checks each of these
(and zipfile's) and names this module when a new version has moved one.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import struct
import sys
import time
import types
import zipfile
import zlib
from collections.abc import Callable, Iterable
from functools import partial
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet


def shared_strings(workbook: xlsxwriter.Workbook):
    """The workbook's shared string table (give it to ``string_index``)."""
    return workbook.str_table


def string_index(strings, text: str) -> int:
    """``text``'s index in the shared string table ``strings``, added if new; not counted as a
    cell (``RowsXmlWorksheet.add_rows_xml`` counts the cells placed)."""
    index = strings._get_shared_string_index(text)
    strings.count -= 1
    return index


class FormulaCell(NamedTuple):
    """A formula cell written with no cached value (``write_uncached_formula``), or a cell of a
    column filled down with one formula (``write_shared_formula``)."""

    formula: str | None
    """The formula (no ``=``); ``None`` in a shared formula's cells after its first."""
    format: object
    value: object
    group: int | None
    """The shared formula's ``si``, unique in its sheet; ``None`` for a formula of its own."""
    ref: str | None
    """The shared formula's range (``M5:M1004``) in its first cell."""


def write_uncached_formula(ws: FormulaWorksheet, row: int, col: int, formula: str, fmt) -> None:
    """Put ``formula`` (``=…``, using only functions of Excel 2010 and before) in a cell with no
    cached value: a program that does not recalculate on opening (LibreOffice by default)
    still computes it, where it would show a cached value as it is."""
    if ws._check_dimensions(row, col):
        raise IndexError(f"cell ({row}, {col}) is outside a worksheet")
    ws.table[row][col] = FormulaCell(formula.removeprefix("="), fmt, None, None, None)


def write_shared_formula(ws: FormulaWorksheet, first_row: int, last_row: int, col: int,
                         formula: str, fmt, value) -> None:
    """Fill rows ``first_row``–``last_row`` (0-based) of ``col`` with ``formula``, written for
    ``first_row``: each cell below gets it with its relative references moved down, as Excel's
    fill-down does (the references of ``formula`` that must not move carry ``$``)."""
    if ws._check_dimensions(first_row, col) or ws._check_dimensions(last_row, col):
        raise IndexError(f"rows {first_row}-{last_row} of column {col} are outside a worksheet")
    group = ws.xlsuite_shared_groups
    ws.xlsuite_shared_groups += 1
    ref = f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(last_row, col)}"
    ws.table[first_row][col] = FormulaCell(formula.removeprefix("="), fmt, value, group, ref)
    for row in range(first_row + 1, last_row + 1):
        ws.table[row][col] = FormulaCell(None, fmt, value, group, None)


def style_index(fmt) -> int:
    """The style number of an xlsxwriter ``Format`` (a cell's ``s`` attribute)."""
    return fmt._get_xf_index()


class FormulaWorksheet(Worksheet):
    """An xlsxwriter worksheet that also writes ``FormulaCell``s."""

    def __init__(self) -> None:
        super().__init__()
        self.xlsuite_shared_groups = 0

    def _write_cell(self, row: int, col: int, cell) -> None:
        if type(cell) is not FormulaCell:
            super()._write_cell(row, col, cell)
            return
        attributes = [("r", xl_rowcol_to_cell(row, col))]
        if cell.format:
            attributes.append(("s", cell.format._get_xf_index()))
        if isinstance(cell.value, str) and cell.value:
            attributes.append(("t", "str"))
        self._xml_start_tag("c", attributes)
        shared = [("t", "shared")]
        if cell.group is None:
            self._xml_data_element("f", cell.formula)
        elif cell.ref is None:
            self._xml_empty_tag("f", [*shared, ("si", cell.group)])
        else:
            self._xml_data_element("f", cell.formula, [*shared, ("ref", cell.ref), ("si", cell.group)])
        if cell.value is not None:
            self._xml_data_element("v", cell.value)
        self._xml_end_tag("c")


class RowsXmlWorksheet(FormulaWorksheet):
    """An xlsxwriter worksheet that also takes blocks of rows already rendered as XML.

    Blocks must be added in increasing row order and never share a row with cells written
    through the ordinary ``write_*`` methods.
    """

    def __init__(self) -> None:
        super().__init__()
        # (first row, last row, their XML or what yields it)
        self._xml_blocks: list[tuple[int, int, str | Callable[[], Iterable[str]]]] = []

    def add_rows_xml(self, first_row: int, last_row: int, last_col: int,
                     xml: str | Callable[[], Iterable[bytes]], string_cells: int) -> None:
        """Place ``xml``, the ``<row>`` elements of rows ``first_row``..``last_row`` (0-based)
        reaching column ``last_col``, of which ``string_cells`` cells are shared strings; or a
        function yielding them in pieces of UTF-8, called when the sheet is written (and written
        as they are, not decoded and encoded again)."""
        self._check_dimensions(first_row, 0)
        self._check_dimensions(last_row, last_col)
        self.str_table.count += string_cells
        self._xml_blocks.append((first_row, last_row, xml))

    def _write_rows(self) -> None:
        if not self._xml_blocks:
            super()._write_rows()
            return
        first, last = self.dim_rowmin, self.dim_rowmax
        try:
            start = first
            for block_first, block_last, xml in self._xml_blocks:
                if block_first > start:  # xlsxwriter's own rows before this block
                    self.dim_rowmin, self.dim_rowmax = start, block_first - 1
                    super()._write_rows()
                if isinstance(xml, str):
                    self.fh.write(xml)
                else:
                    write = self._bytes_writer()
                    for piece in xml():
                        write(piece)
                start = block_last + 1
            if start <= last:
                self.dim_rowmin, self.dim_rowmax = start, last
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = first, last

    def _bytes_writer(self) -> Callable[[bytes], object]:
        """What writes UTF-8 into the sheet's XML after what was written so far: the file under
        ``fh`` (xlsxwriter's text file, in UTF-8), once ``fh`` has flushed, or ``fh`` decoded (an
        in-memory workbook writes to a ``StringIO``)."""
        raw = getattr(self.fh, "buffer", None)
        if raw is None or (getattr(self.fh, "encoding", "") or "").lower().replace("-", "") != "utf8":
            return lambda piece: self.fh.write(piece.decode("utf-8"))
        self.fh.flush()
        return raw.write


def _store_workbook_at(level: int) -> Callable:
    """``Workbook._store_workbook`` with its ``ZipFile`` deflating at ``level`` (see the notes)."""
    store = xlsxwriter.Workbook._store_workbook
    names = dict(store.__globals__)  # a copy: xlsxwriter.workbook itself is left as it is
    names["ZipFile"] = partial(_ApartZipFile, compresslevel=level)
    clone = types.FunctionType(store.__code__, names, store.__name__, store.__defaults__, store.__closure__)
    clone.__qualname__ = store.__qualname__
    return clone


_STORE_AT: dict[int, Callable] = {}


class Workbook(xlsxwriter.Workbook):
    """An ``xlsxwriter.Workbook`` with two choices xlsxwriter does not offer.

    Attributes:
        shared_string_xml: when set, the ``<si>`` element of each shared string, written
            instead of xlsxwriter's (a function of the text; one pass over the table).
        zip_level: when set, the deflate level of the package (zlib's default otherwise).

    Its sheets are ``FormulaWorksheet``s, which take ``write_shared_formula``.
    """

    shared_string_xml: Callable[[str], str] | None = None
    zip_level: int | None = None
    worksheet_class = FormulaWorksheet

    def _get_packager(self) -> Packager:
        if self.shared_string_xml is None:
            return super()._get_packager()
        return _Packager(self.shared_string_xml)

    def _store_workbook(self) -> None:
        if self.zip_level is None:
            super()._store_workbook()
            return
        store = _STORE_AT.get(self.zip_level)
        if store is None:
            store = _STORE_AT[self.zip_level] = _store_workbook_at(self.zip_level)
        before = set(_APART)
        try:
            store(self)
        finally:  # a package not finished: no child assembling one of its sheets is left behind
            for filename in set(_APART) - before:
                _APART.pop(filename).abandon()


class _SharedStrings(SharedStrings):
    def __init__(self, si_xml: Callable[[str], str]):
        super().__init__()
        self.xlsuite_si_xml = si_xml

    def _write_sst_strings(self) -> None:
        self.fh.write("".join(map(self.xlsuite_si_xml, self.string_table.string_array)))


class _Packager(Packager):
    def __init__(self, si_xml: Callable[[str], str]):
        super().__init__()
        self.xlsuite_si_xml = si_xml

    def _write_worksheet_files(self) -> None:
        # xlsxwriter's own loop, but that a sheet marked ``assemble_apart`` is assembled and
        # deflated by a child process while this one goes on with the next sheets.
        level = getattr(self.workbook, "zip_level", None)
        if level is None or not can_assemble_apart() or not any(
                getattr(ws, "assemble_apart", False) for ws in self.workbook.worksheets()):
            super()._write_worksheet_files()
            return
        index = 1
        for worksheet in self.workbook.worksheets():
            if worksheet.is_chartsheet:
                continue
            if worksheet.constant_memory:
                worksheet._opt_reopen()
                worksheet._write_single_row()
            filename = self._filename("xl/worksheets/sheet" + str(index) + ".xml")
            if getattr(worksheet, "assemble_apart", False):
                _APART[filename] = _Apart.start(worksheet, filename, level)
            else:
                worksheet._set_xml_writer(filename)
                worksheet._assemble_xml_file()
            index += 1

    def _write_shared_strings_file(self) -> None:
        # xlsxwriter's own, with the writer above.
        table = self.workbook.str_table
        if not table.count:
            return
        sst = _SharedStrings(self.xlsuite_si_xml)
        sst.string_table = table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


# --- sheets assembled apart ------------------------------------------------------------------

def can_assemble_apart() -> bool:
    """Whether sheets can be assembled in a forked child here: on Linux only (elsewhere there is
    no ``fork``, or forking a process that may hold system frameworks' threads is unsafe)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


_APART: dict[str, _Apart] = {}
"""The children assembling sheets, by the temporary file each sheet is assembled into."""


class _Apart:
    """A worksheet being assembled and deflated by a forked child (its file, then the file's
    deflated bytes beside it), for ``_ApartZipFile.write`` to take in whole.

    The child has a copy of everything at the fork, so the sheet comes out as it would here; it
    must read nothing it shares with this process by its file position, nor use a database
    connection (the rows it places are read by ``os.pread``, see ``county.store``). If it fails,
    the sheet is assembled here after all."""

    def __init__(self, worksheet, filename: str, pid: int | None, pipe: int | None):
        self.worksheet, self.filename, self.pid, self.pipe = worksheet, filename, pid, pipe

    @classmethod
    def start(cls, worksheet, filename: str, level: int) -> _Apart:
        parent = os.getpid()
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            return cls(worksheet, filename, None, None)
        if pid == 0:  # the child: assemble, deflate, report, and leave without running any cleanup
            status = 1
            try:
                _die_with(parent)
                os.close(read)
                worksheet._set_xml_writer(filename)
                worksheet._assemble_xml_file()
                os.write(write, _SIZES.pack(*deflate_file(filename, filename + _DEFLATED, level)))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        return cls(worksheet, filename, pid, read)

    def abandon(self) -> None:
        """Stop the child and remove what it wrote beside the sheet's file."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            os.close(self.pipe)
        _remove(self.filename + _DEFLATED)

    def finish(self) -> tuple[int, int, int] | None:
        """Wait for the child: (CRC, size, deflated size) of the sheet it assembled, or ``None``
        when it did not (and the sheet has been assembled here, into ``filename``)."""
        sizes = None
        if self.pid is not None:
            report = b""
            while chunk := os.read(self.pipe, _SIZES.size):
                report += chunk
            os.close(self.pipe)
            _, status = os.waitpid(self.pid, 0)
            if status == 0 and len(report) == _SIZES.size:
                sizes = _SIZES.unpack(report)
        if sizes is None:
            self.worksheet._set_xml_writer(self.filename)
            self.worksheet._assemble_xml_file()
        return sizes


def _die_with(parent: int) -> None:
    """End this child the moment ``parent`` ends, however it ends (SIGKILL included): Linux's
    PR_SET_PDEATHSIG, as the county's worker processes do."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


_MEMBER_TIME = time.mktime((1980, 1, 31, 0, 0, 0, 0, 0, -1))
"""The time ``Workbook._store_workbook`` gives each part's file before adding it to the package
(its members' time; a sheet assembled apart is written after that)."""
_SIZES = struct.Struct("<IQQ")
_DEFLATED = ".deflated"
_CHUNK = 1 << 20


def deflate_file(path: str, target: str, level: int) -> tuple[int, int, int]:
    """Deflate the file ``path`` into ``target`` as ``zipfile`` deflates a member at ``level``
    (raw deflate, the same bytes whatever the chunks); returns (CRC, size, deflated size)."""
    deflater = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc = size = written = 0
    with open(path, "rb") as source, open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            written += out.write(deflater.compress(chunk))
        written += out.write(deflater.flush())
    return crc, size, written


class _ApartZipFile(zipfile.ZipFile):
    """The package's ``ZipFile``: a member whose sheet was assembled apart is taken in as the
    child deflated it, with the very header and bytes ``ZipFile.write`` would have written."""

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        apart = _APART.pop(filename, None) if isinstance(filename, str) else None
        if apart is None:
            return super().write(filename, arcname, compress_type, compresslevel)
        sizes = apart.finish()
        os.utime(filename, (_MEMBER_TIME, _MEMBER_TIME))  # written after xlsxwriter set its time
        deflated = filename + _DEFLATED
        try:
            if sizes is None:  # the child failed: the sheet was assembled here
                return super().write(filename, arcname, compress_type, compresslevel)
            self.write_deflated(filename, arcname, deflated, *sizes)
        finally:
            _remove(deflated)
        return None

    def write_deflated(self, filename: str, arcname: str, deflated: str, crc: int, size: int,
                       deflated_size: int) -> None:
        """Add the member ``arcname`` for the file ``filename`` (its name, time and mode, as
        ``write`` takes them), whose deflated bytes (``deflate_file``) are the file ``deflated``."""
        zinfo = zipfile.ZipInfo.from_file(filename, arcname, strict_timestamps=self._strict_timestamps)
        zinfo.compress_type = zipfile.ZIP_DEFLATED
        zinfo.flag_bits = 0
        if not zinfo.external_attr:
            zinfo.external_attr = 0o600 << 16
        if size != zinfo.file_size or size * 1.05 > zipfile.ZIP64_LIMIT:
            raise zipfile.LargeZipFile(f"{arcname}: {size:,} bytes deflated, {zinfo.file_size:,} on disk")
        zinfo.CRC, zinfo.compress_size = crc, deflated_size
        with self._lock:
            self.fp.seek(self.start_dir)
            zinfo.header_offset = self.fp.tell()
            self._writecheck(zinfo)
            self._didModify = True
            self.fp.write(zinfo.FileHeader(False))
            with open(deflated, "rb") as source:
                shutil.copyfileobj(source, self.fp)  # in shutil's small pieces: the process must not grow
            self.start_dir = self.fp.tell()
            self.filelist.append(zinfo)
            self.NameToInfo[zinfo.filename] = zinfo


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
