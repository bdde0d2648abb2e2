"""Before 评分 and 生成自评表 change a book: ask, and save a copy that can be gone back to.

A macro clears Excel's undo list, so what a button replaces (the two forms, which an accountant
may have retouched by hand, and 得分 cells holding other numbers) would be gone for good. So when
there is something to replace, the button says what, asks (OK / Cancel), and before writing saves
a copy of the book as it is on screen — unsaved changes included — beside it, under the name
``backups.backup_name`` gives (which a county folder search passes over). A book with nothing to
replace (its first 评分) is neither asked about nor copied.

Desktop Excel on Windows saves the copy with ``Workbook.SaveCopyAs``; Excel for Mac has no such
call, so there the saved file is copied, and the question says the copy holds what was last
saved. A JSON host cannot ask (its message boxes show after the action returns): there ``ask``
does not block, the saved file is copied when the book has one (a test's book named by its full
path), and the action goes ahead.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core import contract as c
from ..core.errors import InputError, os_reason
from ..core.model import CellRef
from ..files.backups import backup_name
from .bookio import book_file_name, book_folder, documents_folder
from .plan_writer import is_desktop

TITLE = "绩效自评"
FORM_SHEETS = (c.DEPARTMENT_FORM_SHEET, c.PROJECT_FORM_SHEET)
"""The sheets a button replaces that a user may have edited (校验结果 is only ever a list)."""


class Cancelled(Exception):
    """The user answered Cancel: nothing has been changed."""


@dataclass(frozen=True)
class Replacing:
    """What a button is about to replace in a book."""

    sheets: tuple[str, ...]
    scores: int
    """得分 cells holding a number (or text) other than the one about to be written."""

    def __bool__(self) -> bool:
        return bool(self.sheets or self.scores)


def replacing(grids: dict[str, list[list]], sheet_names: list[str],
              scores: list[tuple[CellRef, Decimal]] = ()) -> Replacing:
    """What writing the forms (and ``scores``) into a book with these sheets and values replaces."""
    present = tuple(name for name in FORM_SHEETS if name in sheet_names)
    changed = 0
    for ref, value in scores:
        grid = grids.get(ref.sheet) or []
        old = grid[ref.row][ref.col] if ref.row < len(grid) and ref.col < len(grid[ref.row]) else ""
        if old in ("", None):
            continue
        try:
            same = Decimal(str(old)) == value
        except ArithmeticError:  # text, which the number will replace
            same = False
        changed += not same
    return Replacing(present, changed)


def confirm_and_back_up(book, label: str, what: Replacing) -> Path | None:
    """Ask before replacing ``what``; on OK save the backup.

    Returns:
        The backup's path; ``None`` when there was nothing to replace (no question, no copy) or,
        on a JSON host only, no saved file to copy.

    Raises:
        Cancelled: the user answered Cancel.
        InputError: the copy could not be saved (nothing has been changed then).
    """
    if not what:
        return None
    target = _backup_path(book)
    exact = _can_save_copy(book)
    parts = []
    if what.sheets:
        parts.append("替换已有的" + "".join(f"“{name}”" for name in what.sheets))
    if what.scores:
        parts.append(f"改写“{c.INDICATOR_SHEET}”表中 {what.scores} 个已有的得分")
    held = "当前内容（含尚未保存的修改）" if exact else "上次保存时的内容（尚未保存的修改不在其中）"
    question = (f"{label}将{'，并'.join(parts)}。\n宏所做的修改不能撤销，因此{label}前会把工作簿{held}另存为备份：\n"
                f"{target}\n需要找回原来的内容时，打开这份备份即可。\n\n是否继续{label}？")
    if not ask(book, question):
        raise Cancelled
    if not is_desktop(book) and not _saved_file(book):
        return None
    return _save_copy(book, target, exact)


def ask(book, question: str) -> bool:
    """OK / Cancel; True for OK. A JSON host cannot wait for an answer: True there."""
    if not is_desktop(book):
        return True
    return book.app.alert(question, title=TITLE, buttons="ok_cancel") != "cancel"


def _backup_path(book) -> Path:
    folder = book_folder(book) or documents_folder()
    return folder / backup_name(book_file_name(book), dt.datetime.now())


def _can_save_copy(book) -> bool:
    if not is_desktop(book):
        return False
    try:
        return hasattr(book.api, "SaveCopyAs")
    except Exception:  # noqa: BLE001 - an engine without a COM object cannot save a copy
        return False


def _saved_file(book) -> Path | None:
    folder = book_folder(book)
    path = folder / book_file_name(book) if folder is not None else None
    return path if path is not None and path.is_file() else None


def _save_copy(book, target: Path, exact: bool) -> Path:
    try:
        if exact:
            book.api.SaveCopyAs(str(target))
        else:
            saved = _saved_file(book)
            if saved is None:
                raise InputError(target, "工作簿尚未保存过，无法备份：请先保存工作簿再操作")
            shutil.copy2(saved, target)
    except OSError as exc:
        raise InputError(target, f"无法保存备份（{os_reason(exc)}），工作簿未做任何修改") from None
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - Excel's COM error: its English text is not for the user
        raise InputError(target, "无法保存备份（文件夹不可写或同名文件被占用），工作簿未做任何修改") from None
    return target
