"""The corpus of books saved by real spreadsheet applications (``tests/data/saved-by/``), and how
the books made here are remade.

A book's name says what it is: ``<stem>.<tag>.xlsx``, where ``<stem>`` is the name of the
``workbook_templates/`` book it was saved from (or the county's own name for a book the county
sent) and ``<tag>`` one of ``APPLICATIONS``. The folder's README.md lists every book with the
application that saved it, as the book itself records it.

    python tests/saved_by.py      # remake the LibreOffice books from workbook_templates/
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "saved-by"
TEMPLATES = HERE.parent / "workbook_templates"
REGENERATE = "python tests/saved_by.py"
"""The command that remakes the books made here, as the tests tell a developer to run it."""

APPLICATIONS = {"libreoffice": "LibreOffice", "libreoffice-recalculated": "LibreOffice",
                "excel": "Microsoft Excel", "wps": "WPS"}
"""File tag → the start of what that application writes as ``<Application>`` in docProps/app.xml."""

TEMPLATE = TEMPLATES / "预算绩效自评模板.xlsx"
SAMPLE = TEMPLATES / "samples" / "永昌县工信局-2021.xlsx"
MADE_HERE = {"libreoffice": (TEMPLATE, SAMPLE), "libreoffice-recalculated": (SAMPLE,)}
"""Tag → the workbook_templates/ books ``make`` saves with it. ``libreoffice`` is a fresh
installation (cached values kept, only formulas without one computed); ``-recalculated`` is
LibreOffice told to recalculate every formula on load (tests/libreoffice.py)."""

_NAME = re.compile(r"^(?P<stem>.+)\.(?P<tag>[a-z-]+)\.xls[xm]$")


def books() -> list[Path]:
    """Every workbook of the corpus."""
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".xlsm"))


def tag(book: Path) -> str:
    match = _NAME.match(book.name)
    if not match or match["tag"] not in APPLICATIONS:
        raise ValueError(f"{book.name}: name it <stem>.<tag>{book.suffix}, tag one of {sorted(APPLICATIONS)}")
    return match["tag"]


def original(book: Path) -> Path | None:
    """The workbook_templates/ book ``book`` was saved from; None for a book the county sent."""
    stem = _NAME.match(book.name)["stem"]
    found = list(TEMPLATES.rglob(f"{stem}.xlsx"))
    return found[0] if found else None


def application(book: Path) -> str:
    """What the book says saved it (docProps/app.xml's ``<Application>``), "" if it says nothing."""
    with zipfile.ZipFile(book) as z:
        try:
            xml = z.read("docProps/app.xml").decode("utf-8")
        except KeyError:
            return ""
    found = re.search(r"<Application>([^<]*)</Application>", xml)
    return found[1] if found else ""


def make() -> list[Path]:
    """Save ``MADE_HERE``'s books with LibreOffice into the corpus; returns the files written."""
    from libreoffice import ALWAYS_RECALCULATE, NEVER_RECALCULATE, run

    modes = {"libreoffice": NEVER_RECALCULATE, "libreoffice-recalculated": ALWAYS_RECALCULATE}
    written = []
    for tag_, sources in MADE_HERE.items():
        with tempfile.TemporaryDirectory() as out:
            # "Calc MS Excel 2007 XML" is the filter LibreOffice's Save As → Excel 2007-365 uses.
            result = run(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, *map(str, sources)],
                         recalc=modes[tag_], substitute_fonts=False)
            for source in sources:
                saved = Path(out) / source.name
                if not saved.exists():
                    raise RuntimeError(f"LibreOffice did not save {source.name}: {result.stdout}{result.stderr}")
                target = CORPUS / f"{source.stem}.{tag_}.xlsx"
                shutil.move(saved, target)
                written.append(target)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    from libreoffice import soffice

    version = subprocess.run([soffice(), "--version"], capture_output=True, text=True).stdout.strip()
    for path in make():
        print(f"{path.relative_to(HERE.parent)}  ({application(path)})")
    print(f"saved by {version}: update the table in {CORPUS.relative_to(HERE.parent)}/README.md")
