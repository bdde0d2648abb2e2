"""The pure layers import no Excel or Word library, so they run wherever xlsuite's core is needed
(UDFs, the county batch's worker processes, the xlwings writer that applies the same plans)."""

from __future__ import annotations

import subprocess
import sys

import pytest

EXCEL_LIBRARIES = {"openpyxl", "xlsxwriter", "python_calamine", "xlwings", "pandas"}

LAYERS = [
    # (modules imported together, libraries they must not pull in)
    (["xlsuite.scoring", "xlsuite.validation"], EXCEL_LIBRARIES),
    (["xlsuite.forms"], EXCEL_LIBRARIES),
    # text, forms and wording are pure: python-docx loads only when a document is written
    (["xlsuite.report", "xlsuite.report.text", "xlsuite.report.forms"], {"docx"}),
]


def _loaded_top_level_modules(modules: list[str]) -> set[str]:
    """Top-level names in ``sys.modules`` after importing ``modules`` in a fresh interpreter."""
    code = (f"import sys, {', '.join(modules)}; "
            "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("modules, forbidden", LAYERS, ids=[", ".join(m) for m, _ in LAYERS])
def test_pure_layers_import_no_excel_or_word_library(modules, forbidden):
    assert _loaded_top_level_modules(modules) & forbidden == set()
