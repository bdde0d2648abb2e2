/*
 * A stand-in for WPS 表格's object model (window.Application), as much of it as the bridge uses,
 * shaped by Kingsoft's declarations (et-jsapi-declare): Sheets.Item is 1-based, Value2 reads a
 * rectangle as rows of values (a single cell as the value), Interior.Color is blue-green-red,
 * Sheets.Add(Before, After). It counts the calls a real WPS would pay for.
 */
"use strict";

function columnIndex(letters) {
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

function parseAddress(address) {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(address);
  if (!m) throw new Error("stub: unsupported address " + address);
  const r0 = Number(m[2]) - 1, c0 = columnIndex(m[1]);
  const r1 = m[3] ? Number(m[4]) - 1 : r0, c1 = m[3] ? columnIndex(m[3]) : c0;
  return { r0, c0, r1, c1 };
}

class Sheet {
  constructor(book, name, values) {
    this.book = book;
    this.Name = name;
    this.cells = new Map(); // "r,c" -> {value, fill, bold}
    this.merges = [];
    this.widths = new Map();
    (values || []).forEach((row, r) => row.forEach((v, c) => {
      if (v !== "" && v !== null && v !== undefined) this.cell(r, c).value = v;
    }));
  }
  cell(r, c) {
    const key = r + "," + c;
    if (!this.cells.has(key)) this.cells.set(key, { value: undefined, fill: null, bold: false });
    return this.cells.get(key);
  }
  get UsedRange() {
    let r1 = -1, c1 = -1, r0 = Infinity, c0 = Infinity;
    for (const [key, cell] of this.cells) {
      if (cell.value === undefined) continue;
      const [r, c] = key.split(",").map(Number);
      r0 = Math.min(r0, r); c0 = Math.min(c0, c); r1 = Math.max(r1, r); c1 = Math.max(c1, c);
    }
    if (r1 < 0) return new Range(this, { r0: 0, c0: 0, r1: 0, c1: 0 });
    return new Range(this, { r0, c0, r1, c1 });
  }
  get Cells() {
    return new Range(this, { r0: 0, c0: 0, r1: 1048575, c1: 16383 }, true);
  }
  Range(address) {
    this.book.calls.range += 1;
    return new Range(this, parseAddress(address));
  }
  Activate() {
    this.book.active = this;
  }
  grid() {
    let rows = 0, cols = 0;
    for (const [key, cell] of this.cells) {
      if (cell.value === undefined) continue;
      const [r, c] = key.split(",").map(Number);
      rows = Math.max(rows, r + 1); cols = Math.max(cols, c + 1);
    }
    const out = [];
    for (let r = 0; r < rows; r++) {
      const row = [];
      for (let c = 0; c < cols; c++) {
        const cell = this.cells.get(r + "," + c);
        row.push(cell && cell.value !== undefined ? cell.value : "");
      }
      out.push(row);
    }
    return out;
  }
}

function typed(v) {
  if (typeof v !== "string") return v;
  if (v.startsWith("'")) return v.slice(1);
  const number = /^-?\d+(\.\d+)?(%?)$/.exec(v.trim());
  if (number) return number[2] ? Number(v.trim().slice(0, -1)) / 100 : Number(v.trim());
  return v;
}

class Range {
  constructor(sheet, rect, whole) {
    this.sheet = sheet;
    this.rect = rect;
    this.whole = !!whole;
    const self = this;
    this.Interior = {
      set Color(bgr) { self.each((cell) => { cell.fill = bgr; }); self.sheet.book.calls.fill += 1; },
      set ColorIndex(index) {
        if (index !== -4142) throw new Error("stub: only xlNone is used");
        self.each((cell) => { cell.fill = null; }); self.sheet.book.calls.fill += 1;
      }
    };
    this.Font = { set Bold(v) { self.each((cell) => { cell.bold = !!v; }); } };
  }
  get Row() { return this.rect.r0 + 1; }
  get Column() { return this.rect.c0 + 1; }
  each(fn) {
    if (this.whole) { for (const cell of this.sheet.cells.values()) fn(cell); return; }
    for (let r = this.rect.r0; r <= this.rect.r1; r++) for (let c = this.rect.c0; c <= this.rect.c1; c++) fn(this.sheet.cell(r, c));
  }
  get Value2() {
    this.sheet.book.calls.read += 1;
    const { r0, c0, r1, c1 } = this.rect;
    const rows = [];
    for (let r = r0; r <= r1; r++) {
      const row = [];
      for (let c = c0; c <= c1; c++) {
        const cell = this.sheet.cells.get(r + "," + c);
        row.push(cell ? cell.value : undefined);
      }
      rows.push(row);
    }
    return r0 === r1 && c0 === c1 ? rows[0][0] : rows;
  }
  set Value2(grid) {
    this.sheet.book.calls.write += 1;
    const { r0, c0 } = this.rect;
    grid.forEach((row, i) => row.forEach((v, j) => {
      const cell = this.sheet.cell(r0 + i, c0 + j);
      // As typed into a cell: a leading apostrophe makes the rest text and is not kept; without
      // one, a text that reads as a number ("100%", "12") becomes that number, as in Excel.
      cell.value = v === "" || v === null ? undefined : typed(v);
    }));
  }
  set ColumnWidth(w) {
    for (let c = this.rect.c0; c <= this.rect.c1; c++) this.sheet.widths.set(c, w);
  }
  Merge() { this.sheet.merges.push({ ...this.rect }); this.sheet.book.calls.merge += 1; }
  Clear() { this.sheet.cells.clear(); this.sheet.merges = []; }
  ClearContents() { for (const cell of this.sheet.cells.values()) cell.value = undefined; }
}

class Sheets {
  constructor(book) { this.book = book; }
  get Count() { return this.book.list.length; }
  Item(index) {
    const found = typeof index === "number" ? this.book.list[index - 1] : this.book.list.find((s) => s.Name === index);
    if (!found) throw new Error("stub: no sheet " + index);
    return found;
  }
  Add(before, after) {
    const sheet = new Sheet(this.book, "Sheet" + (this.book.list.length + 1), []);
    const at = before ? this.book.list.indexOf(before) : after ? this.book.list.indexOf(after) + 1 : 0;
    this.book.list.splice(at, 0, sheet);
    this.book.active = sheet;
    return sheet;
  }
}

function application(payload) {
  const book = {
    Name: payload.book.name, FullName: payload.book.fullname || payload.book.name,
    list: [], active: null, calls: { read: 0, write: 0, fill: 0, merge: 0, range: 0 }
  };
  book.list = payload.sheets.map((s) => new Sheet(book, s.name, s.values));
  book.active = book.list[payload.book.active_sheet_index || 0];
  book.Sheets = new Sheets(book);
  Object.defineProperty(book, "ActiveSheet", { get: () => book.active });
  return { ActiveWorkbook: book };
}

function bgrToHex(bgr) {
  if (bgr === null || bgr === undefined) return null;
  const r = bgr & 0xff, g = (bgr >> 8) & 0xff, b = (bgr >> 16) & 0xff;
  return "#" + [r, g, b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

module.exports = { application, bgrToHex };
