"""评分 and 生成自评表 inside Excel: the seam to the writer-agnostic form plans.

The official forms and the score stamp are built by ``xlsuite.forms`` as sheet plans (cells,
merges, widths, page breaks) from pure functions, with a file writer for ``xlsuite score``. These
two actions are to read the book with ``bookio.read_department``, build the same plans, and write
each plan into the open book with an xlwings plan writer (one ``setValues`` per plan, then its
merges, widths and breaks), so 评分 in Excel equals ``xlsuite score`` on the saved file.

Until ``xlsuite.forms`` exists in this xlsuite, the buttons say so in Chinese.
"""

from __future__ import annotations

from ..errors import XlsuiteError
from . import bookio

NOT_YET = "本版本 xlsuite 还没有自评表生成模块，暂不能在 Excel 中{what}；可先使用“校验”，或升级 xlsuite。"


def score_into(book) -> str:
    bookio.read_department(book)  # a bad book gets its own message first
    raise XlsuiteError(None, NOT_YET.format(what="评分"))


def forms_into(book) -> str:
    bookio.read_department(book)
    raise XlsuiteError(None, NOT_YET.format(what="生成自评表"))
