"""What the commands say and write, as the person running them meets it: an output never replaces
a file xlsuite did not write (unless --force), messages are addressed to whoever runs the command,
exit codes agree, and argparse's own words are Chinese."""

from __future__ import annotations

import hashlib
import shutil

import docx
import openpyxl
import pytest

from xlsuite.cli import main

OLD_XLS = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)
"""The signature of an Excel 97-2003 (.xls) file: what the reader calls an old .xls."""


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(err: str) -> None:
    assert err.startswith("错误：") and err.count("\n") == 1, err


def _saved_by_another_program(sample_path, path):
    """A department's filled workbook as Excel (here openpyxl) last saved it."""
    wb = openpyxl.load_workbook(sample_path)
    wb.save(path)
    return path


# --- -o never replaces someone else's file --------------------------------------------------------

def test_score_does_not_replace_another_units_workbook_without_force(tmp_path, sample_path, capsys):
    other = _saved_by_another_program(sample_path, tmp_path / "other-unit.xlsx")
    before = _digest(other)
    assert main(["score", str(sample_path), "-o", str(other)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "other-unit.xlsx" in err and "不是 xlsuite 生成的文件" in err and "--force" in err
    assert _digest(other) == before
    assert main(["score", str(sample_path), "-o", str(other), "--force"]) == 0
    assert _digest(other) != before
    # now it is xlsuite's scored copy: scoring into it again needs no --force
    assert main(["score", str(sample_path), "-o", str(other)]) == 0


def test_report_does_not_replace_a_document_xlsuite_did_not_write(tmp_path, sample_path, capsys):
    old = tmp_path / "old.docx"
    document = docx.Document()
    document.add_paragraph("去年手写的报告")
    document.save(str(old))
    before = _digest(old)
    assert main(["report", str(sample_path), "-o", str(old)]) == 2
    _one_line_error(capsys.readouterr().err)
    assert _digest(old) == before
    draft = tmp_path / "draft.docx"
    assert main(["report", str(sample_path), "-o", str(draft)]) == 0
    assert main(["report", str(sample_path), "-o", str(draft)]) == 0  # its own draft: written again


def test_report_does_not_replace_its_draft_once_edited_in_word(tmp_path, sample_path, capsys):
    import datetime as dt

    draft = tmp_path / "自评报告.docx"
    assert main(["report", str(sample_path), "-o", str(draft)]) == 0
    document = docx.Document(str(draft))
    document.add_paragraph("单位补充的内容")
    # Word sets the modified time when it saves (python-docx leaves it to the caller)
    document.core_properties.modified = document.core_properties.created + dt.timedelta(hours=1)
    document.save(str(draft))
    before = _digest(draft)
    assert main(["report", str(sample_path), "-o", str(draft)]) == 2
    assert "--force" in capsys.readouterr().err and _digest(draft) == before


def test_consolidate_does_not_replace_a_workbook_outside_the_inputs(tmp_path, sample_path, capsys):
    inputs = tmp_path / "报送"
    inputs.mkdir()
    shutil.copy(sample_path, inputs / "工信局.xlsx")
    other = _saved_by_another_program(sample_path, tmp_path / "汇总.xlsx")
    before = _digest(other)
    assert main(["consolidate", str(inputs), "-o", str(other)]) == 2
    _one_line_error(capsys.readouterr().err)
    assert _digest(other) == before
    assert main(["consolidate", str(inputs), "-o", str(other), "--force"]) == 0
    assert main(["consolidate", str(inputs), "-o", str(other)]) == 0  # an earlier summary


@pytest.mark.slow  # builds every template twice
def test_template_does_not_replace_a_filled_book_of_the_templates_name(tmp_path, sample_path, capsys):
    filled = _saved_by_another_program(sample_path, tmp_path / "预算绩效自评模板.xlsx")
    before = _digest(filled)
    assert main(["template", "-o", str(tmp_path)]) == 2
    _one_line_error(capsys.readouterr().err)
    assert _digest(filled) == before and sorted(p.name for p in tmp_path.iterdir()) == ["预算绩效自评模板.xlsx"]
    assert main(["template", "-o", str(tmp_path), "--force", "--no-samples"]) == 0
    assert main(["template", "-o", str(tmp_path), "--no-samples"]) == 0  # its own template now


# --- messages to the person running the command ---------------------------------------------------

@pytest.mark.parametrize("command", ["score", "report", "read"])
def test_an_old_xls_is_explained_to_whoever_runs_the_command(tmp_path, capsys, command):
    book = tmp_path / "工信局.xls"
    book.write_bytes(OLD_XLS)
    assert main([command, str(book)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "工信局.xls：" in err and "旧版" in err and "另存为 .xlsx" in err
    assert "请单位" not in err and "报送" not in err      # the bureau's words to a unit
    assert "-评分" not in err                             # not the output name score made up
    assert [p.name for p in tmp_path.iterdir()] == ["工信局.xls"]


def test_a_workbook_named_xls_is_scored_into_an_xlsx(tmp_path, sample_path, capsys):
    """An .xlsx saved under an .xls name reads by its bytes; its scored copy gets a name a
    workbook of its kind can have, not one the command then refuses."""
    book = tmp_path / "工信局.xls"
    shutil.copy(sample_path, book)
    assert main(["score", str(book)]) == 0
    assert (tmp_path / "工信局-评分.xlsx").is_file()
    assert "工信局-评分.xlsx" in capsys.readouterr().out


def test_validate_on_a_folder_without_a_workbook_exits_2_with_one_line(tmp_path, capsys):
    (tmp_path / "说明.txt").write_text("不是工作簿", "utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    _one_line_error(err)
    assert "没有找到工作簿" in err and out == ""


# --- argparse in Chinese ----------------------------------------------------------------------------

ENGLISH = ("usage:", "positional arguments", "options:", "show this help message and exit",
           "the following arguments are required", "error:", "unrecognized arguments", "invalid choice")


@pytest.mark.parametrize("args", [["--help"], ["score", "--help"], ["consolidate", "--help"]])
def test_help_is_chinese(capsys, args):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "\n选项：\n" in out and "显示本帮助并退出" in out
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize(("args", "words"), [
    (["score"], "缺少必需的参数：BOOK"),
    (["validate", "x.xlsx", "--format", "xml"], "无效的选择"),
    (["score", "a.xlsx", "b.xlsx"], "无法识别的参数：b.xlsx"),
])
def test_argument_errors_are_chinese_and_exit_2(capsys, args, words):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：") and "错误：" in err and words in err
    assert not [word for word in ENGLISH if word in err]
