"""Units with no projects, or no indicators (a unit with only basic spending is common), still
give a well-formed summary whose detail sheets list exactly what the other units sent."""

from __future__ import annotations

import random
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter

import pytest
from python_calamine import CalamineWorkbook

from xlsuite.county import summary as s
from xlsuite.demo.data import department
from xlsuite.template.build import build_workbook

UNITS = (("600001", "full"), ("600002", "no projects"), ("600003", "no indicators"), ("600004", "full"),
         ("600005", "no projects"))


def _books(folder):
    """The books written into ``folder``, by 单位编码."""
    rng = random.Random(3)
    books = {}
    for code, kind in UNITS:
        book = department(rng, code, f"永昌县单位{code}", "永昌县教育局", set())
        if kind == "no projects":
            book.projects = []
            book.indicators = [i for i in book.indicators if i.subject == "部门整体"]
        elif kind == "no indicators":
            book.indicators = []
        build_workbook(folder / f"{code}.xlsx", book)
        books[code] = book
    return books


def malformed_parts(path) -> list[str]:
    """Every XML part of the package that does not parse, with the parser's reason."""
    bad = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    ET.fromstring(z.read(name))
                except ET.ParseError as e:
                    bad.append(f"{name}: {e}")
    return bad


@pytest.mark.parametrize("workers", [1, 2])
def test_units_without_projects_or_indicators_give_a_sound_summary(tmp_path, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    books = _books(folder)
    out = tmp_path / "汇总.xlsx"
    run = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(folder), "-o", str(out),
                          "--workers", str(workers)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert malformed_parts(out) == []
    wb = CalamineWorkbook.from_path(str(out))
    rows = {name: [r for r in wb.get_sheet_by_name(name).to_python()[2:] if r[0]]
            for name in (s.PROJECTS, s.INDICATORS, s.DEPARTMENTS)}
    assert sorted(r[0] for r in rows[s.DEPARTMENTS]) == sorted(books)
    projects = Counter(r[0] for r in rows[s.PROJECTS])
    assert projects == Counter({code: len(b.projects) for code, b in books.items() if b.projects})
    assert [r[3] for r in rows[s.PROJECTS]] == [p.code for code in sorted(books) for p in books[code].projects]
    indicators = Counter(r[0] for r in rows[s.INDICATORS])
    assert indicators == Counter({code: len(b.indicators) for code, b in books.items() if b.indicators})
