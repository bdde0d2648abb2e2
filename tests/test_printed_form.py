"""v1.2: the rest of what a printed 项目支出绩效自评表 states of a project — its 执行率, the 分值 of
the execution rate and its 总分 — read from 项目支出 and checked against the amounts, the profile
and the engine, by validation and by the template's 校验 formulas alike."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from conftest import PROFILES
from engine_fixtures import seed_book

from xlsuite.core import contract as c
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring.reconcile import rate_agrees
from xlsuite.core.validation import validate_book
from xlsuite.reader import ENGINES, read_book
from xlsuite.template.build import build_workbook

PRINTED = ("indicator.printed_rate", "indicator.printed_weight", "indicator.printed_total")


def _found(book, profile=None) -> list[tuple[str, str]]:
    return [(f.rule_id, f.message) for f in validate_book(book, profile) if f.rule_id in PRINTED]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_printed_values_are_read_from_their_columns(tmp_path, engine):
    book = seed_book()
    first = book.projects[0]
    first.printed_rate, first.printed_weight, first.printed_total = D("0.862"), D(10), D("99.5")
    path = build_workbook(tmp_path / "v12.xlsx", book)
    read = read_book(path, engine=engine).projects[0]
    assert (read.printed_rate, read.printed_weight, read.printed_total) == (D("0.862"), D(10), D("99.5"))
    assert str(read.cells["printed_total"]).startswith(c.PROJECT_SHEET)
    assert read_book(path, engine=engine).projects[1].printed_rate is None


@pytest.mark.parametrize("printed", [D(1), D(100), D("100.00"), D("0.996"), D("99.6"), D("99.5")])
def test_a_rate_printed_as_the_form_prints_it_agrees(printed):
    # The seed's first project spent its 50 of 50: 100%. A percentage cell holds 1; typed as a
    # number it is 100; a whole-percent form rounds 99.6% up to 100%.
    book = seed_book()
    book.projects[0].printed_rate = printed
    assert _found(book) == []


@pytest.mark.parametrize("printed, shown", [(D("0.9"), "90%"), (D(90), "90%"), (D("99.4"), "99.4%")])
def test_a_rate_the_amounts_do_not_give_is_a_finding(printed, shown):
    book = seed_book()
    book.projects[0].printed_rate = printed
    ((rule_id, message),) = _found(book)
    assert rule_id == "indicator.printed_rate"
    assert f"自评执行率 {shown}" in message and "计算为 100%" in message and "全年预算数" in message


def test_the_rate_is_taken_against_the_budget_the_profile_divides_by():
    book = seed_book()
    project = book.projects[0]
    project.total.initial = D(40)  # 50 spent of 40 at the start of the year: 125%
    project.printed_rate = D("1.25")
    national, initial = None, load_profile(PROFILES / "initial_denominator.toml")
    assert [r for r, _ in _found(book, national)] == ["indicator.printed_rate"]
    assert _found(book, initial) == []
    project.printed_rate = D(1)
    ((_, message),) = _found(book, initial)
    assert "按年初预算数和全年执行数计算为 125%" in message


def test_the_execution_weight_of_another_province_is_a_finding():
    book = seed_book()
    book.projects[0].printed_weight = D(10)
    assert _found(book) == []
    book.projects[0].printed_weight = D(20)
    ((rule_id, message),) = _found(book)
    assert rule_id == "indicator.printed_weight"
    assert "执行率分值 20" in message and "为 10" in message
    assert _found(book, load_profile(PROFILES / "execution20.toml")) == []


def test_a_printed_total_other_than_the_engines_is_a_finding():
    book = seed_book()
    book.projects[2].printed_total = D(98)  # the engine's 98.00
    assert _found(book) == []
    book.projects[2].printed_total = D(100)
    ((rule_id, message),) = _found(book)
    assert rule_id == "indicator.printed_total"
    assert "自评总分 100" in message and "计算为 98" in message


def test_rate_agreement_reads_the_nearer_of_fraction_and_percent():
    assert rate_agrees(D("0.86"), D("0.862")) and rate_agrees(D(86), D("0.862"))
    assert rate_agrees(D("0.867"), D("0.862")) and not rate_agrees(D("0.8671"), D("0.862"))
    assert not rate_agrees(D("0.5"), D("0.862")) and not rate_agrees(D(50), D("0.862"))


# --- 部门整体: the same four figures in 部门信息 --------------------------------------------------

@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_departments_printed_values_are_read_from_its_lines(tmp_path, engine):
    book = seed_book()
    info = book.info
    info.printed_execution, info.printed_rate, info.printed_weight, info.printed_total = D(10), D("0.99"), D(10), D(98)
    path = build_workbook(tmp_path / "v12.xlsx", book)
    read = read_book(path, engine=engine).info
    assert (read.printed_execution, read.printed_rate, read.printed_weight, read.printed_total) == (
        D(10), D("0.99"), D(10), D(98))
    assert str(read.cells["printed_total"]).startswith(c.INFO_SHEET)


def test_the_departments_printed_values_are_checked_as_a_projects_are():
    # The seed department spent 581.67 of 581.67 万元 (100%): 10 points; it scores 92.75.
    book = seed_book()
    info = book.info
    info.printed_execution, info.printed_rate, info.printed_weight, info.printed_total = D(10), D(1), D(10), D("92.75")
    assert _found(book) == [] and not [f for f in validate_book(book) if f.rule_id == "indicator.printed_execution"]
    info.printed_execution, info.printed_rate, info.printed_weight, info.printed_total = D(9), D("0.9"), D(20), D(98)
    found = {f.rule_id: f.message for f in validate_book(book)
             if f.rule_id in (*PRINTED, "indicator.printed_execution") and f.subject == c.WHOLE_DEPARTMENT}
    assert set(found) == {*PRINTED, "indicator.printed_execution"}
    assert found["indicator.printed_total"].startswith("部门整体的自评总分 98，") and "计算为 92.75" in found["indicator.printed_total"]
    assert found["indicator.printed_rate"].startswith("部门整体的自评执行率 90%")
    assert found["indicator.printed_execution"].startswith("部门整体的自评执行率得分 9，")


def test_a_book_of_projects_only_checks_nothing_the_department_prints():
    book = seed_book()
    book.info.scope = c.SCOPE_PROJECTS
    book.info.printed_total, book.info.printed_execution = D(50), D(3)
    assert not [f for f in validate_book(book) if f.subject == c.WHOLE_DEPARTMENT
                and f.rule_id in (*PRINTED, "indicator.printed_execution")]
