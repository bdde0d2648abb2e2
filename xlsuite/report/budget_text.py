"""Sentences of 三、部门预算资金使用情况: income, spending, 三公经费, 会议费 and 培训费.

Every amount is the 全年执行数 (决算) of a 收支情况 row. A part that is zero or empty is left
out of its list; a list with nothing in it becomes a "本年度无…" sentence, never an empty one.
"""

from __future__ import annotations

from decimal import Decimal

from ..core import contract as c
from ..core.amounts import line_amount
from ..core.model import DepartmentBook
from .wording import is_nonzero, join, wan

COLUMN = "executed"
"""The report states what was spent (决算): the 全年执行数 column."""


def executed(book: DepartmentBook, key: str) -> Decimal | None:
    return line_amount(book, key, COLUMN)


def parts(book: DepartmentBook, total_key: str) -> list[tuple[str, Decimal]]:
    """(name, amount) of the nonzero parts of a total row, in sheet order."""
    out = []
    for key in c.budget_row(total_key).total_of:
        value = executed(book, key)
        if is_nonzero(value):
            out.append((c.budget_row(key).name, value))
    return out


def listing(items: list[tuple[str, Decimal]]) -> str:
    """``一般公共服务支出52.18万元、社会保障和就业支出31.55万元``."""
    return "、".join(f"{name}{wan(value)}" for name, value in items)


def _breakdown(total: Decimal, items: list[tuple[str, Decimal]], what: str = "") -> str:
    """``，其中A 1万元、B 2万元`` or ``，全部为A`` (one part making the whole); empty if no parts."""
    if not items:
        return ""
    if len(items) == 1 and items[0][1] == total:
        return f"，全部为{items[0][0]}{what}"
    return f"，其中{listing(items)}"


def year_of(book: DepartmentBook) -> str:
    return f"{book.info.year}年度" if book.info.year else "本年度"


def income_and_spending(book: DepartmentBook) -> list[str]:
    """（一）部门预算资金整体收支情况: income by source, spending by functional class."""
    year = year_of(book)
    income, spending = executed(book, c.INCOME_TOTAL), executed(book, c.FUNCTION_TOTAL)
    text = ""
    if is_nonzero(income):
        text += f"{year}收入总计{wan(income)}{_breakdown(income, parts(book, c.INCOME_TOTAL))}。"
    else:
        text += f"{year}无预算收入。"
    if is_nonzero(spending):
        text += f"决算支出{wan(spending)}{_breakdown(spending, parts(book, c.FUNCTION_TOTAL))}。"
    else:
        text += "本年度无决算支出。"
    return [text]


def spending_structure(book: DepartmentBook) -> list[str]:
    """（二）整体支出及使用情况: 基本支出 (人员经费, 公用经费), 项目支出, economic classes."""
    year = year_of(book)
    total = executed(book, c.STRUCTURE_TOTAL)
    if not is_nonzero(total):
        return [f"{year}无部门决算支出。"]
    basic, project = executed(book, c.BASIC_SPENDING), executed(book, c.PROJECT_SPENDING)
    pieces = []
    if is_nonzero(basic):
        inner = parts(book, c.BASIC_SPENDING)
        if len(inner) == 1:
            detail = f"（全部为{inner[0][0]}）"
        else:
            detail = f"（{listing(inner)}）" if inner else ""
        pieces.append(f"基本支出{wan(basic)}{detail}")
    if is_nonzero(project):
        pieces.append(f"项目支出{wan(project)}")
    text = f"{year}部门决算整体支出{wan(total)}"
    if len(pieces) == 1:
        text += f"，全部为{pieces[0]}。"
    elif pieces:
        text += f"，其中{'，'.join(pieces)}。"
    else:
        text += "。"
    if not is_nonzero(project):
        text += "本年度无项目支出。"
    paragraphs = [text]
    economic = parts(book, c.ECONOMIC_TOTAL)
    if economic:
        paragraphs.append(f"按经济分类划分，{listing(economic)}。")
    return paragraphs


def controlled_spending(book: DepartmentBook) -> list[str]:
    """（三）“三公”经费、会议费、培训费: what was spent, then one sentence naming what was not."""
    year = f"{book.info.year}年" if book.info.year else "本年"
    sangong = executed(book, c.SANGONG_TOTAL)
    sangong_parts = parts(book, c.SANGONG_TOTAL)
    text = ""
    absent: list[str] = []
    if is_nonzero(sangong):
        text += f"{year}“三公”经费支出{wan(sangong)}{_breakdown(sangong, sangong_parts)}。"
        if sangong_parts:  # name the parts not spent only when the parts add up to something
            spent = {name for name, _ in sangong_parts}
            absent += [c.budget_row(k).name for k in c.budget_row(c.SANGONG_TOTAL).total_of
                       if c.budget_row(k).name not in spent]
    else:
        absent.append("“三公”经费")
    spent_controlled = []
    for row in c.budget_rows():
        if row.section == "其他" and row.key.startswith(c.CONTROLLED + "."):
            value = executed(book, row.key)
            if is_nonzero(value):
                spent_controlled.append(f"{row.name}支出{wan(value)}")
            else:
                absent.append(row.name)
    if spent_controlled:
        text += f"{'，'.join(spent_controlled)}。"
    if absent:
        text += f"本年无{join(absent, '及')}支出。"
    return [text]


NO_MISUSE = "，未发生截留或挪用专项资金等违规行为"
"""The one clause of （四） that asserts a fact: said only of a book checked on real data."""


def fund_management(checked: bool) -> list[str]:
    """（四）资金管理情况: standing text the department edits; it states no number. ``checked``:
    the book's amounts and indicators are filled and were validated (``NO_MISUSE`` then stands)."""
    return [
        "1、健全内部控制制度、财务管理制度和业务管理制度，规范财务管理，严肃财经纪律，确保会计信息真实、准确、完整。",
        f"2、按照会计制度做好财务管理工作，严格执行资金拨付审批程序，按规定支付预算资金{NO_MISUSE if checked else ''}。",
        "3、加强“三公”经费管理，杜绝无预算、超预算支出，厉行节约，确保“三公”经费各项要求落到实处。",
        "4、加强预算支出绩效管理，按要求实施绩效自评，提高财政资金使用效益。",
    ]
