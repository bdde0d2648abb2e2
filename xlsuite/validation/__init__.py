"""Validation (审核): every rule of the catalogue applied to a book, all findings collected."""

from __future__ import annotations

from ..amounts import LineAmounts, line_amounts
from ..model import DepartmentBook
from ..profile import Profile, load_profile
from .budget_checks import check_amounts, check_balances, check_cross_sheet
from .catalogue import RULES, Rule, render_rules_markdown, rule
from .findings import ERROR, HINT, SEVERITIES, WARNING, Finding, sort_findings
from .indicator_checks import check_indicators
from .record_checks import check_coverage, check_info, check_records


def validate_book(book: DepartmentBook, profile: Profile | None = None,
                  amounts: dict[str, LineAmounts] | None = None) -> list[Finding]:
    """Check ``book`` against every rule; never stops at the first problem.

    Args:
        book: the department's book.
        profile: the scoring profile whose hierarchy and weights the indicators are checked
            against (national by default).
        amounts: ``line_amounts(book)``, when the caller has it already.

    Returns:
        Every finding, errors first, then in sheet and cell order.
    """
    profile = profile or load_profile()
    if amounts is None:  # every 收支情况 amount once, for the checks that compare them
        amounts = line_amounts(book)
    findings = [
        *check_info(book),
        *check_balances(book, amounts),
        *check_cross_sheet(book),
        *check_amounts(book),
        *check_records(book),
        *check_coverage(book, amounts),
        *check_indicators(book, profile),
    ]
    return sort_findings(findings)


__all__ = ["validate_book", "Finding", "Rule", "RULES", "rule", "render_rules_markdown",
           "sort_findings", "SEVERITIES", "ERROR", "WARNING", "HINT"]
