"""A finding: one broken rule at one place, with a message that carries the numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import contract as c
from ..model import CellRef

ERROR, WARNING, HINT = "错误", "警告", "提示"
SEVERITIES = (ERROR, WARNING, HINT)
"""Most serious first: 错误 must be fixed, 警告 should be checked, 提示 is for information."""

_SHEET_ORDER = {name: i for i, name in enumerate(c.REQUIRED_SHEETS)}


@dataclass(frozen=True)
class Finding:
    """One problem found in a book.

    Attributes:
        rule_id: the stable id of the rule in the catalogue (e.g. ``cross.projects_total``).
        severity: 错误, 警告 or 提示.
        message: Chinese, with the numbers involved (``253.00``, the difference, …).
        cell: where to look; ``None`` when the problem has no single cell (a missing row).
        subject: 部门整体 or the 项目编码 the finding concerns, if any.
    """

    rule_id: str
    severity: str
    message: str
    cell: CellRef | None = None
    subject: str = ""

    @property
    def location(self) -> str:
        """``收支情况!F43``, or empty when there is no cell."""
        return str(self.cell) if self.cell is not None else ""


def _sort_key(finding: Finding):
    cell = finding.cell
    place = ((0, _SHEET_ORDER.get(cell.sheet, len(_SHEET_ORDER)), cell.sheet, cell.row, cell.col)
             if cell is not None else (1, 0, "", 0, 0))
    return (SEVERITIES.index(finding.severity), place, finding.rule_id, finding.message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then hints; within each, in sheet and cell order.

    The order depends only on the findings themselves, so the same book gives the same list.
    """
    return sorted(findings, key=_sort_key)
