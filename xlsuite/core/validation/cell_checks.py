"""Checks on what was typed into cells: numbers typed with their unit or as words, and the
instruction text of a form left where the content belongs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import UNIT_NOTE, DepartmentBook
from .catalogue import rule
from .findings import Finding

# The instructions printed in the cells of published 自评表 templates, which accountants type or
# paste over and sometimes leave: a word limit in brackets, or a sentence telling them to explain.
_INSTRUCTION = re.compile(
    r"[（(]\s*(?:限|不超过)?\s*\d+\s*字(?:以内|以下|左右)?\s*[)）]"
    r"|^(?:请|对照)[^。]{0,40}(?:说明|填写|简述|阐述|描述|列出)"
    r"|^(?:填写说明|填报说明|此处填写|在此填写)")
_SHOWN = 30


def check_cells(book: DepartmentBook) -> Iterator[Finding]:
    """A finding for every cell the reader had to interpret (``DepartmentBook.cell_notes``)."""
    for note in book.cell_notes:
        rule_id = "plausibility.unit_in_cell" if note.kind == UNIT_NOTE else "plausibility.text_in_number"
        yield rule(rule_id).finding(note.cell, "", problem=note.problem)


_MAY_INSTRUCT = ("请", "对照", "填写说明", "填报说明", "此处填写", "在此填写")
"""What an instruction starts with, unless it holds 字 (``_INSTRUCTION``'s first branch): texts
that do neither are no instruction without a search (every text field of every book is asked)."""


def is_instruction(text: str) -> bool:
    """Whether ``text`` reads as a template's filling instruction rather than content."""
    return bool(text) and ("字" in text or text.startswith(_MAY_INSTRUCT)) and _INSTRUCTION.search(text) is not None


def check_placeholders(book: DepartmentBook) -> Iterator[Finding]:
    """Every text field still holding a template instruction (「对照年度目标，说明…（100字以内）」)."""
    info = book.info
    records = [(info, "")] + [(p, p.code) for p in book.projects] + \
        [(i, i.subject) for i in book.indicators] + [(p, p.subject) for p in book.problems]
    for record, subject in records:
        for key in record.cells:
            value = getattr(record, key, None)
            if isinstance(value, str) and is_instruction(value):
                cell = record.cells[key]
                shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
                yield rule("plausibility.placeholder").finding(cell, subject, text=shown)
