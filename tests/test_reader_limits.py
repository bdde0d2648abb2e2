"""Limits before work, and no silent change: a book is checked from its package before any
engine loads it (a far cell would make calamine allocate 512 GiB and abort), every part read
has its CRC checked, and error values are bad cells on both engines alike."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from book_parts import cell_xml, sheet_part

from xlsuite.core import contract as c
from xlsuite.core.errors import CellValueError, InputError
from xlsuite.reader import ENGINES, read_book

ENGINE_NAMES = sorted(ENGINES)


BUDGET_PART, PROJECT_PART, INDICATOR_PART = (sheet_part(s) for s in (c.BUDGET_SHEET, c.PROJECT_SHEET,
                                                                      c.INDICATOR_SHEET))
E4 = cell_xml(c.BUDGET_SHEET, "E4")
ERROR_VALUES = ("#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!")


def repacked(sample: Path, out: Path, edits: dict, stored: tuple[str, ...] = ()) -> Path:
    """The sample with parts edited (``part: bytes → bytes``), ``stored`` parts uncompressed."""
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data)
            dst.writestr(info.filename, data,
                         zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED)
    return out


def far_cell(row_xml: bytes):
    return lambda d: d.replace(b"</sheetData>", row_xml + b"</sheetData>")


def _limit_memory():
    # Should the guard ever fail, calamine's 512 GiB allocation fails here at 3 GB instead of
    # taking the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def run_cli(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlsuite", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limit_memory)


FAR = {
    "far_cell": far_cell(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "far_row": far_cell(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'),
    "far_column": far_cell(b'<row r="300"><c r="XFD300"><v>1</v></c></row>'),
    "cells_without_references": far_cell(b'<row r="30">' + b"<c><v>1</v></c>" * 300 + b"</row>"),
    "reference_in_single_quotes": far_cell(b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
    "reference_not_first": far_cell(b'<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>'),
}


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("case", sorted(FAR))
def test_a_far_cell_is_refused_before_any_engine_loads_the_sheet(tmp_path, sample_path, case, engine):
    path = repacked(sample_path, tmp_path / f"{case}.xlsx", {PROJECT_PART: FAR[case]})
    with pytest.raises(InputError) as info:
        read_book(path, engine=engine)
    assert "工作表“项目支出”的已用区域过大" in str(info.value)
    assert f"上限 {c.MAX_SHEET_ROWS:,} 行 × {c.MAX_SHEET_COLUMNS} 列" in str(info.value)


@pytest.mark.parametrize("command", ["validate", "read", "score"])
def test_validate_a_book_with_a_value_at_xfd1048576_exits_2_with_one_line(tmp_path, sample_path, command):
    path = repacked(sample_path, tmp_path / "远处.xlsx", {PROJECT_PART: FAR["far_cell"]})
    result = run_cli(command, path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    assert "工作表“项目支出”的已用区域过大" in result.stdout + result.stderr


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_lying_dimension_element_does_not_matter(tmp_path, sample_path, engine):
    """``<dimension>`` may say A1:XFD1048576 of a small sheet: the cells decide."""
    path = repacked(sample_path, tmp_path / "dim.xlsx", {PROJECT_PART: lambda d: re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d)})
    assert read_book(path, engine=engine).projects == read_book(sample_path, engine=engine).projects


def test_the_largest_book_the_limits_allow_still_reads(tmp_path, sample_path):
    rows = c.MAX_SHEET_ROWS
    path = repacked(sample_path, tmp_path / "big.xlsx", {PROJECT_PART: far_cell(
        f'<row r="{rows}"><c r="IV{rows}"><v>1</v></c></row>'.encode())})
    assert len(read_book(path).projects) == len(read_book(sample_path).projects)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_huge_shared_string_is_refused(tmp_path, sample_path, engine):
    """A shared string inflating past the part limit (as the 2 GiB one of the fuzzing campaign)."""
    size = c.MAX_PART_BYTES + 2**20
    huge = b"<si><t>" + b"x" * size + b"</t></si>"
    path = repacked(sample_path, tmp_path / "huge.xlsx", {
        "xl/sharedStrings.xml": lambda d: d.replace(b"</sst>", huge + b"</sst>")})
    with pytest.raises(InputError) as info:
        read_book(path, engine=engine)
    assert "xl/sharedStrings.xml解压后达" in str(info.value) and "超过上限" in str(info.value)


def test_a_zip_bomb_ratio_is_refused(tmp_path, sample_path):
    # Four times the size from which the ratio is checked: the sheet's own rows, which compress
    # far less, must not bring the whole part's ratio under the limit.
    filler = b"<row r=\"9000\"></row>" * (4 * c.ZIP_RATIO_FROM_BYTES // 20)
    path = repacked(sample_path, tmp_path / "bomb.xlsx", {
        INDICATOR_PART: lambda d: d.replace(b"</sheetData>", filler + b"</sheetData>")})
    with pytest.raises(InputError, match="工作表“绩效指标”的压缩比异常"):
        read_book(path)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_changed_byte_in_a_stored_member_is_refused_not_read(tmp_path, sample_path, engine):
    """553.67 → 553.66 in an uncompressed member: the CRC no longer matches."""
    path = repacked(sample_path, tmp_path / "crc.xlsx", {}, stored=(BUDGET_PART,))
    data = path.read_bytes()
    assert data.count(E4) == 1
    path.write_bytes(data.replace(E4, E4.replace(b"553.67", b"553.66")))
    with pytest.raises(InputError) as info:
        read_book(path, engine=engine)
    assert "已损坏" in str(info.value) and BUDGET_PART in str(info.value)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_negative_shared_string_index_is_refused_not_read(tmp_path, sample_path, engine):
    """The engines read index -1 as a text from either end of the table (found by the fuzz test)."""
    cell = re.compile(rb'(<c r="D4" [^>]*t="s"[^>]*><v>)\d+(</v>)')
    path = repacked(sample_path, tmp_path / "sst.xlsx", {INDICATOR_PART: lambda d: cell.sub(rb"\g<1>-1\g<2>", d, 1)})
    assert b'<v>-1</v>' in zipfile.ZipFile(path).read(INDICATOR_PART)
    with pytest.raises(InputError, match="引用了不存在的共享字符串"):
        read_book(path, engine=engine)


def test_a_changed_byte_names_the_part_on_the_default_engine(tmp_path, sample_path):
    path = repacked(sample_path, tmp_path / "crc.xlsx", {}, stored=(BUDGET_PART,))
    path.write_bytes(path.read_bytes().replace(E4, E4.replace(b"553.67", b"553.66")))
    with pytest.raises(InputError, match=f"压缩包中的 {BUDGET_PART} 校验不符"):
        read_book(path)


def error_cell(ref: bytes, code: str):
    """A cell's XML replaced by an error value (a formula whose cached result is ``code``)."""
    pattern = re.compile(rb'<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)

    def edit(d: bytes) -> bytes:
        new, n = pattern.subn(b'<c r="' + ref + b'" t="e"><f>1/0</f><v>' + code.encode() + b"</v></c>", d, count=1)
        assert n == 1, ref
        return new
    return edit


ERROR_CELLS = {
    # name: (part, cell, the reference the message names)
    "amount": (BUDGET_PART, b"E4", "收支情况!E4"),
    "weight": (INDICATOR_PART, b"J3", "绩效指标!J3"),
    "target": (INDICATOR_PART, b"F3", "绩效指标!F3"),
    "indicator_text": (INDICATOR_PART, b"D3", "绩效指标!D3"),
    "project_amount": (PROJECT_PART, b"F4", "项目支出!F4"),
}


@pytest.mark.slow  # every error value in every kind of cell on each engine; the fast tier reads one of each
@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("code", ERROR_VALUES)
@pytest.mark.parametrize("where", sorted(ERROR_CELLS))
def test_an_error_value_is_a_bad_cell_naming_the_cell_and_the_error(tmp_path, sample_path, where, code, engine):
    part, cell, ref = ERROR_CELLS[where]
    path = repacked(sample_path, tmp_path / "err.xlsx", {part: error_cell(cell, code)})
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert (ref, f"为错误值 {code}") in info.value.cells
    assert f"{ref} 为错误值 {code}" in str(info.value)


def test_an_error_value_in_the_info_sheet_is_a_bad_cell(tmp_path, sample_path):
    part = sheet_part(c.INFO_SHEET)
    with zipfile.ZipFile(sample_path) as zf:
        xml = zf.read(part)
    assert b'<c r="B5"' in xml
    path = repacked(sample_path, tmp_path / "err.xlsx", {part: error_cell(b"B5", "#REF!")})
    for engine in ENGINE_NAMES:
        with pytest.raises(CellValueError) as info:
            read_book(path, engine=engine)
        assert ("部门信息!B5", "为错误值 #REF!") in info.value.cells


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_an_error_value_in_a_cell_the_contract_does_not_read_is_ignored(tmp_path, sample_path, engine):
    path = repacked(sample_path, tmp_path / "err.xlsx", {BUDGET_PART: far_cell(
        b'<row r="200"><c r="Z200" t="e"><v>#N/A</v></c></row>')})
    assert read_book(path, engine=engine).budget == read_book(sample_path, engine=engine).budget


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_400_digit_number_reads_as_infinity_on_both_engines(tmp_path, sample_path, engine):
    path = repacked(sample_path, tmp_path / "n.xlsx", {BUDGET_PART: lambda d: d.replace(
        E4, b'<c r="E4" s="9"><v>' + b"9" * 400 + b"</v></c>")})
    with pytest.raises(CellValueError) as info:
        read_book(path, engine=engine)
    assert info.value.cells == [("收支情况!E4", "应填金额（全年预算数），实为无穷大")]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml"])
def test_a_package_without_its_essential_parts_is_refused_alike(tmp_path, sample_path, engine, part):
    """calamine read on without [Content_Types].xml (openpyxl and Excel refuse the file), and
    took a package without xl/workbook.xml for a workbook with no sheets."""
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    words = "缺少 [Content_Types].xml" if part.startswith("[") else "不是 Excel 工作簿（这是其他压缩文件）"
    with pytest.raises(InputError, match=re.escape(words)):
        read_book(path, engine=engine)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("part", [BUDGET_PART, "xl/sharedStrings.xml"])
def test_a_part_cut_short_is_refused_not_read_as_far_as_it_goes(tmp_path, sample_path, engine, part):
    """calamine read a sheet cut after some rows as if those were all (projects missing)."""
    def cut(d: bytes) -> bytes:
        end = d.rindex(b"</row>" if part == BUDGET_PART else b"</si>", 0, len(d) * 2 // 3)
        return d[:end + 6]
    path = repacked(sample_path, tmp_path / "cut.xlsx", {part: cut})
    with pytest.raises(InputError, match="XML 内容不完整"):
        read_book(path, engine=engine)


def _outcome(path: Path, engine: str):
    from xlsuite.core.errors import XlsuiteError

    try:
        book = read_book(path, engine=engine)
    except CellValueError as exc:
        return "CellValueError", exc.cells
    except XlsuiteError as exc:
        return type(exc).__name__, exc.reason.split("（")[0]  # the detail in brackets is the library's
    return "ok", (book.info, book.budget, book.projects, book.indicators, book.problems)


def test_every_reader_case_reads_alike_on_both_engines(tmp_path, sample_path):
    """The damaged-file cases of test_bad_input and this module's, on each engine: where they
    disagree, the test names the case."""
    from test_bad_input import CASES

    books = {}
    for case, (make, _, _) in CASES.items():
        books[case] = tmp_path / f"{case}.xlsx"
        make(sample_path, books[case])
    for case, edit in FAR.items():
        books[f"far-{case}"] = repacked(sample_path, tmp_path / f"far-{case}.xlsx", {PROJECT_PART: edit})
    for where, (part, cell, _) in ERROR_CELLS.items():
        books[f"error-{where}"] = repacked(sample_path, tmp_path / f"error-{where}.xlsx", {part: error_cell(cell, "#N/A")})
    books["400-digits"] = repacked(sample_path, tmp_path / "n.xlsx", {BUDGET_PART: lambda d: d.replace(
        E4, b'<c r="E4" s="9"><v>' + b"9" * 400 + b"</v></c>")})
    disagree = {case: (_outcome(path, "calamine"), _outcome(path, "openpyxl")) for case, path in books.items()}
    assert {case: pair for case, pair in disagree.items() if pair[0] != pair[1]} == {}



@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_part_stored_twice_reads_as_the_copy_that_was_checked(tmp_path, sample_path, engine):
    """Two members of one name, the first with another number: every engine reads the one
    whose CRC was checked (the last, as zipfile takes it), never the other."""
    import warnings

    path = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile: "Duplicate name"
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == BUDGET_PART:
                dst.writestr(info.filename, data.replace(E4, E4.replace(b"553.67", b"999.99")))
            dst.writestr(info.filename, data)
    assert read_book(path, engine=engine).budget == read_book(sample_path, engine=engine).budget



@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_sheet_with_a_broken_token_is_refused_alike(tmp_path, sample_path, engine):
    """A byte changed inside 评分汇总's XML (the fuzz campaign's ``zip-flip``): openpyxl refuses
    the sheet, and calamine, which reads past the token, is not given it either."""
    part = sheet_part(c.SUMMARY_SHEET)
    bad = repacked(sample_path, tmp_path / "bad.xlsx", {part: lambda d: d.replace(b"<row ", b"<row \x01", 1)})
    with pytest.raises(InputError, match=f"工作表“{c.SUMMARY_SHEET}”已损坏"):
        read_book(bad, engine)
