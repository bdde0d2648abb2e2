"""Read an indicator value typed as text ("≥95%", "≤50万元", "≥266米", "2023年12月", "达成").

Accountants type targets and actuals as the printed forms show them, sign and unit included,
while the contract keeps 方向, 年度指标值 and 计量单位 apart. ``parse_target`` splits such a text;
``typed_number`` and ``typed_period`` say what number or date a cell holds for an indicator with
a given 方向 and 计量单位. The engine (and so ``xlsuite score``, validation and the UDFs, which
all score through it) and the ``XLSUITE_TARGET`` UDF read values through this one module.
Pure: no workbook, no Excel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .. import contract as c


class Period(NamedTuple):
    """A date as precise as it was typed: ``month`` and ``day`` are 0 when not given
    (「2023年」, 「2023年12月」, 「2023-12-31」)."""

    year: int
    month: int = 0
    day: int = 0

    def __str__(self) -> str:
        return f"{self.year}年" + (f"{self.month}月" if self.month else "") + (f"{self.day}日" if self.day else "")


@dataclass(frozen=True)
class Target:
    """A target's parts.

    Attributes:
        direction: ``≥``, ``≤``, ``=``, ``定性``, or ``""`` when the text names none (a bare
            number: the user chooses the direction).
        value: the number, ``None`` for a qualitative or unreadable target.
        unit: what follows the number (``%``, ``万元``, ``个``), ``""`` if nothing.
        period: the date when the text is one (a 时效 target such as 「2023年12月」); ``value``
            is then ``None``.
    """

    direction: str
    value: Decimal | None
    unit: str
    period: Period | None = None


# Longest words first, so "不低于" is not read as a shorter one inside it.
_DIRECTION_WORDS = (
    ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("小于等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("不多于", "≤"),
    ("至多", "≤"), ("控制在", "≤"), ("等于", "="),
    (">=", "≥"), ("=>", "≥"), ("＞＝", "≥"), ("≧", "≥"), ("≥", "≥"), (">", "≥"), ("＞", "≥"),
    ("<=", "≤"), ("=<", "≤"), ("＜＝", "≤"), ("≦", "≤"), ("≤", "≤"), ("<", "≤"), ("＜", "≤"),
    ("==", "="), ("＝", "="), ("=", "="),
)
# Words after the number that give the direction: "95%以上" is ≥, "50万元以内" is ≤.
_SUFFIX_WORDS = (("以上", "≥"), ("及以上", "≥"), ("以下", "≤"), ("及以下", "≤"), ("以内", "≤"))
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
# Dates as typed on forms: 2023年12月(31日), 2023年(底), 2023-12(-31), 2023.12, 2023/12/31, and the
# ISO text a date cell reads as (2023-12-31T00:00:00). A trailing 前/底/末/内 says "by then".
_PERIOD = re.compile(
    r"(?P<y>(?:19|20)\d\d)(?:年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?)?"
    r"|[-./](?P<m2>\d{1,2})(?:[-./](?P<d2>\d{1,2}))?(?:T[\d:.]*)?)"
    r"(?:年底|年末|底|末|前|以前|之前|内|以内)?")
_YEAR_END = re.compile(r"(?:19|20)\d\d年(?:底|末)")


def parse_target(text) -> Target:
    """Split a target text into direction, value and unit.

    Examples: ``"≥95%"`` → (≥, 95, %); ``"≤50万元"`` → (≤, 50, 万元); ``"=100%"`` → (=, 100, %);
    ``"达成"`` → (定性, None, ""); ``"95%以上"`` → (≥, 95, %); ``12`` → ("", 12, "").
    Never raises: text with no number and no grade gives ("", None, "").
    """
    if text is None or isinstance(text, bool):
        return Target("", None, "")
    if isinstance(text, int | float | Decimal):
        value = _finite(Decimal(f"{text:.15g}") if isinstance(text, float) else Decimal(text))
        return Target("", value, "")
    rest = _squash(str(text))
    if not rest:
        return Target("", None, "")
    if rest in c.QUALITATIVE_GRADES or rest in (c.QUALITATIVE, "好", "较好", "优", "良"):
        return Target(c.QUALITATIVE, None, "")
    direction = ""
    for word, symbol in _DIRECTION_WORDS:
        if rest.startswith(word):
            direction, rest = symbol, rest[len(word):]
            break
    period = _period(rest)
    if period is not None:
        return Target(direction, None, "", period)
    match = _NUMBER.search(rest)
    if match is None or match.start() != 0:
        return Target(direction, None, "") if direction else Target("", None, "")
    value = _decimal(match.group())
    unit = rest[match.end():]
    for word, symbol in sorted(_SUFFIX_WORDS, key=lambda w: -len(w[0])):
        if unit.endswith(word):
            unit = unit[: -len(word)]
            direction = direction or symbol
            break
    return Target(direction, value, unit)


def _period(text: str) -> Period | None:
    match = _PERIOD.fullmatch(text)
    if match is None:
        return None
    month, day = int(match["m"] or match["m2"] or 0), int(match["d"] or match["d2"] or 0)
    if _YEAR_END.fullmatch(text):
        month = 12  # 2023年底: by the end of December
    if not 0 <= month <= 12 or not 0 <= day <= 31 or (day and not month):
        return None
    if not month and not day and not text.endswith(("年", "底", "末", "前", "内")):
        return None  # a bare 2023 is a number, not a year
    return Period(int(match["y"]), month, day)


def typed_number(value, direction: str, unit: str) -> Decimal | None:
    """The number an indicator's target or actual cell holds, for an indicator with ``direction``
    and 计量单位 ``unit``: the value itself, or the number of a text such as 「≥266米」 whose sign
    (if any) is the indicator's own and whose unit (if any) is its unit (any unit when the
    indicator names none: the caller then checks target and actual agree). ``None`` otherwise.
    """
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    typed = parse_target(value)
    if typed.value is None or typed.direction not in ("", direction):
        return None
    if typed.unit and unit and typed.unit != _squash(unit):
        return None
    return typed.value


def typed_unit(value) -> str:
    """The unit typed with a value (「266米」 → 米), ``""`` for a number or no unit."""
    return parse_target(value).unit if isinstance(value, str) else ""


def typed_period(value) -> Period | None:
    """The date a target or actual cell holds (「2023年12月」, a date cell's ISO text), or ``None``."""
    return parse_target(value).period if isinstance(value, str) else None


def period_met(direction: str, target: Period, actual: Period) -> bool:
    """Whether a dated actual meets a dated target, compared as precisely as the less precise of
    the two was typed: ``≥`` wants the date reached; ``≤`` and ``=`` (a 时效 deadline) want it
    done by then, so finishing early is never a shortfall."""
    depth = min(_depth(target), _depth(actual))
    t, a = target[:depth], actual[:depth]
    return a >= t if direction == c.AT_LEAST else a <= t


def _depth(period: Period) -> int:
    return 3 if period.day else 2 if period.month else 1


def _squash(text: str) -> str:
    # Spaces (also full-width) carry no meaning in a target; full-width digits and % do.
    text = re.sub(r"[\s\u3000]+", "", text)
    return text.translate(str.maketrans("０１２３４５６７８９．％，", "0123456789.%,"))


def _decimal(text: str) -> Decimal | None:
    try:
        return _finite(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def _finite(value: Decimal) -> Decimal | None:
    return value if value.is_finite() else None
