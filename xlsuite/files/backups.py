"""The names of the copies the Excel buttons save before they change a workbook.

评分 and 生成自评表 replace sheets and overwrite 得分, and a macro clears Excel's undo list: so
before changing anything they save a copy of the book beside it (``excel.safeguard``), named
``<name>（修改前备份 20261201-114500）.xlsx``. A county folder search (``discover``) passes over
such a copy when the book it was made from is in the same folder — it is the same submission
twice — and says so; a copy whose original is not there is read like any workbook, so a
department that sent only its backup is not lost.
"""

from __future__ import annotations

import datetime as dt
import re

BACKUP_MARK = "修改前备份"
_BACKUP = re.compile(rf"^(?P<stem>.+)（{BACKUP_MARK} \d{{8}}-\d{{6}}）(?P<suffix>\.[^.]+)?$")


def backup_name(name: str, when: dt.datetime, default_suffix: str = ".xlsx") -> str:
    """The backup's file name for the book named ``name`` (``部门.xlsx``, or ``工作簿1`` for a book
    never saved, which gets ``default_suffix``)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, default_suffix.lstrip(".")
    return f"{stem}（{BACKUP_MARK} {when:%Y%m%d-%H%M%S}）.{suffix}"


def original_name(name: str) -> str | None:
    """The name of the book a backup named ``name`` was made from; ``None`` for any other name."""
    found = _BACKUP.match(name)
    if not found:
        return None
    return found["stem"] + (found["suffix"] or "")
