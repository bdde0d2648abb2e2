"""The committed sample, the template (national and province), a 50-project book and two books of
contract v1.1 (printed scores and 指标性质 typed in; a book of projects only), recalculated by
LibreOffice in one launch: the engine's totals, the failed checks counted, no error value."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE
from formula_books import error_cells, recalculated
from libreoffice import NEVER_RECALCULATE

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.core.profile import load_profile
from xlsuite.reader import read_book
from xlsuite.template.build import build_template, build_workbook
from xlsuite.template.checks import MARK, marked
from xlsuite.template.sample import scaled_sample

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # slow: LibreOffice recalculates seven books

PROVINCE = Path(__file__).parent / "data" / "province_profile.toml"


@pytest.fixture(scope="module")
def recalculated_books(tmp_path_factory, template_path):
    tmp = tmp_path_factory.mktemp("formulas-lo")
    province = build_template(tmp / "province", load_profile(PROVINCE)).rename(tmp / "province.xlsx")
    scaled = build_workbook(tmp / "scaled.xlsx", scaled_sample(50, 20))
    sample = tmp / "sample.xlsx"
    sample.write_bytes(SAMPLE.read_bytes())
    template = tmp / "template.xlsx"
    template.write_bytes(template_path.read_bytes())
    files = {"sample": sample, "template": template, "province": province, "scaled": scaled,
             "uncovered": _without_formulas_in_one_row(SAMPLE, tmp / "uncovered.xlsx"),
             "printed": build_workbook(tmp / "printed.xlsx", _printed_book()),
             "projects_only": build_workbook(tmp / "projects_only.xlsx", _projects_only_book())}
    grids = recalculated(list(files.values()), tmp / "lo")
    return {name: (path, grid) for (name, path), grid in zip(files.items(), grids, strict=True)}


def _without_formulas_in_one_row(src: Path, out: Path) -> Path:
    """The sample with its first indicator row's formulas gone, as a row inserted in Excel has."""

    import openpyxl

    wb = openpyxl.load_workbook(src)  # each cell its own formula: the row's can go alone
    ws = wb[c.INDICATOR_SHEET]
    sheet = c.INDICATOR_SHEET_DEF
    for i in range(len(sheet.computed)):
        ws.cell(c.HEADER_ROW + 2, len(sheet.columns) + i + 1).value = None
    wb.save(out)
    return out


def _printed_book():
    """The sample as typed from forms that print more: project 307001-2021-05 (100% executed, so
    10 points) printed 9, another printed 10.000; 新增规上企业 (≥) marked 反向, one 正向 as it should."""
    book = read_book(SAMPLE)
    book.projects[4].printed_execution, book.projects[5].printed_execution = Decimal(9), Decimal("10.000")
    book.indicators[0].nature, book.indicators[1].nature = c.NEGATIVE, c.POSITIVE
    return book


def _projects_only_book():
    """The sample as a unit evaluating its projects only: 填报范围 仅项目, 收支情况 left empty, no
    部门整体 indicators."""
    book = read_book(SAMPLE)
    book.info.scope = c.SCOPE_PROJECTS
    book.budget = {key: type(line)(key) for key, line in book.budget.items()}
    book.indicators = [i for i in book.indicators if i.subject != c.WHOLE_DEPARTMENT]
    return book


def _summary(sheets) -> dict[str, str]:
    return {line[0]: line[1] for line in sheets[c.SUMMARY_SHEET] if len(line) > 1}


def test_the_sample_shows_the_engines_total_grade_and_failed_checks(recalculated_books):
    path, sheets = recalculated_books["sample"]
    evaluation = evaluate(read_book(path))
    summary = _summary(sheets)
    assert evaluation.score.department.total == Decimal("92.75")
    assert Decimal(summary["自评得分"]) == evaluation.score.department.total
    assert summary["自评等级"] == evaluation.score.department.grade == "优"
    # The seed's 7 projects add up to 253 万元 against 项目支出 281: one gap, showing in both
    # 全年预算数 and 全年执行数, which the template counts once as validation does.
    # The department's own printed 得分 differ from the computed ones on three rows (98 against
    # 92.75): warnings of the 得分核对 column, not failed checks.
    assert Counter(f.rule_id for f in evaluation.findings) == {"cross.projects_total": 1, "indicator.cached_score": 3}
    assert summary[c.FAILED_CHECKS_NAME] == "1"
    budget = sheets[c.BUDGET_SHEET]
    line = next(line for line in budget if line[2] == "项目支出")
    assert line[-1].count(marked("cross.projects_total")) == 1
    assert "（全年预算数、全年执行数）" in line[-1]
    headers = sheets[c.PROJECT_SHEET][c.HEADER_ROW]
    for project in evaluation.score.projects:
        row = next(line for line in sheets[c.PROJECT_SHEET] if line[0] == project.code)
        assert Decimal(row[headers.index("自评得分")]) == project.total, project.code
        assert row[headers.index("自评等级")] == project.grade, project.code


@pytest.mark.parametrize("name", ["sample", "template", "province", "scaled", "printed", "projects_only"])
def test_no_error_value_in_any_cell(recalculated_books, name):
    _, sheets = recalculated_books[name]
    assert not error_cells(sheets)


def test_the_empty_template_scores_nothing_and_counts_its_missing_fields(recalculated_books):
    _, sheets = recalculated_books["template"]
    summary = _summary(sheets)
    assert summary["自评得分"] == "0" and summary["自评等级"] == ""
    assert int(summary[c.FAILED_CHECKS_NAME]) > 0  # 年度, 单位编码 … not filled yet
    rows = sheets[c.INDICATOR_SHEET][c.HEADER_ROW + 1:]
    assert all(value == "" for line in rows for value in line)  # nothing shown on empty rows


def test_checks_name_each_rule_in_chinese_not_by_its_id(recalculated_books):
    """The accountant reads no English ids (issue 28): the empty template's 校验 cells name each
    rule they find failed by its Chinese label (【合理性·单位编码】), as xlsuite's other outputs do."""
    _, sheets = recalculated_books["template"]
    shown = [value for name in (c.INFO_SHEET, c.SUMMARY_SHEET) for line in sheets[name] for value in line
             if MARK in value]
    assert any(marked("plausibility.unit_code") in text for text in shown)
    assert any(marked("plausibility.no_department_indicators") in text for text in shown)
    ids = [text for text in shown if re.search(r"[a-z]+\.[a-z_]+", text)]
    assert not ids, ids


def _checks(sheets, sheet: str) -> list[str]:
    """The 校验 column of a table sheet, one text per row under the header."""
    grid = sheets[sheet]
    col = grid[c.HEADER_ROW].index(c.CHECKS_COLUMN.header)
    return [line[col] if col < len(line) else "" for line in grid[c.HEADER_ROW + 1:]]


def test_a_printed_execution_score_and_a_nature_are_checked_as_the_engine_does(recalculated_books):
    path, sheets = recalculated_books["printed"]
    evaluation = evaluate(read_book(path))
    found = Counter(f.rule_id for f in evaluation.findings)
    assert found == {"cross.projects_total": 1, "indicator.printed_execution": 1, "indicator.nature": 1,
                     "indicator.cached_score": 3}  # the sample's own printed 得分 (see above)
    projects = _checks(sheets, c.PROJECT_SHEET)  # under the header: the 合计 row, then row 4 …
    rows = [n for n, text in enumerate(projects) if marked("indicator.printed_execution") in text]
    assert rows == [1 + 4]  # the fifth project only: 10.000 is 10
    indicators = _checks(sheets, c.INDICATOR_SHEET)
    assert [n for n, text in enumerate(indicators) if marked("indicator.nature") in text] == [0]
    assert _summary(sheets)[c.FAILED_CHECKS_NAME] == "3"


def test_a_book_of_projects_only_has_no_department_checks_or_score(recalculated_books):
    path, sheets = recalculated_books["projects_only"]
    evaluation = evaluate(read_book(path))
    assert evaluation.findings == []
    summary = _summary(sheets)
    assert summary[f"{c.WHOLE_DEPARTMENT}{c.CHECKS_COLUMN.header}"] == ""
    assert (summary["预算执行得分"], summary["自评得分"], summary["自评等级"]) == ("", "", "")
    assert summary[c.FAILED_CHECKS_NAME] == "0"
    # 收支情况 is empty while the projects spend 253 万元: nothing to reconcile in this book.
    assert all(line[-1] == "" for line in sheets[c.BUDGET_SHEET][c.HEADER_ROW + 1:])
    headers = sheets[c.PROJECT_SHEET][c.HEADER_ROW]
    rows = {line[0]: line for line in sheets[c.PROJECT_SHEET][c.HEADER_ROW + 2:] if line and line[0]}
    for project in evaluation.score.projects:
        assert Decimal(rows[project.code][headers.index("自评得分")]) == project.total


def test_the_province_template_recalculates_with_its_hierarchy(recalculated_books):
    path, sheets = recalculated_books["province"]
    lists = [line[0] for line in sheets[c.LISTS_SHEET][1:] if line and line[0]]
    assert {"投入", "过程", "产出", "效果"} <= set(lists)
    assert "某省方案" in " ".join(line[0] for line in sheets[c.SUMMARY_SHEET] if line)


def test_the_scaled_book_matches_the_engine(recalculated_books):
    path, sheets = recalculated_books["scaled"]
    evaluation = evaluate(read_book(path))
    summary = _summary(sheets)
    assert Decimal(summary["自评得分"]) == evaluation.score.department.total
    headers = sheets[c.PROJECT_SHEET][c.HEADER_ROW]
    rows = {line[0]: line for line in sheets[c.PROJECT_SHEET][c.HEADER_ROW + 2:] if line and line[0]}
    for project in evaluation.score.projects:
        assert Decimal(rows[project.code][headers.index("自评得分")]) == project.total


def test_a_filled_row_without_formulas_is_pointed_out(recalculated_books):
    assert _summary(recalculated_books["sample"][1])["公式完整性"] == ""
    warning = _summary(recalculated_books["uncovered"][1])["公式完整性"]
    assert warning.startswith(f"{c.INDICATOR_SHEET}有1行缺少公式")


def test_libreoffice_as_installed_shows_the_live_scores_on_opening(tmp_path):
    """A fresh LibreOffice keeps the cached values of an .xlsx on opening and computes only the
    formulas that have none: the template's formulas carry none, so the accountant who opens
    the sample sees the engine's score at once, not a builder's placeholder 0 and 差."""
    sample = tmp_path / "sample.xlsx"
    sample.write_bytes(SAMPLE.read_bytes())
    [sheets] = recalculated([sample], tmp_path / "lo", recalc=NEVER_RECALCULATE)
    summary = _summary(sheets)
    assert (summary["自评得分"], summary["自评等级"], summary[c.FAILED_CHECKS_NAME]) == ("92.75", "优", "1")


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_results_the_formulas_left_are_held_to_the_recomputed_scores(tmp_path, engine):
    """Saved by LibreOffice, the sample carries its formulas' results: all equal the engine's, so
    nothing is reported; a 自评得分 and 部门整体's grade typed over are reported, by cell."""
    import re
    import zipfile

    from book_parts import sheet_part
    from libreoffice import convert

    source = tmp_path / "in" / "sample.xlsx"
    source.parent.mkdir()
    source.write_bytes(SAMPLE.read_bytes())
    saved = convert(source, tmp_path / "lo", "xlsx")
    book = read_book(saved, engine=engine)
    keys = Counter(result.key for result in book.formula_results)
    assert keys["self_score"] == keys["self_grade"] == len(book.projects) == 7
    assert keys["computed_score"] == len(book.indicators) and keys["department.total"] == 1
    assert [f for f in evaluate(book).findings if f.rule_id == "indicator.formula_result"] == []

    project = next(r for r in book.formula_results if r.key == "self_score")
    grade = next(r for r in book.formula_results if r.key == "department.grade")
    edits = {project.cell: "<v>1</v>", grade.cell: '<v>差</v>'}
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info).decode("utf-8") if info.filename.endswith(".xml") else src.read(info)
            for cell, value in edits.items():
                if info.filename == sheet_part(cell.sheet, saved):
                    pattern = rf'(<c r="{cell.a1}"[^>]*?)(?: t="\w+")?(>.*?)<v>[^<]*</v>'
                    kind = ' t="str"' if "差" in value else ""
                    data, n = re.subn(pattern, lambda m, v=value, k=kind: m[1] + k + m[2] + v, data, count=1)
                    assert n == 1, cell
            dst.writestr(info, data)
    reported = [f for f in evaluate(read_book(tampered, engine=engine)).findings
                if f.rule_id == "indicator.formula_result"]
    assert sorted(str(f.cell) for f in reported) == sorted(str(cell) for cell in edits)
    text = {str(f.cell): f.message for f in reported}
    assert "自评得分在文件中为 1，" in text[str(project.cell)] and "重新计算为 100" in text[str(project.cell)]
    assert "部门整体的自评等级在文件中为 “差”，" in text[str(grade.cell)] and "重新计算为 “优”" in text[str(grade.cell)]
