"""Amounts of 收支情况 for a whole book at once (``line_amounts``) agree with
the row-by-row ``line_amount``, stored totals or not."""

from __future__ import annotations

from engine_fixtures import D, seed_book

from xlsuite.core import contract as c
from xlsuite.core.amounts import line_amount, line_amounts
from xlsuite.core.model import Amounts, BudgetLine, DepartmentBook

COLUMNS = [a.key for a in c.AMOUNT_COLUMNS]


def _uncalculated(book: DepartmentBook) -> DepartmentBook:
    """The book as a program that never calculated its formulas saves it: totals empty."""
    for row in c.budget_rows():
        if row.is_total and row.key in book.budget:
            book.budget[row.key].amounts = Amounts()
    return book


def _row_by_row(book: DepartmentBook) -> dict:
    return {row.key: tuple(line_amount(book, row.key, column) for column in COLUMNS)
            for row in c.budget_rows()}


def test_whole_book_equals_row_by_row_for_the_seed():
    for book in (seed_book(), _uncalculated(seed_book())):
        expected = _row_by_row(book)
        table = line_amounts(book)
        assert list(table) == [row.key for row in c.budget_rows()]  # contract order, every row
        # repr, not ==: the Decimals must be the same, exponent included (10.50 is not 10.5).
        assert repr(table) == repr(expected)


def test_uncalculated_totals_are_the_sum_of_their_parts_nested_ones_included():
    book = DepartmentBook(budget={
        "structure.人员经费": BudgetLine("structure.人员经费", Amounts(D("10.50"), D("10.50"), D("9.5"))),
        "structure.公用经费": BudgetLine("structure.公用经费", Amounts(None, D("2.25"), D("0.00"))),
        "structure.项目支出": BudgetLine("structure.项目支出", Amounts(None, D("7"), D("8"))),
    })
    amounts = {key: line[1:] for key, line in line_amounts(book).items()}  # (全年预算数, 全年执行数)
    # 基本支出 = 人员经费 + 公用经费: 10.50 + 2.25 = 12.75 and 9.5 + 0.00 = 9.5. A zero part
    # counts as Decimal(0), as in line_amount, so the sum keeps 9.5's one decimal.
    assert amounts["structure.基本支出"] == (D("12.75"), D("9.5"))
    assert str(amounts["structure.基本支出"][1]) == "9.5"
    assert str(line_amount(book, "structure.基本支出", "executed")) == "9.5"
    # total = 基本支出 + 项目支出: 12.75 + 7 = 19.75 and 9.5 + 8 = 17.5.
    assert amounts["structure.total"] == (D("19.75"), D("17.5"))
    # 年初预算数: only 人员经费 has one, so 基本支出 and the total are 10.50.
    assert line_amounts(book)["structure.total"][0] == D("10.50")
    # Rows the book lacks: an input row is empty, a total of empty rows is 0.
    assert amounts["income.财政拨款收入"] == (None, None)
    assert amounts["income.total"] == (D(0), D(0))


def test_a_stored_total_is_taken_as_stored_even_when_its_parts_disagree():
    book = seed_book()
    book.budget["structure.total"].amounts.adjusted = D("1.23")
    assert line_amounts(book)["structure.total"][1] == D("1.23")
    assert line_amount(book, "structure.total", "adjusted") == D("1.23")
