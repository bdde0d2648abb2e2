"""The report's Word side: the template is built by code and committed as built, its styles give
the look (GB/T 9704 defaults, restyled without code), and LibreOffice renders the reports."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from conftest import REPO, TEMPLATES
from docx.shared import Mm, Pt
from libreoffice import convert
from packages import package_parts
from test_report import SMALL

from xlsuite.core.errors import ContractError, InputError
from xlsuite.report import REPORT_TEMPLATE_NAME, build_report_template, draft_report, write_docx, write_report
from xlsuite.template.sample import book_from_data

pytestmark = pytest.mark.slow  # LibreOffice Writer renders the reports

ARTIFACTS = REPO / "test-artifacts"
"""Rendered pages kept for a person to look at (gitignored)."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_committed_report_template_equals_what_the_builder_makes(tmp_path):
    built, committed = package_parts(build_report_template(tmp_path)), package_parts(TEMPLATES / REPORT_TEMPLATE_NAME)
    assert committed.keys() == built.keys()
    for part in committed:
        assert committed[part] == built[part], f"{part} is stale: run `xlsuite template`"


def test_two_builds_of_the_report_template_are_byte_identical(tmp_path):
    # so that rebuilding the templates leaves a clean git tree
    first = build_report_template(tmp_path / "a").read_bytes()
    assert build_report_template(tmp_path / "b").read_bytes() == first


@pytest.fixture(scope="module")
def template():
    return docx.Document(str(TEMPLATES / REPORT_TEMPLATE_NAME))


def _east_asia_font(style) -> str:
    return style.element.rPr.rFonts.get(f"{W}eastAsia")


@pytest.mark.parametrize("name, font, size", [
    ("Normal", "仿宋", 16),        # 正文: 仿宋 三号
    ("一级标题", "黑体", 16),
    ("二级标题", "楷体", 16),
    ("报告标题", "宋体", 22),      # 二号
    ("页码", "宋体", 14),          # 四号
])
def test_template_styles_follow_gbt_9704(template, name, font, size):
    style = template.styles[name]
    assert _east_asia_font(style) == font
    assert style.font.size == Pt(size)


def test_template_page_is_a4_with_outer_page_numbers(template):
    section = template.sections[0]
    lengths = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
               section.left_margin, section.right_margin)
    assert [round(x.mm) for x in lengths] == [210, 297, 37, 35, 28, 26]  # stored in twips
    assert template.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr=" PAGE "' in xml and "— " in xml and " —" in xml
    assert template.styles["Normal"].paragraph_format.line_spacing == Pt(28.95)


def test_a_restyled_template_restyles_the_report(tmp_path, sample_path):
    restyled = docx.Document(str(TEMPLATES / REPORT_TEMPLATE_NAME))
    restyled.styles["Normal"].font.size = Pt(15)
    restyled.styles["一级标题"].element.rPr.rFonts.set(f"{W}eastAsia", "方正黑体_GBK")
    restyled.sections[0].left_margin = Mm(30)
    path = tmp_path / "县模板.docx"
    restyled.save(str(path))
    report = docx.Document(str(write_report(sample_path, tmp_path / "r.docx", template=path)))
    assert report.styles["Normal"].font.size == Pt(15)
    assert _east_asia_font(report.styles["一级标题"]) == "方正黑体_GBK"
    assert round(report.sections[0].left_margin.mm) == 30
    headings = [p for p in report.paragraphs if p.style.name == "一级标题"]
    assert len(headings) == 6
    # the look is the style's: the writer sets no font or size on the runs
    assert all(r.font.size is None and r.font.name is None for p in headings for r in p.runs)
    assert "本文件是 xlsuite 生成" not in "\n".join(p.text for p in report.paragraphs)


def test_template_without_a_needed_style_is_refused(tmp_path):
    broken = docx.Document(str(TEMPLATES / REPORT_TEMPLATE_NAME))
    style = broken.styles["二级标题"]
    style.element.getparent().remove(style.element)
    path = tmp_path / "坏模板.docx"
    broken.save(str(path))
    with pytest.raises(ContractError, match="报告模板缺少样式：二级标题"):
        write_docx(draft_report(book_from_data(SMALL)), tmp_path / "r.docx", template=path)
    assert not (tmp_path / "r.docx").exists()
    with pytest.raises(InputError, match="找不到报告模板文件"):
        write_docx(draft_report(book_from_data(SMALL)), tmp_path / "r.docx", template=tmp_path / "无.docx")


# --- LibreOffice renders both reports -----------------------------------------------------------

def _pages(pdf: Path) -> list[str]:
    count = int(next(line.split()[1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, count + 1)]


def _keep_png(pdf: Path, name: str, page: int = 1) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.libreoffice
def test_libreoffice_renders_the_seed_report(tmp_path, sample_path):
    report = write_report(sample_path, tmp_path / "seed-report.docx")
    pdf = convert(report, tmp_path, "pdf")
    pages = [_squash(p) for p in _pages(pdf)]
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "pts (A4)" in size
    assert pages[0].startswith("永昌县工业和信息化局2021年度部门整体支出预算绩效自评报告")
    assert "—1—" in pages[0] and "—2—" in pages[1]  # page numbers in the footer
    whole = "".join(pages)
    assert "实得92.75分" in whole and "附件1" in whole
    # each project form is one page of its own (the seed's have at most 5 indicators)
    for name in ("疫情防控工作经费", "办公设备购置经费", "金昌铁业（集团）有限责任公司2021年省级数据信息发展项目资金"):
        form_pages = [p for p in pages if "项目支出绩效自评表" in p and name in p]
        assert len(form_pages) == 1, name
    # the forms' rates print on one line (the Word columns make room for 100.00%)
    raw = _pages(pdf)
    forms = [page for page in raw if "项目支出绩效自评表" in page and "金额单位" in page]
    assert len(forms) == 7 and all("100.00%" in page for page in forms)
    assert _keep_png(pdf, "report-seed").stat().st_size > 0
    _keep_png(pdf, "report-seed-form", page=next(i for i, p in enumerate(pages, 1) if "部门整体支出绩效自评表" in p and "部门名称" in p))


@pytest.mark.libreoffice
def test_libreoffice_renders_a_report_without_projects(tmp_path):
    report = write_docx(draft_report(book_from_data(SMALL)), tmp_path / "small-report.docx")
    pdf = convert(report, tmp_path, "pdf")
    pages = [_squash(p) for p in _pages(pdf)]
    whole = "".join(pages)
    assert "本年无“三公”经费、会议费及培训费支出。" in whole
    assert "部门整体支出绩效自评表" in pages[-1] and "项目支出绩效自评表" not in whole
    assert _keep_png(pdf, "report-small").stat().st_size > 0
