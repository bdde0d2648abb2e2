"""Amount helpers shared by scoring and validation: totals of 收支情况 and money formatting.

A total row's stored value is ``None`` when the program that saved the file never calculated
its formulas; ``line_amount`` then adds up the parts, so a book reads the same either way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import contract as c
from .model import Amounts, DepartmentBook

CENT = Decimal("0.01")


def stored(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """The value in the file for a 收支情况 row and amount column (``None`` if empty or absent)."""
    line = book.budget.get(key)
    return getattr(line.amounts, column) if line is not None else None


def parts_sum(book: DepartmentBook, key: str, column: str) -> Decimal:
    """Σ of a total row's parts; empty parts count as 0, nested totals by their own value."""
    return sum((line_amount(book, part, column) or Decimal(0)
                for part in c.budget_row(key).total_of), Decimal(0))


def line_amount(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """A row's amount: the stored one, or for an uncalculated total row the sum of its parts."""
    value = stored(book, key, column)
    if value is None and c.budget_row(key).is_total:
        return parts_sum(book, key, column)
    return value


def source_sum(amounts: list[Amounts], column: str) -> Decimal:
    return sum((getattr(a, column) or Decimal(0) for a in amounts), Decimal(0))


def money(value: Decimal | None) -> str:
    """万元 as the forms print it: two decimals, half up (253 → ``253.00``); empty → ``空``."""
    if value is None:
        return "空"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}".replace(",", "")


def number(value: Decimal | None) -> str:
    """An indicator value or weight without trailing zeros (``99.20`` → ``99.2``)."""
    if value is None:
        return "空"
    text = format(value.normalize(), "f")
    return text
