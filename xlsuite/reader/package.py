"""Check a workbook package before any engine loads it: limits, integrity, error cells.

Both engines build a sheet as one rectangle from A1, so a single value in a far cell
(``XFD1048576``) makes them allocate billions of cells (calamine aborts the process), and a part
that inflates to gigabytes takes as much memory. calamine also never checks a member's CRC, so a
changed byte would read as a changed number. ``check_package`` therefore, from the zip directory
and the parts' own bytes and before any engine sees them:

- refuses a part or a package inflating past the contract's limits, or a part whose compression
  ratio only a zip bomb reaches;
- inflates every part an engine may read and verifies its CRC;
- refuses what one engine would read past and the other refuse: a missing essential part
  (``[Content_Types].xml``, ``_rels/.rels``, listed shared strings or styles), a part cut
  short (it must end with its root's end tag), a small part or sheet that is not well-formed
  XML;
- scans each needed sheet's cell references (``<row r=…>``, ``<c r=…>``; not ``<dimension>``,
  which may lie) for its real extent, refused past ``MAX_SHEET_ROWS`` × ``MAX_SHEET_COLUMNS``;
- finds the cells holding error values (``t="e"``: #DIV/0!, #REF!, …), which calamine reads as
  blank and openpyxl as text, so that both engines give them to the parser alike;
- refuses what the engines would read two ways: a declared encoding other than UTF-8, a listed
  sheet whose part differs only in letter case, rows or cells out of order (or a cell given
  twice, or outside its row), a number that is not a plain decimal (``1_000``), a
  ``<dimension>`` that is no range;
- gives calamine a shared-string ``uniqueCount`` no larger than the strings held (it reserves
  room for that many first: 999,999,999 aborted the process).

A needed sheet's rows the template prepared (formulas waiting for input, holding no value; see
``prepared_rows``) are checked in the last of them, which stands for them all, and left out of
what calamine is given (``PackageCheck.rewritten``).

Every refusal is an ``InputError`` with a Chinese reason naming the sheet or part.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import contract as c
from ..core.book_limits import extent_reason
from ..core.errors import RESAVE, RESEND, SEND_THE_BOOK, TRIM_SHEET, InputError
from .percent_cells import PercentCells, percent_cells, percent_styles
from .prepared_rows import Tail, prepared_tail

ErrorCells = dict[tuple[int, int], str]
"""(0-based row, 0-based column) → the error value a cell holds (``"#DIV/0!"``)."""

_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")
_CONTENT_TYPES = "[Content_Types].xml"
_ESSENTIAL = (_CONTENT_TYPES, "_rels/.rels")
_WELL_FORMED = frozenset({_CONTENT_TYPES, "_rels/.rels", "docProps/core.xml", "xl/_rels/workbook.xml.rels",
                          "xl/workbook.xml"})
_UNREAD = ("xl/media/", "xl/embeddings/", "xl/printerSettings/", "customXml/", "docProps/thumbnail")
_UNREAD_NAMES = (".bin", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf")
"""Parts no reader engine inflates (pictures, the VBA project, printer settings): not checked."""
_XML_SUFFIXES = (".xml", ".rels")
_COMPLETE = ("xl/workbook.xml", "xl/_rels/", "xl/sharedStrings", "xl/styles.xml", "xl/worksheets/_rels/",
             "xl/tables/", _CONTENT_TYPES)
"""Parts besides the needed sheets whose content the engines read, so that one cut short
must be refused (a theme or the document properties only need their CRC)."""
_OPENDOCUMENT = frozenset({"content.xml", "mimetype"})
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")

_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_FAR_REF = re.compile(rb'r=(?:"(?:[A-Z]{2}|[A-Z]?\d{5})|\')')
_NEAR = (9_999, 26)
"""The extent ``_extent`` gives a sheet it finds no far reference in: at most this."""
_EVENTS = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>|</(?:\w+:)?row>")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*\st\s*=\s*[\"']e[\"'][^>/]*)>(.*?)</(?:\w+:)?c>", re.S)
_ERROR_TYPE = re.compile(rb't=["\']e')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"^([A-Za-z]{1,3})(\d{1,7})$")


@dataclass
class PackageCheck:
    errors: dict[str, ErrorCells] = field(default_factory=dict)
    """The error cells of each needed sheet the package holds."""
    escapes: bool = False
    """Whether the text may hold characters XML cannot (written ``_x0001_``, or ``&#1;`` in the
    shared strings)."""
    parts: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    """The parts inflated and verified, with their CRCs: see ``stored_package``."""
    rewritten: dict[str, bytes] = field(default_factory=dict)
    """Parts calamine is given changed: the needed sheets that end in rows the template
    prepared (see ``prepared_rows``), each without them; the shared strings when their
    ``uniqueCount`` claims more strings than the part holds, with the true count (calamine
    reserves room for that many before reading one: 999,999,999 aborted the process)."""
    percent: PercentCells = frozenset()
    """The 绩效指标 cells holding a number Excel shows as a percentage (``percent_cells``)."""
    plain: bool = False
    """Whether the package is one an engine reads exactly as it was checked: its directory read
    here (one member a name, nothing before the first), every part checked stored or deflated.
    Inflating the same deflated bytes gives the same part, so calamine may be given the file
    itself; it inflates them faster than it reads a package of the parts stored."""

    def engine_package(self, data: bytes) -> bytes:
        """What calamine is given to read the package ``data``: ``data`` itself when ``plain``
        and no part is ``rewritten``, else ``stored_package``, so that either way it reads the
        very bytes that were checked (it does not check CRCs itself)."""
        return data if self._as_read else self.stored_package()

    @property
    def _as_read(self) -> bool:
        """Whether calamine is given the file itself (``engine_package``)."""
        return self.plain and not self.rewritten

    @property
    def engine_package_is_xlsx(self) -> bool:
        """Whether ``engine_package`` is a package made here that no reader of calamine's but its
        .xlsx one can take: of the checked parts, which hold no ``.bin`` part (an .xlsb's
        workbook is one) and no OpenDocument ``content.xml`` or ``mimetype``; calamine need
        not be kept to that reader (see ``engines.CalamineEngine``)."""
        return bool(self.parts) and not self._as_read and not (
            _OPENDOCUMENT & self.parts.keys())

    def stored_package(self) -> bytes:
        """A package of exactly the verified parts, uncompressed, the ``rewritten`` parts as
        rewritten: one member a name, whatever the file held. (Stored, calamine
        inflates nothing: what it saves pays for the package made here.)"""
        local, central, offset = [], [], 0
        for name, (part, crc) in self.parts.items():
            if name in self.rewritten:
                part = self.rewritten[name]
                crc = zlib.crc32(part)
            raw = name.encode("utf-8")
            header = _STORED_LOCAL.pack(b"PK\x03\x04", 20, 0x800, 0, 0, 0, crc, len(part), len(part), len(raw), 0)
            local += (header, raw, part)
            central += (_STORED_CENTRAL.pack(b"PK\x01\x02", 20, 20, 0x800, 0, 0, 0, crc, len(part), len(part),
                                             len(raw), 0, 0, 0, 0, 0, offset), raw)
            offset += len(header) + len(raw) + len(part)
        directory = b"".join(central)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(self.parts), len(self.parts), len(directory), offset, 0)
        return b"".join(local) + directory + end


def check_package(path: Path, data: bytes, sheets: Iterable[str]) -> PackageCheck:
    """Check the package ``data`` (the bytes of ``path``) and the ``sheets`` an engine will load.

    A package this cannot make sense of (no workbook part, a broken zip) is left to the engine,
    whose reason is clearer.

    Raises:
        InputError: a limit is exceeded, or a part fails its CRC check.
    """
    infos = _directory(data)
    plain = infos is not None
    if infos is None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = {info.filename: info for info in zf.infolist()}
        except (zipfile.BadZipFile, EOFError, ValueError, OSError):
            return PackageCheck()
    if _WORKBOOK not in infos:
        if _WORKBOOK in {name.lower() for name in infos}:  # XL/WORKBOOK.XML: a workbook, its names mangled
            raise InputError(path, "文件已损坏（压缩包中的部件名称大小写不符，如 xl/workbook.xml 写成了大写）", RESAVE)
        kind = "Word 文档" if "word/document.xml" in infos else "其他压缩文件"
        raise InputError(path, f"不是 Excel 工作簿（这是{kind}）", SEND_THE_BOOK)
    for essential in _ESSENTIAL:  # one engine reads on without them; Excel and the other refuse the file
        if essential not in infos:
            raise InputError(path, f"文件已损坏（缺少 {essential}）", RESAVE)
    _check_sizes(path, [infos[name] for name in (_WORKBOOK, _WORKBOOK_RELS) if name in infos], {})
    parts = _sheet_parts(path, infos, data)
    wanted = {parts[name]: name for name in sheets if name in parts}
    sheet_of = {part: name for name, part in parts.items()}
    _check_sizes(path, infos.values(), sheet_of)
    found = PackageCheck(plain=plain)
    for name, info in infos.items():
        if name.startswith(_UNREAD) or name.endswith(_UNREAD_NAMES):
            continue  # pictures, the VBA project
        xml = _read(path, info, data)  # the CRC of every part an engine may read
        if name.endswith(_XML_SUFFIXES):
            _check_encoding(path, name, xml)
        found.plain = found.plain and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        found.parts[name] = (xml, info.CRC)
        if name in _WELL_FORMED:
            _check_well_formed(path, name, xml)
        if name in sheet_of:
            # Every sheet, also one no engine is asked for: openpyxl opens each to find its size,
            # and a book one engine takes the other must not refuse.
            _check_complete(path, xml, f"工作表“{sheet_of[name]}”已损坏，无法读取")
            _check_dimension(path, sheet_of[name], xml)
            if len(xml) <= WELL_FORMED_SHEET_BYTES:  # openpyxl refuses it: calamine is not given it
                _check_sheet_well_formed(path, sheet_of[name], xml)
        if name in wanted:
            # Rows the template prepared, exactly the sheet's last row over again, are checked
            # in that row; calamine is not given them (it would parse them for no value).
            tail = prepared_tail(xml)
            found.errors[wanted[name]] = _check_sheet(path, wanted[name], xml, tail)
            end = len(xml) if tail is None else tail.start
            found.escapes = found.escapes or _may_hide(xml, end)  # inline text: _x0001_, &#1;, a raw \x01
            if tail is not None:
                found.rewritten[name] = xml[:tail.start] + xml[tail.end:]
        elif name.endswith(_XML_SUFFIXES) and name.startswith(_COMPLETE) and name not in sheet_of:
            _check_complete(path, xml, f"文件已损坏（其中的 {name}")
            if name.startswith("xl/sharedStrings"):
                found.escapes = found.escapes or _may_hide(xml, len(xml))
                honest = _honest_counts(xml)
                if honest is not None:
                    found.rewritten[name] = honest
    indicators = parts.get(c.INDICATOR_SHEET)
    if indicators in found.parts and "xl/styles.xml" in found.parts:
        found.percent = percent_cells(found.parts[indicators][0], percent_styles(found.parts["xl/styles.xml"][0]))
    return found


_ROOT = re.compile(rb"\s*(?:<\?[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<([A-Za-z_][\w.:-]*)", re.S)


def _check_complete(path: Path, xml: bytes, what: str) -> None:
    """Refuse an XML part cut short or emptied (a download or a disk that gave up): calamine
    reads what is there as if it were all (projects missing without a word), openpyxl refuses.
    The part must end with its root element's end tag."""
    root = _ROOT.match(xml)
    tail = xml.rstrip()
    if root and (tail.endswith(b"</" + root[1] + b">") or (tail.endswith(b"/>") and tail.count(b"<") <= 2)):
        return
    reason = "XML 内容不完整"
    raise InputError(path, f"{what}（{reason}）" if what.endswith("无法读取") else f"{what} {reason}）", RESEND)


class _Entry:
    """What ``_read`` needs of a member, as ``zipfile.ZipInfo`` names it."""

    __slots__ = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size", "header_offset")

    def __init__(self, filename, flag_bits, compress_type, crc, compress_size, file_size, header_offset):
        self.filename, self.flag_bits, self.compress_type = filename, flag_bits, compress_type
        self.CRC, self.compress_size, self.file_size, self.header_offset = crc, compress_size, file_size, header_offset


_END = struct.Struct("<4s4H2LH")
_STORED_LOCAL = struct.Struct("<4s5H3L2H")
_STORED_CENTRAL = struct.Struct("<4s6H3L5H2L")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")


def _directory(data: bytes) -> dict[str, _Entry] | None:
    """The zip's central directory, read straight from ``data`` (``zipfile.ZipFile`` costs as
    much as inflating the parts); ``None`` for a package it does not cover (zip64, several
    disks, damage, bytes before the first member, two members of one name), which ``zipfile``
    then reads or refuses."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + _END.size:
        return None
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _END.unpack_from(data, end)
    if disk or cd_disk or count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        return None
    if end - cd_size != cd_offset:  # bytes before the package (a self-extracting stub)
        return None
    pos, entries = end - cd_size, {}
    if pos < 0:
        return None
    try:
        for _ in range(count):
            (sig, _, _, _, _, flags, method, _, _, crc, csize, usize, name_len, extra_len, comment_len,
             _, _, _, offset) = _CENTRAL.unpack_from(data, pos)
            if sig != b"PK\x01\x02" or 0xFFFFFFFF in (csize, usize, offset):
                return None
            raw = data[pos + _CENTRAL.size:pos + _CENTRAL.size + name_len]
            name = raw.decode("utf-8" if flags & 0x800 else "cp437")
            if name in entries:  # which of the two an engine takes is its own affair
                return None
            entries[name] = _Entry(name, flags, method, crc, csize, usize, offset)
            pos += _CENTRAL.size + name_len + extra_len + comment_len
    except (struct.error, UnicodeDecodeError):
        return None
    return entries


def _check_sizes(path: Path, infos, sheet_of: dict[str, str]) -> None:
    total = 0
    for info in infos:
        what = f"工作表“{sheet_of[info.filename]}”" if info.filename in sheet_of else f"文件中的部件 {info.filename}"
        if info.file_size > c.MAX_PART_BYTES:
            raise InputError(path, f"{what}解压后达 {_mib(info.file_size)}，超过上限 {_mib(c.MAX_PART_BYTES)}"
                                   "（不是正常填报的工作簿），已拒绝读取")
        if (info.file_size > c.ZIP_RATIO_FROM_BYTES
                and info.file_size > c.MAX_ZIP_RATIO * max(info.compress_size, 1)):
            raise InputError(path, f"{what}的压缩比异常（{_mib(info.compress_size)} 解压为 {_mib(info.file_size)}，"
                                   "疑似压缩炸弹），已拒绝读取")
        total += info.file_size
    if total > c.MAX_BOOK_BYTES:
        raise InputError(path, f"工作簿解压后共达 {_mib(total)}，超过上限 {_mib(c.MAX_BOOK_BYTES)}，已拒绝读取")


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size:,} 字节"


def _read(path: Path, info, data: bytes) -> bytes:
    """The inflated part, no longer than the directory says (checked against the limits) and its
    CRC checked. Read straight from ``data`` with ``zlib``: ``zipfile.read`` costs several times
    as much per part, and every book pays this."""
    try:
        start = info.header_offset
        header = _LOCAL_HEADER.unpack_from(data, start)
        if header[0] != b"PK\x03\x04" or info.flag_bits & 0x1:
            raise ValueError
        name = data[start + _LOCAL_HEADER.size:start + _LOCAL_HEADER.size + header[10]]
        if not _same_name(name, info.filename):
            raise ValueError  # zipfile refuses a local name that is not the directory's; calamine reads on
        start += _LOCAL_HEADER.size + header[10] + header[11]
        raw = data[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            part = raw
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            part = inflater.decompress(raw, info.file_size + 1)
        else:  # another method zipfile may know (it checks the CRC itself)
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                part = zf.read(info.filename)
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, ValueError, NotImplementedError,
            OSError):
        part = None
    if part is None or len(part) != info.file_size or zlib.crc32(part) != info.CRC:
        raise InputError(path, f"文件已损坏（压缩包中的 {info.filename} 校验不符或无法解压）", RESEND)
    return part


def _same_name(local: bytes, directory: str) -> bool:
    """Whether a part's local header names it as the central directory does (in UTF-8, or in the
    DOS code page zip uses without the UTF-8 flag)."""
    if local == directory.encode("utf-8"):
        return True
    try:
        return local == directory.encode("cp437")
    except UnicodeEncodeError:
        return False


def _attrs(raw: bytes) -> dict[str, str]:
    return {m[1].decode("ascii", "replace").split(":")[-1]:
            (m[2] if m[2] is not None else m[3]).decode("utf-8", "replace") for m in _ATTR.finditer(raw)}


def _sheet_parts(path: Path, infos, data: bytes) -> dict[str, str]:
    """Sheet name → its part in the package, as the workbook and its relationships say."""
    if _WORKBOOK not in infos or _WORKBOOK_RELS not in infos:
        return {}
    workbook, rels_xml = _read(path, infos[_WORKBOOK], data), _read(path, infos[_WORKBOOK_RELS], data)
    # Books of one template list the same sheets in the same parts: worked out once.
    key = (workbook, rels_xml)
    parts = _PARTS.get(key)
    if parts is None:
        parts = _parse_sheet_parts(workbook, rels_xml)
        if len(_PARTS) < 64:
            _PARTS[key] = parts
    parts, required = parts
    for part in required:
        if part not in infos:
            raise InputError(path, f"文件已损坏（缺少 {part}）", RESEND)
    folded = {name.lower(): name for name in infos}
    for name, part in parts.items():
        if part not in infos and part.lower() in folded:
            # calamine finds a part whatever the case of its name, openpyxl only by the exact
            # name (it leaves the sheet out): one reading, so neither is given it.
            raise InputError(path, f"文件已损坏（工作表“{name}”的部件名 {folded[part.lower()]} 与工作簿所列的"
                                   f" {part} 大小写不符）", RESAVE)
    return {name: part for name, part in parts.items() if part in infos}


_PARTS: dict[tuple[bytes, bytes], tuple[dict[str, str], list[str]]] = {}
_REQUIRED_TYPES = ("/sharedStrings", "/styles")
"""Relationships of the workbook whose part both engines need when it is listed."""


def _parse_sheet_parts(workbook: bytes, rels_xml: bytes) -> tuple[dict[str, str], list[str]]:
    from xml.sax.saxutils import unescape

    rels, required = {}, []
    for m in _RELATIONSHIP.finditer(rels_xml):
        a = _attrs(m[1])
        target = unescape(a.get("Target", ""))
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        rels[a.get("Id", "")] = target
        if a.get("Type", "").endswith(_REQUIRED_TYPES) and a.get("TargetMode") != "External":
            required.append(target)
    parts = {}
    for m in _SHEET.finditer(workbook):
        a = _attrs(m[1])
        name = unescape(a.get("name", ""), {"&quot;": '"', "&apos;": "'"})
        target = rels.get(a.get("id", ""))
        if name and target:
            parts[name] = target
    return parts, required


def name_malformed_sheet(path: Path, data: bytes) -> None:
    """After an engine failed to open the package ``data``: when a sheet's XML is not well-formed,
    raise naming that sheet, as the other engine does when it reads the sheet (openpyxl parses
    every sheet as it opens the book and says only that the file is damaged). Costs a parse of
    every sheet, on this error path only."""

    infos = _directory(data)
    if infos is None:
        return
    try:
        parts = _sheet_parts(path, infos, data)
    except InputError:
        return
    for sheet, part in parts.items():
        try:
            xml = _read(path, infos[part], data)
        except InputError:
            return
        _check_sheet_well_formed(path, sheet, xml)


WELL_FORMED_SHEET_BYTES = 4 * 2**20
"""Sheets up to this size (every sheet of a book of some hundred indicators) are parsed whole
before an engine reads them: calamine reads past a broken token that openpyxl refuses, so the
same book would read with one engine and not the other. A larger sheet costs a parse per read."""


def _check_sheet_well_formed(path: Path, sheet: str, xml: bytes) -> None:
    """Refuse ``sheet`` (its part ``xml``) when it is not well-formed XML, as openpyxl does; but
    a control character in a text, raw or as a character reference, is read (it is shown as
    ``_x0001_`` and reported: ``DepartmentBook.hidden_characters``), not refused."""
    from xml.parsers import expat

    if b"&#" in xml or len(xml.translate(None, _RAW_CONTROL)) != len(xml):
        # In text only: a control character inside a tag is a broken token, refused as such.
        xml = _TEXT.sub(lambda m: _CONTROL_REFERENCE.sub(b" ", m.group(0).translate(_CONTROL_AS_SPACE)), xml)
    try:
        expat.ParserCreate().Parse(xml, True)
    except expat.ExpatError:
        raise InputError(path, f"工作表“{sheet}”已损坏，无法读取（XML 内容格式有误）") from None


_RAW_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_CONTROL_AS_SPACE = bytes.maketrans(_RAW_CONTROL, b" " * len(_RAW_CONTROL))
_CONTROL_REFERENCE = re.compile(rb"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01])|[xX]0*(?:[0-8]|[bBcC]|[eEfF]|1[0-9a-fA-F]));")
"""A character reference to a control character (``&#1;``, ``&#x1F;``), which XML 1.0 forbids."""
_TEXT = re.compile(rb">[^<>]*<")
"""A text between two tags."""


def _may_hide(xml: bytes, end: int) -> bool:
    """Whether text in ``xml`` (up to ``end``) may hold characters no workbook can show: written
    ``_x0001_``, as a character reference (``&#1;``) or raw. calamine reads the last two, which
    are not well-formed XML, into the text (openpyxl refuses the part); such text must not
    reach a Word report or a form as it is."""
    if xml.find(b"_x00", 0, end) >= 0 or xml.find(b"&#", 0, end) >= 0:
        return True
    part = xml[:end] if end < len(xml) else xml
    return len(part.translate(None, _RAW_CONTROL)) != len(part)  # (a copy, at memory speed: a regex takes 20×)


_DECLARATION = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8 = frozenset({b"utf-8", b"utf8"})


def _check_encoding(path: Path, name: str, xml: bytes) -> None:
    """Refuse an XML part that declares an encoding other than UTF-8 (or starts with a UTF-16
    byte order mark): calamine reads every part as UTF-8 whatever it declares, openpyxl decodes
    by the declaration or fails on a name it does not know. Excel, WPS and LibreOffice write
    UTF-8 only."""
    declared = _DECLARATION.match(xml)
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "UTF-16"
    elif declared and declared[1].strip().lower() not in _UTF8:
        encoding = declared[1].decode("ascii", "replace")[:40]
    else:
        return
    raise InputError(path, f"文件已损坏（其中的 {name} 声明的字符编码“{encoding}”不是 Excel 使用的 UTF-8）", RESAVE)


_SST = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_UNIQUE_COUNT = re.compile(rb"""(\suniqueCount\s*=\s*["'])\s*(\d+)\s*(["'])""")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s/>]")


def _honest_counts(xml: bytes) -> bytes | None:
    """The shared strings with a ``uniqueCount`` no larger than the strings they hold, or
    ``None`` when it already is (every file Excel writes): calamine reserves room for
    ``uniqueCount`` strings before reading any, so a claim of 999,999,999 in a 47 KB book asked
    for 24 GB and aborted the process. openpyxl ignores the counts; ``count`` (cells using
    them) sizes nothing."""
    root = _SST.search(xml)
    declared = _UNIQUE_COUNT.search(root[0]) if root else None
    if declared is None:
        return None
    real = len(_STRING_ITEM.findall(xml))
    if int(declared[2]) <= real:
        return None
    start, end = root.start() + declared.start(2), root.start() + declared.end(2)
    return xml[:start] + str(real).encode() + xml[end:]


def _check_well_formed(path: Path, name: str, xml: bytes) -> None:
    """Parse a small part both engines do not read alike (one reads on past damage the other
    refuses): refused when it is not well-formed XML."""
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(xml, True)
    except expat.ExpatError:
        raise InputError(path, f"文件已损坏（其中的 {name} XML 内容格式有误）", RESEND) from None


def _check_sheet(path: Path, name: str, xml: bytes, tail: Tail | None = None) -> ErrorCells:
    """The sheet's extent, shared-string indices and error cells, checked in ``xml`` up to the
    prepared rows of ``tail`` and in the last of them, which stands for them all: they hold
    no value (so no index, no error) and reach no further than it does."""
    end = len(xml) if tail is None else tail.start
    rows, cols = _extent(xml, end)
    if tail is not None:
        last = xml[tail.last:tail.end]
        last_rows, last_cols = _extent_by_position(last, len(last))  # one row: worked out exactly
        if rows > _NEAR[0] or cols > _NEAR[1] or last_rows > _NEAR[0] or last_cols > _NEAR[1]:
            # Past the bound ``_extent`` gives a near sheet: exactly, as a refusal says it.
            if (rows, cols) == _NEAR:
                rows, cols = _extent_by_position(xml, end)
            rows, cols = max(rows, last_rows), max(cols, last_cols)
    too_large = extent_reason(name, rows, cols)
    if too_large:
        raise InputError(path, too_large, TRIM_SHEET)
    _check_order(path, name, xml, end)
    root = _ROOT.match(xml)
    odd = _ODD_PREFIXED_VALUE if root and b":" in root[1] else _ODD_VALUE  # <x:worksheet>: <x:v>
    if odd.search(xml, 0, end):
        # rare: a value that is not plain digits (a cached text, "1_000")
        _check_numbers(path, name, xml, end)
    # the find first: it is far cheaper
    if xml.find(b"<v>-", 0, end) >= 0 and _NEGATIVE_STRING_INDEX.search(xml, 0, end):
        # The engines read a negative shared-string index as different texts (one from each end
        # of the table): damage that would silently change what a cell says.
        raise InputError(path, f"工作表“{name}”已损坏（单元格引用了不存在的共享字符串）", RESAVE)
    return _error_cells(xml, end) if _ERROR_TYPE.search(xml, 0, end) else {}


_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_RANGE_REF = re.compile(rb"\$?[A-Za-z]{1,3}\$?\d{1,7}(?::\$?[A-Za-z]{1,3}\$?\d{1,7})?")


def _check_dimension(path: Path, name: str, xml: bytes) -> None:
    """Refuse a sheet whose ``<dimension>`` is no cell range (``ZZZZ1``): openpyxl fails to open
    the book on it, calamine reads past it. (A range that merely lies is harmless: neither
    engine takes the sheet's extent from it; see ``openpyxl_internals.read_only_values``.)"""
    dimension = _DIMENSION.search(xml)
    if dimension and not _RANGE_REF.fullmatch(dimension[1].strip()):
        shown = dimension[1].decode("utf-8", "replace")[:30]
        raise InputError(path, f"工作表“{name}”已损坏（已用区域标记“{shown}”不是单元格区域）", RESAVE)


_PLACES = re.compile(rb"""<(?:\w+:)?(row|c)\b(?:[^>]*?\sr\s*=\s*["']([A-Za-z]*)(\d*)["'])?""")


def _check_order(path: Path, name: str, xml: bytes, end: int) -> None:
    """Refuse a sheet whose cells the engines would place differently: a row numbered at or
    before the one above it, a cell whose reference names another row than the one it is in
    (``<c r="E5">`` inside ``<row r="4">``: calamine goes by the cell, openpyxl by the row), or
    a cell at or left of the one before it in its row (a cell given twice: which value wins is
    each engine's own affair). Every spreadsheet program writes rows and cells in order."""
    if not _in_order(xml, end):
        _check_order_exactly(path, name, xml, end)


def _in_order(xml: bytes, end: int) -> bool:
    """Whether every row and cell of the sheet (up to ``end``) is referenced and in order, as
    spreadsheet programs write them: the check every book pays, so it does as little per cell
    as Python can. ``False`` for anything else, which ``_check_order_exactly`` then judges."""
    last, row, previous = 0, b"", (0, b"")
    for kind, letters, digits in _PLACES.findall(xml, 0, end):
        if kind == b"row":
            if not digits or int(digits) <= last:
                return False
            last, row, previous = int(digits), digits, (0, b"")
        elif digits == row and letters:
            at = (len(letters), letters)  # column order: shorter letters first, then A–Z
            if at <= previous:
                return False
            previous = at
        else:
            return False
    return True


def _check_order_exactly(path: Path, name: str, xml: bytes, end: int) -> None:
    """``_check_order`` a tag at a time, as the engines place them: a row without a reference
    follows the one before, a cell without one the cell before."""
    row = last = column = 0
    for kind, letters, digits in _PLACES.findall(xml, 0, end):
        if kind == b"row":
            row = int(digits) if digits else row + 1
            if row <= last:
                raise InputError(path, f"工作表“{name}”已损坏（第 {row} 行排在第 {last} 行之后）", RESAVE)
            last, column = row, 0
        elif letters or digits:
            ref = (letters + digits).decode()
            if not digits or int(digits) != row:
                raise InputError(path, f"工作表“{name}”已损坏（单元格 {ref} 写在第 {row} 行中）", RESAVE)
            at = _column_number(letters)
            if at <= column:
                raise InputError(path, f"工作表“{name}”已损坏（单元格 {ref} 重复或排在同一行靠右的单元格之后）",
                                 RESAVE)
            column = at
        else:
            column += 1  # a cell without a reference follows the one before it


_ODD_VALUE = re.compile(rb"<v>[^<]*?[^0-9.eE+\-\s<]")  # a literal start: re finds it fastest
_ODD_PREFIXED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]*?[^0-9.eE+\-\s<]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_PLAIN_NUMBER = re.compile(rb"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def _check_numbers(path: Path, name: str, xml: bytes, end: int) -> None:
    """Refuse a number cell (no type, or ``t="n"``) whose value is not a plain decimal number:
    calamine reads ``1_000``, ``0x10`` or ``NaN`` its way (text, blank), Python's float() and
    so openpyxl another (1000, a refusal)."""
    for m in _CELL.finditer(xml, 0, end):
        if m[2] is None or _attrs(m[1]).get("t", "n") != "n":
            continue
        value = _VALUE.search(m[2])
        if value and value[1].strip() and not _PLAIN_NUMBER.fullmatch(value[1]):
            ref = _attrs(m[1]).get("r", "")
            shown = value[1].decode("utf-8", "replace")[:20]
            raise InputError(path, f"工作表“{name}”已损坏（单元格 {ref} 的数值“{shown}”无法识别）", RESAVE)


_NEGATIVE_STRING_INDEX = re.compile(rb"""\st\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>\s*-""")


_HUGE = 10**9


def _number(digits: bytes) -> int:
    return int(digits) if len(digits) < 10 else _HUGE


def _column_number(letters: bytes) -> int:
    if len(letters) > 6:
        return _HUGE
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _extent(xml: bytes, end: int | None = None) -> tuple[int, int]:
    """The last used row and column (1-based) of a sheet (up to ``end``), from its cells' references.

    Every book pays this, so the usual case is settled by two scans for literal text, which
    ``re`` and ``bytes`` run fastest: no reference of two letters or of five digits
    (``r="AB…"``, ``r="A12345"``, ``<row r="12345"``, in any attribute order or tag prefix),
    none in single quotes, no bare ``<c>``; the sheet is then within 9,999 rows × 26 columns.
    Anything else is worked out exactly by ``_extent_by_position``. (A cell with attributes but
    no reference, which no spreadsheet program writes, goes unseen here: what the engines
    make of such cells is bounded by ``MAX_PART_BYTES``.)
    """
    end = len(xml) if end is None else end
    if _FAR_REF.search(xml, 0, end) is None and xml.find(b"<c>", 0, end) < 0:
        return _NEAR
    return _extent_by_position(xml, end)


def _extent_by_position(xml: bytes, end: int) -> tuple[int, int]:
    """``_extent`` for a sheet whose rows or cells leave out their references: a row without one
    follows the previous row, a cell without one the previous cell (as both engines read them)."""
    rows = cols = row = col = 0
    for m in _EVENTS.finditer(xml, 0, end):
        kind = m[1]
        if kind is None:  # </row>
            continue
        a = _attrs(m[2])
        if kind == b"row":
            row = _number(a["r"].encode()) if a.get("r", "").isdigit() else row + 1
            col = 0
        else:
            ref = _REF.match(a.get("r", ""))
            if ref:
                col, row = _column_number(ref[1].encode()), max(row, int(ref[2]))
            elif "r" in a:
                col = _HUGE
            else:
                col += 1
        rows, cols = max(rows, row), max(cols, col)
    return rows, cols


def _error_cells(xml: bytes, end: int) -> ErrorCells:
    errors = {}
    for m in _ERROR_CELL.finditer(xml, 0, end):
        ref = _REF.match(_attrs(m[1]).get("r", ""))
        value = _VALUE.search(m[2])
        if ref and value:
            errors[(int(ref[2]) - 1, _column_number(ref[1].encode()) - 1)] = value[1].decode("utf-8", "replace").strip()
    return errors
