"""The limits of a book, refused alike on every path before the work (#25 item 6).

The same book — 项目支出 with a stray value in XFD100 — through the CLI (a file), the buttons (a
book of the host protocol, as Excel or WPS sends it) and ``xlsuite serve``: each refuses it with
the same Chinese line, and none reads the rectangle from A1 to the stray cell first (1.6 million
cells: a button press of 55 s). A text longer than a cell holds is refused alike too.
"""

from __future__ import annotations

import copy
import re
import zipfile

import host_books as host
import pytest
from book_parts import sheet_part
from conftest import SAMPLE
from starlette.testclient import TestClient
from test_reader_limits import repacked, run_cli

from xlsuite.core import contract as c
from xlsuite.excel import actions
from xlsuite.excel import host as host_protocol
from xlsuite.excel.host import HostBook
from xlsuite.server import ServerSettings, create_app

XFD = 16_384
REASON = (f"工作表“项目支出”的已用区域过大（达 203 行 × 16,384 列，"
          f"上限 {c.MAX_SHEET_ROWS:,} 行 × {c.MAX_SHEET_COLUMNS} 列）")
"""What every path says: the sample's 项目支出 reaches row 203 (its prepared rows)."""


@pytest.fixture(scope="module")
def sample_payload() -> dict:
    return host.payload_from_file(SAMPLE)


def stray_in_xfd100(payload: dict) -> dict:
    """The payload with a value in 项目支出!XFD100, as a host sends it (values run to the last
    used cell; this row alone is sent that wide, which the protocol allows)."""
    payload = copy.deepcopy(payload)
    grid = next(s for s in payload["sheets"] if s["name"] == c.PROJECT_SHEET)["values"]
    row = grid[99]
    grid[99] = row + [""] * (XFD - 1 - len(row)) + ["多余"]
    return payload


def test_the_cli_refuses_a_file_with_a_value_in_xfd100(tmp_path):
    part = sheet_part(c.PROJECT_SHEET)
    # The cell goes last in row 100, whatever the template writes before it there.
    stray = b'<c r="XFD100" t="inlineStr"><is><t>x</t></is></c></row>'
    path = repacked(SAMPLE, tmp_path / "远处.xlsx", {part: lambda d: re.sub(
        rb'(<row r="100"[^>]*>.*?)</row>', lambda m: m.group(1) + stray, d, count=1, flags=re.S)})
    assert b"XFD100" in zipfile.ZipFile(path).read(part)
    result = run_cli("validate", path)
    assert result.returncode == 2
    assert REASON in result.stdout + result.stderr


@pytest.mark.parametrize("action", ["validate", "score", "forms", "report"])
def test_a_button_refuses_it_before_reading_the_far_rectangle(sample_payload, monkeypatch, action):
    cells_read = []
    real = host_protocol._Read.value

    def counting(self):
        cells_read.append(self._range.rows * self._range.cols)
        return real.fget(self)

    monkeypatch.setattr(host_protocol._Read, "value", property(counting))
    book = HostBook(stray_in_xfd100(sample_payload))
    actions.run(book, actions.ACTIONS[action])
    recorded = book.json()["actions"]
    assert [a["func"] for a in recorded] == ["alert"]  # nothing written into the book
    assert recorded[0]["args"][0] == f"{actions.LABELS[action]}未完成：{REASON}"
    # the contract's sheets are read whole, none to the stray cell: the sample is ~13,000 cells
    assert sum(cells_read) < 50_000


def test_the_server_refuses_it_with_413_in_the_same_words(sample_payload):
    with TestClient(create_app(ServerSettings()), raise_server_exceptions=False) as client:
        response = client.post("/api/validate", json=stray_in_xfd100(sample_payload))
        assert response.status_code == 413
        assert response.json()["error"] == f"{REASON}，请删除表中远处多余的内容或格式后再试"
        assert client.post("/api/validate", json=sample_payload).status_code == 200


def test_a_far_cell_in_a_sheet_xlsuite_does_not_read_as_data_costs_no_more(sample_payload):
    """校验结果 is read for its 位置 column only: a stray cell far right of it is not fetched,
    and 校验 still runs."""
    payload = copy.deepcopy(sample_payload)
    payload["sheets"].append({"name": c.FINDINGS_SHEET, "values": [[""] * (XFD - 1) + ["多余"]]})
    book = HostBook(payload)
    actions.run(book, actions.ACTIONS["validate"])
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1 and alerts[0].startswith("校验完成")


LONG = "长" * (c.MAX_CELL_TEXT + 1)
TOO_LONG = f"项目支出!B4 文字长达 {len(LONG):,} 字，超过单元格上限 {c.MAX_CELL_TEXT:,} 字"
"""What every path says of a project name longer than a cell holds (only a program writes one)."""


def test_a_text_longer_than_a_cell_holds_is_refused_from_a_file(tmp_path):
    from book_parts import cell_xml

    from xlsuite.core.errors import CellValueError
    from xlsuite.reader import ENGINES, read_book

    b4 = cell_xml(c.PROJECT_SHEET, "B4")
    path = repacked(SAMPLE, tmp_path / "长.xlsx", {sheet_part(c.PROJECT_SHEET): lambda d: d.replace(
        b4, f'<c r="B4" t="inlineStr"><is><t>{LONG}</t></is></c>'.encode())})
    for engine in sorted(ENGINES):
        with pytest.raises(CellValueError) as info:
            read_book(path, engine=engine)
        assert TOO_LONG in str(info.value), engine


def long_name(payload: dict) -> dict:
    payload = copy.deepcopy(payload)
    next(s for s in payload["sheets"] if s["name"] == c.PROJECT_SHEET)["values"][3][1] = LONG
    return payload


def test_a_text_longer_than_a_cell_holds_is_refused_by_a_button_and_the_server(sample_payload):
    book = HostBook(long_name(sample_payload))
    actions.run(book, actions.ACTIONS["validate"])
    recorded = book.json()["actions"]
    assert [a["func"] for a in recorded] == ["alert"] and TOO_LONG in recorded[0]["args"][0]
    with TestClient(create_app(ServerSettings()), raise_server_exceptions=False) as client:
        response = client.post("/api/validate", json=long_name(sample_payload))
        assert response.status_code == 413 and response.json()["error"] == f"单元格内容有误：{TOO_LONG}"
