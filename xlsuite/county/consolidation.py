"""``consolidate``: from the departments' workbooks to one county summary, losing nothing.

Steps: find the files, read/validate/score them in parallel, decide what goes into the summary
(a book without 单位编码, of another year, or sharing its 单位编码 with another book is left out and
listed with its reason), check the roster, write the summary to a temporary file and rename it,
so an interrupted run never leaves a half-written summary behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path

from ..core import contract
from ..core.errors import InputError, os_reason
from ..core.profile import Profile, as_profile, national_profile
from ..files.atomic import write_via_temp
from ..files.discover import find_workbooks
from .collect import Progress, stream
from .headers import REJECTED
from .memory import no_cycle_collection
from .own_files import SUMMARY, file_sha256, generated_kind, own_reason
from .results import (
    CRASHED,
    DUPLICATE,
    NO_CODE,
    SKIPPED,
    SUPERSEDED,
    WRONG_YEAR,
    ConsolidationResult,
    Department,
    Rejected,
    shown_path,
)
from .roster import INCLUDED, Missing, RosterEntry, not_on_roster, read_roster, unit_named_in
from .store import DepartmentStore, StoredDepartments


def _profile_label(profile: Profile | None, departments) -> str:
    """The profile the summary names: the county's, or those the books recorded."""
    if profile is not None:
        return profile.name
    names = dict.fromkeys(d.profile for d in departments if d.profile)
    return "、".join(names) or national_profile().name


DUPLICATE_POLICIES = ("none", "newest")
"""``duplicates``: ``none`` leaves every book of a unit that sent several out (and names them);
``newest`` takes the one with the latest 填报日期 (else the latest modified file)."""


def consolidate(paths: list[str | Path], output: str | Path, roster: str | Path | None = None,
                profile: str | Path | Profile | None = None, workers: int | None = None,
                progress: Progress | None = None, county: str | None = None,
                duplicates: str = "none", feedback: str | Path | None = None,
                feedback_all: bool = False, contact: str = "", deadline: str = "") -> ConsolidationResult:
    """Consolidate the workbooks under ``paths`` into the summary workbook ``output``.

    Args:
        paths: workbook files and folders (searched recursively for .xlsx/.xlsm).
        output: the summary .xlsx to write (replaced atomically when it exists). It must not be
            one of the inputs: inside an input folder it may only be a new file or an earlier
            summary (which is replaced, never read as a submission).
        roster: CSV or Excel file listing the units expected to submit (单位编码, 单位名称, 主管部门).
        profile: scoring profile (file or ``Profile``) for every book; when ``None``, each book
            is evaluated under the profile it records (the one its template was built for),
            else the national default, as ``xlsuite validate`` and ``score`` do.
        workers: worker processes, 1 to the CPU count; default ``min(cpu, 4)``.
        progress: called as ``progress(done, total)`` after each file.
        county: the county's name for the titles; guessed from the unit names when ``None``.
        duplicates: what to do when a unit sent several books: ``"none"`` (default) leaves them
            all out and names them; ``"newest"`` takes the latest by 填报日期, else by the file's
            modification time, and lists the others as 已有新版本.
        feedback: a folder to write one 审核意见 workbook into for every unit with 错误 or with a
            file left out (see ``xlsuite.county.feedback``).
        feedback_all: also write one for units with 警告 only.
        contact: the county's contact (name, telephone) printed on each 审核意见.
        deadline: the date to resubmit by, printed on each 审核意见.

    Returns:
        What was included, rejected and missing.

    Raises:
        InputError: a path does not exist, no workbook was found, the output would overwrite
            an input or is no .xlsx, ``workers`` is out of range, the roster or profile cannot
            be read, or the summary cannot be written. Bad workbooks never raise: they are rejected.
    """
    for path in paths:
        if not Path(path).exists():  # a mistyped command line, not a department's file
            raise InputError(path, "文件或文件夹不存在")
    output = check_output(output, paths)
    workers = check_workers(workers)
    if duplicates not in DUPLICATE_POLICIES:
        raise InputError(None, f"重复报送的处理方式应为 {' 或 '.join(DUPLICATE_POLICIES)}，而不是“{duplicates}”")
    if feedback is not None and Path(feedback).exists() and not Path(feedback).is_dir():
        raise InputError(feedback, "审核意见的输出位置应为文件夹，而这里是一个文件")
    profile = as_profile(profile)
    entries = read_roster(roster) if roster is not None else []
    files, skipped = find_workbooks(paths, exclude=(output,), as_text=True)
    if not files:
        raise InputError(None, f"在 {'、'.join(map(str, paths))} 中没有找到 .xlsx/.xlsm 工作簿")
    inputs = [str(p) for p in paths]
    with no_cycle_collection():
        # Each book's result is stored as it arrives (see ``store``): what is decided below is
        # decided over the store's table of heads, not over records kept in memory.
        arrivals = _Arrivals(inputs, output)
        stream(files, profile, workers, progress, arrivals, prepare=arrivals.prepare)
        store = arrivals.book.store
        rejected_at = {**arrivals.rejected, **_own_copies(store)}
        rejected = [rejected_at[i] for i in sorted(rejected_at)]  # in the order of the files
        left_out, year = _admit(store, duplicates)
        rejected += left_out
        rejected += [Rejected(str(s.path), SKIPPED, s.reason) for s in skipped]
        departments = StoredDepartments(store, store.included(SUMMARY_ORDER))
        heads = departments.heads
        result = ConsolidationResult(
            output=output, county=county or _guess_county(heads), year=year,
            profile=_profile_label(profile, heads),
            grades=tuple(g for _, g in (profile or national_profile()).rules.grades), inputs=inputs,
            received=len(files) - sum(1 for r in rejected if r.own_file),
            departments=departments, rejected=rejected, roster=entries,
            missing=_missing(entries, heads, rejected),
            unlisted=not_on_roster(entries, [(d.code, d.name, d.supervisor, d.path, INCLUDED) for d in heads]
                                   + [(r.code, r.name, "", r.path, f"未纳入汇总（{r.category}）")
                                      for r in rejected if r.category != SKIPPED]) if entries else [],
            duplicates=duplicates)
        from .feedback import recipients, write_letters
        from .summary import write_summary

        result.returns = recipients(result, feedback_all)
        if feedback is not None:  # first, so that 退回清单 names the files as written
            result.feedback = write_letters(result.returns, feedback, result.county, result.year,
                                            contact=contact, deadline=deadline, keep=[*files, output])
        write_via_temp(output, lambda tmp: write_summary(tmp, result, arrivals.book))
    return result


def check_output(output: str | Path, paths: list[str | Path]) -> Path:
    """``output``, if the summary may be written there: an .xlsx that is none of the inputs.

    A file given as an input is refused; so is an existing file inside an input folder, unless
    it is an earlier summary (xlsuite's own, replaced and never read as a submission). A new
    file inside an input folder is fine: it is left out of the search, and recognised next time.

    Raises:
        InputError: the summary would overwrite an input, or is no .xlsx.
    """
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise InputError(output, "汇总表文件名须以 .xlsx 结尾（如 县级汇总-2021.xlsx）")
    if output.is_dir():
        raise InputError(output, "这是一个文件夹；请给出汇总表的文件名（如 县级汇总-2021.xlsx）")
    key = _key(output)
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            if _key(path) == key:
                raise InputError(output, "汇总表不能写到输入的工作簿上（会覆盖单位报送的文件），请换一个文件名")
            continue
        inside = key.startswith(_key(path).rstrip(os.sep) + os.sep)
        if inside and output.exists() and generated_kind(output) != SUMMARY:
            raise InputError(output, "汇总表不能写到报送文件夹中已有的工作簿上（会覆盖单位报送的文件），"
                                     "请换一个文件名或写到报送文件夹之外")
    return output


def check_workers(workers: int | None) -> int | None:
    """``workers`` if it is a usable number of processes (1 to the CPU count), else an error."""
    if workers is None:
        return None
    cpus = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= cpus:
        raise InputError(None, f"并行进程数（--workers）应为 1 到 {cpus}（本机 CPU 核数）之间的整数，而不是 {workers}")
    return workers


def _key(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(path))


SUMMARY_ORDER = "supervisor, name != supervisor, code, path"
"""The summary's order: by 主管部门, the 主管部门's own office first, then by 单位编码 (SQL text
compares as Python's str does: by code point)."""


def _own_copies(store: DepartmentStore) -> dict[int, Rejected]:
    """Each scored copy of another input book, skipped as xlsuite's own file (left out of the
    store's departments), by its key.

    A copy records the sha256 of the file it was scored from; only when that very file was read
    too is the copy redundant (only such files are hashed, so a county without copies pays
    nothing)."""
    digests: dict[str, str] = {}
    skip: dict[int, Rejected] = {}
    skipped_paths: set[str] = set()
    for copy in list(store.heads("included AND copy_of != ''")):
        for other in store.heads("included AND code = ? AND code != ''", (copy.code,)):
            if other.id == copy.id or other.path in skipped_paths:
                continue
            if other.path not in digests:
                digests[other.path] = file_sha256(other.path)
            if digests[other.path] == copy.copy_of:
                skip[copy.id] = Rejected(copy.path, SKIPPED, own_reason(
                    "评分副本", f"由同一文件夹中的 {Path(other.path).name} 评分生成，数据相同"), copy.code, copy.name)
                skipped_paths.add(copy.path)
                break
    store.leave_out(skip)
    return skip


class _Arrivals:
    """Each department's summary rows, rendered by the worker that read its book and stored
    here as they arrive while the workers read on, under the index of its file; the files
    rejected, by index (``rejected``).

    ``prepare`` is what the workers render with (``stream``'s ``prepare``). A department whose
    rows cannot be rendered is rejected on its own.
    """

    def __init__(self, inputs: list[str], output: Path):
        from .summary import SummaryBook

        self.output = output
        self.book = SummaryBook(partial(shown_path, inputs))
        self.prepare = _Render(self.book.rows)
        self.rejected: dict[int, Rejected] = {}

    def __call__(self, index: int, result) -> None:
        """Take ``result``: a ``Rejected``, or what ``prepare`` made of a ``Department``."""
        if isinstance(result, Rejected):
            self.rejected[index] = result
        else:
            try:
                self.book.take(*result, index)
            except OSError as exc:  # the summary's rows cannot be kept: no department can be taken
                raise InputError(self.output, f"无法写入汇总表的临时数据（{os_reason(exc)}；临时文件夹为 "
                                              f"{tempfile.gettempdir()}）") from None


class _Render:
    """A department's rows rendered and packed for the store (``DepartmentRows.pack``), in the
    worker that read its book; a ``Rejected`` when they cannot be."""

    def __init__(self, rows):
        self.rows = rows

    def __call__(self, d: Department):
        try:
            return self.rows.pack(d)
        except Exception as exc:  # noqa: BLE001 - one department the summary cannot show must not stop the county
            return Rejected(d.path, CRASHED, f"写入汇总表时出现意外错误（{type(exc).__name__}: {exc}）", d.code, d.name)


def _admit(store: DepartmentStore, duplicates: str = "none") -> tuple[list[Rejected], int | None]:
    """Leave out of the store's departments the books without a code, of another year than most,
    or sharing their code (but the newest, with ``duplicates="newest"``); returns them, rejected,
    and the year."""
    no_code = list(store.heads("included AND code = ''"))
    left_out = [Rejected(d.path, NO_CODE, "“部门信息”未填写单位编码，无法识别是哪个单位", "", d.name) for d in no_code]
    store.leave_out(d.id for d in no_code)
    # The most common year; of years equally common, the one of the first file.
    year = store.value("SELECT year FROM heads WHERE included AND year IS NOT NULL GROUP BY year"
                       " ORDER BY COUNT(*) DESC, MIN(id) LIMIT 1")
    if year is not None:
        other = list(store.heads("included AND year IS NOT NULL AND year != ?", (year,)))
        left_out += [Rejected(d.path, WRONG_YEAR, f"工作簿年度为 {d.year}，本次汇总年度为 {year}", d.code, d.name)
                     for d in other]
        store.leave_out(d.id for d in other)
    shared = store.column("SELECT code FROM heads WHERE included GROUP BY code HAVING COUNT(*) > 1 ORDER BY MIN(id)")
    for code in shared:
        books = list(store.heads("included AND code = ?", (code,)))
        store.leave_out(b.id for b in books)
        files = "、".join(Path(b.path).name for b in books)
        if duplicates == "newest" and (choice := newest(books)) is not None:
            taken, basis, shown, why = choice
            store.include(taken.id)
            for b in books:
                if b is not taken:
                    left_out.append(Rejected(
                        b.path, SUPERSEDED,
                        f"单位编码 {code} 有 {len(books)} 份工作簿（{files}）；按 --duplicates newest 采用"
                        f"{basis}最新的 {Path(taken.path).name}（{shown(taken)}），本文件{basis}为 {shown(b)}，"
                        f"未纳入汇总{why}", code, b.name))
            continue
        # Neither copy can be trusted over the other: both are left out and named, never merged.
        undecided = "；按填报日期和文件修改时间都无法确定哪份最新" if duplicates == "newest" else ""
        for b in books:
            others = "、".join(Path(o.path).name for o in books if o is not b)
            left_out.append(Rejected(
                b.path, DUPLICATE,
                f"单位编码 {code} 出现在 {len(books)} 份工作簿中（{files}），与 {others} 重复{undecided}；"
                "为避免重复计算，均未纳入汇总", code, b.name))
    return left_out, year


FILLED = contract.info_field("filled_date").label
MTIME = "文件修改时间"


def newest(books: list[Department]):
    """The latest of a unit's books, ``(book, basis, how a book's value is shown, note)``; ``None``
    when no one is latest. By 填报日期 when every book has one, else by the file's modification
    time (the note says why)."""
    dates = [fill_date(b.filled) for b in books]
    if all(dates):
        latest = max(dates)
        if dates.count(latest) == 1:
            return books[dates.index(latest)], FILLED, lambda b: fill_date(b.filled).isoformat(), ""
    times = [_mtime(b.path) for b in books]
    latest = max(times)
    if latest is None or times.count(latest) > 1:
        return None
    when = dict(zip((b.path for b in books), times, strict=True))
    return (books[times.index(latest)], MTIME,
            lambda b: dt.datetime.fromtimestamp(when[b.path]).strftime("%Y-%m-%d %H:%M:%S"),
            f"（{FILLED}未填写或无法识别，按{MTIME}判断）")


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def fill_date(text: str) -> dt.date | None:
    """A 填报日期 as written: ``2022-03-15``, ``2022/3/15``, ``2022年3月15日``, a date cell (read as
    ISO text) or a date serial number of a cell left without a date format; else ``None``."""
    text = (text or "").strip()
    if m := _DATE.match(text):
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            return None
    if text.isdigit() and 20000 <= int(text) <= 80000:  # 1954…2119 as a spreadsheet date serial
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    return None


def _missing(entries: list[RosterEntry], departments, rejected: list[Rejected]) -> list[Missing]:
    if not entries:
        return []
    included = {d.code for d in departments}
    why = {}
    for r in rejected:
        if r.code and r.code not in why and r.category != SKIPPED:  # not an xlsuite copy
            why[r.code] = f"已报送但未纳入汇总（{r.category}），见“{REJECTED}”：{Path(r.path).name}"
    missing = []
    for e in entries:
        if e.code in included:
            continue
        note = why.get(e.code)
        # A file that could not be read has no known 单位编码; its name often names the unit.
        named = [r for r in rejected if not r.code and unit_named_in(r.path, entries) == e]
        if note is None and named:
            note = f"有文件名含本单位名称的文件未纳入汇总（{named[0].category}），见“{REJECTED}”：{Path(named[0].path).name}"
        missing.append(Missing(e.code, e.name, e.supervisor, note or "未收到工作簿"))
    return missing


_COUNTY = re.compile(r"^(.{1,10}?(?:自治县|县|区|市|旗))")


def _guess_county(departments: list[Department]) -> str:
    """The most common leading 县/区/市 of the unit names (``永昌县工信局`` → ``永昌县``)."""
    names = Counter(m.group(1) for d in departments if (m := _COUNTY.match(d.name)))
    return names.most_common(1)[0][0] if names else ""
