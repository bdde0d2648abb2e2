"""A county's consolidation keeps nothing per department in the main process (issue 18), and
loses nothing by streaming: the summary read back holds exactly what each book holds."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xlsuite import consolidate
from xlsuite.core.evaluation import evaluate
from xlsuite.county import summary as s
from xlsuite.county.sheet import HEADER_ROW
from xlsuite.demo.data import department
from xlsuite.files.discover import find_workbooks
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook

REPO = Path(__file__).resolve().parents[1]

CODE = b"307001"
"""The sample's 单位编码, also the stem of its project codes (all in its shared strings)."""


def _county(folder: Path, sample: Path, n: int, code: bytes = CODE) -> Path:
    """``n`` copies of ``sample``, each its own unit: the 单位编码 ``code`` (and so the project
    codes) changed, the rest as it is."""
    folder.mkdir()
    with zipfile.ZipFile(sample) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    for i in range(n):
        new = f"{700000 + i}".encode()
        with zipfile.ZipFile(folder / f"{i:05d}.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts:
                out.writestr(info, data.replace(code, new) if info.filename == "xl/sharedStrings.xml" else data)
    return folder


def _rows(path: Path, sheet: str) -> list[dict]:
    """A summary sheet's data rows (its total rows, which have no 单位编码, left out)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    header = grid[HEADER_ROW]
    rows = [dict(zip(header, r, strict=True)) for r in grid[HEADER_ROW + 1:]]
    return [r for r in rows if r["单位编码"]]


def _growth(folder: Path, out: Path) -> int:
    """The most the main process held while it read the books of ``folder`` and wrote their
    summary, over what it held when the first book came in (bytes): so not counting the list of
    files to read, which finding them made (sorted, as text: the input itself, some hundred
    bytes a file)."""
    held_at_first = []

    def progress(done: int, total: int) -> None:
        if not held_at_first:
            tracemalloc.reset_peak()
            held_at_first.append(tracemalloc.get_traced_memory()[0])

    tracemalloc.start()
    try:
        consolidate([folder], out, workers=2, progress=progress)
        return tracemalloc.get_traced_memory()[1] - held_at_first[0]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # consolidates two counties to measure memory
def test_the_main_process_does_not_grow_with_the_number_of_departments(tmp_path):
    """Books with nothing to return: a unit returned (退回清单, its 审核意见) is still remembered
    by the main process, which these do not measure."""
    small_book = tmp_path / "单位.xlsx"
    build_workbook(small_book, department(random.Random(3), "600000", "永昌县某局", "永昌县某局", set()))
    few = _county(tmp_path / "200", small_book, 200, b"600000")
    many = _county(tmp_path / "2000", small_book, 2000, b"600000")
    # Outside the measure: imports and first-use caches, and the interpreter's own tables sized
    # for as many file names (pathlib interns each name; CPython's table of interned strings
    # then grows once, by about a megabyte, and never shrinks).
    consolidate([few], tmp_path / "warm.xlsx", workers=2)
    find_workbooks([many])
    small, large = _growth(few, tmp_path / "few.xlsx"), _growth(many, tmp_path / "many.xlsx")
    # Each department once cost the main process some 60 KB to the end (its record and its
    # rendered rows): 2,000 held 120 MB. What it holds now is the summary being written and the
    # results not yet taken (a few batches, each result one pickled bytes object of its rows).
    assert large <= 1.2 * small, f"{small / 2**10:,.0f} KiB for 200 books, {large / 2**10:,.0f} KiB for 2,000"


def test_the_streamed_summary_holds_every_book_whole(tmp_path, sample_path):
    folder = _county(tmp_path / "县", sample_path, 40)
    out = tmp_path / "汇总.xlsx"
    result = consolidate([folder], out, workers=2)
    books = [evaluate(read_book(p)) for p in sorted(folder.glob("*.xlsx"))]
    assert len(result.departments) == len(books) == 40

    def code(e):
        return e.book.info.unit_code

    assert sorted((r["单位编码"], r["单位名称"], r["自评得分"]) for r in _rows(out, s.DEPARTMENTS)) == sorted(
        (code(e), e.book.info.unit_name, float(e.score.department.total)) for e in books)
    assert sorted((r["单位编码"], r["项目编码"], r["全年执行数"]) for r in _rows(out, s.PROJECTS)) == sorted(
        (code(e), p.code, float(p.total.executed)) for e in books for p in e.book.projects)
    assert sorted((r["单位编码"], r["评价对象"], r["三级指标"], r["得分"]) for r in _rows(out, s.INDICATORS)) == sorted(
        (code(e), i.indicator.subject, i.indicator.level3, float(i.score))
        for e in books for subject in e.score.subjects() for i in subject.indicators)
    assert sorted((r["单位编码"], r["规则编号"], r["问题说明"]) for r in _rows(out, s.FINDINGS)) == sorted(
        (code(e), f.rule_id, f.message) for e in books for f in e.findings)
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(s.DEPARTMENTS).to_python()
    total = dict(zip(grid[HEADER_ROW], grid[-1], strict=True))
    assert total["支出合计"] == math.fsum(float(e.amounts["structure.total"][2]) for e in books)  # as Excel adds
    assert total["项目数"] == sum(len(e.book.projects) for e in books)


def _varied_county(folder: Path, n: int) -> Path:
    """``n`` books of the demo county's generator: names, projects and findings of every length."""
    from xlsuite.demo.data import units

    folder.mkdir()
    rng = random.Random(7)
    for i, (name, supervisor) in enumerate(units(rng, n)):
        build_workbook(folder / f"{i:03d}.xlsx", department(rng, f"{610000 + i}", name, supervisor, set()))
    return folder


def _sheets_xml(path: Path) -> dict[str, bytes]:
    """Every part of a summary but its two timestamps (docProps, and 汇总说明's 汇总时间)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist() if name != "docProps/core.xml"}
    parts["xl/sharedStrings.xml"] = re.sub(rb"<t>\d{4}-\d\d-\d\d \d\d:\d\d</t>", b"<t>TIME</t>",
                                           parts["xl/sharedStrings.xml"])
    return parts


@pytest.mark.slow  # consolidates in fresh worker processes
def test_workers_started_afresh_render_the_summary_a_single_worker_does(tmp_path):
    """The workers render each department's rows with the layouts (style numbers, column
    widths) of the main process's book, which a worker started afresh (``spawn``: Windows, and
    Python 3.14's default) is given pickled; each worker measures only its own books' texts. Two
    such workers write the very summary one forked worker writes."""
    folder = _varied_county(tmp_path / "县", 12)
    outs = {}
    for method, workers in (("spawn", 2), ("fork", 1)):
        outs[method] = tmp_path / f"{method}.xlsx"
        script = ("import multiprocessing, sys\n"
                  "from xlsuite.county import consolidate\n"
                  f"multiprocessing.set_start_method({method!r})\n"
                  f"consolidate([sys.argv[1]], sys.argv[2], workers={workers})\n")
        done = subprocess.run([sys.executable, "-c", script, str(folder), str(outs[method])],
                              capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stderr
    spawned, single = _sheets_xml(outs["spawn"]), _sheets_xml(outs["fork"])
    assert spawned.keys() == single.keys()
    assert [name for name in spawned if spawned[name] != single[name]] == []
    assert len(_rows(outs["spawn"], s.INDICATORS)) > 12 * 10
    assert _cut_texts(outs["spawn"]) == []


def _cut_texts(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, column, text) of each unwrapped text cell of the per-department sheets that its
    column is too narrow to show whole (up to the widest a column is made to fit)."""
    import openpyxl

    from xlsuite.county.sheet import MAX_FIT_WIDTH, TEXT
    from xlsuite.layout import textwidth

    wb = openpyxl.load_workbook(path, read_only=False)
    cut = []
    for name, (_, cols, wrap, _) in s.TABLES.items():
        ws = wb[name]
        for i, col in enumerate(cols):
            if col.kind != TEXT or i in wrap:
                continue
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
            for (value,) in ws.iter_rows(min_row=HEADER_ROW + 2, min_col=i + 1, max_col=i + 1, values_only=True):
                if isinstance(value, str) and min(textwidth.columns(value), MAX_FIT_WIDTH) > width:
                    cut.append((name, col.header, value))
    return cut


def test_the_main_process_renders_no_department_row(tmp_path, monkeypatch):
    """Rendering a department's rows is a worker's job: the main process, which also writes the
    summary, would otherwise take a third busy process onto two cores."""
    import multiprocessing

    folder = _varied_county(tmp_path / "县", 10)
    rendered_here = []
    real = s.DepartmentRows.pack

    def counted(self, d):
        rendered_here.append(d.path)  # in a worker, its own copy of the list
        return real(self, d)

    monkeypatch.setattr(s.DepartmentRows, "pack", counted)
    previous = multiprocessing.get_start_method()
    multiprocessing.set_start_method("fork", force=True)  # the workers run the counted one too
    try:
        result = consolidate([folder], tmp_path / "汇总.xlsx", workers=2)
    finally:
        multiprocessing.set_start_method(previous, force=True)
    assert len(result.departments) == 10
    assert rendered_here == []


def _without_apart(monkeypatch) -> None:
    """Summaries written here assemble every sheet in this process (as off Linux)."""
    from xlsuite.adapters import xlsxwriter_internals as xw

    monkeypatch.setattr(s, "can_assemble_apart", lambda: False)
    monkeypatch.setattr(xw, "can_assemble_apart", lambda: False)


@pytest.mark.slow  # consolidates twice, in workers and in one process
def test_sheets_assembled_apart_make_the_very_summary_one_process_makes(tmp_path, monkeypatch):
    """The largest sheets are assembled and deflated by forked children while the main process
    writes the rest (a tenth of a county's time, spent after every book is read): the package
    is byte for byte the one written without them, but for its timestamps."""
    from xlsuite.adapters import xlsxwriter_internals as xw

    folder = _varied_county(tmp_path / "县", 12)
    forked = []
    real = xw._Apart.start
    monkeypatch.setattr(xw._Apart, "start", lambda *a: forked.append(real(*a)) or forked[-1])
    consolidate([folder], tmp_path / "apart.xlsx", workers=2)
    assert [a.pid is not None for a in forked] == [True, True]
    _without_apart(monkeypatch)
    consolidate([folder], tmp_path / "alone.xlsx", workers=2)
    apart, alone = _sheets_xml(tmp_path / "apart.xlsx"), _sheets_xml(tmp_path / "alone.xlsx")
    assert apart.keys() == alone.keys()
    assert [name for name in apart if apart[name] != alone[name]] == []
    with zipfile.ZipFile(tmp_path / "apart.xlsx") as a, zipfile.ZipFile(tmp_path / "alone.xlsx") as b:
        # (docProps/core.xml holds the time of writing, which deflates a byte longer or shorter)
        def entries(zf):
            return [(i.filename, i.date_time, i.external_attr, i.flag_bits,
                     i.compress_size if i.filename != "docProps/core.xml" else None) for i in zf.infolist()]
        assert entries(a) == entries(b)


@pytest.mark.slow  # consolidates with a worker process made to fail
def test_a_sheet_whose_child_fails_is_assembled_by_the_main_process(tmp_path, monkeypatch):
    from xlsuite.adapters import xlsxwriter_internals as xw

    folder = _varied_county(tmp_path / "县", 10)

    def broken(*args):
        raise OSError("disk full")  # in the child, which has this patched copy

    monkeypatch.setattr(xw, "deflate_file", broken)
    finished = []
    real = xw._Apart.finish
    monkeypatch.setattr(xw._Apart, "finish", lambda self: finished.append(real(self)) or finished[-1])
    consolidate([folder], tmp_path / "apart.xlsx", workers=2)
    assert finished == [None, None]  # both children failed; both sheets were assembled here
    monkeypatch.undo()
    _without_apart(monkeypatch)
    consolidate([folder], tmp_path / "alone.xlsx", workers=2)
    apart, alone = _sheets_xml(tmp_path / "apart.xlsx"), _sheets_xml(tmp_path / "alone.xlsx")
    assert [name for name in apart if apart[name] != alone[name]] == []
    assert xw._APART == {}
