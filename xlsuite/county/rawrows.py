"""Table rows of the county summary rendered straight to SpreadsheetML, through xlsxwriter.

xlsxwriter keeps one Python object per cell and turns it into XML when the workbook closes: about
10 µs a cell, and a county of 1,000 departments has some 300,000 cells in its detail sheets, which
made writing the summary cost more than reading every workbook. Here a data row is rendered to its
``<row>`` XML at once, each cell as xlsxwriter's write_string / write_number / write_formula would
write it (text through the workbook's shared strings, or inline in the cell, so user text is
never markup or a formula), and handed to a worksheet that writes those rows between the ones
xlsxwriter wrote itself (titles, headers, total rows). Rows with inline text depend on nothing
but the row itself, so they can wait on disk (see ``store``) and be placed, by a function that
yields their XML, only as the sheet is written: a county's summary then needs no memory per
department for them. A column remembers the cells it has rendered, so a repeated value (a unit's
name on each of its indicators) costs one dictionary lookup. Everything else — styles, print
setup, charts, the package — is still xlsxwriter's (the shared string table is written by
``plaintext_xlsx``, so that no text is ever taken as rich-text markup).

The package is deflated at level 1 rather than zlib's default 6: about a quarter of the time for
a file about a third larger (for 1,000 departments 0.07 s instead of 0.3 s, 1.9 MB instead of 1.5).

The xlsxwriter internals this needs (placing rows rendered ahead, the shared string table, a
format's style number, the deflate level) are reached through ``adapters.xlsxwriter_internals``.
The summary tests read every sheet back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import repeat

from xlsxwriter.utility import xl_col_to_name

from ..adapters.xlsxwriter_internals import RowsXmlWorksheet, string_index, style_index
from ..files.plaintext_xlsx import PlainTextWorkbook, text_xml

ROW = "\x00"
"""Stands for the row number in a rendered row until the row is placed (no other text in a
rendered row can hold it: cell text is escaped, and XML forbids it)."""

MAX_STRING = 32767
"""Excel's longest cell text in UTF-16 units; longer text is cut, as xlsxwriter's write_string does."""


class RawRowsWorksheet(RowsXmlWorksheet):
    """An xlsxwriter worksheet that also takes whole rows rendered by ``RowRenderer``.

    Raw rows must be added in increasing row order and never share a row with cells written
    through the ordinary ``write_*`` methods.
    """

    def add_raw_rows(self, first_row: int, last_col: int, templates: list[str]) -> None:
        """Place rows rendered by ``RowRenderer.render`` at ``first_row`` (0-based) onwards."""
        if not templates:
            return
        xml = "".join([t.replace(ROW, str(n)) for n, t in enumerate(templates, first_row + 1)])
        self.add_rows_xml(first_row, first_row + len(templates) - 1, last_col, xml, xml.count('t="s"'))

    def add_later_rows(self, first_row: int, count: int, last_col: int,
                       blocks: Callable[[], Iterable[bytes]]) -> None:
        """Place ``count`` rows with inline text at ``first_row`` (0-based) onwards, whose XML
        ``blocks()`` yields, as ``RowRenderer.render`` made it (UTF-8), in runs of whole rows,
        when the sheet is written."""
        if count:
            self.add_rows_xml(first_row, first_row + count - 1, last_col, lambda: _numbered(blocks(), first_row), 0)


def _numbered(blocks: Iterable[bytes], first_row: int) -> Iterable[bytes]:
    """The rows of ``blocks`` (each a run of rendered rows, UTF-8) with their row numbers, from
    ``first_row`` (0-based). (As bytes: they are kept and written so, never decoded.)"""
    n = first_row + 1
    for block in blocks:
        if not block:  # a unit with no rows in this table (no projects, or no indicators)
            continue  # (split would give one empty "row", and joining it an unopened </row>)
        rows = block.split(END_ROW)
        rows.pop()  # after the last </row>
        # (A replace per row, mapped in C: a county's detail sheets have hundreds of thousands.)
        yield END_ROW.join(map(bytes.replace, rows, repeat(_ROW_BYTES), map(b"%d".__mod__, range(n, n + len(rows))))) \
            + END_ROW
        n += len(rows)


END_ROW = b"</row>"
"""How every rendered row ends (UTF-8)."""
_ROW_BYTES = ROW.encode()


class FastWorkbook(PlainTextWorkbook):
    """A workbook whose worksheets take raw rows, whose shared strings are always plain text
    (see ``plaintext_xlsx``) and whose package is deflated quickly."""

    worksheet_class = RawRowsWorksheet
    zip_level = 1


class RowRenderer:
    """Renders rows of one table: each column has a fixed style and is text or number.

    Rows can be rendered before their sheet exists or their row number is known (as the
    departments' results arrive); ``RawRowsWorksheet.add_raw_rows`` places them.

    Args:
        strings: the workbook's shared string table (``xlsxwriter_internals.shared_strings``);
            ``None`` writes text inline in each cell (such rows can be placed later, see
            ``RawRowsWorksheet.add_later_rows``).
        columns: per column, (xlsxwriter format, written as text).
        letters: see ``__init__``.
        measure: see ``__init__``.
    """

    def __init__(self, strings, columns: Sequence[tuple[object, bool]], letters: Sequence[str] | None = None,
                 measure: dict[int, Callable[[str], int]] | None = None):
        """``letters``: each column's letter, when a column's place is not yet known (a
        placeholder replaced once it is); by default A, B, C, …

        ``measure``: column → how wide a text is; such a column keeps the widest text it
        rendered (``widest``), measured as a new value's cell is rendered, so a value repeated
        down the column (a unit's name on each of its indicators) is measured once."""
        letters = letters or [xl_col_to_name(i) for i in range(len(columns))]
        measure = measure or {}
        self._columns = [_Column(letter, style_index(fmt), text, strings, measure.get(i))
                         for i, (letter, (fmt, text)) in enumerate(zip(letters, columns, strict=True))]

    def widest(self, col: int) -> int:
        """The widest text column ``col`` rendered (0 before any, or when it is not measured)."""
        return self._columns[col].widest

    def render(self, values: Sequence, formulas: dict[int, tuple[str, object]] | None = None,
               height: float | None = None) -> str:
        """A data row as XML, with ``ROW`` for its row number.

        Args:
            values: one per column; ``None`` or ``""`` writes no cell (the table's grid still
                draws its border).
            formulas: column → (formula starting with ``=``, its cached value); the value given
                for that column is ignored. ``ROW`` in a formula is the row's own number.
            height: row height in points, for rows of wrapped text.
        """
        head = f'<row r="{ROW}" ht="{height:g}" customHeight="1">' if height else f'<row r="{ROW}">'
        if len(values) != len(self._columns):
            raise ValueError(f"{len(values)} values for {len(self._columns)} columns")
        if formulas is None:
            # The summary's hot loop: a cell is one dictionary lookup when its value was seen
            # before, and map() makes the lookups without a Python frame per cell.
            return f'{head}{"".join(map(_cell, self._columns, values))}</row>'
        cells = list(map(_cell, self._columns, values))
        for col, (formula, cached) in formulas.items():
            column = self._columns[col]
            cells[col] = _formula_cell(column.letter, column.style, formula, cached)
        return f'{head}{"".join(cells)}</row>'


class _Column(dict):
    """One column's cells by value, rendered once each.

    With the row number left as ``ROW`` a cell's XML depends only on its value, and values
    repeat down a column (a unit's name on each of its indicators, level names, scores, grades).
    Values that do not repeat (a unit's name, a finding's message) would make it grow with the
    county, so it is emptied whenever it holds ``CACHED`` cells.
    """

    CACHED = 64

    def __init__(self, letter: str, style: int, text: bool, strings, measure: Callable[[str], int] | None = None):
        super().__init__({None: "", "": ""})  # no cell: the table's grid draws the border
        self.letter, self.style, self.text, self._strings = letter, style, text, strings
        self.measure, self.widest = measure, 0

    def __missing__(self, value) -> str:
        if value.__class__ is not str:
            if self.text:
                return self[str(value)]  # stored under the text, so 1 and 1.0 never share a cell
            cell = f'<c r="{self.letter}{ROW}" s="{self.style}"><v>{float(value)!r}</v></c>'
        else:
            if self.measure is not None and len(value) * 2 > self.widest:  # (at most twice its length wide)
                self.widest = max(self.widest, self.measure(value))
            text = _truncate(value) if len(value) > MAX_STRING // 2 else value
            if self._strings is None:
                cell = f'<c r="{self.letter}{ROW}" s="{self.style}" t="inlineStr"><is>{_inline(text)}</is></c>'
            else:
                index = string_index(self._strings, text)  # placed rows count their cells
                cell = f'<c r="{self.letter}{ROW}" s="{self.style}" t="s"><v>{index}</v></c>'
        if len(self) >= self.CACHED:
            self.clear()
            self[None] = self[""] = ""
        self[value] = cell
        return cell


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _inline(text: str) -> str:
    """Inline text, its private-use characters written as character references: the same
    characters in the XML stand for column letters still to be placed (``county.summary``)."""
    xml = text_xml(text)
    return _PRIVATE_USE.sub(lambda m: f"&#x{ord(m[0]):X};", xml) if _PRIVATE_USE.search(xml) else xml


_cell = dict.__getitem__
"""A column's cell for a value (``_Column.__missing__`` renders a new one)."""


def _formula_cell(letter: str, style: int, formula: str, cached) -> str:
    """A formula cell of the row being rendered, with its cached result, as xlsxwriter's
    write_formula writes it."""
    element = _formula_element(formula)
    if cached is None or isinstance(cached, str):
        return f'<c r="{letter}{ROW}" s="{style}" t="str">{element}<v>{_escape(cached or "")}</v></c>'
    return f'<c r="{letter}{ROW}" s="{style}">{element}<v>{float(cached)!r}</v></c>'


@lru_cache(maxsize=256)
def _formula_element(formula: str) -> str:
    """A formula's ``<f>`` element: the same few formulas (``ROW`` standing for the row) recur
    on every row of a table."""
    return f"<f>{_escape(formula[1:] if formula.startswith('=') else formula)}</f>"


def _escape(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _truncate(text: str) -> str:
    """``text`` cut to Excel's limit of 32,767 UTF-16 units (a character outside the BMP takes two)."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_STRING:
            return text[:i]
    return text
