"""The WPS 加载项's page in a real browser: Debian's headless Chromium, no network but 127.0.0.1.

``xlsuite serve`` serves the add-in and Pyodide; a harness page on another local origin (as a
page loaded from a PC's own folder would be) loads the add-in's scripts and the stand-in ET object
model, presses 校验 through the ribbon's own callback, and posts back the edits the bridge applied
and the message shown. They must equal CPython's for the same book, with Python run by Pyodide in
the page: WebAssembly, the cross-origin rules of the server and Pyodide's loading all take part.

What this cannot show: WPS's own Chromium, whose version is unknown here (docs/wps-install.md).
"""

from __future__ import annotations

import copy
import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import threading

import host_books as host
import pytest
from conftest import SAMPLE
from test_wps_addin import ADDIN, live_server, node

from xlsuite.bundle.pyodide import add_pyodide
from xlsuite.excel import actions
from xlsuite.excel.host import HostBook

pytestmark = pytest.mark.slow  # headless Chromium runs Pyodide

HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>harness</title>
<script>window.module = {exports: {}};</script>
<script src="/stub-et.js"></script>
<script>window.StubEt = module.exports; delete window.module;</script>
<script src="SERVER/wps/xlsuite-config.js"></script>
<script src="SERVER/wps/xlsuite-bridge.js"></script>
<script src="SERVER/wps/xlsuite-python.js"></script>
<script src="SERVER/wps/xlsuite-ribbon.js"></script>
</head><body><script>
const alerts = [], applied = [];
window.alert = (text) => alerts.push(text);
const apply = XlsuiteBridge.applyActions;
XlsuiteBridge.applyActions = (app, edits) => { applied.push(...edits); return apply(app, edits); };
fetch("/payload.json").then((r) => r.json()).then(async (payload) => {
  window.Application = StubEt.application(payload);
  const started = performance.now();
  await ribbon.press("validate");
  const first = performance.now() - started;
  window.Application = StubEt.application(payload);  // the same book again: the same edits
  const again = performance.now();
  await ribbon.press("validate");
  const second = performance.now() - again;
  await fetch("/result", {method: "POST", body: JSON.stringify({alerts, applied, first, second,
    wasm: typeof WebAssembly === "object"})});
}).catch((e) => fetch("/result", {method: "POST", body: JSON.stringify({error: String(e)})}));
</script></body></html>
"""


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Chromium is not installed (.ci/run installs Debian's chromium)"
    return exe


class _Harness(http.server.BaseHTTPRequestHandler):
    files: dict[str, tuple[bytes, str]] = {}
    results: queue.Queue = queue.Queue()

    def do_GET(self):
        body, kind = self.files.get(self.path.split("?")[0], (b"", ""))
        self.send_response(200 if kind else 404)
        self.send_header("Content-Type", kind or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.results.put(json.loads(data))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _stable(edits: list[dict]) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d", "<time>", json.dumps(edits, ensure_ascii=False))


def test_the_addin_page_runs_validate_in_pyodide_as_cpython_does(tmp_path):
    node()  # the npm packages (Pyodide) are installed
    pyodide = add_pyodide(tmp_path / "pyodide", ADDIN / "node_modules" / "pyodide")
    payload = host.payload_from_file(SAMPLE)
    harness = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Harness)
    origin = f"http://127.0.0.1:{harness.server_address[1]}"
    threading.Thread(target=harness.serve_forever, daemon=True).start()
    try:
        with live_server("--pyodide", str(pyodide), "--allow-origin", origin) as server:
            _Harness.files = {
                "/": (HARNESS.replace("SERVER", server).encode(), "text/html; charset=utf-8"),
                "/stub-et.js": ((ADDIN / "test" / "stub-et.js").read_bytes(), "text/javascript"),
                "/payload.json": (json.dumps(payload, ensure_ascii=False).encode(), "application/json"),
            }
            profile = tmp_path / "chrome-profile"
            browser = subprocess.Popen(
                [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--remote-debugging-port=0", origin + "/"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(tmp_path)})
            try:
                result = _Harness.results.get(timeout=240)
            finally:
                browser.kill()
                browser.wait(timeout=30)
    finally:
        harness.shutdown()

    assert "error" not in result, result
    assert result["wasm"] is True
    book = HostBook(copy.deepcopy(payload))
    actions.run(book, actions.validate)
    expected = book.json()["actions"]
    assert _stable(result["applied"]) == _stable(expected + expected)  # pressed twice, the same edits
    summary = [a["args"][0] for a in expected if a["func"] == "alert"]
    assert result["alerts"] == [f"绩效自评\n\n{summary[0]}"] * 2
    print(f"Chromium: 校验 first press (Pyodide cold start) {result['first']:.0f} ms, "
          f"second {result['second']:.0f} ms")


@pytest.fixture(autouse=True, scope="module")
def _no_proxy():
    # the browser and the clients talk to 127.0.0.1 only
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.lower() in ("http_proxy", "https_proxy")}
    yield
    os.environ.update(saved)
