"""Validation (审核): every rule of the catalogue applied to a book, all findings collected."""

from __future__ import annotations

from dataclasses import replace

from ..amounts import LineAmounts, line_amounts
from ..model import DepartmentBook
from ..profile import Profile, resolve_profile
from ..scoring import BookScore, score_book
from ..scoring.reconcile import Printed, printed_scores
from .budget_checks import check_amounts, check_balances, check_cross_sheet
from .catalogue import RULES, Rule, render_rules_markdown, rule, rule_label
from .cell_checks import check_cells, check_placeholders
from .consistency_checks import check_consistency
from .findings import ERROR, HINT, SEVERITIES, WARNING, Finding, sort_findings
from .formula_checks import check_formula_results
from .indicator_checks import check_indicators, check_printed_execution, check_printed_form
from .record_checks import check_coverage, check_hidden_characters, check_info, check_records


def validate_book(book: DepartmentBook, profile: Profile | None = None,
                  amounts: dict[str, LineAmounts] | None = None,
                  scores: BookScore | None = None, printed: list[Printed] | None = None) -> list[Finding]:
    """Check ``book`` against every rule; never stops at the first problem.

    ``xlsuite.core.evaluation.evaluate`` is the one call that scores and validates a book together;
    this is the validation half, for callers that want the findings alone.

    Args:
        book: the department's book.
        profile: the scoring profile whose hierarchy and weights the indicators are checked
            against (default: ``resolve_profile``'s choice, the book's own or national).
        amounts: ``line_amounts(book)``, when the caller has it already.
        scores: ``score_book(book, profile)``, when the caller has it already: the indicator
            checks read each row's score from it.
        printed: ``scoring.reconcile.printed_scores``'s result, when the caller has it already.

    Returns:
        Every finding, errors first, then in sheet and cell order.
    """
    profile = resolve_profile(book, profile)
    if amounts is None:  # every 收支情况 amount once, for the checks that compare them
        amounts = line_amounts(book)
    if scores is None:
        scores = score_book(book, profile)
    if printed is None:
        printed = printed_scores(book, scores, profile)
    findings = [
        *check_info(book),
        *check_hidden_characters(book),
        *check_balances(book, amounts),
        *check_cross_sheet(book),
        *check_amounts(book),
        *check_records(book),
        *check_coverage(book, amounts, profile),
        *check_indicators(book, profile, scores),
        *check_consistency(book, profile, amounts),
        *check_formula_results(book, profile, scores),
        *check_printed_execution(book, profile, printed),
        *check_printed_form(book, profile, scores),
        *check_cells(book),
        *check_placeholders(book),
    ]
    return sort_findings(_with_subjects(book, findings))


def _with_subjects(book: DepartmentBook, findings: list[Finding]) -> list[Finding]:
    """Each finding on a project's or an indicator's row says whose row it is (评价对象): the
    county's 审核问题清单 and letters group and read findings by it, whichever check made them."""
    rows: dict[tuple[str, int], str] = {}
    for records, key in ((book.projects, "code"), (book.indicators, "subject")):
        for record in records:
            for ref in record.cells.values():
                rows.setdefault((ref.sheet, ref.row), getattr(record, key))
                break  # every cell of a record is on its one row
    return [f if f.subject or f.cell is None or not rows.get((f.cell.sheet, f.cell.row))
            else replace(f, subject=rows[(f.cell.sheet, f.cell.row)]) for f in findings]


__all__ = ["validate_book", "Finding", "Rule", "RULES", "rule", "rule_label", "render_rules_markdown",
           "sort_findings", "SEVERITIES", "ERROR", "WARNING", "HINT"]
