"""The shape of what ``xlsuite report`` costs as a book grows: linear in projects.

Drawing the appendix (one 项目支出绩效自评表 a project) looked up each merged range by scanning all
of the plan's merges, and python-docx searched the whole document body for its final section on
every appended paragraph and table: 1,000 projects took 60 s, 3,000 projects 338 s. These tests
count the work, so such a path comes back as a failure, not as a slow CI
(``benchmarks/report.py`` gives the times).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docx.oxml.xmlchemy import BaseOxmlElement

import xlsuite.report.docx_plan as docx_plan
from xlsuite.adapters import docx_oxml as dx
from xlsuite.core.evaluation import evaluate
from xlsuite.core.profile import national_profile
from xlsuite.report.docx_template import report_template_document
from xlsuite.report.forms import appendix_forms
from xlsuite.template.sample import scaled_sample

pytestmark = pytest.mark.slow  # writes reports of many projects to measure the cost's shape

TRACED = (str(Path(docx_plan.__file__).parent), str(Path(dx.__file__).parent))
"""The report's drawing code and its python-docx adapter: their Python lines are counted
(python-docx's own work per cell is the same in any book)."""


def _draw(projects: int, monkeypatch) -> dict[str, int]:
    """Draw the appendix of a ``projects``-project book, counting the Python lines run in the
    report's code, and the searches of the document body's children."""
    book = scaled_sample(projects, 1)
    evaluation = evaluate(book, national_profile())
    plans = appendix_forms(book, evaluation.score)
    doc = report_template_document()
    body = doc.element.body
    counts = {"lines": 0, "body searches": 0}
    find, xpath = BaseOxmlElement.find, BaseOxmlElement.xpath

    def counting_find(self, *args, **kwargs):
        counts["body searches"] += self is body
        return find(self, *args, **kwargs)

    def counting_xpath(self, *args, **kwargs):
        counts["body searches"] += self is body or self is doc.element
        return xpath(self, *args, **kwargs)

    def lines(frame, event, arg):
        if event == "line":
            counts["lines"] += 1
        return lines

    def calls(frame, event, arg):
        return lines if frame.f_code.co_filename.startswith(TRACED) else None

    monkeypatch.setattr(BaseOxmlElement, "find", counting_find)
    monkeypatch.setattr(BaseOxmlElement, "xpath", counting_xpath)
    sys.settrace(calls)
    try:
        for plan in plans:
            docx_plan.DocxPlanWriter(doc).write_plans([plan])
    finally:
        sys.settrace(None)
        monkeypatch.undo()
    return counts


@pytest.fixture(scope="module")
def costs():
    with pytest.MonkeyPatch.context() as monkeypatch:
        return {n: _draw(n, monkeypatch) for n in (20, 80)}


def test_the_appendix_costs_the_same_per_project_however_many_there_are(costs):
    small, big = costs[20], costs[80]
    # four times the projects: four times the lines run (a constant part makes it a little less);
    # a scan of every merge per cell made it nearly 8 times, and more the bigger the book.
    assert big["lines"] / small["lines"] < 4.2, (small, big)


def test_appending_to_the_report_never_searches_the_whole_body(costs):
    """A search of the body per appended table or paragraph is a scan of everything drawn so far."""
    small, big = costs[20], costs[80]
    assert big["body searches"] == small["body searches"], (small, big)
