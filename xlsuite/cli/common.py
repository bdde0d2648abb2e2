"""Pieces every command shares: a parser that speaks Chinese, help formatting, and the guard
that keeps an output from replacing a file xlsuite did not write."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..adapters.argparse_texts import translated
from ..core.errors import InputError

CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid choice: %(value)s (choose from %(choices)s)": "无效的选择：%(value)s（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须给出参数 %s 之一",
    "ignored explicit argument %r": "参数 %r 被忽略",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选：%(choices)s）",
}
"""argparse's own texts (its gettext message ids, as Python 3.11–3.13 word them) in Chinese."""

PLURALS = {"expected %s argument": "需要 %s 个值"}


def _in_chinese():
    return translated(CHINESE, PLURALS)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with its own words (用法、位置参数、选项, its error messages) in Chinese.
    Subcommand parsers are of this class too (``add_subparsers`` makes them of the parent's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        with _in_chinese():  # the group titles and -h's help are worded here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _in_chinese():  # its 「unrecognized arguments」 is worded outside parse_known_args
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _in_chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with _in_chinese():
            return super().format_usage()

    def format_help(self):
        with _in_chinese():
            text = super().format_help()
        # argparse closes a group's title with an ASCII colon it never looks up: the Chinese one
        for title in {CHINESE["positional arguments"], CHINESE["options"]}:
            text = text.replace(f"\n{title}:\n", f"\n{title}：\n")
        return text

    def error(self, message):
        with _in_chinese():
            super().error(message)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples as written."""


def add_command(sub, name: str, *, help: str, description: str, examples: list[str]):
    """Add a subcommand whose help ends with runnable examples."""
    epilog = "示例：\n" + "\n".join(f"  {e}" for e in examples)
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=HelpFormatter)


# --- outputs ---------------------------------------------------------------------------------------

def add_force(parser) -> None:
    """``--force``: let ``-o`` replace an existing file xlsuite did not write (see ``check_output``)."""
    parser.add_argument("--force", action="store_true",
                        help="输出文件已存在且不是 xlsuite 生成的文件时，仍然替换它（默认拒绝，以免覆盖他人的文件）")


def check_output(path: str | Path, force: bool) -> Path:
    """``path``, once it is clear that writing it loses nobody's work: it does not exist yet, or
    xlsuite wrote it (``county.own_files.written_by_xlsuite``), or ``force`` says to replace it.

    Raises:
        InputError: an existing file xlsuite did not write, without ``force``.
    """
    from ..core.errors import os_reason
    from ..county.own_files import written_by_xlsuite

    path = Path(path)
    try:
        exists = path.is_file()
    except OSError as exc:  # a name the file system refuses (too long …): no file can be written there
        raise InputError(path, f"无法写入输出文件（{os_reason(exc)}）") from None
    if force or not exists or written_by_xlsuite(path):
        return path
    raise InputError(path, "文件已存在，且不是 xlsuite 生成的文件，为免覆盖他人的文件未写入；"
                           "请换一个文件名，或确认要替换时加 --force")
