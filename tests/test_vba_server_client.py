"""The Excel thin client of ``xlsuite serve`` (``macros/XlsuiteServer.bas``), run in LibreOffice.

LibreOffice's Basic in VBA mode implements enough of Excel's object model (Worksheets, UsedRange,
Range.Value, Interior.Color, Worksheets.Add) to run the client's two halves on a real book: the
book it would send is the host protocol's payload of that book, and applying the server's answer
(CPython's edits) leaves the cells a host applying them leaves. The one call that needs Windows,
``PostJson`` (MSXML2.ServerXMLHTTP), is not run here; its request is the payload checked above
and its answer what ``tests/test_serve.py`` shows the server sends.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import host_books as host
import pytest
from book_parts import open_book
from conftest import SAMPLE
from test_vba_basic import run_basic

from xlsuite.excel import actions, vba
from xlsuite.excel.host import HostBook

pytestmark = pytest.mark.slow  # LibreOffice's Basic runs the Excel client against a live server

HARNESS = '''Attribute VB_Name = "Harness"
Public Function Payload() As String
    Payload = BookJson(ActiveWorkbook)
End Function
Public Function Apply(ByVal text As String) As String
    Apply = ApplyAnswer(ActiveWorkbook, ParseJson(text))
End Function
'''


def _trim(grid: list[list]) -> list[list]:
    rows = [["" if v is None else v for v in row] for row in grid]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v != ""), default=0) for r in rows), default=0)
    return [r[:width] + [""] * (width - len(r[:width])) for r in rows]


def _client() -> list[tuple[str, str]]:
    return [(vba.SERVER_MODULE, vba.module_source(vba.SERVER_MODULE)), ("Harness", HARNESS)]


@pytest.mark.libreoffice
def test_its_pure_parts_escape_numbers_text_and_settings(tmp_path):
    calls = [(vba.SERVER_MODULE, "JsonText", ['a"b\\c 中\n']),
             (vba.SERVER_MODULE, "JsonValue", [1.5]), (vba.SERVER_MODULE, "JsonValue", [-0.25]),
             (vba.SERVER_MODULE, "JsonValue", [True]),
             (vba.SERVER_MODULE, "ServerFromSettings", ['profile = "x.toml"\nserver = "http://10.1.2.3:8765"  # 县\n']),
             (vba.SERVER_MODULE, "ServerFromSettings", ['profile = "x.toml"\n']),
             (vba.SERVER_MODULE, "ServerMessage", ['{"error": "工作簿太大"}']),
             (vba.SERVER_MODULE, "Address", [42.0, 26.0, 3.0, 2.0])]
    result = run_basic(_client(), calls, tmp_path)
    assert result["compiled"] == {vba.SERVER_MODULE: "ok", "Harness": "ok"}
    values = [c.get("value", c.get("error")) for c in result["calls"]]
    assert json.loads(values[0]) == 'a"b\\c 中\n' and values[0].isascii()
    assert [json.loads(v) for v in values[1:4]] == [1.5, -0.25, True]
    assert values[4:] == ["http://10.1.2.3:8765", "", "工作簿太大", "AA43:AB45"]


@pytest.mark.libreoffice
def test_the_book_it_sends_is_the_protocols_payload(tmp_path):
    result = run_basic(_client(), [("Harness", "Payload", [])], tmp_path, document=SAMPLE)
    sent = json.loads(result["calls"][0]["value"])
    want = host.payload_from_file(SAMPLE)
    assert (sent["protocol"], sent["book"]["name"]) == (1, want["book"]["name"])
    assert [s["name"] for s in sent["sheets"]] == [s["name"] for s in want["sheets"]]
    formulas = open_book(SAMPLE)
    for got, expected in zip(sent["sheets"], want["sheets"], strict=True):
        a, b = _trim(got["values"]), _trim(expected["values"])
        for r, row in enumerate(b):
            for col, value in enumerate(row):
                mine = a[r][col] if r < len(a) and col < len(a[r]) else ""
                if value != "":
                    assert mine == value, (got["name"], r, col)
                elif mine != "":  # a formula's result: the file carries none, the application computes it
                    held = formulas[got["name"]].cell(r + 1, col + 1).value
                    assert not isinstance(held, str | int | float) or str(held).startswith("="), (got["name"], r, col)


@pytest.mark.libreoffice
@pytest.mark.parametrize("action", ["validate", "score"])
def test_applying_the_servers_answer_leaves_what_a_host_leaves(tmp_path, action):
    payload = host.payload_from_file(SAMPLE)
    book = HostBook(copy.deepcopy(payload))
    actions.run(book, actions.ACTIONS[action])
    answer = book.json()
    saved = tmp_path / "applied.xlsx"
    result = run_basic(_client(), [("Harness", "Apply", [json.dumps(answer, ensure_ascii=False)])], tmp_path,
                       document=SAMPLE, save_as=saved)
    alerts = [a["args"][0] for a in answer["actions"] if a["func"] == "alert"]
    assert result["calls"][0]["value"] == "".join(f"{text}\n" for text in alerts)
    host.apply_actions(SAMPLE, answer["actions"], tmp_path / "host.xlsx")
    expected = open_book(tmp_path / "host.xlsx")
    applied = open_book(saved)
    assert applied.sheetnames == expected.sheetnames
    written = {a["sheet_position"] for a in answer["actions"] if a["func"] == "setValues"}
    for position in sorted(written):
        name = expected.sheetnames[position]
        want = _trim([list(r) for r in expected[name].iter_rows(values_only=True)])
        got = _trim([list(r) for r in applied[name].iter_rows(values_only=True)])
        if name in answer_sheets(answer, expected.sheetnames):
            assert got == want, name
    for a in answer["actions"]:
        if a["func"] == "setRangeColors":
            sheet = applied.worksheets[a["sheet_position"]]
            for r, row in enumerate(a["args"][0]):
                for c, fill in enumerate(row):
                    cell = sheet.cell(a["start_row"] + r + 1, a["start_column"] + c + 1)
                    if fill not in ("keep", None):
                        assert cell.fill.fgColor.rgb[-6:].lower() == fill[1:], cell.coordinate


def answer_sheets(answer: dict, names: list[str]) -> set[str]:
    """The sheets the answer fills whole (added ones): other sheets get single cells, whose
    neighbours hold formulas LibreOffice computed and the file does not."""
    return {a["args"][1] for a in answer["actions"] if a["func"] == "addSheet"}


def test_the_buttons_use_the_county_server_when_the_settings_name_one():
    code = vba.module_source(vba.BUTTONS_MODULE)
    body = code[code.index("Private Sub RunAction"):code.index("End Sub", code.index("Private Sub RunAction"))]
    assert body.index("ServerSetting(ThisWorkbook.Path)") < body.index("RunOnCountyServer") \
        < body.index("If Not XlwingsLoaded()")
    assert Path(vba.macros_dir() / f"{vba.SERVER_MODULE}.bas").read_text("ascii")


@pytest.mark.libreoffice
def test_addin_install_server_writes_what_the_buttons_read(tmp_path, capsys):
    """`xlsuite addin install --server URL` (with a county profile too) writes xlsuite.toml; the
    VBA reads the server from that very file, Python still reads the profile from it."""
    from engine_fixtures import PROVINCE_PROFILE

    from xlsuite.cli import main
    from xlsuite.excel import settings

    folder = tmp_path / "addin"
    folder.mkdir()
    assert main(["addin", "install", "--dir", str(folder), "--profile", str(PROVINCE_PROFILE),
                 "--server", "http://10.1.2.3:8765/"]) == 0
    assert "按钮将调用县里的 xlsuite 服务：http://10.1.2.3:8765" in capsys.readouterr().out
    text = (folder / settings.SETTINGS_FILE).read_text("utf-8")
    result = run_basic(_client(), [(vba.SERVER_MODULE, "ServerFromSettings", [text])], tmp_path)
    assert result["calls"][0]["value"] == "http://10.1.2.3:8765"
    assert settings.chosen_profile(folder, None, None) is not None
    assert main(["addin", "install", "--dir", str(folder), "--server", "10.1.2.3 & calc"]) == 2
    assert "服务地址" in capsys.readouterr().err
