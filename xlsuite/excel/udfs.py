"""Worksheet functions (xlwings UDFs) over the core scoring.

Each function is a plain callable (xlwings' decorators only record metadata), so tests call them
directly. Cell values arrive as Excel gives them: ``float`` for numbers, ``str`` for text, ``None``
for a blank cell. Every function converts them exactly as the reader converts a saved book, then
calls the same core function ``xlsuite score`` uses, so a cell shows the score the batch gives.

They never raise: a blank input gives ``""`` (the cell stays blank), input that cannot be scored
gives a short Chinese text saying why, and anything unexpected gives ``#计算出错``.

``XLSUITE_SCORES`` scores a whole block of indicator rows in one call: per-cell UDFs each cost a
cross-process call, which is what makes xlwings workbooks slow.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import xlwings as xw

from ..core import contract as c
from ..core.errors import XlsuiteError
from ..core.model import UNIT_NOTE, Indicator
from ..core.profile import Profile, national_profile
from ..core.scoring import rules as r
from ..core.scoring.engine import score_indicator
from ..core.scoring.targets import parse_target
from ..reader.parse import _Cells
from .settings import default_addin_dir, open_book_profile

_INDICATOR = c.INDICATOR_SHEET_DEF
_KEYS = [col.key for col in _INDICATOR.columns]
SCORES_COLUMNS = tuple(_KEYS[_KEYS.index("direction"):_KEYS.index("score") + 1])
"""The 绩效指标 columns ``XLSUITE_SCORES`` takes, left to right: 方向 … 得分 (contract order)."""

UNEXPECTED = "#计算出错"
TOO_BIG = "数值过大，无法评分"


_BOOK_PROFILES: dict[str, Profile] = {}


def _profile(caller=None) -> Profile:
    """The profile of the calling cell's workbook, as the buttons choose it (``settings``).

    xlwings passes the calling cell as ``caller``; a call with none (a test, a script) gets the
    national default. A book's profile is looked up once per session: a UDF is called on every
    recalculation, and each lookup reads two sheets across processes.
    """
    if caller is None:
        return national_profile()
    book = caller.sheet.book
    key = str(book.fullname)
    if key not in _BOOK_PROFILES:
        _BOOK_PROFILES[key] = open_book_profile(book, default_addin_dir())
    return _BOOK_PROFILES[key]


def _rules(caller):
    """The scoring rules for ``caller``'s book.

    Raises:
        _Bad: its profile setting is unusable; the cell says so (never the national rules in
            its place: that would change scores).
    """
    try:
        return _profile(caller).rules
    except XlsuiteError as exc:
        raise _Bad(f"评分方案无法使用：{exc.reason}") from None


def _never_raise(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except _Bad as bad:  # input, or a profile setting, the cell cannot be scored with
            return str(bad)
        except Exception:  # a UDF must answer with a value, never a traceback in a cell
            return UNEXPECTED
    return wrapper


class _Bad(Exception):
    """An input that cannot be used; its message is what the cell shows."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value, what: str) -> Decimal | None:
    """A numeric input as the reader reads it; text that is no number is bad input."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Bad(f"{what}应为数字")
    cells = _Cells()
    # As the reader reads a 分值 or 得分 cell: 「10分」 is 10; other text is no number.
    number = cells.decimal(value, ("", 0, 0), what, units=c.UNIT_WORDS["number"])
    if cells.problems or any(n.kind != UNIT_NOTE for n in cells.notes) or number is None \
            or not number.is_finite():
        raise _Bad(f"{what}应为数字")
    return number


def _value(value):
    """An indicator target or actual: a number, or text (a qualitative value)."""
    result = _Cells().value(value)
    if isinstance(result, Decimal) and not result.is_finite():
        raise _Bad("数值无效")
    return result


def _text(value) -> str:
    return "" if value is None else _Cells().text(value)


def _out(score: Decimal) -> float:
    return float(score)


def _score_row(direction, target, unit, actual, grade, weight, given, rules):
    """One indicator row's score: a number, ``""`` for a blank row, or a text saying why not."""
    if all(_blank(v) for v in (direction, target, actual, grade, weight, given)):
        return ""
    try:
        indicator = Indicator(subject="", level1="", level2="", level3="",
                              direction=_text(direction), target=_value(target), unit=_text(unit),
                              actual=_value(actual), grade=_text(grade),
                              weight=_number(weight, _INDICATOR.column("weight").header),
                              score=_number(given, _INDICATOR.column("score").header))
    except _Bad as bad:
        return str(bad)
    if indicator.direction == "":
        return "缺少方向"
    try:
        result = score_indicator(indicator, rules)
    except ArithmeticError:  # beyond Decimal's 28 digits: no real weight or target is this big
        return TOO_BIG
    if not _scorable(indicator, result):
        # The engine scores such a row 0 with a note; the cell says why instead.
        return result.note.replace("，记 0 分", "") or "无法评分"
    return _out(result.score)


def _scorable(indicator: Indicator, result) -> bool:
    """Whether the engine had what it needs (numbers or dates for ≥/≤/=, as it reads them; a
    grade, chosen or read from the score's band, and a score for 定性; a weight of at most 100)."""
    if indicator.weight is not None and indicator.weight > r.MAX_WEIGHT:
        return False
    if indicator.direction == c.QUALITATIVE:
        return bool(result.qualitative_grade) and indicator.score is not None
    return indicator.direction in c.QUANTITATIVE_DIRECTIONS and result.quant is not None


@xw.func
@_never_raise
def XLSUITE_SCORE(direction, target, actual, weight, grade=None, given=None, caller=None):
    """一个绩效指标的得分（方向, 年度指标值, 实际完成值, 分值, [定性等级], [定性得分]）。

    Same score as ``xlsuite score`` gives the row. Blank row → ``""``; unusable input → a text.
    """
    return _score_row(direction, target, None, actual, grade, weight, given, _rules(caller))


@xw.func
@xw.arg("rows", ndim=2)
@_never_raise
def XLSUITE_SCORES(rows, caller=None):
    """整列指标一次评分：选中 绩效指标 表 方向…得分 各列的区域，返回每行得分（一列）。

    ``rows`` holds the columns of ``SCORES_COLUMNS``; one result row per input row.
    """
    if not rows:
        return [[""]]
    try:
        rules = _rules(caller)
    except _Bad as bad:
        return [[str(bad)] for _ in rows]
    width = len(SCORES_COLUMNS)
    out = []
    for row in rows:
        cells = list(row)[:width] + [None] * (width - len(row))
        try:
            out.append([_score_row(*cells, rules)])
        except Exception:
            out.append([UNEXPECTED])
    return out


@xw.func
@_never_raise
def XLSUITE_EXECUTION_SCORE(budget, executed, caller=None):
    """预算执行率得分（全年预算数, 全年执行数），满分按评分方案（全国默认 10 分）。"""
    if _blank(budget) and _blank(executed):
        return ""
    try:
        budget_, executed_ = (_number(value, c.budget_column(key).header)
                              for value, key in ((budget, "adjusted"), (executed, "executed")))
    except _Bad as bad:
        return str(bad)
    if budget_ is None or budget_ <= 0:
        return "全年预算数应大于 0"
    try:
        return _out(r.execution_score(r.execution_rate(budget_, executed_), _rules(caller)))
    except ArithmeticError:
        return TOO_BIG


@xw.func
@_never_raise
def XLSUITE_GRADE(total, caller=None):
    """总分的等级：优 / 良 / 中 / 差（全国默认 90 / 80 / 60 分界）。"""
    try:
        value = _number(total, "总分")
    except _Bad as bad:
        return str(bad)
    if value is None:
        return ""
    return r.grade_of(value, _rules(caller))


@xw.func
@_never_raise
def XLSUITE_TARGET(text):
    """拆分指标值文字（如“≥95%”“≤50万元”“达成”）为 方向、数值、计量单位 三格（一行）。"""
    if _blank(text):
        return [["", "", ""]]
    target = parse_target(text)
    value = "" if target.value is None else _out(target.value)
    if target.period is not None:
        value = str(target.period)  # a date (a 时效 target) as text: the engine reads it back
    return [[target.direction, value, target.unit]]
