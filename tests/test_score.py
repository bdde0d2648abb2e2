"""``xlsuite score`` on files: a new workbook holding the input intact plus scores and forms;
the input is never touched."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys

import openpyxl
import pytest
from book_parts import open_book
from engine_fixtures import D, seed_book

from xlsuite import __version__
from xlsuite.core import contract as c
from xlsuite.core.errors import InputError
from xlsuite.forms.scored_book import score_workbook
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook

WHEN = dt.datetime(2022, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def scored(tmp_path_factory, sample_path):
    """(input copy, its bytes before scoring, the scored output) for the seed sample."""
    folder = tmp_path_factory.mktemp("score")
    book = folder / "永昌县工信局-2021.xlsx"
    shutil.copy(sample_path, book)
    before = book.read_bytes()
    result = score_workbook(book, now=WHEN)
    return book, before, result.path


def _values(ws) -> list[list]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def _meta(wb) -> dict:
    ws = wb[c.META_SHEET]
    return {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value}


def test_input_is_byte_identical_and_output_is_next_to_it(scored):
    book, before, out = scored
    assert book.read_bytes() == before
    assert out == book.with_name("永昌县工信局-2021-评分.xlsx")


def test_output_has_the_input_sheets_then_the_forms(scored):
    book, _, out = scored
    names = open_book(out).sheetnames
    original = open_book(book).sheetnames
    visible = [n for n in original if not n.startswith("_")]
    assert names == [*visible, *c.GENERATED_SHEETS, c.META_SHEET, c.LISTS_SHEET]
    wb = open_book(out)
    assert wb.active.title == c.DEPARTMENT_FORM_SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [c.DEPARTMENT_FORM_SHEET]


def test_formulas_validations_and_styles_survive(scored):
    book, _, out = scored
    src, dst = openpyxl.load_workbook(book), openpyxl.load_workbook(out)  # each formula compared as text
    score_col = c.INDICATOR_SHEET_DEF.columns.index(c.INDICATOR_SHEET_DEF.column("score")) + 1
    formulas = 0
    for ws in src.worksheets:
        other = dst[ws.title]
        assert other.sheet_state == ws.sheet_state
        assert other.protection.sheet == ws.protection.sheet
        assert [(str(v.sqref), v.type, v.formula1) for v in other.data_validations.dataValidation] == \
            [(str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation]
        assert sorted(map(str, other.merged_cells.ranges)) == sorted(map(str, ws.merged_cells.ranges))
        for row in ws.iter_rows():
            for cell in row:
                copy = other[cell.coordinate]
                look = (cell.font.name, cell.font.b, cell.fill.fgColor.rgb, cell.number_format,
                        cell.border.left.style, cell.protection.locked)
                assert (copy.font.name, copy.font.b, copy.fill.fgColor.rgb, copy.number_format,
                        copy.border.left.style, copy.protection.locked) == look, cell.coordinate
                if ws.title == c.INDICATOR_SHEET and cell.column == score_col and cell.row > 2:
                    continue  # the 得分 column is ours to fill
                assert (copy.value or None) == (cell.value or None), (ws.title, cell.coordinate)
                formulas += isinstance(cell.value, str) and cell.value.startswith("=")
    # the 收支情况 totals and the 项目支出 合计 row are SUM formulas, and they came through
    assert dst[c.BUDGET_SHEET]["D3"].value.startswith("=SUM(")
    assert formulas > 20
    assert dst.calculation.fullCalcOnLoad  # Excel recomputes them on open
    # the 二级指标 dropdown depends on the 一级 of its row (OFFSET over the hidden list sheet)
    level2 = [v for v in dst[c.INDICATOR_SHEET].data_validations.dataValidation
              if "OFFSET" in (v.formula1 or "")]
    assert level2


def test_score_column_filled_and_book_reads_the_same(scored):
    book, _, out = scored
    before, after = read_book(book), read_book(out)
    # 新增规上企业 ≥6 → 3: 10 × 3/6 = 5.00 (test_scoring); a 定性 row keeps its in-band score
    assert [i.score for i in after.indicators][:3] == [D("5.00"), D("8.00"), D("7.71")]
    for model in (before, after):
        for i in model.indicators:
            i.score = None
        # openpyxl saves formulas without their last results (the file asks Excel to recalculate
        # on open): the SUM rows read empty until then, and readers add up their parts.
        for row in c.budget_rows():
            if row.is_total:
                model.budget[row.key].amounts = type(model.budget[row.key].amounts)()
    assert after == before  # everything else the workbook says is unchanged


def test_forms_show_the_seed_numbers(scored):
    _, _, out = scored
    wb = open_book(out)
    ws = wb[c.DEPARTMENT_FORM_SHEET]
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if cell.value is not None}
    total = cells["总分"].row
    score_col = max((cell for cell in ws[openpyxl.utils.get_column_letter(8)] if cell.value == "得分"),
                    key=lambda cell: cell.row).column
    # 92.75 / 优: hand-worked in test_scoring.test_seed_department_total_and_grade
    assert ws.cell(total, score_col).value == pytest.approx(92.75)
    assert ws.cell(total, cells["等级"].column + 1).value == "优"
    assert ws.cell(cells["年度资金总额"].row, cells["全年预算数"].column).value == pytest.approx(581.67)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    projects = wb[c.PROJECT_FORM_SHEET]
    titles = [cell.row for cell in projects["A"] if cell.value == "项目支出绩效自评表"]
    assert len(titles) == 7
    assert [b.id + 1 for b in projects.row_breaks.brk] == titles[1:]  # break above each title
    findings = wb[c.FINDINGS_SHEET]
    links = [cell for row in findings.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK(")]
    assert links[0].value == '=HYPERLINK("#\'收支情况\'!E43","收支情况!E43")'
    assert links[0].data_type == "f"
    assert findings.cell(links[0].row, links[0].column + 1).value == "表间核对·项目合计"
    message = findings.cell(links[0].row, links[0].column + 2)
    assert "相差 28.00" in message.value and message.data_type == "s"


def test_score_stamp_in_meta(scored):
    book, before, out = scored
    meta = _meta(open_book(out))
    assert meta[c.META_VERSION_KEY] == c.TEMPLATE_VERSION  # the template's own keys stay
    assert meta["score.input_sha256"] == hashlib.sha256(before).hexdigest()
    assert (meta["score.total"], meta["score.grade"]) == ("92.75", "优")
    assert meta["score.profile"] == "全国默认（财预〔2020〕10号）"
    assert meta["score.time"] == "2022-03-01 09:30:00+08:00"
    assert meta["score.xlsuite_version"] == __version__
    assert open_book(out)[c.META_SHEET].sheet_state == "hidden"


def test_rescoring_replaces_generated_sheets(scored, tmp_path):
    _, _, out = scored
    again = score_workbook(out, tmp_path / "again.xlsx", now=WHEN).path
    first, second = open_book(out), open_book(again)
    assert second.sheetnames == first.sheetnames
    keys = [r[0].value for r in second[c.META_SHEET].iter_rows() if r[0].value]
    assert len(keys) == len(set(keys))
    for name in c.GENERATED_SHEETS:
        if name not in (c.SCORE_CHECK_SHEET, c.FINDINGS_SHEET):
            assert _values(second[name]) == _values(first[name]), name
    # The first scoring replaced the department's own printed scores (its 实得98分) by the
    # computed ones: scored again, the three warnings about them are gone, nothing else changed.
    def findings(wb) -> list:
        return [row[5] for row in wb[c.FINDINGS_SHEET].iter_rows(min_row=4, values_only=True) if row[0]]
    assert findings(first) == ["cross.projects_total", *["indicator.cached_score"] * 3]
    assert findings(second) == ["cross.projects_total"]
    # 评分 filled every 得分 cell: scored again, each is a printed score, and each agrees
    checked = [row[6] for row in second[c.SCORE_CHECK_SHEET].iter_rows(min_row=4, values_only=True)
               if row[0] is not None]
    indicators = len(read_book(again).indicators)
    assert len(checked) >= indicators and set(checked) == {"一致"}


def test_refuses_to_overwrite_the_input(tmp_path, sample_path):
    book = tmp_path / "book.xlsx"
    shutil.copy(sample_path, book)
    before = book.read_bytes()
    with pytest.raises(InputError, match="不能是输入工作簿本身"):
        score_workbook(book, book)
    with pytest.raises(InputError, match="不能是输入工作簿本身"):
        score_workbook(book, tmp_path / "." / "book.xlsx")
    result = subprocess.run([sys.executable, "-m", "xlsuite", "score", str(book), "-o", str(book)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.startswith("错误：")
    assert "Traceback" not in result.stderr
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]  # no temp file left


def test_output_into_a_folder_and_cli_summary(tmp_path, sample_path):
    out_dir = tmp_path / "评分结果"
    out_dir.mkdir()
    result = subprocess.run([sys.executable, "-m", "xlsuite", "score", str(sample_path), "-o", str(out_dir)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out_dir / "永昌县工信局-2021-评分.xlsx").exists()
    assert "部门整体：92.75 分，等级 优" in result.stdout
    assert "错误 1 项" in result.stdout


def test_formula_like_names_stay_strings_in_the_forms(tmp_path):
    book = seed_book()
    evil = '=HYPERLINK("http://evil.example","点我")'
    book.info.unit_name = evil
    book.projects[0].supervisor = "@SUM(A1:A3)"
    path = build_workbook(tmp_path / "evil.xlsx", book)
    out = score_workbook(path, now=WHEN).path
    wb = open_book(out)
    for name, value in ((c.DEPARTMENT_FORM_SHEET, evil), (c.PROJECT_FORM_SHEET, "@SUM(A1:A3)")):
        hits = [cell for row in wb[name].iter_rows() for cell in row if cell.value == value]
        assert hits and all(cell.data_type == "s" for cell in hits), name
    for name in (c.DEPARTMENT_FORM_SHEET, c.PROJECT_FORM_SHEET):
        assert not any(cell.data_type == "f" for row in wb[name].iter_rows() for cell in row)
    assert read_book(out).info.unit_name == evil


def test_unreadable_book_is_one_clean_error(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04cut short")
    result = subprocess.run([sys.executable, "-m", "xlsuite", "score", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "坏文件.xlsx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "坏文件-评分.xlsx").exists()
