"""The Word template of the report (workbook_templates/自评报告模板.docx), built by code.

The report's whole look lives in this file's named styles, page setup and footer, never in the
writer: a county restyles its reports by editing the styles in Word (开始 → 样式 → 修改) and
passing the file with ``--template``. The defaults follow GB/T 9704-2012 (党政机关公文格式): A4,
margins 37/35/28/26 mm, 三号 仿宋 body on a 28.95 pt line (22 lines a page), 黑体 first-level and
楷体 second-level headings, an 二号 title, 四号 page numbers “— 1 —” at the outer edge (odd pages
right, even pages left). The title uses 宋体 because 方正小标宋简体 is not installed everywhere; a
county that has it sets it in the 报告标题 style.

``write_report_template`` writes the file; it is deterministic, so the committed file can be
compared with a fresh build.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm, Pt

from ..adapters.docx_oxml import (
    OxmlElement,
    append_to_paragraph,
    clear_body,
    drop_relationships,
    qn,
    style_paragraph_properties,
    style_run_fonts,
)
from ..county.own_files import REPORT_TEMPLATE_COMMENT
from ..files.atomic import write_bytes
from ..layout import style

LINE = 28.95
"""GB/T 9704 body line pitch in points: 22 lines in the 225 mm text block."""

TABLE_STYLE = "自评表格"


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style of the template.

    Attributes:
        kind: what the writer uses it for (``body``, ``heading1``, …).
        name: the style's name as Word shows it; ``Normal`` is Word's built-in 正文.
        style_id: an ASCII id (Word and LibreOffice both accept it; non-ASCII ids are fragile).
        font: one font for Chinese and Latin text alike.
        size: points (三号 16, 二号 22, 小二 18, 四号 14, 小四 12, 小五 9).
        indent: first-line indent in characters of this size; negative for a hanging indent.
        left: left indent in characters.
        line: exact line spacing in points, or ``None`` for single spacing.
    """

    kind: str
    name: str
    style_id: str
    font: str
    size: float
    bold: bool = False
    align: str = "justify"
    indent: float = 0
    left: float = 0
    line: float | None = LINE
    outline: int | None = None
    keep_next: bool = False
    page_break_before: bool = False
    space_before: float = 0
    space_after: float = 0


STYLES = (
    StyleSpec("body", "Normal", "Normal", style.FANGSONG, 16, indent=2),
    StyleSpec("title", "报告标题", "ReportTitle", style.SONGTI, 22, align="center", line=36,
              space_after=LINE, keep_next=True),
    StyleSpec("heading1", "一级标题", "ReportHeading1", style.HEITI, 16, indent=2, outline=0, keep_next=True),
    StyleSpec("heading2", "二级标题", "ReportHeading2", style.KAITI, 16, indent=2, outline=1, keep_next=True),
    StyleSpec("attachments", "附件说明", "ReportAttachments", style.FANGSONG, 16, indent=-3, left=5,
              align="left"),
    StyleSpec("appendix", "附件标记", "ReportAppendix", style.HEITI, 16, align="left", page_break_before=True),
    StyleSpec("form_title", "表格标题", "FormTitle", style.SONGTI, 18, bold=True, align="center", line=None,
              space_before=6, space_after=6, keep_next=True),
    StyleSpec("form_caption", "表格说明", "FormCaption", style.FANGSONG, 12, align="center", line=None,
              space_after=6, keep_next=True),
    StyleSpec("table_text", "表格文字", "FormText", style.FANGSONG, 9, align="center", line=None),
    StyleSpec("page_number", "页码", "PageNumber", style.SONGTI, 14, align="right", line=None),
)

STYLE_NAMES = {spec.kind: spec.name for spec in STYLES}
"""Kind → style name, for the writer."""

_ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
_FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""Core-property timestamps of the template, fixed so that rebuilding changes nothing."""


def _fixed_zip_times(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so two builds are byte-identical
    (python-docx stamps members with the current time) and a rebuild leaves git clean."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_report_template(path: str | Path) -> Path:
    """Write the template to ``path`` (atomically) and return it."""
    path = Path(path)
    buffer = io.BytesIO()
    report_template_document().save(buffer)
    write_bytes(path, _fixed_zip_times(buffer.getvalue()))
    return path


def report_template_document():
    """The template as a python-docx ``Document`` (what the writer uses when given no file)."""
    doc = Document()
    _drop_thumbnail(doc)
    props = doc.core_properties
    props.author, props.last_modified_by = "xlsuite", "xlsuite"
    props.title = "部门整体支出预算绩效自评报告模板"
    props.comments = REPORT_TEMPLATE_COMMENT  # how xlsuite knows its own template again
    props.created = props.modified = _FIXED_TIME
    props.revision = 1
    _language(doc)
    _zoom(doc)
    for spec in STYLES:
        _paragraph_style(doc, spec)
    _table_style(doc)
    _page(doc)
    _footers(doc)
    _examples(doc)
    return doc


# --- styles ------------------------------------------------------------------------------------

def _paragraph_style(doc, spec: StyleSpec) -> None:
    styles = doc.styles
    if spec.name in [s.name for s in styles]:
        style = styles[spec.name]
    else:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = spec.style_id
        style.base_style = styles["Normal"]
        style.quick_style = True
    font = style.font
    font.name, font.size, font.bold = spec.font, Pt(spec.size), spec.bold
    fonts = style_run_fonts(style)
    fonts.set(qn("w:eastAsia"), spec.font)
    fonts.set(qn("w:cs"), spec.font)
    pf = style.paragraph_format
    pf.alignment = _ALIGN[spec.align]
    pf.first_line_indent = Pt(spec.indent * spec.size)
    pf.left_indent = Pt(spec.left * spec.size)
    pf.space_before, pf.space_after = Pt(spec.space_before), Pt(spec.space_after)
    if spec.line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(spec.line)
    pf.keep_with_next = spec.keep_next
    pf.page_break_before = spec.page_break_before
    pf.widow_control = True
    if spec.outline is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(spec.outline))
        style_paragraph_properties(style).append(outline)


def _table_style(doc) -> None:
    """自评表格: single 0.5 pt borders on every cell, small cell margins."""
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.style_id = "FormTable"
    style.base_style = doc.styles["Normal Table"]
    tbl_pr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            border.set(qn(f"w:{key}"), value)
        borders.append(border)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("left", 57), ("right", 57)):  # twips: 1 mm
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(width))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.append(margins)
    style.element.append(tbl_pr)


def _language(doc) -> None:
    """Chinese as the document's East Asian language, so Word applies Chinese line breaking."""
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _zoom(doc) -> None:
    """The report opens at 100 %. python-docx's blank document gives ``<w:zoom>`` only
    ``w:val="bestFit"``, without the ``w:percent`` ECMA-376 requires of it (wml.xsd, CT_Zoom)."""
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")


# --- page and footers --------------------------------------------------------------------------

def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(size) for size in style.A4_MM)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)


def _footers(doc) -> None:
    """Page numbers “— 1 —”, one 四号 character in from the outer edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    size = STYLES[-1].size
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[STYLE_NAMES["page_number"]]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(size)
        else:
            paragraph.paragraph_format.left_indent = Pt(size)
        paragraph.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        append_to_paragraph(paragraph, field)
        paragraph.add_run(" —")


def _drop_thumbnail(doc) -> None:
    """python-docx's blank document carries a thumbnail of its own; a template needs none."""
    drop_relationships(doc, RT.THUMBNAIL)


# --- the template's own body: one example per style, replaced when a report is written ----------

_EXAMPLES = (
    ("title", "（单位名称）\n（年度）部门整体支出预算绩效自评报告"),
    ("body", "本文件是 xlsuite 生成部门整体支出预算绩效自评报告所用的 Word 模板。报告的字体、字号、"
             "行距、缩进和页面设置都来自本文件：在 Word 中修改下列样式（开始 → 样式 → 右键“修改”）"
             "或页面设置、页脚页码，保存后用 xlsuite report 工作簿 --template 本文件 生成报告即可，"
             "无需改动程序。生成报告时，本页的示例内容会被替换；请勿删除或改名下列样式。"),
    ("heading1", "一、一级标题（样式“一级标题”：黑体 三号）"),
    ("heading2", "（一）二级标题（样式“二级标题”：楷体 三号）"),
    ("body", "正文（样式“正文”：仿宋 三号，固定行距28.95磅，首行缩进2字符）。"),
    ("attachments", "附件：1、附件名称（样式“附件说明”）"),
    ("attachments", "2、附件名称"),
    ("appendix", "附件1（样式“附件标记”：黑体 三号，自动另起一页）"),
    ("form_title", "表格标题（样式“表格标题”）"),
    ("form_caption", "（年度）（样式“表格说明”）"),
)


def _examples(doc) -> None:
    clear_body(doc)
    for kind, text in _EXAMPLES:
        paragraph = doc.add_paragraph(style=STYLE_NAMES[kind])
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
    table = doc.add_table(rows=2, cols=3)
    table.style = doc.styles[TABLE_STYLE]
    for r, row in enumerate((("表格文字", "（样式“表格文字”：", "仿宋 小五）"), ("表格样式", "“自评表格”", "细实线边框"))):
        for col, text in enumerate(row):
            cell = table.cell(r, col)
            cell.paragraphs[0].style = doc.styles[STYLE_NAMES["table_text"]]
            cell.paragraphs[0].add_run(text)
