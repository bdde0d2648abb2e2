"""No traceback in score and report on books validate accepts, and none anywhere else: every
failure caused by the file is one Chinese line and exit code 2; an unexpected one is 程序异常
with the path of a log holding the traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from book_parts import open_book
from test_bad_input import _repacked

from xlsuite import cli
from xlsuite.core import contract as c
from xlsuite.reader.parse import normalize_label

pytestmark = pytest.mark.slow  # every command on each odd or damaged book


def run(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlsuite", *map(str, args)], capture_output=True, text=True,
                          timeout=180, env=env)


def assert_clean(result: subprocess.CompletedProcess, codes=(0, 1)) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in codes, (result.returncode, result.stderr[-3000:])


def repacked(sample: Path, out: Path, part: str, edit) -> Path:
    _repacked(sample, out, part, edit)
    return out


def edited(sample: Path, out: Path, edit) -> Path:
    wb = open_book(sample)
    edit(wb)
    wb.save(out)
    return out


def info_value(label: str, value):
    def edit(wb):
        for row in wb[c.INFO_SHEET].iter_rows():
            if row[0].value and normalize_label(row[0].value) == normalize_label(label):
                row[1].value = value
                return
        raise AssertionError(label)
    return edit


def meta_version(value: str):
    def edit(wb):
        for row in wb[c.META_SHEET].iter_rows():
            if row[0].value == c.META_VERSION_KEY:
                row[1].value = value
    return edit


def tiny_budgets(wb):
    for sheet, cols in ((c.BUDGET_SHEET, "E"), (c.PROJECT_SHEET, "FIL")):
        ws = wb[sheet]
        for r in range(3, ws.max_row + 1):
            for col in cols:
                if isinstance(ws[f"{col}{r}"].value, int | float):
                    ws[f"{col}{r}"] = 1e-30


def chartsheet(wb):
    from openpyxl.chart import BarChart, Reference

    cs = wb.create_chartsheet("图表", 2)
    chart = BarChart()
    chart.add_data(Reference(wb[c.BUDGET_SHEET], min_col=5, min_row=3, max_row=8))
    cs.add_chart(chart)


# Books validate accepts (it may find problems in them): score and report must not raise.
ACCEPTED = {
    "control_character": lambda s, o: edited(s, o, info_value("单位名称", "永昌县_x0001_工信局")),
    "long_unit_name": lambda s, o: edited(s, o, info_value("单位名称", "长" * 300)),
    "tiny_budget": lambda s, o: edited(s, o, tiny_budgets),
    "merged_score_cells": lambda s, o: edited(s, o, lambda wb: wb[c.INDICATOR_SHEET].merge_cells("K3:K5")),
    "chartsheet": lambda s, o: edited(s, o, chartsheet),
    "damaged_theme": lambda s, o: repacked(s, o, "xl/theme/theme1.xml", lambda d: d[: len(d) // 2]),
}

# Books the reader takes but that score cannot copy: one clean line, exit 2.
REFUSED_BY_SCORE = {
    # styles openpyxl's full load cannot take (IndexError), which the reader does not need
    "empty_styles": lambda s, o: repacked(s, o, "xl/styles.xml", lambda d: (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')),
    "styles_without_fonts": lambda s, o: repacked(s, o, "xl/styles.xml", lambda d: re.sub(
        rb"<fonts.*?</fonts>", b"", d, flags=re.S)),
}

# Books every command refuses with one clean line naming the cell.
BAD_CELLS = {
    "year_of_5000_digits": (lambda s, o: edited(s, o, info_value("年度", "1" * 5000)), "部门信息!B3"),
    "staff_of_5000_digits": (lambda s, o: edited(s, o, info_value("编制人数", "1" * 5000)), "部门信息!B8"),
    "version_of_5000_digits": (lambda s, o: edited(s, o, meta_version("1." + "0" * 5000)), "模板版本"),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_score_and_report_take_every_book_validate_accepts(tmp_path, sample_path, case):
    book = ACCEPTED[case](sample_path, tmp_path / f"{case}.xlsx")
    assert_clean(run("validate", book))
    assert_clean(run("score", book, "-o", tmp_path / "out.xlsx"))
    assert_clean(run("report", book, "-o", tmp_path / "out.docx"))
    assert_clean(run("validate", "--format", "json", book))


def test_a_control_character_is_kept_visibly_in_every_output(tmp_path, sample_path):
    book = ACCEPTED["control_character"](sample_path, tmp_path / "ctrl.xlsx")
    assert_clean(run("score", book, "-o", tmp_path / "out.xlsx"))
    assert_clean(run("report", book, "-o", tmp_path / "out.docx"))
    forms = open_book(tmp_path / "out.xlsx")[c.DEPARTMENT_FORM_SHEET]
    assert any("永昌县_x0001_工信局" in str(cell.value) for row in forms.iter_rows() for cell in row)
    assert "永昌县_x0001_工信局" in "\n".join(p.text for p in docx.Document(tmp_path / "out.docx").paragraphs)
    result = run("read", "--format", "json", book)
    assert_clean(result)
    assert "永昌县_x0001_工信局" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_a_long_unit_name_is_cut_only_in_the_core_properties(tmp_path, sample_path):
    book = ACCEPTED["long_unit_name"](sample_path, tmp_path / "long.xlsx")
    assert_clean(run("report", book, "-o", tmp_path / "out.docx"))
    document = docx.Document(tmp_path / "out.docx")
    assert len(document.core_properties.title) <= 255
    assert "长" * 300 in "\n".join(p.text for p in document.paragraphs)


def test_merged_score_cells_get_every_score(tmp_path, sample_path):
    book = ACCEPTED["merged_score_cells"](sample_path, tmp_path / "merged.xlsx")
    assert_clean(run("score", book, "-o", tmp_path / "out.xlsx"))
    ws = open_book(tmp_path / "out.xlsx")[c.INDICATOR_SHEET]
    assert all(isinstance(ws[f"K{r}"].value, int | float) for r in (3, 4, 5))


@pytest.mark.parametrize("case", sorted(REFUSED_BY_SCORE))
def test_score_refuses_a_package_openpyxl_cannot_copy_in_one_line(tmp_path, sample_path, case):
    book = REFUSED_BY_SCORE[case](sample_path, tmp_path / f"{case}.xlsx")
    result = run("score", book, "-o", tmp_path / "out.xlsx")
    assert_clean(result, codes=(2,))
    assert result.stderr.startswith(f"错误：{book}：工作簿内部结构不完整或已损坏")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["validate", "score", "report"])
@pytest.mark.parametrize("case", sorted(BAD_CELLS))
def test_integers_past_pythons_digit_limit_are_bad_cells(tmp_path, sample_path, case, command):
    make, words = BAD_CELLS[case]
    book = make(sample_path, tmp_path / f"{case}.xlsx")
    out = ["-o", tmp_path / ("out.docx" if command == "report" else "out.xlsx")] if command != "validate" else []
    result = run(command, book, *out)
    assert_clean(result, codes=(2,))
    assert words in result.stdout + result.stderr


def test_an_unexpected_error_is_programme_error_with_a_log(tmp_path, monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setenv(cli.CRASH_LOG_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(cli.read, "run", broken, raising=False)
    parser = cli.build_parser()
    args = parser.parse_args(["read", "x.xlsx"])
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(parser, args, broken))
    assert cli.main(["read", "x.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：程序异常，详细信息已记录到 ") and len(err.splitlines()) == 1
    log = Path(err.split("已记录到 ")[1].split("，")[0])
    assert log.parent == tmp_path and "RuntimeError: a bug" in log.read_text("utf-8")


class _Fixed:
    """A parser whose arguments call ``func``."""

    def __init__(self, parser, args, func):
        self.parser, self.args = parser, args
        self.args.func = func

    def parse_args(self, argv):
        return self.args

    def print_help(self):
        self.parser.print_help()


_ALLOWED = re.compile(r"[\w./\[\]-]+\.(?:xml|rels|xlsx|xlsm|xls|csv|toml)\b|\.?xlsx|\.?xlsm|xlsuite|Excel|Word|WPS|TOML|XML|NaN|UTF")


def english_words(message: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", _ALLOWED.sub("", message))


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_clean_errors_carry_no_english_library_text(tmp_path, sample_path, engine):
    from test_bad_input import CASES

    from xlsuite.core.errors import XlsuiteError
    from xlsuite.reader import read_book

    for case, (make, _, _) in CASES.items():
        path = tmp_path / f"{case}.xlsx"
        make(sample_path, path)
        with pytest.raises(XlsuiteError) as info:
            read_book(path, engine=engine)
        assert english_words(info.value.reason) == [], (case, info.value.reason)


def test_profile_and_os_errors_are_in_chinese(tmp_path, sample_path):
    bad = tmp_path / "方案.toml"
    bad.write_text("[profile\nname = 1\n", "utf-8")
    for profile in (bad, tmp_path / "没有.toml"):
        result = run("score", sample_path, "-o", tmp_path / "o.xlsx", "--profile", profile)
        assert_clean(result, codes=(2,))
        assert english_words(result.stderr.split("：", 1)[1]) == [], result.stderr
    result = run("read", tmp_path / "没有.xlsx")
    assert english_words(result.stderr.split("：", 2)[2]) == [], result.stderr


def test_a_control_character_is_a_finding_naming_its_cell(tmp_path, sample_path):
    """Kept visibly is not enough: the accountant is told which cell holds it, on both engines."""
    from xlsuite.core.evaluation import evaluate
    from xlsuite.reader import read_book

    book = ACCEPTED["control_character"](sample_path, tmp_path / "ctrl.xlsx")
    for engine in ("calamine", "openpyxl"):
        found = [f for f in evaluate(read_book(book, engine=engine)).findings
                 if f.rule_id == "plausibility.hidden_characters"]
        assert [(f.cell.sheet, f.cell.col) for f in found] == [(c.INFO_SHEET, 1)], engine
        assert "_x0001_" in found[0].message
    clean = evaluate(read_book(sample_path)).findings
    assert not [f for f in clean if f.rule_id == "plausibility.hidden_characters"]
