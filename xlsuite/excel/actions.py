"""The button actions 校验 / 评分 / 生成自评表 / 生成报告, written against the xlwings ``Book`` API.

Each action reads every sheet it needs first (one bulk read per sheet), computes with the core,
then writes in a few bulk calls (``plan_writer``): the number of calls into Excel does not grow
with the book.
Reads come before writes also because a JSON host (``host``) records writes, so a read after a
write would see the old value.

The VBA buttons call ``run_button(name, entry)`` through xlwings' ``RunPython``; it acts on the
workbook that was active when the button was pressed, under the profile ``settings`` picks from
the ``xlsuite.toml`` beside the workbook holding the buttons (``buttons_folder``). The call names
only the action and where it was pressed, in ASCII words: xlwings pastes it unescaped into a
``cmd.exe`` command line, where a quote, a space in a user name or a ``%`` would break it
(``docs/excel-install.md`` §八). Every error becomes one Chinese message: a message box when the
book can be reached, else a line on stderr, which xlwings shows in its error box; never a
traceback (the details go to a log file for whoever supports them).
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn

from ..core.errors import CellValueError, XlsuiteError

TITLE = "绩效自评"
LOG_FILE = Path(tempfile.gettempdir()) / "xlsuite-excel.log"


def validate(book, addin_dir=None) -> str:
    """校验: findings into 校验结果 (with links), offending cells coloured, previous colours
    cleared, a summary message. Returns the summary."""
    from .forms_bridge import validate_into

    return validate_into(book, addin_dir)


def score(book, addin_dir=None) -> str:
    """评分: the same scores, forms and findings as ``xlsuite score``, into the open book."""
    from .forms_bridge import score_into

    return score_into(book, addin_dir)


def forms(book, addin_dir=None) -> str:
    """生成自评表: the two official forms (and 校验结果)."""
    from .forms_bridge import forms_into

    return forms_into(book, addin_dir)


def report(book, addin_dir=None) -> str:
    """生成报告: the self-evaluation report (.docx) beside the workbook."""
    from .report_action import report_into

    return report_into(book, addin_dir)


ACTIONS = {"validate": validate, "score": score, "forms": forms, "report": report}
LABELS = {"validate": "校验", "score": "评分", "forms": "生成自评表", "report": "生成报告"}


ENTRY_ADDIN = "addin"
"""``run_button``'s entry: the ribbon of the add-in (xlsuite.xlam)."""
ENTRY_BOOK = "book"
"""``run_button``'s entry: a button on the macro-enabled template (.xlsm) itself."""

NO_CALLER = ("{label}未完成：找不到按下按钮的工作簿（{reason}）。请先保存工作簿，文件名中不要有“%”，"
             "然后重试；仍不行请联系财政局绩效股，并附上日志文件 {log}。")
NO_XLWINGS = ("{label}未完成：本机的 Python 中没有可用的 xlwings（{reason}）。"
              "请重新运行财政局离线安装包中的 安装.bat。")


def run_button(name: str, entry: str = ENTRY_BOOK) -> None:
    """Entry point of the VBA buttons: run action ``name`` on the calling workbook.

    Args:
        name: a key of ``ACTIONS``.
        entry: ``ENTRY_ADDIN`` or ``ENTRY_BOOK``, where the button was pressed.

    Exits with status 1 and one Chinese line on stderr when no workbook can be reached to show
    a message in (xlwings then shows that line); every later error is a message box (``run``).
    """
    label = LABELS.get(name, "操作")
    try:
        import xlwings as xw
    except Exception as exc:  # a broken install: ImportError, or a DLL pywin32 cannot load
        _fail(NO_XLWINGS.format(label=label, reason=_short(exc)), traceback.format_exc())
    try:
        book = xw.Book.caller()
    except Exception as exc:
        _fail(NO_CALLER.format(label=label, reason=_short(exc), log=LOG_FILE), traceback.format_exc())
    run(book, ACTIONS[name], buttons_folder(book, entry))


def buttons_folder(book, entry: str) -> str | None:
    """The folder of the workbook holding the buttons, where the county's ``xlsuite.toml`` is.

    For the add-in Excel itself is asked where the open xlsuite.xlam lives (an add-in is not
    listed among the workbooks, but Excel finds it by name); the default install folder is the
    answer when Excel cannot be asked. For the .xlsm, its buttons are on the book itself.
    """
    from . import bookio

    if entry == ENTRY_ADDIN:
        from .settings import default_addin_dir
        from .startup import ADDIN_FILENAME

        try:
            return str(book.app.api.Workbooks(ADDIN_FILENAME).Path)
        except Exception:  # no COM here (a host of the JSON protocol), or the add-in renamed
            folder = default_addin_dir()
            return str(folder) if folder is not None else None
    folder = bookio.book_folder(book)
    return str(folder) if folder is not None else None


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _fail(message: str, details: str) -> NoReturn:
    # stderr gets the one line xlwings shows; the traceback goes to the log file only
    _to_log_file(details + message + "\n")
    raise SystemExit(message)


def run(book, action, addin_dir: str | None = None) -> None:
    """Run ``action`` on ``book``; any error becomes a Chinese message box, never a traceback."""
    label = next((LABELS[k] for k, v in ACTIONS.items() if v is action), "操作")
    try:
        action(book, addin_dir)
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
    _to_log_file(text + "\n")


def _to_log_file(text: str) -> None:
    try:
        with LOG_FILE.open("a", encoding="utf-8") as f:
            f.write(text)
    except OSError:
        pass
