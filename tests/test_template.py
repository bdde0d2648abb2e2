"""The template: built from the contract, committed as built, and usable by an accountant."""

from __future__ import annotations

import openpyxl
import pytest
from book_parts import open_book
from conftest import PROFILES, SAMPLE, TEMPLATES
from packages import package_parts

from xlsuite.core import contract as c
from xlsuite.core.profile import load_profile


@pytest.mark.parametrize("name", ["预算绩效自评模板.xlsx", "samples/永昌县工信局-2021.xlsx"])
def test_committed_workbooks_equal_what_the_builder_makes(built_dir, name):
    committed, built = package_parts(TEMPLATES / name), package_parts(built_dir / name)
    assert committed.keys() == built.keys()
    for part in committed:
        assert committed[part] == built[part], f"{name}:{part} is stale: run `xlsuite template`"


@pytest.fixture(scope="module")
def wb(template_path):
    return open_book(template_path)


def test_sheets_in_contract_order_with_hidden_meta(wb):
    assert wb.sheetnames == [c.README_SHEET, c.SUMMARY_SHEET, c.INFO_SHEET, c.BUDGET_SHEET, c.PROJECT_SHEET,
                             c.INDICATOR_SHEET, c.PROBLEM_SHEET, c.WORK_SHEET, c.META_SHEET, c.LISTS_SHEET]
    assert wb[c.META_SHEET].sheet_state == "hidden"
    assert wb[c.LISTS_SHEET].sheet_state == "hidden"
    meta = {row[0]: row[1] for row in wb[c.META_SHEET].iter_rows(values_only=True)}
    assert meta[c.META_VERSION_KEY] == c.TEMPLATE_VERSION


def _validations(ws) -> dict[str, object]:
    return {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}


def test_indicator_dropdowns(wb):
    ws = wb[c.INDICATOR_SHEET]
    headers = {cell.value: cell.column_letter for cell in ws[2]}
    dvs = _validations(ws)
    assert dvs[headers["方向"]].formula1 == '"≥,≤,=,定性"'
    assert dvs[headers["定性等级"]].formula1 == '"达成,部分达成,未达成"'
    assert dvs[headers["一级指标"]].formula1.startswith(f"'{c.LISTS_SHEET}'!$A$2")
    second = dvs[headers["二级指标"]]
    # 二级 follows the row's own 一级 cell
    assert f"MATCH(${headers['一级指标']}3" in second.formula1
    assert str(second.sqref) == f"{headers['二级指标']}3:{headers['二级指标']}{2 + c.INDICATOR_SHEET_DEF.capacity}"


def test_the_v11_lines_and_columns_are_ordinary_inputs(wb):
    # 填报范围 is a line of 部门信息 with its dropdown; 项目类别, 自评执行率得分 and 指标性质 are
    # input columns, left of the computed ones, as wide as the contract says, with their dropdown.
    ws = wb[c.INFO_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "填报范围")
    assert ws.cell(row, 2).value is None  # empty: the full scope
    assert not _column_style(ws, "B").protection.locked
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs[f"B{row}"].formula1 == '"部门整体和项目,仅项目"'
    for sheet, keys in ((c.PROJECT_SHEET_DEF, ("category", "printed_execution")),
                        (c.INDICATOR_SHEET_DEF, ("nature",))):
        ws = wb[sheet.name]
        headers = {cell.value: cell.column_letter for cell in ws[2] if cell.value}
        computed = min(openpyxl.utils.column_index_from_string(headers[col.header]) for col in sheet.computed)
        for key in keys:
            col = sheet.column(key)
            letter = headers[col.header]
            assert openpyxl.utils.column_index_from_string(letter) < computed, key
            style = _column_style(ws, letter)
            assert not style.protection.locked and style.width == pytest.approx(col.width, abs=1), key
    dvs = _validations(wb[c.INDICATOR_SHEET])
    headers = {cell.value: cell.column_letter for cell in wb[c.INDICATOR_SHEET][2] if cell.value}
    assert dvs[headers["指标性质"]].formula1 == '"正向,反向"'
    dvs = _validations(wb[c.PROJECT_SHEET])
    headers = {cell.value: cell.column_letter for cell in wb[c.PROJECT_SHEET][2] if cell.value}
    assert dvs[headers["自评执行率得分"]].type == "decimal"


def test_second_level_lists_are_contiguous_blocks_per_first_level(wb):
    """The OFFSET/MATCH/COUNTIF dropdown works only when each 一级's 二级 rows are one block."""
    profile = load_profile()
    rows = [r for r in wb[c.LISTS_SHEET].iter_rows(min_row=2, min_col=3, max_col=4, values_only=True) if r[0]]
    level1_list = [r[0] for r in wb[c.LISTS_SHEET].iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert level1_list == profile.level1_names()
    for name in profile.level1_names():
        positions = [i for i, r in enumerate(rows) if r[0] == name]
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        assert [rows[i][1] for i in positions] == profile.level2_names(name)


def test_budget_sheet_totals_are_sum_formulas_over_their_parts(wb):
    ws = wb[c.BUDGET_SHEET]
    row_of = {}
    for r in range(3, ws.max_row + 1):
        key = ws.cell(r, 2).value or ws.cell(r, 3).value
        row_of[key] = r
    income = row_of["收入合计"]
    assert ws.cell(income, 5).value == f"=SUM(E{row_of['财政拨款收入']}:E{row_of['其他收入']})"
    basic = row_of["基本支出"]
    assert ws.cell(basic, 6).value == f"=SUM(F{row_of['人员经费']}:F{row_of['公用经费']})"
    assert ws.cell(income, 4).number_format == "#,##0.00"
    assert _column_style(ws, "E").number_format == "#,##0.00"


def _column_style(ws, letter: str):
    """The column format covering ``letter`` (xlsxwriter writes neighbours with one format as one span)."""
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= index <= dim.max:
            return dim
    raise AssertionError(f"no column format for {letter}")


def test_protection_locks_labels_and_formulas_but_not_inputs(wb):
    for name in (c.INFO_SHEET, c.BUDGET_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, c.PROBLEM_SHEET):
        ws = wb[name]
        assert ws.protection.sheet and not ws.protection.password, name
        assert ws.protection.insertRows is False  # False means "not prevented"
    ws = wb[c.BUDGET_SHEET]
    assert ws["C4"].protection.locked  # a label
    assert ws["E3"].protection.locked  # the 收入合计 formula
    assert not _column_style(ws, "E").protection.locked  # input amounts
    ws = wb[c.INDICATOR_SHEET]
    assert ws["A2"].protection.locked
    assert not _column_style(ws, "A").protection.locked


def test_print_setup_and_frozen_headers(wb):
    for name in (c.INFO_SHEET, c.BUDGET_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, c.PROBLEM_SHEET):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9, name  # A4
        assert ws.print_title_rows == "$1:$2", name
        assert ws.freeze_panes is not None, name
    assert wb[c.INDICATOR_SHEET].freeze_panes == "A3"
    assert wb[c.PROJECT_SHEET].freeze_panes == "C4"  # header and 合计 row stay visible


def test_sample_is_marked_illustrative():
    readme = open_book(SAMPLE)[c.README_SHEET]
    text = "".join(str(v) for (v,) in readme.iter_rows(max_col=1, values_only=True) if v)
    assert "示意值" in text and "253万元" in text and "281万元" in text


def test_text_that_looks_like_markup_is_written_as_typed(tmp_path):
    """xlsxwriter alone writes text shaped like its rich-text markup into the file as markup."""
    from xlsuite.reader import read_book
    from xlsuite.template.build import build_workbook

    book = read_book(SAMPLE)
    book.info.unit_name = "<r>永昌县某单位</r>"
    book.projects[0].name = "<r><t>甲</t></r><r><t>乙</t></r>"
    book.problems[0].measure = " <r>措施</r> "
    read = read_book(build_workbook(tmp_path / "markup.xlsx", book))
    assert read.info.unit_name == "<r>永昌县某单位</r>"
    assert read.projects[0].name == "<r><t>甲</t></r><r><t>乙</t></r>"
    assert read.problems[0].measure == "<r>措施</r>"  # cells are read stripped


def test_the_project_type_dropdown_offers_the_profiles_own_types(tmp_path, template_path):
    # A profile that weighs 工程类 projects differently offers 工程类 in 项目类别; the national
    # profile weighs every project alike, so its template offers no list to choose from.
    from xlsuite.template.build import build_template

    profile = load_profile(PROFILES / "project_types.toml")
    assert profile.categories() == ["工程类"]
    column = openpyxl.utils.get_column_letter(c.PROJECT_SHEET_DEF.index("category") + 1)
    first_row = 4  # title, header, 合计, then the projects

    def category_list(path):
        ws = open_book(path)[c.PROJECT_SHEET]
        return [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{column}{first_row}")]

    (own,) = category_list(build_template(tmp_path, profile))
    assert own.formula1 == '"工程类"'
    assert own.errorStyle == "information"  # another type is allowed, weighted as any project
    assert category_list(template_path) == []
