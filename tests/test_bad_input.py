"""Each kind of bad file gets one clear Chinese error naming the file and the reason."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from libreoffice import convert

from xlsuite import contract as c
from xlsuite.errors import CellValueError, ContractError, InputError, XlsuiteError
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
    wb = openpyxl.load_workbook(sample)
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


CASES = {
    # name: (make the file, error class, words the message must hold)
    "empty": (lambda s, o: o.write_bytes(b""), InputError, "空的"),
    "not_a_workbook": (lambda s, o: o.write_text("单位,金额\n工信局,1\n", "utf-8"), InputError, "不是 Excel 工作簿"),
    "word_document": (_docx, InputError, "Word"),
    "truncated": (_truncated, InputError, "损坏或不完整"),
    "encrypted": (_encrypted, InputError, "密码"),
    "missing_sheet": (lambda s, o: _edited(s, o, _drop_sheet), ContractError, "缺少工作表：绩效指标"),
    "newer_version": (lambda s, o: _edited(s, o, _newer), ContractError, "模板版本 2.0"),
    "text_in_amount": (lambda s, o: _edited(s, o, _text_amount), CellValueError, "收支情况!E12"),
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


def test_text_amount_names_the_cell_and_the_value(tmp_path, sample_path):
    path = tmp_path / "t.xlsx"
    _edited(sample_path, path, _text_amount)
    with pytest.raises(CellValueError) as info:
        read_book(path)
    assert info.value.cells == [("收支情况!E12", "应填金额（全年预算数），实为“五十万”")]


def test_numbers_typed_as_text_are_accepted(tmp_path, sample_path):
    path = tmp_path / "t.xlsx"
    _edited(sample_path, path, lambda wb: wb[c.BUDGET_SHEET].__setitem__("E12", "1,234.50"))
    assert read_book(path).budget["function.204"].amounts.adjusted == 1234.5


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
