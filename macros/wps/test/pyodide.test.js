/* Python in the page: xlsuite's actions under Pyodide (the npm package, offline) give CPython's edits. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const python = require("../xlsuite-python.js");
const { loadCases, stable } = require("./cases.js");

test("Pyodide runs every case as CPython does", async () => {
  const sources = process.env.XLSUITE_PY_SOURCES;
  assert.ok(sources, "XLSUITE_PY_SOURCES is not set: run through pytest tests/test_wps_addin.py");
  const { loadPyodide } = require("pyodide");
  const indexURL = path.dirname(require.resolve("pyodide/package.json")) + path.sep;
  const started = Date.now();
  const runner = await python.pyodideRunner(loadPyodide, indexURL, fs.readFileSync(sources));
  const cold = Date.now() - started;
  const times = [];
  for (const c of loadCases()) {
    const t0 = Date.now();
    const result = await runner.run(c.action, c.payload);
    times.push(`${c.name} ${Date.now() - t0} ms`);
    assert.deepEqual(stable(result.actions), stable(c.actions), c.name);
  }
  console.log(`# pyodide cold start ${cold} ms; ` + times.join("; "));
});
