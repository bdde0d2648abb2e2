"""Every workbook xlsuite writes is within Excel's specification (``xlsuite.files.excel_limits``).

Each ``xlsuite`` command either writes files, and is run into a folder of its own whose every
.xlsx/.xlsm/.xlam is then checked (``tests/writers.py``, shared with the schema check of
``test_schema_valid.py``), or is named in ``writers.NO_FILE`` with what it writes instead: a new
command fails ``test_every_command_is_run_or_writes_no_workbook`` until it is put in one or the
other, so no writer escapes the check. What the checker finds is printed as
``part!cell: limit (found)``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from writers import NO_FILE, RUNS, WORD_ONLY, run

from xlsuite import cli
from xlsuite.files.excel_limits import check_file

pytestmark = pytest.mark.slow  # every command's files and the odd books checked against Excel's limits


def test_every_command_is_run_or_writes_no_workbook():
    _, commands = cli.build_parser_with_commands()
    assert set(RUNS) | set(NO_FILE) == set(commands)
    assert not set(RUNS) & set(NO_FILE)


@pytest.mark.parametrize("command", sorted(set(RUNS) - WORD_ONLY))
def test_each_command_writes_workbooks_within_excels_limits(written, command):
    books = [path for path in written[command] if path.suffix != ".docx"]
    assert books, f"{command} wrote no workbook"
    found = {path.name: [str(v) for v in check_file(path)] for path in books}
    assert {name: v for name, v in found.items() if v} == {}


def test_every_kind_of_workbook_is_among_them(written):
    """The template (.xlsx and .xlsm), the sample, a scored book, the add-in, the county summary,
    the 审核意见 and the Word reports: each kind xlsuite writes is checked, not only the sample."""
    names = [p.name for paths in written.values() for p in paths]
    suffixes = {Path(n).suffix for n in names}
    assert suffixes == {".xlsx", ".xlsm", ".xlam", ".docx"}
    assert any("汇总" in n for n in names) and any("审核意见" in str(p) for paths in written.values() for p in paths)
    assert any(n.endswith("评分.xlsx") for n in names)


def test_a_book_with_a_damaged_theme_scores_into_a_well_formed_copy(tmp_path, sample_path):
    """No reader reads the theme, so such a book is accepted; its scored copy used to carry the
    damaged part (found by the fuzz campaign), which Excel offers to repair."""
    import zipfile

    damaged = tmp_path / "坏主题.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[:-40] + b"<<" + data[-40:] if info.filename == "xl/theme/theme1.xml" else data)
    assert any("theme" in v.part for v in check_file(damaged))
    run("score", str(damaged), "-o", str(tmp_path / "评分.xlsx"))
    assert check_file(tmp_path / "评分.xlsx") == []


def test_odd_books_and_what_is_made_of_them_are_within_excels_limits(odd_written):
    """Issue 25: units without projects or without indicators made the county summary's rows
    malformed (an unopened </row>); each odd book (``writers.odd_written``), its scored copy, the
    summary of them all with its 审核意见, the summary of one unit alone and of 10,000 projects,
    checked as files."""
    found = {str(p): [str(v) for v in check_file(p)] for p in odd_written if p.suffix != ".docx"}
    assert {name: v for name, v in found.items() if v} == {}
