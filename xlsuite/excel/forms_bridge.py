"""评分 and 生成自评表 inside Excel, from the same form plans as ``xlsuite score``.

Both read the open book once (``bookio``), score and validate it with the core, build the plans
of ``xlsuite.forms`` and write them with ``plan_writer``. 评分 also fills the 得分 column and
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
from .plan_writer import write_cell_values, write_meta, write_plan


def _plans(book):
    department, grids = bookio.read_department(book)
    score = score_book(department)
    findings = validate_book(department)
    note = f"评分方案：{score.profile}。点击“位置”可跳转到对应单元格。"
    plans = (department_form(department, score), project_forms(department, score),
             findings_sheet(findings, unit_name=department.info.unit_name, note=note))
    return department, grids, score, findings, plans


def _write_plans(book, plans) -> None:
    visible_last = None
    for sheet in book.sheets:
        if not sheet.name.startswith("_") and sheet.name != "xlwings.conf":
            visible_last = sheet.name
    anchor = visible_last
    for plan in plans:
        write_plan(book, plan, after_sheet=anchor)
        anchor = plan.name


def score_into(book) -> str:
    """评分: scores into 得分, the forms, 校验结果, the score stamp; returns the message."""
    department, grids, score, findings, plans = _plans(book)
    write_cell_values(book, indicator_scores(score), grids)
    _write_plans(book, plans)
    # A live book has no file bytes: the stamp's digest is of the values read.
    digest = hashlib.sha256(repr(sorted(grids.items())).encode("utf-8")).hexdigest()
    stamp = score_stamp(score, input_sha256=digest, when=dt.datetime.now().astimezone())
    if c.META_SHEET in grids:
        write_meta(book, stamp, grids.get(c.META_SHEET), c.META_SHEET)
    book.sheets[c.DEPARTMENT_FORM_SHEET].activate()
    dept = score.department
    text = (f"评分完成：部门整体 {dept.total} 分（{dept.grade or '未评级'}），项目 {len(score.projects)} 个；"
            f"校验发现 {len(findings)} 项。已生成“{c.DEPARTMENT_FORM_SHEET}”“{c.PROJECT_FORM_SHEET}”。")
    book.app.alert(text, title="绩效自评")
    return text


def forms_into(book) -> str:
    """生成自评表: the two official forms (and 校验结果) only; returns the message."""
    _, _, _, _, plans = _plans(book)
    _write_plans(book, plans)
    book.sheets[c.DEPARTMENT_FORM_SHEET].activate()
    text = f"已生成“{c.DEPARTMENT_FORM_SHEET}”和“{c.PROJECT_FORM_SHEET}”，可直接打印（A4）。"
    book.app.alert(text, title="绩效自评")
    return text
