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


@cache
def _quantum(places: int) -> Decimal:
    """1E-places, the step ``round_score`` rounds to (made once, not for every score)."""
    return Decimal(1).scaleb(-places)


def _clamp(share: Decimal) -> Decimal:
    return max(ZERO, min(ONE, share))


def execution_rate(budget: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """全年执行数 / 全年预算数, or ``None`` when there is no positive budget to divide by."""
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


def execution_score(rate: Decimal | None, rules: ScoringRules) -> Decimal:
    return round_score(rules.execution.weight * execution_share(rate, rules.execution), rules)


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
            return QuantResult(round_score(weight, rules), True, _ratio(actual, target))
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
        return QuantResult(round_score(weight * _clamp(share), rules), True, completion, over)
    # Short of a positive target: paid in proportion. A target of 0 or below has no proportion.
    share = _clamp(completion) if target > 0 and completion is not None else ZERO
    return QuantResult(round_score(weight * share, rules), False, completion)


def _at_most(target: Decimal, actual: Decimal, weight: Decimal, rules: ScoringRules) -> QuantResult:
    completion = _ratio(target, actual)
    if actual <= target:
        return QuantResult(round_score(weight, rules), True, completion)
    if target <= 0:
        share = ZERO  # over a zero (or negative) ceiling: no proportion to pay
    elif rules.le_formula == "ratio":
        share = _clamp(target / actual)
    else:  # linear: reaches 0 at twice the target
        share = _clamp(ONE - (actual - target) / target)
    return QuantResult(round_score(weight * share, rules), False, completion)


def band_of(grade: str, rules: ScoringRules) -> Band | None:
    return rules.qualitative.get(grade)


def qualitative_in_band(grade: str, given: Decimal, weight: Decimal, rules: ScoringRules) -> bool:
    """Whether a given qualitative score lies in the band of its grade."""
    band = band_of(grade, rules)
    if band is None or weight <= 0:
        return False
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
    score = round_score(given, rules)
    low = round_score(band.low * weight, rules)
    if score < low:
        return low
    step = _quantum(rules.places)
    # The high edge belongs to the band above (except for full marks): one step below it.
    high = round_score(band.high * weight, rules)
    if band.high < 1:
        high -= step
    return min(score, max(high, low))


def grade_of(total: Decimal, rules: ScoringRules) -> str:
    """优/良/中/差 (or the profile's names) for a total score."""
    for low, grade in rules.grades:  # highest first
        if total >= low:
            return grade
    return rules.grades[-1][1]
