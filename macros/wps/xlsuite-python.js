/*
 * Where the add-in's Python runs: in the page (Pyodide, when WebAssembly runs here and the page
 * can reach Pyodide and xlsuite's Python) or on the county's xlsuite serve. Both take the book
 * as the host protocol's JSON and return the edits ({"actions": [...]}), the same either way.
 * Nothing of the book leaves the PC except to the county server, and only when it is the one used.
 */
(function (/** @type {any} */ root, /** @type {function(): any} */ factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.XlsuitePython = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var ACTIONS = ["validate", "score", "forms"];
  var RUN = [
    "import json",
    "from xlsuite.excel import actions",
    "from xlsuite.excel.host import HostBook",
    "book = HostBook(json.loads(xlsuite_payload))",
    "actions.run(book, actions.ACTIONS[xlsuite_action])",
    "json.dumps(book.json(), ensure_ascii=False, default=str)"
  ].join("\n");

  /**
   * The county server as a runner.
   * @param {string} base e.g. "http://10.1.2.3:8765"
   * @param {function(string, Object): Promise<any>} [fetchImpl]
   */
  function serverRunner(base, fetchImpl) {
    var doFetch = fetchImpl || fetch;
    return {
      kind: "server",
      where: base,
      /** @param {string} action @param {Object} payload */
      run: function (action, payload) {
        return doFetch(base.replace(/\/$/, "") + "/api/" + action, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
        }).then(function (response) {
          return response.json().then(function (/** @type {any} */ body) {
            if (!response.ok) throw new Error(body && body.error ? body.error : "服务器返回 " + response.status);
            return body;
          });
        });
      }
    };
  }

  /**
   * Python in the page: Pyodide loaded from ``indexURL``, xlsuite's Python unpacked from ``sources``.
   * @param {function(Object): Promise<any>} loadPyodide
   * @param {string} indexURL
   * @param {ArrayBuffer|Uint8Array} sources the zip of xlsuite's Python
   */
  function pyodideRunner(loadPyodide, indexURL, sources) {
    return loadPyodide({ indexURL: indexURL, stdout: function () {}, stderr: function () {} }).then(function (py) {
      var site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
      // a plain byte array: Pyodide refuses Node's Buffer, a subclass it does not know
      py.unpackArchive(new Uint8Array(sources), "zip", { extractDir: site });
      return {
        kind: "pyodide",
        where: indexURL,
        /** @param {string} action @param {Object} payload */
        run: function (action, payload) {
          py.globals.set("xlsuite_payload", JSON.stringify(payload));
          py.globals.set("xlsuite_action", action);
          return Promise.resolve(JSON.parse(py.runPython(RUN)));
        }
      };
    });
  }

  /**
   * Which runner this page uses, and why, in Chinese: Pyodide where WebAssembly runs and the
   * settings name it, else the county server; neither is an error the user reads.
   * @param {{server: string, pyodide: string, sources: string}} config
   * @param {{hasWasm: boolean, loadScript: function(string): Promise<any>, fetchBytes: function(string): Promise<ArrayBuffer>}} env
   * @returns {Promise<{runner: any, reason: string}>}
   */
  function chooseRunner(config, env) {
    var server = config.server ? serverRunner(config.server) : null;
    if (!env.hasWasm || !config.pyodide) {
      var why = !env.hasWasm ? "本机 WPS 的浏览器内核不支持 WebAssembly" : "未配置网页内的 Python（Pyodide）";
      if (server) return Promise.resolve({ runner: server, reason: why + "，使用县里的 xlsuite 服务：" + config.server });
      return Promise.reject(new Error(why + "，也没有配置县里的 xlsuite 服务地址，无法运行。请联系财政局信息管理员。"));
    }
    return env.loadScript(config.pyodide + "pyodide.js").then(function (loadPyodide) {
      return env.fetchBytes(config.sources).then(function (bytes) {
        return pyodideRunner(loadPyodide, config.pyodide, bytes);
      });
    }).then(function (runner) {
      return { runner: runner, reason: "在本机网页中运行 Python（Pyodide），工作簿内容不离开本机" };
    }, function (error) {
      if (server) return { runner: server, reason: "网页内的 Python 无法加载（" + error.message + "），使用县里的 xlsuite 服务：" + config.server };
      throw new Error("网页内的 Python 无法加载（" + error.message + "），也没有配置县里的 xlsuite 服务地址。请联系财政局信息管理员。");
    });
  }

  return { ACTIONS: ACTIONS, RUN: RUN, serverRunner: serverRunner, pyodideRunner: pyodideRunner, chooseRunner: chooseRunner };
});
