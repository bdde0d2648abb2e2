"""A table sheet of the county summary: title, header, typed cells, total rows, print setup.

Every summary sheet is one of these, so they all look and print alike. Data rows are rendered by
``TableRows`` (see rawrows: text always as shared-string text, so a unit name like
``=HYPERLINK(...)`` stays text; numbers as numbers; a row's own formulas with their cached
values); titles, headers and total rows are xlsxwriter's ``write_*`` calls, totals with the
cached value computed here, so a reader without a calculation engine sees the same number a
spreadsheet would calculate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name

from ..adapters.xlsxwriter_internals import shared_strings
from ..layout import style, textwidth
from .columns import INT, MONEY, RATE, SCORE, TEXT
from .rawrows import ROW, RawRowsWorksheet, RowRenderer

TITLE_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = TEXT
    width: float = 12


class Formats:
    """The summary's cell formats, made once per workbook."""

    def __init__(self, wb):
        base = style.CELL
        numbers = {MONEY: style.MONEY_FORMAT, RATE: style.PERCENT_FORMAT, SCORE: style.DECIMAL_FORMAT,
                   INT: style.INTEGER_FORMAT, TEXT: style.TEXT_FORMAT}
        self.title = wb.add_format(style.TITLE)
        self.header = wb.add_format({**base, **style.HEADER})
        self.cell = {k: wb.add_format({**base, "num_format": v}) for k, v in numbers.items()}
        self.total = {k: wb.add_format({**base, "num_format": v, "bold": True, "bg_color": style.LABEL_FILL})
                      for k, v in numbers.items()}
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.plain = wb.add_format(style.NOTE)
        self.key = wb.add_format({"font_name": style.SONGTI, "font_size": 11, "bold": True, "valign": "top"})
        self.grid = wb.add_format({"border": 1})
        """Drawn over a whole table by one conditional format, so empty cells need not be written."""


class TableRows:
    """Renders the data rows of one table layout; usable before the table's sheet exists."""

    def __init__(self, wb, fmt: Formats, cols: list[Col], wrap: tuple[int, ...] = (),
                 letters: list[str] | None = None, inline: bool = False):
        """``letters``: placeholder column letters for a layout whose columns are placed later
        (see ``RowRenderer``); ``inline``: text written in each cell, not through the shared
        strings, so that the rows can wait on disk (``TableSheet.place_later``)."""
        self.cols, self.wrap = cols, tuple(wrap)
        self._heights = [(c, cols[c].width, {}) for c in self.wrap]
        """Per wrapped column, the heights its texts need, as measured: a column's texts repeat
        row after row (a project's name on each of its indicators, a file on each finding)."""
        self.fitted = tuple(i for i, col in enumerate(cols) if col.kind == TEXT and i not in self.wrap)
        """The unwrapped text columns: each is widened to show its widest value whole
        (``widest``, ``TableSheet.finish``)."""
        self._renderer = RowRenderer(None if inline else shared_strings(wb),
                                     [(fmt.wrap if i in self.wrap else fmt.cell[col.kind], col.kind == TEXT)
                                      for i, col in enumerate(cols)], letters,
                                     measure=dict.fromkeys(self.fitted, textwidth.columns))
        self._wider: dict[int, int] = {}
        """Widths another process measured (``widen``)."""

    @property
    def widest(self) -> dict[int, int]:
        """Unwrapped text column → the widest value rendered in it (character cells), here or in
        another process that rendered with this layout (``widen``)."""
        return {c: max(self._renderer.widest(c), self._wider.get(c, 0)) for c in self.fitted}

    def widen(self, widths: dict[int, int]) -> None:
        """Take in the widest values (``widest``) of another process's copy of this layout."""
        wider = self._wider
        for c, width in widths.items():
            if width > wider.get(c, 0):
                wider[c] = width

    def render(self, values, formulas: dict[int, tuple[str, object]] | None = None) -> str:
        """One data row (a sequence in column order) with ``ROW`` for its row number.

        ``formulas`` maps a column to (formula, cached value), e.g. the row's own 执行率 (use
        ``a1(None, col)`` for a cell of the row itself).
        """
        height = None
        if self.wrap:
            # Not every program grows a row to fit wrapped text (LibreOffice keeps the default
            # height), so give the row the height its longest wrapped cell needs.
            need = _ONE_LINE
            for c, width, known in self._heights:
                text = str(values[c] or "")
                cell = known.get(text)
                if cell is None:
                    if len(known) >= _HEIGHTS_KEPT:
                        known.clear()
                    cell = known[text] = _height(text, width)
                need = max(need, cell)
            if need > _ONE_LINE:
                height = need
        return self._renderer.render(values, formulas and {col: (formula, _cached(value))
                                                           for col, (formula, value) in formulas.items()},
                                     height)


class TableSheet:
    """Writes one table; ``row`` is the next free row."""

    def __init__(self, wb, fmt: Formats, name: str, title: str, cols: list[Col], *,
                 landscape: bool = True, freeze_cols: int = 2, wrap: tuple[int, ...] = (),
                 rows: TableRows | None = None):
        """``rows``: the layout the sheet's rows are rendered with, when they were rendered
        before the sheet was made (its column widths follow what it rendered)."""
        self.ws = wb.add_worksheet(name, worksheet_class=RawRowsWorksheet)  # also outside a FastWorkbook
        self.fmt, self.cols = fmt, cols
        self.name = name
        ws = self.ws
        for i, col in enumerate(cols):
            ws.set_column(i, i, col.width)
        if len(cols) > 1:
            ws.merge_range(TITLE_ROW, 0, TITLE_ROW, len(cols) - 1, title, fmt.title)
        else:
            ws.write_string(TITLE_ROW, 0, title, fmt.title)
        ws.set_row(TITLE_ROW, style.TITLE_ROW_HEIGHT)
        for i, col in enumerate(cols):
            ws.write_string(HEADER_ROW, i, col.header, fmt.header)
        # Tall enough for the longest header to show whole: LibreOffice does not grow a row to
        # fit wrapped text (a class sheet's "207 文化旅游体育与传媒支出" takes three lines).
        ws.set_row(HEADER_ROW, max(30, *(_height(col.header, col.width) for col in cols)))
        ws.freeze_panes(FIRST_ROW, freeze_cols)
        style.print_a4(ws, landscape=landscape, repeat=(TITLE_ROW, HEADER_ROW), margins=style.SUMMARY_MARGINS)
        self.row = FIRST_ROW
        # Data rows are rendered straight to XML (see rawrows); each column has one style.
        self.rows = rows or TableRows(wb, fmt, cols, wrap)

    def append(self, values, formulas: dict[int, tuple[str, object]] | None = None) -> int:
        """Write one data row (see ``TableRows.render``); returns its row index."""
        return self.place([self.rows.render(values, formulas)])

    def place(self, rendered: list[str]) -> int:
        """Write rows rendered by this table's layout (``TableRows``); returns the first's index."""
        row = self.row
        self.ws.add_raw_rows(row, len(self.cols) - 1, rendered)
        self.row += len(rendered)
        return row

    def place_later(self, count: int, rows: Callable[[], Iterable[str]]) -> int:
        """Reserve ``count`` rows for rows rendered with inline text by this table's layout, which
        ``rows()`` yields (in runs of whole rows) when the sheet is written; returns the first's
        index."""
        row = self.row
        self.ws.add_later_rows(row, count, len(self.cols) - 1, rows)
        self.row += count
        return row

    def formula(self, row: int, col: int, formula: str, cached) -> None:
        """A formula cell of a total row."""
        self.ws.write_formula(row, col, formula, self.fmt.total[self.cols[col].kind], _cached(cached))

    def total_row(self, label_col: int, label: str, first: int, last: int, sums: dict[int, Decimal | float],
                  function: int = 9, extra: dict[int, tuple[str, object]] | None = None) -> int:
        """A row of ``SUBTOTAL(function, …)`` over data rows ``first``..``last`` (0-based, inclusive).

        SUBTOTAL skips other SUBTOTAL cells in its range (group subtotals are not counted twice)
        and rows hidden by the autofilter; with no data rows the sums are written as numbers.
        ``sums`` maps column → the cached value;
        ``extra`` maps column → (formula, cached) for anything else (a rate, an average).
        """
        row = self.row
        for col in range(len(self.cols)):
            self.ws.write_blank(row, col, None, self.fmt.total[self.cols[col].kind])
        self.ws.write_string(row, label_col, label, self.fmt.total[TEXT])
        no_rows = not first <= last < row  # every file rejected: a SUBTOTAL would take in itself
        for col, cached in sums.items():
            if no_rows:
                self.ws.write_number(row, col, float(cached or 0), self.fmt.total[self.cols[col].kind])
                continue
            letter = xl_col_to_name(col)
            self.formula(row, col, f"=SUBTOTAL({function},{letter}{first + 1}:{letter}{last + 1})", cached)
        for col, (formula, cached) in (extra or {}).items():
            self.formula(row, col, formula, cached)
        self.row += 1
        return row

    def finish(self) -> None:
        """Autofilter over the header and every written row; the grid over the data rows; each
        unwrapped text column as wide as its widest value (up to ``MAX_FIT_WIDTH``), since a
        printed cell cuts what does not fit."""
        for col, widest in self.rows.widest.items():
            need = min(widest + _FIT_PADDING, MAX_FIT_WIDTH)
            if need > self.cols[col].width:
                self.ws.set_column(col, col, need)
        last_col = len(self.cols) - 1
        self.ws.autofilter(HEADER_ROW, 0, max(self.row - 1, HEADER_ROW), last_col)
        if self.row > FIRST_ROW:
            self.ws.conditional_format(FIRST_ROW, 0, self.row - 1, last_col,
                                       {"type": "formula", "criteria": "=TRUE", "format": self.fmt.grid})


def _cached(value):
    """A formula's cached result as a cell holds it: a number as float, nothing as ""."""
    if value is None:
        return ""
    return float(value) if isinstance(value, Decimal | int | float) else value


def a1(row: int | None, col: int) -> str:
    """A cell's A1 reference; ``row`` None: in the row being rendered."""
    return f"{xl_col_to_name(col)}{ROW if row is None else row + 1}"


def rate_formula(row: int | None, executed_col: int, budget_col: int) -> str:
    """执行数 / 预算数, empty when there is no budget to divide by."""
    b, e = a1(row, budget_col), a1(row, executed_col)
    return f'=IF(N({b})>0,N({e})/{b},"")'


def rate_value(executed: Decimal | float | None, budget: Decimal | float | None):
    """The cached value of ``rate_formula``."""
    if budget is None or budget <= 0:
        return ""
    return float((executed or 0) / budget)


MAX_FIT_WIDTH = 40
"""The widest a column grows to fit its values; longer texts belong in a wrapped column."""
_FIT_PADDING = 2
"""Character cells of room beside the widest value (cell padding, and glyphs wider than the
measure)."""
_SIZE = style.CELL["font_size"]
_ONE_LINE = textwidth.height("", 100, _SIZE)
_HEIGHTS_KEPT = 256
"""Measured texts a wrapped column remembers (emptied when full: a county's texts are many)."""


def _height(text: str, width: float) -> float:
    """Points a cell of a column ``width`` characters wide needs for ``text`` wrapped."""
    return textwidth.column_height(text, width, _SIZE)
