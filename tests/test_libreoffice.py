"""Real spreadsheet software opens the template and the sample, and its formulas add up.

LibreOffice is made to recalculate every formula on load, so the totals read back are
LibreOffice's own sums, not the values xlsxwriter cached in the file.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import python_calamine
from fill import fill_template
from libreoffice import convert

from xlsuite.core import contract as c
from xlsuite.reader import read_book

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # slow: LibreOffice recalculates the template and the sample


def _totals(book) -> dict[str, Decimal]:
    return {k: book.budget[k].amounts.executed for k in
            ("income.total", "function.total", "economic.total", "structure.total",
             "structure.基本支出", "sangong.total")}


def _project_sum_row(path):
    """The 全年执行数（合计） of the SUM row under the 项目支出 header."""
    grid = python_calamine.CalamineWorkbook.from_path(str(path)) \
        .get_sheet_by_name(c.PROJECT_SHEET).to_python(skip_empty_area=False)
    headers, total_row = grid[1], grid[2]
    assert total_row[0] == c.PROJECT_TOTAL_LABEL
    return total_row[headers.index("全年执行数（合计）")]


def test_sample_recalculated_by_libreoffice(tmp_path, sample_path):
    recalculated = convert(sample_path, tmp_path, "xlsx")
    totals = _totals(read_book(recalculated))
    assert totals == {"income.total": Decimal("581.67"), "function.total": Decimal("581.67"),
                      "economic.total": Decimal("581.67"), "structure.total": Decimal("581.67"),
                      "structure.基本支出": Decimal("300.67"), "sangong.total": Decimal("1.17")}
    assert _project_sum_row(recalculated) == pytest.approx(253)


def test_formulas_work_when_nothing_was_cached(tmp_path, template_path, sample_path):
    """A book filled by a program that stores no formula results (openpyxl) gets its totals from
    LibreOffice's own calculation."""
    book = read_book(sample_path)
    filled = fill_template(template_path, book, tmp_path / "filled.xlsx")
    before = read_book(filled)
    assert before.budget["income.total"].amounts.executed is None  # nothing cached
    after = read_book(convert(filled, tmp_path / "lo", "xlsx"))
    assert _totals(after)["income.total"] == Decimal("581.67")
    assert _totals(after)["structure.基本支出"] == Decimal("300.67")
    assert _project_sum_row(tmp_path / "lo" / "filled.xlsx") == pytest.approx(253)


def test_template_opens_and_prints(tmp_path, template_path):
    pdf = convert(template_path, tmp_path, "pdf")
    assert pdf.stat().st_size > 1000
