"""Compile and run VBA modules in LibreOffice's Basic (VBA-compatibility mode), through UNO.

Run by the system Python that carries LibreOffice's ``uno`` module (Debian's python3-uno, which
LibreOffice itself depends on), not by the test's interpreter::

    /usr/bin/python3 tests/lo_basic.py SPEC.json

SPEC: ``{"document": optional path of a book to open, "save_as": optional .xlsx to store it to
after the calls, "modules": [[name, source(, library)], ...], "calls": [[module, function, [args...]], ...]}``. Each
module goes into a new spreadsheet's Basic library (``Standard`` unless named; a module that fails
to compile fails its whole library) with ``Option VBASupport 1``; a module compiles
when one of its routines is first called, so each gets a probe function, called first, that
returns 1 only if the module compiled. Prints JSON: ``{"compiled": {module: "ok" or the error}, "calls": [{"value": v}
or {"error": text}, ...]}``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

PROBE = "XlsuiteCompiledProbe"


def basic_source(source: str) -> str:
    # Attribute lines are what VBA's exporter writes, not statements; VBASupport makes LibreOffice
    # compile and run the rest by VBA's rules.
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute ")]
    return "\n".join(["Option VBASupport 1", *lines, "",
                      f"Public Function {PROBE}() As Long", f"    {PROBE} = 1", "End Function", ""])


def main() -> None:
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="xlsuite-basic-")
    pipe = f"xlsuite_basic_{os.getpid()}"
    office = subprocess.Popen(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 90
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        # a book to act on (VBA's ActiveWorkbook), or a new empty spreadsheet
        url = uno.systemPathToFileUrl(spec["document"]) if spec.get("document") else "private:factory/scalc"
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (hidden,))
        libraries = doc.BasicLibraries
        where = {}
        for name, source, *library in spec["modules"]:
            where[name] = library[0] if library else "Standard"
            if not libraries.hasByName(where[name]):  # a new document has none until asked
                libraries.createLibrary(where[name])
            libraries.getByName(where[name]).insertByName(name, basic_source(source))
        provider = doc.getScriptProvider()

        def call(module: str, function: str, args: list):
            url = f"vnd.sun.star.script:{where[module]}.{module}.{function}?language=Basic&location=document"
            return provider.getScript(url).invoke(tuple(args), (), ())[0]

        out: dict = {"compiled": {}, "calls": []}
        for name, *_ in spec["modules"]:
            # Headless, a compile error goes to a dialog nobody sees and the call returns nothing:
            # the module compiled only if its probe ran and returned 1.
            try:
                value = call(name, PROBE, [])
                out["compiled"][name] = "ok" if value == 1 else f"not compiled (the probe returned {value!r})"
            except Exception as exc:
                out["compiled"][name] = str(exc)
        for module, function, args in spec["calls"]:
            try:
                out["calls"].append({"value": call(module, function, args)})
            except Exception as exc:
                out["calls"].append({"error": str(exc)})
        if spec.get("save_as"):  # what the calls did to the book, for the test to read
            fmt = PropertyValue()
            fmt.Name, fmt.Value = "FilterName", "Calc MS Excel 2007 XML"
            doc.storeToURL(uno.systemPathToFileUrl(spec["save_as"]), (fmt,))
        print(json.dumps(out, ensure_ascii=False))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away with the office
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
