"""``xlsuite validate``: findings by workbook, exit codes, folders, bad files, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from engine_fixtures import D, seed_book

from xlsuite.core.model import Amounts, Project
from xlsuite.template.build import build_workbook


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xlsuite", "validate", *args],
                          capture_output=True, text=True)


def _balanced_book(path):
    """The seed with its missing 28 万元 (the 煤炭配送 奖补资金 the report mentions) listed as an
    eighth project, so Σ projects = 253 + 28 = 281 = 项目支出: no 错误 remains."""
    book = seed_book()
    book.projects.append(Project("307001-2021-08", "煤炭配送体系建设奖补资金",
                                 total=Amounts(None, D(28), D(28)), fiscal=Amounts(None, D(28), D(28))))
    return build_workbook(path, book)


def test_seed_reports_projects_253_against_281_and_exits_1(sample_path):
    result = _run(str(sample_path))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    # E43: 全年预算数 of the 项目支出 row of 收支情况 (row 43 in the template); the one gap
    # shows in 全年执行数 too, and is one line naming both
    (line,) = [line for line in lines if "cross.projects_total" in line]
    assert "错误" in line and "收支情况!E43" in line
    assert "表间核对·项目合计" in line  # the rule in Chinese, before its id
    assert "7 个项目" in line and "全年预算数、全年执行数均为项目合计 253.00 万元、收支情况表 281.00 万元" in line
    assert "相差 28.00" in line
    assert "永昌县工业和信息化局" in result.stdout
    assert "错误 1 项" in result.stdout


def test_book_without_errors_exits_0(tmp_path):
    book = _balanced_book(tmp_path / "平衡.xlsx")
    result = _run(str(book))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "错误 0 项" in result.stdout and "cross.projects_total" not in result.stdout


def test_json_carries_rule_cell_severity_message(sample_path):
    result = _run(str(sample_path), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    (book,) = data["books"]
    assert book["readable"] and book["error"] is None
    first = book["findings"][0]
    assert first["rule_id"] == "cross.projects_total" and first["rule_name"] == "表间核对·项目合计"
    assert first["severity"] == "错误"
    assert first["cell"] == "收支情况!E43"
    assert "相差 28.00" in first["message"]
    assert book["counts"]["错误"] == 1
    assert data["exit_code"] == 1


def test_folder_with_a_corrupt_file_reports_the_others_names_it_and_exits_2(tmp_path, sample_path):
    folder = tmp_path / "报送"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(sample_path, folder / "工信局.xlsx")
    _balanced_book(folder / "乡镇" / "平衡局.xlsx")            # found by the recursive search
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04cut short")
    shutil.copy(sample_path, folder / "~$工信局.xlsx")          # Excel's lock file: skipped
    (folder / "说明.docx").write_bytes(b"not a workbook")       # not a spreadsheet: ignored

    result = _run(str(folder), "--format", "json")
    assert result.returncode == 2
    books = {b["path"].split("/")[-1]: b for b in json.loads(result.stdout)["books"]}
    assert set(books) == {"工信局.xlsx", "平衡局.xlsx", "坏文件.xlsx"}
    assert books["工信局.xlsx"]["counts"]["错误"] == 1
    assert books["平衡局.xlsx"]["readable"] and books["平衡局.xlsx"]["counts"]["错误"] == 0
    assert not books["坏文件.xlsx"]["readable"]
    assert "损坏或不完整" in books["坏文件.xlsx"]["error"]

    text = _run(str(folder))
    assert text.returncode == 2
    assert "坏文件.xlsx：无法读取——文件已损坏或不完整" in text.stdout
    assert "cross.projects_total" in text.stdout            # the others are still reported
    assert "已跳过" in text.stdout and "~$工信局.xlsx" in text.stdout
    assert "Traceback" not in text.stderr


def test_missing_path_is_named_and_exits_2(tmp_path, sample_path):
    result = _run(str(sample_path), str(tmp_path / "没有这个.xlsx"))
    assert result.returncode == 2
    assert "没有这个.xlsx：无法读取——文件不存在" in result.stdout
    assert "相差 28.00" in result.stdout
