"""A seeded, bounded fuzz campaign over the reader and the commands (see ``fuzz_reader.py``):
byte, zip and XML mutations of the sample. No traceback, no native abort, no book taking more
than 30 s, and the two engines never disagree where both read a book.

Known and left: calamine reads some malformed sheet XML (a stray ``&#1;``, a broken tag in the
middle, a cell type it does not know) that openpyxl refuses; the reader refuses what it can
see cheaply (a part cut short or emptied, a bad CRC, a missing essential part) before either
engine, so those agree. The campaign counts the rest and asserts they are all of that kind:
one engine refusing a sheet as damaged while the other reads it, never two different readings.
"""

from __future__ import annotations

import io
import json
import resource
import select
import subprocess
import sys
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from ooxml_schemas import check_package

from xlsuite import cli
from xlsuite.files.excel_limits import check_file

pytestmark = pytest.mark.slow  # a fuzz campaign over the reader and the commands

FUZZ = Path(__file__).with_name("fuzz_reader.py")
SEED, COUNT = 14, 300
HANG_SECONDS = 30
COMMAND_BOOKS = 12
"""Books the campaign also scores and reports on (the commands cost a second or so each)."""


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def _campaign(sample: Path, folder: Path, seed: int = SEED, count: int = COUNT, kind: str = "") -> list[dict]:
    proc = subprocess.Popen([sys.executable, str(FUZZ), str(sample), str(folder), str(seed), str(count), kind],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_limit_memory)
    results, started = [], None
    try:
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], HANG_SECONDS)
            if not ready:
                pytest.fail(f"{started} took more than {HANG_SECONDS} s")
            line = proc.stdout.readline()
            if not line:
                break
            record = json.loads(line)
            if "start" in record:
                started = record["start"]
            else:
                results.append(record)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    stderr = proc.stderr.read()
    assert proc.returncode == 0, f"the campaign died on {started} (rc {proc.returncode}): {stderr[-2000:]}"
    return results


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, sample_path) -> tuple[Path, list[dict]]:
    """The campaign's books (a folder) and what each engine made of each."""
    folder = tmp_path_factory.mktemp("fuzz") / "books"
    return folder, _campaign(sample_path, folder)


def _one_clean_line(command: list[str]) -> int:
    """Run ``command`` in this process: its exit code, having held it to one clean line at most
    on stderr, never 程序异常."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = cli.main(command)
    assert code in (0, 1, 2) and "程序异常" not in err.getvalue(), (command, err.getvalue())
    assert len(err.getvalue().splitlines()) <= 1, (command, err.getvalue())
    return code


def test_fuzz_campaign(campaign, tmp_path):
    start = time.monotonic()
    folder, results = campaign
    assert len(results) == COUNT
    crashes = [(r["case"], r["kind"], o[1][-600:]) for r in results for o in (r["calamine"], r["openpyxl"])
               if o[0] == "crash"]
    assert crashes == []
    read = {"ok", "CellValueError"}
    disagreements = [r for r in results if r["calamine"] != r["openpyxl"]]
    # Where both engines read a book, they read it alike (no silent change on either).
    both_read = [(r["case"], r["kind"]) for r in disagreements
                 if r["calamine"][0] in read and r["openpyxl"][0] in read]
    assert both_read == []
    # Damage of the file or zip (every byte and zip mutation) is refused alike by both.
    package = [(r["case"], r["kind"], r["calamine"], r["openpyxl"]) for r in disagreements
               if not r["kind"].startswith("xml:") and _reason(r["calamine"]) != _reason(r["openpyxl"])]
    assert package == []
    # What is left: one engine refusing a sheet's XML as damaged where the other reads it.
    for r in disagreements:
        outcomes = (r["calamine"], r["openpyxl"])
        assert any(o[0] in ("InputError", "ContractError") for o in outcomes), r
    # The commands on books that read: one clean line at most, never 程序异常.
    readable = [folder / r["case"] for r in results if r["calamine"][0] in read][:COMMAND_BOOKS]
    for book in readable:
        for command in (["validate", str(book)], ["score", str(book), "-o", str(tmp_path / "out.xlsx")],
                        ["report", str(book), "-o", str(tmp_path / "out.docx")]):
            code = _one_clean_line(command)
            written = Path(command[-1])
            if command[0] in ("score", "report") and code in (0, 1):  # written from an accepted book
                assert [str(r) for r in check_package(written).refusals] == [], book.name  # ECMA-376
                if command[0] == "score":
                    assert [str(v) for v in check_file(written)] == [], book.name  # Excel's limits
                written.unlink()
    assert time.monotonic() - start < 60


def test_the_county_takes_every_fuzzed_book_or_says_why(campaign, tmp_path):
    """The whole campaign as one county's submissions: one run, every file in the summary or
    listed with its reason (none as 程序异常), and the county report written from the summary."""
    from xlsuite import consolidate
    from xlsuite.county.results import CRASHED, DUPLICATE

    folder, results = campaign
    result = consolidate([folder], tmp_path / "汇总.xlsx", workers=2)
    assert len(result.departments) + len(result.rejected) == COUNT
    assert [(r.path, r.reason) for r in result.rejected if r.category == CRASHED] == []
    assert [str(v) for v in check_file(result.output)] == []  # the summary is within Excel's limits
    assert [str(r) for r in check_package(result.output).refusals] == []  # and valid by ECMA-376
    # Every book that reads is the sample's unit: all are listed as 重复, for the county to choose.
    duplicates = sum(1 for r in result.rejected if r.category == DUPLICATE)
    assert duplicates + len(result.departments) >= sum(1 for r in results if r["calamine"][0] == "ok") > 1
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = cli.main(["report", "--county", str(result.output), "-o", str(tmp_path / "县.docx")])
    assert code == 0 and err.getvalue() == "", err.getvalue()
    assert [str(r) for r in check_package(tmp_path / "县.docx").refusals] == []


BUTTON_BOOKS = 4
EXTRA_ROUND = 100
"""Cases in each further round the button test draws when the campaign lacks a kind of book."""


def test_the_buttons_on_fuzzed_books_never_fail_inside(campaign, tmp_path, sample_path):
    """Every button on books Excel would open (openpyxl opens them), read or refused by the
    reader: a message saying what is wrong, never 程序内部出错."""
    import host_books as host

    from xlsuite.excel import actions

    folder, results = campaign
    # Books whose mutation changed what reads (not those reading as the sample does), and books
    # refused for what they hold; not those refused for their size, whose every cell up to the
    # far one this harness (unlike Excel, which sends the buttons its used range) would copy.
    # Few mutations change what reads and leave a book Excel opens: where the campaign has none,
    # further seeded rounds are drawn until one turns up (a change to the sample shifts them).
    unchanged = Counter(r["calamine"][1] for r in results if r["calamine"][0] == "ok").most_common(1)[0][0]
    books = {"read": [], "refused": []}
    rounds = [(folder, results)]
    for extra in range(1, 6):
        for where, found in rounds[-1:]:
            for r in found:
                outcome, detail = r["calamine"]
                if (outcome, detail) == ("ok", unchanged) or "已用区域过大" in str(detail):
                    continue
                kind = "read" if outcome == "ok" else "refused"
                if len(books[kind]) < BUTTON_BOOKS:
                    try:
                        host.open_host_book(where / r["case"])
                    except Exception:  # noqa: BLE001 (Excel would not open it either: no button to press)
                        continue
                    books[kind].append(where / r["case"])
        if books["read"] and len(books["refused"]) == BUTTON_BOOKS:
            break
        more = tmp_path / f"round{extra}"
        rounds.append((more, _campaign(sample_path, more, SEED + extra, EXTRA_ROUND)))
    assert books["read"] and len(books["refused"]) == BUTTON_BOOKS, books
    for path in (*books["read"], *books["refused"]):
        for name, action in actions.ACTIONS.items():
            book = host.open_host_book(path)
            actions.run(book, action, str(tmp_path))
            alerts = [a for a in book.json()["actions"] if a.get("func") == "alert"]
            assert alerts and not any("程序内部出错" in str(a) for a in alerts), (path.name, name, alerts)


def _reason(outcome) -> tuple:
    """An outcome without the detail in brackets, which names the library's view of the damage."""
    if outcome[0] in ("ok", "CellValueError"):
        return tuple(map(str, outcome))
    return outcome[0], outcome[1].split("（")[0]


STRUCTURED_COUNT = 200


def test_structured_mutations_are_read_one_way(tmp_path, sample_path):
    """Combinations of the structured mutations (counts, encodings, entry-name case, cells out
    of place, odd numbers, far dates; ``structured_mutations.py``), some with a seeded XML edit
    on top: no crash, no abort, and wherever both engines read a book, the same model."""
    results = _campaign(sample_path, tmp_path / "books", SEED, STRUCTURED_COUNT, "structured")
    assert len(results) == STRUCTURED_COUNT
    crashes = [(r["kind"], o[1][-600:]) for r in results for o in (r["calamine"], r["openpyxl"]) if o[0] == "crash"]
    assert crashes == []
    read = {"ok", "CellValueError"}
    both_read = [(r["kind"], r["calamine"], r["openpyxl"]) for r in results if r["calamine"] != r["openpyxl"]
                 and r["calamine"][0] in read and r["openpyxl"][0] in read]
    assert both_read == []
    # The seeded XML edits on top may leave a sheet one engine refuses as damaged (see above).
    for r in results:
        if r["calamine"] != r["openpyxl"]:
            # ("structured:xml:…" when none of the drawn mutations applied: the XML edit alone.)
            assert _xml_edited(r["kind"]) and any(o[0] == "InputError" for o in (r["calamine"], r["openpyxl"])), r


def _xml_edited(kind: str) -> bool:
    return any(part.startswith("xml:") for part in kind.removeprefix("structured:").split("+"))


ODD_BOOKS = ("uniqueCount", "encoding of the workbook", "encoding of a sheet", "upper-case entry names",
             "one sheet's entry name in upper case", "cell outside its row", "digits with underscores",
             "date-styled huge number")


def _odd_inputs(folder: Path, sample: Path) -> list[Path]:
    """A submissions folder with what is not a workbook file at all (a pipe, devices, a socket),
    a name that is not UTF-8, and books of structured mutations; returns those books."""
    import os
    import shutil
    import socket

    import structured_mutations as sm

    folder.mkdir()
    shutil.copy(sample, folder / "工信局.xlsx")
    os.mkfifo(folder / "管道.xlsx")
    (folder / "零.xlsx").symlink_to("/dev/zero")
    (folder / "空设备.xlsm").symlink_to("/dev/null")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "套接字.xlsx"))
    shutil.copy(sample, os.path.join(os.fsencode(folder), b"\xb9\xa4\xd0\xc5-\xff.xlsx"))
    return [sm.write(sample, name, folder / f"变异{n}.xlsx") for n, name in enumerate(ODD_BOOKS)]


def test_odd_inputs_through_every_command(tmp_path, sample_path):
    """Pipes, devices, a socket, a non-UTF-8 name and the structured mutations among the
    inputs: every command ends within 30 s with at most clean reasons, never 程序异常 or an abort."""
    folder = tmp_path / "报送"
    books = _odd_inputs(folder, sample_path)
    summary = tmp_path / "汇总.xlsx"
    for command in (["validate", str(folder)],
                    ["consolidate", str(folder), "-o", str(summary), "--workers", "2",
                     "--feedback", str(tmp_path / "意见")],
                    ["report", "--county", str(summary), "-o", str(tmp_path / "县.docx")]):
        run = subprocess.run([sys.executable, "-m", "xlsuite", *command], capture_output=True,
                             timeout=HANG_SECONDS, preexec_fn=_limit_memory)
        err = run.stderr.decode("utf-8", "replace")
        assert run.returncode in (0, 1, 2) and "程序异常" not in err and "panicked" not in err, (command, err)
    for book in books:
        for command in (["score", str(book), "-o", str(tmp_path / "out.xlsx")],
                        ["report", str(book), "-o", str(tmp_path / "out.docx")]):
            _one_clean_line(command)
