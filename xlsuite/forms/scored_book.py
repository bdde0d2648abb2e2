"""``xlsuite score`` for files: a NEW workbook holding the input plus its scores and forms.

The input is read twice from the same bytes: by the reader into the model, and by openpyxl
(formulas kept, not values) as the base of the output, so every sheet, formula, dropdown and
style of the input survives. The input file is only ever read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..core import contract as c
from ..core.errors import InputError
from ..core.evaluation import Evaluation, evaluate
from ..core.profile import Profile, as_profile
from ..core.scoring import BookScore
from ..core.validation import Finding
from ..files.atomic import write_via_temp
from .outputs import scored_outputs

OUTPUT_SUFFIX = "-评分"
"""Default output: ``<stem>-评分<suffix>`` next to the input."""


@dataclass(frozen=True)
class ScoredBook:
    path: Path
    """The workbook written."""
    evaluation: Evaluation

    @property
    def score(self) -> BookScore:
        return self.evaluation.score

    @property
    def findings(self) -> list[Finding]:
        return self.evaluation.findings


def default_output(book: Path) -> Path:
    """``<stem>-评分.xlsx`` beside ``book`` (``.xlsm`` for a book with macros): a workbook of
    another name (an .xlsx saved as ``.xls``, which the reader takes by its bytes) still gets a
    name its output can have."""
    suffix = ".xlsm" if book.suffix.lower() == ".xlsm" else ".xlsx"
    return book.with_name(f"{book.stem}{OUTPUT_SUFFIX}{suffix}")


def score_workbook(book: str | Path, out: str | Path | None = None, profile: Profile | None = None,
                    now: dt.datetime | None = None) -> ScoredBook:
    """Score the workbook ``book`` and write the scored copy.

    Args:
        book: the department's workbook (.xlsx or .xlsm); never modified.
        out: the file to write, or a folder to write the default name into; default
            ``<stem>-评分.xlsx`` next to ``book``. Written atomically (temp file + rename).
        profile: the scoring profile (default: the one the book records, else national).
        now: the time to stamp (default: now).

    Raises:
        InputError: ``book`` cannot be read, ``out`` would be ``book`` itself or has the
            wrong type, or ``out`` cannot be written.
        ContractError, CellValueError: as ``read_book``.
    """
    from ..adapters.openpyxl_internals import load_keeping_shared_formulas
    from ..reader import read_book
    from .xlsx_writer import XlsxPlanWriter

    book = Path(book)
    profile = as_profile(profile)
    model = read_book(book)  # first: a book that cannot be read is the reason to give, not its output's name
    target = output_path(book, out)
    data = book.read_bytes()
    evaluation = evaluate(model, profile)
    outputs = scored_outputs(evaluation, input_sha256=hashlib.sha256(data).hexdigest(),
                             when=now or dt.datetime.now().astimezone())

    macro = book.suffix.lower() == ".xlsm"
    try:
        with warnings.catch_warnings():  # openpyxl's English warnings (a stylesheet it replaces) are no user's business
            warnings.simplefilter("ignore")
            wb = load_keeping_shared_formulas(io.BytesIO(data), keep_vba=macro, keep_links=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl raises on a package it cannot take
        # The reader took the book (it needs fewer parts: no [Content_Types].xml, no styles),
        # but the copy that keeps every sheet, style and formula cannot be made from it.
        raise InputError(book, "工作簿内部结构不完整或已损坏（如缺少样式或内容类型部件、部件格式有误），"
                               "无法在其副本中写入评分结果；请在 Excel 或 WPS 中打开并另存为 .xlsx 后重新评分") from None
    _drop_damaged_theme(wb)
    _unmerge(wb, [ref for ref, _ in outputs.scores])
    writer = XlsxPlanWriter(wb, _generated_index(wb))
    writer.write_values(outputs.scores)
    writer.write_plans(outputs.plans)
    writer.write_meta(outputs.stamp)
    _activate(wb, outputs.plans[0].name)  # the first form: 部门整体自评表, or 项目自评表 for 仅项目
    _save_atomically(wb, target)
    return ScoredBook(target, evaluation)


def output_path(book: str | Path, out: str | Path | None) -> Path:
    """The file ``score_workbook(book, out)`` writes (``out`` may be a folder, or None).

    Raises:
        InputError: it would be ``book`` itself, or is no .xlsx/.xlsm of the input's kind.
    """
    book = Path(book)
    target = Path(out) if out is not None else default_output(book)
    if target.is_dir():
        target = target / default_output(book).name
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(target, "输出文件须为 .xlsx 或 .xlsm 工作簿")
    if (book.suffix.lower() == ".xlsm") != (target.suffix.lower() == ".xlsm"):  # macros kept or none
        raise InputError(target, f"输出文件的扩展名须与输入文件 {book.name} 一致（含宏的工作簿为 .xlsm）")
    if target.resolve() == book.resolve() or (target.exists() and book.exists()
                                               and os.path.samefile(target, book)):
        raise InputError(target, "输出文件不能是输入工作簿本身（评分不修改原文件），请用 -o 指定其他文件名")
    return target


def _drop_damaged_theme(wb) -> None:
    """openpyxl copies the book's theme part as bytes, unparsed; no reader needs it, so a book
    whose theme is not well-formed XML still reads, and its scored copy would carry the damage
    (Excel offers to repair such a file). Such a copy gets openpyxl's default theme instead."""
    if wb.loaded_theme:
        try:
            ElementTree.fromstring(wb.loaded_theme)
        except ElementTree.ParseError:
            wb.loaded_theme = None


def _unmerge(wb, refs) -> None:
    """Split merged ranges covering cells the scores go into (a merged 得分 column): only the
    top-left cell of a merged range can hold a value. The input is never touched."""
    by_sheet: dict[str, set[tuple[int, int]]] = {}
    for ref in refs:
        by_sheet.setdefault(ref.sheet, set()).add((ref.row + 1, ref.col + 1))
    for name, cells in by_sheet.items():
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        for merged in list(ws.merged_cells.ranges):
            if any(merged.min_row <= r <= merged.max_row and merged.min_col <= col <= merged.max_col
                   for r, col in cells):
                ws.unmerge_cells(str(merged))


def _generated_index(wb) -> int:
    """Where the generated sheets go: where they were (scoring again), else after the last
    visible sheet, so the hidden sheets stay at the end."""
    names = wb.sheetnames
    existing = [names.index(n) for n in c.GENERATED_SHEETS if n in names]
    if existing:
        first = min(existing)
        for name in c.GENERATED_SHEETS:
            if name in wb.sheetnames:
                wb.remove(wb[name])
        return first
    visible = [i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible"]
    return (max(visible) + 1) if visible else len(names)


def _activate(wb, name: str) -> None:
    # Exactly one selected tab: several selected tabs would open the book with sheets grouped.
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = wb.sheetnames.index(name)
    wb[name].sheet_view.tabSelected = True


def _save_atomically(wb, target: Path) -> None:
    write_via_temp(target, wb.save)
