"""The county summary stays within Excel's limits: a detail sheet longer than a worksheet can be
shows what fits, says how many rows were left out, and a CSV beside the summary lists them all."""

from __future__ import annotations

import csv
import shutil

import openpyxl
from book_parts import open_book

from xlsuite.core import contract as c
from xlsuite.county import consolidate, summary
from xlsuite.county.headers import FINDINGS, INDICATORS
from xlsuite.reader.parse import normalize_label


def test_findings_past_the_sheet_limit_go_to_a_csv_beside_the_summary(tmp_path, sample_path, monkeypatch):
    folder = tmp_path / "报送"
    folder.mkdir()
    for i in range(3):
        wb = open_book(sample_path)
        for row in wb[c.INFO_SHEET].iter_rows():
            if row[0].value and normalize_label(row[0].value) == "单位编码":
                row[1].value = f"90000{i}"
        wb.save(folder / f"单位{i}.xlsx")
    out = tmp_path / "out" / "汇总.xlsx"
    full = consolidate([folder], out, workers=1)
    findings = sum(len(d.issues) for d in full.departments)
    assert findings > 3
    monkeypatch.setattr(summary, "MAX_DETAIL_ROWS", 3)
    consolidate([folder], out, workers=1)
    ws = open_book(out)[FINDINGS]
    rows = [row for row in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in row)]
    assert len(rows) == 4
    note = rows[-1][0]
    assert note.startswith(f"另有 {findings - 3:,} 行未列出（超出 Excel 每个工作表 1,048,576 行的上限）")
    assert "汇总-审核问题清单.csv" in note
    with (out.parent / "汇总-审核问题清单.csv").open(encoding="utf-8-sig", newline="") as f:
        listed = list(csv.reader(f))
    assert len(listed) == findings + 1 and listed[0][0] == "单位编码"
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []
    # the indicators sheet was cut too, and listed in full
    assert (out.parent / f"汇总-{INDICATORS}.csv").exists()


def test_no_summary_sheet_is_past_excels_grid(tmp_path, sample_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copyfile(sample_path, folder / "a.xlsx")
    out = tmp_path / "汇总.xlsx"
    consolidate([folder], out, workers=1)
    for ws in openpyxl.load_workbook(out, read_only=True).worksheets:
        if hasattr(ws, "max_row"):
            assert ws.max_row <= summary.EXCEL_MAX_ROWS and ws.max_column <= 16_384
