"""The desktop-Excel path of the plan writer: sheets laid out by the file writer, copied in.

Desktop Excel is not on the test machine, so a stand-in records the xlwings calls
``plan_writer.import_plans`` makes (open the temporary workbook, delete, copy, close) and keeps
what each copy would bring: the worksheet of the temporary file, as openpyxl reads it. The
checks: the sheets Excel would receive are the very sheets ``xlsuite score`` writes (values,
merges, fonts, borders, print setup), placed where ``xlsuite score`` places them, replacing
earlier copies; the temporary workbook is closed and deleted even when Excel refuses a copy; and
the number of calls is the same for 5 indicators and for 1,000.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from book_parts import open_book
from conftest import SAMPLE

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.excel import plan_writer
from xlsuite.forms.outputs import form_plans
from xlsuite.forms.scored_book import score_workbook
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook
from xlsuite.template.sample import scaled_sample


def _recorded(name: str) -> property:
    """An application setting of the stand-in whose every read and write is counted, as each
    costs a call into desktop Excel."""
    attr = f"_{name}"

    def get(self):
        self.calls.append(f"get {name}")
        return getattr(self, attr)

    def set_(self, value):
        self.calls.append(f"set {name}")
        setattr(self, attr, value)

    return property(get, set_)


class FakeExcel:
    """Desktop Excel as xlwings shows it to ``import_plans``; ``calls`` lists every call."""

    def __init__(self, sheet_names, refuse_copy=False):
        self.calls: list[str] = []
        self.engine = SimpleNamespace(name="excel")
        self.books = SimpleNamespace(open=self._open)
        self._screen_updating, self._display_alerts = True, True
        self.refuse_copy = refuse_copy
        self.opened: list[SourceBook] = []
        self.book = TargetBook(self, sheet_names)

    def _open(self, path):
        self.calls.append("open")
        self.opened.append(SourceBook(self, Path(path)))
        return self.opened[-1]

    screen_updating = _recorded("screen_updating")
    display_alerts = _recorded("display_alerts")


class Sheets:
    def __init__(self, sheets):
        self._sheets = sheets

    def __iter__(self):
        return iter(list(self._sheets))

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._sheets[key]
        return next(s for s in self._sheets if s.name == key)


class TargetBook:
    def __init__(self, app, names):
        self.app = app
        self.list = [TargetSheet(self, name) for name in names]

    @property
    def sheets(self):
        self.app.calls.append("sheets")
        return Sheets(self.list)

    def activate(self):
        self.app.calls.append("activate")

    @property
    def names(self):
        return [s.name for s in self.list]


class TargetSheet:
    def __init__(self, book, name, content=None):
        self.book, self.name, self.content = book, name, content

    def delete(self):
        self.book.app.calls.append("delete")
        self.book.list.remove(self)


class SourceBook:
    def __init__(self, app, path):
        self.app, self.path, self.closed = app, path, False
        self.workbook = open_book(path)
        self.sheets = Sheets([SourceSheet(self, ws) for ws in self.workbook.worksheets])

    def close(self):
        self.app.calls.append("close")
        self.closed = True


class SourceSheet:
    def __init__(self, book, ws):
        self.book, self.ws, self.name = book, ws, ws.title

    def copy(self, before=None, after=None):
        app = self.book.app
        app.calls.append("copy")
        if app.refuse_copy:
            raise RuntimeError("Copy method of Worksheet class failed")
        target = (before or after).book
        assert self.name not in target.names  # Excel would rename it "… (2)"
        at = target.list.index(before) if before is not None else target.list.index(after) + 1
        target.list.insert(at, TargetSheet(target, self.name, self.ws))


def plans_of(path):
    return list(form_plans(evaluate(read_book(path))))


DATA_SHEETS = [c.README_SHEET, c.SUMMARY_SHEET, c.INFO_SHEET, c.BUDGET_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET,
               c.PROBLEM_SHEET, c.WORK_SHEET]
LAST_DATA_SHEET = DATA_SHEETS[-1]
"""Where the buttons place what they generate: after the last sheet the accountant fills (v1.2: 主要工作)."""


def _layout(ws):
    """Everything a printed form is made of, as openpyxl reads it."""
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.has_style or cell.value is not None:
                b = cell.border
                cells[cell.coordinate] = (cell.value, cell.font.name, cell.font.sz, cell.font.b,
                                          cell.alignment.horizontal, cell.alignment.wrap_text,
                                          cell.number_format, b.left.style, b.top.style)
    return (cells, sorted(str(m) for m in ws.merged_cells.ranges),
            {k: d.width for k, d in ws.column_dimensions.items()},
            {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.scale,
            ws.print_title_rows, [b.id for b in ws.row_breaks.brk], ws.oddFooter.center.text)


def test_desktop_gets_the_sheets_xlsuite_score_writes_in_its_places(tmp_path):
    excel = FakeExcel([*DATA_SHEETS, c.META_SHEET, "_lists"])
    plan_writer.import_plans(excel.book, plans_of(SAMPLE), after_sheet=LAST_DATA_SHEET)
    filed = open_book(score_workbook(SAMPLE, tmp_path / "batch.xlsx").path)
    assert excel.book.names == filed.sheetnames
    for name in c.GENERATED_SHEETS:
        copied = next(s for s in excel.book.list if s.name == name).content
        assert _layout(copied) == _layout(filed[name]), name
    department = _layout(filed[c.DEPARTMENT_FORM_SHEET])
    assert department[1] and int(department[4]) == 9  # merged, on A4 (paper size 9): a real form
    # Excel is left as it was found, with no temporary workbook open or on disk.
    source = excel.opened[0]
    assert source.closed and not source.path.exists()
    assert (excel._screen_updating, excel._display_alerts) == (True, True)


def test_desktop_replaces_earlier_forms_where_they_stand():
    generated = [c.FINDINGS_SHEET, c.DEPARTMENT_FORM_SHEET, c.PROJECT_FORM_SHEET]
    excel = FakeExcel([*DATA_SHEETS, *generated, c.META_SHEET])
    old = {s.name: s for s in excel.book.list}
    plan_writer.import_plans(excel.book, plans_of(SAMPLE), after_sheet=LAST_DATA_SHEET)
    # 得分对照, new to this book, goes after the plan before it (校验结果).
    assert excel.book.names == [*DATA_SHEETS, c.FINDINGS_SHEET, c.SCORE_CHECK_SHEET, c.DEPARTMENT_FORM_SHEET,
                                c.PROJECT_FORM_SHEET, c.META_SHEET]
    assert all(s is not old[s.name] and s.content is not None for s in excel.book.list
               if s.name in generated)
    assert excel.calls.count("delete") == 3 and excel.calls.count("copy") == 4


def test_a_refused_copy_still_closes_and_deletes_the_temporary_workbook():
    excel = FakeExcel([*DATA_SHEETS], refuse_copy=True)
    with pytest.raises(RuntimeError):
        plan_writer.import_plans(excel.book, plans_of(SAMPLE), after_sheet=LAST_DATA_SHEET)
    source = excel.opened[0]
    assert source.closed and not source.path.exists()
    assert (excel._screen_updating, excel._display_alerts) == (True, True)


@pytest.mark.slow  # runs score on a book of 1,000 indicators
def test_desktop_calls_are_as_many_for_1000_indicators_as_for_5(tmp_path):
    counts = []
    for name, book in (("small", scaled_sample(1, 5)), ("big", scaled_sample(50, 20))):
        path = build_workbook(tmp_path / f"{name}.xlsx", book)
        excel = FakeExcel([*DATA_SHEETS, c.META_SHEET])
        plan_writer.import_plans(excel.book, plans_of(path), after_sheet=LAST_DATA_SHEET)
        counts.append(excel.calls)
    assert counts[0] == counts[1]
    assert len(counts[0]) <= 20, counts[0]


def test_only_desktop_excel_takes_the_copy_path():
    assert plan_writer.is_desktop(FakeExcel([]).book)
    assert not plan_writer.is_desktop(SimpleNamespace(app=SimpleNamespace(engine=SimpleNamespace(name="remote"))))
    assert not plan_writer.is_desktop(object())
