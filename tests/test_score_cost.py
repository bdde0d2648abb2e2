"""The shape of what ``xlsuite score`` (and so 评分 / 生成自评表) costs as a book grows.

Laying out the forms with openpyxl was quadratic in the merges (each ``merge_cells`` checks every
earlier range) and paid for hashing style objects on every cell: a 200-project book took minutes.
These tests count what the writer does, so such a path comes back as a failure, not a slow CI.
"""

from __future__ import annotations

import zipfile

import pytest
from openpyxl.styles.styleable import StyleDescriptor
from openpyxl.worksheet.worksheet import Worksheet

from xlsuite.core.evaluation import evaluate
from xlsuite.forms.outputs import form_plans
from xlsuite.forms.scored_book import score_workbook
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook
from xlsuite.template.sample import scaled_sample

pytestmark = pytest.mark.slow  # scores books of hundreds of projects to measure the cost's shape


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cost")
    small, big = folder / "p5.xlsx", folder / "p200.xlsx"
    build_workbook(small, scaled_sample(5, 20))
    build_workbook(big, scaled_sample(200, 20))
    return small, big


def _count_writer_calls(monkeypatch, book, out):
    counts = {"merge_cells": 0, "style objects set": 0}
    merge, style_set = Worksheet.merge_cells, StyleDescriptor.__set__

    def counting_merge(self, *args, **kwargs):
        counts["merge_cells"] += 1
        return merge(self, *args, **kwargs)

    def counting_style(self, instance, value):
        counts["style objects set"] += 1
        return style_set(self, instance, value)

    monkeypatch.setattr(Worksheet, "merge_cells", counting_merge)
    monkeypatch.setattr(StyleDescriptor, "__set__", counting_style)
    score_workbook(book, out)
    monkeypatch.undo()
    return counts


def test_style_and_merge_work_does_not_grow_with_the_projects(books, tmp_path, monkeypatch):
    small, big = books
    few = _count_writer_calls(monkeypatch, small, tmp_path / "small.xlsx")
    many = _count_writer_calls(monkeypatch, big, tmp_path / "big.xlsx")
    assert few["merge_cells"] == many["merge_cells"] == 0  # merges are set at once, not one by one
    # style objects are assigned once per style and sheet; every other cell copies the style ids
    assert many["style objects set"] == few["style objects set"]


def test_a_200_project_scored_book_has_every_merge_and_few_distinct_styles(books, tmp_path):
    _, big = books
    out = score_workbook(big, tmp_path / "big.xlsx").path
    plans = form_plans(evaluate(read_book(big)))
    with zipfile.ZipFile(out) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
        sheets = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    merges = sum(s.count("<mergeCell ") for s in sheets)
    assert merges >= sum(len(p.merges) for p in plans) > 200 * 10
    cell_xfs = styles.split("<cellXfs", 1)[1].split("</cellXfs>", 1)[0].count("<xf ")
    assert cell_xfs < 200  # the template's own and the forms' styles, not one per cell
