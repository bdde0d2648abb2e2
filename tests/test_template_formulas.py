"""The formulas the template compiles from the scoring profile: what they may use, and where.

Whether they compute what the engine computes is ``test_formulas_differential.py``'s job (it
needs LibreOffice); here: only functions every target program has, nothing volatile, every row
of the sheets' capacity covered, the profile's parameters in the text, and a profile that
cannot be expressed gets no formula columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from xlsuite.core import contract as c
from xlsuite.core.profile import load_profile, national_profile, parse_profile
from xlsuite.template.build import build_workbook
from xlsuite.template.formulas import Compiler, UnsupportedProfile, compiler_for

PROVINCE = Path(__file__).parent / "data" / "province_profile.toml"

ALLOWED = {"IF", "AND", "OR", "NOT", "ISNUMBER", "N", "TRIM", "COUNTA", "COUNTIF", "COUNTIFS",
           "SUMIFS", "SUMPRODUCT", "SUM", "MIN", "MAX", "MEDIAN", "ABS", "ROUND", "ROUNDUP",
           "ROUNDDOWN", "LEN", "ISBLANK", "COUNT", "REPT", "SUBSTITUTE", "FALSE", "IFERROR",
           "LEFT", "RIGHT", "VALUE", "CHOOSE", "EXP", "LN", "CONCATENATE", "FIND"}
"""Functions Excel 2010+, WPS and LibreOffice all have, with the same meaning."""
FUNCTION = re.compile(r"([A-Z][A-Z0-9.]*)\(")


def _formulas(path: Path) -> dict[str, list[str]]:
    wb = openpyxl.load_workbook(path)
    found: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    found.setdefault(ws.title, []).append(cell.value)
    return found


@pytest.fixture(scope="module")
def formulas(template_path) -> dict[str, list[str]]:
    return _formulas(template_path)


def test_only_functions_every_spreadsheet_has(formulas):
    used = {name for texts in formulas.values() for text in texts
            for name in FUNCTION.findall(re.sub(r'"[^"]*"', '""', text))}
    assert used <= ALLOWED, used - ALLOWED


def test_every_row_of_the_capacity_is_computed(formulas):
    sheet = c.INDICATOR_SHEET_DEF
    per_column = len(sheet.computed) * sheet.capacity
    indicator = [f for f in formulas[c.INDICATOR_SHEET] if "COUNTA(" in f]
    assert len(indicator) == per_column
    projects = [f for f in formulas[c.PROJECT_SHEET] if "COUNTA(" in f]
    assert len(projects) == len(c.PROJECT_SHEET_DEF.computed) * c.PROJECT_SHEET_DEF.capacity


def test_the_checks_compiled_are_the_catalogues_template_checks():
    """``docs/rules.md`` says which rules the template checks by formula: exactly those."""
    from xlsuite.core.validation.catalogue import TEMPLATE_CHECKS
    from xlsuite.template.checks import Checks

    for profile in (national_profile(), load_profile(PROVINCE)):
        checks = Checks(Compiler(profile))
        for r in c.budget_rows():
            checks.budget_row(r, 3, 3)
        for f in c.INFO_FIELDS:
            checks.info_row(f, "B3")
        checks.project_row(4)
        checks.indicator_row(3)
        checks.department()
        assert checks.used == set(TEMPLATE_CHECKS)


def test_defined_names_point_at_the_summary(template_path):
    wb = openpyxl.load_workbook(template_path)
    for name in (c.DEPARTMENT_SCORE_NAME, c.DEPARTMENT_GRADE_NAME, c.FAILED_CHECKS_NAME):
        assert wb.defined_names[name].attr_text.startswith(f"'{c.SUMMARY_SHEET}'!$B$"), name


def test_the_profile_parameters_are_in_the_formulas():
    national, province = Compiler(national_profile()), Compiler(load_profile(PROVINCE))
    assert "0.95" in province.execution("B1", "C1") and "0.95" not in national.execution("B1", "C1")
    row = 3
    assert "0.05*ABS(" in province.indicator_score(row)  # = tolerance
    assert "0.9," in province.indicator_score(row)  # the overachievement deduction leaves 90%
    assert '"良"' in province.grade("T3") and ">=70" in province.grade("T3")
    assert ">=90" in national.grade("T3")


def test_a_rounding_mode_no_formula_can_express(tmp_path):
    text = national_profile().source.replace('mode = "ROUND_HALF_UP"', 'mode = "ROUND_HALF_EVEN"')
    profile = parse_profile(text)
    with pytest.raises(UnsupportedProfile):
        Compiler(profile)
    assert compiler_for(profile) is None
    path = build_workbook(tmp_path / "even.xlsx", profile=profile)
    wb = openpyxl.load_workbook(path)
    assert c.SUMMARY_SHEET not in wb.sheetnames
    headers = [cell.value for cell in wb[c.INDICATOR_SHEET][2]]
    assert "计算得分" not in headers
    readme = " ".join(str(v) for (v,) in wb[c.README_SHEET].iter_rows(max_col=1, values_only=True) if v)
    assert "无法用表格公式表达" in readme


def test_the_batch_never_trusts_the_formula_columns(tmp_path):
    """Values typed over (or cached in) the computed columns change nothing the batch reads or
    scores; a 得分 typed over a quantitative row is still reported (indicator.cached_score)."""
    from conftest import SAMPLE

    from xlsuite.core.evaluation import evaluate
    from xlsuite.reader import read_book

    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[c.INDICATOR_SHEET]
    headers = {cell.value: cell.column for cell in ws[c.HEADER_ROW + 1]}
    first = c.HEADER_ROW + 2
    for header in ("计算得分", "得分核对", "校验"):
        ws.cell(first, headers[header]).value = 99 if header == "计算得分" else "篡改"
    for col in c.INDICATOR_SHEET_DEF.helpers:  # the hidden helper columns, typed over alike
        ws.cell(first, headers[col.header]).value = 7
    ws.cell(first, headers["得分"]).value = 10  # 3 of 6 新增规上企业 is worth 5 of 10
    projects = wb[c.PROJECT_SHEET]
    project_headers = {cell.value: cell.column for cell in projects[c.HEADER_ROW + 1]}
    projects.cell(first + 1, project_headers["自评得分"]).value = 1
    wb[c.SUMMARY_SHEET]["B8"].value = 1
    tampered = tmp_path / "tampered.xlsx"
    wb.save(tampered)
    before, after = evaluate(read_book(SAMPLE)), evaluate(read_book(tampered))
    assert after.score.department.total == before.score.department.total == 92.75
    assert [p.total for p in after.score.projects] == [p.total for p in before.score.projects]
    # The sample's own printed 9 (its 实得98分) typed over with 10 is still reported, beside the
    # sample's other two printed scores that differ (7.5 and 4.5).
    reported = [f for f in after.findings if f.rule_id == "indicator.cached_score"]
    assert [str(f.cell) for f in reported] == [f"{c.INDICATOR_SHEET}!K{row}" for row in (first, 5, 10)]
    assert "文件中的得分为 10" in reported[0].message


def test_each_row_holds_the_formula_compiled_for_it(template_path):
    """The computed columns are stored once per column, as Excel stores a filled-down formula,
    and each row reads as that formula moved to the row. That is right only when the formula
    compiled for any row is the first row's moved there: every reference that must not move
    with the row carries ``$``."""
    from openpyxl.formula.translate import Translator

    from xlsuite.template.checks import Checks

    compiler = Compiler(national_profile())
    checks = Checks(compiler)
    layout = compiler.layout
    columns = {
        c.INDICATOR_SHEET: (c.INDICATOR_SHEET_DEF, layout.indicator_first, layout.indicator_last, {
            "computed_score": compiler.indicator_score, "score_check": compiler.indicator_check,
            "checks": checks.indicator_row, **compiler.indicator_helpers()}),
        c.PROJECT_SHEET: (c.PROJECT_SHEET_DEF, layout.project_first, layout.project_last, {
            "execution_score": compiler.project_execution, "self_score": compiler.project_score,
            "self_grade": compiler.project_grade, "checks": checks.project_row}),
    }
    wb = openpyxl.load_workbook(template_path)
    for name, (sheet, first, last, compile_row) in columns.items():
        keys = [col.key for col in (*sheet.columns, *sheet.formula_columns)]
        for key, compile_formula in compile_row.items():
            letter = openpyxl.utils.get_column_letter(keys.index(key) + 1)
            master = compile_formula(first)
            for row in (first + 1, (first + last) // 2, last):
                moved = Translator(master, f"{letter}{first}").translate_formula(f"{letter}{row}")
                assert moved == compile_formula(row), (name, key, row)
            stored = wb[name][f"{letter}{last}"].value
            assert stored.startswith("=") and stored.count("(") == master.count("("), (name, key)


LONGEST_FORMULA = 2000
"""Issue 24's target: far below Excel's 8,192 characters (``xlsuite.files.excel_limits``)."""


def _formula_profiles() -> dict:
    """Every profile of the tests that compiles to formulas, by name (the others get none)."""
    found = {"national": national_profile(), "province": load_profile(PROVINCE)}
    found |= {p.stem: load_profile(p) for p in sorted((Path(__file__).parent / "data" / "profiles").glob("*.toml"))}
    return {name: p for name, p in found.items() if compiler_for(p) is not None}


FORMULA_PROFILES = _formula_profiles()


@pytest.mark.parametrize("profile", sorted(FORMULA_PROFILES))
def test_every_formula_is_far_below_excels_limit(profile):
    """Each formula the template compiles, at the last row of a book of 20,000 indicators (the
    most a read sheet holds, so its references carry the most digits), for every rule-family
    profile: the 校验 formula on 绩效指标 was 11,661 characters before its helper columns."""
    from xlsuite.files.excel_limits import formula_violations
    from xlsuite.template.checks import Checks
    from xlsuite.template.formulas import Layout

    compiler = Compiler(FORMULA_PROFILES[profile], Layout.of_template(c.MAX_SHEET_ROWS, c.MAX_SHEET_ROWS))
    checks = Checks(compiler)
    row = c.MAX_SHEET_ROWS
    texts = [compiler.indicator_score(row), compiler.indicator_check(row), checks.indicator_row(row),
             *(make(row) for make in compiler.indicator_helpers().values()),
             compiler.project_execution(row), compiler.project_score(row), compiler.project_grade(row),
             checks.project_row(row), checks.department(), compiler.coverage(),
             compiler.department_score("B5"), compiler.department_grade("B6")]
    assert max(map(len, texts)) <= LONGEST_FORMULA
    assert [v for text in texts for v in formula_violations(text)] == []
