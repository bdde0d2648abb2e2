"""Every file xlsuite writes, made once a session for the tests that check them as files
(``test_excel_limits_writers.py``: Excel's limits; ``test_schema_valid.py``: the ECMA-376 schemas).

Each ``xlsuite`` command either writes files, and ``RUNS`` says how to make it write them into a
folder of its own, or is named in ``NO_FILE`` with what it writes instead; ``odd_written`` adds the
books that are common and odd at once (no projects, no indicators, no amounts, one unit alone, 10,000
projects) with what score and consolidate make of them.
"""

from __future__ import annotations

import copy
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from xlsuite import cli

WORKBOOKS = ("*.xlsx", "*.xlsm", "*.xlam")
PACKAGES = (*WORKBOOKS, "*.docx")


def run(*argv: str) -> None:
    """``xlsuite argv…`` in-process, its output swallowed; it must finish with 0 or 1."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = cli.main(list(argv))
    assert code in (0, 1), (argv, code, err.getvalue())  # 1: the book has findings, still written


def _template(out: Path, sample: Path, demo) -> None:
    run("template", "-o", str(out))  # the .xlsx, the .xlsm with its buttons, the sample, the .docx


def _score(out: Path, sample: Path, demo) -> None:
    run("score", str(sample), "-o", str(out / "评分.xlsx"))  # the book with forms and 校验结果


def _addin(out: Path, sample: Path, demo) -> None:
    run("addin", "install", "--dir", str(out))  # the .xlam


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


def _report(out: Path, sample: Path, demo) -> None:
    """A department's report and the county's, from the demo county's summary."""
    _, result = demo
    run("report", str(sample), "-o", str(out / "自评报告.docx"))
    run("report", "--county", str(result.output), "-o", str(out / "县级报告.docx"))


RUNS = {"template": _template, "score": _score, "addin": _addin, "demo": _demo, "report": _report,
        # ``xlsuite demo`` runs consolidate and feedback: the summary and the 审核意见 it writes are
        # theirs (tests/test_fuzz.py checks the summary of the fuzzed books too).
        "consolidate": _demo, "feedback": _demo}
"""Command → how to make it write its files into a folder."""

NO_FILE = {
    "read": "prints what it reads",
    "validate": "prints the findings",
    "bundle": "writes the add-in and the templates with addin's and template's builders (build_addin, "
              "build_template, build_macro_template, build_samples), checked through those commands",
    "serve": "answers edits over HTTP; writes no file",
}
"""Commands that write no file of their own, and what they write instead."""

WORD_ONLY = {"report"}
"""Commands in ``RUNS`` that write Word files and no workbook."""


def written_by_command(folder_for, sample: Path, demo) -> dict[str, list[Path]]:
    """Command → the packages (workbooks and Word files) it wrote; ``folder_for(name)`` gives an
    empty folder."""
    made, done = {}, {}
    for name, make in RUNS.items():
        if make not in done:  # demo, consolidate and feedback share one run
            out = folder_for(name)
            make(out, sample, demo)
            done[make] = sorted(p for pattern in PACKAGES for p in out.rglob(pattern))
        made[name] = done[make]
    return made


BIG_PROJECTS = 10_000


def odd_books(folder: Path, sample: Path) -> list[Path]:
    """The sample as units that are common and odd at once: one with basic spending only (no
    projects, so 部门整体 indicators only), one with no indicators, one with no amounts at all."""
    from xlsuite.core import contract as c
    from xlsuite.core.model import Amounts
    from xlsuite.reader import read_book
    from xlsuite.template.build import build_workbook

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


def odd_written(folder: Path, sample: Path) -> list[Path]:
    """What xlsuite writes of the odd books, the books included: each scored, the summary of them
    all with its 审核意见, the summary of one unit alone, and a book of ``BIG_PROJECTS`` projects (one
    indicator each) consolidated alone with its 审核意见 (scoring it takes a minute: left out)."""
    from xlsuite import consolidate
    from xlsuite.template.build import build_workbook
    from xlsuite.template.sample import scaled_sample

    books = odd_books(folder / "报送", sample)
    for book in books:
        run("score", str(book), "-o", str(folder / "评分" / f"{book.stem}-评分.xlsx"))
    together = consolidate([folder / "报送"], folder / "汇总.xlsx", workers=1, feedback=folder / "审核意见")
    assert len(together.departments) == len(books)
    alone = consolidate([books[0]], folder / "一个单位.xlsx", workers=1)
    assert len(alone.departments) == 1
    big = scaled_sample(BIG_PROJECTS, 1)
    big.info.unit_code, big.info.unit_name = "999100", "测试万项目单位"
    (folder / "大").mkdir()
    build_workbook(folder / "大" / "万项目.xlsx", big)
    result = consolidate([folder / "大"], folder / "万项目汇总.xlsx", workers=1, feedback=folder / "万项目审核意见")
    assert len(result.departments) == 1
    written = sorted(p for pattern in PACKAGES for p in folder.rglob(pattern))
    assert len(written) >= 2 * len(books) + 4
    return written
