"""Every printed page passes as an official document (issue 17).

Each output xlsuite writes (the empty template, the sample, its scored book, a county summary and
a 审核意见, the department's report and the county's) is converted to PDF by LibreOffice in one
soffice run (starting it is most of the cost), and held to what a county office would send out:
no ``###``; every wrapped cell's row tall enough for its lines (a formula's for the text
LibreOffice computes: the template's 校验 messages); no page that only repeats another (an empty
grid under the repeated title and header); every text of the official forms on its page, whole;
one A4 page per form; Word tables whose first row repeats on a new page; no rule id in the county
report. The PNG of every page is kept for a person to look at: the path
is printed (``pytest -s``) and is under pytest's temporary directory (``render-artefacts*``).

LibreOffice runs without the Windows fonts the files name, so digits are set in its fallback
(DejaVu Sans, wider than 仿宋's): what fits here fits on an office PC.
"""

from __future__ import annotations

import functools
import math
import random
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from book_parts import open_book
from docx.oxml.ns import qn
from formula_books import recalculated
from libreoffice import convert_many

from xlsuite.core.scoring import score_book
from xlsuite.core.validation import RULES
from xlsuite.county import consolidate
from xlsuite.demo.data import department
from xlsuite.forms.official import department_form, project_forms
from xlsuite.forms.plan import TEXT, display
from xlsuite.forms.scored_book import score_workbook
from xlsuite.reader import read_book
from xlsuite.report import write_county_report, write_report
from xlsuite.template.build import build_template, build_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # slow: LibreOffice prints every output to PDF, poppler renders the pages

XLSX = ("template", "sample", "scored", "summary", "feedback")
DOCX = ("report", "county-report", "short-report")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, sample_path) -> dict[str, tuple[Path, Path, list[str]]]:
    """name → (the output, its PDF, the text of each page)."""
    root = tmp_path_factory.mktemp("render")
    out = root / "outputs"
    out.mkdir()
    files = {"template": shutil.copy(build_template(root / "built"), out / "template.xlsx"),
             "sample": shutil.copy(sample_path, out / "sample.xlsx")}
    files["scored"] = score_workbook(files["sample"], out / "scored.xlsx").path
    files["report"] = write_report(sample_path, out / "report.docx")
    files["short-report"] = write_report(build_workbook(root / "short.xlsx", _short_sample(sample_path)),
                                         out / "short-report.docx")
    county = root / "报送"
    county.mkdir()
    shutil.copy(sample_path, county / "永昌县工信局-2021.xlsx")
    rng = random.Random(17)
    for code, name, faults in (("500001", "永昌县第一中学", {"projects_total"}),
                               ("500002", "永昌县农业机械化技术推广服务中心", {"cached_score"})):
        build_workbook(county / f"{code}.xlsx", department(rng, code, name, "永昌县教育局", faults))
    (county / "空.xlsx").write_bytes(b"")
    shutil.copy(files["report"], county / "自评报告.xlsx")  # a Word document sent as a workbook
    files["summary"] = consolidate([county], out / "summary.xlsx", workers=1, feedback=root / "审核意见").output
    letters = sorted((root / "审核意见").glob("*.xlsx"))
    files["feedback"] = shutil.copy(letters[0], out / "feedback.xlsx")
    files["county-report"] = write_county_report(files["summary"], out / "county-report.docx")
    names = [*XLSX, *DOCX]
    pdfs = convert_many([Path(files[n]) for n in names], root / "pdf", "pdf", substitute_fonts=False)
    artefacts = tmp_path_factory.mktemp("render-artefacts")
    result = {}
    for name, pdf in zip(names, pdfs, strict=True):
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(artefacts / name)], check=True)
        result[name] = (Path(files[name]), pdf, _pages(pdf))
    print(f"\nrendered pages (PNG): {artefacts}")
    for name, grids in zip(XLSX, recalculated([result[n][0] for n in XLSX], root / "csv"), strict=True):
        COMPUTED[result[name][0]] = grids
    return result


COMPUTED: dict[Path, dict[str, list[list[str]]]] = {}
"""Per workbook rendered, each sheet's values as LibreOffice computes them (formulas included)."""


def _shown(path: Path, cell) -> str:
    """The text ``cell`` shows: its own, or for a formula what LibreOffice computed."""
    if cell.data_type != "f":
        return cell.value
    grid = COMPUTED[path].get(cell.parent.title, [])
    line = grid[cell.row - 1] if cell.row <= len(grid) else []
    return line[cell.column - 1] if cell.column <= len(line) else ""


def _short_sample(sample_path: Path):
    """The sample less its first three 部门整体 indicators: a 部门整体 form a little longer than
    one page in the report's 9 pt, short enough for one page in a smaller type."""
    from xlsuite.core import contract as c
    book = read_book(sample_path)
    department = [i for i in book.indicators if i.subject == c.WHOLE_DEPARTMENT]
    book.indicators = [i for i in book.indicators if all(i is not d for d in department[:3])]
    return book


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _squash(text: str) -> str:
    return "".join(text.split())


def _page_size(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"Page size:\s+(.*)", info).group(1)


# --- every output ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*XLSX, *DOCX])
def test_every_page_is_a4_with_no_hashes(rendered, name):
    _, pdf, pages = rendered[name]
    assert pages and "A4" in _page_size(pdf)
    for n, page in enumerate(pages, 1):
        assert "###" not in page, (name, n)


def _lines_at_least(text: str, width_pt: float, size: float) -> int:
    """The fewest lines ``text`` can take wrapped in ``width_pt``: a CJK character a full em,
    anything else half, and lines filled to the last point (a lower bound: real wrapping
    breaks at words and keeps some room)."""
    usable = max(width_pt - 4, size)
    return sum(max(1, math.ceil(sum(size if ord(ch) > 0x2E7F else size / 2 for ch in line) / usable))
               for line in text.split("\n"))


def _column_points(ws, first: int, last: int) -> float:
    """Printed width of columns ``first``..``last`` (1-based): a ``<col>`` entry may cover a run
    of columns (openpyxl files it under the run's first letter only)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.min and dim.width:
            widths.update(dict.fromkeys(range(dim.min, (dim.max or dim.min) + 1), dim.width))
    return sum((widths.get(c, 8.43) * 7 + 5) * 0.75 for c in range(first, last + 1))


@pytest.mark.parametrize("name", XLSX)
def test_every_wrapped_cell_has_a_row_tall_enough_for_its_lines(rendered, name):
    """LibreOffice and WPS print a row at its set height: a wrapped text taller than its row
    runs over the rows below it. A formula's text is the one LibreOffice computes (the empty
    template's 校验 column of 部门信息 and 评分汇总's 部门整体校验 list several failures)."""
    path = rendered[name][0]
    wb = open_book(path)
    short = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        default = ws.sheet_format.defaultRowHeight or 15
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                text = _shown(path, cell)
                if not text:
                    continue
                span = merged.get((cell.row, cell.column))
                if span is not None and span.max_row > span.min_row:
                    continue  # a label over several rows: they hold it together
                last = span.max_col if span is not None else cell.column
                size = cell.font.sz or 11
                lines = _lines_at_least(text, _column_points(ws, cell.column, last), size)
                height = ws.row_dimensions[cell.row].height or default
                if height < lines * size * 1.15:
                    short.append(f"{ws.title}!{cell.coordinate} {lines} 行，行高 {height}")
    assert not short, short[:10]


@pytest.mark.parametrize("name", XLSX)
def test_no_page_only_repeats_another(rendered, name):
    """Every printed page has something of its own: a page whose text is another page's is the
    title and header repeated over an empty grid (the empty template printed 30 pages, 25 of
    them the empty rows of 项目支出 and 绩效指标, which hold formulas)."""
    pages = [re.sub(r"第\d+页，共\d+页", "", _squash(page)) for page in rendered[name][2]]  # footer aside
    repeated = [n for n, page in enumerate(pages, 1) if page in pages[:n - 1]]
    assert not repeated, (name, len(pages), repeated)


# --- the official forms ------------------------------------------------------------------------

def _form_texts(plan, first: int, last: int) -> list[str]:
    return [display(c) for c in plan.cells if first <= c.row < last and c.kind == TEXT and display(c).strip()]


def test_forms_print_one_a4_page_each_with_every_text_whole(rendered, sample_path):
    """The 部门整体 form on one page and each project's form on its own: every text the form
    holds (names, goals, indicators, deviations) is on that page, not cut at a cell edge."""
    _, pdf, pages = rendered["scored"]
    assert _page_size(pdf).startswith("595")  # portrait
    book = read_book(sample_path)
    score = score_book(book)
    department = department_form(book, score)
    projects = project_forms(book, score)
    dept_pages = [p for p in pages if "部门整体支出绩效自评表" in p]
    project_pages = [p for p in pages if "项目支出绩效自评表" in p]
    assert len(dept_pages) == 1 and len(project_pages) == len(book.projects) == 7
    checks = [(dept_pages[0], _form_texts(department, 0, department.last_row + 1))]
    bounds = [0, *projects.row_breaks, projects.last_row + 1]
    for page, (lo, hi) in zip(project_pages, zip(bounds, bounds[1:], strict=False), strict=True):
        checks.append((page, _form_texts(projects, lo, hi)))
    missing = [text for page, texts in checks for text in texts if not _on_page(text, page)]
    assert not missing, missing[:10]


def _on_page(text: str, page: str) -> bool:
    """Whether ``text`` is printed whole on ``page``: the PDF gives a wrapped cell line by line,
    with the other cells of the row between, so the text must be made of pieces of the page's
    lines (two characters or more, unless a single one ends it), in order, none missing."""
    lines = "\n".join(_squash(line) for line in page.splitlines() if line.strip())
    text = _squash(text)

    @functools.cache
    def whole_from(i: int) -> bool:
        if i == len(text):
            return True
        if i == len(text) - 1:
            return text[i] in lines
        return any(text[i:j] in lines and whole_from(j) for j in range(len(text), i + 1, -1))

    return whole_from(0)


# --- the reports -------------------------------------------------------------------------------

def test_word_tables_repeat_their_header_row_and_never_split_a_row(rendered):
    doc = docx.Document(str(rendered["report"][0]))
    assert len(doc.tables) >= 2
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def _department_form_pages(pages: list[str]) -> list[int]:
    first = next(i for i, p in enumerate(pages) if "部门整体支出绩效自评表" in p and "金额单位" in p)
    last = next(i for i, p in enumerate(pages) if i >= first and "联系人" in p)
    return list(range(first, last + 1))


def _table_sizes(path: Path) -> set:
    """The type sizes (points, ``None`` for the template's) of the first table's text."""
    table = docx.Document(str(path)).tables[0]
    return {run.font.size.pt if run.font.size else None
            for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs}


def test_the_department_form_is_set_smaller_to_stay_on_one_page_where_that_fits(rendered):
    """A form one row or two too long for its page is set smaller, down to 7.5 pt (六号), and
    prints on one page; the sample's own form does not fit even then, so it keeps the template's
    9 pt and runs onto a second page under its repeated header row."""
    pages = rendered["short-report"][2]
    assert len(_department_form_pages(pages)) == 1
    assert _table_sizes(rendered["short-report"][0]) == {7.5}
    assert len(_department_form_pages(rendered["report"][2])) == 2
    assert _table_sizes(rendered["report"][0]) == {None}


def test_the_department_report_rates_stay_whole(rendered):
    """执行率 prints as 100.00%, not 100.00 over %."""
    pages = rendered["report"][2]
    assert any(re.search(r"100\.00%", page) for page in pages)
    assert not any(re.search(r"100\.00\s*\n\s*%", page) for page in pages)


def test_the_county_report_speaks_chinese_and_is_signed(rendered):
    body = "".join(rendered["county-report"][2])
    assert not re.search(r"[a-z]+\.[a-z_]+", body)
    assert not any(r.id in body for r in RULES) and "不符合“" not in body
    assert "财政局" in _squash(rendered["county-report"][2][-1])


def test_both_reports_end_with_a_signature(rendered):
    for name, signer in (("report", "永昌县工业和信息化局"), ("county-report", "财政局")):
        text = _squash("".join(rendered[name][2]))
        assert re.search(signer + r"\d{4}年\d{1,2}月\d{1,2}日", text), name


def test_left_out_files_read_as_sentences(rendered):
    """未纳入汇总: each reason and request a whole sentence; no line of the page begins with
    the comma or bracket of a clause broken off (「，另存为 .xlsx 后重新报送」)."""
    pages = rendered["summary"][2]
    page = next(p for p in pages if "请单位（或汇总人）" in p)
    assert "取消打开密码" not in page  # an empty file and a Word document are asked for what they need
    assert "请单位重新发送该文件。" in _squash(page)
    assert not [line for line in page.splitlines() if line.strip().startswith(("，", "）"))]


def test_the_project_sheet_prints_two_readable_pages_wide_each_led_by_the_project(rendered, sample_path):
    """项目支出 on one page printed at 38% (text some 4 pt high); two pages wide, each page
    starts with 项目编码 and 项目名称, so the second half is read against its project."""
    from xlsuite.core import contract as c
    from xlsuite.reader import read_book

    projects = read_book(sample_path).projects
    headers = [c.PROJECT_SHEET_DEF.column(key).header for key in ("code", "name")]
    # (the 项目编码 also stands in the 评价对象 column of 绩效指标's project rows)
    pages = [p for p in rendered["sample"][2] if all(h in p for h in headers)
             and c.INDICATOR_SHEET_DEF.column("level3").header not in p]
    assert len(pages) == 2
    goal = c.PROJECT_SHEET_DEF.column("goal_expected").header
    first, second = pages if goal in pages[1] else pages[::-1]
    assert goal not in first and goal in second
    for project in projects:
        assert project.code in first and project.code in second
    # The title heads both pages whole, over the repeated columns, not centred on the seam
    # between the pages (where the first page showed its right half and the second none).
    from book_parts import open_book
    ws = open_book(sample_path)[c.PROJECT_SHEET]
    (title,) = [str(m) for m in ws.merged_cells.ranges if m.min_row == 1]
    assert title == "A1:B1" and ws.print_title_cols == "$A:$B"
    assert all(c.PROJECT_SHEET_DEF.title in page for page in pages)
