"""Find the department workbooks named on a command line: files as given, folders searched.

``xlsuite validate`` and the county consolidation both take ``BOOK|DIR...``; both must treat a
folder the same way and must never drop a file silently, so discovery lives here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""What a folder search collects as department workbooks."""

LEGACY_SUFFIXES = (".xls",)
"""Also collected from folders: they cannot be read, and the reader says so by name (a
department that sent an .xls must hear about it rather than be silently missing)."""

LOCK_PREFIX = "~$"
"""Excel and WPS keep ``~$name.xlsx`` beside a workbook that is open; it holds no data."""


class Skipped(NamedTuple):
    """A file a folder search passed over on purpose, with the reason in Chinese."""

    path: Path
    reason: str


def find_workbooks(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Expand ``paths`` into workbook files.

    A path naming a file is taken as it is, whatever its name (if it is no workbook, reading
    it says why); a missing path too, so that the reader reports it. A folder is searched
    recursively for ``.xlsx``/``.xlsm`` (and legacy ``.xls``), skipping Excel lock files and
    hidden folders. Each file appears once, in the order given; a folder's files sorted by path.

    Returns:
        ``(files, skipped)``: the files to read, and the lock files passed over.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in paths:
        path = Path(given)
        if not path.is_dir():
            add(path)
            continue
        for found in sorted(_walk(path)):
            if found.name.startswith(LOCK_PREFIX):
                skipped.append(Skipped(found, "Excel 临时锁定文件（工作簿打开时自动生成，不含数据）"))
            else:
                add(found)
    return files, skipped


def _walk(folder: Path):
    suffixes = WORKBOOK_SUFFIXES + LEGACY_SUFFIXES
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative[:-1]):
            continue  # .git, .venv and the like hold no submissions
        if path.suffix.lower() in suffixes and path.is_file():
            yield path
