"""xlsuite's own files among a county's inputs: recognised by their content, never by name alone.

A county folder collects, besides the departments' workbooks, what xlsuite itself wrote there: an
earlier summary (``consolidate -o`` into the input folder), the 审核意见 returned to departments,
and scored copies (``xlsuite score`` writes ``<name>-评分.xlsx`` beside the book). None of them is a
submission. (The backups the Excel buttons save are known by name, beside their book: ``discover``.) A summary or a 审核意见 is known by its sheets; a scored copy by the score stamp in its
``_meta`` sheet, which records the sha256 of the file it was made from: when that file is among the
inputs too, the copy adds nothing and is skipped. A stamped book whose original is not among the
inputs is read as the department's submission (the Excel 评分 button stamps the book itself, and a
department may send its scored copy instead of the original): nothing is lost.

The same recognition guards every command's output (``written_by_xlsuite``): a file xlsuite wrote
may be written again, any other existing file is never replaced unless the user says so.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from ..core.errors import InputError
from ..files.discover import (
    OWN_FILE as OWN_FILE,  # re-exported: the one prefix, also of backups a search skips
)
from ..files.regular_files import open_regular
from .headers import ABOUT, DEPARTMENTS, FEEDBACK_SHEET

SUMMARY, FEEDBACK = "县级汇总表", "审核意见"
KINDS = {SUMMARY: (ABOUT, DEPARTMENTS), FEEDBACK: (FEEDBACK_SHEET,)}
"""What xlsuite writes besides department books → the sheets that tell it."""

_WORKBOOK_XML_MAX = 4 << 20
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def generated_kind(path: str | Path) -> str:
    """The kind of xlsuite output ``path`` is (``SUMMARY`` or ``FEEDBACK``), or "" for any other
    file, a department's workbook included. Never raises."""
    names = sheet_names(path)
    for kind, sheets in KINDS.items():
        if names and all(s in names for s in sheets):
            return kind
    return ""


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names listed in an .xlsx package's workbook part ([] when it has none or is no
    readable package): a look at the zip's directory and one small part, not a read of the book."""
    from html import unescape

    try:
        with open_regular(path) as f, zipfile.ZipFile(f) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > _WORKBOOK_XML_MAX:
                return []
            data = zf.read(info)
    except (OSError, InputError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError,
            EOFError):
        return []
    return [unescape(m.decode("utf-8", "replace")) for m in _SHEET_NAME.findall(data)]


REPORT_COMMENT = "由 xlsuite 根据预算绩效自评工作簿生成的报告初稿。"
REPORT_TEMPLATE_COMMENT = "xlsuite 生成自评报告所用的 Word 模板：修改样式即可改变报告的版式。"
"""The 备注 (core property) of the Word files xlsuite writes."""
_CREATOR = "xlsuite"
"""The 作者 (core property) of the workbooks xlsuite builds (template, samples, summary)."""
_CORE_XML_MAX = 1 << 20


def written_by_xlsuite(path: str | Path) -> bool:
    """Whether the existing file ``path`` is one xlsuite wrote, so that writing it again loses
    nobody's work: a summary or a 审核意见 (by their sheets), a scored copy (the score stamp in its
    ``_meta`` sheet), or a template, sample or report draft that no other program has saved since
    (its core properties still say xlsuite made it and its modified time is its created time: Excel,
    WPS, LibreOffice and Word all set the modified time when they save). Never raises."""
    if generated_kind(path):
        return True
    creator, comment, created, modified = _core_properties(path)
    if (creator == _CREATOR or comment in (REPORT_COMMENT, REPORT_TEMPLATE_COMMENT)) and created and created == modified:
        return True
    return _score_stamped(path)


def _core_properties(path: str | Path) -> tuple[str, str, str, str]:
    """(creator, description, created, modified) of an Office package ("" for each it lacks)."""
    from html import unescape

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > _CORE_XML_MAX:
                return "", "", "", ""
            data = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return "", "", "", ""

    def element(name: str) -> str:
        found = re.search(rf"<{name}\b[^>]*>([^<]*)</{name}>", data)
        return unescape(found[1]).strip() if found else ""

    return element("dc:creator"), element("dc:description"), element("dcterms:created"), element("dcterms:modified")


def _score_stamped(path: str | Path) -> bool:
    from ..core.errors import XlsuiteError
    from ..reader import read_book

    if not sheet_names(path):
        return False  # not a workbook package: nothing to read
    try:
        return bool(read_book(path).score_stamp)
    except (XlsuiteError, OSError):
        return False


def own_reason(kind: str, detail: str = "") -> str:
    """The 跳过 reason of one of xlsuite's own files."""
    return f"{OWN_FILE}（{kind}{'：' + detail if detail else ''}），不是单位报送的工作簿，未计入汇总"


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of the file's bytes ("" when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open_regular(path) as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except (OSError, InputError):
        return ""
    return digest.hexdigest()
