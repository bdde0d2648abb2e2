"""The one use case every entry point shares: evaluate a department's book under a profile.

``evaluate`` scores 部门整体 and every project, validates the book against the whole rule
catalogue (the indicator checks reading the scores just computed, not scoring again), and keeps
the 收支情况 amounts both used. ``xlsuite validate``, ``score`` and ``report``, the county's
worker processes and every Excel button call it, so the same book under the same profile gives
the same scores and findings wherever it is evaluated.

Pure: no file, no Excel library.
"""

from __future__ import annotations

from dataclasses import dataclass

from .amounts import LineAmounts, line_amounts
from .model import DepartmentBook
from .profile import Profile, resolve_profile
from .scoring import BookScore, score_book
from .scoring.reconcile import Printed, PrintedTotal, printed_scores, printed_totals
from .validation import ERROR, SEVERITIES, Finding, validate_book


@dataclass(frozen=True)
class Evaluation:
    """A book's scores and findings under one profile.

    Attributes:
        book: the book evaluated.
        profile: the profile used (see ``profile.resolve_profile`` for which).
        score: 部门整体 and every project, each indicator with its score.
        findings: every finding of the catalogue, errors first, then in sheet and cell order.
        amounts: every 收支情况 row's (年初预算数, 全年预算数, 全年执行数), as the checks and the
            county summary read them.
        printed: every score the book prints itself beside the engine's, with what explains a
            difference (validation, the 得分对照 sheet and ``xlsuite score`` read it).
        printed_totals: the totals the book prints, per subject whose scores it prints in full.
    """

    book: DepartmentBook
    profile: Profile
    score: BookScore
    findings: list[Finding]
    amounts: dict[str, LineAmounts]
    printed: tuple[Printed, ...]
    printed_totals: tuple[PrintedTotal, ...]

    def count(self, severity: str) -> int:
        """How many findings have ``severity`` (错误, 警告 or 提示)."""
        return sum(1 for f in self.findings if f.severity == severity)

    def counts(self) -> dict[str, int]:
        """Findings per severity, in the order 错误, 警告, 提示."""
        return {severity: self.count(severity) for severity in SEVERITIES}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def evaluate(book: DepartmentBook, profile: Profile | None = None) -> Evaluation:
    """Score and validate ``book``.

    Args:
        book: the department's book (``xlsuite.read_book``).
        profile: the scoring profile; ``None`` uses the one recorded in the book's meta sheet
            (the profile its template was built for), else the national default.

    Raises:
        ContractError: no profile is given and the one recorded in the book cannot be read.
    """
    profile = resolve_profile(book, profile)
    score = score_book(book, profile)
    amounts = line_amounts(book)
    printed = printed_scores(book, score, profile)
    findings = validate_book(book, profile, amounts, score, printed)
    totals = printed_totals(book, score, profile, printed)
    return Evaluation(book, profile, score, findings, amounts, tuple(printed), tuple(totals))


__all__ = ["Evaluation", "evaluate"]
