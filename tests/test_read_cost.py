"""The shape of the reader's cost: what it looks at per book (not timed; benchmarks/read.py times it)."""

from __future__ import annotations

from xlsuite.reader import parse, read_book


def test_finding_the_headers_stops_at_the_header_row(sample_path, monkeypatch):
    """A v1.0 book has none of v1.1's optional columns, so no row matches every header the
    reader knows; the header row, which holds every header the template writes, ends the search
    there: the texts of the rows below are never compared with headers (a county's 10,000
    distinct texts would each cost a regular-expression pass)."""
    seen = []
    original = parse.normalize_label

    def counting(value):
        seen.append(value)
        return original(value)

    monkeypatch.setattr(parse, "normalize_label", counting)
    book = read_book(sample_path)
    below = {i.level3 for i in book.indicators} | {p.name for p in book.projects}
    assert book.indicators and not below & set(seen)
