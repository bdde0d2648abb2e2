"""Python in the page: Pyodide's cold start and per-action time against CPython, in the same run.

    python benchmarks/pyodide.py [--projects 50] [--rounds 3]

Runs 校验 / 评分 / 生成自评表 on the seed sample and on a PROJECTS-project book (20 indicators
each), in CPython and in Pyodide under Node (the npm package of macros/wps, offline, as the WPS
add-in's page loads it), and prints Pyodide's cold start and each action's median time with its
ratio to CPython's. Needs `npm ci` in macros/wps.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
ADDIN = REPO / "macros" / "wps"
ACTIONS = ("validate", "score", "forms")

NODE = r"""
const fs = require("fs"), path = require("path");
const python = require(path.join(process.argv[2], "xlsuite-python.js"));
const { loadPyodide } = require(path.join(process.argv[2], "node_modules", "pyodide"));
(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
  const indexURL = path.join(process.argv[2], "node_modules", "pyodide") + path.sep;
  const t0 = performance.now();
  const runner = await python.pyodideRunner(loadPyodide, indexURL, fs.readFileSync(spec.sources));
  const out = { cold: performance.now() - t0, times: {} };
  for (const [name, payload] of Object.entries(spec.books)) {
    for (const action of spec.actions) {
      const times = [];
      for (let i = 0; i < spec.rounds; i++) {
        const t = performance.now();
        await runner.run(action, payload);
        times.push(performance.now() - t);
      }
      out.times[name + " " + action] = times;
    }
  }
  console.log(JSON.stringify(out));
})();
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import host_books

    from xlsuite.excel import actions
    from xlsuite.excel.host import HostBook
    from xlsuite.server.sources import sources_zip
    from xlsuite.template.build import build_workbook
    from xlsuite.template.sample import scaled_sample

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        big = build_workbook(folder / "big.xlsx", scaled_sample(args.projects, 20))
        books = {"sample": host_books.payload_from_file(REPO / "workbook_templates/samples/永昌县工信局-2021.xlsx"),
                 f"{args.projects} projects": host_books.payload_from_file(big)}
        cpython = {}
        for name, payload in books.items():
            for action in ACTIONS:
                times = []
                for _ in range(args.rounds):
                    book = HostBook(copy.deepcopy(payload))
                    started = time.perf_counter()
                    actions.run(book, actions.ACTIONS[action])
                    times.append((time.perf_counter() - started) * 1000)
                cpython[f"{name} {action}"] = statistics.median(times)
        (folder / "xlsuite-py.zip").write_bytes(sources_zip())
        spec = {"books": books, "actions": ACTIONS, "rounds": args.rounds, "sources": str(folder / "xlsuite-py.zip")}
        (folder / "spec.json").write_text(json.dumps(spec, ensure_ascii=False, default=str), "utf-8")
        (folder / "run.js").write_text(NODE, "utf-8")
        done = subprocess.run(["node", str(folder / "run.js"), str(ADDIN), str(folder / "spec.json")],
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            print(done.stderr[-3000:])
            return 1
        pyodide = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"Pyodide cold start (load, unpack xlsuite): {pyodide['cold']:.0f} ms")
    print(f"{'book and action':<28}{'CPython ms':>12}{'Pyodide ms':>12}{'ratio':>8}")
    for key, ms in cpython.items():
        # the first run of an action imports its modules: the median is the steady cost
        py = statistics.median(pyodide["times"][key])
        print(f"{key:<28}{ms:>12.0f}{py:>12.0f}{py / ms:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
