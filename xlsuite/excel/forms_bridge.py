"""校验, 评分 and 生成自评表 inside Excel, from the same sheet plans as ``xlsuite score``.

Each action reads the open book once (``bookio``: one bulk read per sheet, 校验结果 included),
validates and scores it with the core, and writes the plans of ``xlsuite.forms`` with
``plan_writer``. All three write 校验结果 in the one layout of ``forms.findings`` and colour its
cells the same way (``cell_colours``), so whichever ran last, the next run reads the list back
and restores the colours of cells that are no longer listed. 评分 also fills the 得分 column and
stamps the meta sheet, exactly what ``xlsuite score`` writes into its copy of the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .. import contract as c
from ..forms import department_form, findings_sheet, indicator_scores, project_forms, score_stamp
from ..scoring import score_book
from ..validation import validate_book
from . import bookio
from .cell_colours import colour_plan, paint, previous_cells, summary
from .plan_writer import is_desktop, write_cell_values, write_meta, write_plans

TITLE = "绩效自评"


def validate_into(book) -> str:
    """校验: 校验结果 (with links), offending cells coloured, previous colours cleared, a
    message box. Returns the message."""
    department, grids = bookio.read_department(book, extra=(c.FINDINGS_SHEET,))
    findings = validate_book(department)
    _write(book, grids, [_findings_plan(department, findings)], findings)
    book.sheets[c.FINDINGS_SHEET].activate()
    text = summary(findings)
    book.app.alert(text, title=TITLE)
    return text


def score_into(book) -> str:
    """评分: scores into 得分, the forms, 校验结果, the score stamp; returns the message."""
    department, grids = bookio.read_department(book, extra=(c.FINDINGS_SHEET,))
    score = score_book(department)
    findings = validate_book(department)
    write_cell_values(book, indicator_scores(score), grids)
    plans = [department_form(department, score), project_forms(department, score),
             _findings_plan(department, findings, score.profile)]
    _write(book, grids, plans, findings)
    # A live book has no file bytes: the stamp's digest is of the values read.
    digest = hashlib.sha256(repr(sorted(grids.items())).encode("utf-8")).hexdigest()
    stamp = score_stamp(score, input_sha256=digest, when=dt.datetime.now().astimezone())
    if c.META_SHEET in grids:
        write_meta(book, stamp, grids.get(c.META_SHEET), c.META_SHEET)
    book.sheets[c.DEPARTMENT_FORM_SHEET].activate()
    dept = score.department
    text = (f"评分完成：部门整体 {dept.total} 分（{dept.grade or '未评级'}），项目 {len(score.projects)} 个；"
            f"校验发现 {len(findings)} 项。已生成“{c.DEPARTMENT_FORM_SHEET}”“{c.PROJECT_FORM_SHEET}”。")
    book.app.alert(text, title=TITLE)
    return text


def forms_into(book) -> str:
    """生成自评表: the two official forms (and 校验结果); nothing written into the data. Returns
    the message."""
    department, grids = bookio.read_department(book, extra=(c.FINDINGS_SHEET,))
    score = score_book(department)
    findings = validate_book(department)
    plans = [department_form(department, score), project_forms(department, score),
             _findings_plan(department, findings, score.profile)]
    _write(book, grids, plans, findings)
    book.sheets[c.DEPARTMENT_FORM_SHEET].activate()
    text = f"已生成“{c.DEPARTMENT_FORM_SHEET}”和“{c.PROJECT_FORM_SHEET}”，可直接打印（A4）。"
    book.app.alert(text, title=TITLE)
    return text


def _findings_plan(department, findings, profile: str | None = None):
    note = (f"评分方案：{profile}。" if profile else "") + "点击“位置”可跳转到对应单元格。"
    return findings_sheet(findings, unit_name=department.info.unit_name, note=note)


def _write(book, grids, plans, findings) -> None:
    """Write ``plans`` after the last visible sheet (or where they stand), then the colours."""
    colours = colour_plan(findings, previous_cells(grids.get(c.FINDINGS_SHEET)), grids)
    write_plans(book, plans, after_sheet=_last_visible(book))
    paint(book, colours, desktop=is_desktop(book))


def _last_visible(book) -> str | None:
    """The last data sheet: new generated sheets go after it, in the order 部门整体自评表,
    项目自评表, 校验结果, as ``xlsuite score`` places them. Hidden sheets (meta, xlwings.conf)
    stay at the end; the remote engine cannot read visibility, so they are known by name."""
    last = None
    for sheet in book.sheets:
        name = sheet.name
        if not name.startswith("_") and name != "xlwings.conf" and name not in c.GENERATED_SHEETS:
            last = name
    return last
