"""Read an indicator target typed as text ("≥95%", "≤50万元", "=100%", "达成") into its parts.

Accountants often type the whole target into one cell, direction and unit included, while the
contract keeps 方向, 年度指标值 and 计量单位 apart. ``parse_target`` splits such a text so a UDF
(and a future reader) can fill the three columns. Pure: no workbook, no Excel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import contract as c


@dataclass(frozen=True)
class Target:
    """A target's parts.

    Attributes:
        direction: ``≥``, ``≤``, ``=``, ``定性``, or ``""`` when the text names none (a bare
            number: the user chooses the direction).
        value: the number, ``None`` for a qualitative or unreadable target.
        unit: what follows the number (``%``, ``万元``, ``个``), ``""`` if nothing.
    """

    direction: str
    value: Decimal | None
    unit: str


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
