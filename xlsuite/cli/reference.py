"""Render every command's ``--help`` as Markdown (docs/cli.md), from the parsers themselves.

    python -m xlsuite.cli.reference > docs/cli.md

A test compares the committed file with this output, so the reference cannot go stale.
"""

from __future__ import annotations

import os


def render_cli_markdown() -> str:
    from . import build_parser_with_commands

    # argparse wraps help to the terminal width: fix it so the output is the same everywhere.
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return _render(*build_parser_with_commands())
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _render(parser, commands: dict) -> str:
    out = ["# 命令参考（CLI reference）", "",
           "<!-- 本文件由 `python -m xlsuite.cli.reference` 从各命令的 --help 生成，请勿手工修改。 -->", "",
           "```text", parser.format_help().rstrip(), "```"]
    for name, command in commands.items():
        out += ["", f"## xlsuite {name}", "", "```text", command.format_help().rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_cli_markdown(), end="")
