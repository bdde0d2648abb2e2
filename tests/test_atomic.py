"""Output files appear whole or not at all."""

from __future__ import annotations

import pytest

from xlsuite.core.errors import InputError
from xlsuite.files.atomic import write_bytes, write_via_temp


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old")

    def half_then_fail(tmp):
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt  # the user pressed Ctrl-C mid-write

    with pytest.raises(KeyboardInterrupt):
        write_via_temp(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "报告.docx"
    assert write_bytes(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["报告.docx"]


def test_unwritable_target_is_one_chinese_error(tmp_path):
    target = tmp_path / "是文件夹.xlsx"
    target.mkdir()  # os.replace cannot put a file over a folder, as over a locked file on Windows
    with pytest.raises(InputError, match="无法写入输出文件"):
        write_bytes(target, b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["是文件夹.xlsx"]
