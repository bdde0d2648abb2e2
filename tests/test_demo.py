"""``xlsuite demo``: the README's main-job command builds and consolidates a whole county."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from xlsuite.cli.progress import ProgressBar
from xlsuite.core.errors import InputError
from xlsuite.county import read_roster
from xlsuite.demo.county import ABSENT, generate_county


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run


def test_demo_includes_exactly_the_good_books(demo):
    county, result = demo
    assert len(result.departments) >= 55
    assert sorted(d.path for d in result.departments) == sorted(map(str, county.good))
    assert {Path(r.path): r.category for r in result.rejected} == county.bad


def test_demo_has_varied_grades_faults_and_supervisors(demo):
    _, result = demo
    assert {d.grade for d in result.departments} >= {"优", "良", "中"}
    assert len({d.supervisor for d in result.departments}) >= 8
    rules = {i.rule_id for d in result.departments for i in d.issues}
    assert {"cross.projects_total", "balance.views", "indicator.cached_score"} <= rules


def test_demo_roster_misses_two_units_and_the_left_out_ones(demo):
    county, result = demo
    missing = {m.code: m.note for m in result.missing}
    for code, _, _ in ABSENT:
        assert missing[code] == "未收到工作簿"
    assert sum("重复" in note for note in missing.values()) == 1
    assert len(read_roster(county.roster)) == len(result.roster)


@pytest.mark.slow  # generates two counties
def test_same_seed_same_county(tmp_path):
    a, b = generate_county(tmp_path / "a", seed=7, count=5), generate_county(tmp_path / "b", seed=7, count=5)
    assert a.roster.read_bytes() == b.roster.read_bytes()
    from xlsuite.reader import read_book
    for pa, pb in zip(sorted(a.good), sorted(b.good), strict=True):
        assert read_book(pa) == read_book(pb)


def test_demo_refuses_a_folder_with_other_files(tmp_path):
    (tmp_path / "我的文件.docx").write_bytes(b"x")
    with pytest.raises(InputError, match="不是空的"):
        generate_county(tmp_path)


@pytest.mark.slow  # a fresh interpreter and its workers make the whole county (demo_run makes it in-process)
def test_demo_command_prints_where_the_summary_is(tmp_path):
    folder = tmp_path / "demo-county"
    result = subprocess.run([sys.executable, "-m", "xlsuite", "demo", str(folder)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert f"汇总表已生成：{folder / '县级汇总-2021.xlsx'}" in result.stdout
    assert "纳入汇总" in result.stdout and "未报送单位" in result.stdout
    # run again in the same folder: the previous demo is replaced
    again = subprocess.run([sys.executable, "-m", "xlsuite", "demo", str(folder)], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == result.stdout


def test_roster_reads_gbk_csv_and_excel(tmp_path):
    gbk = tmp_path / "名册.csv"
    gbk.write_bytes("说明：2021年名册\n单位编码,单位名称\n307001,永昌县工信局\n,\n".encode("gbk"))
    assert [(e.code, e.name) for e in read_roster(gbk)] == [("307001", "永昌县工信局")]
    import xlsxwriter
    xlsx = tmp_path / "名册.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["主管部门", "单位编码"])
    ws.write_row(1, 0, ["永昌县教育局", 500001])  # a code typed as a number
    wb.close()
    assert [(e.code, e.supervisor) for e in read_roster(xlsx)] == [("500001", "永昌县教育局")]
    bad = tmp_path / "无编码.csv"
    bad.write_text("名称\n甲\n", "utf-8")
    with pytest.raises(InputError, match="单位编码"):
        read_roster(bad)


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    quiet = io.StringIO()
    with ProgressBar("读取", quiet) as bar:
        bar(1, 2)
    assert quiet.getvalue() == ""
    tty = _Tty()
    with ProgressBar("读取", tty) as bar:
        bar(1, 2)
        bar(2, 2)
    assert "1/2" in tty.getvalue() and tty.getvalue().endswith("2/2\n")


def test_demo_has_a_resubmission_a_stray_scored_copy_and_a_unit_off_the_roster(demo, tmp_path):
    from xlsuite.county import consolidate

    county, result = demo
    own = [r for r in result.rejected if r.own_file]
    assert len(own) == 1 and Path(own[0].path).stem.endswith("-评分")
    assert [u.code for u in result.unlisted] == county.unlisted and len(county.unlisted) == 1
    assert result.feedback and all(p.parent == county.feedback for p in result.feedback)
    first, second = county.resubmitted
    newest = consolidate([county.submissions], tmp_path / "s.xlsx", roster=county.roster, duplicates="newest")
    assert str(second) in {d.path for d in newest.departments}
    (old,) = [r for r in newest.rejected if r.path == str(first)]
    assert old.category == "已有新版本" and "填报日期" in old.reason


def test_demo_units_state_their_staff_by_kind_and_the_kinds_add_up(tmp_path):
    # v1.2's lines filled for the synthetic units too, so their reports' 部门基本情况 say them;
    # never a 人数合计 finding the demo did not mean to plant.
    from xlsuite.core.validation import validate_book
    from xlsuite.reader import read_book

    county = generate_county(tmp_path / "c", seed=7, count=5)
    books = [read_book(p) for p in sorted(county.good)]
    units = [b for b in books if b.info.unit_code != "307001"]  # the seed department is the sample
    assert units
    for book in units:
        info = book.info
        assert None not in (info.staff_worker, info.retired, info.temporary)
        assert (info.staff_admin or 0) + (info.staff_institution or 0) + info.staff_worker == info.staff_authorized
        assert not [f for f in validate_book(book) if f.rule_id == "plausibility.staff_sum"]
