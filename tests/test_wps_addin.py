"""The WPS 加载项 (``macros/wps``), held to CPython's edits under Node's test runner.

Cases are written here: a book (the sample, a generated one, the blank template) as the host
protocol's payload, an action, the edits CPython records for it, and the cells a host applying
those edits ends with (openpyxl's reading of ``host_books.apply_actions``). Node then runs the
bridge against a stand-in ET object model (``macros/wps/test/stub-et.js``), Python in Pyodide
(the npm package, offline) and a live ``xlsuite serve`` on 127.0.0.1, and the scripts are type-
checked against Kingsoft's declarations (``tsc --checkJs`` with et-jsapi-declare).

Not proven here: the real WPS object model (its Value2 of dates and error cells, its Chromium's
WebAssembly), which only a PC with WPS can show; the stand-in follows Kingsoft's declarations.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import host_books as host
import openpyxl
import pytest
from book_parts import open_book
from conftest import SAMPLE

from xlsuite.excel import actions
from xlsuite.excel.host import HostBook
from xlsuite.server.sources import sources_zip
from xlsuite.template.build import build_workbook
from xlsuite.template.sample import scaled_sample

pytestmark = pytest.mark.slow  # Node runs the add-in's tests with Pyodide (needs npm ci in macros/wps)

ROOT = Path(__file__).resolve().parent.parent
ADDIN = ROOT / "macros" / "wps"
SERVED = ("validate", "score", "forms")


def node() -> str:
    exe = shutil.which("node")
    assert exe, "Node.js is not installed (.ci/run installs it)"
    assert (ADDIN / "node_modules" / "pyodide").is_dir(), "run `npm ci` in macros/wps (.ci/run does)"
    return exe


def _payload_file(payload: dict, path: Path) -> Path:
    """The payload's cells as a workbook of values: what the stand-in starts with (a JSON book
    carries values, not formulas or formats)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in payload["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for r, row in enumerate(sheet["values"], start=1):
            for c, value in enumerate(row, start=1):
                if value not in ("", None):
                    ws.cell(r, c, value)
    wb.save(path)
    return path


def _expected(payload: dict, recorded: list[dict], folder: Path) -> list[dict]:
    out = folder / "applied.xlsx"
    host.apply_actions(_payload_file(payload, folder / "before.xlsx"), recorded, out)
    wb = open_book(out)
    sheets = []
    for ws in wb.worksheets:
        values = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        fills = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.fill is not None and cell.fill.fill_type == "solid":
                    fills[f"{cell.row - 1},{cell.column - 1}"] = "#" + cell.fill.fgColor.rgb[-6:].lower()
        sheets.append({"name": ws.title, "values": values, "fills": fills})
    return sheets


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wps-cases")
    books = tmp_path_factory.mktemp("wps-books")
    sources = {"sample": SAMPLE,
               "generated": build_workbook(books / "generated.xlsx", scaled_sample(3, 4)),
               "blank": build_workbook(books / "blank.xlsx")}
    for name, path in sources.items():
        payload = host.payload_from_file(path)
        for action in SERVED:
            book = HostBook(copy.deepcopy(payload))
            actions.run(book, actions.ACTIONS[action])
            recorded = book.json()["actions"]
            work = books / f"{name}-{action}"
            work.mkdir()
            expected = _expected(payload, recorded, work)
            case = {"name": f"{name}-{action}", "action": action, "payload": payload, "actions": recorded,
                    "expected": expected}
            (folder / f"{name}-{action}.json").write_text(json.dumps(case, ensure_ascii=False, default=str), "utf-8")
    return folder


def run_node(test_file: str, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([node(), "--test", "--test-reporter=spec", f"test/{test_file}"], cwd=ADDIN,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    return done


def test_the_bridge_applies_cpythons_edits_cell_for_cell(cases):
    run_node("bridge.test.js", {"XLSUITE_WPS_CASES": str(cases)})


def test_python_in_the_page_gives_cpythons_edits(cases, tmp_path):
    zipped = tmp_path / "xlsuite-py.zip"
    zipped.write_bytes(sources_zip())
    done = run_node("pyodide.test.js", {"XLSUITE_WPS_CASES": str(cases), "XLSUITE_PY_SOURCES": str(zipped)})
    print(next((line for line in done.stdout.splitlines() if "pyodide cold start" in line), ""))


def test_a_live_county_server_gives_cpythons_edits(cases):
    with live_server() as url:
        run_node("server.test.js", {"XLSUITE_WPS_CASES": str(cases), "XLSUITE_SERVER": url})


def test_the_addin_scripts_type_check_against_kingsofts_declarations():
    node()
    tsc = ADDIN / "node_modules" / "typescript" / "bin" / "tsc"
    done = subprocess.run([node(), str(tsc), "-p", "."], cwd=ADDIN, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


class live_server:
    """``xlsuite serve`` on 127.0.0.1 and a free port, in its own process, for the block."""

    def __init__(self, *extra: str):
        self.extra = extra

    def __enter__(self) -> str:
        self.process = subprocess.Popen([sys.executable, "-m", "xlsuite", "serve", "--port", "0", *self.extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        assert "xlsuite 服务已启动" in line, line + self.process.stderr.read()
        return line.split("http://", 1)[1].split("/", 1)[0].join(["http://", ""])

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return False
