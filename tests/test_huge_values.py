"""An absurd number in a cell (1E+26 万元, ∞, NaN) is a bad cell the user is told about by name,
never a crash of validation, scoring or a county's consolidation."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from book_parts import open_book, sheet_part

from xlsuite.core import contract as c
from xlsuite.core.errors import CellValueError, InputError
from xlsuite.core.scoring.engine import score_book
from xlsuite.core.validation import validate_book
from xlsuite.county import consolidate
from xlsuite.county.results import BAD_CELLS
from xlsuite.reader import ENGINES, read_book
from xlsuite.reader.parse import MAX_AMOUNT

ENGINE_NAMES = sorted(ENGINES)
BEYOND = "超出合理范围（金额以万元为单位，绝对值应小于 1E+12）"


def _with_cell(sample: Path, out: Path, sheet: str, ref: str, value) -> Path:
    wb = open_book(sample)
    wb[sheet][ref] = value
    wb.save(out)
    return out


def _with_raw_value(sample: Path, out: Path, part: str, cell: bytes, raw: bytes) -> Path:
    """The sample with one cell's stored number replaced by ``raw`` in the sheet's XML, as a
    program other than a spreadsheet could write it (Excel and openpyxl never write ∞ or NaN)."""
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                start = data.index(b'<c r="' + cell + b'"')
                value = data.index(b"<v>", start) + 3
                data = data[:value] + raw + data[data.index(b"</v>", value):]
            dst.writestr(info.filename, data)
    return out


# The sample's 收支情况 (E4 holds 553.67, the 全年预算数 of the first income row) and 绩效指标
# (row 3 is its first indicator; F3 年度指标值, H3 实际完成值, J3 分值 hold numbers).
BUDGET_PART, INDICATOR_PART = sheet_part(c.BUDGET_SHEET), sheet_part(c.INDICATOR_SHEET)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize(("value", "shown"), [
    (1e26, "1E+26"),                 # the magnitude that overflowed Decimal's 28 digits
    (1e300, "1E+300"),
    (-1.5e13, "-1.5E+13"),
    (MAX_AMOUNT, "1E+12"),           # the bound itself is out
    ("1" + "0" * 30, "1E+30"),       # typed as text: parsed, then bounded the same way
])
def test_absurd_amount_is_a_bad_cell_named_with_its_value(tmp_path, sample_path, engine, value, shown):
    # E12 of 收支情况 is the 全年预算数 of row 12, as in test_bad_input's text-amount case.
    path = _with_cell(sample_path, tmp_path / "huge.xlsx", c.BUDGET_SHEET, "E12", value)
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert info.value.cells == [("收支情况!E12", f"应填金额（全年预算数），实为 {shown}，{BEYOND}")]
    assert str(info.value).startswith(f"{path}：单元格内容有误：收支情况!E12 ")


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_absurd_project_amount_is_a_bad_cell(tmp_path, sample_path, engine):
    # Row 4 of 项目支出 is the first project under the 合计 row; column F its 全年预算数（合计）.
    path = _with_cell(sample_path, tmp_path / "huge.xlsx", c.PROJECT_SHEET, "F4", 1e26)
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert info.value.cells == [("项目支出!F4", f"应填金额（全年预算数（合计）），实为 1E+26，{BEYOND}")]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_largest_allowed_amount_is_read_validated_and_scored(tmp_path, sample_path, engine):
    """Just below the bound an amount keeps its cents (15 significant digits, as Excel stores
    them), and validation prints it in full."""
    path = _with_cell(sample_path, tmp_path / "big.xlsx", c.BUDGET_SHEET, "E12", 999999999999.99)
    book = read_book(path, engine=engine)
    assert book.budget["function.204"].amounts.adjusted == Decimal("999999999999.99")
    # Row 12 (204 公共安全支出) was empty; the other function rows add up to 581.67, as do the
    # economic and structure views (the totals' formulas are not calculated in a file saved by
    # openpyxl, so each total is the sum of its parts). So the function view now comes to
    # 581.67 + 999999999999.99 = 1000000000581.66, and differs from the other two by the amount.
    views = [(f.location, f.message) for f in validate_book(book) if f.rule_id == "balance.views"]
    assert views == [
        (f"收支情况!{cell}", f"“{row}”与“支出合计（按功能分类）”不一致：全年预算数为 581.67 万元与 "
                          "1000000000581.66 万元，相差 999999999999.99 万元")
        for cell, row in (("E29", "支出合计（按经济分类）"), ("E39", "支出合计（按支出性质）"))]
    # 部门整体 is scored on the 按支出性质 total, which the slip does not touch: full 10 points.
    assert score_book(book).department.execution.score == Decimal("10.00")


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize(("part", "cell", "ref", "what"), [
    (BUDGET_PART, b"E4", "收支情况!E4", "金额（全年预算数）"),
    (INDICATOR_PART, b"F3", "绩效指标!F3", "数值或文字（年度指标值）"),
    (INDICATOR_PART, b"J3", "绩效指标!J3", "数值（分值）"),
])
@pytest.mark.parametrize(("raw", "word"), [(b"1e999", "无穷大"), (b"-1e999", "负无穷大")])
def test_infinity_in_a_numeric_cell_is_a_bad_cell(tmp_path, sample_path, engine, part, cell, ref, what,
                                                  raw, word):
    # Both engines read 1e999 as a float infinity.
    path = _with_raw_value(sample_path, tmp_path / "inf.xlsx", part, cell, raw)
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert info.value.cells == [(ref, f"应填{what}，实为{word}")]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_nan_in_a_numeric_cell_is_one_refusal_naming_the_cell(tmp_path, sample_path, engine):
    # calamine reads NaN as a float, openpyxl cannot parse it: the package check refuses it
    # before either, with the same reason on both.
    path = _with_raw_value(sample_path, tmp_path / "nan.xlsx", BUDGET_PART, b"E4", b"NaN")
    with pytest.raises(InputError) as info:
        read_book(path, engine=engine)
    assert info.value.reason == "工作表“收支情况”已损坏（单元格 E4 的数值“NaN”无法识别）"


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xlsuite", *args], capture_output=True, text=True)


@pytest.mark.parametrize("command", ["validate", "score"])
def test_cli_names_the_cell_and_exits_2(tmp_path, sample_path, command):
    path = _with_cell(sample_path, tmp_path / "大数.xlsx", c.BUDGET_SHEET, "E12", 1e26)
    result = _run(command, str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if "收支情况!E12" in line]
    assert len(lines) == 1, output
    assert f"应填金额（全年预算数），实为 1E+26，{BEYOND}" in lines[0]


def test_consolidation_lists_the_file_as_bad_cells(tmp_path, sample_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "好.xlsx").write_bytes(sample_path.read_bytes())
    _with_cell(sample_path, folder / "大数.xlsx", c.BUDGET_SHEET, "E12", 1e26)
    result = consolidate([folder], tmp_path / "out" / "汇总.xlsx", workers=1)
    assert [Path(d.path).name for d in result.departments] == ["好.xlsx"]
    assert [(Path(r.path).name, r.category) for r in result.rejected] == [("大数.xlsx", BAD_CELLS)]
    assert f"收支情况!E12 应填金额（全年预算数），实为 1E+26，{BEYOND}" in result.rejected[0].reason
