"""审核意见: one workbook per department to send back, with everything it must fix.

After a consolidation the bureau returns (退回) to each department the problems found in its
submission. ``recipients`` picks who gets one from a ``ConsolidationResult`` (a unit with 错误,
or one whose file was left out of the summary; with ``include_warnings`` also a unit with 警告
only), ``letters_from_summary`` does the same from a summary workbook written earlier, and
``write_letters`` writes one small workbook per unit, named after it: its unit and file(s), each
finding with its rule, message and cell, what to do, and the county's contact and deadline.
Every text goes in as text (a name starting with ``=`` stays a name), each file is written
atomically, and no existing file other than an earlier 审核意见 is ever replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..core.validation import ERROR, HINT, WARNING, rule_label
from ..core.validation.catalogue import LONGEST_ID
from ..files.atomic import write_via_temp
from ..layout import style, textwidth
from . import headers as h
from .own_files import FEEDBACK, generated_kind
from .results import CRASHED, DUPLICATE, REQUESTS, SKIPPED, SUPERSEDED, WRONG_YEAR, sentence
from .roster import RosterEntry, unit_named_in
from .store import heads_of

if TYPE_CHECKING:
    from .results import ConsolidationResult

SUFFIX = "-审核意见.xlsx"
RETURN, CHECK = "退回修改", "请核实"
"""The 审核结论 of a letter: errors or a rejected file, or warnings only."""

TO_DO = {
    ERROR: "须改正后重新报送",
    WARNING: "请核实；如确属实际情况，请在相应的说明栏（如偏差原因分析）写明原因",
    HINT: "供参考，无需回复",
}
"""What a department does about a finding of each severity."""

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}
LETTER_REQUESTS = {
    DUPLICATE: "请确认哪一份是最终版本，只重新报送最终版本（并更新“部门信息”的填报日期）",
}
"""What a letter asks for where the summary's request (``results.REQUESTS``) speaks to the bureau."""
NOT_RETURNED = (SKIPPED, SUPERSEDED, CRASHED)
"""Categories of left-out files that are no department's to fix (an Excel lock file, an
xlsuite copy, an earlier version of a unit whose latest is included)."""


@dataclass(frozen=True)
class Problem:
    """One finding as a letter lists it."""

    severity: str
    rule_id: str
    subject: str
    message: str
    location: str


@dataclass(frozen=True)
class Refusal:
    """One file of the unit left out of the summary."""

    file: str
    category: str
    reason: str
    request: str


@dataclass
class Letter:
    """The 审核意见 of one unit (a unit known only by its unreadable file: that file)."""

    code: str
    name: str
    supervisor: str = ""
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    file_name: str = ""
    """The name of its workbook (set by ``recipients`` / ``letters_from_summary``)."""

    def count(self, severity: str) -> int:
        if isinstance(self.problems, StoredProblems):
            return self.problems.count_of(severity)
        return sum(1 for p in self.problems if p.severity == severity)


    @property
    def verdict(self) -> str:
        return RETURN if self.refusals or self.count(ERROR) else CHECK

    @property
    def why(self) -> str:
        """Why the unit gets a letter, in a few words (退回清单)."""
        parts = []
        if self.refusals:
            parts.append("文件未纳入汇总（" + "、".join(dict.fromkeys(r.category for r in self.refusals)) + "）")
        for severity in (ERROR, WARNING):
            if n := self.count(severity):
                parts.append(f"{severity} {n} 条")
        return "；".join(parts)


class StoredProblems(Sequence):
    """A stored department's findings as a letter's problems, read back from the store each
    time they are gone through (when its 审核意见 is written): a county's letters then hold no
    findings in memory. Its 错误 and 警告 are counted without reading them."""

    def __init__(self, departments: Sequence, index: int, errors: int, warnings: int):
        self._departments, self._index = departments, index
        self._counts = {ERROR: errors, WARNING: warnings}

    def count_of(self, severity: str) -> int:
        if severity in self._counts:
            return self._counts[severity]
        return sum(1 for p in self if p.severity == severity)

    def _all(self) -> list[Problem]:
        return [Problem(i.severity, i.rule_id, i.subject, i.message, i.location)
                for i in self._departments[self._index].issues]

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, i):
        return self._all()[i]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other) -> bool:
        """Equal to a list of the same problems, as a list of them would be."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return self._all() == list(other)

    __hash__ = None


def recipients(result: ConsolidationResult, include_warnings: bool = False) -> list[Letter]:
    """The units of ``result`` that get a 审核意见, in summary order, each with its file name."""
    letters: dict[str, Letter] = {}
    refused = {r.code for r in result.rejected if r.code}
    # Only the departments that may get a letter are read back (with their findings) from
    # where the consolidation keeps them: a county's clean departments cost nothing here.
    light = heads_of(result.departments)
    for n, d in enumerate(light):
        if not (d.code in refused or _count(d, ERROR) or (include_warnings and _count(d, WARNING))):
            continue
        if light is result.departments:  # the departments themselves
            problems = [Problem(i.severity, i.rule_id, i.subject, i.message, i.location) for i in d.issues]
        else:
            problems = StoredProblems(result.departments, n, d.errors, d.warnings)
        letters[d.code] = Letter(d.code, d.name, d.supervisor, [result.shown(d.path)], problems)
    for r in result.rejected:
        if r.category in NOT_RETURNED or (r.category == WRONG_YEAR and r.code in letters):
            continue  # (last year's book beside this year's, which is in: nothing to fix)
        key = r.code or f"file:{r.path}"
        letter = letters.setdefault(key, Letter(r.code, r.name))
        letter.files.append(result.shown(r.path))
        letter.refusals.append(Refusal(result.shown(r.path), r.category, sentence(r.reason),
                                       sentence(LETTER_REQUESTS.get(r.category, r.request))))
    roster = {e.code: e for e in result.roster}
    for letter in letters.values():  # a unit known only by its left-out files: the roster names it
        if (entry := roster.get(letter.code)) is not None:
            letter.name = letter.name or entry.name
            letter.supervisor = letter.supervisor or entry.supervisor
    missing = [RosterEntry(m.code, m.name, m.supervisor) for m in result.missing]
    return _named(_chosen(_identified(letters, missing).values(), include_warnings))


def _count(d, severity: str) -> int:
    """Findings of ``severity`` of a department or of its head (which has only the counts)."""
    if severity in (ERROR, WARNING) and hasattr(d, "errors"):
        return d.errors if severity == ERROR else d.warnings
    return d.count(severity)


def letters_from_summary(path: str | Path, include_warnings: bool = False):
    """``(county, year, letters)`` from a summary workbook ``consolidate`` wrote.

    Raises:
        InputError: the file is not a readable workbook.
        ContractError: it is not a summary written by ``xlsuite consolidate``.
    """
    from . import summary_reader as sr

    grids = sr.read_sheets(path, (h.ABOUT, h.DEPARTMENTS, h.FINDINGS, h.REJECTED, h.MISSING))
    about, tables = sr.about(grids), {sheet: sr.table(path, grids, sheet, *headers) for sheet, headers in {
        h.REJECTED: (h.FILE, h.CATEGORY, h.REASON, h.REQUEST, h.UNIT_CODE, h.UNIT_NAME),
        h.MISSING: (h.UNIT_CODE, h.UNIT_NAME, h.SUPERVISOR),
    }.items()}
    letters: dict[str, Letter] = {}
    # The departments' tables by the keys of their declared columns (``columns``).
    for row in sr.records(path, grids, h.DEPARTMENTS, "unit_code", "unit_name", "supervisor", "source"):
        if row["unit_code"]:  # subtotal and total rows have no 单位编码
            letters[row["unit_code"]] = Letter(row["unit_code"], row["unit_name"], row["supervisor"], [row["source"]])
    for row in sr.records(path, grids, h.FINDINGS, "unit_code", "severity", "rule_id", "subject", "message",
                          "location"):
        letter = letters.get(row["unit_code"])
        if letter is not None and row["rule_id"]:
            letter.problems.append(Problem(row["severity"], row["rule_id"], row["subject"], row["message"],
                                           row["location"]))
    for row in tables[h.REJECTED]:
        if not row[h.FILE] or row[h.CATEGORY] in NOT_RETURNED or (
                row[h.CATEGORY] == WRONG_YEAR and row[h.UNIT_CODE] in letters):
            continue
        key = row[h.UNIT_CODE] or f"file:{row[h.FILE]}"
        letter = letters.setdefault(key, Letter(row[h.UNIT_CODE], row[h.UNIT_NAME]))
        letter.files.append(row[h.FILE])
        # The row's own request: the summary asks for each file what its reason needs.
        request = LETTER_REQUESTS.get(row[h.CATEGORY]) or row[h.REQUEST] or REQUESTS.get(row[h.CATEGORY], "")
        letter.refusals.append(Refusal(row[h.FILE], row[h.CATEGORY], sentence(row[h.REASON]), sentence(request)))
    missing = []
    for row in tables[h.MISSING]:  # roster units whose files were left out: the roster names them
        if not row[h.UNIT_CODE]:
            continue
        missing.append(RosterEntry(row[h.UNIT_CODE], row[h.UNIT_NAME], row[h.SUPERVISOR]))
        if (letter := letters.get(row[h.UNIT_CODE])) is not None:
            letter.name = letter.name or row[h.UNIT_NAME]
            letter.supervisor = letter.supervisor or row[h.SUPERVISOR]
    return about.get(h.ABOUT_COUNTY, ""), about.get(h.ABOUT_YEAR, ""), \
        _named(_chosen(_identified(letters, missing).values(), include_warnings))


def _identified(letters: dict[str, Letter], missing: list[RosterEntry]) -> dict[str, Letter]:
    """Letters about a file nobody could read (keyed ``file:…``, no 单位编码) addressed to the
    roster unit the file's name names, as 未报送单位 ties them (``roster.unit_named_in``): the
    letter then says whose it is, and goes with that unit's other papers if it has any."""
    out: dict[str, Letter] = {}
    for key, letter in letters.items():
        entry = unit_named_in(letter.files[0], missing) if not letter.code and letter.files else None
        if entry is not None:
            key = entry.code
            letter.code, letter.name, letter.supervisor = entry.code, entry.name, entry.supervisor
        if key in out:
            _merge(out[key], letter)
        else:
            out[key] = letter
    return out


def _merge(into: Letter, other: Letter) -> None:
    into.files.extend(f for f in other.files if f not in into.files)
    into.refusals.extend(other.refusals)
    if not isinstance(into.problems, StoredProblems):
        into.problems.extend(other.problems)


def write_letters(letters: list[Letter], folder: str | Path, county: str = "", year: int | str | None = None,
                  *, contact: str = "", deadline: str = "", keep: Iterable[str | Path] = ()) -> list[Path]:
    """Write each letter into ``folder`` (created) as ``letter.file_name``; the files written.

    A file of that name that is not an earlier 审核意见, or is one of ``keep`` (the inputs), is
    never replaced: the letter takes a numbered name beside it (and ``file_name`` says so).

    Raises:
        InputError: ``folder`` is a file or cannot be written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "审核意见的输出位置应为文件夹，而这里是一个文件")
    kept = {_key(p) for p in keep}
    written = []
    for letter in letters:
        target = folder / letter.file_name
        n = 2
        while target.exists() and (_key(target) in kept or generated_kind(target) != FEEDBACK):
            target = folder / f"{letter.file_name.removesuffix('.xlsx')}-{n}.xlsx"
            n += 1
        letter.file_name = target.name
        written.append(write_via_temp(target, lambda tmp, lt=letter: _write(tmp, lt, county, year, contact, deadline)))
    return written


def write_feedback(summary: str | Path, output: str | Path, feedback_all: bool = False,
             contact: str = "", deadline: str = "") -> list[Path]:
    """Write the 审核意见 of every unit that gets one, from the county summary ``summary``, into the
    folder ``output``; the files written (the ``xlsuite feedback`` command).

    Raises:
        InputError: ``summary`` is not a readable workbook, or ``output`` cannot be written.
        ContractError: ``summary`` is not a summary written by ``xlsuite consolidate``.
    """
    county, year, letters = letters_from_summary(summary, feedback_all)
    return write_letters(letters, output, county, year, contact=contact, deadline=deadline, keep=[summary])


# --- choosing and naming ---------------------------------------------------------------------------

def _chosen(letters: Iterable[Letter], include_warnings: bool) -> list[Letter]:
    return [lt for lt in letters
            if lt.refusals or lt.count(ERROR) or (include_warnings and lt.count(WARNING))]


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
NAME_MAX = 60
"""Characters of a unit's name kept in a file name (paths on Windows stay short)."""


def safe_file_stem(text: str) -> str:
    """``text`` as a file name that Windows, macOS and Linux all accept ("" if nothing is left)."""
    stem = _UNSAFE.sub("_", text)
    stem = re.sub(r"\s+", " ", stem).strip(" ._")[:NAME_MAX].strip(" .")
    return f"_{stem}" if _RESERVED.match(stem) else stem


def _named(letters: list[Letter]) -> list[Letter]:
    """Give each letter a file name after its unit (or its file), distinct without regard to case."""
    used: set[str] = set()
    for letter in letters:
        stem = (safe_file_stem(letter.name) or safe_file_stem(letter.code)
                or safe_file_stem(Path(letter.files[0]).stem if letter.files else "") or "单位")
        name = f"{stem}{SUFFIX}"
        if name.lower() in used and letter.code:
            name = f"{stem}-{safe_file_stem(letter.code)}{SUFFIX}"
        n = 2
        while name.lower() in used:
            name = f"{stem}-{n}{SUFFIX}"
            n += 1
        used.add(name.lower())
        letter.file_name = name
    return letters


def _key(path: str | Path) -> str:
    import os

    return os.path.normcase(os.path.realpath(path))


# --- the workbook ------------------------------------------------------------------------------------

PROBLEM_HEADERS = ("序号", h.SEVERITY, h.RULE_NAME, h.SUBJECT, h.FINDING_MESSAGE, h.LOCATION, "处理要求", h.RULE_ID)
# 规则编号 last, for reference, never wrapped (an id broken mid-word misleads): its cells shrink
# to fit instead, in a column wide enough for the longest id at the smaller font most fonts
# print it in (a page of mostly empty id column would print everything else small).
CODE_SIZE = 8
PROBLEM_WIDTHS = (6, 8, 16, 14, 50, 16, 26, textwidth.unbroken_width([LONGEST_ID], CODE_SIZE, textwidth.NARROW_EM))
REFUSAL_HEADERS = (h.FILE, h.CATEGORY, h.REASON, "请报送")
INFO_KEYS = ("单位名称", "单位编码", "主管部门", "报送文件", "审核结论", "重新报送截止日期", "县财政局联系人", "生成时间")


def _write(path: Path, letter: Letter, county: str, year, contact: str, deadline: str) -> None:
    from ..files.plaintext_xlsx import PlainTextWorkbook

    wb = PlainTextWorkbook(str(path), style.WORKBOOK_OPTIONS)
    wb.set_properties({"title": f"{county}{year or ''}年度部门预算绩效自评审核意见：{letter.name or letter.code}",
                       "author": "xlsuite"})
    fmt = _formats(wb)
    ws = wb.add_worksheet(h.FEEDBACK_SHEET)
    last = len(PROBLEM_HEADERS) - 1
    for col, width in enumerate(PROBLEM_WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, last, f"{county}{year or ''}年度部门预算绩效自评 审核意见", fmt["title"])
    verdict = (f"{RETURN}：请按下列意见改正后重新报送" if letter.verdict == RETURN
               else f"{CHECK}：请核实下列警告，如有误请改正后重新报送")
    values = (letter.name, letter.code, letter.supervisor, "；".join(letter.files), verdict,
              deadline or "（见通知）", contact or "（见通知）", dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    row = 2
    for key, value in zip(INFO_KEYS, values, strict=True):
        _cell(ws, row, 0, 1, key, fmt["key"])
        _cell(ws, row, 2, last, value, fmt["text"])
        style.fit_row(ws, row, [(value, sum(PROBLEM_WIDTHS[2:]))])
        row += 1
    if letter.refusals:
        row += 1
        ws.write_string(row, 0, "一、未纳入汇总的文件", fmt["section"])
        row += 1
        spans = ((0, 1), (2, 2), (3, 4), (5, 6))
        for (a, b), text in zip(spans, REFUSAL_HEADERS, strict=True):
            _cell(ws, row, a, b, text, fmt["header"])
        for r in letter.refusals:
            row += 1
            texts = (r.file, r.category, r.reason, r.request.replace("请单位", "请", 1))
            for (a, b), text in zip(spans, texts, strict=True):
                _cell(ws, row, a, b, text, fmt["wrap"])
            style.fit_row(ws, row, [(text, sum(PROBLEM_WIDTHS[a:b + 1])) for (a, b), text in zip(spans, texts, strict=True)])
    row += 2
    section = "二、" if letter.refusals else "一、"
    ws.write_string(row, 0, f"{section}审核发现的问题（共 {len(letter.problems)} 条："
                            f"{ERROR} {letter.count(ERROR)}，{WARNING} {letter.count(WARNING)}，"
                            f"{HINT} {letter.count(HINT)}）", fmt["section"])
    row += 1
    header_row = row
    for col, text in enumerate(PROBLEM_HEADERS):
        ws.write_string(row, col, text, fmt["header"])
    problems = sorted(letter.problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 9))
    for n, p in enumerate(problems, 1):
        row += 1
        ws.write_number(row, 0, n, fmt["wrap"])
        texts = (p.severity, rule_label(p.rule_id), p.subject, p.message, p.location, TO_DO.get(p.severity, ""))
        for col, text in enumerate(texts, 1):
            ws.write_string(row, col, text, fmt["wrap"])
        ws.write_string(row, len(texts) + 1, p.rule_id, fmt["code"])
        style.fit_row(ws, row, list(zip(texts, PROBLEM_WIDTHS[1:], strict=False)))
    if not problems:
        row += 1
        _cell(ws, row, 0, last, "（上表所列文件未纳入汇总，其内容未列入审核；请按上表处理后重新报送）", fmt["wrap"])
    row += 2
    notes = ("说明：位置如“收支情况!E43”指“收支情况”工作表的 E43 单元格。请在原工作簿中改正（金额以万元为单位），"
             "更新“部门信息”的填报日期，保存为 .xlsx 后在截止日期前重新报送；"
             "改正后可在 Excel 中按“校验”按钮，或运行 xlsuite validate 自查。")
    ws.merge_range(row, 0, row, last, "", fmt["note"])
    ws.write_string(row, 0, notes, fmt["note"])
    ws.set_row(row, 48)
    # 落款: the bureau that sends the letter, the date, and room for its seal — a letter without
    # them is no letter a 绩效股 can send.
    row += 2
    today = dt.date.today()
    for text in (signatory(county), f"{today.year}年{today.month}月{today.day}日", SEAL):
        _cell(ws, row, last - 2, last, text, fmt["sign"])
        row += 1
    style.print_a4(ws, landscape=True, repeat=(header_row, header_row))
    wb.close()


SEAL = "（盖章）"


def signatory(county: str) -> str:
    """Who signs a letter: ``永昌县财政局``, or 县财政局 when the county is not known."""
    return f"{county}财政局" if county else "县财政局"


def _cell(ws, row: int, first: int, last: int, text: str, fmt) -> None:
    if last > first:
        ws.merge_range(row, first, row, last, "", fmt)
    ws.write_string(row, first, text, fmt)


def _formats(wb) -> dict:
    base = style.CELL
    return {
        "title": wb.add_format(style.TITLE),
        "header": wb.add_format({**base, **style.HEADER}),
        "key": wb.add_format({**base, "bold": True, "bg_color": style.LABEL_FILL}),
        "text": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "section": wb.add_format({"font_name": style.SONGTI, "font_size": 12, "bold": True}),
        "note": wb.add_format({**style.NOTE, "text_wrap": True, "valign": "top"}),
        "code": wb.add_format({**base, "font_size": CODE_SIZE, "valign": "top", "shrink": True}),
        "sign": wb.add_format({"font_name": style.SONGTI, "font_size": 12, "align": "center"}),
    }
