"""``xlsuite serve``: what the county's server answers, to a good book and to hostile ones.

The application is driven in-process (Starlette's test client); ``test_wps_addin`` also drives a
live server from Node. Every refusal is a 4xx with one Chinese message, never a traceback.
"""

from __future__ import annotations

import copy
import json
import logging

import host_books as host
import pytest
from conftest import SAMPLE
from starlette.testclient import TestClient

from xlsuite.cli import main
from xlsuite.excel import actions
from xlsuite.excel.host import HostBook
from xlsuite.server import ServerSettings, create_app

ORIGIN = "http://127.0.0.1:3889"


@pytest.fixture(scope="module")
def payload() -> dict:
    return host.payload_from_file(SAMPLE)


@pytest.fixture
def client():
    with TestClient(create_app(ServerSettings(max_body_bytes=2 * 1024 * 1024, max_cells=200_000,
                                              allowed_origins=(ORIGIN,))), raise_server_exceptions=False) as c:
        yield c


def _stable(recorded: list[dict]) -> str:
    import re

    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d", "<time>", json.dumps(recorded, ensure_ascii=False))


@pytest.mark.parametrize("action", ["validate", "score", "forms"])
def test_the_server_answers_the_edits_cpython_makes(client, payload, action):
    response = client.post(f"/api/{action}", json=payload)
    assert response.status_code == 200
    book = HostBook(copy.deepcopy(payload))
    actions.run(book, actions.ACTIONS[action])
    assert _stable(response.json()["actions"]) == _stable(book.json()["actions"])


def _hostile(payload: dict) -> list[tuple[str, dict]]:
    """(what, request) pairs that must each get a clean 4xx."""
    sheet = payload["sheets"][0]
    huge = {**payload, "sheets": [{"name": "S", "values": [[1] * 500] * 500}]}
    return [
        ("truncated JSON", {"content": json.dumps(payload)[:5000]}),
        ("empty body", {"content": b""}),
        ("not JSON at all", {"content": b"\x00\xff\xfe garbage"}),
        ("a JSON list", {"json": [1, 2, 3]}),
        ("a JSON string", {"json": "=HYPERLINK(\"http://x\")"}),
        ("no book", {"json": {"sheets": payload["sheets"]}}),
        ("no sheets", {"json": {**payload, "sheets": []}}),
        ("sheets as a dict", {"json": {**payload, "sheets": {"a": 1}}}),
        ("values as text", {"json": {**payload, "sheets": [{"name": "S", "values": "1,2,3"}]}}),
        ("a cell that is an object", {"json": {**payload, "sheets": [{"name": "S", "values": [[{"$ne": 1}]]}]}}),
        ("a nested list in a cell", {"json": {**payload, "sheets": [{"name": "S", "values": [[[1, 2]]]}]}}),
        ("duplicate sheet names", {"json": {**payload, "sheets": [sheet, sheet]}}),
        ("a sheet without a name", {"json": {**payload, "sheets": [{"values": [[1]]}]}}),
        ("an unknown protocol", {"json": {**payload, "protocol": 99}}),
        ("a huge grid", {"json": huge}),
        ("a body over the limit", {"content": b"[" + b"1," * (1_100_000) + b"1]"}),
        ("deeply nested JSON", {"content": b"[" * 100_000 + b"]" * 100_000}),
        ("the wrong content type", {"content": json.dumps(payload), "headers": {"content-type": "text/plain"}}),
        ("a name that is a number", {"json": {**payload, "book": {**payload["book"], "name": 5}}}),
        ("an index that is text", {"json": {**payload, "book": {**payload["book"], "active_sheet_index": "x"}}}),
    ]


def test_twenty_hostile_payloads_each_get_a_clean_4xx(client, payload):
    cases = _hostile(payload)
    assert len(cases) == 20
    for what, request in cases:
        headers = {"content-type": "application/json", **request.pop("headers", {})}
        response = client.post("/api/validate", headers=headers, **request)
        assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:200])
        message = response.json()["error"]
        assert message and "Traceback" not in message and any("\u4e00" <= ch <= "\u9fff" for ch in message), what


def test_formulas_sent_as_text_stay_text(client, payload):
    """Anything typed is data: a formula-like unit name comes back in the findings as text."""
    evil = copy.deepcopy(payload)
    info = next(s for s in evil["sheets"] if s["name"] == "部门信息")
    for row in info["values"]:
        if row and str(row[0]).startswith("单位名称"):
            row[1] = '=HYPERLINK("http://evil","点我")'
    response = client.post("/api/validate", json=evil)
    assert response.status_code == 200
    texts = [v for a in response.json()["actions"] if a["func"] == "setValues" for row in a["values"] for v in row
             if isinstance(v, str)]
    assert any("http://evil" in t for t in texts)
    # the only formulas written are xlsuite's own links to cells of the book
    assert all(t.startswith("=HYPERLINK(\"#'") for t in texts if t.startswith("="))


def test_an_unknown_action_and_the_report_are_404_in_chinese(client, payload):
    for name in ("report", "delete"):
        response = client.post(f"/api/{name}", json=payload)
        assert response.status_code == 404 and "没有这个操作" in response.json()["error"]
    for path in ("/api/..%2F..%2Fetc", "/api/validate/extra", "/nothing"):
        response = client.post(path, json=payload)
        assert response.status_code in (404, 405) and response.json()["error"]
    assert client.get("/api/validate").status_code == 405


def test_only_the_allowed_origins_may_call(client, payload):
    allowed = client.post("/api/validate", json=payload, headers={"origin": ORIGIN})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    preflight = client.options("/api/validate", headers={"origin": ORIGIN, "access-control-request-method": "POST"})
    assert preflight.status_code == 204
    other = client.post("/api/validate", json=payload, headers={"origin": "http://evil.example"})
    assert other.status_code == 403 and "不允许" in other.json()["error"]
    assert "access-control-allow-origin" not in other.headers


def test_one_log_line_a_request_and_no_content_in_it(client, payload, caplog):
    with caplog.at_level(logging.INFO, logger="xlsuite.serve"):
        client.post("/api/validate", json=payload)
        client.get("/health")
    lines = [r.getMessage() for r in caplog.records if r.name == "xlsuite.serve"]
    assert len(lines) == 2
    assert " POST /api/validate 200 " in lines[0] and " GET /health 200 " in lines[1]
    assert not any("永昌" in line for line in lines)  # nothing the book holds


def test_the_home_page_and_the_wps_files_point_at_this_server(client):
    home = client.get("/")
    assert home.status_code == 200 and "xlsuite 服务正在运行" in home.text
    assert "JSPluginsServer=http://testserver/jsplugins.xml" in home.text and "注意" not in home.text
    with TestClient(create_app(), base_url="http://127.0.0.1:8765") as local:
        assert "其他电脑访问不到" in local.get("/").text
    for path in ("/jsplugins.xml", "/wps/publish.xml"):
        xml = client.get(path)
        assert xml.status_code == 200
        assert '<jspluginonline name="xlsuite" type="et" url="http://testserver/wps/"' in xml.text
    config = client.get("/wps/xlsuite-config.js").text
    assert '"server": "http://testserver"' in config and '"pyodide": ""' in config
    assert client.get("/wps/index.html").status_code == 200
    assert client.get("/wps/ribbon.xml").status_code == 200
    assert client.get("/wps/xlsuite-py.zip").content[:2] == b"PK"
    assert client.get("/wps/../pyproject.toml").status_code == 404


def test_serve_refuses_a_folder_that_is_not_pyodide_and_a_bad_port(tmp_path, capsys):
    assert main(["serve", "--pyodide", str(tmp_path)]) == 2
    assert "不是 Pyodide 文件夹" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert "端口" in capsys.readouterr().err


@pytest.mark.slow  # reads Pyodide from macros/wps/node_modules (npm ci)
def test_the_bundles_pyodide_is_the_locked_one_and_the_server_serves_it(tmp_path):
    """The county server's bundle carries the Pyodide the add-in's tests run, checked byte for
    byte against the lock; xlsuite serve gives it to the page."""
    from pathlib import Path

    from xlsuite.bundle.pyodide import PAGE_FILES, PYODIDE_INTEGRITY, PYODIDE_VERSION, add_pyodide
    from xlsuite.core.errors import InputError

    addin = Path(__file__).resolve().parent.parent / "macros" / "wps"
    lock = json.loads((addin / "package-lock.json").read_text("utf-8"))["packages"]["node_modules/pyodide"]
    assert (lock["version"], lock["integrity"]) == (PYODIDE_VERSION, PYODIDE_INTEGRITY)
    folder = add_pyodide(tmp_path / "pyodide", addin / "node_modules" / "pyodide")
    assert sorted(p.name for p in folder.iterdir()) == sorted(PAGE_FILES)
    forged = tmp_path / "forged.tgz"
    forged.write_bytes(b"\x1f\x8b not the package")
    with pytest.raises(InputError, match="校验值不符"):
        add_pyodide(tmp_path / "other", forged)
    with TestClient(create_app(ServerSettings(pyodide_dir=folder))) as c:
        assert c.get("/health").json()["pyodide"] is True
        assert c.get("/pyodide/pyodide.js").status_code == 200
        assert c.get("/wps/xlsuite-config.js").text.count("http://testserver/pyodide/") == 1
