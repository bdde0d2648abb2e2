"""The checks of issue 27 that hold an indicator or a goal to the rest of the book: each stays quiet
on what real forms legitimately write (the broken cases are in ``test_validation.BROKEN``)."""

from __future__ import annotations

import pytest
from engine_fixtures import D, seed_book

from xlsuite.core.validation import validate_book

NEW_RULES = ("indicator.actual_compared", "indicator.cost_over_spent", "indicator.execution_twice",
             "indicator.level2_time", "indicator.degenerate_target", "plausibility.goal_sum")


def _set(index, **changes):
    def mutate(book):
        for name, value in changes.items():
            setattr(book.indicators[index], name, value)
    return mutate


def _goal(text):
    def mutate(book):
        book.projects[0].goal_expected = text
    return mutate


CLEAN = [
    # a cost in 元 within what was spent (1.7 of 17.00 万元), and one exactly at it (the seed)
    ("cost in 元", _set(17, actual=D(17000), unit="元")),
    # a comparison in the target is how targets are written
    ("target ≥", _set(16, target="≥80吨")),
    # an actual in words with a number is a 提示 of its own, not a comparison
    ("actual with unit", _set(16, actual="85吨")),
    # a deadline under 时效指标, and a count under 数量指标
    ("deadline under 时效", _set(13, target="2021年12月底前")),
    # ≥100% of a 合格率 is a zero-tolerance requirement, as the seed writes it; 增长率 may exceed 100
    ("合格率 ≥100%", _set(4, target=D(100))),
    ("增长率 ≥120%", _set(6, target=D(120), level3="规模以上工业增加值增长率")),
    # an indicator about execution named otherwise
    ("项目执行进度", _set(0, level3="项目实施进度")),
    # sums that add up, and text with no explicit sum
    ("sum adds up", _goal("奖补资金30+20=50万元，用于两家企业")),
    ("no sum", _goal("2021-2023年新增企业10家，其中规上企业6家")),
]


@pytest.mark.parametrize("mutate", [m for _, m in CLEAN], ids=[n for n, _ in CLEAN])
def test_what_real_forms_write_gets_none_of_the_new_findings(mutate):
    book = seed_book()
    mutate(book)
    assert [f for f in validate_book(book) if f.rule_id in NEW_RULES] == []


def test_the_seed_gets_none_of_them():
    assert [f for f in validate_book(seed_book()) if f.rule_id in NEW_RULES] == []
