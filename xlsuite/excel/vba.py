"""Build a vbaProject.bin from the VBA sources in ``xlsuite/macros``, reproducibly.

The macros are reviewed as text (.bas); the binary is made from them on every build with the
``ms-ovba`` package, never edited by hand. Two builds give the same bytes: ms-ovba draws random
bytes for the project's protection records, so the build seeds Python's ``random`` (and puts its
state back afterwards).

ms-ovba 0.0.1 builds the project's streams and the compound file; its compression (from
ms-ovba-compression) garbles larger streams, so the build swaps in ``ovba_compress``, which
follows the specification. ms-ovba writes its work files into the current directory: the build
runs in a temporary directory and returns the bytes.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
import uuid
from importlib import resources
from pathlib import Path

from . import ovba_compress
from .actions import LABELS

BUTTONS_MODULE = "XlsuiteButtons"
RIBBON_MODULE = "XlsuiteRibbon"

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
    return Path(str(resources.files("xlsuite").joinpath("macros")))


def module_source(name: str) -> str:
    """The text of ``macros/<name>.bas``."""
    return (macros_dir() / f"{name}.bas").read_text("ascii")


def custom_ui() -> bytes:
    """The add-in's ribbon definition (``macros/customUI.xml``)."""
    return (macros_dir() / "customUI.xml").read_bytes()


def build_vba_project(modules: tuple[str, ...], sheet_codenames: tuple[str, ...]) -> bytes:
    """The vbaProject.bin holding the standard modules ``modules`` (names of .bas files).

    Args:
        modules: standard modules from ``macros/``, e.g. ``("XlsuiteButtons",)``.
        sheet_codenames: the code names of the workbook's sheets (``Sheet1`` …), each of which
            gets its empty document module, as in a project Excel writes.

    Returns:
        The bytes of the vbaProject.bin, the same for the same sources.
    """
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    with tempfile.TemporaryDirectory(prefix="xlsuite-vba-") as work, _cwd(work), _seeded(), \
            _spec_compression():
        project = VbaProject()
        project.project_id = PROJECT_ID
        documents = [("ThisWorkbook", _WORKBOOK_GUID), *((n, _SHEET_GUID) for n in sheet_codenames)]
        for name, guid in documents:
            path = Path(work) / f"{name}.cls"
            path.write_text(_document_source(name), "ascii")
            module = DocModule(name)
            module.add_file(str(path))
            module.add_guid(uuid.UUID(guid))
            module.normalize_file()
            project.add_module(module)
        for name in modules:
            path = Path(work) / f"{name}.bas"
            path.write_text(module_source(name), "ascii")
            module = StdModule(name)
            module.add_file(str(path))
            module.normalize_file()
            project.add_module(module)
        for ref_name, guid, version, lcid, lib_path, description in _REFERENCES:
            libid = LibidReference(uuid.UUID(guid), version, lcid, lib_path, description)
            project.add_reference(Reference(ReferenceRegistered(libid), ref_name))
        ProjectOleFile.write_file(project)
        return (Path(work) / "vbaProject.bin").read_bytes()


def _document_source(name: str) -> str:
    # ms-ovba's DocModule keeps the 5th line as the name line and inserts VB_Base after it.
    return "\n".join([
        "VERSION 1.0 CLASS", "BEGIN", "  MultiUse = -1  'True", "END",
        f'Attribute VB_Name = "{name}"',
        "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True", ""])


@contextlib.contextmanager
def _cwd(path: str):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _spec_compression():
    from ms_ovba_compression.ms_ovba import MsOvba

    before = MsOvba.compress
    MsOvba.compress = lambda self, data: ovba_compress.compress(bytes(data))
    try:
        yield
    finally:
        MsOvba.compress = before


@contextlib.contextmanager
def _seeded():
    state = random.getstate()
    random.seed(20210101)
    try:
        yield
    finally:
        random.setstate(state)
