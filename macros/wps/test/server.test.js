/* The county server: the page's server runner posts each book to a live xlsuite serve and gets CPython's edits. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const python = require("../xlsuite-python.js");
const { loadCases, stable } = require("./cases.js");

test("xlsuite serve answers every case as CPython does", async () => {
  const server = process.env.XLSUITE_SERVER;
  assert.ok(server, "XLSUITE_SERVER is not set: run through pytest tests/test_wps_addin.py");
  const runner = python.serverRunner(server);
  for (const c of loadCases()) {
    const result = await runner.run(c.action, c.payload);
    assert.deepEqual(stable(result.actions), stable(c.actions), c.name);
  }
  await assert.rejects(runner.run("report", loadCases()[0].payload), /没有这个操作/);
});
