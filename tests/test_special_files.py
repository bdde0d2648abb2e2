"""What is not a regular file among the inputs (a named pipe called f.xlsx, a link to a device)
is refused by name with its reason, at once: never opened so that reading waits forever."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from python_calamine import CalamineWorkbook

from xlsuite.county.headers import DEPARTMENTS, REJECTED
from xlsuite.county.results import UNREADABLE

TIMEOUT = 60
"""Far more than the commands take on three files; a blocked open would take forever."""


@pytest.fixture
def folder(tmp_path, sample_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(sample_path, folder / "工信局.xlsx")
    os.mkfifo(folder / "f.xlsx")
    (folder / "零.xlsx").symlink_to("/dev/zero")
    return folder


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xlsuite", *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT)


def test_validate_names_the_pipe_and_the_device(folder):
    run = _run("validate", folder)
    assert run.returncode == 2
    assert f"{folder / 'f.xlsx'}：无法读取——不是普通文件（这是命名管道），无法作为工作簿读取" in run.stdout
    assert f"{folder / '零.xlsx'}：无法读取——不是普通文件（这是设备文件），无法作为工作簿读取" in run.stdout
    assert "文件是空的" not in run.stdout


@pytest.mark.parametrize("command", ["score", "report"])
def test_one_book_commands_refuse_a_pipe(folder, command):
    run = _run(command, folder / "f.xlsx", "-o", folder.parent / f"out.{'docx' if command == 'report' else 'xlsx'}")
    assert run.returncode == 2
    assert run.stderr.strip() == f"错误：{folder / 'f.xlsx'}：不是普通文件（这是命名管道），无法作为工作簿读取"


@pytest.mark.parametrize("workers", [1, 2])
def test_consolidate_lists_them_and_includes_the_book(folder, tmp_path, workers):
    out = tmp_path / "汇总.xlsx"
    run = _run("consolidate", folder, "-o", out, "--workers", workers)
    assert run.returncode == 0, run.stderr
    wb = CalamineWorkbook.from_path(str(out))
    assert [row[0] for row in wb.get_sheet_by_name(DEPARTMENTS).to_python()[2:] if row[0].isdigit()] == ["307001"]
    rejected = {row[1]: (row[2], row[3]) for row in wb.get_sheet_by_name(REJECTED).to_python()[2:] if row[1]}
    assert rejected == {"f.xlsx": (UNREADABLE, "不是普通文件（这是命名管道），无法作为工作簿读取。"),
                        "零.xlsx": (UNREADABLE, "不是普通文件（这是设备文件），无法作为工作簿读取。")}
