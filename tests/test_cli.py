"""The command line as a user meets it: help everywhere, clean errors, the right exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xlsuite.cli import COMMANDS, build_parser, main


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "xlsuite", *args], capture_output=True,
                          text=True, cwd=cwd)


def _command_names() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return list(sub.choices)


def test_every_command_has_help_ending_with_an_example():
    assert len(_command_names()) == len(COMMANDS)
    for name in _command_names():
        result = _run(name, "--help")
        assert result.returncode == 0, name
        assert "示例：" in result.stdout and f"xlsuite {name}" in result.stdout, name


def test_template_command_builds_template_and_sample(tmp_path, capsys):
    assert main(["template", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "预算绩效自评模板.xlsx").exists()
    assert (tmp_path / "samples" / "永昌县工信局-2021.xlsx").exists()
    assert "模板已生成" in capsys.readouterr().out


def test_read_summarises_the_sample(sample_path, capsys):
    assert main(["read", str(sample_path)]) == 0
    out = capsys.readouterr().out
    assert "永昌县工业和信息化局" in out
    assert "581.67" in out and "300.67" in out and "281.00" in out
    assert "项目 7 个（执行数合计 253.00 万元）" in out


def test_read_json_keeps_amounts_exact(sample_path, capsys):
    assert main(["read", str(sample_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["budget"]["structure.人员经费"]["amounts"]["executed"] == "275.57"
    assert data["projects"][3]["total"]["executed"] == "100"


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken"])
def test_bad_file_gives_one_chinese_line_and_exit_2(tmp_path, content):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(content)
    result = _run("read", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "坏文件.xlsx" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_reference_is_generated_from_the_parsers():
    from conftest import REPO

    from xlsuite.cli.reference import render_cli_markdown

    committed = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert committed == render_cli_markdown(), "run: python -m xlsuite.cli.reference > docs/cli.md"
    for name in _command_names():
        assert f"## xlsuite {name}" in committed


def test_output_cut_short_by_a_pipe_ends_quietly(sample_path, tmp_path):
    # `xlsuite score BOOK | head -1`: the reader of the output goes away after the first line.
    cmd = (f'"{sys.executable}" -m xlsuite score "{sample_path}" -o "{tmp_path / "out.xlsx"}" | head -1')
    result = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    assert result.stdout.startswith("已生成评分工作簿")
    assert "程序异常" not in result.stderr and "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
