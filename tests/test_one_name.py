"""One name per fact: a severity, a summary sheet name, a 收支情况 key, a font or a page setting is
spelled in its one home and imported everywhere else, and the county summary finds its columns
through its column lists."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from xlsuite.core import contract as c
from xlsuite.core.validation import SEVERITIES
from xlsuite.county import headers as h
from xlsuite.county import summary as s
from xlsuite.county.sheet import rate_formula
from xlsuite.layout import style

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xlsuite"


def _strings(path: Path) -> set[str]:
    """Every string constant of a module, docstrings and f-string parts included."""
    tree = ast.parse(path.read_text("utf-8"))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _spelled_outside(facts, home: set[str], allowed: set[str] = frozenset()) -> dict[str, set[str]]:
    """Modules other than ``home`` (and ``allowed``) holding one of ``facts`` as a whole string."""
    facts = set(facts)
    found = {}
    for path in _modules():
        name = path.relative_to(ROOT).as_posix()
        if name in home or name in allowed:
            continue
        spelled = _strings(path) & facts
        if spelled:
            found[name] = spelled
    return found


def test_severities_are_spelled_only_in_validation_findings():
    assert _spelled_outside(SEVERITIES, {"xlsuite/core/validation/findings.py"}) == {}


def test_summary_sheet_names_are_spelled_only_in_county_headers():
    assert len(set(h.SHEETS)) == len(h.SHEETS) == 13
    assert _spelled_outside(h.SHEETS, {"xlsuite/county/headers.py"}) == {}


def test_budget_row_keys_are_spelled_only_in_the_contract():
    keys = {c.INCOME_TOTAL, c.FUNCTION_TOTAL, c.ECONOMIC_TOTAL, c.STRUCTURE_TOTAL, c.SANGONG_TOTAL,
            c.BASIC_SPENDING, c.PROJECT_SPENDING, c.FISCAL_INCOME}
    assert keys <= {row.key for row in c.budget_rows()}  # the names name real rows
    # demo_data.py is a table of demo amounts by key.
    assert _spelled_outside(keys, {"xlsuite/core/contract.py"}, {"xlsuite/demo/data.py"}) == {}


def test_fonts_fills_footer_and_workbook_options_live_in_style():
    facts = {style.SONGTI, style.HEITI, style.FANGSONG, style.KAITI, style.HEADER_FILL, style.LABEL_FILL,
             style.ERROR_FILL, style.WARNING_FILL, style.HINT_FILL,
             style.PAGE_FOOTER, "&C" + style.PAGE_FOOTER, style.MONEY_FORMAT, style.PERCENT_FORMAT,
             *style.WORKBOOK_OPTIONS}
    assert _spelled_outside(facts, {"xlsuite/layout/style.py"}) == {}
    paper = [path.relative_to(ROOT).as_posix() for path in _modules()
             if path.name != "style.py" and "set_paper(" in path.read_text("utf-8")]
    assert paper == []


def test_one_money_formatter():
    """Only amounts.money prints an amount; the CLI's own variant is gone."""
    printers = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.FunctionDef) and node.name == "money"
                    and isinstance(node.returns, ast.Name) and node.returns.id == "str"):
                printers.append(path.relative_to(ROOT).as_posix())
    assert printers == ["xlsuite/core/amounts.py"]


def test_core_does_not_import_the_style_module():
    core = ["xlsuite.core.model", "xlsuite.core.contract", "xlsuite.core.profile", "xlsuite.core.amounts", "xlsuite.core.scoring",
            "xlsuite.core.validation"]
    code = f"import sys, {', '.join(core)}; print('xlsuite.layout.style' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def _letter(cols, header) -> str:
    return s.a1(0, [col.header for col in cols].index(header))[:-1]


def test_department_columns_match_their_headers():
    cols = s._department_cols()
    headers = [col.header for col in cols]
    assert (headers[s.BUDGET_COL], headers[s.SPENT_COL]) == ("支出预算数", "支出合计")
    assert [headers[i] for i in (s.RATE_COL, s.COUNT_COL, s.SCORE_COL, s.ERRORS_COL, s.WARNINGS_COL)] == [
        "预算执行率", "项目数", h.SCORE, "错误数", "警告数"]
    assert {headers[col]: key for key, col in s.AMOUNT_COLS.items()} == {
        header: (key, i) for header, key, i in s.DEPT_AMOUNTS}
    assert s.DEPARTMENT_RATE == rate_formula(None, headers.index("支出合计"), headers.index("支出预算数"))
    assert (headers[s.UNIT_NAME_COL], headers[s.SUPERVISOR_COL]) == (h.UNIT_NAME, h.SUPERVISOR)


def test_project_rate_divides_executed_by_budget():
    cols = s._project_cols()
    executed, budget = _letter(cols, "全年执行数"), _letter(cols, "全年预算数")
    assert s.PROJECT_RATE == f'=IF(N({budget}{s.ROW})>0,N({executed}{s.ROW})/{budget}{s.ROW},"")'
    assert [col.header for col in cols][s.PROJECT_RATE_COL] == "预算执行率"


def test_sangong_total_sums_exactly_its_parts():
    cols = s._sangong_cols()
    first, last = _letter(cols, s.SANGONG_PARTS[0].name), _letter(cols, s.SANGONG_PARTS[-1].name)
    assert s.SANGONG_TOTAL == f"=SUM({first}{s.ROW}:{last}{s.ROW})"
    assert cols[s.SANGONG_TOTAL_COL].header == "三公经费合计"


@pytest.mark.parametrize("name", s.TABLES)
def test_wrapped_and_frozen_columns_are_text_columns(name):
    _, cols, wrap, freeze = s.TABLES[name]
    assert all(cols[i].kind == "text" for i in wrap)
    assert [col.header for col in cols[:freeze]] == [h.UNIT_CODE, h.UNIT_NAME, h.SUPERVISOR][:freeze]


def test_every_summary_sheet_is_described_in_the_sheet_guide_and_the_county_guide():
    assert [h.ABOUT, *s.SHEET_GUIDE] == list(h.SHEETS)
    guide = (ROOT / "docs" / "county-guide.md").read_text("utf-8")
    assert [name for name in h.SHEETS if f" {name} " not in guide] == []


def _compared_strings(path: Path) -> set[str]:
    """Strings a module compares something with (``x == "≥"``, ``x in ("≥", "≤")``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                items = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
                found |= {x.value for x in items if isinstance(x, ast.Constant) and isinstance(x.value, str)}
    return found


def test_indicator_directions_are_compared_by_name():
    pending = {"xlsuite/demo/data.py"}  # data: demo indicators by direction
    directions = set(c.DIRECTIONS) - {"="}  # "=" also begins a formula, which writers test for
    compared = {path.relative_to(ROOT).as_posix(): _compared_strings(path) & directions
                for path in _modules() if path.relative_to(ROOT).as_posix() not in pending}
    assert {name: found for name, found in compared.items() if found} == {}


def test_ribbon_and_buttons_show_the_actions_labels():
    from xlsuite.excel import actions, vba

    ribbon = (ROOT / "macros" / "customUI.xml").read_text("utf-8")
    assert [caption for caption, _ in vba.BUTTON_MACROS] == list(actions.LABELS.values())
    assert [label for label in actions.LABELS.values() if f'label="{label}"' not in ribbon] == []


def test_the_national_grades_are_spelled_alike_where_they_are_restated():
    """The national profile's grade thresholds (优/良/中/差 at 90/80/60) live in national.toml; the
    fallback a province profile without a [[grades]] table gets (ScoringRules' defaults) and the
    Excel function wizard's description of XLSUITE_GRADE restate them and must not drift."""
    from xlsuite.core.profile import ScoringRules, load_profile
    from xlsuite.excel import udfs

    national = load_profile().rules
    assert national == ScoringRules()
    grades = " / ".join(grade for _, grade in national.grades)
    bounds = " / ".join(f"{low:f}" for low, _ in national.grades if low)
    assert f"{grades}（全国默认 {bounds} 分界）" in udfs.XLSUITE_GRADE.__doc__
    assert f"全国默认 {national.execution.weight:f} 分" in udfs.XLSUITE_EXECUTION_SCORE.__doc__
