"""The ``xlsuite`` command line: thin shells over the Python API.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``func``; the command parses its options and calls one API function. Every
``XlsuiteError`` becomes one Chinese line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from .. import __version__
from ..core.errors import XlsuiteError
from . import addin, bundle, consolidate, demo, feedback, read, report, score, serve, template, validate
from .common import ArgumentParser

COMMANDS = (template, read, validate, score, report, consolidate, feedback, demo, addin, bundle, serve)
"""Command modules, in the order ``xlsuite --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    return build_parser_with_commands()[0]


def build_parser_with_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``xlsuite`` parser and each subcommand's parser by name, in ``--help`` order (what
    ``add_subparsers`` returned, kept: the parser shows its actions only as private ``_actions``)."""
    parser = ArgumentParser(
        prog="xlsuite",
        description="预算绩效自评工具：标准工作簿模板、读取、校验、评分与县级汇总。",
        epilog="示例：\n  xlsuite demo demo-county\n"
               "  xlsuite validate 报送材料/\n"
               "  xlsuite score 永昌县工信局-2021.xlsx\n"
               "  xlsuite consolidate 报送材料/ -o 县级汇总.xlsx --roster 名册.csv\n\n"
               "每个命令的用法：xlsuite 命令 --help")
    parser.add_argument("--version", action="version", version=f"xlsuite {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for command in COMMANDS:
        command.register(sub)
    return parser, dict(sub.choices)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it cleans up as on Ctrl-C."""


def _terminate(signum, frame):
    # A second SIGTERM while cleaning up ends the process at once (its workers follow it).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        return args.func(args)
    except XlsuiteError as exc:
        print(f"错误：{exc.for_user()}", file=sys.stderr)
        return 2
    except Terminated:
        print("已终止。", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read the output stopped (``xlsuite score … | head``): end quietly, as other
        # command-line tools do, and keep the interpreter from failing again on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception:  # noqa: BLE001 - a bug must still end in one line and a log, not a traceback
        log = write_crash_log(argv)
        where = f"，详细信息已记录到 {log}，请将此文件发给技术支持" if log else "（详细信息无法写入日志文件）"
        print(f"错误：程序异常{where}", file=sys.stderr)
        return 2
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


CRASH_LOG_DIR_ENV = "XLSUITE_LOG_DIR"
"""Folder for the logs of unexpected errors (default: the system's temporary folder)."""


def write_crash_log(argv: list[str] | None) -> Path | None:
    """Write the current exception's traceback to a new log file; its path, or None."""
    folder = Path(os.environ.get(CRASH_LOG_DIR_ENV) or tempfile.gettempdir())
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        fd, name = tempfile.mkstemp(prefix=f"xlsuite-程序异常-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"xlsuite {__version__}\n命令：{sys.argv[:1] + list(argv if argv is not None else sys.argv[1:])}\n\n")
            f.write(traceback.format_exc())
    except OSError:
        return None
    return Path(name)
