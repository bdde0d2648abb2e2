"""A 200-project, 4,000-indicator book saved by LibreOffice, which writes every formula out per
cell (the template stores each computed column once, as a shared formula), reads and scores the
same as the book it was saved from (issue 24.6). With the formulas of the previous template such
a book's 绩效指标 part inflated to 129 MB, over the reader's 128 MB limit
(``contract.MAX_PART_BYTES``), and was refused."""

from __future__ import annotations

import io
import re
import zipfile
from contextlib import redirect_stderr, redirect_stdout

import pytest
from written_out import big_book, indicator_row_bytes, saved_by_libreoffice, sheet_xml

from xlsuite import cli
from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.files.excel_limits import check_file
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # slow: a 200-project, 4,000-indicator book through LibreOffice

PROJECTS, PER_PROJECT = 200, 20
ROW_BYTES = 3072
"""Issue 24: one 绩效指标 row once LibreOffice writes every formula out, at most 3 KB."""


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """(the book as xlsuite built it, the same book saved by LibreOffice)."""
    folder = tmp_path_factory.mktemp("big")
    built = build_workbook(folder / "big.xlsx", big_book())
    return built, saved_by_libreoffice(built, folder / "lo")


def test_libreoffice_wrote_every_formula_out(saved):
    _, lo = saved
    xml = sheet_xml(lo, c.INDICATOR_SHEET)
    formulas = len(re.findall(rb"<f[ >]", xml))
    assert formulas >= PROJECTS * PER_PROJECT * len(c.INDICATOR_SHEET_DEF.formula_columns)
    assert b't="shared"' not in xml
    with zipfile.ZipFile(lo) as zf:
        part = max(info.file_size for info in zf.infolist())
    # What the contract's limits are sized from (contract.MAX_PART_BYTES states the margin).
    assert part * 6 < c.MAX_PART_BYTES, part
    # Issue 24's target: a 绩效指标 row at most 3 KB written out (4,223 bytes before its texts,
    # lists and ranges became workbook names and its formulas took their shorter spellings).
    assert indicator_row_bytes(lo, PROJECTS * PER_PROJECT) <= ROW_BYTES


def test_the_saved_book_reads_and_scores_as_the_built_one(saved, tmp_path):
    built, lo = saved
    book = read_book(lo)
    assert (len(book.projects), len(book.indicators)) == (PROJECTS, PROJECTS * PER_PROJECT)
    expected = evaluate(read_book(built)).score
    assert evaluate(book).score == expected
    out = tmp_path / "评分.xlsx"
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = cli.main(["score", str(lo), "-o", str(out)])
    assert code in (0, 1) and out.exists(), err.getvalue()
    assert check_file(out) == [] and check_file(lo) == []
