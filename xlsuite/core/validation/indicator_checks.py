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
from ..scoring.reconcile import Printed, printers, rate_agrees
from ..scoring.targets import typed_period
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
    categories = {p.code: p.category for p in book.projects if p.code and p.category}
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
        category = categories.get(subject, "")
        levels = profile.levels_by_name(kind, category)
        yield from _weights(subject, label, kind, category, indicators, profile)
        for indicator in indicators:
            yield from _levels(subject, kind, indicator, levels, profile)
            yield from _values(subject, indicator, scored[id(indicator)], profile)


def check_printed_execution(book: DepartmentBook, profile: Profile, printed_scores: list[Printed]) -> Iterator[Finding]:
    """Each printed 自评执行率得分 (a project's since v1.1, 部门整体's since v1.2) against the
    engine's, with what explains a difference (``scoring.reconcile``)."""
    names = {p.code: p.name or p.code for p in book.projects}
    for printed in printed_scores:
        if printed.execution and not printed.agrees:
            yield rule("indicator.printed_execution").finding(
                printed.cell, printed.subject, who=_who(printed.subject, names.get(printed.subject, printed.subject)),
                printed=number(printed.printed), profile=profile.name, score=number(printed.engine),
                why=printed.explanation)


def check_printed_form(book: DepartmentBook, profile: Profile, scores: BookScore) -> Iterator[Finding]:
    """What each form prints beside its scores (v1.2; 部门整体's in 部门信息, a project's on its
    row): the 执行率 against the amounts, its 分值 against the profile, the 总分 against the
    engine's total."""
    rules = profile.rules
    budget = c.AMOUNT_COLUMNS[0 if rules.execution.denominator == "initial" else 1].header
    for subject, printer, _ in printers(book, scores):
        if printer is book.info and book.projects_only:
            continue  # 部门整体 is not evaluated: nothing it prints is checked
        who = _who(subject.code, getattr(printer, "name", "") or subject.code)
        execution = subject.execution
        cells = printer.cells
        if printer.printed_rate is not None and execution.rate is not None \
                and not rate_agrees(printer.printed_rate, execution.rate):
            yield rule("indicator.printed_rate").finding(
                cells.get("printed_rate"), subject.code, who=who, budget=budget,
                printed=_rate_text(printer.printed_rate), rate=f"{number(r.round_score(execution.rate * 100, rules))}%")
        if printer.printed_weight is not None and r.round_score(printer.printed_weight, rules) != execution.weight:
            yield rule("indicator.printed_weight").finding(
                cells.get("printed_weight"), subject.code, who=who, printed=number(printer.printed_weight),
                profile=profile.name, weight=number(execution.weight))
        if printer.printed_total is not None and r.round_score(printer.printed_total, rules) != subject.total:
            yield rule("indicator.printed_total").finding(
                cells.get("printed_total"), subject.code, who=who, printed=number(printer.printed_total),
                profile=profile.name, score=number(subject.total))


def _who(subject: str, name: str) -> str:
    """Whose form a finding is about, as its message opens: 部门整体, or 项目“name”."""
    return c.WHOLE_DEPARTMENT if subject == c.WHOLE_DEPARTMENT else f"项目“{name}”"


def _rate_text(printed) -> str:
    """A printed rate as the accountant typed it: 0.862 in a percentage cell is 86.2%."""
    return f"{number(printed * 100)}%" if abs(printed) <= _FRACTIONS_UP_TO else f"{number(printed)}%"


_FRACTIONS_UP_TO = Decimal("1.5")
"""A printed rate up to this is a percentage cell's fraction (1.5 is 150%); above it, the
percent itself typed as a number."""


def _weights(subject, label, kind, category, indicators, profile: Profile) -> Iterator[Finding]:
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
    # A profile that scales the indicator block to the points the execution rate leaves takes
    # weights adding up to anything; only without scaling must they make 100.
    if total != HUNDRED and not rules.execution.scale_indicators:
        yield rule("indicator.weight_total").finding(
            indicators[0].cells.get("weight"), subject, subject_name=label, weights=number(weights),
            execution=number(rules.execution.weight), total=number(total), diff=number(abs(total - HUNDRED)))
    if not rules.fixed_level1_weights:
        return  # the profile fixes no first-level split: any is as good
    for level in profile.levels(kind, category):
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
    found = _nature(subject, i) if i.nature else []
    result = s.quant
    if result is None:  # no number (or date) the engine could score: say which cell lacks one
        read = dict(s.read_as)
        # One finding per field here (unlike qualitative_empty): the template's 校验 formula
        # counts this rule per field, and 校验未通过数 must equal the findings.
        for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
            value = getattr(i, key)
            if key not in read and not isinstance(value, Decimal):
                problem = "未填写" if value is None else f"“{value}”不是数值"
                if isinstance(value, str) and typed_period(value) is not None:
                    problem = f"“{value}”是日期，而另一项不是"
                found.append(rule("indicator.quantitative").finding(
                    i.cells.get(key), subject, level3=i.level3, field=label, problem=problem))
        return found
    read = dict(s.read_as) if s.read_as else {}
    for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
        if key == "actual" and key in read and _compared(i.actual):
            # 「≥266米」 read as 266: the target's wording copied, or the actual not known.
            found.append(rule("indicator.actual_compared").finding(
                i.cells.get(key), subject, level3=i.level3, text=i.actual, value=read[key], unit=i.unit or "无"))
        elif key in read:
            found.append(rule("indicator.value_text").finding(
                i.cells.get(key), subject, level3=i.level3, field=label, text=getattr(i, key),
                value=read[key], unit=i.unit or "无"))
    if result.met and not result.overachieved and i.score is None and s.completion is not None \
            and not _hundredfold(s.completion):
        return found  # nearly every row: met, nothing printed to compare, nothing to word
    target = read.get("target") or number(i.target)
    actual = read.get("actual") or number(i.actual)
    if s.completion is not None and _hundredfold(s.completion) and _percent_unit(i):
        found.append(rule("indicator.percent_scale").finding(
            i.cells.get("actual"), subject, level3=i.level3, target=target, actual=actual,
            score=number(s.score)))
    if result.overachieved:
        deduction = rules.overachievement_deduction
        found.append(rule("indicator.overachieved").finding(
            i.cells.get("actual"), subject, level3=i.level3, actual=actual,
            target=target, percent=number(r.round_score(result.completion * HUNDRED, rules)),
            threshold=number(rules.overachievement * HUNDRED),
            deduction=f"（按评分方案扣减该指标分值的 {number(deduction * HUNDRED)}%）" if deduction else ""))
    if not result.met and not i.deviation:
        detail = f"{i.direction} {target}，实际 {actual}"
        found.append(rule("indicator.deviation").finding(i.cells.get("deviation"), subject,
                                                         level3=i.level3, detail=detail))
    # A 得分 already in the file (typed, or left by an older run or another profile) is never
    # trusted: when it differs from the recomputed score, say so.
    if i.score is not None and r.round_item(i.score, rules) != s.row_score:
        found.append(rule("indicator.cached_score").finding(
            i.cells.get("score"), subject, level3=i.level3, reported=number(i.score),
            profile=profile.name, score=number(s.row_score)))
    return found


def _nature(subject, i: Indicator) -> list[Finding]:
    """指标性质 (v1.1) against 方向: 正向 wants ``≥``, 反向 ``≤``; ``=`` suits either."""
    wanted = c.NATURE_DIRECTIONS.get(i.nature)
    if wanted is None:
        problem = f"无效，应为 {'或'.join(c.NATURE_DIRECTIONS)}"
    elif i.direction in (wanted, c.EQUAL):
        return []
    else:
        problem = f"方向却为“{i.direction}”（{i.nature}指标的方向应为 {wanted}），请核对哪一项填错"
    return [rule("indicator.nature").finding(i.cells.get("nature"), subject, level3=i.level3,
                                             nature=i.nature, problem=problem)]


_PERCENT_UNITS = ("%", "％", "百分比")
_COMPARISONS = ("≥", "≤", ">", "<", "＞", "＜", "≧", "≦", ">=", "<=", "不低于", "不少于", "不超过", "不高于", "大于", "小于")


def _compared(value) -> bool:
    """Whether a value is typed as a comparison (「≥266米」), as a target is, not as a result."""
    return isinstance(value, str) and value.strip().startswith(_COMPARISONS)


_LOW, _HIGH = Decimal("0.005"), Decimal("0.02")


def _hundredfold(ratio: Decimal) -> bool:
    """Whether a completion ratio (actual/target for ≥ and =, target/actual for ≤) is about 100
    or 1/100: a rate typed as 0.9 (a cell formatted as %) beside one typed as 90."""
    return 50 <= ratio <= 200 or _LOW <= ratio <= _HIGH


def _percent_unit(i: Indicator) -> bool:
    return i.unit.strip() in _PERCENT_UNITS or any(
        isinstance(v, str) and "%" in v.replace("％", "%") for v in (i.target, i.actual))


def _qualitative(subject, i: Indicator, s: IndicatorScore, profile: Profile) -> list[Finding]:
    rules = profile.rules
    grade = s.qualitative_grade or i.grade
    band = r.band_of(grade, rules)
    if band is None and (i.grade or i.score is None or _usable(i.weight) <= 0):
        problem = (f"的定性等级“{i.grade}”无效" if i.grade else "未选择定性等级") + \
            f"（应为 {'、'.join(rules.qualitative)}）"
        return [rule("indicator.qualitative_grade").finding(i.cells.get("grade"), subject,
                                                            level3=i.level3, problem=problem)]
    if i.score is None:
        return [rule("indicator.qualitative_grade").finding(i.cells.get("score"), subject,
                                                            level3=i.level3, problem="未填写得分")]
    found = []
    weight = _usable(i.weight)
    if band is None:  # no grade chosen, and the score lies in no band (above the weight, or below 0)
        return [rule("indicator.qualitative_grade").finding(
            i.cells.get("score"), subject, level3=i.level3,
            problem=f"未选择定性等级，得分 {number(i.score)} 也不在任何等级的分值区间内")]
    if s.inferred_grade:
        found.append(rule("indicator.qualitative_inferred").finding(
            i.cells.get("grade"), subject, level3=i.level3, score=number(i.score), weight=number(weight),
            grade=grade))
    # One finding per indicator, naming each empty field: a row with neither filled is one thing
    # to fix, not two (a county's letters were two thirds such pairs).
    empty = [(key, label) for key, label in (("target", "年度指标值"), ("actual", "实际完成值"))
             if getattr(i, key) in (None, "")]
    if empty:
        found.append(rule("indicator.qualitative_empty").finding(
            i.cells.get(empty[0][0]), subject, level3=i.level3, field="和".join(label for _, label in empty),
            score=number(i.score)))
    # The engine scored the row (clamped into its band) and flagged a score out of band.
    if weight > 0 and s.warning:
        high = "]" if band.high >= 1 else ")"
        band_text = (f"[{number(r.round_score(band.low * weight, rules))}, "
                     f"{number(r.round_score(band.high * weight, rules))}{high}")
        found.append(rule("indicator.qualitative_band").finding(
            i.cells.get("score"), subject, level3=i.level3, grade=grade, score=number(i.score),
            band=band_text, weight=number(weight),
            clamped=number(s.score)))
    top = band.high >= 1  # the grade that earns full marks is no shortfall
    if not top and not i.deviation:
        found.append(rule("indicator.deviation").finding(i.cells.get("deviation"), subject,
                                                         level3=i.level3, detail=f"定性等级为“{grade}”"))
    return found


def _usable(weight: Decimal | None) -> Decimal:
    """The weight the score is computed with: 0 when missing or beyond ``MAX_WEIGHT`` (the
    ``indicator.weight`` finding already names the cell), so the later checks stay quiet."""
    return weight if weight is not None and weight <= r.MAX_WEIGHT else Decimal(0)


def _shown(value: Decimal) -> str:
    # 1E+30 typed by a slip would print as 31 digits: scientific notation reads better.
    return number(value) if value.adjusted() < 15 else f"{value:.2E}"
