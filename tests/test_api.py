"""The Python API a script uses: ``import xlsuite`` and the names in ``xlsuite.__all__``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from book_parts import open_book

import xlsuite
from xlsuite.county import summary as s

REPO = Path(__file__).resolve().parents[1]


def test_api_reference_is_generated_from_the_docstrings():
    from xlsuite.docgen.api_doc import render_api_markdown

    committed = (REPO / "docs" / "api.md").read_text("utf-8")
    assert committed == render_api_markdown(), "run: python -m xlsuite.docgen.api_doc > docs/api.md"


def test_every_exported_name_resolves_and_is_documented():
    for name in xlsuite.__all__:
        obj = getattr(xlsuite, name)
        if name != "__version__":
            assert (obj.__doc__ or "").strip(), name
    with pytest.raises(AttributeError):
        xlsuite.no_such_name  # noqa: B018


def test_import_xlsuite_loads_no_excel_or_word_library():
    code = "import sys, xlsuite; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for library in ("openpyxl", "xlsxwriter", "python_calamine", "xlwings", "pandas", "docx"):
        assert f"'{library}'" not in loaded, library


def test_a_script_reads_evaluates_and_scores_a_book(sample_path, tmp_path):
    book = xlsuite.read_book(sample_path)
    evaluation = xlsuite.evaluate(book)
    assert evaluation.counts()["错误"] == 1 == len(evaluation.errors)
    scored = xlsuite.score_workbook(sample_path, tmp_path / "评分.xlsx")
    assert scored.score == evaluation.score and scored.findings == evaluation.findings


@pytest.mark.slow  # consolidates a county
def test_to_frames_holds_what_the_summary_sheets_show(sample_path, tmp_path):
    from xlsuite.demo.county import generate_county

    county = generate_county(tmp_path / "county", count=12)
    result = xlsuite.consolidate([county.submissions], tmp_path / "汇总.xlsx", roster=county.roster, workers=1)
    frames = xlsuite.to_frames(result)
    assert set(frames) == {"departments", "projects", "indicators", "findings", "rejected", "missing",
                           "unlisted", "returns"}
    assert len(frames["unlisted"]) == len(result.unlisted) and len(frames["returns"]) == len(result.returns) > 0
    departments = frames["departments"]
    assert len(departments) == len(result.departments) and len(frames["rejected"]) == len(result.rejected)
    assert len(frames["missing"]) == len(result.missing) > 0
    assert len(frames["findings"]) == sum(len(d.issues) for d in result.departments)
    assert len(frames["indicators"]) == sum(len(d.indicators) for d in result.departments)

    # The same score per unit as the written 部门自评汇总 (the frame is no second computation).
    ws = open_book(result.output)[s.DEPARTMENTS]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "单位编码" in row and "自评得分" in row)
    code_col, score_col = rows[header].index("单位编码"), rows[header].index("自评得分")
    written = {row[code_col]: row[score_col] for row in rows[header + 1:]
               if row[code_col] and isinstance(row[score_col], int | float)}
    framed = dict(zip(departments["单位编码"], departments["自评得分"], strict=True))
    assert written == pytest.approx(framed)


def test_every_public_name_is_the_name_of_what_it_calls():
    # score_workbook once called score_book_file, write_feedback feedback: a traceback, a search
    # or a profiler then showed a name the script never used.
    for name in set(xlsuite.__all__) - {"__version__"}:
        assert getattr(xlsuite, name).__name__ == name, name


@pytest.mark.parametrize("given", ["path", "text path", "profile", "none"])
def test_every_use_case_takes_a_profile_the_same_way(given, sample_path, tmp_path):
    from xlsuite.core.profile import load_profile

    national = REPO / "xlsuite" / "profiles" / "national.toml"
    profile = {"path": national, "text path": str(national), "profile": load_profile(national), "none": None}[given]
    run = xlsuite.validate_workbooks([sample_path], profile)
    assert run.books and not run.skipped
    scored = xlsuite.score_workbook(sample_path, tmp_path / "评分.xlsx", profile)
    assert scored.path.exists()
    assert xlsuite.write_report(sample_path, tmp_path / "报告.docx", profile=profile).exists()
    summary = xlsuite.consolidate([sample_path], tmp_path / "汇总.xlsx", profile=profile)
    assert len(summary.departments) == 1 and summary.profile == load_profile().name


def test_the_printed_scores_are_reconciled_once_per_scored_book(sample_path, tmp_path, monkeypatch):
    from xlsuite.core import evaluation
    from xlsuite.core.scoring import reconcile

    calls = []
    real = reconcile.printed_scores

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reconcile, "printed_scores", counted)
    monkeypatch.setattr(evaluation, "printed_scores", counted)
    xlsuite.score_workbook(sample_path, tmp_path / "评分.xlsx")
    assert len(calls) == 1
