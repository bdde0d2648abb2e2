from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "workbook_templates"
SAMPLE = TEMPLATES / "samples" / "永昌县工信局-2021.xlsx"
PROFILES = Path(__file__).parent / "data" / "profiles"
"""One test profile per rule family a province may choose (banded scores, whole points, …)."""

# Test helpers (LibreOffice runner, workbook fillers) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

FAST_FORMULA_BOOKS = 2
"""Books per profile the formula differential (test_formulas_differential.py) draws in the fast
tier, ``pytest -m "not slow"``: one LibreOffice launch per profile still proves the formulas
recalculate, in seconds. A run of every test (CI) draws ``XLSUITE_FORMULA_BOOKS``, default 100."""


def pytest_configure(config):
    # The fast tier is named by its -m expression; an XLSUITE_FORMULA_BOOKS of one's own still wins.
    if "not slow" in (config.getoption("markexpr") or ""):
        os.environ.setdefault("XLSUITE_FORMULA_BOOKS", str(FAST_FORMULA_BOOKS))


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """A fresh build of the template and samples, as ``xlsuite template`` makes them."""
    from xlsuite.template.build import build_template
    from xlsuite.template.sample import build_samples

    out = tmp_path_factory.mktemp("built")
    build_template(out)
    build_samples(out)
    return out


@pytest.fixture(scope="session")
def template_path(built_dir) -> Path:
    return built_dir / "预算绩效自评模板.xlsx"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """``xlsuite demo``'s county, generated and consolidated once for every test module that
    needs it: (``DemoCounty``, ``ConsolidationResult``)."""
    from xlsuite.demo.county import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "演示 县")


@pytest.fixture(scope="session")
def written(tmp_path_factory, sample_path, demo_run) -> dict:
    """Command → the workbooks and Word files it wrote (``tests/writers.py``), made once for the
    tests that check them as files."""
    from writers import written_by_command

    return written_by_command(tmp_path_factory.mktemp, sample_path, demo_run)


@pytest.fixture(scope="session")
def odd_written(tmp_path_factory, sample_path) -> list:
    """The odd books and what xlsuite writes of them (``writers.odd_written``)."""
    from writers import odd_written

    return odd_written(tmp_path_factory.mktemp("odd"), sample_path)
