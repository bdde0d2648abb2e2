"""``consolidate``: from the departments' workbooks to one county summary, losing nothing.

Steps: find the files, read/validate/score them in parallel, decide what goes into the summary
(a book without 单位编码, of another year, or sharing its 单位编码 with another book is left out and
listed with its reason), check the roster, write the summary to a temporary file and rename it,
so an interrupted run never leaves a half-written summary behind.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..atomic import write_via_temp
from ..discover import find_workbooks
from ..errors import InputError
from ..profile import Profile, load_profile, national_profile
from .collect import Progress, collect
from .headers import REJECTED
from .memory import no_cycle_collection
from .results import (
    CRASHED,
    DUPLICATE,
    NO_CODE,
    SKIPPED,
    WRONG_YEAR,
    ConsolidationResult,
    Department,
    Rejected,
    shown_path,
)
from .roster import Missing, RosterEntry, read_roster


def _profile_label(profile: Profile | None, departments) -> str:
    """The profile the summary names: the county's, or those the books recorded."""
    if profile is not None:
        return profile.name
    names = dict.fromkeys(d.profile for d in departments if d.profile)
    return "、".join(names) or national_profile().name


def consolidate(paths: list[str | Path], output: str | Path, roster: str | Path | None = None,
                profile: str | Path | Profile | None = None, workers: int | None = None,
                progress: Progress | None = None, county: str | None = None) -> ConsolidationResult:
    """Consolidate the workbooks under ``paths`` into the summary workbook ``output``.

    Args:
        paths: workbook files and folders (searched recursively for .xlsx/.xlsm).
        output: the summary .xlsx to write (replaced atomically when it exists).
        roster: CSV or Excel file listing the units expected to submit (单位编码, 单位名称, 主管部门).
        profile: scoring profile (file or ``Profile``) for every book; when ``None``, each book
            is evaluated under the profile it records (the one its template was built for),
            else the national default, as ``xlsuite validate`` and ``score`` do.
        workers: worker processes; default ``min(cpu, 4)``.
        progress: called as ``progress(done, total)`` after each file.
        county: the county's name for the titles; guessed from the unit names when ``None``.

    Returns:
        What was included, rejected and missing.

    Raises:
        InputError: a path does not exist, no workbook was found, the roster or profile cannot be
            read, or the summary cannot be written. Bad workbooks never raise: they are rejected.
    """
    output = Path(output)
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile)
    entries = read_roster(roster) if roster is not None else []
    for path in paths:
        if not Path(path).exists():  # a mistyped command line, not a department's file
            raise InputError(path, "文件或文件夹不存在")
    files, skipped = find_workbooks(paths, exclude=(output,))
    if not files:
        raise InputError(None, f"在 {'、'.join(map(str, paths))} 中没有找到 .xlsx/.xlsm 工作簿")
    inputs = [str(p) for p in paths]
    with no_cycle_collection():
        arrivals = _Arrivals(inputs)
        results = [arrivals.settle(r) for r in collect(files, profile, workers, progress, on_result=arrivals)]
        departments = [r for r in results if isinstance(r, Department)]
        rejected = [r for r in results if isinstance(r, Rejected)]
        departments, left_out, year = _admit(departments)
        rejected += left_out
        rejected += [Rejected(str(s.path), SKIPPED, s.reason) for s in skipped]
        # By 主管部门, the 主管部门's own office first, then by 单位编码.
        departments.sort(key=lambda d: (d.supervisor, d.name != d.supervisor, d.code, d.path))
        result = ConsolidationResult(
            output=output, county=county or _guess_county(departments), year=year,
            profile=_profile_label(profile, departments),
            grades=tuple(g for _, g in (profile or national_profile()).rules.grades), inputs=inputs,
            received=len(files), departments=departments, rejected=rejected, roster=entries,
            missing=_missing(entries, departments, rejected))
        from .summary import write_summary

        write_via_temp(output, lambda tmp: write_summary(tmp, result, arrivals.book))
    return result


class _Arrivals:
    """Each department's summary rows, rendered as its result arrives while the workers read on.

    The summary writer (and xlsxwriter) is loaded at the first department, once the
    workers have started. A department whose rows cannot be rendered is rejected on its own.
    """

    def __init__(self, inputs: list[str]):
        self.inputs = inputs
        self._book = None
        self._failed: dict[str, str] = {}

    @property
    def book(self):
        if self._book is None:
            from .summary import SummaryBook

            self._book = SummaryBook(lambda path: shown_path(self.inputs, path))
        return self._book

    def __call__(self, result: Department | Rejected) -> None:
        if not isinstance(result, Department):
            return
        book = self.book
        try:
            book.add(result)
        except Exception as exc:  # noqa: BLE001 - one department the summary cannot show must not stop the county
            self._failed[result.path] = f"写入汇总表时出现意外错误（{type(exc).__name__}: {exc}）"

    def settle(self, result: Department | Rejected) -> Department | Rejected:
        """``result``, or its rejection (程序异常) when its rows could not be rendered."""
        reason = self._failed.get(result.path)
        if reason is None:
            return result
        return Rejected(result.path, CRASHED, reason, result.code, result.name)


def _admit(departments: list[Department]) -> tuple[list[Department], list[Rejected], int | None]:
    """Split read books into included ones and those left out (no code, other year, duplicate)."""
    left_out = [Rejected(d.path, NO_CODE, "“部门信息”未填写单位编码，无法识别是哪个单位", "", d.name)
                for d in departments if not d.code]
    departments = [d for d in departments if d.code]
    years = Counter(d.year for d in departments if d.year is not None)
    year = years.most_common(1)[0][0] if years else None
    keep = []
    for d in departments:
        if year is not None and d.year is not None and d.year != year:
            left_out.append(Rejected(d.path, WRONG_YEAR, f"工作簿年度为 {d.year}，本次汇总年度为 {year}",
                                     d.code, d.name))
        else:
            keep.append(d)
    by_code: dict[str, list[Department]] = {}
    for d in keep:
        by_code.setdefault(d.code, []).append(d)
    included = []
    for code, books in by_code.items():
        if len(books) == 1:
            included.append(books[0])
            continue
        # Neither copy can be trusted over the other: both are left out and named, never merged.
        files = "、".join(Path(b.path).name for b in books)
        for b in books:
            others = "、".join(Path(o.path).name for o in books if o is not b)
            left_out.append(Rejected(
                b.path, DUPLICATE,
                f"单位编码 {code} 出现在 {len(books)} 份工作簿中（{files}），与 {others} 重复；"
                "为避免重复计算，均未纳入汇总", code, b.name))
    return included, left_out, year


def _missing(entries: list[RosterEntry], departments: list[Department],
             rejected: list[Rejected]) -> list[Missing]:
    included = {d.code for d in departments}
    why = {}
    for r in rejected:
        if r.code and r.code not in why:
            why[r.code] = f"已报送但未纳入汇总（{r.category}），见“{REJECTED}”：{Path(r.path).name}"
    missing = []
    for e in entries:
        if e.code in included:
            continue
        note = why.get(e.code)
        # A file that could not be read has no known 单位编码; its name often names the unit.
        named = [r for r in rejected if not r.code and e.name and e.name in Path(r.path).name]
        if note is None and named:
            note = f"有文件名含本单位名称的文件未纳入汇总（{named[0].category}），见“{REJECTED}”：{Path(named[0].path).name}"
        missing.append(Missing(e.code, e.name, e.supervisor, note or "未收到工作簿"))
    return missing


_COUNTY = re.compile(r"^(.{1,10}?(?:自治县|县|区|市|旗))")


def _guess_county(departments: list[Department]) -> str:
    """The most common leading 县/区/市 of the unit names (``永昌县工信局`` → ``永昌县``)."""
    names = Counter(m.group(1) for d in departments if (m := _COUNTY.match(d.name)))
    return names.most_common(1)[0][0] if names else ""
