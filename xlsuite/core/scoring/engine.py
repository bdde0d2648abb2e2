"""Score a department's book: 部门整体 and every project, each out of 100 with a grade.

A subject's total is its 预算执行率 score plus the scores of its indicators, each rounded
before adding, so a total always equals the sum of the parts shown on the forms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .. import contract as c
from ..amounts import line_amount, number
from ..model import DepartmentBook, Indicator, Project
from ..profile import PROJECT_KIND, Profile, ScoringRules, resolve_profile
from . import rules as r
from .targets import period_met, typed_number, typed_period, typed_unit

DEPARTMENT_KIND = c.WHOLE_DEPARTMENT
"""The evaluated kind of the department as a whole (projects: ``PROJECT_KIND``)."""

ZERO = Decimal(0)


@dataclass(frozen=True)
class ExecutionScore:
    """预算执行率: 全年预算数 (``budget``), 全年执行数 (``executed``), their ratio and its score."""

    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    weight: Decimal
    score: Decimal
    completion: Decimal | None = None
    """Completion ratio of a quantitative indicator (actual/target for ``≥``), if defined."""
    note: str = ""
    """Why the score is what it is, in Chinese, when that is not plain (empty otherwise)."""
    warning: bool = False
    """The note asks the user to check something (overachievement, a clamped score, …)."""
    quant: r.QuantResult | None = None
    """A quantitative row's rule result (met, overachieved, completion) at the weight it is
    scored with (0 when the weight is unusable); ``None`` unless the row is ``≥ ≤ =`` with
    numeric (or dated) target and actual. Validation reads it rather than applying the rule again."""
    read_as: tuple[tuple[str, str], ...] = ()
    """(field, what it was scored as) for each of ``target`` and ``actual`` typed as a text the
    engine read a number or a date from (「≥266米」 → ``266``), for validation to show."""
    qualitative_grade: str = ""
    """The 定性等级 a qualitative row was scored under: the one chosen, or the one whose band
    holds its score when none was chosen (``inferred_grade``)."""
    inferred_grade: bool = False
    unscaled: Decimal | None = None
    """The score before the profile scaled the indicator block (``scale_indicators``), what the
    row's own 得分 cell shows; ``None`` when not scaled."""
    scaled_weight: Decimal | None = None
    """The 分值 scaled with the block (``None`` when not scaled): see ``points``."""

    @property
    def row_score(self) -> Decimal:
        """The score the row's 得分 cell should show: before any scaling of the block."""
        return self.score if self.unscaled is None else self.unscaled

    @property
    def points(self) -> Decimal:
        """What the row is worth in this evaluation, printed as its 分值 beside ``score``: its
        weight, scaled with the block when the profile scales it (so that the forms' 分值 add up
        to 100 and no 得分 exceeds its 分值)."""
        return self.weight if self.scaled_weight is None else self.scaled_weight


@dataclass(frozen=True)
class LevelScore:
    """A first-level indicator's weight and score summed over its rows, beside the default."""

    name: str
    weight: Decimal
    score: Decimal
    default_weight: Decimal | None
    """The profile's weight for it; ``None`` when the name is not in the profile's hierarchy."""
    points: Decimal
    """Its rows' ``IndicatorScore.points`` summed: what the level is worth in this evaluation."""


@dataclass(frozen=True)
class SubjectScore:
    """The score of one evaluated object: 部门整体 or one project."""

    kind: str
    code: str
    """``部门整体`` or the 项目编码."""
    name: str
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    levels: tuple[LevelScore, ...]
    total: Decimal
    grade: str | None
    """``None`` when the subject has no indicators: an execution rate alone is no evaluation."""

    @property
    def points(self) -> Decimal:
        """What the subject is worth in this evaluation (the forms' 总分 分值): the execution
        rate's weight and every indicator's ``points``."""
        return self.execution.weight + sum((s.points for s in self.indicators), ZERO)


@dataclass(frozen=True)
class BookScore:
    department: SubjectScore
    projects: tuple[SubjectScore, ...]
    profile: str
    """The name of the profile used."""

    def subjects(self) -> tuple[SubjectScore, ...]:
        return (self.department, *self.projects)


def score_book(book: DepartmentBook, profile: Profile | None = None) -> BookScore:
    """Score 部门整体 and every project of ``book`` under ``profile`` (by default the one
    ``resolve_profile`` picks: recorded in the book, else national).

    Never raises on bad content: what cannot be scored scores 0 with a note, and
    ``validate_book`` reports why.
    """
    profile = resolve_profile(book, profile)
    by_subject: dict[str, list[Indicator]] = {}
    for indicator in book.indicators:
        by_subject.setdefault(indicator.subject, []).append(indicator)
    # 部门整体: the whole spending, as 收支情况 states it (按支出性质 total).
    rule = profile.rules.execution
    department = _subject(
        DEPARTMENT_KIND, c.WHOLE_DEPARTMENT, book.info.unit_name,
        r.execution_budget(line_amount(book, c.STRUCTURE_TOTAL, "initial"),
                           line_amount(book, c.STRUCTURE_TOTAL, "adjusted"), rule),
        line_amount(book, c.STRUCTURE_TOTAL, "executed"),
        by_subject.get(c.WHOLE_DEPARTMENT, []), profile)
    projects = tuple(_project(p, by_subject.get(p.code, []) if p.code else [], profile)
                     for p in book.projects)
    return BookScore(department, projects, profile.name)


def score_indicator(indicator: Indicator, rules: ScoringRules) -> IndicatorScore:
    """Score one indicator row; its weight is the row's 分值."""
    weight = indicator.weight
    if weight is None or weight <= ZERO:
        weight = Decimal(0)
    direction = indicator.direction
    too_heavy = IndicatorScore(indicator, weight, Decimal(0), warning=True,
                               note=f"分值超过 {number(r.MAX_WEIGHT)}，记 0 分") if weight > r.MAX_WEIGHT else None
    if direction not in c.QUANTITATIVE_DIRECTIONS:
        if too_heavy is not None:
            return too_heavy
        if direction == c.QUALITATIVE:
            return _qualitative(indicator, weight, rules)
        return IndicatorScore(indicator, weight, Decimal(0), note="方向无效，记 0 分", warning=True)
    target, actual, read_as = _numbers(indicator)
    if target is None or actual is None:
        periods = _periods(indicator)
        if periods is not None:
            return _dated(indicator, weight, *periods, rules)
        return too_heavy or IndicatorScore(indicator, weight, Decimal(0),
                                           note="缺少数值型年度指标值或实际完成值，记 0 分", warning=True)
    if too_heavy is not None:
        # Scored 0; the rule still says whether the target was met, for the checks.
        return IndicatorScore(indicator, weight, Decimal(0), warning=True,
                              quant=r.quantitative_score(direction, target, actual, ZERO, rules),
                              note=f"分值超过 {number(r.MAX_WEIGHT)}，记 0 分", read_as=read_as)
    result = r.quantitative_score(direction, target, actual, weight, rules)
    note = ""
    if result.overachieved:
        note = (f"实际完成值 {number(actual)} 超过年度指标值 {number(target)} 的 "
                f"{number(rules.overachievement * 100)}%，请核实目标是否设置偏低")
        if rules.overachievement_deduction:
            note += f"；按评分方案扣减 {number(rules.overachievement_deduction * 100)}% 分值"
    elif not result.met and result.completion is not None:
        note = f"完成率 {number(r.round_score(result.completion * 100, rules))}%"
    return IndicatorScore(indicator, weight, result.score, result.completion, note, result.overachieved,
                          result, read_as)


def _numbers(indicator: Indicator) -> tuple[Decimal | None, Decimal | None, tuple[tuple[str, str], ...]]:
    """Target and actual as numbers, texts such as 「≥266米」 read through ``targets``."""
    target, actual = indicator.target, indicator.actual
    if target.__class__ is Decimal and actual.__class__ is Decimal:  # nearly every row: nothing typed
        return (target, actual, ()) if target.is_finite() and actual.is_finite() else (None, None, ())
    direction, unit = indicator.direction, indicator.unit
    target = typed_number(indicator.target, direction, unit)
    actual = typed_number(indicator.actual, direction, unit)
    if not unit.strip():
        # No 计量单位 to check against: target and actual must not name two different units.
        units = {typed_unit(indicator.target), typed_unit(indicator.actual)} - {""}
        if len(units) > 1:
            return None, None, ()
    read_as = tuple((key, number(value)) for key, value in (("target", target), ("actual", actual))
                    if value is not None and isinstance(getattr(indicator, key), str))
    return target, actual, read_as


def _periods(indicator: Indicator):
    target, actual = typed_period(indicator.target), typed_period(indicator.actual)
    return (target, actual) if target is not None and actual is not None else None


def _dated(indicator: Indicator, weight: Decimal, target, actual, rules: ScoringRules) -> IndicatorScore:
    """A 时效 indicator whose target and actual are dates: met is full marks, late is none (a
    date has no completion ratio: 2024年1月 is not 99.99% of 2023年12月)."""
    read_as = (("target", str(target)), ("actual", str(actual)))
    weight_used = ZERO if weight > r.MAX_WEIGHT else weight
    met = period_met(indicator.direction, target, actual)
    score = r.round_item(weight_used, rules) if met else ZERO
    quant = r.QuantResult(score, met, None)
    note = "" if met else f"实际完成时间 {actual} 未达到年度指标值 {target}，记 0 分"
    if weight > r.MAX_WEIGHT:
        note = f"分值超过 {number(r.MAX_WEIGHT)}，记 0 分"
    return IndicatorScore(indicator, weight, score, None, note, weight > r.MAX_WEIGHT, quant, read_as)


def _qualitative(indicator: Indicator, weight: Decimal, rules: ScoringRules) -> IndicatorScore:
    grade, inferred = indicator.grade, False
    if not grade and indicator.score is not None:
        # No published form prints a 等级: the band the score lies in is the grade.
        grade, inferred = r.grade_of_share(indicator.score, weight, rules), True
    if r.band_of(grade, rules) is None or indicator.score is None:
        return IndicatorScore(indicator, weight, Decimal(0), note="缺少定性等级或得分，记 0 分", warning=True)
    score = r.qualitative_score(grade, indicator.score, weight, rules)
    if r.qualitative_in_band(grade, indicator.score, weight, rules):
        return IndicatorScore(indicator, weight, score, qualitative_grade=grade, inferred_grade=inferred)
    return IndicatorScore(indicator, weight, score,
                          note=f"得分 {number(indicator.score)} 不在“{grade}”的分值区间内，"
                               f"按区间边界计 {number(score)}", warning=True,
                          qualitative_grade=grade, inferred_grade=inferred)


def _project(project: Project, indicators: list[Indicator], profile: Profile) -> SubjectScore:
    budget = r.execution_budget(project.total.initial, project.total.adjusted, profile.rules.execution)
    return _subject(PROJECT_KIND, project.code, project.name, budget, project.total.executed,
                    indicators, profile, project.category)


def _subject(kind: str, code: str, name: str, budget: Decimal | None, executed: Decimal | None,
             indicators: list[Indicator], profile: Profile, category: str = "") -> SubjectScore:
    rules = profile.rules
    rate = r.execution_rate(budget, executed)
    execution = ExecutionScore(budget, executed, rate, rules.execution.weight,
                               r.execution_score(rate, rules))
    scored = tuple([score_indicator(i, rules) for i in indicators])
    if rules.execution.scale_indicators:
        scored = _scaled(scored, rules)
    scores = ZERO
    for s in scored:  # as sum() from Decimal(0) adds, in sheet order
        scores = scores + s.score
    total = execution.score + scores
    grade = r.grade_of(total, rules) if scored else None
    return SubjectScore(kind, code, name, execution, scored, _levels(kind, category, scored, profile),
                        total, grade)


def _scaled(scored: tuple[IndicatorScore, ...], rules: ScoringRules) -> tuple[IndicatorScore, ...]:
    """Each score × (100 − execution weight) / Σ weights, rounded per item: the indicator block
    counts for the points the execution rate leaves, whatever its weights add up to."""
    weights = ZERO
    for s in scored:
        if s.weight <= r.MAX_WEIGHT:
            weights = weights + s.weight
    if weights <= 0:
        return scored
    factor = (r.MAX_WEIGHT - rules.execution.weight) / weights
    if factor == 1:
        return scored
    scores = _rounded_parts([s.score * factor for s in scored], rules)
    points = _rounded_parts([s.weight * factor for s in scored], rules)
    # Rounded apart, a full-marks row can come out a step above its 分值 (26.67 of 26.66): the
    # score is held to it, and the total, the sum of the parts, follows.
    return tuple(replace(s, score=min(score, worth), unscaled=s.score, scaled_weight=worth)
                 for s, score, worth in zip(scored, scores, points, strict=True))


def _rounded_parts(exact: list[Decimal], rules: ScoringRules) -> list[Decimal]:
    """Each of ``exact`` rounded as an item. Rounded one by one, the parts may miss the rounded
    whole by a step or two (four rows of 30/20/30/10 at full marks × 80/90 give 80.01): the
    rows rounded furthest the wrong way give the difference back, one step each, so the block
    never exceeds its points and the total still equals the sum of the parts the forms show."""
    rounded = [r.round_item(x, rules) for x in exact]
    step = r.item_step(rules)
    missing = r.round_item(sum(exact, ZERO), rules) - sum(rounded, ZERO)
    if missing:
        sign = 1 if missing > 0 else -1
        order = sorted(range(len(exact)), key=lambda k: sign * (rounded[k] - exact[k]))
        for k in order[: int(abs(missing) / step)]:
            rounded[k] += sign * step
    return rounded


def _levels(kind: str, category: str, scored: tuple[IndicatorScore, ...],
            profile: Profile) -> tuple[LevelScore, ...]:
    defaults = profile.levels_by_name(kind, category)
    # (weight, score) of each level: the profile's levels first, then any other name in
    # first-seen order. One pass, adding in sheet order from 0 as a sum() per level would.
    sums = {name: (ZERO, ZERO, ZERO) for name in defaults}
    for s in scored:
        weight, score, points = sums.get(s.indicator.level1, (ZERO, ZERO, ZERO))
        sums[s.indicator.level1] = (weight + s.weight, score + s.score, points + s.points)
    levels = []
    for name, (weight, score, points) in sums.items():
        default = defaults.get(name)
        levels.append(LevelScore(name, weight, score, Decimal(default.weight) if default else None, points))
    return tuple(levels)
