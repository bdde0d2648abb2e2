"""Validation and scoring never raise on a large but finite number, even one the reader would
reject (a book built in code, or a reader bound raised one day): Decimal's 28 digits overflow
when such an amount is rounded to 分, which must end in a finding, not an exception."""

from __future__ import annotations

import random
from copy import deepcopy
from decimal import Decimal

from xlsuite.core.amounts import below_yuan, money
from xlsuite.core.scoring.engine import score_book
from xlsuite.core.validation import validate_book
from xlsuite.reader import read_book


def test_money_prints_amounts_too_large_for_cents_as_they_are():
    assert money(Decimal("999999999999.99")) == "999999999999.99"
    assert money(Decimal("253")) == "253.00"
    assert money(Decimal("1E+26")) == "1E+26"  # 1E+26 to cents needs 29 digits
    assert money(Decimal("-1.5E+30")) == "-1.5E+30"


def test_below_yuan():
    assert below_yuan(Decimal("1.00005")) and not below_yuan(Decimal("89.974"))
    assert not below_yuan(Decimal("1E+26"))


def test_huge_amounts_in_the_model_become_findings(sample_path):
    book = read_book(sample_path)
    # 204 公共安全支出 (row 12 of 收支情况) is empty in the sample; the first project's
    # 全年预算数 is 50 from 本年财政拨款 alone (项目支出!F4).
    book.budget["function.204"].amounts.adjusted = Decimal("-1E+26")
    book.projects[0].total.adjusted = Decimal("1E+30")
    found = {(f.rule_id, f.location): f.message for f in validate_book(book)}
    assert found[("plausibility.negative", "收支情况!E12")] == "“204 公共安全支出”全年预算数为负数 -1E+26 万元"
    # 1E+30 − 50 rounds to 1E+30 within 28 digits.
    sources = found[("cross.project_sources", "项目支出!F4")]
    assert "全年预算数为合计 1E+30 万元、各来源之和 50.00 万元，相差 1E+30 万元" in sources
    project = score_book(book).projects[0]
    assert project.execution.score == Decimal("0.00")  # 50 of 1E+30 executed


def test_no_large_finite_value_anywhere_makes_validation_or_scoring_raise(sample_path):
    base = read_book(sample_path)
    values = [Decimal(v) for v in ("1E+26", "-1E+26", "1E+300", "-1E+300", "1E-300", "1E+30",
                                   "123456789012345678901234567890.123", "-0.001")]
    rng = random.Random(20210)
    for _ in range(60):
        book = deepcopy(base)
        for _ in range(3):
            value = rng.choice(values)
            where = rng.randrange(3)
            if where == 0:
                amounts = rng.choice(list(book.budget.values())).amounts
            elif where == 1:
                amounts = getattr(rng.choice(book.projects), rng.choice(("total", "fiscal", "carryover", "other")))
            else:
                setattr(rng.choice(book.indicators), rng.choice(("target", "actual", "weight", "score")), value)
                continue
            setattr(amounts, rng.choice(("initial", "adjusted", "executed")), value)
        validate_book(book)
        score_book(book)
