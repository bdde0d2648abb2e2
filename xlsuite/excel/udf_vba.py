"""The VBA the .xlsm needs for its worksheet functions to work: xlwings' module and the wrappers.

A cell formula ``=XLSUITE_SCORES(...)`` calls a VBA function of that name in the workbook's own
project, which hands the call to Python through ``XLPy`` — a function of xlwings' VBA module. Excel
resolves that name only inside the workbook's project and the projects it references; the
xlwings add-in being open is not enough. Of xlwings' two ways (a reference to the add-in's
project, or the module embedded as ``xlwings quickstart --standalone`` does) the template embeds:

- a reference stores the path of ``xlwings.xlam`` on the PC that made the file; on any other PC
  (another user name, another XLSTART) it is MISSING, and a project with a missing reference
  does not compile at all — the buttons' own "xlwings is not installed" check would then fail to
  run, which is the one message that must always work;
- the embedded module needs only ``pip install xlwings`` of the same version (its DLL is named
  after the version: ``bundle`` pins xlwings to ``xlwings_vba_version()``), and reads its settings
  (``UDF Modules``) from the .xlsm's own ``xlwings.conf`` sheet.

The wrappers are what xlwings' "Import Functions" would write into a module named
``xlwings_udfs`` (so pressing it later replaces them rather than doubling every name): one VBA
function per Python UDF, written here from the functions' signatures, because xlwings' own
generator (``xlwings.udfs``) imports pywin32 and runs only inside Windows Excel.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import xlwings

from . import udfs

XLWINGS_MODULE = "xlwings"
WRAPPERS_MODULE = "xlwings_udfs"
"""The module name "Import Functions" writes to, so a later import replaces ours."""
UDF_MODULE = "xlsuite.excel.udfs"
"""The Python module the wrappers call, and the ``UDF Modules`` setting of ``xlwings.conf``."""

FUNCTION_PREFIX = "XLSUITE_"
"""The worksheet functions of ``udfs`` are its functions named so."""

_CALLER = "caller"
"""xlwings fills a parameter of this name with the calling cell; the sheet does not pass it."""


def xlwings_module() -> str:
    """The VBA module the installed xlwings ships for embedding (``xlwings copy vba``)."""
    return (Path(xlwings.__file__).parent / "xlwings.bas").read_text("ascii")


def xlwings_vba_version(module: str | None = None) -> str:
    """The xlwings version the embedded module is for: it loads the DLL of that version only, so
    the Python side must be exactly this xlwings (``bundle`` pins it)."""
    found = re.search(r"^'Version: (\S+)", module if module is not None else xlwings_module(), re.M)
    if not found:
        raise RuntimeError("xlwings.bas names no version")
    return found.group(1)


def wrappers_module() -> str:
    """The ``xlwings_udfs`` module: one VBA function per worksheet function of ``udfs``."""
    lines = [f'Attribute VB_Name = "{WRAPPERS_MODULE}"',
             "' Written by xlsuite (excel/udf_vba.py) as xlwings' Import Functions would write it.",
             "' Each function passes its cells to Python through XLPy (the embedded xlwings module)."]
    for name in worksheet_functions():
        lines += ["", *_wrapper(name, inspect.signature(getattr(udfs, name)))]
    return "\r\n".join(lines) + "\r\n"


def worksheet_functions() -> list[str]:
    """The names of ``udfs``' worksheet functions, in the order they are defined there."""
    found = [(inspect.getsourcelines(f)[1], name) for name, f in inspect.getmembers(udfs, inspect.isfunction)
             if name.startswith(FUNCTION_PREFIX) and f.__module__ == udfs.__name__]
    return [name for _, name in sorted(found)]


def _wrapper(name: str, signature: inspect.Signature) -> list[str]:
    params = [p for p in signature.parameters.values() if p.name != _CALLER]
    declared = ", ".join(("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
                         for p in params)
    # The caller slot gets Nothing here; xlwings puts the calling cell there in Python.
    passed = ", ".join([p.name for p in params] + (["Nothing"] if _CALLER in signature.parameters else []))
    return [
        f"Function {name}({declared})",
        # xlwings runs worksheet functions on Windows only; on a Mac the call is compiled out,
        # so Excel there never compiles xlwings' module (it needs a class this file lacks).
        "#If Mac Then",
        f"    {name} = CVErr(xlErrNA)",
        "    Exit Function",
        "#End If",
        "    If TypeOf Application.Caller Is Range Then On Error GoTo failed",
        f'    {name} = XLPy.CallUDF("{UDF_MODULE}", "{name}", Array({passed}), ThisWorkbook, Application.Caller)',
        "    Exit Function",
        "failed:",
        f"    {name} = Err.Description",
        "End Function",
    ]
