"""The macro-enabled template and the add-in, built from the VBA sources in ``macros/``.

What Excel would run is checked with tools that do not need Excel: oletools decodes the VBA back
out of the built files, LibreOffice loads the .xlsm and reports how each button is bound, and
the add-in's package is compared part by part with the ribbon add-in xlwings ships, which Excel
itself wrote.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xlwings
from book_parts import open_book
from conftest import TEMPLATES
from libreoffice import convert
from oletools.olevba import VBA_Parser

from xlsuite.cli import main
from xlsuite.cli.addin import DLL_UNREACHABLE
from xlsuite.excel import addin, udf_vba, vba
from xlsuite.excel.macro_book import CONF_SHEET, MACRO_TEMPLATE_FILENAME, UDF_MODULE
from xlsuite.template.build import build_macro_template

pytestmark = pytest.mark.slow  # VBA decoded from two builds each, and LibreOffice loads the .xlsm

XLWINGS_RIBBON_ADDIN = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


def decoded_vba(path: Path) -> dict[str, str]:
    """Module name → source code, as oletools decodes it from the file."""
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def source(name: str) -> str:
    """A .bas file as VBA stores it: CRLF line ends."""
    return vba.module_source(name).replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory) -> Path:
    return build_macro_template(tmp_path_factory.mktemp("xlsm"))


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("xlam") / addin.ADDIN_FILENAME)


# --- .xlsm --------------------------------------------------------------------------------------


def test_xlsm_vba_decodes_to_exactly_the_macro_sources(xlsm):
    modules = decoded_vba(xlsm)
    assert modules[vba.BUTTONS_MODULE] == source(vba.BUTTONS_MODULE)
    assert modules[vba.SERVER_MODULE] == source(vba.SERVER_MODULE)
    assert modules[udf_vba.XLWINGS_MODULE] == udf_vba.xlwings_module().replace("\r\n", "\n").replace("\n", "\r\n")
    assert modules[udf_vba.WRAPPERS_MODULE] == udf_vba.wrappers_module()
    # Besides them only the empty document modules of the workbook and its sheets.
    standard = {vba.BUTTONS_MODULE, vba.SERVER_MODULE, udf_vba.XLWINGS_MODULE, udf_vba.WRAPPERS_MODULE}
    documents = {name for name in modules if name not in standard}
    with zipfile.ZipFile(xlsm) as zf:
        sheets = len(re.findall(r"<sheet ", zf.read("xl/workbook.xml").decode()))
    assert documents == {"ThisWorkbook", *(f"Sheet{i}" for i in range(1, sheets + 1))}
    for name in documents:
        assert "Sub " not in modules[name]


def test_two_builds_give_the_same_vba(xlsm, tmp_path):
    again = build_macro_template(tmp_path)
    assert decoded_vba(again) == decoded_vba(xlsm)
    with zipfile.ZipFile(xlsm) as a, zipfile.ZipFile(again) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


def test_committed_xlsm_is_what_the_builder_makes(xlsm):
    with zipfile.ZipFile(TEMPLATES / MACRO_TEMPLATE_FILENAME) as a, zipfile.ZipFile(xlsm) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), f"{name} is stale: run `xlsuite template`"


def test_xlsm_carries_what_its_worksheet_functions_call(xlsm):
    """The live column's formula finds its VBA function in the .xlsm's own project, and that
    function finds XLPy there too: no Tools → References, no Import Functions."""

    modules = decoded_vba(xlsm)
    wrappers, embedded = modules[udf_vba.WRAPPERS_MODULE], modules[udf_vba.XLWINGS_MODULE]
    assert re.search(r"^Function XLPy\(\)", embedded, re.M)
    assert f"'Version: {xlwings.__version__}" in embedded  # the DLL the installed xlwings has
    defined = re.findall(r"^Function (\w+)\(", wrappers, re.M)
    from xlsuite.excel import udfs
    assert sorted(defined) == sorted(n for n in dir(udfs) if n.startswith("XLSUITE_"))
    for name in defined:
        body = wrappers.split(f"Function {name}(", 1)[1].split("End Function", 1)[0]
        assert f'{name} = XLPy.CallUDF("{UDF_MODULE}", "{name}", Array(' in body
    # every function a formula of the template calls is among them
    wb = open_book(xlsm, keep_vba=True)
    formulas = (getattr(cell.value, "text", cell.value) for ws in wb.worksheets for row in ws.iter_rows()
                for cell in row)  # an array formula's text is its .text
    called = {m for f in formulas if isinstance(f, str) for m in re.findall(r"(XLSUITE_\w+)\(", f)}
    assert called and called <= set(defined)


def test_xlsm_names_the_udf_module_for_xlwings(xlsm):

    wb = open_book(xlsm, keep_vba=True)
    conf = wb[CONF_SHEET]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", UDF_MODULE)
    assert conf.sheet_state == "hidden"


@pytest.mark.libreoffice
def test_libreoffice_loads_the_xlsm_with_each_button_bound_to_its_macro(xlsm, tmp_path):
    ods = convert(xlsm, tmp_path, "ods")
    with zipfile.ZipFile(ods) as zf:
        module = zf.read(f"Basic/VBAProject/{vba.BUTTONS_MODULE}.xml").decode("utf-8")
        content = ET.fromstring(zf.read("content.xml"))
    for _, macro in vba.BUTTON_MACROS:
        assert f"Public Sub {macro}()" in module
    ns = {"form": "urn:oasis:names:tc:opendocument:xmlns:form:1.0",
          "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
          "xlink": "http://www.w3.org/1999/xlink"}
    bound = {}
    for button in content.iterfind(".//form:button", ns):
        listener = button.find(".//script:event-listener", ns)
        assert listener is not None, button.get(f"{{{ns['form']}}}label")
        assert listener.get(f"{{{ns['script']}}}event-name") == "form:performaction"
        bound[button.get(f"{{{ns['form']}}}label")] = listener.get(f"{{{ns['xlink']}}}href")
    assert bound == {caption: f"vnd.sun.star.script:VBAProject.{vba.BUTTONS_MODULE}.{macro}"
                              "?language=Basic&location=document"
                     for caption, macro in vba.BUTTON_MACROS}


# --- .xlam --------------------------------------------------------------------------------------


# Office knows the ribbon part under two relationship types: the 2006 one for customUI.xml
# (Office 2007 schema, which ours uses) and the 2007 one meant for customUI14.xml, which xlwings'
# file uses for its customUI.xml. Both are "the customUI part" here.
_CUSTOM_UI_RELS = {addin.CUSTOM_UI_REL,
                   "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"}


def _package_kinds(path: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """The content types of a package's parts, and its relationships as (source, type)."""
    with zipfile.ZipFile(path) as zf:
        types = ET.fromstring(zf.read("[Content_Types].xml"))
        overrides = {e.get("PartName").lstrip("/"): e.get("ContentType") for e in types
                     if e.tag.endswith("Override")}
        defaults = {e.get("Extension"): e.get("ContentType") for e in types if e.tag.endswith("Default")}
        parts = {overrides.get(n) or defaults[n.rsplit(".", 1)[-1]] for n in zf.namelist()}
        rels = set()
        for name in zf.namelist():
            if name.endswith(".rels"):
                source_part = name.replace("_rels/", "").removesuffix(".rels")
                for rel in ET.fromstring(zf.read(name)):
                    kind = rel.get("Type")
                    rels.add((source_part, addin.CUSTOM_UI_REL if kind in _CUSTOM_UI_RELS else kind))
                    target = rel.get("Target")
                    base = source_part.rsplit("/", 1)[0] + "/" if "/" in source_part else ""
                    assert (base + target).replace("xl/../", "") in zf.namelist(), target
    return parts, rels


def test_xlam_has_the_parts_and_relationships_of_an_excel_ribbon_addin(xlam):
    ours, excels = _package_kinds(xlam), _package_kinds(XLWINGS_RIBBON_ADDIN)
    assert ours == excels
    parts, rels = ours
    assert addin.ADDIN_CONTENT_TYPE in parts
    assert "application/vnd.ms-office.vbaProject" in parts
    assert ("", addin.CUSTOM_UI_REL) in rels
    assert ("xl/workbook.xml", "http://schemas.microsoft.com/office/2006/relationships/vbaProject") in rels


def test_xlam_ribbon_buttons_call_ribbon_callbacks_in_its_vba(xlam):
    with zipfile.ZipFile(xlam) as zf:
        ui = ET.fromstring(zf.read(addin.CUSTOM_UI_PART))  # raises unless well-formed
    tab = ui.find(f".//{CUSTOM_UI_NS}tab")
    assert tab.get("label") == "绩效自评"
    buttons = {b.get("label"): b.get("onAction") for b in ui.iter(f"{CUSTOM_UI_NS}button")}
    assert list(buttons) == [caption for caption, _ in vba.BUTTON_MACROS]
    code = "\n".join(decoded_vba(xlam).values())
    for caption, action in buttons.items():
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)\r?$", code, re.M), caption
    # ... and each callback runs the macro of the template's button with that caption.
    ribbon = decoded_vba(xlam)[vba.RIBBON_MODULE]
    for caption, macro in vba.BUTTON_MACROS:
        body = ribbon.split(f"Sub {buttons[caption]}(", 1)[1].split("End Sub", 1)[0]
        assert macro in body, caption


def test_xlam_has_no_xlwings_conf_sheet(xlam):
    """xlwings never reads an xlwings.conf sheet of another add-in: the xlam carries none."""
    with zipfile.ZipFile(xlam) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]*)"', workbook) == [addin.ADDIN_SHEET]


def test_xlam_vba_decodes_to_exactly_the_macro_sources(xlam):
    modules = decoded_vba(xlam)
    for name in (vba.BUTTONS_MODULE, vba.RIBBON_MODULE, vba.SERVER_MODULE):
        assert modules[name] == source(name)


def test_two_addin_builds_are_identical(xlam, tmp_path):
    assert addin.build_addin(tmp_path / "again.xlam").read_bytes() == xlam.read_bytes()


def test_macros_reach_python_through_the_xlwings_addin():
    code = source(vba.BUTTONS_MODULE)
    assert "Application.Run \"'xlwings.xlam'!RunPython\"" in code
    # Every button's macro runs one of the Python actions, and every action has its button.
    from xlsuite.excel.actions import ACTIONS, LABELS

    called = dict(re.findall(r'Public Sub (\w+)\(\)\r\n    RunAction "(\w+)"', code))
    assert sorted(called.values()) == sorted(ACTIONS)
    assert {caption: called[macro] for caption, macro in vba.BUTTON_MACROS} == \
        {label: action for action, label in LABELS.items()}
    # ... naming the action and where the button was pressed, never a path (test_button_command_line)
    assert "Application.Run \"'xlwings.xlam'!RunPython\", PythonCall(action, ThisWorkbook.IsAddin)" in code
    statement = code[code.index("Public Function PythonCall"):code.index("End Function", code.index("Public Function PythonCall"))]
    assert "ThisWorkbook.Path" not in statement


# --- install ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "home_var", "expected"), [
    ("darwin", "HOME", addin.MAC_STARTUP),
    ("win32", "APPDATA", "Microsoft/Excel/XLSTART"),
])
def test_addin_install_status_remove_in_a_temporary_home(monkeypatch, tmp_path, capsys,
                                                          platform, home_var, expected):
    monkeypatch.setattr("sys.platform", platform)
    monkeypatch.setenv(home_var, str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))  # xlwings' settings, which install writes on Windows
    target = tmp_path / expected / addin.ADDIN_FILENAME

    assert main(["addin", "status"]) == 0
    assert "未安装" in capsys.readouterr().out
    # on Windows the add-in is installed, and (no xlwings DLL on this machine) it says the
    # worksheet functions will not load (tests/test_interpreter.py)
    assert main(["addin", "install"]) == (DLL_UNREACHABLE if platform == "win32" else 0)
    assert str(target) in capsys.readouterr().out
    assert target.is_file()
    assert decoded_vba(target)[vba.RIBBON_MODULE] == source(vba.RIBBON_MODULE)
    assert main(["addin", "status"]) == 0
    assert f"加载项已安装：{target}" in capsys.readouterr().out
    assert main(["addin", "remove"]) == 0
    assert not target.exists()
    assert main(["addin", "remove"]) == 0
    assert "未安装" in capsys.readouterr().out


def test_addin_install_without_excel_says_so(monkeypatch, capsys):
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["addin", "install"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "--dir" in err and "Traceback" not in err


def test_only_a_missing_xlwings_addin_gets_the_missing_addin_message():
    code = source(vba.BUTTONS_MODULE)
    body = code[code.index("Private Sub RunAction"):code.index("End Sub", code.index("Private Sub RunAction"))]
    missing_advice = 'Zh("672A 627E 5230") & " xlwings "'  # 未找到 xlwings 加载项 …
    start = body.index("If Not XlwingsLoaded() Then")
    branch = body[start:body.index("End If", start)]
    # the advice to install the add-in is given only where the add-in was not found ...
    assert body.count(missing_advice) == 1 and missing_advice in branch
    # ... and any other failure of the call shows Excel's own description of it
    handler = body[body.index("Failed:"):]
    assert "Err.Description" in handler and missing_advice not in handler
    assert body.index("If Not XlwingsLoaded()") < body.index("If Not InterpreterFound()") \
        < body.index("On Error GoTo Failed") < body.index("Application.Run")
    assert "Private Function XlwingsLoaded() As Boolean" in code and 'Workbooks("xlwings.xlam")' in code
