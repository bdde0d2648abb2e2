"""``xlsuite demo``: a realistic demo county, generated and consolidated.

The county has the seed department (永昌县工业和信息化局) and about 60 synthetic units under
several 主管部门, with varied and partly faulty data; a roster in which two units did not submit;
and the files a county bureau really receives besides good workbooks: a truncated download, an
empty file, a Word document named .xlsx, a legacy .xls, a home-made table, a workbook with text in
an amount cell, a department that resubmitted (two versions, told apart by their 填报日期), last
year's workbook, an Excel lock file, a stray ``-评分`` copy made by ``xlsuite score``, and a unit
missing from the roster. The consolidation writes the 审核意见 to send back. Everything comes from
one seeded random generator, so the same seed gives the same county.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core import contract as c
from ..core.errors import InputError
from ..county import ConsolidationResult, consolidate
from ..county import roster as roster_file
from ..county.collect import Progress
from ..template.build import build_workbook
from ..template.sample import load_sample, sample_data_files
from .data import COUNTY, FAULTS, YEAR, department, units

MARKER = ".xlsuite-demo"
SUBMISSIONS = "报送材料"
ROSTER = "名册.csv"
FEEDBACK = "审核意见"
CONTACT, DEADLINE = "县财政局绩效股 0935-0000000", f"{YEAR + 1}-04-15"
ABSENT = (("309901", "永昌县档案馆", "永昌县档案馆"), ("309902", "永昌县地方志办公室", "永昌县地方志办公室"))
"""The two roster units that sent nothing."""
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class DemoCounty:
    """Where the generated county lies, and what a correct consolidation must find in it."""

    folder: Path
    submissions: Path
    roster: Path
    output: Path
    good: list[Path] = field(default_factory=list)
    """Workbooks that must be included."""
    bad: dict[Path, str] = field(default_factory=dict)
    """Files that must be left out → the category they must be left out under."""
    absent: list[str] = field(default_factory=list)
    """单位编码 of roster units with no file at all."""
    unlisted: list[str] = field(default_factory=list)
    """单位编码 of units that sent a good workbook but are not on the roster."""
    resubmitted: tuple[Path, Path] | None = None
    """The two versions one unit sent: (first, the later 修改稿 with the later 填报日期)."""
    feedback: Path | None = None
    """The folder the consolidation writes the 审核意见 into."""


def generate_county(folder: str | Path, seed: int = YEAR, count: int = 60) -> DemoCounty:
    """Write the demo county into ``folder`` (created; a previous demo there is replaced).

    Raises:
        InputError: ``folder`` holds files that are not a previous demo.
    """
    folder = Path(folder)
    _prepare(folder)
    rng = random.Random(seed)
    subs = folder / SUBMISSIONS
    county = DemoCounty(folder, subs, folder / ROSTER, folder / f"县级汇总-{YEAR}.xlsx", feedback=folder / FEEDBACK)
    roster = []
    seed_book, data = load_sample(sample_data_files()[0])
    seed_path = _write(subs / seed_book.info.supervisor / data["file"], seed_book)
    county.good.append(seed_path)
    roster.append((seed_book.info.unit_code, seed_book.info.unit_name, seed_book.info.supervisor))
    books = {}
    for n, (name, supervisor) in enumerate(units(rng, count), 1):
        code = f"{400000 + n * 7:06d}"
        faults = {f for f in FAULTS if rng.random() < 0.08}
        book = department(rng, code, name, supervisor, faults)
        books[code] = book
        county.good.append(_write(subs / supervisor / f"{name}-{YEAR}.xlsx", book))
        roster.append((code, name, supervisor))
    _odd_files(rng, county, books)
    # A unit that submitted but that the bureau's roster forgot.
    forgotten = sorted(books)[len(books) // 2]
    if any(p.stem.startswith(books[forgotten].info.unit_name + "-") for p in county.good):
        roster = [u for u in roster if u[0] != forgotten]
        county.unlisted = [forgotten]
    roster += list(ABSENT)
    county.absent = [code for code, _, _ in ABSENT]
    rng.shuffle(roster)
    with county.roster.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens it as UTF-8
        writer = csv.writer(f)
        writer.writerow([roster_file.CODE, roster_file.NAME, roster_file.SUPERVISOR])
        writer.writerows(roster)
    return county


def run_demo(folder: str | Path, seed: int = YEAR, workers: int | None = None,
             progress: Progress | None = None) -> tuple[DemoCounty, ConsolidationResult]:
    """Generate the demo county in ``folder`` and consolidate it into ``县级汇总-2021.xlsx`` there."""
    county = generate_county(folder, seed)
    result = consolidate([county.submissions], county.output, roster=county.roster, workers=workers,
                         progress=progress, county=COUNTY, feedback=county.feedback, contact=CONTACT,
                         deadline=DEADLINE)
    return county, result


def _prepare(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise InputError(folder, "文件夹不是空的，也不是以前生成的演示县；请换一个新文件夹")
    shutil.rmtree(folder / SUBMISSIONS, ignore_errors=True)
    shutil.rmtree(folder / FEEDBACK, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("xlsuite demo county\n", "utf-8")


def _write(path: Path, book) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_workbook(path, book)


def _odd_files(rng: random.Random, county: DemoCounty, books: dict) -> None:
    """The files besides good workbooks that a county bureau receives, each with its category."""
    from ..county import results as r

    subs, other = county.submissions, county.submissions / "其他来件"
    other.mkdir(parents=True, exist_ok=True)
    codes = sorted(books)
    # A download cut short: half of a good workbook (its unit's complete file is there too).
    donor = county.good[1]
    truncated = other / f"{donor.stem}（传输中断）.xlsx"
    truncated.write_bytes(donor.read_bytes()[: donor.stat().st_size // 2])
    county.bad[truncated] = r.UNREADABLE
    empty = other / "新建 Microsoft Excel 工作表.xlsx"
    empty.write_bytes(b"")
    county.bad[empty] = r.UNREADABLE
    word = other / "自评报告.xlsx"
    with zipfile.ZipFile(word, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    county.bad[word] = r.UNREADABLE
    # Only the first bytes of an Excel 97-2003 file: enough for every reader to recognise it.
    legacy = other / "2020年项目表.xls"
    legacy.write_bytes(OLE_HEADER + bytes(504))
    county.bad[legacy] = r.UNREADABLE
    homemade = other / "项目明细（自制表）.xlsx"
    _homemade(homemade)
    county.bad[homemade] = r.NOT_STANDARD
    # A unit whose amount cell holds #REF! (a formula broken by a deleted row): its only file.
    # (Words typed into an amount cell no longer keep a book out: they are one 错误 among its
    # findings.)
    text_code = codes[len(codes) // 3]
    text_path = next(p for p in county.good if p.stem.startswith(books[text_code].info.unit_name + "-"))
    _broken_amount(text_path)
    county.good.remove(text_path)
    county.bad[text_path] = r.BAD_CELLS
    # A unit that resubmitted its workbook with different numbers: by default both are left out
    # as 重复; --duplicates newest takes the 修改稿 by its later 填报日期.
    dup_code = codes[2 * len(codes) // 3]
    book = books[dup_code]
    first = next(p for p in county.good if p.stem.startswith(book.info.unit_name + "-"))
    book.info.filled_date = f"{YEAR + 1}-02-20"
    _write(first, book)
    county.good.remove(first)
    county.bad[first] = r.DUPLICATE
    line = book.budget["structure.人员经费"].amounts
    line.executed = (line.executed or 0) + rng.randint(1, 9)
    book.info.filled_date = f"{YEAR + 1}-03-10"
    second = _write(first.with_name(f"{first.stem}（修改稿）.xlsx"), book)
    county.bad[second] = r.DUPLICATE
    county.resubmitted = (first, second)
    # A stray scored copy: someone ran xlsuite score in the submissions folder.
    from ..forms.scored_book import score_workbook

    scored = score_workbook(county.good[3], now=_DEMO_TIME).path
    county.bad[scored] = r.SKIPPED
    # Last year's workbook sent by mistake, beside this year's.
    old_code = codes[-1]
    old = books[old_code]
    old.info.year = YEAR - 1
    stale = _write(subs / old.info.supervisor / f"{old.info.unit_name}-{YEAR - 1}.xlsx", old)
    county.bad[stale] = r.WRONG_YEAR
    # The lock file Excel leaves while someone has a workbook open.
    lock = county.good[1].with_name("~$" + county.good[1].name)
    lock.write_bytes(b"\x06xlsuite" + bytes(157))
    county.bad[lock] = r.SKIPPED


_DEMO_TIME = dt.datetime(YEAR + 1, 3, 1, 9, 0)
"""When the stray copy says it was scored: fixed, so the same seed gives the same files."""


def _homemade(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    for row, values in enumerate((("项目名称", "金额（万元）"), ("办公楼维修", 12.5), ("设备购置", 8))):
        for col, value in enumerate(values):
            ws.write(row, col, value)
    wb.close()


def _broken_amount(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[c.BUDGET_SHEET]
    for row in ws.iter_rows(min_row=3):
        if row[1].value == "302":  # 商品和服务支出, 全年执行数
            row[5].value = "#REF!"  # openpyxl stores an error code as an error value
    wb.save(path)
