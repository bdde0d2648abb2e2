"""xlsuite's own files among a county's inputs: recognised by their content, never by name alone.

A county folder collects, besides the departments' workbooks, what xlsuite itself wrote there: an
earlier summary (``consolidate -o`` into the input folder), the 审核意见 returned to departments,
and scored copies (``xlsuite score`` writes ``<name>-评分.xlsx`` beside the book). None of them is a
submission. (The backups the Excel buttons save are known by name, beside their book: ``discover``.) A summary or a 审核意见 is known by its sheets; a scored copy by the score stamp in its
``_meta`` sheet, which records the sha256 of the file it was made from: when that file is among the
inputs too, the copy adds nothing and is skipped. A stamped book whose original is not among the
inputs is read as the department's submission (the Excel 评分 button stamps the book itself, and a
department may send its scored copy instead of the original): nothing is lost.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from ..discover import OWN_FILE as OWN_FILE  # re-exported: the one prefix, also of backups a search skips
from ..errors import InputError
from ..regular_files import open_regular
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
