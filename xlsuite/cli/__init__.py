"""The ``xlsuite`` command line: thin shells over the Python API.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``func``; the command parses its options and calls one API function. Every
``XlsuiteError`` becomes one Chinese line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import XlsuiteError
from . import addin, consolidate, demo, feedback, read, report, score, template, validate
from .common import HelpFormatter

COMMANDS = (template, read, validate, score, report, consolidate, feedback, demo, addin)
"""Command modules, in the order ``xlsuite --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    return build_parser_with_commands()[0]


def build_parser_with_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``xlsuite`` parser and each subcommand's parser by name, in ``--help`` order (what
    ``add_subparsers`` returned, kept: the parser shows its actions only as private ``_actions``)."""
    parser = argparse.ArgumentParser(
        prog="xlsuite", formatter_class=HelpFormatter,
        description="预算绩效自评工具：标准工作簿模板、读取、校验、评分与县级汇总。",
        epilog="示例：\n  xlsuite demo demo-county\n"
               "  xlsuite validate 报送材料/\n"
               "  xlsuite score 永昌县工信局-2021.xlsx\n"
               "  xlsuite consolidate 报送材料/ -o 县级汇总.xlsx --roster 名册.csv\n\n"
               "每个命令的用法：xlsuite 命令 --help")
    parser.add_argument("--version", action="version", version=f"xlsuite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for command in COMMANDS:
        command.register(sub)
    return parser, dict(sub.choices)


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
