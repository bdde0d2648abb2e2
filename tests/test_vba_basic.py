"""Every VBA module xlsuite writes, compiled and partly run by LibreOffice's Basic in VBA mode.

The modules are decoded out of the built .xlsm and .xlam (what ships), put into a spreadsheet's
Basic library with ``Option VBASupport 1`` and compiled (``lo_basic``); xlwings' own module stays
out (its ``Declare PtrSafe`` of a Windows DLL is not Basic). What can run without Excel runs: the
statement the buttons hand to RunPython, the escaping of its Chinese message, the check and the
message for a missing interpreter. What only Excel can run — ``Application.Run`` into xlwings,
``ThisWorkbook.IsAddin``, ``Application.Workbooks("xlwings.xlam")`` — is not run here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_button_command_line import button_statement, decoded

from xlsuite.excel import addin, udf_vba, vba
from xlsuite.template.build import build_macro_template

pytestmark = pytest.mark.slow  # LibreOffice's Basic compiles and runs every VBA module

TESTS = Path(__file__).parent
SYSTEM_PYTHON = "/usr/bin/python3"  # the one LibreOffice's uno module is for (python3-uno)

BROKEN = ("Attribute VB_Name = \"Broken\"\nOption Explicit\nPublic Function Unclosed() As Long\n"
          "    If True Then\n        Unclosed = 1\nEnd Function\n")
"""A control: LibreOffice must refuse a module VBA would refuse, or "compiled" proves nothing."""


def run_basic(modules: list[tuple], calls: list[tuple[str, str, list]], tmp_path: Path, *,
              document: Path | None = None, save_as: Path | None = None) -> dict:
    """Compile ``modules`` in LibreOffice and run ``calls``, on ``document`` (opened as VBA's
    ActiveWorkbook) if given, storing it to ``save_as`` afterwards if given."""
    spec = tmp_path / "spec.json"
    extra = {"document": str(document.resolve()) if document else None, "save_as": str(save_as) if save_as else None}
    spec.write_text(json.dumps({"modules": modules, "calls": calls, **extra}, ensure_ascii=False), "utf-8")
    assert shutil.which("soffice"), "LibreOffice is not installed"
    done = subprocess.run([SYSTEM_PYTHON, str(TESTS / "lo_basic.py"), str(spec)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def xlsuite_modules(path: Path) -> list[tuple[str, str]]:
    """The standard modules of a built file that xlsuite wrote (documents and xlwings' aside)."""
    modules = decoded(path)
    own = [vba.BUTTONS_MODULE, vba.RIBBON_MODULE, vba.SERVER_MODULE, udf_vba.WRAPPERS_MODULE]
    return [(name, modules[name]) for name in own if name in modules]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built")
    return {"xlsm": build_macro_template(folder), "xlam": addin.build_addin(folder / addin.ADDIN_FILENAME)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("entry", ["xlsm", "xlam"])
def test_every_xlsuite_module_compiles_and_its_checks_run(built, entry, tmp_path):
    modules = xlsuite_modules(built[entry])
    expected = {"xlsm": {vba.BUTTONS_MODULE, vba.SERVER_MODULE, udf_vba.WRAPPERS_MODULE},
                "xlam": {vba.BUTTONS_MODULE, vba.RIBBON_MODULE, vba.SERVER_MODULE}}[entry]
    assert {name for name, _ in modules} == expected
    buttons = dict(modules)[vba.BUTTONS_MODULE]
    interpreter = r"C:\Users\张 三\AppData\Local\xlsuite\python\Scripts\python.exe"
    calls = [(vba.BUTTONS_MODULE, "PythonCall", ["validate", True]),
             (vba.BUTTONS_MODULE, "PythonCall", ["report", False]),
             (vba.BUTTONS_MODULE, "PyEscape", ["评分 ok。"]),
             (vba.BUTTONS_MODULE, "IsInterpreterPath", [interpreter]),
             (vba.BUTTONS_MODULE, "IsInterpreterPath", ["python"]),
             (vba.BUTTONS_MODULE, "MissingInterpreterMessage", [interpreter])]
    result = run_basic([*modules, ("Broken", BROKEN, "Control")], calls, tmp_path)

    assert result["compiled"] == {**{name: "ok" for name in expected}, "Broken": result["compiled"]["Broken"]}
    assert result["compiled"]["Broken"] != "ok"
    values = [call.get("value", call.get("error")) for call in result["calls"]]
    # the statement as Basic builds it is the one the command-line test evaluates and runs
    for value, (action, from_addin) in zip(values[:2], [("validate", True), ("report", False)], strict=True):
        assert value == button_statement(buttons, action, {"IsAddin": from_addin, "Path": r"C:\x"})
        compile(value, "<RunPython>", "exec")
    assert values[2] == "\\u8bc4\\u5206 ok\\u3002"
    assert values[3:5] == [True, False]
    assert values[5] == f"找不到 Python：{interpreter}\r\n请重新运行财政局离线安装包中的 安装.bat。"


@pytest.mark.libreoffice
def test_the_statement_basic_builds_says_so_when_xlsuite_is_missing(built, tmp_path):
    (statement,) = [c["value"] for c in run_basic(xlsuite_modules(built["xlam"]),
                                                  [(vba.BUTTONS_MODULE, "PythonCall", ["score", True])],
                                                  tmp_path)["calls"]]
    done = subprocess.run([sys.executable, "-I", "-S", "-c", statement], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
    assert (done.returncode, done.stderr.strip()) == (1, "这个 Python 中没有安装 xlsuite，请重新运行离线安装包中的 安装.bat。")
