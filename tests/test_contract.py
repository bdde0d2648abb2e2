"""The contract itself is consistent: what the template, readers and docs rely on."""

from collections import Counter

from xlsuite.core import contract as c
from xlsuite.core.profile import load_profile


def test_budget_row_keys_and_codes_are_unique():
    rows = c.budget_rows()
    assert not [k for k, n in Counter(r.key for r in rows).items() if n > 1]
    codes = [r.code for r in rows if r.code]
    assert len(codes) == len(set(codes))
    names_without_code = [r.name for r in rows if not r.code]
    assert len(names_without_code) == len(set(names_without_code))


def test_every_total_sums_rows_that_exist():
    keys = {r.key for r in c.budget_rows()}
    for row in c.budget_rows():
        assert set(row.total_of) <= keys, row.key


def test_prefilled_rows_hold_the_classifications_the_seed_needs():
    by_code = {r.code: r.name for r in c.budget_rows() if r.code}
    assert by_code["201"] == "一般公共服务支出"
    assert by_code["215"] == "资源勘探工业信息等支出"
    assert by_code["312"] == "对企业补助"
    names = {r.name for r in c.budget_rows()}
    assert {"财政拨款收入", "其他收入", "人员经费", "公用经费", "项目支出", "公务接待费", "会议费", "培训费"} <= names
    assert c.budget_row("structure.基本支出").total_of == ("structure.人员经费", "structure.公用经费")


def test_table_headers_are_unique_per_sheet():
    for sheet in c.TABLE_SHEETS:
        headers = [col.header for col in sheet.columns]
        assert len(headers) == len(set(headers)), sheet.name


def test_the_national_hierarchy_feeds_consistent_dropdowns():
    profile = load_profile()
    assert profile.level1_names() == ["产出指标", "效益指标", "满意度指标"]
    assert profile.level2_names("产出指标") == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert profile.level2_names("满意度指标") == ["服务对象满意度指标"]


def test_contract_docs_are_generated_from_the_contract():
    from conftest import REPO

    from xlsuite.docgen.contract_doc import render_contract_markdown

    committed = (REPO / "docs" / "workbook-contract.md").read_text("utf-8")
    assert committed == render_contract_markdown(), "run: python -m xlsuite.docgen.contract_doc > docs/workbook-contract.md"
