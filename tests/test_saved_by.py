"""Books saved by real spreadsheet applications (tests/data/saved-by/) read as the books they were
saved from, on every engine, and score the same.

LibreOffice rewrites every part of a book it saves (its own styles, shared strings, cached formula
results, no inline strings): what a department whose office runs LibreOffice sends back looks like
these files, not like what xlsuite writes.
"""

from __future__ import annotations

import pytest
from saved_by import APPLICATIONS, CORPUS, MADE_HERE, REGENERATE, application, books, original, tag

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.reader import ENGINES, read_book

BOOKS = books()
_IDS = [b.name for b in BOOKS]
MADE = [b for b in BOOKS if original(b)]
FILLED = [b for b in MADE if read_book(original(b)).projects]


def test_the_corpus_holds_every_book_made_here():
    made = {f"{source.stem}.{tag_}.xlsx" for tag_, sources in MADE_HERE.items() for source in sources}
    missing = made - {b.name for b in BOOKS}
    assert not missing, f"missing from {CORPUS}: {sorted(missing)}; run {REGENERATE}"


@pytest.mark.parametrize("book", BOOKS, ids=_IDS)
def test_each_book_was_saved_by_the_application_its_name_says(book):
    """The name's tag agrees with what the book records, and the README lists it with that
    application: the README is the corpus's record of which application saved each."""
    saved_by = application(book)
    assert saved_by.startswith(APPLICATIONS[tag(book)]), (book.name, saved_by)
    readme = (CORPUS / "README.md").read_text("utf-8")
    assert f"`{book.name}`" in readme and saved_by in readme, \
        f"list {book.name} in {CORPUS}/README.md with the application it records: {saved_by}"


@pytest.mark.parametrize("book", BOOKS, ids=_IDS)
def test_every_engine_reads_the_same_book(book):
    models = {engine: read_book(book, engine=engine) for engine in ENGINES}
    first, *others = models.values()
    assert all(other == first for other in others), {e: m.problems for e, m in models.items()}
    assert first.formula_results, "the application left no formula results"


@pytest.mark.parametrize("book", MADE, ids=[b.name for b in MADE])
def test_a_book_made_here_reads_as_the_book_it_was_saved_from(book):
    saved = read_book(book)
    assert saved.template_version == c.TEMPLATE_VERSION, (
        f"{book.name} was saved from a v{saved.template_version} template; the template is now "
        f"v{c.TEMPLATE_VERSION}: run {REGENERATE}")
    source = read_book(original(book))
    assert saved == source, (
        f"{book.name} no longer reads as {original(book).name}: if the template or the sample changed, "
        f"run {REGENERATE}; if not, the reader reads what {application(book)} wrote differently")


@pytest.mark.parametrize("book", FILLED, ids=[b.name for b in FILLED])
def test_a_filled_book_scores_as_the_book_it_was_saved_from(book):
    """Same totals and grades, and no finding of its own: the formula results the application
    computed agree with the engine's (a disagreement would be an ``indicator.cached_score``)."""
    saved, source = evaluate(read_book(book)), evaluate(read_book(original(book)))
    assert [(s.total, s.grade) for s in saved.score.subjects()] == \
        [(s.total, s.grade) for s in source.score.subjects()]
    assert saved.findings == source.findings
