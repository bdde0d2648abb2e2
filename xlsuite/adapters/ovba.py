"""ms-ovba, driven where it cannot touch the calling process (ms-ovba 0.0.1, ms-cfb 0.0.x).

``build_project`` makes a vbaProject.bin from VBA source text with ms-ovba. What it relies on:

- ms-ovba's classes under their module paths: ``ms_ovba.vbaProject.VbaProject`` (with
  ``project_id``, ``add_module``, ``add_reference``), ``Models.Entities.doc_module.DocModule`` and
  ``std_module.StdModule`` (``add_file``, ``add_guid``, ``normalize_file``),
  ``Models.Entities.reference.Reference``, ``reference_registered.ReferenceRegistered``,
  ``Models.Fields.libid_reference.LibidReference`` and ``Views.project_ole_file.ProjectOleFile``
  with ``write_file(project)``.
- ``DocModule.normalize_file`` taking the 5th line of a document module's source as its name
  line and putting ``VB_Base`` after it (``_document_source`` writes the source that way).
- ms-ovba and ms-cfb writing every stream and work file (``dir.bin``, ``project.bin``,
  ``fat_chain.bin`` …, and ``vbaProject.bin`` itself) under fixed names in the current
  directory, the protection records (``ms_ovba_crypto``) drawing their bytes from the global
  ``random`` module, and its compression being ``ms_ovba_compression.ms_ovba.MsOvba.compress``,
  which garbles larger streams and is replaced by the caller's (``compressor``).

All three would change the calling process (its working directory, the global random state, a
class of ms-ovba), so none happens in it: the build runs this module as a script in a child
Python process, started in a temporary directory, which seeds its own ``random`` (two builds
give the same bytes), swaps in the compressor and writes the file that the caller then reads.

``pyproject.toml`` pins ms-ovba below 0.1; ``tests/test_adapters.py`` checks each of these and
names this module when a new version has moved one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

SEED = 20210101
"""Seeds the child's ``random``, which ms-ovba draws its protection records' bytes from."""

_JOB = "job.json"
_OUTPUT = "vbaProject.bin"


def build_project(project_id: str, documents: list[tuple[str, str]], modules: list[tuple[str, str]],
                  references: list[tuple[str, str, str, str, str, str]], compressor: Path) -> bytes:
    """The bytes of a vbaProject.bin, the same for the same arguments.

    Args:
        project_id: the project's GUID, ``{…}``.
        documents: (name, GUID) of each document module (``ThisWorkbook``, the sheets), each
            written empty as Excel writes it.
        modules: (name, VBA source) of each standard module.
        references: (name, GUID, version, LCID, library path, description) of each registered
            type library.
        compressor: a Python file defining ``compress(data: bytes) -> bytes`` ([MS-OVBA] 2.4.1).
    """
    job = {"project_id": project_id, "documents": documents, "modules": modules,
           "references": references, "compressor": str(Path(compressor).resolve()), "seed": SEED}
    with tempfile.TemporaryDirectory(prefix="xlsuite-vba-") as work:
        (Path(work) / _JOB).write_text(json.dumps(job), "utf-8")
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), _JOB], cwd=work,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"ms-ovba could not build the VBA project:\n{done.stderr.strip()}")
        return (Path(work) / _OUTPUT).read_bytes()


def _document_source(name: str) -> str:
    # ms-ovba's DocModule keeps the 5th line as the name line and inserts VB_Base after it.
    return "\n".join([
        "VERSION 1.0 CLASS", "BEGIN", "  MultiUse = -1  'True", "END",
        f'Attribute VB_Name = "{name}"',
        "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True", ""])


def _build_here(job: dict) -> None:
    """The build itself, in the child process and its (temporary) working directory."""
    import importlib.util
    import random
    import uuid

    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile
    from ms_ovba_compression.ms_ovba import MsOvba

    spec = importlib.util.spec_from_file_location("xlsuite_ovba_compressor", job["compressor"])
    compressor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compressor)
    MsOvba.compress = lambda self, data: compressor.compress(bytes(data))  # this process only
    random.seed(job["seed"])  # this process's own random

    work = Path.cwd()
    project = VbaProject()
    project.project_id = job["project_id"]
    for name, guid in job["documents"]:
        path = work / f"{name}.cls"
        path.write_text(_document_source(name), "ascii")
        module = DocModule(name)
        module.add_file(str(path))
        module.add_guid(uuid.UUID(guid))
        module.normalize_file()
        project.add_module(module)
    for name, source in job["modules"]:
        path = work / f"{name}.bas"
        path.write_text(source, "ascii")
        module = StdModule(name)
        module.add_file(str(path))
        module.normalize_file()
        project.add_module(module)
    for ref_name, guid, version, lcid, lib_path, description in job["references"]:
        libid = LibidReference(uuid.UUID(guid), version, lcid, lib_path, description)
        project.add_reference(Reference(ReferenceRegistered(libid), ref_name))
    ProjectOleFile.write_file(project)  # writes vbaProject.bin here


if __name__ == "__main__":
    _build_here(json.loads(Path(sys.argv[1]).read_text("utf-8")))
