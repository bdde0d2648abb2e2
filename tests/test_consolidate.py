"""County consolidation as the finance bureau meets it: every file accounted for, totals right."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from book_parts import open_book
from county_fixtures import HYPERLINK_NAME, MARKUP_NAME, SUM_NAME, make_county
from libreoffice import convert

from xlsuite.core.amounts import line_amount
from xlsuite.county import consolidate
from xlsuite.county import summary as s
from xlsuite.reader import read_book

HEADER_ROW = 2  # 1-based: title in row 1, header in row 2


@pytest.fixture(scope="module")
def run(tmp_path_factory, sample_path):
    """The county consolidated once through the command line, as a user runs it."""
    root = tmp_path_factory.mktemp("county")
    county = make_county(root, sample_path)
    out = root / "汇总 结果" / "县级汇总.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "xlsuite", "consolidate", str(county.folder), "-o", str(out),
         "--roster", str(county.roster), "--workers", "2"],
        capture_output=True, text=True)
    return county, out, result


def table(path: Path, sheet: str, data_only: bool = True) -> list[dict]:
    wb = openpyxl.load_workbook(path, data_only=data_only)
    rows = list(wb[sheet].iter_rows(min_row=HEADER_ROW, values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def departments(path: Path) -> list[dict]:
    return [r for r in table(path, s.DEPARTMENTS) if r["单位编码"]]


def test_exit_0_and_says_where_the_rejections_are(run):
    county, out, result = run
    assert result.returncode == 0, result.stderr
    assert out.exists()
    assert f"未纳入汇总 {len(county.bad)} 个文件" in result.stdout
    assert "“未纳入汇总”工作表" in result.stdout
    assert "跳过 1 个" in result.stdout
    assert result.stderr == ""  # not a terminal: no progress bar


def test_every_input_is_included_or_listed_exactly_once(run):
    county, out, _ = run
    root = county.folder
    included = [r["来源文件"] for r in departments(out)]
    rejected = [r["文件"] for r in table(out, s.REJECTED)]
    expected_in = {str(p.relative_to(root)) for p in county.good}
    expected_out = {str(p.relative_to(root)) for p in (*county.bad, county.lock)}
    assert sorted(included) == sorted(expected_in)
    assert sorted(rejected) == sorted(expected_out)
    assert not set(included) & set(rejected)


def test_each_rejection_has_its_reason(run):
    county, out, _ = run
    rows = {r["文件"]: r for r in table(out, s.REJECTED)}
    for path, (category, words) in county.bad.items():
        row = rows[str(path.relative_to(county.folder))]
        assert row["类别"] == category, row
        assert words in row["原因"], row
        assert row["请单位（或汇总人）"], row
    lock = rows[str(county.lock.relative_to(county.folder))]
    assert lock["类别"] == "跳过" and "锁定文件" in lock["原因"]


ADVICE = {"加密.xlsx": "取消打开密码", "空.xlsx": "重新发送", "截断.xlsx": "重新发送",
          "旧版.xls": "另存为 .xlsx", "文本.xlsx": "报送填好的预算绩效自评工作簿"}


def test_each_reason_has_its_own_advice_in_whole_sentences(run):
    """Only the encrypted file is asked to drop its password, an empty one to be sent again;
    reason and request are each one sentence (no clause left hanging on a comma)."""
    county, out, _ = run
    rows = {Path(r["文件"]).name: r for r in table(out, s.REJECTED)}
    for name, advice in ADVICE.items():
        request = rows[name]["请单位（或汇总人）"]
        assert advice in request and request.startswith("请"), rows[name]
        assert ("密码" in request) == (name == "加密.xlsx"), rows[name]
    for row in rows.values():
        for text in (row["原因"], row["请单位（或汇总人）"]):
            assert text.endswith("。") and text.count("。") == 1 and not text.startswith(("，", "）")), row


def test_duplicates_name_each_other(run):
    county, out, _ = run
    dups = [r for r in table(out, s.REJECTED) if r["类别"] == "重复"]
    assert len(dups) == 2
    assert {r["单位编码"] for r in dups} == {"500009"}
    assert "重复-2.xlsx" in dups[0]["原因"] or "重复-2.xlsx" in dups[1]["原因"]


def test_formula_like_names_stay_string_cells(run):
    _, out, _ = run
    wb = open_book(out)
    for sheet, col in ((s.DEPARTMENTS, 2), (s.PROJECTS, 2), (s.INDICATORS, 2), (s.FUNCTIONS, 2),
                       (s.FINDINGS, 2)):
        cells = {cell.value: cell for cell in wb[sheet].iter_cols(min_col=col, max_col=col).__next__()}
        for name in (HYPERLINK_NAME, SUM_NAME, MARKUP_NAME):
            assert name in cells, (sheet, name)
            assert cells[name].data_type == "s", (sheet, name)


def _expected_totals(county) -> dict[str, Decimal]:
    """Sums over the included books, read straight from the books (not from the summary)."""
    sums = {header: Decimal(0) for header, _, _ in s.DEPT_AMOUNTS}
    for path in county.good:
        book = read_book(path)
        for header, key, i in s.DEPT_AMOUNTS:
            sums[header] += line_amount(book, key, ("adjusted", "executed")[i]) or 0
    return sums


def test_total_row_equals_sums_over_included_departments(run):
    county, out, _ = run
    rows = table(out, s.DEPARTMENTS)
    total = next(r for r in rows if r["单位名称"] == "合计")
    for header, value in _expected_totals(county).items():
        assert round(Decimal(str(total[header])), 2) == value, header
    depts = departments(out)
    assert total["项目数"] == sum(r["项目数"] for r in depts)
    assert total["错误数"] == sum(r["错误数"] for r in depts)
    # subtotals add up to the total
    subtotals = [r for r in rows if r["单位名称"] == "小计"]
    assert len(subtotals) == len({r["主管部门"] for r in depts})
    assert round(sum(r["支出合计"] for r in subtotals), 2) == round(total["支出合计"], 2)


def test_class_sheets_total_to_the_spending_total(run):
    county, out, _ = run
    spent = _expected_totals(county)["支出合计"]
    functions = next(r for r in table(out, s.FUNCTIONS) if r["单位名称"] == "合计")
    # one seeded fault overstates a functional class: the function view exceeds 支出合计 by it
    assert round(Decimal(str(functions["合计"])), 2) >= spent
    economics = next(r for r in table(out, s.ECONOMICS) if r["单位名称"] == "合计")
    assert round(Decimal(str(economics["合计"])), 2) == spent


@pytest.mark.parametrize("sheet", [s.FUNCTIONS, s.ECONOMICS])
def test_class_sheets_show_each_spent_class_of_each_department(run, sheet):
    from xlsuite.core import contract as c
    county, out, _ = run
    prefix = s.CLASS_SHEETS[sheet][0]
    classes = [r for r in c.budget_rows() if r.key.startswith(prefix + ".") and not r.is_total]
    expected = {}
    for path in county.good:
        book = read_book(path)
        spent = {f"{r.code} {r.name}": line_amount(book, r.key, "executed") for r in classes}
        expected[str(book.info.unit_code)] = {header: float(v) for header, v in spent.items() if v}
    rows = [r for r in table(out, sheet) if r["单位编码"]]
    headers = [h for h in rows[0] if h not in ("单位编码", "单位名称", "主管部门", "合计")]
    # a column for each class some department spent on, in the contract's order; zeros are blank
    assert headers == [f"{r.code} {r.name}" for r in classes
                       if any(f"{r.code} {r.name}" in e for e in expected.values())]
    assert {r["单位编码"]: {h: r[h] for h in headers if r[h] is not None} for r in rows} == expected
    for r in rows:
        assert r["合计"] == pytest.approx(sum(expected[r["单位编码"]].values()))


def test_cached_score_is_recomputed_and_reported(run):
    _, out, _ = run
    issues = [r for r in table(out, s.FINDINGS) if r["单位编码"] == "500002"]
    assert any(r["规则编号"] == "indicator.cached_score" for r in issues)
    rows = [r for r in table(out, s.INDICATORS) if r["单位编码"] == "500002" and r["文件中的得分"] is not None
            and r["方向"] != "定性"]
    assert rows and any(r["得分"] != r["文件中的得分"] for r in rows)


def test_roster_units_without_a_book_are_listed(run):
    _, out, _ = run
    missing = table(out, s.MISSING)
    assert [(r["单位编码"], r["情况"]) for r in missing] == [("599999", "未收到工作簿")]


@pytest.mark.slow  # LibreOffice recalculates the summary
@pytest.mark.libreoffice
def test_libreoffice_recalculates_every_formula_to_the_stored_value(run, tmp_path):
    _, out, _ = run
    recalculated = convert(out, tmp_path, "xlsx")
    formulas = open_book(out)
    cached = openpyxl.load_workbook(out, data_only=True)
    again = openpyxl.load_workbook(recalculated, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                mine = cached[ws.title][cell.coordinate].value
                theirs = again[ws.title][cell.coordinate].value
                if mine in ("", None):
                    assert theirs in ("", None), (ws.title, cell.coordinate, theirs)
                else:
                    assert theirs == pytest.approx(mine, abs=1e-9), (ws.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 50


def test_an_interrupted_run_leaves_no_summary(tmp_path, sample_path, monkeypatch):
    from xlsuite.county import summary as module

    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"the previous summary")

    def broken(path, result, book):
        Path(path).write_bytes(b"half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "write_summary", broken)
    with pytest.raises(KeyboardInterrupt):
        consolidate([sample_path], out)
    assert out.read_bytes() == b"the previous summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_no_workbook_found_is_an_error(tmp_path):
    (tmp_path / "说明.txt").write_text("x", "utf-8")
    result = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(tmp_path), "-o",
                             str(tmp_path / "o.xlsx")], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "没有找到" in result.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_summary_in_an_input_folder_is_not_read_back(tmp_path, sample_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(sample_path.read_bytes())
    first = consolidate([folder], folder / "汇总.xlsx")
    second = consolidate([folder], folder / "汇总.xlsx")
    assert first.received == second.received == 1 and second.rejected == []


def test_unexpected_error_rejects_only_that_file(tmp_path, sample_path, monkeypatch):
    from xlsuite.county import collect

    (tmp_path / "a.xlsx").write_bytes(sample_path.read_bytes())
    (tmp_path / "b.xlsx").write_bytes(sample_path.read_bytes())
    real = collect.read_book

    def flaky(path):
        if Path(path).name == "b.xlsx":
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(collect, "read_book", flaky)
    result = consolidate([tmp_path], tmp_path / "out" / "s.xlsx", workers=1)
    assert [Path(d.path).name for d in result.departments] == ["a.xlsx"]
    assert [(Path(r.path).name, r.category) for r in result.rejected] == [("b.xlsx", "程序异常")]
    assert "boom" in result.rejected[0].reason


def test_a_department_the_summary_cannot_show_is_rejected_alone(tmp_path, sample_path, monkeypatch):
    from xlsuite.county import summary

    (tmp_path / "a.xlsx").write_bytes(sample_path.read_bytes())
    (tmp_path / "b.xlsx").write_bytes(sample_path.read_bytes())  # the same 单位编码: were b kept, both would be 重复
    real = summary._department_row

    def flaky(d, shown):
        if Path(d.path).name == "b.xlsx":
            raise RuntimeError("boom")
        return real(d, shown)

    monkeypatch.setattr(summary, "_department_row", flaky)
    out = tmp_path / "out" / "s.xlsx"
    result = consolidate([tmp_path], out, workers=1)
    assert [Path(d.path).name for d in result.departments] == ["a.xlsx"]
    assert [(Path(r.path).name, r.category) for r in result.rejected] == [("b.xlsx", "程序异常")]
    assert "boom" in result.rejected[0].reason
    listed = [row[1] for row in open_book(out)[s.REJECTED].iter_rows(min_row=3, values_only=True)]
    assert listed == ["b.xlsx"]


def test_a_file_that_kills_its_worker_rejects_only_itself(tmp_path, sample_path, monkeypatch):
    import multiprocessing
    import os

    from xlsuite.core.profile import load_profile
    from xlsuite.county import collect

    files = []
    for i in range(12):  # enough for the pool, in batches of more than one file
        files.append(tmp_path / f"{i:02d}.xlsx")
        files[-1].write_bytes(sample_path.read_bytes())
    real = collect.read_book

    def dying(path):
        if Path(path).name == "05.xlsx":
            os._exit(3)  # as a crash inside a native library would end the worker
        return real(path)

    monkeypatch.setattr(collect, "read_book", dying)
    previous = multiprocessing.get_start_method()
    multiprocessing.set_start_method("fork", force=True)  # workers inherit the patched reader
    try:
        results = collect.collect(files, load_profile(), workers=2)
    finally:
        multiprocessing.set_start_method(previous, force=True)
    assert [Path(r.path).name for r in results] == [p.name for p in files]
    crashed = [Path(r.path).name for r in results if getattr(r, "category", None) == "程序异常"]
    assert crashed == ["05.xlsx"]
    assert sum(1 for r in results if r.__class__.__name__ == "Department") == 11


def test_empty_cells_of_every_table_still_have_their_border(run):
    """Empty cells are not written (a sixth of all cells); one conditional format per table
    draws the grid over them, which Excel and LibreOffice show and print like cell borders."""
    _, out, _ = run
    wb = open_book(out)
    for sheet in (s.DEPARTMENTS, s.PROJECTS, s.INDICATORS, s.FUNCTIONS, s.ECONOMICS, s.SANGONG, s.FINDINGS,
                  s.REJECTED):
        ws = wb[sheet]
        data = f"A{HEADER_ROW + 1}:{ws.cell(ws.max_row, ws.max_column).coordinate}"
        grids = [str(cf.sqref) for cf in ws.conditional_formatting
                 for rule in cf.rules if rule.dxf and rule.dxf.border and rule.dxf.border.left.style == "thin"
                 and rule.formula == ["TRUE"]]
        assert grids == [data], sheet
    empty = [row for row in wb[s.INDICATORS].iter_rows(min_row=HEADER_ROW + 1) if any(c.value is None for c in row)]
    assert empty  # there are empty cells for the grid to cover


def _ranges_taking_in_their_own_cell(path: Path) -> list[tuple[str, str, str]]:
    import re

    from openpyxl.utils import column_index_from_string

    found = []
    for ws in open_book(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                for c1, r1, c2, r2 in re.findall(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", cell.value):
                    cols = sorted((column_index_from_string(c1), column_index_from_string(c2)))
                    rows = sorted((int(r1), int(r2)))
                    if cols[0] <= cell.column <= cols[1] and rows[0] <= cell.row <= rows[1]:
                        found.append((ws.title, cell.coordinate, cell.value))
    return found


def test_when_every_file_is_rejected_the_command_says_so_plainly(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    result = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(folder), "-o",
                             str(tmp_path / "汇总.xlsx")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "本次汇总：收到工作簿 1 个，纳入汇总 0 个单位。" in result.stdout
    assert "未纳入汇总 1 个文件" in result.stdout


def test_a_county_where_every_file_is_rejected_still_has_a_sound_summary(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    (folder / "空.xlsx").write_bytes(b"")
    out = tmp_path / "汇总.xlsx"
    result = consolidate([folder], out)
    assert result.departments == [] and len(result.rejected) == 2
    # totals over no rows are zeros, not a SUBTOTAL that takes in its own cell (a circular
    # reference Excel would complain of on opening)
    assert _ranges_taking_in_their_own_cell(out) == []
    total = next(r for r in table(out, s.DEPARTMENTS) if r["单位名称"] == "合计")
    assert total["支出合计"] == 0


def test_no_formula_of_a_summary_takes_in_its_own_cell(run):
    _, out, _ = run
    assert _ranges_taking_in_their_own_cell(out) == []


def test_a_class_only_a_left_out_book_spent_on_gets_no_column(tmp_path):
    from xlsuite.core import contract as c
    from xlsuite.county.consolidation import ConsolidationResult
    from xlsuite.county.results import Department

    def department(path, code, amounts):
        every_row = {row.key: (None, None) for row in c.budget_rows()}  # as a read book has
        return Department(path=path, code=code, name=f"单位{code}", supervisor="主管", year=2021,
                          amounts={**every_row, **amounts}, rate=None, score=Decimal(0), grade=None)

    kept = department("a.xlsx", "1", {"function.201": (10.0, 8.5), "function.205": (1.0, 0.0)})
    dropped = department("b.xlsx", "1", {"function.208": (5.0, 4.0)})  # e.g. a duplicate left out
    book = s.SummaryBook(str)
    for d in (kept, dropped):
        book.add(d)
    out = tmp_path / "s.xlsx"
    result = ConsolidationResult(output=out, county="县", year=2021, profile="p", grades=(), inputs=[],
                                 received=2, departments=[kept])
    s.write_summary(out, result, book)
    rows = table(out, s.FUNCTIONS)
    assert [h for h in rows[0] if h not in ("单位编码", "单位名称", "主管部门", "合计")] == ["201 一般公共服务支出"]
    assert [(r["单位编码"], r["201 一般公共服务支出"], r["合计"]) for r in rows] == [("1", 8.5, 8.5), (None, 8.5, 8.5)]


def test_summary_cells_show_their_whole_text(run):
    """LibreOffice and WPS print a row at its set height and cut a cell at its column's edge:
    汇总说明's 说明 takes two lines, and 审核问题清单's 位置 (绩效指标!L12) and 评价对象 fit."""
    from xlsuite.layout import textwidth
    _, out, _ = run
    wb = open_book(out)
    about = wb[s.ABOUT]
    note = next(c for c in about["A"] if c.value == "说明")
    assert (about.row_dimensions[note.row].height or 0) >= 2 * textwidth.line_height(11)
    ws = wb[s.FINDINGS]
    headers = [c.value for c in ws[2]]
    for header in ("位置", "评价对象", "单位编码"):
        col = headers.index(header) + 1
        letter = openpyxl.utils.get_column_letter(col)
        widest = max(textwidth.columns(str(r[0].value or "")) for r in ws.iter_rows(min_row=3, min_col=col, max_col=col))
        assert ws.column_dimensions[letter].width >= widest, header
