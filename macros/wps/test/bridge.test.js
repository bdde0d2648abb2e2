/* The bridge against the stand-in object model: it reads what the book holds in one call a
 * sheet, and applying CPython's edits leaves the cells a host applying them leaves. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const bridge = require("../xlsuite-bridge.js");
const { application, bgrToHex } = require("./stub-et.js");
const { loadCases, trimmed } = require("./cases.js");

const cases = loadCases();

test("there are cases to check", () => {
  assert.ok(cases.length >= 6, `only ${cases.length} cases`);
});

for (const c of cases) {
  test(`${c.name}: reading the book gives the payload, one read a sheet`, () => {
    const app = application(c.payload);
    const read = bridge.readBook(app);
    assert.equal(app.ActiveWorkbook.calls.read, c.payload.sheets.length);
    assert.deepEqual(read.sheets.map((s) => s.name), c.payload.sheets.map((s) => s.name));
    read.sheets.forEach((sheet, i) => assert.deepEqual(trimmed(sheet.values), trimmed(c.payload.sheets[i].values), sheet.name));
    assert.equal(read.book.name, c.payload.book.name);
    assert.equal(read.protocol, 1);
  });

  test(`${c.name}: ${c.action} leaves the cells a host leaves`, () => {
    const app = application(c.payload);
    const alerts = bridge.applyActions(app, c.actions);
    const book = app.ActiveWorkbook;
    assert.deepEqual(book.list.map((s) => s.Name), c.expected.map((s) => s.name));
    for (const want of c.expected) {
      const sheet = book.Sheets.Item(want.name);
      assert.deepEqual(trimmed(sheet.grid()), trimmed(want.values), `values of ${want.name}`);
      const fills = {};
      for (const [key, cell] of sheet.cells) if (cell.fill !== null) fills[key] = bgrToHex(cell.fill);
      assert.deepEqual(fills, want.fills, `fills of ${want.name}`);
    }
    assert.deepEqual(alerts.map((a) => a.text), c.actions.filter((a) => a.func === "alert").map((a) => a.args[0]));
    // few writes: one per recorded edit, however many cells they cover
    assert.ok(book.calls.write <= c.actions.filter((a) => a.func === "setValues").length);
  });
}

test("colours are blue-green-red numbers, and addresses are Excel's", () => {
  assert.equal(bridge.bgr("#ffc7ce"), 0xcec7ff);
  assert.equal(bridge.address(0, 0, 1, 1), "A1");
  assert.equal(bridge.address(42, 26, 3, 2), "AA43:AB45");
  assert.throws(() => bridge.applyActions(application({ book: { name: "b" }, sheets: [{ name: "S", values: [[1]] }] }),
    [{ func: "deleteEverything", args: [] }]), /unknown edit/);
});
