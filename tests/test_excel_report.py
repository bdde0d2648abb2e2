"""The 生成报告 button: the report drafted from the open book, written beside the workbook.

Driven through xlsuite's host protocol like the other buttons. A book's name is also its full
path there, so a book "saved" in a folder is one whose name is a path there.
"""

from __future__ import annotations

import hashlib
import shutil

import docx
import host_books as host
import pytest
from book_parts import open_book
from conftest import SAMPLE

from xlsuite.core import contract as c
from xlsuite.excel import actions
from xlsuite.excel.host import HostBook


@pytest.fixture(autouse=True)
def _home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # never the real Documents folder
    (tmp_path / "home" / "Documents").mkdir(parents=True)


def press(path, name=None, payload_edit=None):
    """Press 生成报告 on the book in ``path``; returns (alerts, actions queued)."""
    payload = host.payload_from_file(path, name)
    if payload_edit:
        payload_edit(payload)
    book = HostBook(payload)
    actions.run(book, actions.report)
    queued = book.json()["actions"]
    return [a["args"][0] for a in queued if a["func"] == "alert"], queued


def text_of(path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _unit_name(name: str):
    """A payload edit setting 部门信息's 单位名称 to ``name``, as if typed in the open book."""
    def edit(payload):
        sheet = next(s for s in payload["sheets"] if s["name"] == c.INFO_SHEET)
        for row in sheet["values"]:
            if str(row[0]).startswith("单位名称"):
                row[1] = name
                return
        raise AssertionError("单位名称 row not found")
    return edit


# Typed in Excel and not saved: the report must show it, so it reads the open book.
_rename_unit = _unit_name("永昌县工业和信息化局（未保存的修改）")


def test_report_lands_beside_the_workbook_from_what_is_on_screen(tmp_path):
    folder = tmp_path / "部门"
    folder.mkdir()
    book = shutil.copy(SAMPLE, folder / "永昌县工信局-2021.xlsx")
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    alerts, queued = press(book, name=str(book), payload_edit=_rename_unit)
    report = folder / "永昌县工信局-2021-自评报告.docx"
    assert report.is_file()
    assert alerts == [f"已生成自评报告：\n{report}\n报告按当前打开的工作簿内容生成（含尚未保存的修改）。"]
    assert [a["func"] for a in queued] == ["alert"]          # nothing written into the book
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    text = text_of(report)
    assert "永昌县工业和信息化局（未保存的修改）" in text
    for number in ("581.67", "553.67", "92.75"):          # the seed's totals and score
        assert number in text


def test_a_book_never_saved_gets_its_report_in_documents(tmp_path):
    alerts, _ = press(SAMPLE, name="工作簿1")
    report = tmp_path / "home" / "Documents" / "工作簿1-自评报告.docx"
    assert report.is_file()
    assert alerts[0].startswith("已生成自评报告（工作簿尚未保存在本机文件夹，报告已放在“文档”文件夹）：\n")
    assert str(report) in alerts[0]


def test_a_report_that_cannot_be_written_is_a_chinese_message(tmp_path):
    folder = tmp_path / "部门"
    folder.mkdir()
    book = shutil.copy(SAMPLE, folder / "部门.xlsx")
    (folder / "部门-自评报告.docx").mkdir()   # as good as a file Word holds open
    alerts, _ = press(book, name=str(book))
    assert len(alerts) == 1 and alerts[0].startswith("生成报告未完成：无法写入输出文件（")
    assert "Traceback" not in alerts[0]


def test_a_book_that_is_not_a_department_workbook_is_refused(tmp_path):
    wb = open_book(SAMPLE)
    del wb[c.INDICATOR_SHEET]
    wb.save(tmp_path / "broken.xlsx")
    alerts, _ = press(tmp_path / "broken.xlsx", name=str(tmp_path / "broken.xlsx"))
    assert alerts == [f"生成报告未完成：缺少工作表：{c.INDICATOR_SHEET}（不是标准的预算绩效自评工作簿）"]
    assert not (tmp_path / "broken-自评报告.docx").exists()


# A character pasted from another program: Excel keeps it in the cell, Word cannot hold it.
_control_character_in_unit_name = _unit_name("永昌县工业\x01和信息化局\x1f")


def test_a_control_character_in_the_book_is_shown_not_a_failure(tmp_path):
    folder = tmp_path / "部门"
    folder.mkdir()
    book = folder / "工信局.xlsx"
    shutil.copy(SAMPLE, book)
    alerts, _ = press(book, str(book), _control_character_in_unit_name)
    assert len(alerts) == 1 and alerts[0].startswith("已生成自评报告"), alerts
    assert "永昌县工业_x0001_和信息化局_x001F_" in text_of(folder / "工信局-自评报告.docx")
