"""Inputs that once ended in the catch-all 程序异常 line: each now gives a result or one clean
reason. A file name that is not UTF-8, a name too long for the default output, text holding a
raw control character (which calamine reads, and Word cannot hold)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import docx
import pytest
import structured_mutations as sm
from python_calamine import CalamineWorkbook

from xlsuite import cli
from xlsuite.county import summary as s

pytestmark = pytest.mark.slow  # every command on each odd input

NOT_UTF8 = b"\xb9\xa4\xd0\xc5\xbe\xd6-\xff.xlsx"
"""工信局 in GBK, and a byte no encoding maps: a name from an old Windows archive."""


def _cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_name_that_is_not_utf8_is_summarised_with_its_bytes_shown(tmp_path, sample_path, workers):
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(sample_path, os.path.join(os.fsencode(folder), NOT_UTF8))
    (folder / "空.xlsx").write_bytes(b"")
    os.close(os.open(os.path.join(os.fsencode(folder), b"\xff-\xfe.xlsx"), os.O_CREAT | os.O_WRONLY))
    out = tmp_path / "汇总.xlsx"
    run = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(folder), "-o", str(out),
                          "--workers", str(workers), "--feedback", str(tmp_path / "意见")],
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    wb = CalamineWorkbook.from_path(str(out))
    sources = [row[-1] for row in wb.get_sheet_by_name(s.DEPARTMENTS).to_python() if row[0] == "307001"]
    shown = re.sub("[\ud800-\udfff]", "\ufffd", os.fsdecode(NOT_UTF8))  # each undecodable byte a U+FFFD
    assert len(sources) == 1 and sources[0].endswith(shown)
    rejected = [row[1] for row in wb.get_sheet_by_name(s.REJECTED).to_python()[2:] if row[0]]
    assert sorted(os.path.basename(r) for r in rejected) == sorted(["\ufffd-\ufffd.xlsx", "空.xlsx"])


def test_report_refuses_a_default_name_too_long_in_one_line(tmp_path, sample_path):
    book = tmp_path / ("长" * 80 + ".xlsx")  # 244 bytes; 「-自评报告.docx」 makes it 260, over 255
    shutil.copy(sample_path, book)
    code, _, err = _cli("report", book)
    assert code == 2
    assert err.strip() == f"错误：{book.with_name(book.stem + '-自评报告.docx')}：无法写入输出文件（文件名过长）"


RAW_CONTROL = {
    "inline text": b'<c r="B7" s="9" t="inlineStr"><is><t>\xe8\xb4\xa2\x01\xe5\x8a\xa1</t></is></c>',
    "cached formula text": b'<c r="B7" s="9" t="str"><f>"x"</f><v>\xe8\xb4\xa2\x01\xe5\x8a\xa1</v></c>',
    "character reference": b'<c r="B7" s="9" t="inlineStr"><is><t>\xe8\xb4\xa2&#1;\xe5\x8a\xa1</t></is></c>',
}
"""部门信息!B7 (单位名称) holding 财, a control character, 务."""


@pytest.mark.parametrize("form", RAW_CONTROL)
def test_report_on_text_holding_a_raw_control_character(tmp_path, sample_path, form):
    parts = sm.parts_of(sample_path)
    info = "xl/worksheets/sheet3.xml"
    parts[info] = re.sub(rb'<c r="B7"[^>]*?(?:/>|>.*?</c>)', RAW_CONTROL[form], parts[info], count=1)
    book = tmp_path / "控制字符.xlsx"
    book.write_bytes(sm.package(parts))
    code, _, err = _cli("report", book, "-o", tmp_path / "报告.docx")
    assert code == 0 and "程序异常" not in err, err
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "报告.docx")).paragraphs)
    assert "财_x0001_务" in text


@pytest.mark.parametrize(("command", "suffix"), [("score", "-评分.xlsx"), ("report", "-自评报告.docx")])
def test_an_output_name_that_fits_is_written_though_its_temporary_would_not(tmp_path, sample_path, command,
                                                                            suffix):
    book = tmp_path / ("长" * 76 + ".xlsx")  # 228 bytes of stem: the output's name fits in 255, the
    shutil.copy(sample_path, book)            # temporary's (.<name>-<pid>-xxxxxxxx….tmp) did not
    code, _, err = _cli(command, book)
    assert code in (0, 1) and "文件名过长" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([book.name, book.stem + suffix])
