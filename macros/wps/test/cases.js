/* The cases tests/test_wps_addin.py writes: each a book, an action, CPython's edits and the cells a
 * host that applies them ends with (openpyxl's reading of host_books.apply_actions). */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function loadCases() {
  const folder = process.env.XLSUITE_WPS_CASES;
  if (!folder) throw new Error("XLSUITE_WPS_CASES is not set: run these through pytest tests/test_wps_addin.py");
  return fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), "utf8")));
}

/** A grid without trailing empty rows and columns, empty cells as "". */
function trimmed(grid) {
  const rows = grid.map((row) => row.map((v) => (v === null || v === undefined ? "" : v)));
  while (rows.length && rows[rows.length - 1].every((v) => v === "")) rows.pop();
  const width = rows.reduce((w, row) => Math.max(w, row.reduce((m, v, i) => (v === "" ? m : i + 1), 0)), 0);
  return rows.map((row) => { const r = row.slice(0, width); while (r.length < width) r.push(""); return r; });
}

/** Edits with the moment of scoring blanked: the only thing two runs may differ in. */
function stable(actions) {
  return JSON.parse(JSON.stringify(actions).replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d/g, "<time>"));
}

module.exports = { loadCases, trimmed, stable };
