"""The scoring formulas, one pure function each: numbers in, a rounded score out.

Nothing here knows a workbook or a cell; ``engine`` applies these to a book. Every parameter
comes from the profile's ``ScoringRules``. Scores are ``Decimal`` rounded to the profile's
places (2, half up, by default), and always lie in [0, weight].
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import NamedTuple

from .. import contract as c
from ..profile import Band, ExecutionRule, ScoringRules

ZERO = Decimal(0)
ONE = Decimal(1)
MAX_WEIGHT = Decimal(100)
"""No indicator can be worth more than the 100 points of its whole evaluation: a larger 分值 is a
typing slip (or an absurd number such as 1E+30), scored 0 and reported by validation."""


def round_score(value: Decimal, rules: ScoringRules) -> Decimal:
    """Round as the profile says (2 decimals, half up, by default).

    A value too large for the rounded result to fit Decimal's 28 digits (over ~1E+26) already
    has no more decimals than the rule keeps: it is returned as it is instead of raising.
    """
    try:
        return value.quantize(_quantum(rules.places), rounding=rules.rounding)
    except InvalidOperation:
        return value


def round_item(value: Decimal, rules: ScoringRules) -> Decimal:
    """Round one item's score (an indicator, the execution rate): to the profile's
    ``item_places`` when it sets them (whole points in some provinces), else as ``round_score``."""
    if rules.item_places is None:
        return round_score(value, rules)
    try:
        return value.quantize(_quantum(rules.item_places), rounding=rules.rounding)
    except InvalidOperation:
        return value


def item_step(rules: ScoringRules) -> Decimal:
    """The smallest step of an item's score: 0.01, or 1 for whole points."""
    return _quantum(rules.places if rules.item_places is None else rules.item_places)


@cache
def _quantum(places: int) -> Decimal:
    """1E-places, the step ``round_score`` rounds to (made once, not for every score)."""
    return Decimal(1).scaleb(-places)


def _clamp(share: Decimal) -> Decimal:
    return max(ZERO, min(ONE, share))


def execution_rate(budget: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """全年执行数 / the budget (全年预算数, or 年初预算数 when the profile's ``denominator`` says
    so: ``execution_budget``), or ``None`` when there is no positive budget to divide by."""
    if budget is None or budget <= 0:
        return None
    return (executed or ZERO) / budget


def execution_share(rate: Decimal | None, rule: ExecutionRule) -> Decimal:
    """The share of the 预算执行率 weight that ``rate`` earns under the profile's method."""
    if rate is None:
        return ZERO
    if rule.method == "capped":
        return _clamp(rate)
    if rule.method == "linear":
        return _clamp(ONE - abs(rate - ONE))
    for low, share in rule.bands:  # highest band first
        if rate >= low:
            return _clamp(share)
    return ZERO


def execution_budget(initial: Decimal | None, adjusted: Decimal | None, rule: ExecutionRule) -> Decimal | None:
    """The amount the profile divides 全年执行数 by: 全年预算数 or 年初预算数."""
    return initial if rule.denominator == "initial" else adjusted


def execution_column(rule: ExecutionRule) -> str:
    """The amount column (``contract.AMOUNT_COLUMNS`` key) ``execution_budget`` takes."""
    return "initial" if rule.denominator == "initial" else "adjusted"


def execution_score(rate: Decimal | None, rules: ScoringRules) -> Decimal:
    return round_item(rules.execution.weight * execution_share(rate, rules.execution), rules)


def short_share(share: Decimal, rules: ScoringRules) -> Decimal:
    """What a quantitative indicator short of its target earns, from its proportional share
    (actual/target for ``≥``; the ``≤`` formula's share): that share, or under ``banded``
    scoring the share of the highest band it reaches."""
    share = _clamp(share)
    if rules.quant_method != "banded":
        return share
    for low, band_share in rules.quant_bands:  # highest first
        if share >= low:
            return _clamp(band_share)
    return ZERO


class QuantResult(NamedTuple):
    """A quantitative indicator's outcome.

    A named tuple rather than a frozen dataclass: scoring and validation each make one for every
    quantitative indicator of every book in a batch, and a tuple is three times cheaper to make.

    Attributes:
        score: rounded, in [0, weight].
        met: the target was reached (within tolerance for ``=``).
        completion: the completion ratio used (actual/target for ``≥``, …), ``None`` if undefined.
        overachieved: a ``≥`` actual above target × the profile's threshold.
    """

    score: Decimal
    met: bool
    completion: Decimal | None
    overachieved: bool = False


def quantitative_score(direction: str, target: Decimal, actual: Decimal, weight: Decimal,
                       rules: ScoringRules) -> QuantResult:
    """Score a ``≥``, ``≤`` or ``=`` indicator with numeric target and actual."""
    if direction == c.AT_LEAST:
        return _at_least(target, actual, weight, rules)
    if direction == c.AT_MOST:
        return _at_most(target, actual, weight, rules)
    if direction == c.EQUAL:
        tolerance = rules.eq_tolerance * abs(target)
        if abs(actual - target) <= tolerance:
            return QuantResult(round_item(weight, rules), True, _ratio(actual, target))
        # Outside the tolerance: short of the target counts as `≥`, over it as `≤`.
        if actual < target:
            result = _at_least(target, actual, weight, rules)
            return QuantResult(result.score, False, result.completion)
        result = _at_most(target, actual, weight, rules)
        return QuantResult(result.score, False, result.completion)
    raise ValueError(f"not a quantitative direction: {direction!r}")


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator != 0 else None


def _at_least(target: Decimal, actual: Decimal, weight: Decimal, rules: ScoringRules) -> QuantResult:
    completion = _ratio(actual, target)
    if actual >= target:
        over = target > 0 and completion is not None and completion > rules.overachievement
        share = ONE - rules.overachievement_deduction if over else ONE
        return QuantResult(round_item(weight * _clamp(share), rules), True, completion, over)
    # Short of a positive target: paid in proportion. A target of 0 or below has no proportion.
    share = short_share(completion, rules) if target > 0 and completion is not None else ZERO
    return QuantResult(round_item(weight * share, rules), False, completion)


def _at_most(target: Decimal, actual: Decimal, weight: Decimal, rules: ScoringRules) -> QuantResult:
    completion = _ratio(target, actual)
    if actual <= target:
        return QuantResult(round_item(weight, rules), True, completion)
    if target <= 0:
        share = ZERO  # over a zero (or negative) ceiling: no proportion to pay
    elif rules.le_formula == "ratio":
        share = short_share(target / actual, rules)
    else:  # linear: reaches 0 at twice the target
        share = short_share(ONE - (actual - target) / target, rules)
    return QuantResult(round_item(weight * share, rules), False, completion)


def band_of(grade: str, rules: ScoringRules) -> Band | None:
    return rules.qualitative.get(grade)


def grade_of_share(given: Decimal, weight: Decimal, rules: ScoringRules) -> str:
    """The qualitative grade whose band holds ``given`` of ``weight`` ("" when none does, or
    the weight is unusable): the grade a form that prints only the score implies."""
    if weight <= 0:
        return ""
    share = given / weight
    for grade, band in rules.qualitative.items():
        if band.contains(share):
            return grade
    return ""


def qualitative_in_band(grade: str, given: Decimal, weight: Decimal, rules: ScoringRules) -> bool:
    """Whether a given qualitative score lies in the band of its grade (for a grade with a
    fixed share, whether it is that share's score)."""
    band = band_of(grade, rules)
    if band is None or weight <= 0:
        return False
    if band.share is not None:
        return round_item(given, rules) == round_item(band.share * weight, rules)
    return band.contains(given / weight)


def qualitative_score(grade: str, given: Decimal | None, weight: Decimal,
                      rules: ScoringRules) -> Decimal:
    """The evaluator's own score when it lies in its grade's band.

    The engine never invents a score: no grade or no score gives 0. A score outside its band is
    moved to the nearest score inside it (validation reports the original as an error), so a
    typo such as 达成 with 5 of 10 cannot sink or inflate the total beyond what the grade allows.
    """
    band = band_of(grade, rules)
    if band is None or given is None or weight <= 0:
        return ZERO
    if band.share is not None:  # the profile pays each grade a fixed share
        return round_item(_clamp(band.share) * weight, rules)
    score = round_item(given, rules)
    low = round_item(band.low * weight, rules)
    if score < low:
        return low
    step = item_step(rules)
    # The high edge belongs to the band above (except for full marks): one step below it.
    high = round_item(band.high * weight, rules)
    if band.high < 1:
        high -= step
    return min(score, max(high, low))


def grade_of(total: Decimal, rules: ScoringRules) -> str:
    """优/良/中/差 (or the profile's names) for a total score."""
    for low, grade in rules.grades:  # highest first
        if total >= low:
            return grade
    return rules.grades[-1][1]
