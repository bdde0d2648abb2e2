"""Every workbook xlsuite writes is within Excel's specification (``xlsuite.excel_limits``).

Each ``xlsuite`` command either writes workbooks, and is run here into a folder of its own whose
every .xlsx/.xlsm/.xlam is then checked, or is named in ``NO_WORKBOOK`` with what it writes
instead: a new command fails ``test_every_command_is_run_or_writes_no_workbook`` until it is put
in one or the other, so no writer escapes the check. What the checker finds is printed as
``part!cell: limit (found)``.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from xlsuite import cli
from xlsuite.excel_limits import check_file

WORKBOOKS = ("*.xlsx", "*.xlsm", "*.xlam")


def _run(*argv: str) -> None:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = cli.main(list(argv))
    assert code in (0, 1), (argv, code, err.getvalue())  # 1: the book has findings, still written


def _template(out: Path, sample: Path, demo) -> None:
    _run("template", "-o", str(out))  # the .xlsx, the .xlsm with its buttons, and the sample


def _score(out: Path, sample: Path, demo) -> None:
    _run("score", str(sample), "-o", str(out / "评分.xlsx"))  # the book with forms and 校验结果


def _addin(out: Path, sample: Path, demo) -> None:
    _run("addin", "install", "--dir", str(out))  # the .xlam


def _demo(out: Path, sample: Path, demo) -> None:
    """The demo county (shared with test_demo.py): the department books it generates, the county
    summary and the 审核意见 that ``consolidate`` writes, all but the odd files it makes broken on
    purpose (a truncated download, an .xls, …)."""
    county, result = demo
    for path in county.folder.rglob("*"):
        if path.is_file() and path not in county.bad and path.suffix in (".xlsx", ".xlsm", ".xlam"):
            target = out / path.relative_to(county.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


RUNS = {"template": _template, "score": _score, "addin": _addin, "demo": _demo,
        # ``xlsuite demo`` runs consolidate and feedback: the summary and the 审核意见 it writes are
        # theirs (tests/test_fuzz.py checks the summary of the fuzzed books too).
        "consolidate": _demo, "feedback": _demo}
"""Command → how to make it write its workbooks into a folder."""

NO_WORKBOOK = {
    "read": "prints what it reads",
    "validate": "prints the findings",
    "report": "writes a Word report (.docx)",
    "bundle": "writes the add-in and the templates with addin's and template's builders (build_addin, "
              "build_template, build_macro_template, build_samples), checked through those commands",
    "serve": "answers edits over HTTP; writes no file",
}
"""Commands that write no workbook of their own, and what they write instead."""


def test_every_command_is_run_or_writes_no_workbook():
    _, commands = cli.build_parser_with_commands()
    assert set(RUNS) | set(NO_WORKBOOK) == set(commands)
    assert not set(RUNS) & set(NO_WORKBOOK)


@pytest.fixture(scope="module")
def written(tmp_path_factory, sample_path, demo_run) -> dict[str, list[Path]]:
    """Command → the workbooks it wrote."""
    made = {}
    for name, run in RUNS.items():
        out = tmp_path_factory.mktemp(name)
        run(out, sample_path, demo_run)
        made[name] = sorted(p for pattern in WORKBOOKS for p in out.rglob(pattern))
    return made


@pytest.mark.parametrize("command", sorted(RUNS))
def test_each_command_writes_workbooks_within_excels_limits(written, command):
    assert written[command], f"{command} wrote no workbook"
    found = {path.name: [str(v) for v in check_file(path)] for path in written[command]}
    assert {name: v for name, v in found.items() if v} == {}


def test_every_kind_of_workbook_is_among_them(written):
    """The template (.xlsx and .xlsm), the sample, a scored book, the add-in, the county summary
    and the 审核意见: each kind xlsuite writes is checked, not only the sample."""
    names = [p.name for paths in written.values() for p in paths]
    suffixes = {Path(n).suffix for n in names}
    assert suffixes == {".xlsx", ".xlsm", ".xlam"}
    assert any("汇总" in n for n in names) and any("审核意见" in str(p) for paths in written.values() for p in paths)
    assert any(n.endswith("评分.xlsx") for n in names)


def test_a_book_with_a_damaged_theme_scores_into_a_well_formed_copy(tmp_path, sample_path):
    """No reader reads the theme, so such a book is accepted; its scored copy used to carry the
    damaged part (found by the fuzz campaign), which Excel offers to repair."""
    import zipfile

    damaged = tmp_path / "坏主题.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[:-40] + b"<<" + data[-40:] if info.filename == "xl/theme/theme1.xml" else data)
    assert any("theme" in v.part for v in check_file(damaged))
    _run("score", str(damaged), "-o", str(tmp_path / "评分.xlsx"))
    assert check_file(tmp_path / "评分.xlsx") == []


def _odd_books(folder: Path, sample: Path) -> list[Path]:
    """The sample as units that are common and odd at once: one with basic spending only (no
    projects, so 部门整体 indicators only), one with no indicators, one with no amounts at all."""
    import copy

    from xlsuite import contract as c
    from xlsuite.model import Amounts
    from xlsuite.reader import read_book
    from xlsuite.template import build_workbook

    seed = read_book(sample)
    books = {}
    books["无项目"] = copy.deepcopy(seed)
    books["无项目"].projects = []
    books["无项目"].indicators = [i for i in seed.indicators if i.subject == c.WHOLE_DEPARTMENT]
    books["无指标"] = copy.deepcopy(seed)
    books["无指标"].indicators = []
    books["无金额"] = copy.deepcopy(seed)
    for line in books["无金额"].budget.values():
        line.amounts = Amounts()
    for project in books["无金额"].projects:
        project.total = project.fiscal = project.carryover = project.other = Amounts()
    folder.mkdir()
    for n, (name, book) in enumerate(books.items()):
        book.info.unit_code, book.info.unit_name = f"99900{n}", f"测试{name}单位"
        build_workbook(folder / f"{name}.xlsx", book)
    return sorted(folder.glob("*.xlsx"))


def test_odd_books_and_what_is_made_of_them_are_within_excels_limits(tmp_path, sample_path):
    """Issue 25: units without projects or without indicators made the county summary's rows
    malformed (an unopened </row>); each odd book, its scored copy, the summary of them all with
    its 审核意见, and the summary of one unit alone, checked as files."""
    from xlsuite import consolidate

    books = _odd_books(tmp_path / "报送", sample_path)
    for book in books:
        _run("score", str(book), "-o", str(tmp_path / "评分" / f"{book.stem}-评分.xlsx"))
    together = consolidate([tmp_path / "报送"], tmp_path / "汇总.xlsx", workers=1, feedback=tmp_path / "审核意见")
    assert len(together.departments) == len(books)
    alone = consolidate([books[0]], tmp_path / "一个单位.xlsx", workers=1)
    assert len(alone.departments) == 1
    written = sorted(p for pattern in WORKBOOKS for p in tmp_path.rglob(pattern))
    assert len(written) >= 2 * len(books) + 2
    found = {str(p.relative_to(tmp_path)): [str(v) for v in check_file(p)] for p in written}
    assert {name: v for name, v in found.items() if v} == {}
