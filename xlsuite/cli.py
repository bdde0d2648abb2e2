"""The ``xlsuite`` command line: thin shells over the Python API.

Each subcommand parses its options and calls one API function. Every ``XlsuiteError`` becomes one
Chinese line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from decimal import Decimal
from pathlib import Path

from . import __version__
from .errors import XlsuiteError


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _cmd_template(args) -> int:
    from .sample import build_samples
    from .template import build_template

    path = build_template(args.output)
    print(f"模板已生成：{path}")
    if not args.no_samples:
        for sample in build_samples(args.output):
            print(f"样例已生成：{sample}")
    return 0


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


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _cmd_read(args) -> int:
    from .reader import read_book

    book = read_book(args.book, engine=args.engine)
    if args.format == "json":
        data = _without_cells(dataclasses.asdict(book))
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
        print()
        return 0
    info = book.info
    print(f"文件：{args.book}")
    print(f"单位：{info.unit_name}（编码 {info.unit_code}，主管部门 {info.supervisor}），年度 {info.year}")
    print(f"{'':12}{'全年预算数':>12}{'全年执行数':>12}")
    for key, label in (("income.total", "收入合计"), ("function.total", "支出合计"),
                       ("structure.基本支出", "基本支出"), ("structure.项目支出", "项目支出"),
                       ("sangong.total", "三公经费")):
        amounts = book.budget[key].amounts
        print(f"{label:<10}{_fmt(amounts.adjusted):>14}{_fmt(amounts.executed):>14}")
    projects_total = sum((p.total.executed or Decimal(0) for p in book.projects), Decimal(0))
    print(f"项目 {len(book.projects)} 个（执行数合计 {_fmt(projects_total)} 万元），"
          f"绩效指标 {len(book.indicators)} 条，问题与措施 {len(book.problems)} 条")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xlsuite", formatter_class=_Formatter,
        description="预算绩效自评工具：标准工作簿模板、读取、校验、评分与县级汇总。",
        epilog="示例：\n  xlsuite template -o workbook_templates\n"
               "  xlsuite read workbook_templates/samples/永昌县工信局-2021.xlsx")
    parser.add_argument("--version", action="version", version=f"xlsuite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser("template", formatter_class=_Formatter,
                       help="生成标准工作簿模板（及填报样例）",
                       description="生成标准工作簿模板 预算绩效自评模板.xlsx，并在 samples/ 下生成填报样例。",
                       epilog="示例：\n  xlsuite template -o workbook_templates")
    p.add_argument("-o", "--output", default="workbook_templates", metavar="DIR",
                   help="输出文件夹（默认 workbook_templates）")
    p.add_argument("--no-samples", action="store_true", help="只生成模板，不生成填报样例")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("read", formatter_class=_Formatter,
                       help="读取一个单位的工作簿并显示概要",
                       description="读取一个已填写的标准工作簿（.xlsx/.xlsm），显示单位、收支和项目概要。",
                       epilog="示例：\n  xlsuite read 永昌县工信局-2021.xlsx\n"
                              "  xlsuite read 永昌县工信局-2021.xlsx --format json")
    p.add_argument("book", metavar="BOOK", help="工作簿文件")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--engine", choices=("calamine", "openpyxl"), default=None,
                   help="读取引擎（默认 calamine）")
    p.set_defaults(func=_cmd_read)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except XlsuiteError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
