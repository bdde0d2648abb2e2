"""A model written into a fresh template (by openpyxl, as another program would) reads back equal,
however the tables are laid out: rows inserted mid-table, columns reordered or hidden."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from book_parts import open_book
from fill import fill_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlsuite.core import contract as c
from xlsuite.core.model import (
    Amounts,
    BudgetLine,
    DepartmentBook,
    DepartmentInfo,
    Indicator,
    Problem,
    Project,
    WorkItem,
)
from xlsuite.reader import ENGINES, read_book

# Text as accountants type it: Chinese, digits, punctuation, and the odd leading "=" or "@".
_alphabet = st.sampled_from(list("预算绩效自评项目资金单位局县股中心（）《》、，。%-_ ABCxyz0123456789=@+"))
text = st.text(_alphabet, min_size=1, max_size=24).map(str.strip).filter(bool)
optional_text = st.one_of(st.just(""), text)
money = st.one_of(st.none(), st.integers(-10**9, 10**9).map(lambda n: Decimal(n) / 100))
non_numeric = text.filter(lambda s: not any(ch.isdigit() for ch in s))


@st.composite
def amounts(draw):
    return Amounts(draw(money), draw(money), draw(money))


def _info_value(kind: str):
    if kind == "int":
        return st.one_of(st.none(), st.integers(0, 5000))
    if kind in ("number", "percent"):
        return st.one_of(st.none(), money)
    return optional_text


@st.composite
def books(draw):
    info = DepartmentInfo(
        year=draw(st.one_of(st.none(), st.integers(2000, 2100))),
        unit_code=draw(optional_text), unit_name=draw(text), supervisor=draw(optional_text),
        unit_type=draw(st.sampled_from(("",) + c.UNIT_TYPES)),
        staff_authorized=draw(st.one_of(st.none(), st.integers(0, 5000))),
        staff_actual=draw(st.one_of(st.none(), st.integers(0, 5000))),
        functions=draw(optional_text), goal_expected=draw(optional_text),
        goal_actual=draw(optional_text), contact=draw(optional_text), phone=draw(optional_text),
        filled_date=draw(optional_text), scope=draw(st.sampled_from(("",) + c.SCOPES)),
        # v1.2's lines: every count, number and text alike.
        **{f.key: draw(_info_value(f.kind)) for f in c.V12_INFO_FIELDS})
    budget = {}
    for row in c.budget_rows():
        line = BudgetLine(row.key)
        if not row.is_total:
            line.amounts = draw(amounts())
            line.note = draw(st.one_of(st.just(""), text))
        budget[row.key] = line
    projects = draw(st.lists(st.builds(
        Project, code=text.map(lambda s: "P" + s), name=text, supervisor=optional_text,
        implementer=optional_text, total=amounts(), fiscal=amounts(), carryover=amounts(),
        other=amounts(), goal_expected=optional_text, goal_actual=optional_text,
        category=optional_text, printed_execution=money), max_size=5))
    value = st.one_of(st.none(), money.filter(lambda v: v is not None), non_numeric)
    indicators = draw(st.lists(st.builds(
        Indicator, subject=text, level1=text, level2=text, level3=text,
        direction=st.sampled_from(c.DIRECTIONS), target=value, unit=optional_text, actual=value,
        grade=st.sampled_from(("",) + c.QUALITATIVE_GRADES),
        weight=money, score=money, deviation=optional_text,
        nature=st.sampled_from(("", c.POSITIVE, c.NEGATIVE))), max_size=6))
    problems = draw(st.lists(st.builds(Problem, problem=text, measure=optional_text), max_size=3))
    work = draw(st.lists(st.builds(WorkItem, theme=text, content=optional_text), max_size=3))
    return DepartmentBook(info=info, budget=budget, projects=projects, indicators=indicators,
                          problems=problems, work=work, template_version=c.TEMPLATE_VERSION)


def _input_lines(book: DepartmentBook) -> dict:
    # Totals are formulas that openpyxl cannot calculate: compare what was typed.
    return {k: v for k, v in book.budget.items() if not c.budget_row(k).is_total}


def _same(read: DepartmentBook, written: DepartmentBook) -> None:
    assert read.info == written.info
    assert _input_lines(read) == _input_lines(written)
    assert read.projects == written.projects
    assert read.indicators == written.indicators
    assert read.problems == written.problems
    assert read.work == written.work
    assert read.template_version == written.template_version


@pytest.mark.parametrize(("layout", "engine"), [  # the fast tier: the plain layout on the default engine
    pytest.param(layout, engine, marks=() if (layout, engine) == ("plain", "calamine") else pytest.mark.slow)
    for layout in ("plain", "inserted_rows", "reordered_columns", "hidden_column") for engine in sorted(ENGINES)])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(book=books(), seed=st.integers(0, 10**6))
def test_round_trip(tmp_path, template_path, engine, layout, book, seed):
    out = tmp_path / f"rt-{engine}-{layout}.xlsx"
    fill_template(template_path, book, out, insert_rows=layout == "inserted_rows",
                  shuffle_columns=random.Random(seed) if layout == "reordered_columns" else None,
                  hide_columns=layout == "hidden_column")
    _same(read_book(out, engine=engine), book)


def test_cells_follow_moved_columns(tmp_path, template_path):
    book = DepartmentBook(budget={r.key: BudgetLine(r.key) for r in c.budget_rows()},
                          problems=[Problem("问题一", "措施一")],
                          indicators=[Indicator("部门整体", "产出指标", "数量指标", "x", "≥", Decimal(1),
                                                "个", Decimal(2), "", Decimal(10))])
    out = fill_template(template_path, book, tmp_path / "moved.xlsx", insert_rows=True,
                        shuffle_columns=random.Random(3), hide_columns=True)
    read = read_book(out)

    ws = open_book(out)[c.INDICATOR_SHEET]
    ref = read.indicators[0].cells["actual"]
    assert ws.cell(ref.row + 1, ref.col + 1).value == 2
    assert ws.cell(2, ref.col + 1).value == "实际完成值"
