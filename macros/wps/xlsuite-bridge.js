/*
 * xlsuite's bridge between WPS 表格 (the ET object model, window.Application) and xlsuite's host
 * protocol (xlsuite/excel/host.py): readBook turns the open workbook into the protocol's JSON book,
 * one UsedRange.Value2 read a sheet; applyActions performs the edits Python returns, in the order
 * Python made them. Runs in the add-in's page and under Node's test runner (CommonJS export).
 * Types: Kingsoft's et-jsapi-declare (tsc --checkJs).
 */
(function (/** @type {any} */ root, /** @type {function(): any} */ factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.XlsuiteBridge = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var PROTOCOL = 1;
  var CLIENT = "xlsuite-wps";
  var XL_NONE = -4142; // xlColorIndexNone: no fill
  var DATE_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

  // What the COM-style object model gives for an error cell (Excel's CVErr codes), as Excel shows it.
  /** @type {Object<string, string>} */
  var ERRORS = {
    "-2146826281": "#DIV/0!", "-2146826246": "#N/A", "-2146826259": "#NAME?", "-2146826288": "#NULL!",
    "-2146826252": "#NUM!", "-2146826265": "#REF!", "-2146826273": "#VALUE!"
  };

  /**
   * A sheet's values from A1 to its last used cell, as the protocol carries them.
   * @param {Et.Worksheet} sheet
   * @returns {Array<Array<any>>}
   */
  function sheetValues(sheet) {
    var used = sheet.UsedRange;
    var raw = used.Value2;
    /** @type {Array<Array<any>>} */
    var grid = Array.isArray(raw) ? raw.map(function (row) { return Array.isArray(row) ? row : [row]; }) : [[raw]];
    var top = used.Row - 1;
    var left = used.Column - 1;
    var width = left + grid.reduce(function (w, row) { return Math.max(w, row.length); }, 0);
    /** @type {Array<Array<any>>} */
    var out = [];
    for (var r = 0; r < top; r++) out.push(blankRow(width));
    grid.forEach(function (row) {
      var line = blankRow(left);
      row.forEach(function (value) { line.push(cellIn(value)); });
      while (line.length < width) line.push("");
      out.push(line);
    });
    return out.length ? out : [[""]];
  }

  /** @param {number} n */
  function blankRow(n) {
    /** @type {Array<any>} */
    var row = [];
    for (var i = 0; i < n; i++) row.push("");
    return row;
  }

  /** @param {any} value */
  function cellIn(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "number" && ERRORS[String(value)]) return ERRORS[String(value)];
    if (typeof value === "number" && !isFinite(value)) return "";
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    return String(value);
  }

  /**
   * The open workbook as the protocol's JSON book: every sheet read in one call.
   * @param {Et.Application} app
   * @returns {{client: string, version: string, protocol: number, book: Object, names: Array<any>, sheets: Array<{name: string, values: Array<Array<any>>}>}}
   */
  function readBook(app) {
    var book = app.ActiveWorkbook;
    var sheets = [];
    var active = 0;
    var activeName = book.ActiveSheet ? book.ActiveSheet.Name : null;
    for (var i = 1; i <= book.Sheets.Count; i++) {
      var sheet = /** @type {Et.Worksheet} */ (book.Sheets.Item(i));
      if (sheet.Name === activeName) active = i - 1;
      sheets.push({ name: sheet.Name, values: sheetValues(sheet) });
    }
    return {
      client: CLIENT, version: "", protocol: PROTOCOL,
      book: { name: book.Name, fullname: book.FullName || book.Name, active_sheet_index: active, selection: "A1" },
      names: [], sheets: sheets
    };
  }

  /** @param {number} col zero-based */
  function letters(col) {
    var out = "";
    col += 1;
    while (col > 0) {
      var rest = (col - 1) % 26;
      out = String.fromCharCode(65 + rest) + out;
      col = Math.floor((col - 1) / 26);
    }
    return out;
  }

  /**
   * The A1 address of a protocol rectangle (zero-based start, counts).
   * @param {number} row @param {number} col @param {number} rows @param {number} cols
   */
  function address(row, col, rows, cols) {
    var first = letters(col) + (row + 1);
    return rows === 1 && cols === 1 ? first : first + ":" + letters(col + cols - 1) + (row + rows);
  }

  /**
   * "#rrggbb" as the object model's Color: blue-green-red in one number.
   * @param {string} hex
   */
  function bgr(hex) {
    var n = parseInt(hex.slice(1), 16);
    return ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
  }

  /** @param {Et.Range} range @param {string|null} fill */
  function setFill(range, fill) {
    if (fill === null || fill === undefined) range.Interior.ColorIndex = XL_NONE;
    else range.Interior.Color = bgr(fill);
  }

  /** @param {any} value */
  function cellOut(value) {
    if (value === null || value === undefined || value === "") return "";
    if (typeof value !== "string") return value;
    // Dates travel as ISO text; the sheet gets the text Excel would show for them.
    if (DATE_TEXT.test(value)) return value.slice(0, 10);
    // A text that is not a formula keeps the apostrophe that keeps it text: written as typed,
    // "100%" or "2023-01-01" would become a number or a date.
    return value.charAt(0) === "=" || value.charAt(0) === "'" ? value : "'" + value;
  }

  /**
   * Perform the protocol's ``actions`` on the open workbook, in order; returns the messages to
   * show (the alerts), which the page shows once everything is applied.
   * @param {Et.Application} app
   * @param {Array<any>} actions
   * @returns {Array<{text: string, title: string}>}
   */
  function applyActions(app, actions) {
    var book = app.ActiveWorkbook;
    /** @type {Array<{text: string, title: string}>} */
    var alerts = [];
    /** @param {number} position */
    function sheetAt(position) {
      return /** @type {Et.Worksheet} */ (book.Sheets.Item(position + 1));
    }
    /** @param {any} a */
    function rangeOf(a) {
      return sheetAt(a.sheet_position).Range(address(a.start_row, a.start_column, a.row_count, a.column_count));
    }
    actions.forEach(function (a) {
      switch (a.func) {
        case "setValues":
          rangeOf(a).Value2 = a.values.map(function (/** @type {Array<any>} */ row) { return row.map(cellOut); });
          break;
        case "setRangeColor":
          setFill(rangeOf(a), a.args[0]);
          break;
        case "setRangeColors":
          setColours(sheetAt(a.sheet_position), a);
          break;
        case "addSheet": {
          var index = a.args[0];
          var added = index === 0 ? book.Sheets.Add(book.Sheets.Item(1)) : book.Sheets.Add(undefined, book.Sheets.Item(index));
          added.Name = a.args[1];
          break;
        }
        case "sheetClear":
          sheetAt(a.sheet_position).Cells.Clear();
          break;
        case "sheetClearContents":
          sheetAt(a.sheet_position).Cells.ClearContents();
          break;
        case "setColumnWidth":
          rangeOf(a).ColumnWidth = a.args[0];
          break;
        case "setFontProperty":
          if (a.args[0] !== "bold") throw new Error("unknown font property " + a.args[0]);
          rangeOf(a).Font.Bold = !!a.args[1];
          break;
        case "rangeMerge":
          rangeOf(a).Merge(!!a.args[0]);
          break;
        case "activateSheet":
          sheetAt(a.args[0]).Activate();
          break;
        case "alert":
          alerts.push({ text: String(a.args[0]), title: String(a.args[1] || "") });
          break;
        default:
          // Never half-apply an edit this bridge does not know: the protocol grew.
          throw new Error("xlsuite: unknown edit " + a.func);
      }
    });
    return alerts;
  }

  /**
   * A setRangeColors block: one call per run of equal fills down each column ("keep" skipped).
   * @param {Et.Worksheet} sheet @param {any} a
   */
  function setColours(sheet, a) {
    var matrix = a.args[0];
    for (var c = 0; c < a.column_count; c++) {
      var r = 0;
      while (r < a.row_count) {
        var fill = matrix[r][c];
        var end = r + 1;
        while (end < a.row_count && matrix[end][c] === fill) end++;
        if (fill !== "keep") setFill(sheet.Range(address(a.start_row + r, a.start_column + c, end - r, 1)), fill);
        r = end;
      }
    }
  }

  return { PROTOCOL: PROTOCOL, readBook: readBook, applyActions: applyActions, address: address, bgr: bgr, letters: letters };
});
