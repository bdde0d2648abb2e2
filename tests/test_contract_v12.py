"""Contract v1.2: 部门信息 states the notice, the offices and the people by kind, and the sheet
主要工作 holds the year's main work by theme (the report's use of them: test_report_basic_info).
v1.0 and v1.1 books, which have none of them, read as before."""

from __future__ import annotations

import pytest
from book_parts import V10_SAMPLE, V11_SAMPLE, open_book
from conftest import SAMPLE

from xlsuite.core import contract as c
from xlsuite.core.validation import ERROR, validate_book
from xlsuite.reader import ENGINES, read_book
from xlsuite.template.sample import load_sample, sample_data_files

SEED_THEMES = ("工业经济稳中有进", "动能培育加快推进", "企业发展环境持续改善", "信息化建设大步前进",
               "绿色发展水平不断提升", "安全形势保持稳定", "疫情防控能力不断增强")
"""The seven subsections of the seed report's 二（三）, in its order."""


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_sample_reads_back_its_v12_fields_on_both_engines(engine):
    # Written by the template builder from the sample's data file, read by each engine: every
    # v1.2 line and every 主要工作 row as the data file gives it.
    data, _ = load_sample(sample_data_files()[0])
    book = read_book(SAMPLE, engine=engine)
    assert book.template_version == c.TEMPLATE_VERSION == c.V12
    for f in c.V12_INFO_FIELDS:
        assert getattr(book.info, f.key) == getattr(data.info, f.key), f.label
    assert [(w.theme, w.content) for w in book.work] == [(w.theme, w.content) for w in data.work]
    assert [w.theme for w in book.work] == list(SEED_THEMES)
    assert (book.info.staff_admin, book.info.staff_institution, book.info.staff_worker) == (11, 6, 1)
    assert str(book.work[0].cells["theme"]) == f"{c.WORK_SHEET}!A3"


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("old", [V10_SAMPLE, V11_SAMPLE], ids=["v1.0", "v1.1"])
def test_older_books_read_with_the_v12_fields_empty(engine, old):
    book = read_book(old, engine=engine)
    assert book.template_version in (c.V10, c.V11)
    assert book.work == []
    assert all(getattr(book.info, f.key) in (None, "") for f in c.V12_INFO_FIELDS)
    # … and everything they do hold is what the v1.2 sample holds too.
    new = read_book(SAMPLE, engine=engine)
    assert (book.info.unit_name, book.info.staff_authorized, book.info.staff_actual) == \
        (new.info.unit_name, new.info.staff_authorized, new.info.staff_actual)


def test_a_negative_count_is_an_error_that_names_the_line(tmp_path):
    wb = open_book(SAMPLE)
    ws = wb[c.INFO_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "退休人员数")
    ws.cell(row, 2, -17)
    wb.save(tmp_path / "negative.xlsx")
    found = [f for f in validate_book(read_book(tmp_path / "negative.xlsx")) if f.rule_id == "plausibility.count"]
    assert [(f.severity, str(f.cell), f.message) for f in found] == [
        (ERROR, f"{c.INFO_SHEET}!B{row}", "部门信息的“退休人员数”为 -17，人数和机构数不能为负数，请填写实际数")]
    assert not [f for f in validate_book(read_book(SAMPLE)) if f.rule_id == "plausibility.count"]


def test_a_work_row_without_its_theme_is_pointed_out(tmp_path):
    wb = open_book(SAMPLE)
    wb[c.WORK_SHEET]["A4"] = None
    wb.save(tmp_path / "no-theme.xlsx")
    found = [f for f in validate_book(read_book(tmp_path / "no-theme.xlsx")) if f.rule_id == "plausibility.required"]
    assert [str(f.cell) for f in found] == [f"{c.WORK_SHEET}!A4"]
    assert "“工作主题”为必填项" in found[0].message


def test_read_counts_the_main_work(capsys):
    from xlsuite.cli import main

    assert main(["read", str(SAMPLE)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("问题与措施 4 条，主要工作 7 项")
    assert main(["read", str(V11_SAMPLE)]) == 0
    assert "主要工作" not in capsys.readouterr().out


def test_kinds_short_of_their_total_are_no_contradiction_until_every_kind_is_given():
    from engine_fixtures import seed_book

    def staff_sums(book) -> list[str]:
        return [f.message for f in validate_book(book) if f.rule_id == "plausibility.staff_sum"]

    book = seed_book()
    assert staff_sums(book) == []  # 11 + 6 + 1 = 18, 10 + 6 + 2 + 1 = 19
    book.info.staff_worker = None  # 工勤编制 unstated: 17 of 18 is no contradiction
    assert staff_sums(book) == []
    book.info.staff_admin = 13  # but 19 of 18 is
    assert staff_sums(book) == ["部门信息的“编制人数”为 18，而行政编制数、事业编制数之和为 19，请核实"]
