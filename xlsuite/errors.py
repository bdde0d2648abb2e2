"""The exceptions xlsuite raises for bad input, each carrying a Chinese message for the user.

``str(error)`` is the whole message the user sees: the file, and the reason. The CLI prints it
without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class XlsuiteError(Exception):
    """Base of every error xlsuite reports to a user."""

    def __init__(self, path: str | Path | None, reason: str):
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}：{reason}" if self.path else reason)


class InputError(XlsuiteError):
    """The file cannot be opened as a workbook: empty, corrupt, encrypted, legacy .xls, …"""


class ContractError(XlsuiteError):
    """The workbook opens but is not a standard xlsuite workbook of a version this xlsuite reads."""


class CellValueError(XlsuiteError):
    """Cells hold values of the wrong kind (text where an amount belongs, …).

    Attributes:
        cells: ``(cell reference, problem)`` pairs, e.g. ``("收支情况!E12", "…")``.
    """

    def __init__(self, path: str | Path | None, cells: list[tuple[str, str]]):
        self.cells = cells
        shown = "；".join(f"{ref} {problem}" for ref, problem in cells[:10])
        more = f"（另有 {len(cells) - 10} 处）" if len(cells) > 10 else ""
        super().__init__(path, f"单元格内容有误：{shown}{more}")
