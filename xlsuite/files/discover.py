"""Find the department workbooks named on a command line: files as given, folders searched.

``xlsuite validate`` and ``xlsuite consolidate`` both take files and folders; both must treat a
folder the same way and must never drop a file silently, so discovery lives here once. Every
file a folder search meets is either returned for reading or listed as skipped with its reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .backups import original_name

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""What a folder search collects as department workbooks."""

LEGACY_SUFFIXES = (".xls",)
"""Also collected from folders: they cannot be read, and the reader says so by name (a
department that sent an .xls must hear about it rather than be silently missing)."""

LOCK_PREFIX = "~$"
"""Excel and WPS keep ``~$name.xlsx`` beside a workbook that is open; it holds no data."""

LOCK_FILE = "Excel 打开工作簿时生成的临时锁定文件（~$ 开头），不是单位报送的工作簿，已跳过"
HIDDEN_FILE = "隐藏文件，已跳过"
HIDDEN_FOLDER = "隐藏文件夹，未查找其中的文件"


OWN_FILE = "xlsuite 生成的文件"
"""The reason every skipped file of xlsuite's own begins with (``county.own_files`` uses it too)."""


def backup_reason(original: str) -> str:
    return (f"{OWN_FILE}（Excel 按钮修改工作簿前保存的备份，原文件“{original}”在同一文件夹），"
            "不是单位报送的工作簿，未计入汇总")


class Skipped(NamedTuple):
    """A file (or hidden folder) a search passed over on purpose, with the reason in Chinese."""

    path: Path
    reason: str


def find_workbooks(paths: Iterable[str | Path], exclude: Iterable[str | Path] = (),
                   as_text: bool = False) -> tuple[list[Path], list[Skipped]]:
    """Expand ``paths`` into the workbook files to read.

    A path naming a file is read whatever its name (if it is no workbook, reading it says why),
    except an Excel lock file; a path that does not exist is returned too, so that reading it
    reports it. A folder is searched recursively for ``.xlsx``/``.xlsm`` and legacy ``.xls``;
    lock files, hidden files, hidden folders and other files met on the way are skipped with
    their reason. Each file appears once: the first time it is met, in the order given, each
    folder's files sorted by path.

    Args:
        paths: files and folders.
        exclude: files never to return nor list (the summary being written, when it is saved
            into an input folder).
        as_text: return the files as ``str``, not ``Path`` (a folder of many thousand files
            then costs no ``Path`` per file: pathlib interns every name it parses, and the
            interpreter's table of interned strings grows with them).

    Returns:
        ``(files, skipped)``.
    """
    files: list = []
    skipped: list[Skipped] = []
    seen = {_key(p) for p in exclude}

    def meet(path: str, reason: str, key: str | None = None) -> None:
        key = key or _key(path)
        if key in seen:
            return
        seen.add(key)
        if reason:
            skipped.append(Skipped(Path(path), reason))
        else:
            files.append(path if as_text else Path(path))

    for given in paths:
        path = Path(given)
        if not path.is_dir():
            meet(str(path), LOCK_FILE if path.name.startswith(LOCK_PREFIX) else "")
            continue
        for found, reason, key in sorted(_walk(str(path)), key=_path_order):
            meet(found, reason, key)
    return files, skipped


def _walk(folder: str):
    """``(path, reason to skip or "", its key)`` for everything under ``folder``, paths as text
    written as ``Path`` writes them."""
    for root, dirs, names in os.walk(folder):
        here = str(Path(root))  # one Path a folder
        for name in dirs:
            if name.startswith("."):  # .git and the like hold no submissions: not searched
                yield os.path.join(here, name), HIDDEN_FOLDER, _key(os.path.join(here, name))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        # realpath() costs a system call per component of the path: resolved once for the
        # folder, a file's key is the folder's and its name, unless the file is itself a link.
        real = os.path.realpath(root)
        present = {os.path.normcase(n) for n in names}
        for name in names:
            path = os.path.join(here, name)
            key = _key(path) if os.path.islink(path) else os.path.normcase(os.path.join(real, name))
            yield path, _skip_reason(name, present), key


def _path_order(found: tuple[str, str, str]):
    """Paths in the order ``Path`` sorts them (by component; without case on Windows)."""
    return os.path.normcase(found[0]).replace(os.altsep or os.sep, os.sep).split(os.sep), found[1]


def _skip_reason(name: str, present: set[str]) -> str:
    """Why a file met in a folder holding the files ``present`` is skipped ("" to read it)."""
    if name.startswith(LOCK_PREFIX):
        return LOCK_FILE
    if name.startswith("."):
        return HIDDEN_FILE
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in WORKBOOK_SUFFIXES + LEGACY_SUFFIXES:
        return f"不是 Excel 工作簿文件（扩展名“{suffix or '无'}”），未读取"
    original = original_name(name)
    if original is not None and os.path.normcase(original) in present:
        return backup_reason(original)
    return ""


def _key(path: str | Path) -> str:
    """One key per file however it is named (relative, through a link, in other letter case)."""
    return os.path.normcase(os.path.realpath(path))
