"""What a consolidation yields: per-file records and the run's ``ConsolidationResult``.

Reading one file yields small, plain, picklable records. Worker processes send these back to the
main process, so they hold only strings, numbers and tuples (no workbook objects, no cell maps):
pickling stays cheap for thousands of files. The per-project and per-indicator rows are tuples
already in the summary's column order (``columns``), built in the workers, so the main process
(the one writing the summary) only passes them on.

``ConsolidationResult`` gathers them for the summary writer (``summary``) and the caller of
``consolidate``; it lives here, not in ``consolidation``, so the writer needs nothing of the module
that calls it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import columns

if TYPE_CHECKING:
    from .roster import Missing, RosterEntry, Unlisted

# Why a file is not in the summary. Each category comes with what to ask the department for.
UNREADABLE, NOT_STANDARD, BAD_CELLS = "无法读取", "不是标准工作簿", "单元格内容有误"
DUPLICATE, WRONG_YEAR, NO_CODE, SKIPPED, CRASHED = "重复", "年度不符", "缺少单位编码", "跳过", "程序异常"
SUPERSEDED = "已有新版本"
"""``--duplicates newest``: an earlier version of a unit's book, left out for its latest one."""

REQUESTS = {
    UNREADABLE: "请单位在 Excel 中打开确认文件完好，另存为 .xlsx 后重新报送",
    NOT_STANDARD: "请单位使用县财政局下发的标准模板填报（不要改动工作表名称和表头）后重新报送",
    BAD_CELLS: "请单位把所列单元格改为数字（金额以万元为单位）后重新报送",
    DUPLICATE: "请核实哪一份是最终版本，只保留一份后重新汇总（或用 --duplicates newest 采用最新的一份）",
    SUPERSEDED: "无需处理；如采用的不是最终版本，请删除多余的文件后重新汇总",
    WRONG_YEAR: "请单位报送本年度的工作簿",
    NO_CODE: "请单位在“部门信息”中填写单位编码后重新报送",
    SKIPPED: "无需处理；如确是工作簿，请另存为 .xlsx 后放入报送文件夹",
    CRASHED: "请把此文件发给技术支持人员",
}


def sentence(text: str) -> str:
    """``text`` as one whole sentence: ending in 。 (a clause's trailing comma or semicolon
    dropped), so a reason or a request never reads as a fragment."""
    text = text.strip().rstrip("，,；;、：: ")
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


class Issue(NamedTuple):
    """One finding of a department's book (see ``xlsuite.core.validation.Finding``)."""

    rule_id: str
    severity: str
    message: str
    location: str
    subject: str


ProjectRow = namedtuple("ProjectRow", columns.keys(columns.PROJECT), module=__name__)
ProjectRow.__doc__ = """A project as 项目自评汇总 shows it: the fields of ``columns.PROJECT``."""

IndicatorRow = namedtuple("IndicatorRow", columns.keys(columns.INDICATOR), module=__name__)
IndicatorRow.__doc__ = """An indicator as 绩效指标明细 shows it: the fields of ``columns.INDICATOR``.

``Department.indicators`` holds these as plain tuples in this field order: they are the bulk of
what workers send back, and unpickling rebuilds a named tuple through its class (about twice the
cost of a plain tuple)."""


@dataclass
class Department:
    """A book that was read, validated and scored."""

    path: str
    code: str
    name: str
    supervisor: str
    year: int | None
    amounts: dict[str, tuple[float | None, float | None]]
    """Every 收支情况 row by contract key: (全年预算数, 全年执行数) in 万元, as the summary shows
    them (floats; validation and scoring ran on the exact ``Decimal``); totals computed if
    uncached."""
    rate: Decimal | None
    score: Decimal
    grade: str | None
    profile: str = ""
    """The name of the scoring profile the book was evaluated under."""
    projects: list[ProjectRow] = field(default_factory=list)
    indicators: list[tuple] = field(default_factory=list)
    """``IndicatorRow`` fields, as plain tuples."""
    issues: list[Issue] = field(default_factory=list)
    filled: str = ""
    """填报日期 as the book writes it ("" when not filled)."""
    copy_of: str = ""
    """The sha256 of the file this book is a scored copy of (its score stamp), "" for none."""

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues if i.severity == severity)

    def executed(self, key: str) -> float | None:
        return self.amounts[key][1] if key in self.amounts else None

    def budgeted(self, key: str) -> float | None:
        return self.amounts[key][0] if key in self.amounts else None


@dataclass(frozen=True)
class Rejected:
    """A file not in the summary: its category, the reason, and what to ask for.

    ``advice`` is what the reader said to do about this very file (``errors.RESEND`` …); without
    it the request is its category's (``REQUESTS``)."""

    path: str
    category: str
    reason: str
    code: str = ""
    name: str = ""
    advice: str = ""

    @property
    def request(self) -> str:
        return self.advice or REQUESTS[self.category]

    @property
    def own_file(self) -> bool:
        """One of xlsuite's own files (a summary, a 审核意见, a scored copy), skipped."""
        from .own_files import OWN_FILE

        return self.category == SKIPPED and self.reason.startswith(OWN_FILE)


@dataclass
class ConsolidationResult:
    """What went into the summary and what did not.

    Attributes:
        output: the summary workbook written.
        departments: included departments, in summary order (by 主管部门, then 单位编码); after
            ``consolidate``, a sequence that reads each back from the run's temporary store as
            it is asked for (see ``store``), so going through a province holds one at a time.
        rejected: every file not included (unreadable, duplicate, skipped, …) with its reason.
        missing: roster units without an included workbook.
        unlisted: books (included or not) of units that are not on the roster.
        returns: the units that get a 审核意见 (退回清单), whether or not the files were written.
        feedback: the 审核意见 files written (``--feedback``).
    """

    output: Path
    county: str
    year: int | None
    profile: str
    grades: tuple[str, ...]
    inputs: list[str]
    received: int
    """Workbook files read (skipped files, xlsuite's own included, not counted)."""
    departments: list[Department] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    roster: list[RosterEntry] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    unlisted: list[Unlisted] = field(default_factory=list)
    duplicates: str = "none"
    """The duplicates policy the run used (``none`` or ``newest``)."""
    returns: list = field(default_factory=list)
    """``feedback.Letter``s, one per unit to return (that module needs this one: not named here)."""
    feedback: list[Path] = field(default_factory=list)
    created: dt.datetime = field(default_factory=dt.datetime.now)

    def shown(self, path: str) -> str:
        """A file as the summary shows it: relative to the input folder holding it."""
        return shown_path(self.inputs, path)

    @property
    def skipped_count(self) -> int:
        return sum(1 for r in self.rejected if r.category == SKIPPED)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected) - self.skipped_count

    @property
    def own_count(self) -> int:
        """xlsuite's own files met among the inputs (counted among the skipped)."""
        return sum(1 for r in self.rejected if r.own_file)


def shown_path(inputs: list[str], path: str) -> str:
    """``path`` relative to the first of ``inputs`` (files or folders) holding it."""
    for root in inputs:
        base = str(Path(root))  # (the path itself, written as a Path: no Path made for each file)
        if path == base:
            return os.path.basename(path)
        prefix = base if base.endswith(os.sep) else base + os.sep
        if path.startswith(prefix):
            return path[len(prefix):]
    return path
