"""The look of the workbooks xlsuite writes: paper, margins, footer, fonts, fills, number formats.

One definition for every writer: the standard workbook (``template``), the county summary
(``county.sheet`` and ``county.charts``), the official forms and 校验结果 (``forms``, drawn by
``excel.plan_writer`` or xlwings) and the cells a 校验 colours (``excel.cell_colours``). Only
constants and plain dicts live here, and a helper that calls an xlsxwriter worksheet's own
methods, so the module imports no Excel library. The core (model, contract, profile, amounts,
scoring, validation) never imports it: how a sheet looks is not a rule of the workbook.
"""

from __future__ import annotations

from . import textwidth

# --- page ----------------------------------------------------------------------------------------

A4_PAPER = 9
"""Excel's paper-size code for A4 (xlsxwriter's ``set_paper``, openpyxl's ``paperSize``)."""
A4_MM = (210, 297)
"""A4 (width, height) in millimetres, for the Word report's page."""
A4_PT = (595.0, 842.0)
"""A4 (width, height) in points, rounded as spreadsheets count it, for fitting a form to a page."""

PAGE_FOOTER = "第 &P 页，共 &N 页"
"""Centre footer of every printed table: page n of N (Excel codes ``&P``, ``&N``)."""

TEMPLATE_MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}
"""Margins (inches) of the standard workbook's sheets."""
SUMMARY_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}
"""Margins (inches) of the county summary's tables: narrower, they are wider tables."""
FORM_MARGINS = (0.5, 0.5, 0.5, 0.5)
"""Margins (left, right, top, bottom; inches) of the sheets drawn from plans: the official forms
and 校验结果."""

# --- fonts and fills -----------------------------------------------------------------------------

SONGTI, HEITI, FANGSONG, KAITI = "宋体", "黑体", "仿宋", "楷体"
"""宋体 for cells, labels and headings; 黑体 for sheet titles; 仿宋 for the official forms'
entries and the report's body text; 楷体 for the report's second-level headings."""

HEADER_FILL = "#D9E1F2"
"""Fill of header cells."""
LABEL_FILL = "#F2F2F2"
"""Fill of locked labels, formulas and total rows (the cells nobody types into)."""
ERROR_FILL, WARNING_FILL, HINT_FILL = "#FFC7CE", "#FFEB9C", "#DDEBF7"
"""Fills of the cells a 校验 finds, by the most serious finding on them (错误, 警告, 提示)."""

# --- cell formats (xlsxwriter ``add_format`` properties) -----------------------------------------

MONEY_FORMAT = "#,##0.00"
"""万元 in cells: thousands separated, two decimals."""
PERCENT_FORMAT = "0.00%"
DECIMAL_FORMAT = "0.00"
"""Scores and weights."""
INTEGER_FORMAT = "0"
TEXT_FORMAT = "@"

CELL = {"font_name": SONGTI, "font_size": 10, "valign": "vcenter", "border": 1}
"""A table cell."""
HEADER = {"bold": True, "align": "center", "text_wrap": True, "bg_color": HEADER_FILL}
"""Added to ``CELL`` for a header cell."""
TITLE = {"font_name": HEITI, "font_size": 14, "bold": True, "align": "center", "valign": "vcenter"}
"""A sheet's title, merged across its table in the first row."""
TITLE_ROW_HEIGHT = 26
NOTE = {"font_name": SONGTI, "font_size": 11, "text_wrap": True, "valign": "top"}
"""Free text outside a table (说明, 汇总说明)."""

# --- workbooks -----------------------------------------------------------------------------------

WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
"""xlsxwriter ``Workbook`` options: text is written as text, never turned into a number, a
formula or a link (a unit name beginning with ``=`` stays a name)."""


def fit_row(ws, row: int, cells, size: float = CELL["font_size"], minimum: float = 0) -> None:
    """Make row ``row`` of an xlsxwriter worksheet tall enough for its wrapped cells, ``cells``
    being ``(text, column width)`` pairs in a font of ``size`` points: LibreOffice and WPS
    print a row at its set height (the rest of the text runs over the rows below), and Excel
    grows a row only for text typed into it. A row of one line keeps the default height
    unless ``minimum`` asks for more."""
    need = max((textwidth.column_height(str(text), width, size) for text, width in cells if text), default=0.0)
    if need > textwidth.height("", 100, size) or minimum:
        ws.set_row(row, max(need, minimum))


def print_a4(ws, *, landscape: bool = False, pages_tall: int = 0, repeat: tuple[int, int] | None = None,
             margins: dict[str, float] | None = None, pages_wide: int = 1,
             repeat_columns: tuple[int, int] | None = None) -> None:
    """Print an xlsxwriter worksheet on A4, ``pages_wide`` pages wide and ``pages_tall`` pages
    tall (0: as many as it takes); with ``repeat`` (first, last row) those rows top every page,
    with ``repeat_columns`` (first, last column) those columns start every page; with
    ``margins`` (a table sheet) those margins and ``PAGE_FOOTER``."""
    ws.set_paper(A4_PAPER)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(pages_wide, pages_tall)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if repeat_columns is not None:
        ws.repeat_columns(*repeat_columns)
    if margins is not None:
        ws.set_margins(**margins)
        ws.set_footer("&C" + PAGE_FOOTER)
