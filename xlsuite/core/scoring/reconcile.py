"""The scoring report: every score the book itself prints beside the engine's, and what explains
a difference.

Published forms arrive with their scores typed in (an indicator's 得分, a project's 自评执行率得分).
The engine never trusts them, but a difference is worth explaining: often the form was scored
by a neighbouring rule (whole points, the other ``≤`` formula, 年初预算数 as the denominator), and
saying which one turns "your score is wrong" into "your form follows rule X; this profile says Y".
Pure: the book, its scores and the profile in, plain records out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .. import contract as c
from ..amounts import line_amount, number
from ..model import Amounts, CellRef, DepartmentBook, DepartmentInfo, Project
from ..profile import Profile, ScoringRules
from . import rules as r
from .engine import BookScore, IndicatorScore, SubjectScore, score_indicator


@dataclass(frozen=True)
class Printed:
    """One score the book prints, beside the engine's.

    Attributes:
        subject: 部门整体 or the 项目编码.
        what: what the score is of (the indicator's 三级指标, or 预算执行率).
        cell: where the book prints it.
        printed: the book's score.
        engine: the engine's score for the same item.
        explanation: why they differ, in Chinese ("" when they agree).
        execution: whether this is a project's printed 自评执行率得分. ``what`` cannot say so:
            some provinces also list budget execution as an indicator named 预算执行率, whose
            得分 is an indicator's, not the execution score.
    """

    subject: str
    what: str
    cell: CellRef | None
    printed: Decimal
    engine: Decimal
    explanation: str = ""
    execution: bool = False

    @property
    def agrees(self) -> bool:
        return self.explanation == ""


EXECUTION = "预算执行率"

RATE_TOLERANCE = Decimal("0.005")
"""How far a printed 执行率 may lie from the computed one and still agree: half of the last
digit of a whole-percent rate (86% for 86.2%)."""


def rate_agrees(printed: Decimal, rate: Decimal) -> bool:
    """Whether a printed 执行率 states ``rate``, read as the nearer of a percentage cell's
    fraction (0.86) and the percent typed as a number (86). The template's formula compares
    alike, to six places, so both round the same difference the same way."""
    off = min(abs(printed - rate), abs(printed / 100 - rate))
    return off.quantize(Decimal("0.000001")) <= RATE_TOLERANCE


@dataclass(frozen=True)
class PrintedTotal:
    """A subject's total as the book prints it (every indicator's 得分 plus the execution score)
    beside the engine's: what the department reports (实得98分) against what the profile gives.

    Attributes:
        subject: 部门整体 or the 项目编码.
        printed: the printed indicator scores plus the execution score (the printed one if the
            book gives it, else the engine's: a form computes it from the amounts).
        indicators: the printed indicator scores alone.
        execution: the execution score counted in ``printed``.
        engine: the engine's total.
        differing: the printed scores of this subject that differ, each with its reason.
    """

    subject: str
    printed: Decimal
    indicators: Decimal
    execution: Decimal
    engine: Decimal
    differing: tuple[Printed, ...]

    @property
    def agrees(self) -> bool:
        return self.printed == self.engine

    def sentence(self, names: dict[str, str] | None = None) -> str:
        """One clause, no full stop: the two totals and where the difference comes from."""
        who = self.subject if self.subject == c.WHOLE_DEPARTMENT else f"项目 {self.subject} {(names or {}).get(self.subject, '')}".rstrip()
        head = (f"{who}文件中的得分合计 {number(self.printed)} 分（指标得分 {number(self.indicators)} + "
                f"{EXECUTION}得分 {number(self.execution)}），按评分方案重新计算为 {number(self.engine)} 分")
        if self.agrees:
            return head + "，一致"
        diff = abs(self.printed - self.engine)
        items = "；".join(f"“{p.what}”文件 {number(p.printed)} 分、重新计算 {number(p.engine)} 分（{p.explanation}）"
                         for p in self.differing)
        return head + f"，相差 {number(diff)} 分" + (f"，来自 {len(self.differing)} 项：{items}" if items else "")


def printed_totals(book: DepartmentBook, scores: BookScore, profile: Profile,
                   printed: list[Printed] | None = None) -> list[PrintedTotal]:
    """The printed total of every subject whose indicators all carry a printed 得分 (a total of
    some printed scores is no total the book states), in sheet order. ``printed`` is
    ``printed_scores``'s result when the caller has it already."""
    printed = printed_scores(book, scores, profile) if printed is None else printed
    out = []
    for subject, printer, _ in printers(book, scores):
        given = [s.indicator.score for s in subject.indicators]
        if not given or any(g is None for g in given):
            continue
        indicators = sum(given, Decimal(0))
        own = printer.printed_execution
        execution = own if own is not None else subject.execution.score
        differing = tuple(p for p in printed if p.subject == subject.code and not p.agrees)
        out.append(PrintedTotal(subject.code, indicators + execution, indicators, execution,
                                subject.total, differing))
    return out


def summary(printed: list[Printed], profile_name: str) -> str:
    """How the book's own scores compare, one clause with no full stop: what ``xlsuite score``
    prints and the 得分核对 sheet heads."""
    differ = sum(1 for p in printed if not p.agrees)
    if not printed:
        return "工作簿中没有已填写的得分"
    return (f"工作簿中已填得分 {len(printed)} 项，按评分方案“{profile_name}”重新计算，"
            f"一致 {len(printed) - differ} 项，不一致 {differ} 项")


def printed_scores(book: DepartmentBook, scores: BookScore, profile: Profile) -> list[Printed]:
    """Every indicator 得分 and project 自评执行率得分 the book carries, in sheet order, each with the
    engine's score and, where they differ, the rule that explains it."""
    rules = profile.rules
    out: list[Printed] = []
    # ``scores.projects`` holds one score per row of 项目支出, in order: each printed score is
    # held to its own row's (two rows of one 项目编码 are two projects here, as on the sheet).
    for subject, printer, total in printers(book, scores):
        if printer.printed_execution is not None and not (printer is book.info and book.projects_only):
            out.append(_execution(subject, printer.printed_execution, printer.cells.get("printed_execution"),
                                  total, rules))
        for s in subject.indicators:
            if s.indicator.score is not None:
                out.append(_indicator(subject.code, s, rules))
    return out


def _indicator(subject: str, s: IndicatorScore, rules: ScoringRules) -> Printed:
    i = s.indicator
    printed, engine = i.score, s.row_score
    cell = i.cells.get("score")
    if r.round_item(printed, rules) == engine:
        return Printed(subject, i.level3, cell, printed, engine)
    if i.direction == c.QUALITATIVE:
        why = s.note or "定性指标按所填得分计分"
        return Printed(subject, i.level3, cell, printed, engine, why)
    # A variant explains the printed score only if the score is one it can give at all: 7.5 is
    # no whole point, however near 7.71 rounds to 8.
    found = [label for label, variant in _variants(rules)
             if r.round_item(printed, variant) == r.round_item(printed, rules)
             and score_indicator(i, variant).row_score == r.round_item(printed, variant)]
    own = s.note or ("已完成目标，得满分" if s.quant is not None and s.quant.met else "")
    if s.quant is not None and not s.quant.met and s.completion is not None:
        # The usual difference: the form gave a partly met indicator a judged score, the rule
        # gives the weight in proportion to completion. Say the rule with its numbers.
        own += f"，未完成目标按完成比例计分：{number(s.weight)} × {number(r.round_score(s.completion * 100, rules))}% = {number(engine)}"
    return Printed(subject, i.level3, cell, printed, engine, _explain(own, found))


def printers(book: DepartmentBook, scores: BookScore) -> list[tuple[SubjectScore, DepartmentInfo | Project, Amounts]]:
    """Each evaluated subject with what prints its form's own figures (部门信息 for 部门整体, a
    project's row for a project: both have ``printed_execution``, ``printed_rate``,
    ``printed_weight``, ``printed_total`` and ``cells``) and the amounts its execution rate divides:
    部门整体 first, then every project in sheet order."""
    department = Amounts(*(line_amount(book, c.STRUCTURE_TOTAL, col.key) for col in c.AMOUNT_COLUMNS))
    return [(scores.department, book.info, department),
            *((s, p, p.total) for s, p in zip(scores.projects, book.projects, strict=True))]


def _execution(subject: SubjectScore, printed: Decimal, cell, total: Amounts, rules: ScoringRules) -> Printed:
    engine = subject.execution.score
    if r.round_item(printed, rules) == engine:
        return Printed(subject.code, EXECUTION, cell, printed, engine, execution=True)
    found = []
    for label, variant in (*_variants(rules), *_execution_variants(rules)):
        budget = r.execution_budget(total.initial, total.adjusted, variant.execution)
        rate = r.execution_rate(budget, total.executed)
        if r.execution_score(rate, variant) == r.round_item(printed, variant):
            found.append(label)
    rate = subject.execution.rate
    own = (f"执行率 {number(r.round_score(rate * 100, rules))}%，按评分方案计 {number(engine)} 分"
           if rate is not None else "无预算数，执行率记 0 分")
    return Printed(subject.code, EXECUTION, cell, printed, engine, _explain(own, found), execution=True)


def _explain(own: str, found: list[str]) -> str:
    text = own or "按评分方案重新计算"
    if found:
        text += "；文件得分与“" + "”或“".join(found) + "”一致"
    return text


def _variants(rules: ScoringRules) -> tuple[tuple[str, ScoringRules], ...]:
    """Neighbouring rules a form is often scored by, each a label and the rules changed so."""
    out = []
    if rules.item_places != 0:
        out.append(("每项取整数分", replace(rules, item_places=0)))
    other = "linear" if rules.le_formula == "ratio" else "ratio"
    label = "“≤”指标按 (1 − 超出比例) × 分值" if other == "linear" else "“≤”指标按 目标值/实际值 × 分值"
    out.append((label, replace(rules, le_formula=other)))
    if rules.overachievement_deduction:
        out.append(("超额完成不扣分", replace(rules, overachievement_deduction=Decimal(0))))
    return tuple(out)


def _execution_variants(rules: ScoringRules) -> tuple[tuple[str, ScoringRules], ...]:
    ex = rules.execution
    out = []
    other = "initial" if ex.denominator == "adjusted" else "adjusted"
    out.append(("执行率以年初预算数为分母" if other == "initial" else "执行率以全年预算数为分母",
                replace(rules, execution=replace(ex, denominator=other))))
    if ex.method != "capped":
        out.append(("执行率得分 = 执行率 × 分值（封顶）", replace(rules, execution=replace(ex, method="capped"))))
    if ex.method != "linear":
        out.append(("超支与结余同样扣分", replace(rules, execution=replace(ex, method="linear"))))
    return tuple(out)
