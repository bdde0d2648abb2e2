"""xlsxwriter workbooks whose text cells hold exactly the text written, whatever it is (text
goes through the shared string table, or inline as ``text_xml`` writes it; constant_memory mode,
which writes inline text otherwise, is refused).

xlsxwriter keeps rich text (``write_rich_string``) in its shared string table as ready-made
markup, and when it writes the table it passes any string that begins with ``<r>`` and ends with
``</r>`` into the file unescaped. A unit name typed as ``<r>某单位</r>`` then reads back empty, and
``<r><t>x</t></r>`` reads back as ``x``: a department's text taken as markup. xlsuite writes no
rich text, so ``PlainTextWorkbook`` writes every shared string as text.

Its shared string table is also written in one pass: xlsxwriter runs two regular expressions and
three method calls per string, 0.07 s for the 12,000 strings of a county summary; here a string
with nothing to escape (nearly all) costs one search.
"""

from __future__ import annotations

import re

from ..adapters import xlsxwriter_internals

# What SpreadsheetML needs escaped in a shared string: control characters (as _xHHHH_, which XML
# cannot hold otherwise), text that already looks like such an escape (its "_" escaped, so that
# a reader does not decode it), markup characters, and leading or trailing whitespace (kept by
# xml:space="preserve"). Tab and newline are legal XML and stay as they are. A lone surrogate —
# a byte of a file name that is not UTF-8, as Python decodes it ("\udcff") — cannot be written
# in UTF-8 at all: it is shown as U+FFFD, the character that stands for an undecodable byte.
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ud800-\udfff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LOOKS_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def shared_string_xml(text: str) -> str:
    """One ``<si>`` element of the shared string table, holding ``text`` as plain text."""
    return f"<si>{text_xml(text)}</si>"


def text_xml(text: str) -> str:
    """The ``<t>`` element holding ``text`` as plain text: in a shared string's ``<si>``, or in
    an inline string cell's ``<is>``."""
    if _NEEDS_WORK.search(text) is None:
        return f"<t>{text}</t>"
    text = _SURROGATE.sub("\ufffd", text)
    text = _LOOKS_ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<t{space}>{text}</t>"


class PlainTextWorkbook(xlsxwriter_internals.Workbook):
    """An ``xlsxwriter.Workbook`` whose shared strings are always plain text (no rich text),
    each written by ``shared_string_xml`` (through ``adapters.xlsxwriter_internals``)."""

    shared_string_xml = staticmethod(shared_string_xml)

    def __init__(self, filename, options: dict | None = None):
        # In constant_memory mode xlsxwriter writes text inline in each sheet, by a path that
        # passes <r>…</r> through as well.
        if (options or {}).get("constant_memory"):
            raise ValueError("PlainTextWorkbook writes text through the shared string table: "
                             "constant_memory is not supported")
        super().__init__(filename, options)
