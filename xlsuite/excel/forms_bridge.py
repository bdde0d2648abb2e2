"""校验, 评分 and 生成自评表 inside Excel, from the same sheet plans as ``xlsuite score``.

Each action reads the open book once (``bookio``: one bulk read per sheet, 校验结果 included),
validates and scores it with the core, and writes the plans of ``xlsuite.forms`` with
``plan_writer``. All three write 校验结果 in the one layout of ``forms.findings`` and colour its
cells the same way (``cell_colours``), so whichever ran last, the next run reads the list back
and restores the colours of cells that are no longer listed. 评分 also fills the 得分 column and
stamps the meta sheet, exactly what ``xlsuite score`` writes into its copy of the file.
评分 and 生成自评表 first ask before replacing forms or 得分 cells, and save a backup (``safeguard``).
"""

from __future__ import annotations

import datetime as dt

from ..core import contract as c
from ..core.evaluation import Evaluation, evaluate
from ..forms.outputs import findings_plan, form_plans, scored_outputs
from . import bookio, safeguard
from .cell_colours import colour_plan, paint, previous_cells, summary
from .plan_writer import LiveBookPlanWriter, is_desktop
from .settings import CONF_SHEET, chosen_profile

TITLE = "绩效自评"


def evaluate_open_book(book, addin_dir=None) -> tuple[Evaluation, dict[str, list[list]]]:
    """Read the open book once and evaluate it under the profile ``excel.settings`` picks;
    returns the evaluation and the grids read (校验结果 and xlwings.conf included)."""
    department, grids = bookio.read_department(book, extra=(c.FINDINGS_SHEET, CONF_SHEET))
    profile = chosen_profile(addin_dir, grids.get(CONF_SHEET), bookio.book_folder(book))
    return evaluate(department, profile), grids


def validate_into(book, addin_dir=None) -> str:
    """校验: 校验结果 (with links), offending cells coloured, previous colours cleared, a
    message box. Returns the message."""
    evaluation, grids = evaluate_open_book(book, addin_dir)
    _write(_writer(book, grids), grids, [findings_plan(evaluation)], evaluation.findings)
    book.sheets[c.FINDINGS_SHEET].activate()
    text = summary(evaluation.findings)
    book.app.alert(text, title=TITLE)
    return text


def score_into(book, addin_dir=None) -> str:
    """评分: scores into 得分, the forms, 校验结果, the score stamp; returns the message."""
    evaluation, grids = evaluate_open_book(book, addin_dir)
    # A live book has no file bytes: the stamp's digest is of the values read.
    digest = bookio.grids_digest(grids)
    outputs = scored_outputs(evaluation, input_sha256=digest, when=dt.datetime.now().astimezone())
    try:
        backup = safeguard.confirm_and_back_up(
            book, "评分", safeguard.replacing(grids, bookio.sheet_names(book), outputs.scores))
    except safeguard.Cancelled:
        return CANCELLED.format(label="评分")
    writer = _writer(book, grids)
    writer.write_values(outputs.scores)
    _write(writer, grids, outputs.plans, evaluation.findings)
    writer.write_meta(outputs.stamp)
    forms = _forms(outputs.plans)
    book.sheets[forms[0]].activate()
    score = evaluation.score
    dept = score.department
    whole = (f"填报范围{c.SCOPE_PROJECTS}（不评价部门整体）" if evaluation.book.projects_only
             else f"部门整体 {dept.total} 分（{dept.grade or c.NOT_RATED}）")
    text = (f"评分完成：{whole}，项目 {len(score.projects)} 个；"
            f"校验发现 {len(evaluation.findings)} 项。已生成{_named(forms)}。"
            + _backed_up(backup))
    book.app.alert(text, title=TITLE)
    return text


def forms_into(book, addin_dir=None) -> str:
    """生成自评表: the two official forms (and 校验结果); nothing written into the data. Returns
    the message."""
    evaluation, grids = evaluate_open_book(book, addin_dir)
    try:
        backup = safeguard.confirm_and_back_up(
            book, "生成自评表", safeguard.replacing(grids, bookio.sheet_names(book)))
    except safeguard.Cancelled:
        return CANCELLED.format(label="生成自评表")
    plans = form_plans(evaluation)
    _write(_writer(book, grids), grids, plans, evaluation.findings)
    forms = _forms(plans)
    book.sheets[forms[0]].activate()
    text = f"已生成{'和'.join(f'“{name}”' for name in forms)}，可直接打印（A4）。" + _backed_up(backup)
    book.app.alert(text, title=TITLE)
    return text


CANCELLED = "{label}已取消，工作簿未做任何修改。"


def _forms(plans) -> list[str]:
    """The official forms among ``plans`` (no 部门整体自评表 for a 仅项目 book)."""
    return [plan.name for plan in plans if plan.name in safeguard.FORM_SHEETS]


def _named(names: list[str]) -> str:
    return "".join(f"“{name}”" for name in names)


def _backed_up(backup) -> str:
    return f"\n修改前的工作簿已备份为：{backup}" if backup is not None else ""


def _writer(book, grids) -> LiveBookPlanWriter:
    """The book's writer: generated sheets where they stand, new ones after the last visible
    sheet."""
    return LiveBookPlanWriter(book, grids, after_sheet=_last_visible(book))


def _write(writer: LiveBookPlanWriter, grids, plans, findings) -> None:
    """Write ``plans`` (see ``_writer``), then the colours."""
    colours = colour_plan(findings, previous_cells(grids.get(c.FINDINGS_SHEET)), grids)
    writer.write_plans(plans)
    paint(writer.book, colours, desktop=is_desktop(writer.book))


def _last_visible(book) -> str | None:
    """The last data sheet: new generated sheets go after it, in the order 部门整体自评表,
    项目自评表, 校验结果, as ``xlsuite score`` places them. Hidden sheets (meta, xlwings.conf)
    stay at the end; a JSON host cannot read visibility, so they are known by name."""
    last = None
    for sheet in book.sheets:
        name = sheet.name
        if not name.startswith("_") and name != CONF_SHEET and name not in c.GENERATED_SHEETS:
            last = name
    return last
