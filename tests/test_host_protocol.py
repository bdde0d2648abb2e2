"""xlsuite's host protocol (``excel.host``): the Book API the actions use, over a JSON book.

Each recorded edit has the shape a host applies (``host_books.apply_actions`` applies them as
openpyxl would; the WPS bridge and the server speak the same). Reads see the book as it was sent.
A payload that is not a book is refused with a Chinese reason, never half-read.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import host_books as host
import pytest
from conftest import SAMPLE

from xlsuite.excel import actions, bookio
from xlsuite.excel.host import FUNCS, PROTOCOL, HostBook, PayloadError
from xlsuite.reader.parse import CellError

ROOT = Path(__file__).resolve().parent.parent


def book(values, name="b.xlsx", **extra) -> HostBook:
    return HostBook({"client": "t", "version": "", "protocol": PROTOCOL,
                     "book": {"name": name, "active_sheet_index": 0, "selection": "A1", **extra},
                     "names": [], "sheets": [{"name": "S", "values": values}, {"name": "T", "values": [[""]]}]})


def test_reads_see_the_book_as_sent_with_dates_and_errors_as_excel_shows_them():
    b = book([[1, 2.5, "x", "2021-03-04T00:00:00.000Z", True], ["", None, "#REF!", "", ""]])
    sheet = b.sheets["S"]
    last = sheet.used_range.last_cell
    assert (last.row, last.column) == (2, 5)
    grid = bookio.read_grid(b, "S")
    # an error cell reaches the parser as the error the file reader gives it, not as text
    assert grid == [[1, 2.5, "x", dt.datetime(2021, 3, 4), True], ["", "", CellError("#REF!"), "", ""]]
    sheet.range((1, 1)).value = [[9]]
    assert bookio.read_grid(b, "S")[0][0] == 1  # writes are recorded, not applied


def test_every_edit_has_the_shape_a_host_applies():
    b = book([[1]])
    s = b.sheets["S"]
    s.clear()
    s.clear_contents()
    s.range("A1:B2").color = "#FF0000"
    s.range("E3:E5").set_colors([["#FFC7CE"], [...], [None]])
    s.range("B1:B3").column_width = 12
    s.range("A1").font.bold = True
    s.range("A1:C1").merge()
    s.range((2, 3)).value = [[1, 2], [3, dt.date(2022, 3, 15)]]
    new = b.sheets.add("N", after=b.sheets["S"])
    new.activate()
    b.app.alert("问?", title="绩效自评", buttons="ok_cancel")
    got = b.json()["actions"]
    assert [a["func"] for a in got] == ["sheetClear", "sheetClearContents", "setRangeColor", "setRangeColors",
                                       "setColumnWidth", "setFontProperty", "rangeMerge", "setValues", "addSheet",
                                       "activateSheet", "alert"]
    assert set(a["func"] for a in got) <= set(FUNCS)
    keys = {"func", "args", "values", "sheet_position", "start_row", "start_column", "row_count", "column_count"}
    assert all(set(a) == keys for a in got)
    assert got[2]["args"] == ["#ff0000"] and (got[2]["row_count"], got[2]["column_count"]) == (2, 2)
    assert got[3]["args"] == [[["#ffc7ce"], ["keep"], [None]]] and got[3]["start_row"] == 2
    assert got[7]["values"] == [[1, 2], [3, "2022-03-15T00:00:00.000Z"]]
    assert (got[7]["start_row"], got[7]["start_column"]) == (1, 2)
    assert got[8]["args"] == [1, "N"] and [s.name for s in b.sheets] == ["S", "N", "T"]
    assert got[9]["sheet_position"] == 1
    assert got[10]["args"] == ["问?", "绩效自评", "ok_cancel", "", ""]


def test_formats_are_never_read():
    rng = book([[1]]).sheets["S"].range("A1")
    for read in (lambda: rng.color, lambda: rng.column_width, lambda: rng.font.bold):
        with pytest.raises(NotImplementedError):
            read()


@pytest.mark.parametrize(("payload", "reason"), [
    ([], "应为 JSON 对象"),
    ({"book": {"name": "a"}, "sheets": []}, "缺少工作表"),
    ({"sheets": [{"name": "S", "values": [[1]]}]}, "缺少工作簿名称"),
    ({"book": {"name": "a"}, "sheets": [{"name": "S", "values": "=HYPERLINK(1)"}]}, "二维数组"),
    ({"book": {"name": "a"}, "sheets": [{"name": "S", "values": [[{"a": 1}]]}]}, "A1 不是单元格的值"),
    ({"book": {"name": "a"}, "sheets": [{"name": "S", "values": [[float("nan")]]}]}, "A1 不是单元格的值"),
    ({"book": {"name": "a"}, "sheets": [{"name": "S", "values": [[1]]}, {"name": "S", "values": [[1]]}]}, "重复"),
    ({"book": {"name": "a"}, "protocol": 2, "sheets": [{"name": "S", "values": [[1]]}]}, "协议版本"),
    ({"book": {"name": "a", "active_sheet_index": "0"}, "sheets": [{"name": "S", "values": [[1]]}]}, "整数"),
])
def test_a_payload_that_is_not_a_book_is_refused_in_chinese(payload, reason):
    with pytest.raises(PayloadError, match=reason) as caught:
        HostBook(payload)
    assert str(caught.value).startswith("工作簿数据格式有误：")


def test_the_buttons_on_the_sample_leave_the_payload_untouched_and_write_only_known_edits():
    payload = host.payload_from_file(SAMPLE)
    sent = copy.deepcopy(payload)
    for action in actions.ACTIONS.values():
        b = HostBook(payload)
        actions.run(b, action)
        assert set(a["func"] for a in b.json()["actions"]) <= set(FUNCS)
    assert payload == sent


def test_no_test_and_no_module_needs_xlwings_pro():
    """xlsuite is MIT: nothing of it, tests included, may need code under xlwings PRO's
    PolyForm Noncommercial licence, nor set a licence key for it."""
    forbidden = re.compile(r"xlwings\.pro|from xlwings import pro|_xlremote|LICENSE_KEY")
    offenders = [str(p.relative_to(ROOT)) for folder in ("xlsuite", "tests", "benchmarks")
                 for p in (ROOT / folder).rglob("*.py")
                 if p.name != Path(__file__).name and forbidden.search(p.read_text("utf-8"))]
    assert offenders == []


def test_set_colors_refuses_what_xlwings_refuses():
    """xlwings' ``Range.set_colors`` takes 10,000 cells a call: this host too, so an action the
    tests pass does not fail in Excel on a big book."""
    s = book([[1]]).sheets["S"]
    with pytest.raises(ValueError, match="at most 10,000 cells"):
        s.range("A1:A10001").set_colors([["#ffffff"]] * 10_001)
    with pytest.raises(ValueError, match="expected 2 rows"):
        s.range("A1:A2").set_colors([["#ffffff"]])


def test_a_column_of_15000_offending_cells_is_coloured_in_blocks_xlwings_takes():
    """A button on 15,000 projects: every 偏差原因 cell is a finding. All get their colour, and
    no call asks xlwings for more than it takes (it failed: "supports at most 10,000 cells")."""
    from xlsuite.core import contract as c
    from xlsuite.core.model import CellRef
    from xlsuite.core.validation import Finding
    from xlsuite.excel import cell_colours

    rows = range(2, 15_002)
    findings = [Finding("indicator.deviation", "警告", "缺少偏差原因", CellRef(c.INDICATOR_SHEET, r, 11))
                for r in rows]
    payload = {"client": "t", "version": "", "protocol": PROTOCOL, "book": {"name": "b.xlsx"}, "names": [],
               "sheets": [{"name": c.INDICATOR_SHEET, "values": [[""] * 12] * 15_002}]}
    b = HostBook(payload)
    plan = cell_colours.colour_plan(findings, set(), {c.INDICATOR_SHEET: payload["sheets"][0]["values"]})
    cell_colours.paint(b, plan, desktop=False)
    calls = [a for a in b.json()["actions"] if a["func"] == "setRangeColors"]
    assert all(a["row_count"] * a["column_count"] <= 10_000 for a in calls)
    coloured = [a["start_row"] + i for a in calls for i, (fill,) in enumerate(a["args"][0]) if fill != "keep"]
    assert coloured == list(rows)
    assert {fill for a in calls for (fill,) in a["args"][0]} == {cell_colours.FILLS["警告"].lower()}
