"""Every file xlsuite writes is valid against the ECMA-376 schemas (``tests/ooxml_schemas.py``).

The outputs are those of ``tests/writers.py``, shared with the Excel-limits check: each command's
(the template .xlsx/.xlsm and its Word template, the sample, a scored book with its forms and 校验结果,
the add-in, the demo county's books, summary and 审核意见, a department's and the county's Word
report) and the odd books' (no projects, no indicators, no amounts, one unit alone, 10,000 projects).
A refusal is printed as ``part:line: the schema validator's message``.
"""

from __future__ import annotations

import re
import zipfile
from functools import cache

import pytest
from ooxml_schemas import NOT_COVERED, check_package
from writers import RUNS

pytestmark = pytest.mark.slow  # every command's files and the odd books checked against the ECMA-376 schemas

checked = cache(check_package)
"""Each file checked once: demo, consolidate and feedback share the demo county's files."""


def _refusals(paths) -> dict[str, list[str]]:
    found = {str(p): [str(r) for r in checked(p).refusals] for p in paths}
    return {name: refusals for name, refusals in found.items() if refusals}


def _rewritten(src, dst, part: str, edit) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, edit(data) if info.filename == part else data)


def test_a_part_out_of_the_schemas_order_is_refused_with_its_place(sample_path, tmp_path):
    """The check can fail: a worksheet whose <cols> comes after <sheetData> is well-formed, and
    Excel repairs it; the refusal names the part, the line and the schema's complaint."""
    bad = tmp_path / "乱序.xlsx"
    moved = []

    def edit(data: bytes) -> bytes:
        start, end = data.index(b"<cols>"), data.index(b"</cols>") + len(b"</cols>")
        cols = data[start:end]
        rest = data[:start] + data[end:]
        at = rest.index(b"</sheetData>") + len(b"</sheetData>")
        moved.append(True)
        return rest[:at] + cols + rest[at:]

    _rewritten(sample_path, bad, "xl/worksheets/sheet1.xml", edit)
    assert moved
    refusals = check_package(bad).refusals
    assert [r.part for r in refusals] == ["xl/worksheets/sheet1.xml"]
    assert refusals[0].line >= 1 and "cols" in refusals[0].message and "not expected" in refusals[0].message
    assert check_package(sample_path).refusals == []


def test_an_unknown_attribute_is_refused_unless_declared_ignorable(sample_path, tmp_path):
    """Markup Compatibility as Excel applies it: an attribute of an extension namespace passes when
    mc:Ignorable names that namespace, and is refused when it does not."""
    ns = b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
    mc = b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'

    def with_attribute(ignorable: bool):
        def edit(data: bytes) -> bytes:
            declared = b"<worksheet " + ns + b" " + mc + (b' mc:Ignorable="x14ac" ' if ignorable else b" ")
            data = data.replace(b"<worksheet ", declared, 1)
            return data.replace(b"<row ", b'<row x14ac:dyDescent="0.25" ', 1)
        return edit

    for ignorable in (True, False):
        out = tmp_path / f"{ignorable}.xlsx"
        _rewritten(sample_path, out, "xl/worksheets/sheet1.xml", with_attribute(ignorable))
        refusals = check_package(out).refusals
        assert (refusals == []) is ignorable, refusals
    assert "dyDescent" in str(refusals[0])


def test_alternate_content_is_read_as_its_fallback_when_the_choice_needs_an_extension(sample_path, tmp_path):
    """mc:AlternateContent as Excel 2007 reads it: the Choice needs a namespace no schema here
    defines, so the Fallback is what counts; a Fallback out of the schema is refused."""
    def with_fallback(fallback: bytes):
        def edit(data: bytes) -> bytes:
            alternate = (b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                         b'<mc:Choice xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
                         b'Requires="x14"><x14:anything/></mc:Choice><mc:Fallback>' + fallback +
                         b'</mc:Fallback></mc:AlternateContent>')
            return data.replace(b"</worksheet>", alternate + b"</worksheet>")
        return edit

    for fallback, refused in ((b"", False), (b"<bogus/>", True)):
        out = tmp_path / f"{refused}.xlsx"
        _rewritten(sample_path, out, "xl/worksheets/sheet1.xml", with_fallback(fallback))
        refusals = [str(r) for r in check_package(out).refusals]
        assert bool(refusals) is refused and all("bogus" in r for r in refusals), refusals


def test_a_part_of_no_known_kind_is_refused_not_passed(sample_path, tmp_path):
    """A part whose content type has no schema here and is not listed as uncovered is refused, so
    a new kind of part never passes unchecked; so is a part left typed only application/xml
    outside customXml/ (its writer forgot its type)."""
    odd = tmp_path / "新部件.xlsx"

    def edit(data: bytes) -> bytes:
        return data.replace(b"</Types>", b'<Override PartName="/xl/extra.xml" '
                                         b'ContentType="application/vnd.example.unknown+xml"/></Types>')

    _rewritten(sample_path, odd, "[Content_Types].xml", edit)
    with zipfile.ZipFile(odd, "a") as zf:
        zf.writestr("xl/extra.xml", "<a/>")
        zf.writestr("xl/untyped.xml", "<a/>")
    assert sorted(r.part for r in check_package(odd).refusals) == ["xl/extra.xml", "xl/untyped.xml"]


@pytest.mark.parametrize("command", sorted(RUNS))
def test_each_command_writes_files_valid_against_the_schemas(written, command):
    assert written[command], f"{command} wrote no file"
    assert _refusals(written[command]) == {}


def test_odd_books_and_what_is_made_of_them_are_valid_against_the_schemas(odd_written):
    assert _refusals(odd_written) == {}


def test_every_part_written_is_checked_or_named_as_not_covered(written, odd_written):
    """Which parts the schemas do not cover, over everything written: only the kinds NOT_COVERED
    names (the VBA project, the buttons' VML, the ribbon), and the schema-checked parts include every
    part kind a workbook and a Word report hold."""
    kinds, uncovered = set(), set()
    for path in [p for paths in written.values() for p in paths] + odd_written:
        report = checked(path)
        kinds |= {re.sub(r"\d*\.xml$", "", part.rsplit("/", 1)[-1]) for part in report.checked}
        uncovered |= set(report.not_covered.values())
    assert uncovered <= set(NOT_COVERED)
    assert {"[Content_Types]", ".rels", "workbook", "sheet", "sharedStrings", "styles", "theme", "core",
            "app", "document", "settings", "numbering", "footer", "chart"} <= kinds


def test_the_vendored_schemas_are_ecmas_files_unmodified():
    """Ecma's licence forbids changing them (schemas/ecma-376/NOTICE.md): every .xsd there is listed
    in SHA256SUMS with the digest of Ecma's file, and none is missing from the list."""
    import hashlib

    from ooxml_schemas import ECMA

    listed = dict(line.split()[::-1] for line in (ECMA / "SHA256SUMS").read_text().splitlines())
    found = {str(p.relative_to(ECMA)): hashlib.sha256(p.read_bytes()).hexdigest() for p in ECMA.rglob("*.xsd")}
    assert found == listed
