/*
 * The 绩效自评 tab's callbacks (ribbon.xml): read the open workbook in one call a sheet, run the
 * action in Python (the page's or the county server's, xlsuite-python.js), apply the edits
 * (xlsuite-bridge.js), then show xlsuite's own message. Every failure is one Chinese message.
 */
(function (/** @type {any} */ root) {
  "use strict";
  var TITLE = "绩效自评";
  /** @type {Promise<{runner: any, reason: string}>|null} */
  var chosen = null;

  /** @param {string} url */
  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(/** @type {any} */ (root).loadPyodide); };
      script.onerror = function () { reject(new Error("无法加载 " + url)); };
      document.head.appendChild(script);
    });
  }

  /** @param {string} url */
  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("无法下载 " + url + "（" + response.status + "）");
      return response.arrayBuffer();
    });
  }

  function runner() {
    if (!chosen) {
      chosen = /** @type {any} */ (root).XlsuitePython.chooseRunner(/** @type {any} */ (root).XLSUITE_CONFIG || {}, {
        hasWasm: typeof WebAssembly === "object", loadScript: loadScript, fetchBytes: fetchBytes
      });
    }
    return /** @type {Promise<{runner: any, reason: string}>} */ (chosen);
  }

  /** @param {string} text */
  function say(text) {
    root.alert(TITLE + "\n\n" + text);
  }

  /** @param {string} action */
  function press(action) {
    var app = /** @type {any} */ (root).Application;
    if (!app || !app.ActiveWorkbook) {
      say("请先打开要处理的工作簿。");
      return Promise.resolve();
    }
    var bridge = /** @type {any} */ (root).XlsuiteBridge;
    var payload = bridge.readBook(app);
    return runner().then(function (/** @type {any} */ picked) {
      return picked.runner.run(action, payload);
    }).then(function (/** @type {any} */ result) {
      var alerts = bridge.applyActions(app, result.actions);
      alerts.forEach(function (/** @type {{text: string}} */ a) { say(a.text); });
    }).catch(function (/** @type {Error} */ error) {
      say("操作未完成：" + error.message);
    });
  }

  root.ribbon = {
    OnAddinLoad: function () { return true; },
    /** @param {{Id: string}} control */
    OnAction: function (control) {
      if (control.Id === "about") {
        runner().then(function (/** @type {any} */ picked) { say(picked.reason); },
                      function (/** @type {Error} */ error) { say(error.message); });
        return true;
      }
      press(control.Id);
      return true;
    },
    press: press
  };
})(typeof self !== "undefined" ? self : this);
