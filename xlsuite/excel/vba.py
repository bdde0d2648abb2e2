"""Build a vbaProject.bin from the VBA sources in ``macros/``, reproducibly.

The macros are reviewed as text (.bas, at the repository root; the wheel carries them as
``xlsuite/macros/``); the binary is made from them on every build with the
``ms-ovba`` package (through ``adapters.ovba``), never edited by hand. Two builds give the same
bytes. ms-ovba builds the project's streams and the compound file; its compression (from
ms-ovba-compression) garbles larger streams, so the build uses ``ovba_compress``, which follows
the specification. The build changes nothing in this process: not its working directory, not
the global ``random`` state (see ``adapters.ovba``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..adapters import ovba
from . import ovba_compress
from .actions import LABELS

BUTTONS_MODULE = "XlsuiteButtons"
RIBBON_MODULE = "XlsuiteRibbon"
SERVER_MODULE = "XlsuiteServer"
"""The thin client of the county's xlsuite serve, for Excel without Python (both files carry it)."""

BUTTON_MACROS = tuple((LABELS[action], macro) for action, macro in (
    ("validate", "XlsuiteValidate"), ("score", "XlsuiteScore"), ("forms", "XlsuiteForms"), ("report", "XlsuiteReport")))
"""(button caption, macro) of the four actions, in the order the buttons appear; the captions are
the actions' labels (``actions.LABELS``), as the ribbon (``macros/customUI.xml``) shows them."""

PROJECT_ID = "{5C1D0B7E-3A52-4C8F-9E0B-8D6A2F4B7C11}"
"""Fixed, so two builds agree; any GUID will do."""

_WORKBOOK_GUID = "00020819-0000-0000-C000-000000000046"
_SHEET_GUID = "00020820-0000-0000-C000-000000000046"

# The references every workbook Excel itself writes has: VBA, Excel, OLE automation, Office
# (the last declares IRibbonControl, which the ribbon callbacks take).
_REFERENCES = (
    ("VBA", "000204EF-0000-0000-C000-000000000046", "4.2", "9",
     r"C:\Program Files\Common Files\Microsoft Shared\VBA\VBA7.1\VBE7.DLL", "Visual Basic For Applications"),
    ("Excel", "00020813-0000-0000-C000-000000000046", "1.9", "0",
     r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE", "Microsoft Excel 16.0 Object Library"),
    ("stdole", "00020430-0000-0000-C000-000000000046", "2.0", "0",
     r"C:\Windows\System32\stdole2.tlb", "OLE Automation"),
    ("Office", "2DF8D04C-5BFA-101B-BDE5-00AA0044DE52", "2.0", "0",
     r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
     "Microsoft Office 16.0 Object Library"),
)


def macros_dir() -> Path:
    """``xlsuite/macros`` of an installed wheel, else ``macros/`` of the checkout xlsuite runs from."""
    package = Path(str(resources.files("xlsuite")))
    installed = package / "macros"
    return installed if installed.is_dir() else package.parent / "macros"


def module_source(name: str) -> str:
    """The text of ``macros/<name>.bas``."""
    return (macros_dir() / f"{name}.bas").read_text("ascii")


def sources(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, text) of the ``macros/`` modules ``names``, as ``build_vba_project`` takes them."""
    return [(name, module_source(name)) for name in names]


def custom_ui() -> bytes:
    """The add-in's ribbon definition (``macros/customUI.xml``)."""
    return (macros_dir() / "customUI.xml").read_bytes()


def build_vba_project(modules: list[tuple[str, str]], sheet_codenames: tuple[str, ...]) -> bytes:
    """The vbaProject.bin holding the standard modules ``modules``.

    Args:
        modules: (name, VBA source) of each standard module, e.g. ``sources(("XlsuiteButtons",))``.
        sheet_codenames: the code names of the workbook's sheets (``Sheet1`` …), each of which
            gets its empty document module, as in a project Excel writes.

    Returns:
        The bytes of the vbaProject.bin, the same for the same sources.
    """
    documents = [("ThisWorkbook", _WORKBOOK_GUID), *((n, _SHEET_GUID) for n in sheet_codenames)]
    return ovba.build_project(PROJECT_ID, documents, list(modules), list(_REFERENCES),
                              Path(ovba_compress.__file__))
