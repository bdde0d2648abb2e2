"""Books as a program that writes every formula out per cell saves them (LibreOffice does, and
so does openpyxl, which expands the template's shared formulas into each cell), and what one
indicator row weighs there: the measure of issue 24's target (≤ 3 KB a row)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from xlsuite.core import contract as c


def big_book(projects: int = 200, per_project: int = 20):
    """The seed department with ``projects`` projects of ``per_project`` indicators each (its own
    部门整体 indicators left out, so the count is exact): 4,000 indicators by default."""
    from xlsuite.template.sample import scaled_sample

    book = scaled_sample(projects, per_project)
    book.indicators = [i for i in book.indicators if i.subject != c.WHOLE_DEPARTMENT]
    return book


def saved_by_libreoffice(src: Path, folder: Path) -> Path:
    """``src`` opened, recalculated and saved as .xlsx by LibreOffice headless, into ``folder``."""
    from libreoffice import convert

    return convert(src, folder, "xlsx", timeout=900)


def written_out(src: Path, out: Path) -> Path:
    """``src`` saved again by openpyxl: each cell carrying its own formula text."""
    wb = openpyxl.load_workbook(src)
    wb.save(out)
    return out


def sheet_xml(path: Path, sheet: str) -> bytes:
    """The XML part of ``sheet`` in the package at ``path``."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<(?:\w+:)?sheet [^>]*name="' + re.escape(sheet) + r'"[^>]*r:id="(\w+)"', workbook).group(1)
        target = re.search(r'<Relationship [^>]*Id="' + rid + r'"[^>]*Target="([^"]+)"', rels)
        if target is None:
            target = re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + rid + '"', rels)
        name = target.group(1).lstrip("/")
        return zf.read(name if name.startswith("xl/") else f"xl/{name}")


def row_bytes(path: Path, sheet: str, row: int) -> int:
    """Bytes of the ``<row>`` element of 1-based ``row`` in ``sheet``'s XML."""
    xml = sheet_xml(path, sheet)
    match = re.search(rb'<(?:\w+:)?row [^>]*\br="' + str(row).encode() + rb'".*?</(?:\w+:)?row>', xml, re.S)
    return len(match.group(0))


def indicator_row_bytes(path: Path, indicators: int = 1) -> int:
    """Bytes of the largest of the first ``indicators`` 绩效指标 rows (filled ones, in a filled
    book): the last, whose references carry the most digits, unless another holds more text."""
    first = c.HEADER_ROW + 2
    return max(row_bytes(path, c.INDICATOR_SHEET, row) for row in {first, first + indicators - 1})


def longest_formula(path: Path) -> int:
    """Characters of the longest formula in any sheet of ``path`` (with its ``=``)."""
    longest = 0
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for text in re.findall(rb"<f(?: [^>]*)?>([^<]*)</f>", zf.read(name)):
                    longest = max(longest, len(_unescaped(text)) + 1)
    return longest


def _unescaped(text: bytes) -> str:
    return (text.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
