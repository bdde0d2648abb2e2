"""The button actions 校验 / 评分 / 生成自评表, written against the xlwings ``Book`` API.

Each action reads every sheet it needs first (one bulk read per sheet), computes with the core,
then writes in a few bulk calls: the number of calls into Excel does not grow with the book.
Reads come before writes also because xlwings' remote engine queues writes, so a read after a
write would see the old value.

The VBA buttons call ``run_button(name)`` through xlwings' ``RunPython``; it acts on the workbook
that was active when the button was pressed. Every error becomes a Chinese message box: a
user never sees a traceback (the details go to a log file for whoever supports them).
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path

from ..errors import CellValueError, XlsuiteError
from ..validation import validate_book
from . import bookio
from .findings_sheet import (
    FINDINGS_SHEET,
    HEADER_FILL,
    WIDTHS,
    colour_plan,
    findings_grid,
    previous_cells,
    summary,
)

TITLE = "绩效自评"
LOG_FILE = Path(tempfile.gettempdir()) / "xlsuite-excel.log"


def validate(book) -> str:
    """校验: findings into 校验结果 (with links), offending cells coloured, previous colours
    cleared, a summary message. Returns the summary."""
    department, grids = bookio.read_department(book, extra=(FINDINGS_SHEET,))
    findings = validate_book(department)
    plan = colour_plan(findings, previous_cells(grids.get(FINDINGS_SHEET)), grids)
    # Writes from here on.
    sheet = _fresh_sheet(book, FINDINGS_SHEET)
    rows = findings_grid(findings)
    sheet.range((1, 1)).value = rows
    for i, width in enumerate(WIDTHS, start=1):
        sheet.range((1, i)).column_width = width
    header = sheet.range((2, 1), (2, len(rows[1])))
    header.color = HEADER_FILL
    header.font.bold = True
    _paint(book, plan)
    sheet.activate()
    text = summary(findings)
    book.app.alert(text, title=TITLE)
    return text


def score(book) -> str:
    """评分 (waits for the form plans: see ``forms_bridge``)."""
    from .forms_bridge import score_into

    return score_into(book)


def forms(book) -> str:
    """生成自评表 (waits for the form plans: see ``forms_bridge``)."""
    from .forms_bridge import forms_into

    return forms_into(book)


ACTIONS = {"validate": validate, "score": score, "forms": forms}
LABELS = {"validate": "校验", "score": "评分", "forms": "生成自评表"}


def run_button(name: str) -> None:
    """Entry point of the VBA buttons: run action ``name`` on the calling workbook."""
    import xlwings as xw

    run(xw.Book.caller(), ACTIONS[name])


def run(book, action) -> None:
    """Run ``action`` on ``book``; any error becomes a Chinese message box, never a traceback."""
    label = next((LABELS[k] for k, v in ACTIONS.items() if v is action), "操作")
    try:
        action(book)
    except CellValueError as exc:
        _alert(book, f"{label}未完成：{exc.reason}\n请改正这些单元格后再试。")
    except XlsuiteError as exc:
        _alert(book, f"{label}未完成：{exc.reason}")
    except Exception:
        _log(traceback.format_exc())
        _alert(book, f"{label}未完成：程序内部出错。请保存工作簿后联系财政局绩效股，"
                     f"并附上日志文件 {LOG_FILE}。")


def _alert(book, text: str) -> None:
    try:
        book.app.alert(text, title=TITLE)
    except Exception:  # no way left to tell the user: at least keep it in the log
        _log(text)


def _log(text: str) -> None:
    logging.getLogger("xlsuite").error(text)
    try:
        with LOG_FILE.open("a", encoding="utf-8") as f:
            f.write(text + "\n")
    except OSError:
        pass


def _fresh_sheet(book, name: str):
    """Sheet ``name`` emptied (values and formats), or added after the last sheet."""
    names = bookio.sheet_names(book)
    if name in names:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    # after=: the remote engine puts a sheet added with before= one place too early.
    return book.sheets.add(name, after=book.sheets[len(names) - 1])


def _paint(book, plan) -> None:
    for column in plan:
        with _unprotected(book.sheets[column.sheet]):
            book.sheets[column.sheet].range(column.address).set_colors([[f] for f in column.fills])


class _unprotected:
    """Lift a sheet's (password-less) protection while colouring it, in desktop Excel.

    The template protects its sheets against slips, which also forbids formatting cells. The
    remote engine has no protection to lift, so there this does nothing.
    """

    def __init__(self, sheet):
        self.api = None
        try:
            api = sheet.api
            if getattr(api, "ProtectContents", False):
                api.Unprotect()
                self.api = api
        except Exception:  # remote engine: api is a dict without protection
            self.api = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.api is not None:
            self.api.Protect(AllowInsertingRows=True, AllowDeletingRows=True,
                             AllowFormattingColumns=True, AllowFormattingRows=True,
                             AllowFiltering=True, AllowSorting=True)
        return False
