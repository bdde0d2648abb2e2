"""Where things are inside the committed sample's package, found rather than assumed: the parts
are numbered by sheet order and the style numbers by the styles in use, and both change when the
template gains a sheet or a style."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "workbook_templates" / "samples" / "永昌县工信局-2021.xlsx"
V10_SAMPLE = Path(__file__).resolve().parent / "data" / "v10" / SAMPLE.name
"""The sample exactly as xlsuite committed it while the template was contract v1.0 (before 填报范围,
项目类别, 自评执行率得分 and 指标性质): a real old book, which must read and score as it always did."""
V11_SAMPLE = Path(__file__).resolve().parent / "data" / "v11" / SAMPLE.name
"""The sample exactly as xlsuite committed it while the template was contract v1.1 (before v1.2's
部门信息 lines on the notice, 编制 and people by kind, and the 主要工作 sheet)."""


def column_of(sheet, key: str) -> str:
    """The letter of the template's column ``key`` of table sheet ``sheet`` (a ``TableSheet``)."""
    from xlsuite.core.model import column_letters

    return column_letters([col.key for col in (*sheet.columns, *sheet.computed)].index(key))


def sheet_part(sheet: str, book: Path = SAMPLE) -> str:
    """The part holding ``sheet`` in ``book``, as its workbook and relationships say."""
    with zipfile.ZipFile(book) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{sheet}"[^>]*r:id="(\w+)"', workbook)[1]
    target = re.search(rf'<Relationship Id="{rid}"[^>]*Target="([^"]+)"', rels)
    target = target or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target[1].removeprefix("/xl/")


def cell_xml(sheet: str, ref: str, book: Path = SAMPLE) -> bytes:
    """The ``<c>`` element of cell ``ref`` of ``sheet`` in ``book``, exactly as stored."""
    with zipfile.ZipFile(book) as zf:
        xml = zf.read(sheet_part(sheet, book))
    return re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml)[0]


def style_of(cell: bytes) -> bytes:
    """The ``s="…"`` attribute of a ``<c>`` element (what a replacement keeps)."""
    return re.search(rb'\ss="\d+"', cell)[0].strip()


def open_book(path, **options):
    """``openpyxl.load_workbook(path, **options)``, each shared formula kept shared: what a test
    edits and saves, or reads values and styles from. openpyxl itself turns every cell of the
    template's computed columns into a formula of its own, 1.9 s for the sample (60 ms kept);
    a test that reads the formula of a cell below a column's first keeps ``load_workbook``."""
    from xlsuite.adapters.openpyxl_internals import load_keeping_shared_formulas

    return load_keeping_shared_formulas(path, **options)
