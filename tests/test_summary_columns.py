"""A column of the county summary is declared once (``xlsuite/county/columns.py``): adding one
there is the whole edit. The summary sheet, the workers' records, the store, ``to_frames`` and
the summary's reader all take it from the declaration."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import xlsuite
from xlsuite.core import contract as c
from xlsuite.county import columns
from xlsuite.county import headers as h
from xlsuite.demo.data import department
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook

CATEGORY = c.PROJECT_SHEET_DEF.column("category").header
"""项目类别: a field every project record has read from its book, and no summary column shows."""

BEFORE = '    SummaryColumn("budget", h.PROJECT_BUDGET, MONEY, 12, _project_budget),\n'
NEW_COLUMN = '    SummaryColumn("category", _project_header("category"), TEXT, 10, _of_project("category")),\n'
"""The one edit: a 项目类别 column declared before 全年预算数, so that the amount and rate columns
after it move (the row's 执行率 formula must follow them)."""

RUN = """
import json, sys
from xlsuite import consolidate, to_frames
from xlsuite.county import headers as h, summary_reader as sr

folder, out = sys.argv[1:3]
result = consolidate([folder], out, workers=2)
stored = {d.code: [(p.code, p.category) for p in d.projects] for d in result.departments}
frame = to_frames(result)["projects"]
grids = sr.read_sheets(out, (h.PROJECTS,))
read_back = [(r["unit_code"], r["code"], r["category"]) for r in sr.records(out, grids, h.PROJECTS)
             if r["unit_code"]]
print(json.dumps({"stored": stored, "frame_columns": list(frame.columns),
                  "frame": frame[["单位编码", "项目编码", "项目类别"]].values.tolist(), "read_back": read_back}))
"""


def _books(folder: Path, sample_path: Path) -> list[Path]:
    """The committed sample and a generated book whose projects are of several categories."""
    folder.mkdir()
    sample = folder / "样例.xlsx"
    shutil.copy(sample_path, sample)
    book = department(random.Random(3), "500101", "永昌县交通运输局", "永昌县交通运输局", set())
    for p, category in zip(book.projects, ["工程类", "", "企业奖补", "工程类"], strict=False):
        p.category = category
    generated = folder / "500101.xlsx"
    build_workbook(generated, book)
    return [sample, generated]


def _consolidated_with(tmp_path: Path, before: str, new: str, script: str) -> dict:
    """Run ``script`` (given the books' folder and the summary to write) on a copy of the package
    whose column declarations have ``new`` inserted before the line ``before``, the one edit;
    what it printed last, as JSON."""
    src = tmp_path / "src"
    shutil.copytree(Path(xlsuite.__file__).parent, src / "xlsuite", ignore=shutil.ignore_patterns("__pycache__"))
    declaration = src / "xlsuite" / "county" / "columns.py"
    text = declaration.read_text("utf-8")
    assert text.count(before) == 1
    declaration.write_text(text.replace(before, new + before), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "报送"), str(tmp_path / "汇总.xlsx")], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_a_project_column_declared_once_is_in_the_sheet_the_store_the_frames_and_the_reader(tmp_path, sample_path):
    books = _books(tmp_path / "报送", sample_path)
    expected = {(read.info.unit_code, p.code): p.category for read in map(read_book, books) for p in read.projects}
    assert len(set(expected.values()) - {""}) >= 2  # the column has something to show
    seen = _consolidated_with(tmp_path, BEFORE, NEW_COLUMN, RUN)
    out = tmp_path / "汇总.xlsx"

    # The sheet: headed as declared, before 全年预算数, each project's own category, and the
    # row's 执行率 still divides its own 全年执行数 by its own 全年预算数.
    ws = openpyxl.load_workbook(out)[h.PROJECTS]
    header = [cell.value for cell in ws[2]]
    at = {text: i for i, text in enumerate(header)}
    assert header[at[h.PROJECT_BUDGET] - 1] == CATEGORY
    letter = {name: openpyxl.utils.get_column_letter(at[name] + 1)
              for name in (h.PROJECT_BUDGET, h.PROJECT_EXECUTED)}
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=3)]
    shown = {}
    for n, row in enumerate(rows, 3):
        if not row[at[h.UNIT_CODE]]:
            continue
        shown[row[at[h.UNIT_CODE]], row[at[columns.PROJECT[0].header]]] = row[at[CATEGORY]] or ""
        budget, executed = letter[h.PROJECT_BUDGET], letter[h.PROJECT_EXECUTED]
        assert row[at[columns.EXECUTION_RATE]] == f'=IF(N({budget}{n})>0,N({executed}{n})/{budget}{n},"")'
    assert shown == expected
    total = rows[-1]
    assert total[at[h.UNIT_NAME]] == h.TOTAL
    assert total[at[h.PROJECT_BUDGET]].startswith(f"=SUBTOTAL(9,{letter[h.PROJECT_BUDGET]}3:")

    # The store's records, to_frames and the summary's reader.
    assert {(code, p): cat for code, projects in seen["stored"].items() for p, cat in projects} == expected
    assert seen["frame_columns"].index(CATEGORY) == seen["frame_columns"].index(h.PROJECT_BUDGET) - 1
    assert {(code, p): cat for code, p, cat in seen["frame"]} == expected
    assert {(code, p): cat for code, p, cat in seen["read_back"]} == expected


STAFF = "structure.人员经费"
BEFORE_RATE = '    SummaryColumn("rate", EXECUTION_RATE, RATE, 10),  # the sheet: its row\'s formula\n'
NEW_AMOUNT = (f'    SummaryColumn("{STAFF}.executed", "人员经费", MONEY, 12, partial(_amount, "{STAFF}", 1),'
              ' total=True),\n')
"""The one edit: a 部门自评汇总 amount (人员经费, 全年执行数) its total rows add up, before 预算执行率,
so that the columns after it (执行率, 项目数, 自评得分 …) move."""

READ_BACK = """
import json, sys
from xlsuite import consolidate
from xlsuite.county import headers as h, summary_reader as sr

folder, out = sys.argv[1:3]
consolidate([folder], out, workers=2)
grids = sr.read_sheets(out, (h.DEPARTMENTS,))
print(json.dumps([(r["unit_code"], r["structure.人员经费.executed"]) for r in sr.records(out, grids, h.DEPARTMENTS)]))
"""


def test_a_department_amount_declared_once_is_in_the_sheet_its_totals_and_the_reader(tmp_path, sample_path):
    books = _books(tmp_path / "报送", sample_path)
    amounts = {read.info.unit_code: float(xlsuite.evaluate(read).amounts[STAFF][2] or 0)
               for read in map(read_book, books)}
    assert any(amounts.values())
    read_back = _consolidated_with(tmp_path, BEFORE_RATE, NEW_AMOUNT, READ_BACK)
    out = tmp_path / "汇总.xlsx"

    formulas, cached = (openpyxl.load_workbook(out, data_only=data)[h.DEPARTMENTS] for data in (False, True))
    header = [cell.value for cell in formulas[2]]
    at = {text: i for i, text in enumerate(header)}
    assert header[at[columns.EXECUTION_RATE] - 1] == "人员经费"
    rows = list(zip(formulas.iter_rows(min_row=3, values_only=True), cached.iter_rows(min_row=3, values_only=True),
                    strict=True))
    units = {row[at[h.UNIT_CODE]]: row[at["人员经费"]] or 0 for row, _ in rows if row[at[h.UNIT_CODE]]}
    assert units == pytest.approx(amounts)
    assert {code: float(value or 0) for code, value in read_back if code} == pytest.approx(amounts)
    # The 合计 row adds the new column up, and its 自评得分 still averages the (moved) score column.
    total, total_cached = rows[-1]
    letter = {name: openpyxl.utils.get_column_letter(at[name] + 1) for name in ("人员经费", h.SCORE)}
    assert total[at[h.UNIT_NAME]] == h.TOTAL
    assert total[at["人员经费"]].startswith(f"=SUBTOTAL(9,{letter['人员经费']}3:")
    assert total_cached[at["人员经费"]] == pytest.approx(sum(amounts.values()))
    assert total[at[h.SCORE]].startswith(f"=SUBTOTAL(1,{letter[h.SCORE]}3:")
