"""The county's batch loses nothing and closes the loop (issue 15): outputs never overwrite an
input, xlsuite's own files are recognised, duplicates follow a policy, the roster is checked both
ways, and each department that must fix something gets its 审核意见."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from book_parts import V10_SAMPLE, open_book
from county_fixtures import HYPERLINK_NAME

from xlsuite.cli import main
from xlsuite.core.errors import InputError
from xlsuite.county import consolidate
from xlsuite.county import headers as h
from xlsuite.county.feedback import NOT_RETURNED, safe_file_stem, write_feedback
from xlsuite.county.own_files import OWN_FILE
from xlsuite.county.results import DUPLICATE, SKIPPED, SUPERSEDED
from xlsuite.demo.data import department
from xlsuite.forms.scored_book import score_workbook
from xlsuite.template.build import build_workbook


def _book(path: Path, code: str, name: str, *, faults=(), filled: str = "", seed: int = 1) -> Path:
    book = department(random.Random(seed), code, name, "永昌县教育局", set(faults))
    book.info.filled_date = filled
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_workbook(path, book)


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


# --- 1. never overwrite an input ---------------------------------------------------------------

def test_output_at_an_input_exits_2_and_leaves_it_byte_identical(tmp_path, capsys):
    folder = tmp_path / "报送"
    book = _book(folder / "某单位-2021.xlsx", "600001", "永昌县第一中学")
    before = book.read_bytes()
    for output, inputs in ((book, [folder]), (book, [book]), (folder / "某单位-2021.xlsx", [str(folder) + "/"])):
        assert main(["consolidate", *map(str, inputs), "-o", str(output)]) == 2
        err = capsys.readouterr().err
        assert "覆盖" in err and err.count("\n") == 1
        assert book.read_bytes() == before


def test_any_other_existing_workbook_inside_an_input_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", "永昌县第一中学")
    other = folder / "子文件夹" / "说明.xlsx"
    other.parent.mkdir()
    other.write_bytes(b"not a summary")
    assert main(["consolidate", str(folder), "-o", str(other)]) == 2
    assert other.read_bytes() == b"not a summary"


def test_an_earlier_summary_inside_the_input_folder_is_replaced_and_never_read(tmp_path):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", "永昌县第一中学")
    consolidate([folder], folder / "汇总.xlsx")
    consolidate([folder], folder / "汇总-旧.xlsx")  # another name: found among the inputs next time
    result = consolidate([folder], folder / "汇总.xlsx")
    assert result.received == 1 and len(result.departments) == 1
    (old,) = result.rejected
    assert Path(old.path).name == "汇总-旧.xlsx" and old.category == SKIPPED and old.reason.startswith(OWN_FILE)


@pytest.mark.parametrize("name", ["汇总.csv", "汇总.xlsm", "汇总"])
def test_the_summary_must_be_an_xlsx(tmp_path, name, capsys):
    _book(tmp_path / "in" / "a.xlsx", "600001", "永昌县第一中学")
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / name)]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("workers", [0, -1, (os.cpu_count() or 1) + 1])
def test_workers_are_bounded_by_the_cpu_count(tmp_path, workers, capsys):
    _book(tmp_path / "in" / "a.xlsx", "600001", "永昌县第一中学")
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "--workers", str(workers)]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and f"1 到 {os.cpu_count()}" in err


# --- 2. xlsuite's own files -------------------------------------------------------------------

def test_a_book_and_its_scored_copy_count_once_and_the_copy_is_skipped(tmp_path):
    folder = tmp_path / "报送"
    book = _book(folder / "永昌县第一中学-2021.xlsx", "600001", "永昌县第一中学")
    copy = score_workbook(book).path
    assert copy.name == "永昌县第一中学-2021-评分.xlsx"
    result = consolidate([folder], tmp_path / "汇总.xlsx")
    assert [Path(d.path).name for d in result.departments] == [book.name]
    (skipped,) = result.rejected
    assert (Path(skipped.path), skipped.category) == (copy, SKIPPED)
    assert skipped.reason.startswith("xlsuite 生成的文件") and book.name in skipped.reason
    assert result.received == 1 and result.own_count == 1
    listed = {r[h.FILE]: r for r in _rows(tmp_path / "汇总.xlsx", h.REJECTED)}
    assert listed[copy.name][h.CATEGORY] == SKIPPED and listed[copy.name]["原因"].startswith(OWN_FILE)


def test_a_scored_copy_whose_original_was_not_sent_is_the_submission(tmp_path):
    book = _book(tmp_path / "src" / "a.xlsx", "600001", "永昌县第一中学")
    (tmp_path / "报送").mkdir()
    score_workbook(book, tmp_path / "报送")
    result = consolidate([tmp_path / "报送"], tmp_path / "汇总.xlsx")
    assert [d.code for d in result.departments] == ["600001"] and result.rejected == []


def test_a_scored_copy_of_an_older_version_is_a_duplicate_not_dropped_silently(tmp_path):
    folder = tmp_path / "报送"
    book = _book(folder / "a.xlsx", "600001", "永昌县第一中学")
    score_workbook(book)
    _book(book, "600001", "永昌县第一中学", seed=2)  # edited after scoring
    result = consolidate([folder], tmp_path / "汇总.xlsx")
    assert result.departments == [] and {r.category for r in result.rejected} == {DUPLICATE}


def test_feedback_files_among_the_inputs_are_skipped(tmp_path):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", "永昌县第一中学", faults={"projects_total"})
    consolidate([folder], tmp_path / "汇总.xlsx", feedback=folder / "审核意见")
    result = consolidate([folder], tmp_path / "汇总.xlsx")
    assert len(result.departments) == 1 and result.received == 1
    assert [r.category for r in result.rejected] == [SKIPPED] and result.rejected[0].own_file


# --- 3. duplicates ------------------------------------------------------------------------------

def _two_versions(tmp_path, first: str, second: str) -> tuple[Path, Path, Path]:
    folder = tmp_path / "报送"
    a = _book(folder / "一中.xlsx", "600001", "永昌县第一中学", filled=first, seed=1)
    b = _book(folder / "一中（修改稿）.xlsx", "600001", "永昌县第一中学", filled=second, seed=2)
    return folder, a, b


def test_newest_takes_the_latest_fill_date(tmp_path):
    folder, a, b = _two_versions(tmp_path, "2022年3月20日", "2022-03-05")
    os.utime(a, (1_600_000_000, 1_600_000_000))  # older file, later 填报日期: the date decides
    result = consolidate([folder], tmp_path / "s.xlsx", duplicates="newest")
    assert [d.path for d in result.departments] == [str(a)]
    (left,) = result.rejected
    assert (left.path, left.category) == (str(b), SUPERSEDED)
    assert "填报日期" in left.reason and "2022-03-20" in left.reason and a.name in left.reason
    listed = _rows(tmp_path / "s.xlsx", h.REJECTED)
    assert [r[h.CATEGORY] for r in listed] == [SUPERSEDED]


def test_newest_falls_back_to_the_modification_time(tmp_path):
    folder, a, b = _two_versions(tmp_path, "", "")
    os.utime(a, (1_700_000_000, 1_700_000_000))
    os.utime(b, (1_600_000_000, 1_600_000_000))
    result = consolidate([folder], tmp_path / "s.xlsx", duplicates="newest")
    assert [d.path for d in result.departments] == [str(a)]
    (left,) = result.rejected
    assert left.path == str(b) and "文件修改时间" in left.reason and "未填写" in left.reason


def test_by_default_both_versions_stay_out(tmp_path):
    folder, a, b = _two_versions(tmp_path, "2022-03-20", "2022-03-05")
    result = consolidate([folder], tmp_path / "s.xlsx")
    assert result.departments == [] and [r.category for r in result.rejected] == [DUPLICATE, DUPLICATE]


def test_a_v1_0_book_without_the_fill_date_line_still_reads(tmp_path):
    from xlsuite.reader import read_book

    assert read_book(V10_SAMPLE).info.filled_date == ""


# --- 4. the roster both ways --------------------------------------------------------------------

def test_the_roster_is_checked_both_ways(tmp_path):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", "永昌县第一中学")
    _book(folder / "b.xlsx", "600002", "永昌县第二中学")
    _book(folder / "c.xlsx", "600099", "永昌县第三中学")
    roster = tmp_path / "名册.csv"
    roster.write_text("单位编码,单位名称,主管部门\n600001,永昌县第一中学,\n600002,永昌县第二中学,\n"
                      "600003,永昌县第三中学,\n600004,永昌县第四中学,\n", "utf-8")
    out = tmp_path / "s.xlsx"
    run = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(folder), "-o", str(out),
                          "--roster", str(roster)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "其中 2 个未纳入汇总" in run.stdout and "另有 1 个" in run.stdout and h.NOT_ON_ROSTER in run.stdout
    assert [r[h.UNIT_CODE] for r in _rows(out, h.MISSING)] == ["600003", "600004"]
    (unlisted,) = _rows(out, h.NOT_ON_ROSTER)
    assert unlisted[h.UNIT_CODE] == "600099" and "600003" in unlisted["情况"]  # same name, other code
    about = {}
    for key, value in open_book(out)[h.ABOUT].iter_rows(values_only=True):
        about.setdefault(key, value)  # the count, not the sheet guide's line further down
    assert about[h.MISSING].startswith("2 个") and about[h.NOT_ON_ROSTER].startswith("1 个")


# --- 5. 审核意见 --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from xlsuite.demo.county import generate_county

    root = tmp_path_factory.mktemp("demo")
    county = generate_county(root / "县")
    out = root / "汇总.xlsx"
    result = consolidate([county.submissions], out, roster=county.roster, feedback=root / "审核意见",
                         contact="绩效股 张三 0935-1234567", deadline="2022-04-15", county="永昌县")
    return county, result, out, root / "审核意见"


def _expected(result) -> dict[str, list]:
    """Unit key → what its letter must hold, computed from the summary's own records."""
    from xlsuite.core.validation import ERROR
    from xlsuite.county.results import WRONG_YEAR

    want = {}
    for d in result.departments:
        if d.count(ERROR):
            want[d.code] = d.issues
    from xlsuite.county.roster import unit_named_in

    included = {d.code for d in result.departments}
    for r in result.rejected:
        if r.category not in NOT_RETURNED and not (r.category == WRONG_YEAR and r.code in included):
            # A file nobody could read goes to the roster unit its name names (as 未报送单位 says).
            named = None if r.code else unit_named_in(r.path, result.missing)
            want.setdefault(r.code or (named.code if named else r.path), [])
    return want


@pytest.mark.slow  # consolidates a demo county of its own
def test_feedback_writes_exactly_one_file_per_department_to_return(demo):
    county, result, out, folder = demo
    want = _expected(result)
    files = sorted(folder.iterdir())
    assert len(files) == len(want) == len(result.returns) == len(result.feedback)
    assert sorted(result.feedback) == files
    assert {lt.code or lt.files[0] for lt in result.returns} == {
        k if not os.path.isabs(k) else result.shown(k) for k in want}
    clean = [d for d in result.departments if d.code not in want]
    names = {f.name for f in files}
    assert clean and not any(f"{safe_file_stem(d.name)}-审核意见.xlsx" in names for d in clean)
    returned = {r[h.UNIT_CODE] or r["报送文件"] for r in _rows(out, h.RETURNS)}
    assert len(returned) == len(want)


@pytest.mark.slow  # consolidates a demo county of its own; LibreOffice
def test_each_letter_opens_in_libreoffice_and_holds_its_findings_and_cells(demo, tmp_path):
    from libreoffice import soffice

    county, result, out, folder = demo
    csv_dir = tmp_path / "csv"
    profile = tmp_path / "lo"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(csv_dir),
                    *map(str, result.feedback)], check=True, capture_output=True, timeout=600)
    by_code = {d.code: d for d in result.departments}
    for letter, path in zip(result.returns, result.feedback, strict=True):
        text = (csv_dir / f"{path.stem}.csv").read_text("utf-8")
        assert "审核意见" in text and "2022-04-15" in text and "张三" in text
        if letter.code in by_code:
            d = by_code[letter.code]
            assert d.name in text
            for issue in d.issues:
                assert issue.rule_id in text and issue.location in text
                assert issue.message.split("，")[0] in text
        for refusal in letter.refusals:
            assert refusal.category in text


@pytest.mark.slow  # consolidates a demo county of its own
def test_the_feedback_command_writes_the_same_letters_from_the_summary(demo, tmp_path):
    from xlsuite.county.feedback import letters_from_summary

    county, result, out, folder = demo
    again = tmp_path / "again"
    assert main(["feedback", str(out), "-o", str(again), "--deadline", "2022-04-15"]) == 0
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in folder.iterdir())
    _, _, letters = letters_from_summary(out)
    assert sorted(letters, key=lambda lt: lt.file_name) == sorted(result.returns, key=lambda lt: lt.file_name)
    assert main(["feedback", str(out), "-o", str(tmp_path / "all"), "--feedback-all"]) == 0
    assert len(list((tmp_path / "all").iterdir())) > len(result.feedback)


def test_names_in_letters_stay_text_and_file_names_are_safe(tmp_path):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", HYPERLINK_NAME, faults={"projects_total"})
    _book(folder / "b.xlsx", "600002", "CON", faults={"projects_total"})
    result = consolidate([folder], tmp_path / "s.xlsx", feedback=tmp_path / "意见")
    names = sorted(p.name for p in result.feedback)
    assert names == sorted(["=HYPERLINK(_http_127.0.0.1_,_x_)-审核意见.xlsx", "_CON-审核意见.xlsx"])
    wb = open_book(next(p for p in result.feedback if "HYPERLINK" in p.name))
    cells = [c for row in wb[h.FEEDBACK_SHEET].iter_rows() for c in row if c.value == HYPERLINK_NAME]
    assert cells and all(c.data_type == "s" for c in cells)


def test_feedback_never_replaces_a_file_that_is_not_an_earlier_letter(tmp_path):
    folder = tmp_path / "报送"
    _book(folder / "a.xlsx", "600001", "永昌县第一中学", faults={"projects_total"})
    target = tmp_path / "意见" / "永昌县第一中学-审核意见.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"mine")
    result = consolidate([folder], tmp_path / "s.xlsx", feedback=target.parent)
    assert target.read_bytes() == b"mine" and result.feedback[0].name == "永昌县第一中学-审核意见-2.xlsx"
    again = consolidate([folder], tmp_path / "s.xlsx", feedback=target.parent)  # an earlier letter is replaced
    assert again.feedback == result.feedback


def test_a_bad_duplicates_policy_is_an_input_error(tmp_path):
    _book(tmp_path / "in" / "a.xlsx", "600001", "永昌县第一中学")
    with pytest.raises(InputError):
        consolidate([tmp_path / "in"], tmp_path / "s.xlsx", duplicates="oldest")


def test_feedback_from_something_else_is_refused(tmp_path):
    book = _book(tmp_path / "a.xlsx", "600001", "永昌县第一中学")
    with pytest.raises(Exception, match="汇总表"):
        write_feedback(book, tmp_path / "out")


# --- 6. units in messages, and a summary given where a book belongs ----------------------------

def test_amounts_in_findings_carry_wan_yuan(sample_path):
    from xlsuite.core.evaluation import evaluate
    from xlsuite.reader import read_book

    messages = [f.message for f in evaluate(read_book(sample_path)).findings if f.rule_id == "cross.projects_total"]
    assert messages and all("合计 253.00 万元" in m and "收支情况表 281.00 万元" in m and "相差 28.00 万元" in m
                            for m in messages)


def test_report_on_a_county_summary_suggests_county(tmp_path, capsys):
    _book(tmp_path / "in" / "a.xlsx", "600001", "永昌县第一中学")
    consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx")
    assert main(["report", str(tmp_path / "汇总.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "--county" in err and err.count("\n") == 1


def test_the_seeds_one_gap_is_one_finding_in_its_letter(tmp_path, sample_path):
    """253 vs 281 万元 shows in 全年预算数 and 全年执行数 alike: the letter that sends the unit back
    counts one 错误, not two, and names both columns in it."""
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(sample_path, folder / "工信局.xlsx")
    result = consolidate([folder], tmp_path / "汇总.xlsx", feedback=tmp_path / "审核意见")
    (letter,) = result.feedback
    texts = [str(v) for row in open_book(letter)[h.FEEDBACK_SHEET].iter_rows(values_only=True) for v in row if v]
    assert any("：错误 1，" in t for t in texts), texts
    (gap,) = [t for t in texts if "253.00" in t]
    assert "全年预算数、全年执行数" in gap and "相差 28.00 万元" in gap
