"""Fill a standard template with a model using openpyxl, as another program would.

openpyxl stores no cached formula results, so a book filled here has empty totals until a
spreadsheet recalculates it: exactly what readers must cope with. Options lay the tables out
differently (rows inserted, columns reordered or hidden) to show the reader finds data by header.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from book_parts import open_book

from xlsuite.core import contract as c
from xlsuite.core.model import DepartmentBook
from xlsuite.reader.parse import normalize_label

HEADER_ROW = 2  # 1-based header row of every template sheet


def _put(ws, row: int, col: int, value) -> None:
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Decimal):
        cell.value = float(value)
    else:
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # a text beginning with "=" stays text


def _attr(record, key: str):
    for part in key.split("."):
        record = getattr(record, part)
    return record


def fill_template(template: Path, book: DepartmentBook, out: Path, *, insert_rows: bool = False,
                  shuffle_columns: random.Random | None = None, hide_columns: bool = False) -> Path:
    wb = open_book(template)

    ws = wb[c.INFO_SHEET]
    if insert_rows:
        ws.insert_rows(HEADER_ROW + 3, 2)
    labels = {normalize_label(ws.cell(r, 1).value or ""): r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for f in c.INFO_FIELDS:
        _put(ws, labels[normalize_label(f.label)], 2, getattr(book.info, f.key))

    ws = wb[c.BUDGET_SHEET]
    if insert_rows:
        ws.insert_rows(HEADER_ROW + 10, 3)
    rows = {}
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        code, name = ws.cell(r, 2).value, ws.cell(r, 3).value
        rows[code or normalize_label(name or "")] = r
    for row in c.budget_rows():
        if row.is_total or row.key not in book.budget:
            continue
        r = rows[row.code or normalize_label(row.name)]
        for j, a in enumerate(c.AMOUNT_COLUMNS):
            _put(ws, r, 4 + j, getattr(book.budget[row.key].amounts, a.key))
        _put(ws, r, 7, book.budget[row.key].note)

    tables = ((c.PROJECT_SHEET_DEF, book.projects, HEADER_ROW + 2),
              (c.INDICATOR_SHEET_DEF, book.indicators, HEADER_ROW + 1),
              (c.PROBLEM_SHEET_DEF, book.problems, HEADER_ROW + 1),
              (c.WORK_SHEET_DEF, book.work, HEADER_ROW + 1))
    for sheet, records, first in tables:
        ws = wb[sheet.name]
        order = list(range(len(sheet.columns)))
        if shuffle_columns is not None:
            shuffle_columns.shuffle(order)
        for i, col in enumerate(sheet.columns):
            ws.cell(HEADER_ROW, order[i] + 1).value = col.header
        if sheet is c.PROJECT_SHEET_DEF and shuffle_columns is not None:
            # the 合计 row moves with its column, as when a user drags columns around
            for i in range(len(sheet.columns)):
                ws.cell(HEADER_ROW + 1, i + 1).value = None
            ws.cell(HEADER_ROW + 1, order[0] + 1).value = c.PROJECT_TOTAL_LABEL
        if hide_columns:
            ws.insert_cols(1)  # an extra, hidden helper column before the table
            ws.column_dimensions["A"].hidden = True
        shift = 1 if hide_columns else 0
        half = len(records) // 2
        for n, record in enumerate(records):
            # rows inserted mid-table: a blank gap between the two halves
            r = first + n + (2 if insert_rows and n >= half else 0)
            for i, col in enumerate(sheet.columns):
                _put(ws, r, order[i] + 1 + shift, _attr(record, col.key))
    wb.save(out)
    return out
