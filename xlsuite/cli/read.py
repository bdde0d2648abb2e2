"""``xlsuite read``: read one department's workbook and show what it holds."""

from __future__ import annotations

import dataclasses
import json
import sys
from decimal import Decimal

from .common import add_command


def _summary_lines():
    """(收支情况 key, label) of the lines the summary shows; the contract loads only when it runs."""
    from ..core import contract as c

    return ((c.INCOME_TOTAL, "收入合计"), (c.FUNCTION_TOTAL, "支出合计"), (c.BASIC_SPENDING, "基本支出"),
            (c.PROJECT_SPENDING, "项目支出"), (c.SANGONG_TOTAL, "三公经费"))


def register(sub) -> None:
    p = add_command(sub, "read", help="读取一个单位的工作簿并显示概要",
                    description="读取一个已填写的标准工作簿（.xlsx/.xlsm），显示单位、收支和项目概要。",
                    examples=["xlsuite read 永昌县工信局-2021.xlsx",
                              "xlsuite read 永昌县工信局-2021.xlsx --format json"])
    p.add_argument("book", metavar="BOOK", help="工作簿文件")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--engine", choices=("calamine", "openpyxl"), default=None,
                   help="读取引擎（默认 calamine）")
    p.set_defaults(func=run)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _without_cells(obj):
    if isinstance(obj, dict):
        return {k: _without_cells(v) for k, v in obj.items() if k != "cells"}
    if isinstance(obj, list):
        return [_without_cells(v) for v in obj]
    return obj


def run(args) -> int:
    from ..core.amounts import money
    from ..reader import read_book

    book = read_book(args.book, engine=args.engine)
    if args.format == "json":
        data = _without_cells(dataclasses.asdict(book))
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
        print()
        return 0
    info = book.info
    print(f"文件：{args.book}")
    print(f"单位：{info.unit_name}（编码 {info.unit_code}，主管部门 {info.supervisor}），年度 {info.year}")
    print(f"{'（万元）':<10}{'全年预算数':>10}{'全年执行数':>10}")
    for key, label in _summary_lines():
        amounts = book.budget[key].amounts
        print(f"{label:<10}{money(amounts.adjusted):>14}{money(amounts.executed):>14}")
    executed = sum((p.total.executed or Decimal(0) for p in book.projects), Decimal(0))
    print(f"项目 {len(book.projects)} 个（执行数合计 {money(executed)} 万元），"
          f"绩效指标 {len(book.indicators)} 条，问题与措施 {len(book.problems)} 条"
          + (f"，主要工作 {len(book.work)} 项" if book.work else ""))
    return 0
