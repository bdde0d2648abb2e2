"""What every writer of sheet plans does: one interface for the file, the live book and Word.

Three writers draw the same ``SheetPlan`` data (``plan.py``):

- ``forms.xlsx_writer.XlsxPlanWriter``: into an openpyxl workbook (``xlsuite score``'s file);
- ``excel.plan_writer.LiveBookPlanWriter``: into an open xlwings ``Book`` (the Excel and WPS
  buttons; the tests drive it through xlsuite's host protocol, ``excel.host.HostBook``);
- ``report.docx_plan.DocxPlanWriter``: into a python-docx ``Document`` (the report's appendix).

``tests/test_plan_writers.py`` draws the same plans through all three and compares what a reader
of each result sees. This module imports no Excel or Word library.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from ..core.model import CellRef
from .plan import SheetPlan


class PlanWriter(Protocol):
    """Draws sheet plans into one target (a workbook, a live book, a document).

    ``write_plans`` draws ``plans`` in order, each once, and promises a reader of the target:

    - **cells**: every ``PlanCell`` in its place (0-based ``row``, ``col``), showing
      ``plan.display(cell)``: a ``text`` cell as text whatever it starts with (``=SUM(A1)``
      stays text), a ``number`` cell as a number shown under its style's number format, a
      ``formula`` (only ``=HYPERLINK`` links) as a link showing its text. A workbook writer keeps
      the kind (a number is a numeric cell, not a text that looks like one); a Word writer draws
      the shown text;
    - **merges**: every ``Merge`` as one merged range holding its top-left cell's value, the
      style's border around each of its cells;
    - **styles**: each ``STYLES`` entry as that writer's formats (font, size, bold, alignment,
      wrap or shrink, border, number format, colour, underline);
    - **widths and heights**: columns as wide as ``col_widths`` and rows as tall as
      ``row_heights`` (a workbook in its own units; Word in proportion, its rows growing with
      their text);
    - **pages**: ``row_breaks`` start a new page; a workbook also takes the print setup (A4,
      orientation, scale or fit to width, margins, centring, footer, title rows, gridlines,
      frozen panes).

    A writer whose target cannot hold a layout says so in its own docstring and keeps the rest:
    the live book's writer on a JSON host (no desktop Excel) writes values and kinds only, the
    Word writer draws borderless rows as paragraphs and bordered runs as tables and has no sheet
    print setup.
    """

    def write_plans(self, plans: Sequence[SheetPlan]) -> None:
        """Draw ``plans`` in order (a workbook: one sheet each, named ``plan.name``, replacing a
        sheet of that name where it stands; Word: appended to the document)."""


class BookWriter(PlanWriter, Protocol):
    """A plan writer into a workbook, which also writes into the book's existing sheets what
    ``xlsuite score`` and the 评分 button write there."""

    def write_values(self, values: Sequence[tuple[CellRef, Decimal]]) -> None:
        """Put numbers into existing cells (the 得分 column), keeping each cell's own style and
        every other cell as it was."""

    def write_meta(self, rows: Sequence[tuple[str, str]]) -> None:
        """Set key–value rows (the score stamp) in the hidden meta sheet: a key already there
        gets the new value in its row, a new key a new row."""
