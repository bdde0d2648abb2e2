"""Structured mutations of the sample: each a named change a real file has shown, one part edited.

Unlike the seeded byte/zip/XML mutations of ``fuzz_reader.py``, each of these aims at one thing
an engine might trust or read its own way: counts in the shared strings, the declared encoding,
the case of entry names, a cell outside its row, digits with underscores, a far date, rows out of
order, a cell given twice. ``MUTATIONS`` maps a name to a function of the package's parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

STRINGS = "xl/sharedStrings.xml"
BUDGET = "xl/worksheets/sheet4.xml"
"""收支情况 in the sample: row 4 is 财政拨款收入, with E4 and F4 holding 553.67."""
ROW4 = re.compile(rb'<row r="4"[^>]*>.*?</row>', re.S)
ROW5 = re.compile(rb'<row r="5"[^>]*>.*?</row>', re.S)

Parts = dict[str, bytes]


def parts_of(sample: Path) -> Parts:
    with zipfile.ZipFile(sample) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def package(parts: Parts) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def _edit(name: str, old: bytes | re.Pattern, new) -> Callable[[Parts], Parts]:
    def mutate(parts: Parts) -> Parts:
        parts = dict(parts)
        xml = parts[name]
        edited = old.sub(new, xml, count=1) if isinstance(old, re.Pattern) else xml.replace(old, new, 1)
        assert edited != xml, f"{name}: nothing to change"
        parts[name] = edited
        return parts
    return mutate


def _encoding(name: str, encoding: bytes) -> Callable[[Parts], Parts]:
    return _edit(name, b'encoding="UTF-8"', b'encoding="' + encoding + b'"')


def _upper_names(parts: Parts) -> Parts:
    return {name.upper(): data for name, data in parts.items()}


def _one_upper_name(parts: Parts) -> Parts:
    parts = dict(parts)
    parts["XL/WORKSHEETS/SHEET6.XML"] = parts.pop("xl/worksheets/sheet6.xml")  # 绩效指标
    return parts


def _amount_cell(ref: bytes) -> re.Pattern:
    """收支情况's cell ``ref`` holding 553.67, whatever style index the template gave it (group 1)."""
    return re.compile(rb'<c r="' + ref + rb'" s="(\d+)"><v>553\.67</v></c>')


def _cell_outside_its_row(parts: Parts) -> Parts:
    # E4 written as E5 inside row 4, and row 5 holding nothing in E: which row is E5's?
    return _edit(BUDGET, _amount_cell(b"E4"), rb'<c r="E5" s="\1"><v>553.67</v></c>')(parts)


def _rows_out_of_order(parts: Parts) -> Parts:
    parts = dict(parts)
    xml = parts[BUDGET]
    four, five = ROW4.search(xml), ROW5.search(xml)
    parts[BUDGET] = xml[:four.start()] + five[0] + four[0] + xml[five.end():]
    return parts


def _cell_twice(parts: Parts) -> Parts:
    return _edit(BUDGET, _amount_cell(b"F4"),
                 rb'<c r="F4" s="\1"><v>553.67</v></c><c r="F4" s="\1"><v>1</v></c>')(parts)


def _date_styled(value: bytes) -> Callable[[Parts], Parts]:
    """F4 given a new cell style of the built-in date format 14, holding ``value``."""
    def mutate(parts: Parts) -> Parts:
        parts = dict(parts)
        styles = parts["xl/styles.xml"]
        xfs = re.search(rb'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
        count = int(xfs[1])
        date_xf = b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        parts["xl/styles.xml"] = (styles[:xfs.start()] + b'<cellXfs count="%d">' % (count + 1) + xfs[2] + date_xf
                                  + b"</cellXfs>" + styles[xfs.end():])
        return _edit(BUDGET, _amount_cell(b"F4"), b'<c r="F4" s="%d"><v>%s</v></c>' % (count, value))(parts)
    return mutate


MUTATIONS: dict[str, Callable[[Parts], Parts]] = {
    "uniqueCount": _edit(STRINGS, re.compile(rb'uniqueCount="\d+"'), b'uniqueCount="999999999"'),
    "count": _edit(STRINGS, re.compile(rb' count="\d+"'), b' count="999999999"'),
    "negative uniqueCount": _edit(STRINGS, re.compile(rb'uniqueCount="\d+"'), b'uniqueCount="-1"'),
    "dimension": _edit(BUDGET, re.compile(rb'<dimension ref="[^"]*"/>'), b'<dimension ref="A1:XFD1048576"/>'),
    "dimension smaller than the sheet": _edit(BUDGET, re.compile(rb'<dimension ref="[^"]*"/>'),
                                              b'<dimension ref="A1:C5"/>'),
    "dimension no range": _edit(BUDGET, re.compile(rb'<dimension ref="[^"]*"/>'), b'<dimension ref="ZZZZ1"/>'),
    "style counts": _edit("xl/styles.xml", re.compile(rb'<cellXfs count="\d+"'), b'<cellXfs count="999999999"'),
    "encoding of the shared strings": _encoding(STRINGS, b"x-unknown-8"),
    "encoding of the workbook": _encoding("xl/workbook.xml", b"x-unknown-8"),
    "encoding of a sheet": _encoding(BUDGET, b"x-unknown-8"),
    "encoding UTF-16 declared": _encoding(BUDGET, b"UTF-16"),
    "upper-case entry names": _upper_names,
    "one sheet's entry name in upper case": _one_upper_name,
    "cell outside its row": _cell_outside_its_row,
    "digits with underscores": _edit(BUDGET, _amount_cell(b"F4"), rb'<c r="F4" s="\1"><v>1_000</v></c>'),
    "date-styled huge number": _date_styled(b"99999999999"),
    "date-styled amount": _date_styled(b"553.67"),
    "rows out of order": _rows_out_of_order,
    "cell given twice": _cell_twice,
}


def write(sample: Path, name: str, out: Path) -> Path:
    """The sample with mutation ``name``, written to ``out``."""
    out.write_bytes(package(MUTATIONS[name](parts_of(sample))))
    return out
