"""Find the department workbooks under the paths the county bureau gives.

Folders are searched recursively. Workbook-like files (.xlsx, .xlsm, and legacy .xls so that it
is rejected with its own reason rather than ignored) are returned for reading; Excel's ``~$`` lock
files and any other file found in a folder are reported as skipped, so nothing is lost silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
LOCK_PREFIX = "~$"


@dataclass(frozen=True)
class Skipped:
    """A file found but not read, and why (Chinese)."""

    path: str
    reason: str


def discover(paths: list[str | Path], exclude: tuple[Path, ...] = ()) -> tuple[list[Path], list[Skipped]]:
    """Workbook files under ``paths``, sorted, and the files skipped on the way.

    Args:
        paths: files and folders; a file named explicitly is read whatever its suffix.
        exclude: files never to return (the summary being written, when it sits in an input folder).

    Raises:
        InputError: a path does not exist.
    """
    excluded = {_key(p) for p in exclude}
    found: dict[str, Path] = {}
    skipped: dict[str, Skipped] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
            explicit = False
        elif path.is_file():
            candidates, explicit = [path], True
        else:
            raise InputError(path, "文件或文件夹不存在")
        for file in candidates:
            key = _key(file)
            if key in excluded or key in found or key in skipped:
                continue
            reason = _skip_reason(file, explicit)
            if reason:
                skipped[key] = Skipped(str(file), reason)
            else:
                found[key] = file
    return sorted(found.values(), key=str), sorted(skipped.values(), key=lambda s: s.path)


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _skip_reason(file: Path, explicit: bool) -> str:
    if file.name.startswith(LOCK_PREFIX):
        return "Excel 打开工作簿时生成的临时锁定文件（~$ 开头），不是单位报送的工作簿，已跳过"
    if file.name.startswith("."):
        return "隐藏文件，已跳过"
    if not explicit and file.suffix.lower() not in WORKBOOK_SUFFIXES:
        return f"不是 Excel 工作簿文件（扩展名“{file.suffix or '无'}”），未读取"
    return ""
