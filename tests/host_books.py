"""Run a button action without Excel: a workbook file as a book of xlsuite's host protocol.

``payload_from_file`` turns an .xlsx into the JSON book a host sends (``xlsuite.excel.host``);
the action runs against ``HostBook`` and records its edits as actions (``book.json()["actions"]``);
``apply_actions`` performs them on a copy of the file with openpyxl, as a host would. This is how
the tests drive the actions, and how a developer runs one from a terminal::

    python tests/host_books.py validate BOOK.xlsx OUT.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
from book_parts import open_book
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from xlsuite.files.atomic import write_via_temp

CLIENT = "xlsuite tests"


def payload_from_file(path: str | Path, name: str | None = None) -> dict:
    """The host protocol's payload for a workbook file: every sheet's values from A1, with
    formulas as their cached values, as a host sends them. A fresh dict on every call.
    ``name``: the book's name (default: the file's name), also its ``fullname``, so a full path
    stands for a saved book."""
    from xlsuite.excel.host import PROTOCOL, protocol_value

    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows = [[protocol_value(v) for v in row]
                    for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
            sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "tables": []})
    finally:
        wb.close()
    return {"client": CLIENT, "version": "", "protocol": PROTOCOL,
            "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def open_host_book(path: str | Path, name: str | None = None):
    """The file as a ``HostBook`` (named ``name``, see ``payload_from_file``)."""
    from xlsuite.excel.host import HostBook

    return HostBook(payload_from_file(path, name))


def apply_actions(src: str | Path, actions: list[dict], out: str | Path) -> list[str]:
    """Perform the recorded ``actions`` on a copy of ``src`` written to ``out``, as a host would.

    Returns:
        The texts of the message boxes the actions would show, in order.

    Raises:
        NotImplementedError: an action this applier does not know (so nothing passes unseen).
    """
    wb = open_book(src)
    alerts: list[str] = []
    for action in actions:
        _APPLY.get(action["func"], _unknown)(wb, action, alerts)
    write_via_temp(out, wb.save)
    return alerts


def _cells(wb, a):
    ws = wb.worksheets[a["sheet_position"]]
    for r in range(a["row_count"]):
        for c in range(a["column_count"]):
            yield r, c, ws.cell(a["start_row"] + r + 1, a["start_column"] + c + 1)


def _set_values(wb, a, _):
    ws = wb.worksheets[a["sheet_position"]]
    for r, row in enumerate(a["values"]):
        for c, value in enumerate(row):
            cell = ws.cell(a["start_row"] + r + 1, a["start_column"] + c + 1)
            if isinstance(value, str) and value.startswith("'"):
                cell.value = value[1:]  # Excel's text prefix: the rest is text, even "=…"
                cell.data_type = "s"
            else:
                cell.value = None if value == "" else value


def _fill(color):
    return PatternFill() if color is None else PatternFill("solid", fgColor=color.lstrip("#").upper())


def _set_color(wb, a, _):
    for _r, _c, cell in _cells(wb, a):
        cell.fill = _fill(a["args"][0])


def _set_colors(wb, a, _):
    matrix = a["args"][0]
    for r, c, cell in _cells(wb, a):
        if matrix[r][c] != "keep":
            cell.fill = _fill(matrix[r][c])


def _add_sheet(wb, a, _):
    index, name = a["args"]
    wb.create_sheet(name, index)


def _clear_sheet(wb, a, _):
    ws = wb.worksheets[a["sheet_position"]]
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None
            if a["func"] == "sheetClear":
                cell.fill, cell.font = PatternFill(), Font()


def _alert(wb, a, alerts):
    alerts.append(a["args"][0])


def _column_width(wb, a, _):
    ws = wb.worksheets[a["sheet_position"]]
    for c in range(a["column_count"]):
        ws.column_dimensions[get_column_letter(a["start_column"] + c + 1)].width = a["args"][0]


def _activate(wb, a, _):
    wb.active = a["args"][0]


def _bold(wb, a, _):
    name, value = a["args"]
    for _r, _c, cell in _cells(wb, a):
        cell.font = Font(**{**_font_kwargs(cell.font), name: value})


def _font_kwargs(font):
    return {"name": font.name, "size": font.size, "bold": font.bold, "color": font.color}


def _merge(wb, a, _):
    ws = wb.worksheets[a["sheet_position"]]
    ws.merge_cells(start_row=a["start_row"] + 1, start_column=a["start_column"] + 1,
                   end_row=a["start_row"] + a["row_count"], end_column=a["start_column"] + a["column_count"])


def _unknown(wb, a, _):
    raise NotImplementedError(f"apply_actions does not know {a['func']!r}")


_APPLY = {
    "setValues": _set_values, "setRangeColor": _set_color, "setRangeColors": _set_colors,
    "addSheet": _add_sheet, "sheetClear": _clear_sheet, "sheetClearContents": _clear_sheet,
    "alert": _alert, "setColumnWidth": _column_width, "activateSheet": _activate,
    "setFontProperty": _bold, "rangeMerge": _merge,
}


def main(argv: list[str] | None = None) -> int:
    from xlsuite.excel.actions import ACTIONS, run

    action, src, out = (argv or sys.argv[1:])[:3]
    book = open_host_book(src)
    run(book, ACTIONS[action])
    for text in apply_actions(src, book.json()["actions"], out):
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
