"""The Excel-limits checker (``xlsuite.files.excel_limits``) catches each limit a book can break, and
finds nothing in a clean book whose strings and sheet names are full of commas, parentheses and
quotes (the tokeniser must not count what is inside them)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

from xlsuite.files.excel_limits import check_file, defined_name_violation, formula_shape

TRICKY_SHEET = "it's (a,b)"


def _clean_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    other = wb.create_sheet(TRICKY_SHEET)
    other["A1"] = 1
    ws["A1"] = 5
    # Commas and parentheses inside strings and a quoted sheet name count for nothing; 255
    # arguments and 64 levels are within the limits, as is a 255-character list.
    ws["B1"] = '=IF(A1=5,"a,(b)))","c""d,(")'
    ws["B2"] = "='it''s (a,b)'!A1+SUM(" + ",".join(["1"] * 255) + ")"
    ws["B3"] = "=" + "ABS(" * 64 + "1" + ")" * 64
    ws["B4"] = '=HYPERLINK("#\'数据\'!A1","看")'
    ws["B5"] = "=" + "+".join(["A1"] * 2700)  # 8,100 characters with the =
    ws["B6"] = "x" * 32767
    dv = DataValidation(type="list", formula1='"' + ",".join(["ab"] * 84) + ',a"')
    ws.add_data_validation(dv)
    dv.add("C1")
    wb.save(path)
    return path


def _rewrite(path: Path, out: Path, part: str, change) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = change(data.decode()).encode()
            dst.writestr(info, data)
    return out


def _with_formula(tmp_path: Path, formula: str) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = formula
    wb.save(tmp_path / "f.xlsx")
    return tmp_path / "f.xlsx"


def _found(path: Path) -> str:
    return "\n".join(str(v) for v in check_file(path))


def test_a_clean_book_has_no_violation(tmp_path):
    assert check_file(_clean_book(tmp_path / "clean.xlsx")) == []


@pytest.mark.parametrize("formula, expected", [
    ("=" + "+".join(["A1"] * 2800), "8,400 characters"),
    ("=" + "ABS(" * 65 + "1" + ")" * 65, "nested 65 deep"),
    ("=SUM(" + ",".join(["1"] * 256) + ")", "256 arguments"),
    ("=LET(x,1,x)", "LET"),
    ("=_xlfn.XLOOKUP(1,B1:B2,C1:C2)", "XLOOKUP"),
    ('=_xlfn.TEXTJOIN(",",TRUE,B1:B2)', "TEXTJOIN"),
    ('=_xlfn.IFS(B1>0,"a",TRUE,"b")', "IFS"),
    ("=_xlfn.CONCAT(B1,B2)", "CONCAT"),
    ('=_xlfn.SWITCH(B1,1,"a","b")', "SWITCH"),
    ("=_xlfn.MAXIFS(B1:B2,C1:C2,1)+_xlfn.MINIFS(B1:B2,C1:C2,1)", "MAXIFS, MINIFS"),
    ("=_xlfn._xlws.FILTER(B1:B2,C1:C2)", "FILTER"),
    ("=_xlfn.LAMBDA(x,x)(1)", "LAMBDA"),
    ('=HYPERLINK("https://example.com/' + "a" * 250 + '","x")', "HYPERLINK target of 270"),
])
def test_each_formula_limit_is_caught(tmp_path, formula, expected):
    assert expected in _found(_with_formula(tmp_path, formula))


def test_a_string_that_looks_like_a_newer_function_is_not_one():
    shape = formula_shape('=IF(A1="LET(x,1)",\'XLOOKUP(\'!A1,1)')
    assert shape.functions == {"IF"}
    assert shape.most_arguments == 3


@pytest.mark.parametrize("part, change, expected", [
    ("xl/workbook.xml", lambda x: x.replace('name="数据"', 'name="' + "表" * 32 + '"'), "32 characters"),
    ("xl/workbook.xml", lambda x: x.replace('name="数据"', 'name="数据[1]"'), "sheet name with [ ]"),
    ("xl/workbook.xml", lambda x: x.replace('name="数据"', 'name="a/b"'), "sheet name with /"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace('r="A1"', 'r="A1048577"', 1), "1,048,576 rows"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace('r="A1"', 'r="XFE1"', 1), "16,384 columns"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace("x" * 32767, "x" * 32768), "32,768"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace(',a"', ',ab"'), "list of at most 255"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace("A1+A1</f>", "A1" + "+A1" * 100 + "</f>"), "characters, over 8,192"),
    ("xl/styles.xml", lambda x: re.sub(r"<cellXfs count=\"\d+\">", lambda m: m.group(0) + "<xf/>" * 64000, x),
     "64,000 cell styles"),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace("</sheetData>", "</sheetData></row>"), "well-formed"),
    ("docProps/app.xml", lambda x: x[:-20], "well-formed"),
])
def test_each_book_limit_is_caught(tmp_path, part, change, expected):
    clean = _clean_book(tmp_path / "clean.xlsx")
    assert expected in _found(_rewrite(clean, tmp_path / "bad.xlsx", part, change))


@pytest.mark.parametrize("name", ["A1", "xfd1048576", "R1C1", "rc", "C", "R2", "1x", "a b", "部门-整体", "x" * 256])
def test_a_defined_name_excel_would_refuse_or_read_as_a_reference_is_caught(tmp_path, name):
    """The template names its texts and ranges (``template.formulas.Names``): a name that reads
    as a cell or an R1C1 reference would make Excel and WPS take the reference instead."""
    clean = _clean_book(tmp_path / "clean.xlsx")
    escaped = name.replace("&", "&amp;")
    bad = _rewrite(clean, tmp_path / "bad.xlsx", "xl/workbook.xml", lambda x: x.replace(
        "</sheets>", f'</sheets><definedNames><definedName name="{escaped}">数据!$A$1</definedName></definedNames>'))
    assert "Excel's defined names" in _found(bad)


@pytest.mark.parametrize("name", ["_1", "_E", "_codes", "部门整体得分", "_xlnm.Print_Area", "XFE1", "RC_1"])
def test_the_names_xlsuite_writes_pass(name):
    assert defined_name_violation(name) == ""


def test_long_hyperlinks_are_caught(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"].hyperlink = "https://example.com/" + "a" * 240
    wb.active["A2"].hyperlink = "#'Sheet'!A" + "1" * 250
    wb.save(tmp_path / "links.xlsx")
    found = [v for v in check_file(tmp_path / "links.xlsx") if "hyperlink" in v.limit]
    assert [v.where for v in found] == ["A1", "A2"]


def test_a_file_that_is_no_zip_is_one_violation(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    assert "a zip package" in _found(path)
