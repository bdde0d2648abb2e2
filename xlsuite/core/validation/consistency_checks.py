"""Checks that what an indicator or a goal says agrees with the rest of the book: a cost above
what was spent, budget execution scored twice, a time target filed under another 二级, a share
that cannot reach its target, sums in the goal text that do not add up.

Each is conservative: it speaks only where the book states the contradiction itself, since a
绩效股 stops trusting a checker that cries wolf.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from .. import contract as c
from ..amounts import LineAmounts, money, number
from ..model import DepartmentBook, Indicator
from ..profile import Profile
from ..scoring.engine import DEPARTMENT_KIND, PROJECT_KIND
from ..scoring.reconcile import EXECUTION
from ..scoring.targets import typed_period
from .catalogue import rule
from .findings import Finding
from .indicator_checks import subject_name

HUNDRED = Decimal(100)
COST = "成本"
"""What a 二级 name holds when its indicators are costs (成本指标, or a province's 经济成本指标)."""
TIMELINESS = "时效指标"
COST_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}
"""Units a cost is given in, with what one of them is in 万元."""
SHARES = ("满意度", "满意率", "合格率", "覆盖率", "达标率", "知晓率", "通过率", "准确率", "到位率")
"""Names of rates that are shares of a whole (of people, samples, items) and so cannot exceed
100%. Rates that can (增长率, 完成率 of a task done twice over) are left out."""
SURVEY = "满意度"
"""A survey's share: 「≥100%」 asks every respondent to be satisfied, which no honest target does."""
TIME_WORDS = re.compile(r"按时|及时完成|按期|[年月]底前|\d+\s*日前|\d+\s*月前")
"""A target worded as a deadline (按时完成, 年底前, 6月30日前)."""
_NUMBER = r"\d+(?:\.\d+)?"
_UNIT = r"(?:万元|亿元|元|万|个|家|人|项|台|条|吨|户|次|米|公里|亩)?"
SUM = re.compile(rf"({_NUMBER}){_UNIT}(?:\s*[+＋]\s*{_NUMBER}{_UNIT})+\s*[=＝]\s*({_NUMBER}){_UNIT}")
"""An explicit sum in a goal text: 「30+20=50万元」; nothing looser (共…其中…) is read as one."""


def check_consistency(book: DepartmentBook, profile: Profile, amounts: dict[str, LineAmounts]) -> Iterator[Finding]:
    names = {p.code: p.name for p in book.projects if p.code}
    # A code listed twice has no one amount spent (plausibility.duplicate_project says so).
    listed = Counter(p.code for p in book.projects)
    spent = {p.code: p.total.executed for p in book.projects if p.code and listed[p.code] == 1}
    spent[c.WHOLE_DEPARTMENT] = amounts[c.STRUCTURE_TOTAL][2]
    execution = profile.rules.execution.weight
    for i in book.indicators:
        if not i.subject or (i.subject != c.WHOLE_DEPARTMENT and i.subject not in names):
            continue  # reported as an empty field or an unknown subject
        label = subject_name(i.subject, names)
        yield from _cost(i, label, spent.get(i.subject))
        if execution > 0 and EXECUTION in i.level3:
            yield rule("indicator.execution_twice").finding(
                i.cells.get("level3"), i.subject, level3=i.level3, subject_name=label, weight=number(execution))
        yield from _timeliness(i, profile)
        yield from _share(i)
    yield from _goal_sums(book)


def _cost(i: Indicator, label: str, executed: Decimal | None) -> list[Finding]:
    scale = COST_UNITS.get(i.unit.strip())
    if (COST not in i.level2 or scale is None or executed is None or executed <= 0
            or not isinstance(i.actual, Decimal)):
        return []
    cost = i.actual * scale
    if cost <= executed:
        return []
    return [rule("indicator.cost_over_spent").finding(
        i.cells.get("actual"), i.subject, level3=i.level3, actual=f"{number(i.actual)} {i.unit.strip()}",
        subject_name=label, executed=money(executed), diff=money(cost - executed))]


def _timeliness(i: Indicator, profile: Profile) -> list[Finding]:
    # Only where the profile offers a 时效指标 beside the 二级 chosen, in the same 一级.
    if not i.level2 or i.level2 == TIMELINESS or COST in i.level2:
        return []
    kind = DEPARTMENT_KIND if i.subject == c.WHOLE_DEPARTMENT else PROJECT_KIND
    level = profile.levels_by_name(kind).get(i.level1)
    if level is None or TIMELINESS not in level.level2 or i.level2 not in level.level2:
        return []
    target = i.target
    if isinstance(target, str) and (typed_period(target) is not None or TIME_WORDS.search(target)):
        return [rule("indicator.level2_time").finding(i.cells.get("level2"), i.subject, level3=i.level3,
                                                     target=target, level2=i.level2)]
    return []


def _share(i: Indicator) -> list[Finding]:
    target = i.target
    if i.direction != c.AT_LEAST or not isinstance(target, Decimal) or target < HUNDRED:
        return []
    if i.unit.strip() not in ("%", "％") or not any(word in i.level3 for word in SHARES):
        return []
    if target > HUNDRED:
        problem = f"超过 100%，{i.level3}不可能达到"
    elif SURVEY in i.level3:
        problem = "即要求每一位被调查者都满意，目标无法区分完成好坏"
    else:
        return []  # ≥100% of a 合格率: a zero-tolerance requirement, written so in practice
    return [rule("indicator.degenerate_target").finding(i.cells.get("target"), i.subject, level3=i.level3,
                                                       target=number(target), problem=problem)]


def _goal_sums(book: DepartmentBook) -> Iterator[Finding]:
    texts = [(book.info, key, c.info_field(key).label, c.WHOLE_DEPARTMENT) for key in ("goal_expected", "goal_actual")]
    for p in book.projects:
        texts += [(p, key, f"项目“{p.name or p.code}”的{c.PROJECT_SHEET_DEF.column(key).header}", p.code)
                  for key in ("goal_expected", "goal_actual")]
    for record, key, where, subject in texts:
        text = getattr(record, key) or ""
        if "=" not in text and "＝" not in text:
            continue
        for m in SUM.finditer(text):
            parts = [Decimal(n) for n in re.findall(_NUMBER, m[0].split("=")[0].split("＝")[0])]
            try:
                stated = Decimal(m[2])
            except InvalidOperation:
                continue
            total = sum(parts, Decimal(0))
            if total != stated:
                yield rule("plausibility.goal_sum").finding(
                    record.cells.get(key), subject, where=where, text=m[0], parts="+".join(map(number, parts)),
                    total=number(total), stated=number(stated))
