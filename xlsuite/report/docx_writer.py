"""Draw a ``ReportDraft`` into a Word document made from the report template.

The writer decides nothing about the look: every paragraph gets a named style of the template
(``docx_template.STYLES``) and every form the template's table style, so a county's restyled
template restyles the report. The appendix forms are the official sheet plans drawn by
``docx_plan``, which sets only what belongs to the official layout (column widths, merges,
alignment, bold).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Emu

from ..adapters.docx_oxml import clear_body, set_style_id
from ..core.errors import ContractError, InputError
from ..county.own_files import REPORT_COMMENT
from ..files.atomic import write_bytes
from .docx_plan import DocxPlanWriter, line_height, paragraph_style_ids
from .docx_template import STYLE_NAMES, TABLE_STYLE, report_template_document
from .text import ReportDraft


def render_docx(draft: ReportDraft, template: str | Path | None = None, *,
                author: str = "") -> bytes:
    """The report as .docx bytes, laid out by ``template`` (the built-in one when ``None``).

    Raises:
        InputError: the template is not a Word .docx file.
        ContractError: the template lacks a style the report needs.
    """
    doc = _open_template(template)
    clear_body(doc)  # the template's example content; its final section stays
    ids = paragraph_style_ids(doc)
    _paragraph(doc, ids["title"], "\n".join(draft.title))
    for p in draft.paragraphs:
        _paragraph(doc, ids[p.kind], p.text)
    if len(draft.attachments) == 1:
        _paragraph(doc, ids["attachments"], f"附件：{draft.attachments[0]}")
    elif draft.attachments:
        lines = [f"{i}、{name}" for i, name in enumerate(draft.attachments, 1)]
        _paragraph(doc, ids["attachments"], "附件：" + "\n".join(lines))
    if draft.signature:
        _signature(doc, ids["body"], draft.signature)
    forms = DocxPlanWriter(doc, ids, above_pt=line_height(doc, "appendix"))
    for i, plan in enumerate(draft.forms):
        # 附件1 is the department form, 附件2 the project forms (the plan breaks their pages).
        _paragraph(doc, ids["appendix"], f"附件{i + 1}" if len(draft.forms) > 1 else "附件")
        forms.write_plans([plan])
    props = doc.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.title = core_text("".join(draft.title))
    props.author = props.last_modified_by = core_text(author or "xlsuite")
    props.comments = REPORT_COMMENT  # how xlsuite knows its own draft again
    props.created = props.modified = now
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


CORE_TEXT_MAX = 255
"""The most characters python-docx (and Word's 文件属性) take in a core property such as the
title; a longer 单位名称 is cut there only, never in the body."""


def core_text(text: str) -> str:
    """``text`` fit for a core property: at most ``CORE_TEXT_MAX`` characters, ending in … when cut."""
    return text if len(text) <= CORE_TEXT_MAX else text[:CORE_TEXT_MAX - 1] + "…"


def write_docx(draft: ReportDraft, path: str | Path, template: str | Path | None = None, *,
               author: str = "") -> Path:
    """Write the report to ``path`` atomically; returns the path."""
    return write_bytes(path, render_docx(draft, template, author=author))


# --- template ----------------------------------------------------------------------------------

def _open_template(template: str | Path | None):
    if template is None:
        return report_template_document()
    path = Path(template)
    if not path.is_file():
        raise InputError(path, "找不到报告模板文件")
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(path, "不是有效的 Word 报告模板（需要 .docx 文件）") from None
    names = {style.name for style in doc.styles}
    missing = [n for n in (*STYLE_NAMES.values(), TABLE_STYLE) if n not in names]
    if missing:
        raise ContractError(path, f"报告模板缺少样式：{'、'.join(missing)}"
                                  "（请在 xlsuite 生成的 自评报告模板.docx 上修改样式，不要删除或改名）")
    return doc


SIGNATURE_INDENT_EM = 4
"""The 落款 ends this many characters short of the right margin, as GB/T 9704 places the date."""


def _signature(doc, body_style_id: str | None, lines: tuple[str, ...]) -> None:
    """The 落款 below the body: a blank line, then who signs and the date, right-aligned in the
    body's style (a county's template restyles it with the body)."""
    size = doc.styles[STYLE_NAMES["body"]].font.size
    _paragraph(doc, body_style_id, "")
    for line in lines:
        paragraph = _paragraph(doc, body_style_id, line)
        fmt = paragraph.paragraph_format
        fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.RIGHT, Emu(0)
        if size is not None:
            fmt.right_indent = Emu(size * SIGNATURE_INDENT_EM)
        fmt.keep_with_next = line != lines[-1]


def _paragraph(doc, style_id: str | None, text: str):
    """A paragraph of the template style ``style_id`` (``paragraph_style_ids``); python-docx
    writes ``\n`` as a line break (lines of one paragraph, as Word users break a title)."""
    paragraph = doc.add_paragraph()
    set_style_id(paragraph, style_id)
    paragraph.add_run(text)
    return paragraph
