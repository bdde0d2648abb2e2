"""The button actions 校验 / 评分 / 生成自评表 / 生成报告, written against the xlwings ``Book`` API.

Each action reads every sheet it needs first (one bulk read per sheet), computes with the core,
then writes in a few bulk calls (``plan_writer``): the number of calls into Excel does not grow
with the book.
Reads come before writes also because xlwings' remote engine queues writes, so a read after a
write would see the old value.

The VBA buttons call ``run_button(name, folder)`` through xlwings' ``RunPython``; it acts on the
workbook that was active when the button was pressed, under the profile ``settings`` picks
(``folder`` is where the add-in, or the .xlsm with the buttons, lives: its ``xlsuite.toml``). Every error becomes a Chinese message box: a
user never sees a traceback (the details go to a log file for whoever supports them).
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path

from ..errors import CellValueError, XlsuiteError

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


def run_button(name: str, addin_dir: str | None = None) -> None:
    """Entry point of the VBA buttons: run action ``name`` on the calling workbook.

    Args:
        name: a key of ``ACTIONS``.
        addin_dir: the folder of the workbook holding the buttons (VBA's ``ThisWorkbook.Path``).
    """
    import xlwings as xw

    run(xw.Book.caller(), ACTIONS[name], addin_dir or None)


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
    try:
        with LOG_FILE.open("a", encoding="utf-8") as f:
            f.write(text + "\n")
    except OSError:
        pass
