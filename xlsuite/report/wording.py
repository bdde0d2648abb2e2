"""How the report writes numbers and lists, the way Chinese finance documents do.

Rules (one place, so every sentence follows them):

- Amounts are 万元, rounded half up to the fen (0.01): a whole amount is written without
  decimals (``28万元``), any other with exactly two (``581.67万元``, ``25.10万元``). This is how
  the seed report writes them; it never shows ``28.00`` in a sentence, nor ``25.1``.
- Percentages carry one decimal, half up (``96.4%``, ``100.0%``).
- Scores are written as the engine rounds them (two decimals) without trailing zeros
  (``92.75分``, ``98分``).
- Lists join with 、 and, where the seed does so, the last item with 及.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
_DIGITS = "零一二三四五六七八九"
_CLOSING = "。；;，,、：: \t\r\n"


def date_line(text: str = "", today: dt.date | None = None) -> str:
    """A 落款's date as official documents write it (``2022年3月15日``): the date ``text``
    holds (ISO, or ``2022/3/15``, ``2022年3月15日``), else ``today`` (default: the system's)."""
    match = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text or "")
    if match:
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}年{month}月{day}日"
    day = today or dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def is_nonzero(value: Decimal | None) -> bool:
    """Whether an amount is worth a sentence: present and not 0.00 after rounding to the fen."""
    return value is not None and _rounded(value, CENT) != 0


def _rounded(value: Decimal, quantum: Decimal) -> Decimal:
    """``value`` rounded half up to ``quantum``, or as it is when the result would need more
    than Decimal's 28 digits (an execution rate of 1E+32 when the budget is 1E-30)."""
    try:
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def amount(value: Decimal) -> str:
    """The number of an amount in 万元, without the unit: ``28``, ``581.67``, ``25.10``."""
    fen = _rounded(value, CENT)
    if fen.adjusted() >= 26:
        return f"{fen.normalize():E}"
    if fen == fen.to_integral_value():
        return f"{fen:.0f}"
    return f"{fen:.2f}"


def wan(value: Decimal) -> str:
    """An amount with its unit: ``581.67万元``."""
    return f"{amount(value)}万元"


def percent(ratio: Decimal) -> str:
    """A ratio (0.964) as a percentage with one decimal: ``96.4%``."""
    shown = _rounded(ratio * 100, TENTH)
    return f"{shown.normalize():E}%" if shown.adjusted() >= 26 else f"{shown:.1f}%"


def plain(value: Decimal) -> str:
    """A score, weight or indicator value without trailing zeros: ``92.75``, ``98``, ``10.3``."""
    text = format(value.normalize(), "f")
    return text


def score(value: Decimal) -> Decimal:
    """A computed score (a mean of scores) rounded as the engine rounds every score: half up to
    0.01, so 92.745 is 92.75 as the summary's cell shows it, never Python's half-to-even 92.74."""
    return _rounded(value, CENT)


def points(value: Decimal) -> str:
    """A score: ``92.75分``."""
    return f"{plain(value)}分"


def join(items: Iterable[str], last: str = "、") -> str:
    """``a、b、c``; with ``last="及"`` the final pair joins with 及 (``a、b及c``)."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (enough for section and list numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def year_label(year) -> str:
    """How a report names its year: ``2021年度``, or 本年度 when the year is unknown."""
    return f"{year}年度" if year else "本年度"


def sentence(text: str) -> str:
    """User-typed text as one sentence ending in 。 (no ``。。``, no ``；。``); empty stays empty."""
    text = text.strip().rstrip(_CLOSING)
    return f"{text}。" if text else ""


def clause(text: str) -> str:
    """User-typed text to be continued inside a sentence: closing punctuation removed."""
    return text.strip().rstrip(_CLOSING)
