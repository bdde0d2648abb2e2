"""The rows the template prepares below a table's data (formulas waiting for input, no value)
are checked in the last of them and not given to calamine; anything else in them is read and
checked as in a data row, on both engines alike."""

from __future__ import annotations

import re
import zipfile

import pytest
from book_parts import sheet_part
from test_reader_limits import ENGINE_NAMES, repacked

from xlsuite.core import contract as c
from xlsuite.core.errors import CellValueError, InputError
from xlsuite.core.model import column_letters
from xlsuite.reader import package, read_book
from xlsuite.reader.prepared_rows import prepared_tail

INDICATOR_PART = sheet_part(c.INDICATOR_SHEET)
PROJECT_PART = sheet_part(c.PROJECT_SHEET)
_FIRST_FORMULA = len(c.INDICATOR_SHEET_DEF.columns)  # 0-based: the formula columns follow the inputs
_LAST_FORMULA = _FIRST_FORMULA + len(c.INDICATOR_SHEET_DEF.formula_columns) - 1
PREPARED_SPANS = f"{_FIRST_FORMULA + 1}:{_LAST_FORMULA + 1}".encode()
"""The span of a 绩效指标 row the template prepares: its formula columns only."""
FORMULA_LETTERS = f"{column_letters(_FIRST_FORMULA)}-{column_letters(_LAST_FORMULA)}".encode()


def _row(xml: bytes, n: int) -> re.Match:
    return re.search(rb'<row r="' + str(n).encode() + rb'"[^>]*>.*?</row>', xml, re.S)


def with_row(n: int, cells):
    """The sheet with row ``n``'s cells replaced by ``cells(xml)`` (bytes; ``{n}`` stands for the
    row number)."""
    def edit(xml: bytes) -> bytes:
        row = _row(xml, n)
        head = re.match(rb"<row[^>]*>", row[0])[0]
        return xml[:row.start()] + head + cells(xml).replace(b"{n}", str(n).encode()) + b"</row>" + xml[row.end():]
    return edit


def data_row_cells(source: int):
    """The cells of data row ``source``, renumbered for another row."""
    def cells(xml: bytes) -> bytes:
        row = _row(xml, source)[0]
        inner = re.sub(rb"^<row[^>]*>|</row>$", b"", row)
        return re.sub(rb'(r="[A-Z]+)' + str(source).encode() + rb'"', rb'\1{n}"', inner)
    return cells


def sheet_xml(path, part: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part)


def test_the_sample_prepared_rows_are_found_and_calamine_is_not_given_them(sample_path):
    """The shape of the reader's cost: of the sample's 195 KB of 绩效指标 calamine is given its
    data rows only."""
    data = sample_path.read_bytes()
    checked = package.check_package(sample_path, data, c.READ_SHEETS)
    for part, rows in ((INDICATOR_PART, 900), (PROJECT_PART, 150)):
        xml = checked.parts[part][0]
        tail = prepared_tail(xml)
        assert tail is not None and tail.rows > rows and xml[tail.end:].startswith(b"</sheetData>")
        assert len(checked.rewritten[part]) < len(xml) / 3
    with zipfile.ZipFile(__import__("io").BytesIO(checked.engine_package(data))) as zf:
        assert zf.read(INDICATOR_PART) == checked.rewritten[INDICATOR_PART]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("row", [700, 1002])
def test_an_indicator_typed_into_a_prepared_row_is_read(tmp_path, sample_path, engine, row):
    """Row 3's indicator again at row 700 (amid the prepared rows) or at the last row: read
    there, as a department typed it."""
    path = repacked(sample_path, tmp_path / "typed.xlsx", {INDICATOR_PART: with_row(row, data_row_cells(3))})
    before, after = read_book(sample_path, engine=engine), read_book(path, engine=engine)
    assert len(after.indicators) == len(before.indicators) + 1
    added = after.indicators[-1]
    assert (added.level3, added.target, added.weight) == (before.indicators[0].level3, before.indicators[0].target,
                                                           before.indicators[0].weight)
    assert str(added.cells["level3"]).endswith(f"D{row}")


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_an_error_value_in_a_prepared_row_is_a_bad_cell(tmp_path, sample_path, engine):
    def cells(xml: bytes) -> bytes:
        return data_row_cells(3)(xml).replace(b'<c r="F{n}" s="9"><v>6</v></c>',
                                              b'<c r="F{n}" s="9" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    path = repacked(sample_path, tmp_path / "err.xlsx", {INDICATOR_PART: with_row(800, cells)})
    assert b'<c r="F800" s="9" t="e">' in sheet_xml(path, INDICATOR_PART)
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert ("绩效指标!F800", "为错误值 #DIV/0!") in info.value.cells


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("row", [600, 1002])
def test_a_far_cell_in_a_prepared_row_is_refused(tmp_path, sample_path, engine, row):
    """A far cell among the prepared rows, or in the last of them (a formula only, as the
    others): refused before any engine loads the sheet."""
    far = b'<c r="XFD{n}"><v>1</v></c>' if row != 1002 else b'<c r="XFD{n}"><f>1</f></c>'

    def cells(xml: bytes) -> bytes:
        return re.sub(rb"^<row[^>]*>|</row>$", b"", _row(xml, row)[0]).replace(str(row).encode(), b"{n}") + far
    path = repacked(sample_path, tmp_path / "far.xlsx", {INDICATOR_PART: with_row(row, cells)})
    with pytest.raises(InputError, match="已用区域过大"):
        read_book(path, engine=engine)


def test_a_far_formula_in_every_prepared_row_is_refused(tmp_path, sample_path):
    """Every prepared row reaching column XFD: they are all alike, and the last stands for them."""
    def edit(xml: bytes) -> bytes:
        return re.sub(rb'(<row r="(\d+)" spans="' + PREPARED_SPANS + rb'">.*?)</row>', rb'\1<c r="XFD\2"><f>1</f></c></row>', xml)
    path = repacked(sample_path, tmp_path / "far.xlsx", {INDICATOR_PART: edit})
    assert prepared_tail(sheet_xml(path, INDICATOR_PART)) is not None
    with pytest.raises(InputError, match="已用区域过大"):
        read_book(path)


def excel_style(xml: bytes) -> bytes:
    """The prepared rows as Excel saves them: each formula with its cached result "" and each row
    with Excel's own attribute."""
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
                                        b'spreadsheetml/2009/9/ac" ', 1)
    xml = re.sub(rb'(<row r="\d+" spans="' + PREPARED_SPANS + rb'")>', rb'\1 x14ac:dyDescent="0.25">', xml)
    return re.sub(rb'(<c r="[' + FORMULA_LETTERS + rb'](\d+)" s="\d+")><f t="shared" si="(\d)"/></c>',
                  lambda m: m[1] + b' t="str"><f t="shared" si="' + m[3] + b'"/><v></v></c>'
                  if int(m[2]) > 48 else m[0], xml)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_prepared_rows_saved_by_excel_read_as_the_sample(tmp_path, sample_path, engine):
    path = repacked(sample_path, tmp_path / "excel.xlsx", {INDICATOR_PART: excel_style})
    xml = sheet_xml(path, INDICATOR_PART)
    assert b"<v></v>" in xml and (tail := prepared_tail(xml)) is not None and tail.rows > 900
    book, sample = read_book(path, engine=engine), read_book(sample_path, engine=engine)
    assert (book.indicators, book.problems, book.formula_results) == (sample.indicators, sample.problems,
                                                                      sample.formula_results)


@pytest.mark.parametrize("edit", ["value", "text", "negative_string"])
def test_a_prepared_row_holding_a_value_ends_the_run(sample_path, edit):
    """A value in one of them, however small, leaves it and the rows above to be read in full."""
    xml = sheet_xml(sample_path, INDICATOR_PART)
    cell = {"value": b'<c r="Q500"><v>0</v></c>', "text": b'<c r="Q500" t="inlineStr"><is><t>x</t></is></c>',
            "negative_string": b'<c r="Q500" t="s"><v>-1</v></c>'}[edit]
    row = _row(xml, 500)
    changed = xml[:row.end() - 6] + cell + xml[row.end() - 6:]
    tail = prepared_tail(changed)
    assert tail is not None and changed[:tail.start].endswith(cell + b"</row>")


def test_calamine_is_kept_to_its_xlsx_reader_where_the_package_could_be_another(tmp_path, sample_path):
    """The package made of the checked parts holds no .bin part (an .xlsb's workbook); with an
    OpenDocument content.xml among them calamine is still told to read it as .xlsx alone."""
    data = sample_path.read_bytes()
    assert package.check_package(sample_path, data, c.READ_SHEETS).engine_package_is_xlsx
    path = tmp_path / "hybrid.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office='
                                    '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    assert not package.check_package(path, path.read_bytes(), c.READ_SHEETS).engine_package_is_xlsx
    assert read_book(path).indicators == read_book(sample_path).indicators


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_far_row_above_prepared_rows_is_refused_with_the_sheet_exact_extent(tmp_path, sample_path, engine):
    """A refusal names the used range exactly, prepared rows and all (not the bound a near sheet
    is given)."""
    path = repacked(sample_path, tmp_path / "far.xlsx", {PROJECT_PART: lambda xml: xml.replace(
        b'<c r="A4"', b'<c r="A20001"', 1)})
    xml = sheet_xml(path, PROJECT_PART)
    assert prepared_tail(xml) is not None
    letters = {m[1] for m in re.finditer(rb'<c r="([A-Z]+)\d+"', xml)}
    width = max(sum((ch - 64) * 26**i for i, ch in enumerate(reversed(col))) for col in letters)
    with pytest.raises(InputError, match=f"达 20,001 行 × {width} 列"):
        read_book(path, engine=engine)
