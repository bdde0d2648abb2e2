"""Amount helpers shared by scoring and validation: totals of 收支情况 and money formatting.

A total row's stored value is ``None`` when the program that saved the file never calculated
its formulas; ``line_amount`` then adds up the parts, so a book reads the same either way.

``line_amount`` answers one row; ``line_amounts`` answers every row of a book in one pass, for
callers that need them all (validation, the county summary): a batch of books asks for every row
of every book, and row-by-row lookups re-add the same parts each time.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from operator import attrgetter

from . import contract as c
from .model import Amounts, DepartmentBook

CENT = Decimal("0.01")
ZERO = Decimal(0)

LineAmounts = tuple[Decimal | None, Decimal | None, Decimal | None]
"""A row's (initial, adjusted, executed), the columns of ``contract.AMOUNT_COLUMNS`` in order."""

_AMOUNTS = attrgetter(*(column.key for column in c.AMOUNT_COLUMNS))
_NO_AMOUNTS: LineAmounts = (None, None, None)


def stored(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """The value in the file for a 收支情况 row and amount column (``None`` if empty or absent)."""
    line = book.budget.get(key)
    return getattr(line.amounts, column) if line is not None else None


def parts_sum(book: DepartmentBook, key: str, column: str) -> Decimal:
    """Σ of a total row's parts; empty parts count as 0, nested totals by their own value."""
    return sum((line_amount(book, part, column) or ZERO
                for part in c.budget_row(key).total_of), ZERO)


def line_amount(book: DepartmentBook, key: str, column: str) -> Decimal | None:
    """A row's amount: the stored one, or for an uncalculated total row the sum of its parts."""
    value = stored(book, key, column)
    if value is None and c.budget_row(key).is_total:
        return parts_sum(book, key, column)
    return value


def line_amounts(book: DepartmentBook) -> dict[str, LineAmounts]:
    """Every contract row's (initial, adjusted, executed) exactly as ``line_amount`` gives them,
    keyed in contract order; rows absent from the book are there too (``None``, or their sum)."""
    get = book.budget.get
    # A comprehension with one attrgetter call per row: this runs for every row of every book.
    found = {key: _AMOUNTS(line.amounts) if (line := get(key)) is not None else _NO_AMOUNTS
             for key in _keys()}
    # A total the file holds no value for is the sum of its parts; parts come before the totals
    # that add them up, so a nested total is complete before it is added.
    for key, parts in _totals_bottom_up():
        initial, adjusted, executed = found[key]
        if initial is None or adjusted is None or executed is None:
            found[key] = (sum_of_parts(found, parts, 0) if initial is None else initial,
                          sum_of_parts(found, parts, 1) if adjusted is None else adjusted,
                          sum_of_parts(found, parts, 2) if executed is None else executed)
    return found


def sum_of_parts(found: dict[str, LineAmounts], parts: tuple[str, ...], index: int) -> Decimal:
    """Σ of ``parts`` in column ``index`` of ``line_amounts``' table.

    The same left-to-right sum from 0 as ``parts_sum``, so the Decimals (their exponents too)
    come out identical; an empty or zero part counts as Decimal(0).
    """
    total = ZERO
    for part in parts:
        total = total + (found[part][index] or ZERO)
    return total


@cache
def _keys() -> tuple[str, ...]:
    return tuple(row.key for row in c.budget_rows())


@cache
def _totals_bottom_up() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(key, parts) of every total row, each after the totals among its parts."""
    order: dict[str, tuple[str, ...]] = {}

    def visit(key: str) -> None:
        parts = c.budget_row(key).total_of
        if parts and key not in order:
            for part in parts:
                visit(part)
            order[key] = parts

    for key in _keys():
        visit(key)
    return tuple(order.items())


def source_sum(amounts: list[Amounts], column: str) -> Decimal:
    return sum((getattr(a, column) or ZERO for a in amounts), ZERO)


def money(value: Decimal | None) -> str:
    """万元 as the forms print it: two decimals, half up (253 → ``253.00``); empty → ``空``.

    An amount too large to round to 分 within Decimal's 28 digits (from about 1E+26; the reader
    rejects such cells, but a book built in code may hold one) is printed as it is, ``1E+26``.
    """
    if value is None:
        return "空"
    try:
        cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return f"{value.normalize():E}"
    return f"{cents:,.2f}".replace(",", "")


def with_unit(value: Decimal | None) -> str:
    """An amount in a message: ``253.00 万元``; empty → ``空`` (no unit on nothing)."""
    return "空" if value is None else f"{money(value)} 万元"


YUAN = Decimal("0.0001")
"""One 元 in 万元. Provincial budget systems keep amounts to the 元 and print them exactly
(89.974 万元, 132.9125 万元): up to four decimals of 万元 are a real amount, not a slip."""


def below_yuan(value: Decimal) -> bool:
    """Whether an amount has digits below 1 元 (0.0001 万元): a share of a 元 no budget system
    keeps, so likely an amount divided or typed in another unit. One too large to be rounded
    within Decimal's 28 digits (see ``money``) has none that could be kept."""
    try:
        return value != value.quantize(YUAN)
    except InvalidOperation:
        return False


def number(value: Decimal | None) -> str:
    """An indicator value or weight without trailing zeros (``99.20`` → ``99.2``)."""
    if value is None:
        return "空"
    text = format(value.normalize(), "f")
    return text
