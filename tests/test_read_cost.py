"""The shape of the reader's cost: what it looks at per book (not timed; benchmarks/read.py times it)."""

from __future__ import annotations

import pytest
from book_parts import SAMPLE, V10_SAMPLE

from xlsuite.reader import parse, read_book


@pytest.mark.parametrize("sample_path", [SAMPLE, V10_SAMPLE], ids=["v1.1", "v1.0"])
def test_finding_the_headers_stops_at_the_header_row(sample_path, monkeypatch):
    """A v1.0 book has none of v1.1's columns, so no row matches every header the reader knows;
    the header row, which holds every header a v1.0 book has, ends the search there: the texts
    of the rows below are never compared with headers (a county's 10,000 distinct texts would
    each cost a regular-expression pass)."""
    seen = []
    original = parse.normalize_label

    def counting(value):
        seen.append(value)
        return original(value)

    monkeypatch.setattr(parse, "normalize_label", counting)
    book = read_book(sample_path)
    below = {i.level3 for i in book.indicators} | {p.name for p in book.projects}
    assert book.indicators and not below & set(seen)
