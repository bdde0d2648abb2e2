"""A printed form as a grid of what each cell shows, with merges marked: the text of a merged
range's top-left cell, ``<`` in a cell merged with the one on its left, ``^`` with the one above.
One reading for a sheet plan, a written worksheet and a Word table, so a hand-worked form can be
compared cell for cell with each of them."""

from __future__ import annotations

from decimal import Decimal

from xlsuite.forms.plan import display, format_number

LEFT, UP = "<", "^"


def plan_grid(plan, first: int, last: int) -> list[list[str]]:
    """Rows ``first``..``last`` (0-based, inclusive) of a sheet plan."""
    width = len(plan.col_widths)
    grid = [[""] * width for _ in range(first, last + 1)]
    for cell in plan.cells:
        if first <= cell.row <= last:
            grid[cell.row - first][cell.col] = display(cell)
    _mark(grid, [(r1 - first, c1, r2 - first, c2) for r1, c1, r2, c2 in plan.merges if first <= r1 <= last])
    return grid


def sheet_grid(ws, first: int, last: int, width: int) -> list[list[str]]:
    """Rows ``first``..``last`` (1-based, as Excel numbers them) of an openpyxl worksheet, each
    number shown under its cell's number format."""
    grid = []
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=width):
        texts = []
        for cell in row:
            value = cell.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = format_number(Decimal(str(value)), cell.number_format)
            texts.append("" if value is None else str(value))
        grid.append(texts)
    merges = [(m.min_row - first, m.min_col - 1, m.max_row - first, m.max_col - 1)
              for m in ws.merged_cells.ranges if first <= m.min_row <= last]
    _mark(grid, merges)
    return grid


def word_grid(table) -> list[list[str]]:
    """A python-docx table: a cell that is the same XML cell as its left (or upper) neighbour is
    part of their merge."""
    rows, cols = len(table.rows), len(table.columns)
    grid = []
    for r in range(rows):
        line = []
        for col in range(cols):
            tc = table.cell(r, col)._tc
            if col and table.cell(r, col - 1)._tc is tc:
                line.append(LEFT)
            elif r and table.cell(r - 1, col)._tc is tc:
                line.append(UP)
            else:
                line.append(table.cell(r, col).text)
        grid.append(line)
    return grid


def _mark(grid: list[list[str]], merges) -> None:
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) == (r1, c1):
                    continue
                grid[r][col] = LEFT if r == r1 else UP
