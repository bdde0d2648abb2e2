"""The summary's fast rows read back exactly as typed, whatever the text holds."""

from __future__ import annotations

import zipfile

from book_parts import open_book
from python_calamine import CalamineWorkbook

from xlsuite.county.sheet import MONEY, TEXT, Col, Formats, TableSheet
from xlsuite.files.plaintext_xlsx import PlainTextWorkbook

ODD_TEXTS = ["=SUM(1,2)", "@A1", "a & b < c > d", "  leading and trailing  ", '引号"和\'撇号', "第一行\n第二行",
             "emoji 😀 outside the BMP", "_x0041_ looks like an escape",
             # xlsxwriter itself writes these two into the file as rich-text markup
             "<r>某单位</r>", "<r><t>x</t></r><r><t>y</t></r>", "\ttab at both ends\t"]
CONTROL_TEXTS = ["bell\x07 and carriage return\r inside", "\x01_x0041_\x1f"]
"""Stored as _xHHHH_ escapes, which Excel and calamine decode (openpyxl shows them as stored)."""


def _table(tmp_path, rows):
    path = tmp_path / "t.xlsx"
    wb = PlainTextWorkbook(str(path))
    t = TableSheet(wb, Formats(wb), "表", "标题", [Col("文字", TEXT, 20), Col("金额", MONEY, 12)])
    for text, amount in rows:
        t.append([text, amount])
    t.finish()
    wb.close()
    return path


def test_text_comes_back_as_typed_on_both_readers(tmp_path):
    path = _table(tmp_path, [(text, n) for n, text in enumerate(ODD_TEXTS)])
    ws = open_book(path)["表"]
    got = [(ws.cell(r, 1).value, ws.cell(r, 1).data_type, ws.cell(r, 2).value) for r in range(3, 3 + len(ODD_TEXTS))]
    assert got == [(text, "s", n) for n, text in enumerate(ODD_TEXTS)]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()
    assert [r[0] for r in rows[2:]] == ODD_TEXTS


def test_control_characters_come_back_as_typed(tmp_path):
    path = _table(tmp_path, [(text, None) for text in CONTROL_TEXTS])
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()
    assert [r[0] for r in rows[2:]] == CONTROL_TEXTS


def test_text_longer_than_excel_allows_is_cut_to_the_limit(tmp_path):
    path = _table(tmp_path, [("长" * 40000, 1.5), ("短", None), ("😀" * 20000, 2)])
    ws = open_book(path)["表"]
    assert ws["A3"].value == "长" * 32767
    assert ws["B3"].value == 1.5
    assert (ws["A4"].value, ws["B4"].value) == ("短", None)
    assert ws["A5"].value == "😀" * 16383  # two UTF-16 units each: 32,766 fit, 32,768 would not


def test_repeated_values_share_cells_but_each_is_counted(tmp_path):
    rows = [("甲", 1), ("乙", 1.0), ("甲", 2), (None, None), ("甲", 1)]
    path = _table(tmp_path, rows)
    ws = open_book(path)["表"]
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(3, 8)] == rows
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    # <sst count> is the number of text cells (title, 2 headers, 4 data cells), uniqueCount the strings.
    assert sheet.count('t="s"') == 7
    assert 'count="7" uniqueCount="5"' in sst


def test_header_row_is_tall_enough_for_a_long_header(tmp_path):
    path = tmp_path / "h.xlsx"
    wb = PlainTextWorkbook(str(path))
    TableSheet(wb, Formats(wb), "短", "标题", [Col("编码", TEXT, 11)]).finish()
    TableSheet(wb, Formats(wb), "长", "标题", [Col("207 文化旅游体育与传媒支出", TEXT, 12)]).finish()
    wb.close()
    book = open_book(path)
    assert book["短"].row_dimensions[2].height == 30
    # 12 characters wide: the name takes three lines or more, which 30 points cannot show
    assert book["长"].row_dimensions[2].height >= 44


def test_constant_memory_is_refused_as_it_would_write_text_as_markup(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="constant_memory"):
        PlainTextWorkbook(str(tmp_path / "c.xlsx"), {"constant_memory": True})
