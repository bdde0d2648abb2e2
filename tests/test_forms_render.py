"""The scored workbook in LibreOffice: it opens, prints on A4, one page per project form."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from book_parts import open_book
from engine_fixtures import D, indicator, seed_book
from libreoffice import convert

from xlsuite.core import contract as c
from xlsuite.core.model import Amounts, Project
from xlsuite.forms.scored_book import score_workbook
from xlsuite.template.build import build_workbook

pytestmark = pytest.mark.slow  # LibreOffice prints the scored book to PDF


def _only_sheet(book: Path, name: str, out: Path) -> Path:
    """A copy of ``book`` holding just the sheet ``name``, so its PDF has only that sheet's pages."""
    wb = open_book(book)
    for ws in list(wb.worksheets):
        if ws.title != name:
            wb.remove(ws)
    wb.save(out)
    return out


def _pdf_info(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+(.*)", info).group(1)
    return pages, size


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def seed_scored(tmp_path_factory, sample_path) -> Path:
    out = tmp_path_factory.mktemp("render") / "seed-评分.xlsx"
    return score_workbook(sample_path, out).path


def test_whole_scored_workbook_renders_to_pdf(seed_scored, tmp_path):
    pdf = convert(seed_scored, tmp_path, "pdf")
    pages, size = _pdf_info(pdf)
    assert pages > 9 and "A4" in size


def test_department_form_is_one_a4_page_with_its_numbers(seed_scored, tmp_path):
    pdf = convert(_only_sheet(seed_scored, c.DEPARTMENT_FORM_SHEET, tmp_path / "dept.xlsx"), tmp_path, "pdf")
    pages, size = _pdf_info(pdf)
    assert pages == 1 and "A4" in size and size.startswith("595")  # portrait
    text = _page_text(pdf, 1)
    # 92.75 优: hand-worked in test_scoring; 581.67 is 收支情况's 支出合计
    for words in ("部门整体支出绩效自评表", "永昌县工业和信息化局", "92.75", "优", "581.67", "100.00%"):
        assert words in text, words


def test_seed_project_forms_one_page_each(seed_scored, tmp_path):
    pdf = convert(_only_sheet(seed_scored, c.PROJECT_FORM_SHEET, tmp_path / "projects.xlsx"), tmp_path, "pdf")
    pages, size = _pdf_info(pdf)
    assert pages == 7 and "A4" in size and size.startswith("595")
    page = _page_text(pdf, 4)  # 307001-2021-04, every indicator met: 100.00 优 (test_scoring)
    assert "金昌铁业" in page and "100.00" in page and "优" in page
    assert "项目支出绩效自评表" in _page_text(pdf, 7) and "办公设备购置经费" in _page_text(pdf, 7)


LONG_NAMES = [
    "农村饮水安全巩固提升工程受益人口", "新建改建供水管网长度", "水质检测合格率", "工程验收合格率",
    "项目按期完工率", "资金拨付及时率", "单位供水成本控制", "农户自来水入户率",
    "集中供水率", "供水保证率", "减少因病致贫人数", "带动当地劳务用工人数",
    "节约用水量", "水源地保护面积", "工程设施完好率", "管护制度健全程度",
    "群众饮水条件改善情况", "受益群众满意度", "村级管水员满意度", "施工单位履约评价",
]
LEVELS = [("产出指标", "数量指标")] * 4 + [("产出指标", "质量指标")] * 3 + [("产出指标", "时效指标")] * 2 + \
    [("产出指标", "成本指标")] + [("效益指标", "社会效益指标")] * 3 + [("效益指标", "生态效益指标")] * 2 + \
    [("效益指标", "可持续影响指标")] * 2 + [("满意度指标", "服务对象满意度指标")] * 3


def _twenty_indicator_book():
    """The seed with two projects: one with 20 indicators (names and deviation notes of a
    realistic length), one with 3; each must print on one A4 page."""
    book = seed_book()
    big = Project("P-20", "2021年农村饮水安全巩固提升工程（第二批）中央和省级补助资金", "永昌县水务局",
                  "永昌县农村供水管理站", total=Amounts(D(800), D(820), D(790.5)),
                  fiscal=Amounts(D(600), D(620), D(600)), carryover=Amounts(None, D(150), D(140.5)),
                  other=Amounts(D(200), D(50), D(50)),
                  goal_expected="完成12个行政村供水管网改造，新建蓄水池3座，巩固提升2.3万农村人口饮水安全保障水平，"
                                "水质达标率达到95%以上。",
                  goal_actual="完成11个行政村管网改造和3座蓄水池建设，2.1万人饮水条件得到改善，"
                              "水质检测合格率96%；1个村因征地协调延后。")
    small = Project("P-3", "办公设备购置经费", total=Amounts(None, D(5), D(5)), fiscal=Amounts(None, D(5), D(5)))
    rows = []
    for n, ((l1, l2), name) in enumerate(zip(LEVELS, LONG_NAMES, strict=True)):
        short = n % 4 == 1
        rows.append(indicator("P-20", l1, l2, name, "≥", 100, 92 if short else 100, D("4.5"), unit="%",
                              deviation="受征地协调和冬季停工影响进度滞后，下一步加强调度，"
                                        "明年一季度完成剩余工程。" if short else ""))
    rows += [indicator("P-3", "产出指标", "数量指标", "购置台数", "≥", 5, 5, 50, unit="台"),
             indicator("P-3", "效益指标", "社会效益指标", "办公效率提升", "定性", "明显", "明显", 30,
                       grade="达成", score=30),
             indicator("P-3", "满意度指标", "服务对象满意度指标", "干部职工满意度", "≥", 90, 95, 10, unit="%")]
    book.projects = [big, small]
    book.indicators = [i for i in book.indicators if i.subject == c.WHOLE_DEPARTMENT] + rows
    return book


def test_project_with_20_indicators_prints_on_one_page(tmp_path):
    path = build_workbook(tmp_path / "水务局.xlsx", _twenty_indicator_book())
    scored = score_workbook(path).path
    pdf = convert(_only_sheet(scored, c.PROJECT_FORM_SHEET, tmp_path / "projects.xlsx"), tmp_path, "pdf")
    pages, size = _pdf_info(pdf)
    assert pages == 2 and "A4" in size and size.startswith("595")
    first = _page_text(pdf, 1)
    # every one of the 20 indicators is on the first page, and so is the total
    assert all(name[:6] in first for name in LONG_NAMES)
    assert "总分" in first and "办公设备购置经费" not in first
    assert "办公设备购置经费" in _page_text(pdf, 2)
