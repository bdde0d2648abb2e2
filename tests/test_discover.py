"""File discovery shared by ``xlsuite validate`` and ``xlsuite consolidate``: nothing dropped silently."""

from __future__ import annotations

import os

import pytest

from xlsuite.core.errors import InputError
from xlsuite.county import consolidate
from xlsuite.files.discover import find_workbooks


def _touch(root, *names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")


def _rel(root, paths):
    return [p.relative_to(root).as_posix() for p in paths]


def test_folders_are_searched_and_every_other_file_is_listed_with_its_reason(tmp_path):
    _touch(tmp_path, "a/x.xlsx", "a/b/y.XLSM", "a/b/old.xls", "a/~$x.xlsx", "a/报告.pdf", "a/.DS_Store",
           "a/.git/config.xlsx", "z.xlsx")
    files, skipped = find_workbooks([tmp_path / "a", tmp_path / "z.xlsx", tmp_path / "a" / "x.xlsx"])
    # the folder's files sorted by path, then the file named after it; x.xlsx only once
    assert _rel(tmp_path, files) == ["a/b/old.xls", "a/b/y.XLSM", "a/x.xlsx", "z.xlsx"]
    reasons = {p.relative_to(tmp_path).as_posix(): r for p, r in skipped}
    assert set(reasons) == {"a/~$x.xlsx", "a/报告.pdf", "a/.DS_Store", "a/.git"}  # not what is inside .git
    assert "锁定文件" in reasons["a/~$x.xlsx"]
    assert ".pdf" in reasons["a/报告.pdf"]
    assert "隐藏文件" in reasons["a/.DS_Store"] and "隐藏文件夹" in reasons["a/.git"]


def test_given_order_is_kept_and_each_file_appears_once(tmp_path):
    _touch(tmp_path, "b.xlsx", "sub/a.xlsx")
    b = tmp_path / "b.xlsx"
    relative = os.path.relpath(b)  # the same file named another way
    files, skipped = find_workbooks([b, tmp_path, relative, b])
    assert _rel(tmp_path, files) == ["b.xlsx", "sub/a.xlsx"] and skipped == []


def test_a_file_reached_through_a_link_is_read_once(tmp_path):
    _touch(tmp_path, "real/a.xlsx", "real/b.xlsx")
    (tmp_path / "real" / "a-link.xlsx").symlink_to(tmp_path / "real" / "a.xlsx")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    files, skipped = find_workbooks([tmp_path / "real", tmp_path / "alias" / "b.xlsx", tmp_path / "alias"])
    # the link to a.xlsx sorts first and stands for it; b.xlsx through the linked folder is b.xlsx
    assert _rel(tmp_path, files) == ["real/a-link.xlsx", "real/b.xlsx"] and skipped == []


def test_named_files_are_read_as_given_except_lock_files(tmp_path):
    _touch(tmp_path, "数据.csv", "~$a.xlsx")
    missing = tmp_path / "没有这个.xlsx"
    files, skipped = find_workbooks([tmp_path / "数据.csv", missing, tmp_path / "~$a.xlsx"])
    # reading says why a .csv or a missing file is no workbook; a lock file is never worth reading
    assert files == [tmp_path / "数据.csv", missing]
    assert [p.name for p, _ in skipped] == ["~$a.xlsx"]


def test_excluded_files_are_neither_read_nor_listed(tmp_path):
    _touch(tmp_path, "a.xlsx", "汇总.xlsx")
    files, skipped = find_workbooks([tmp_path], exclude=[tmp_path / "汇总.xlsx"])
    assert _rel(tmp_path, files) == ["a.xlsx"] and skipped == []


def test_consolidate_stops_on_a_mistyped_path(tmp_path):
    _touch(tmp_path, "a.xlsx")
    with pytest.raises(InputError, match="不存在") as caught:
        consolidate([tmp_path, tmp_path / "报送材料（错字）"], tmp_path / "汇总.xlsx")
    assert "报送材料（错字）" in str(caught.value)
    assert not (tmp_path / "汇总.xlsx").exists()
