"""Checks on the 绩效指标 sheet: subjects, weights, levels, values, deviations, qualitative bands."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import contract as c
from ..amounts import number
from ..model import DepartmentBook, Indicator
from ..profile import Profile
from ..scoring import rules as r
from ..scoring.engine import DEPARTMENT_KIND, PROJECT_KIND, BookScore, IndicatorScore
from .catalogue import rule
from .findings import Finding

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def subject_name(subject: str, names: dict[str, str]) -> str:
    """How a message names an evaluated object: 部门整体, or 项目“name”."""
    if subject == c.WHOLE_DEPARTMENT:
        return c.WHOLE_DEPARTMENT
    return f"项目“{names.get(subject) or subject}”"


def check_indicators(book: DepartmentBook, profile: Profile, scores: BookScore) -> Iterator[Finding]:
    """The 绩效指标 checks; ``scores`` is ``score_book(book, profile)``, whose results for each
    row the value checks read instead of applying the scoring rules a second time."""
    names = {p.code: p.name for p in book.projects if p.code}
    scored = {id(s.indicator): s for subject in scores.subjects() for s in subject.indicators}
    groups: dict[str, list[Indicator]] = {}
    for indicator in book.indicators:
        if not indicator.subject:
            continue  # reported as an empty required field
        if indicator.subject != c.WHOLE_DEPARTMENT and indicator.subject not in names:
            yield rule("indicator.subject").finding(indicator.cells.get("subject"), indicator.subject,
                                                    level3=indicator.level3, subject=indicator.subject)
            continue
        groups.setdefault(indicator.subject, []).append(indicator)
    for subject, indicators in groups.items():
        kind = DEPARTMENT_KIND if subject == c.WHOLE_DEPARTMENT else PROJECT_KIND
        label = subject_name(subject, names)
        levels = profile.levels_by_name(kind)
        yield from _weights(subject, label, kind, indicators, profile)
        for indicator in indicators:
            yield from _levels(subject, kind, indicator, levels, profile)
            yield from _values(subject, indicator, scored[id(indicator)], profile)


def _weights(subject, label, kind, indicators, profile: Profile) -> Iterator[Finding]:
    rules = profile.rules
    # One pass over the rows: each weight checked, and added (in sheet order, from 0, as a sum()
    # over the rows would) to the subject's total and to its first-level indicator's total.
    weights = ZERO
    level_weights: dict[str, Decimal] = {}
    first_rows: dict[str, Indicator] = {}
    for i in indicators:
        weight = i.weight
        if weight is None:
            yield rule("indicator.weight").finding(i.cells.get("weight"), subject, level3=i.level3,
                                                   problem="未填写")
        elif weight <= 0:
            yield rule("indicator.weight").finding(i.cells.get("weight"), subject, level3=i.level3,
                                                   problem=f" {number(weight)} 不是正数")
        elif weight > r.MAX_WEIGHT:
            yield rule("indicator.weight").finding(i.cells.get("weight"), subject, level3=i.level3,
                                                   problem=f" {_shown(weight)} 超过 {number(r.MAX_WEIGHT)}")
        level1 = i.level1
        if level1 not in first_rows:
            first_rows[level1] = i
            level_weights[level1] = ZERO
        if weight is not None:
            weights = weights + weight
            level_weights[level1] = level_weights[level1] + weight
    total = weights + rules.execution.weight
    if total != HUNDRED:
        yield rule("indicator.weight_total").finding(
            indicators[0].cells.get("weight"), subject, subject_name=label, weights=number(weights),
            execution=number(rules.execution.weight), total=number(total), diff=number(abs(total - HUNDRED)))
    for level in profile.levels(kind):
        weight = level_weights.get(level.name, ZERO)
        if weight != level.weight:
            # Point at the level's first row, or at the subject's first row when it has none.
            first = first_rows.get(level.name)
            cell = first.cells.get("level1") if first else indicators[0].cells.get("subject")
            yield rule("indicator.level1_weight").finding(
                cell, subject, subject_name=label, level1=level.name, weight=number(weight),
                default=level.weight)


def _levels(subject, kind, i: Indicator, levels, profile: Profile) -> list[Finding]:
    # A list rather than a generator, as in ``_values``: nearly always empty.
    if not i.level1:
        return []
    if i.level1 not in levels:
        return [rule("indicator.level1").finding(
            i.cells.get("level1"), subject, level1=i.level1, profile=profile.name, kind=kind,
            allowed="、".join(levels) or "评分方案未定义")]
    allowed = levels[i.level1].level2
    if i.level2 and i.level2 not in allowed:
        return [rule("indicator.level2").finding(i.cells.get("level2"), subject, level2=i.level2,
                                                 level1=i.level1, allowed="、".join(allowed))]
    return []


def _values(subject, i: Indicator, s: IndicatorScore, profile: Profile) -> list[Finding]:
    # A list rather than a generator, here and in ``_qualitative``: called for every row of
    # every book, and nearly always empty.
    rules = profile.rules
    direction = i.direction
    if not direction:
        return []  # reported as an empty required field
    if direction not in c.DIRECTIONS:
        return [rule("indicator.direction").finding(i.cells.get("direction"), subject, level3=i.level3,
                                                    direction=direction)]
    if direction == c.QUALITATIVE:
        return _qualitative(subject, i, s, profile)
    found = []
    target, actual = i.target, i.actual
    if not (isinstance(target, Decimal) and isinstance(actual, Decimal)):
        for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
            value = getattr(i, key)
            if not isinstance(value, Decimal):
                problem = "未填写" if value is None else f"“{value}”不是数值"
                found.append(rule("indicator.quantitative").finding(
                    i.cells.get(key), subject, level3=i.level3, field=label, problem=problem))
        return found
    result = s.quant
    if result.overachieved:
        deduction = rules.overachievement_deduction
        found.append(rule("indicator.overachieved").finding(
            i.cells.get("actual"), subject, level3=i.level3, actual=number(i.actual),
            target=number(i.target), percent=number(r.round_score(result.completion * HUNDRED, rules)),
            threshold=number(rules.overachievement * HUNDRED),
            deduction=f"（按评分方案扣减该指标分值的 {number(deduction * HUNDRED)}%）" if deduction else ""))
    if not result.met and not i.deviation:
        detail = f"{i.direction} {number(i.target)}，实际 {number(i.actual)}"
        found.append(rule("indicator.deviation").finding(i.cells.get("deviation"), subject,
                                                         level3=i.level3, detail=detail))
    # A 得分 already in the file (typed, or left by an older run or another profile) is never
    # trusted: when it differs from the recomputed score, say so.
    if i.score is not None and r.round_score(i.score, rules) != s.score:
        found.append(rule("indicator.cached_score").finding(
            i.cells.get("score"), subject, level3=i.level3, reported=number(i.score),
            profile=profile.name, score=number(s.score)))
    return found


def _qualitative(subject, i: Indicator, s: IndicatorScore, profile: Profile) -> list[Finding]:
    rules = profile.rules
    band = r.band_of(i.grade, rules)
    if band is None:
        problem = (f"的定性等级“{i.grade}”无效" if i.grade else "未选择定性等级") + \
            f"（应为 {'、'.join(rules.qualitative)}）"
        return [rule("indicator.qualitative_grade").finding(i.cells.get("grade"), subject,
                                                            level3=i.level3, problem=problem)]
    if i.score is None:
        return [rule("indicator.qualitative_grade").finding(i.cells.get("score"), subject,
                                                            level3=i.level3, problem="未填写得分")]
    found = []
    weight = _usable(i.weight)
    # The engine scored the row (clamped into its band) and flagged a score out of band.
    if weight > 0 and s.warning:
        high = "]" if band.high >= 1 else ")"
        band_text = (f"[{number(r.round_score(band.low * weight, rules))}, "
                     f"{number(r.round_score(band.high * weight, rules))}{high}")
        found.append(rule("indicator.qualitative_band").finding(
            i.cells.get("score"), subject, level3=i.level3, grade=i.grade, score=number(i.score),
            band=band_text, weight=number(weight),
            clamped=number(s.score)))
    top = band.high >= 1  # the grade that earns full marks is no shortfall
    if not top and not i.deviation:
        found.append(rule("indicator.deviation").finding(i.cells.get("deviation"), subject,
                                                         level3=i.level3, detail=f"定性等级为“{i.grade}”"))
    return found


def _usable(weight: Decimal | None) -> Decimal:
    """The weight the score is computed with: 0 when missing or beyond ``MAX_WEIGHT`` (the
    ``indicator.weight`` finding already names the cell), so the later checks stay quiet."""
    return weight if weight is not None and weight <= r.MAX_WEIGHT else Decimal(0)


def _shown(value: Decimal) -> str:
    # 1E+30 typed by a slip would print as 31 digits: scientific notation reads better.
    return number(value) if value.adjusted() < 15 else f"{value:.2E}"
