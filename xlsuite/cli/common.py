"""Pieces every command shares: help formatting."""

from __future__ import annotations

import argparse


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples as written."""


def add_command(sub, name: str, *, help: str, description: str, examples: list[str]):
    """Add a subcommand whose help ends with runnable examples."""
    epilog = "示例：\n" + "\n".join(f"  {e}" for e in examples)
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=HelpFormatter)
