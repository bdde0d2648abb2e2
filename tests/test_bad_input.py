"""Each kind of bad file gets one clear Chinese error naming the file and the reason."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import msoffcrypto
import pytest
from book_parts import cell_xml, open_book, sheet_part, style_of
from libreoffice import convert

from xlsuite.core import contract as c
from xlsuite.core.errors import ContractError, InputError, XlsuiteError
from xlsuite.reader import ENGINES, read_book


def _truncated(sample: Path, out: Path) -> None:
    data = sample.read_bytes()
    out.write_bytes(data[: len(data) // 2])


def _encrypted(sample: Path, out: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with sample.open("rb") as f, out.open("wb") as o:
        OOXMLFile(f).encrypt("secret", o)


def _docx(sample: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")


def _edited(sample: Path, out: Path, edit) -> None:
    wb = open_book(sample)
    edit(wb)
    wb.save(out)


def _drop_sheet(wb):
    del wb[c.INDICATOR_SHEET]


def _newer(wb):
    ws = wb[c.META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == c.META_VERSION_KEY:
            row[1].value = "2.0"


def _text_amount(wb):
    wb[c.BUDGET_SHEET]["E12"] = "五十万"


def _repacked(sample: Path, out: Path, part: str, edit) -> None:
    """The sample's package with one part changed by ``edit`` (bytes → bytes), or left out when
    ``edit`` is None: a file damaged inside an intact zip, as a faulty program or disk leaves it."""
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == part and edit is None:
                continue
            data = src.read(info.filename)
            dst.writestr(info.filename, edit(data) if info.filename == part else data)


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damaged_member(sample: Path, out: Path) -> None:
    """Bytes flipped inside 收支情况's compressed data: the zip opens, the part does not inflate."""
    data = bytearray(sample.read_bytes())
    with zipfile.ZipFile(sample) as zf:
        info = zf.getinfo(BUDGET_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # after the local header
    for k in range(200, 260):
        data[start + k] ^= 0x5A
    out.write_bytes(bytes(data))


# 收支情况's part, and its cell E4, which holds the number 553.67.
BUDGET_PART = sheet_part(c.BUDGET_SHEET)
_E4 = cell_xml(c.BUDGET_SHEET, "E4")
_E4_STYLE = style_of(_E4).decode()

CASES = {
    # name: (make the file, error class, words the message must hold)
    "empty": (lambda s, o: o.write_bytes(b""), InputError, "空的"),
    "not_a_workbook": (lambda s, o: o.write_text("单位,金额\n工信局,1\n", "utf-8"), InputError, "不是 Excel 工作簿"),
    "word_document": (_docx, InputError, "Word"),
    "truncated": (_truncated, InputError, "损坏或不完整"),
    "encrypted": (_encrypted, InputError, "密码"),
    "missing_sheet": (lambda s, o: _edited(s, o, _drop_sheet), ContractError, "缺少工作表：绩效指标"),
    "newer_version": (lambda s, o: _edited(s, o, _newer), ContractError, "模板版本 2.0"),
    # Damaged inside the package: each engine fails in its own place (openpyxl at opening or as
    # it iterates a sheet, calamine as it reads one), always with the same kind of error.
    "corrupt_sheet_xml": (lambda s, o: _repacked(s, o, BUDGET_PART, _half), InputError, "工作表“收支情况”已损坏"),
    "missing_sheet_part": (lambda s, o: _repacked(s, o, BUDGET_PART, None), InputError, "工作表“收支情况”已损坏"),
    "corrupt_workbook_xml": (lambda s, o: _repacked(s, o, "xl/workbook.xml", _half), InputError, "文件已损坏"),
    "corrupt_relationships": (lambda s, o: _repacked(s, o, "xl/_rels/workbook.xml.rels", _half), InputError,
                              "文件已损坏"),
    "corrupt_shared_strings": (lambda s, o: _repacked(s, o, "xl/sharedStrings.xml", _half), InputError, "已损坏"),
    "missing_shared_strings": (lambda s, o: _repacked(s, o, "xl/sharedStrings.xml", None), InputError, "已损坏"),
    "corrupt_styles": (lambda s, o: _repacked(s, o, "xl/styles.xml", _half), InputError, "文件已损坏"),
    "damaged_zip_member": (_damaged_member, InputError, "已损坏"),
    "shared_string_out_of_range": (lambda s, o: _repacked(s, o, BUDGET_PART, lambda d: d.replace(
        _E4, f'<c r="E4" {_E4_STYLE} t="s"><v>99999</v></c>'.encode())), InputError, "工作表“收支情况”已损坏"),
    "invalid_boolean": (lambda s, o: _repacked(s, o, BUDGET_PART, lambda d: d.replace(
        _E4, f'<c r="E4" {_E4_STYLE} t="b"><v>x</v></c>'.encode())), InputError, "工作表“收支情况”已损坏"),
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_has_its_message(tmp_path, sample_path, case, engine):
    make, error, words = CASES[case]
    path = tmp_path / f"{case}.xlsx"
    make(sample_path, path)
    with pytest.raises(error) as info:
        read_book(path, engine=engine)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert words in message, message
    assert "Traceback" not in message


def test_encrypted_file_really_is_encrypted(tmp_path, sample_path):
    path = tmp_path / "enc.xlsx"
    _encrypted(sample_path, path)
    assert msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes())).is_encrypted()


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_text_amount_names_the_cell_and_the_value_and_the_book_is_still_read(tmp_path, sample_path, engine):
    # A word typed in an amount cell is the user's to fix, not a reason to lose the whole book:
    # it reads as empty, and validation reports it (tests/test_typed_values.py).
    path = tmp_path / "t.xlsx"
    _edited(sample_path, path, _text_amount)
    book = read_book(path, engine=engine)
    assert book.budget["function.204"].amounts.adjusted is None
    assert [(str(n.cell), n.kind, n.problem) for n in book.cell_notes] == [
        ("收支情况!E12", "text", "应填金额（全年预算数），实为“五十万”")]


def test_numbers_typed_as_text_are_accepted(tmp_path, sample_path):
    path = tmp_path / "t.xlsx"
    _edited(sample_path, path, lambda wb: wb[c.BUDGET_SHEET].__setitem__("E12", "1,234.50"))
    assert read_book(path).budget["function.204"].amounts.adjusted == 1234.5


@pytest.mark.slow  # LibreOffice saves the sample as .xls
@pytest.mark.libreoffice
def test_legacy_xls(tmp_path, sample_path):
    xls = convert(sample_path, tmp_path, "xls")
    renamed = tmp_path / "saved-as-xls.xlsx"
    shutil.copy(xls, renamed)
    for path in (xls, renamed):
        with pytest.raises(InputError) as info:
            read_book(path)
        assert ".xls" in str(info.value) and "另存为 .xlsx" in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        read_book(tmp_path / "nope.xlsx")
    with pytest.raises(InputError, match="文件夹"):
        read_book(tmp_path)


def test_every_error_is_an_xlsuite_error():
    for _, error, _ in CASES.values():
        assert issubclass(error, XlsuiteError)


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("name", ["saved-as.xls", "no-extension", "attachment.zip"])
def test_a_workbook_under_another_name_reads_by_its_content(tmp_path, sample_path, engine, name):
    """A sound .xlsx renamed (as mail programs and users do) reads as it is, by either engine."""
    path = tmp_path / name
    shutil.copy(sample_path, path)
    book = read_book(path, engine=engine)
    expected = read_book(sample_path, engine=engine)
    assert book.info == expected.info and book.budget == expected.budget
    assert book.projects == expected.projects and book.indicators == expected.indicators


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_read_command_reports_a_damaged_sheet_in_one_line(tmp_path, sample_path, engine):
    path = tmp_path / "坏表.xlsx"
    _repacked(sample_path, path, BUDGET_PART, _half)
    result = subprocess.run([sys.executable, "-m", "xlsuite", "read", "--engine", engine, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"错误：{path}：工作表“收支情况”已损坏，无法读取（")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_row_numbered_out_of_order_is_never_dropped_without_a_word(tmp_path, sample_path, engine):
    # 部门信息's 单位编码 row (row 4) renumbered 1, its cells still A4/B4/C4, as a faulty writer
    # leaves it (found by the fuzz campaign). openpyxl skipped such a row: 单位编码 read as empty.
    part = sheet_part(c.INFO_SHEET)
    out = tmp_path / "renumbered.xlsx"
    _repacked(sample_path, out, part, lambda xml: xml.replace(b'<row r="4" ', b'<row r="1" ', 1))
    try:
        book = read_book(out, engine=engine)
    except InputError as exc:
        assert f"工作表“{c.INFO_SHEET}”已损坏" in str(exc)
    else:
        assert book.info.unit_code == "307001"  # read where its cells say it is


def test_a_part_whose_local_name_differs_from_the_directory_is_refused_by_both_engines(tmp_path, sample_path):
    """A flipped byte in a part's local header name (fuzz case 131 of seed 14): zipfile refused
    the book, calamine read it from the central directory; one reading or one refusal."""
    data = bytearray(sample_path.read_bytes())
    with zipfile.ZipFile(sample_path) as zf:
        info = zf.getinfo("xl/styles.xml")
    name_at = info.header_offset + 30
    assert bytes(data[name_at:name_at + len(info.filename)]) == b"xl/styles.xml"
    data[name_at + 7] = 0x04  # xl/styl\x04s.xml
    book = tmp_path / "名称不符.xlsx"
    book.write_bytes(bytes(data))
    reasons = set()
    for engine in ENGINES:
        with pytest.raises(InputError) as caught:
            read_book(book, engine=engine)
        reasons.add(caught.value.reason)
    assert reasons == {"文件已损坏（压缩包中的 xl/styles.xml 校验不符或无法解压）"}
