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
from dataclasses import dataclass
from pathlib import Path

from .. import contract as c
from ..atomic import write_via_temp
from ..errors import InputError
from ..profile import Profile, load_profile
from ..scoring import BookScore, score_book
from ..validation import Finding, validate_book
from .findings import findings_sheet
from .official import department_form, project_forms
from .values import indicator_scores, score_stamp

OUTPUT_SUFFIX = "-评分"
"""Default output: ``<stem>-评分<suffix>`` next to the input."""


@dataclass(frozen=True)
class ScoredBook:
    path: Path
    """The workbook written."""
    score: BookScore
    findings: list[Finding]


def default_output(book: Path) -> Path:
    return book.with_name(f"{book.stem}{OUTPUT_SUFFIX}{book.suffix}")


def score_book_file(book: str | Path, out: str | Path | None = None, profile: Profile | None = None,
                    now: dt.datetime | None = None) -> ScoredBook:
    """Score the workbook ``book`` and write the scored copy.

    Args:
        book: the department's workbook (.xlsx or .xlsm); never modified.
        out: the file to write, or a folder to write the default name into; default
            ``<stem>-评分.xlsx`` next to ``book``. Written atomically (temp file + rename).
        profile: the scoring profile (national by default).
        now: the time to stamp (default: now).

    Raises:
        InputError: ``book`` cannot be read, ``out`` would be ``book`` itself or has the
            wrong type, or ``out`` cannot be written.
        ContractError, CellValueError: as ``read_book``.
    """
    import openpyxl

    from ..reader import read_book
    from .xlsx_writer import apply_plan, write_meta, write_values

    book = Path(book)
    target = _target(book, out)
    profile = profile or load_profile()
    model = read_book(book)
    data = book.read_bytes()
    score = score_book(model, profile)
    findings = validate_book(model, profile)

    macro = book.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=macro, keep_links=True)
    write_values(wb, indicator_scores(score))
    index = _generated_index(wb)
    note = f"评分方案：{score.profile}。点击“位置”可跳转到对应单元格。"
    plans = (department_form(model, score), project_forms(model, score),
             findings_sheet(findings, unit_name=model.info.unit_name, note=note))
    for i, plan in enumerate(plans):
        apply_plan(wb, plan, index + i)
    when = now or dt.datetime.now().astimezone()
    write_meta(wb, score_stamp(score, input_sha256=hashlib.sha256(data).hexdigest(), when=when))
    _activate(wb, c.DEPARTMENT_FORM_SHEET)
    _save_atomically(wb, target)
    return ScoredBook(target, score, findings)


def _target(book: Path, out: str | Path | None) -> Path:
    target = Path(out) if out is not None else default_output(book)
    if target.is_dir():
        target = target / default_output(book).name
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(target, "输出文件须为 .xlsx 或 .xlsm 工作簿")
    if (book.suffix.lower() == ".xlsm") != (target.suffix.lower() == ".xlsm"):
        raise InputError(target, f"输出文件的扩展名须与输入文件 {book.name} 一致（含宏的工作簿为 .xlsm）")
    if target.resolve() == book.resolve() or (target.exists() and book.exists()
                                               and os.path.samefile(target, book)):
        raise InputError(target, "输出文件不能是输入工作簿本身（评分不修改原文件），请用 -o 指定其他文件名")
    return target


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
