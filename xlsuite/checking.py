"""Validate workbook files: read each, apply the catalogue, and keep going past bad files.

The API behind ``xlsuite validate``. A file that cannot be read is reported with its reason
and never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .core.errors import XlsuiteError
from .core.evaluation import evaluate
from .core.profile import Profile, as_profile
from .core.validation import ERROR, SEVERITIES, Finding
from .files.discover import Skipped, find_workbooks


@dataclass
class BookReport:
    """One file's outcome: its findings, or why it could not be read (``error``)."""

    path: Path
    unit_name: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    """The Chinese reason the file could not be read; ``None`` when it was validated."""

    @property
    def readable(self) -> bool:
        return self.error is None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


@dataclass
class ValidationRun:
    books: list[BookReport]
    skipped: list[Skipped]

    @property
    def exit_code(self) -> int:
        """2 when some input could not be read or no workbook was found at all (nothing was
        checked, which must not pass for a clean result), else 1 when any book has an 错误, else 0."""
        if not self.books or any(not b.readable for b in self.books):
            return 2
        return 1 if any(b.has_errors for b in self.books) else 0

    def totals(self) -> dict[str, int]:
        return {s: sum(b.count(s) for b in self.books) for s in SEVERITIES}


def validate_workbooks(paths: Iterable[str | Path], profile: str | Path | Profile | None = None,
                       engine: str | None = None) -> ValidationRun:
    """Validate every workbook named in ``paths`` (files, or folders searched recursively).

    Args:
        paths: workbook files and folders.
        profile: scoring profile the indicators are checked against, loaded or the path of its
            file (default: the one each book records, else national).
        engine: reader engine (``calamine`` by default).
    """
    from .reader import read_book  # the reader pulls in an Excel library; keep it late

    profile = as_profile(profile)
    files, skipped = find_workbooks(paths)
    books = []
    for path in files:
        try:
            evaluation = evaluate(read_book(path, engine=engine), profile)
        except XlsuiteError as exc:
            books.append(BookReport(path, error=exc.reason))
            continue
        books.append(BookReport(path, evaluation.book.info.unit_name, evaluation.findings))
    return ValidationRun(books, skipped)
