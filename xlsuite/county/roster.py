"""The roster (名册) of units expected to submit: a CSV or an Excel file with a 单位编码 column.

Excel on Chinese Windows saves CSV in GBK, other tools in UTF-8: both are read. The header row
is found by its 单位编码 cell; 单位名称 and 主管部门 are optional columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError, library_reason, os_reason
from .headers import SUPERVISOR, UNIT_CODE, UNIT_NAME

CODE, NAME = UNIT_CODE, UNIT_NAME
"""The roster's columns, headed as 部门信息 labels them (and ``SUPERVISOR``)."""


@dataclass(frozen=True)
class RosterEntry:
    code: str
    name: str = ""
    supervisor: str = ""


@dataclass(frozen=True)
class Missing:
    """A roster unit with no workbook in the summary, and what is known about it."""

    code: str
    name: str
    supervisor: str
    note: str


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Every unit of the roster, in file order.

    Raises:
        InputError: the file cannot be read or has no 单位编码 column.
    """
    path = Path(path)
    try:
        rows = _excel_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") else _csv_rows(path)
    except OSError as exc:
        raise InputError(path, f"无法读取名册文件（{os_reason(exc)}）") from None
    for n, row in enumerate(rows):
        cells = [cell_text(v) for v in row]
        if CODE in cells:
            header = {name: cells.index(name) for name in (CODE, NAME, SUPERVISOR) if name in cells}
            return _entries(rows[n + 1:], header)
    raise InputError(path, f"名册中没有“{CODE}”列（第一行应为表头：{CODE}、{NAME}、{SUPERVISOR}）")


def cell_text(value) -> str:
    """A cell as text; a code typed as a number (307001 → 307001.0 in some readers) loses its .0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _entries(rows: list[list], header: dict[str, int]) -> list[RosterEntry]:
    entries = []
    for row in rows:
        cells = [cell_text(v) for v in row]
        code, name, supervisor = (cells[i] if (i := header.get(key)) is not None and i < len(cells) else ""
                                  for key in (CODE, NAME, SUPERVISOR))
        if code:
            entries.append(RosterEntry(code, name, supervisor))
    return entries


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(path, "名册文件的文字编码无法识别，请用 Excel 另存为“CSV UTF-8”或 .xlsx")
    return list(csv.reader(io.StringIO(text)))


def _excel_rows(path: Path) -> list[list]:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python()
        wb.close()
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds; all mean "unreadable"
        raise InputError(path, f"无法读取名册工作簿（{library_reason(exc)}）") from None
    return rows


@dataclass(frozen=True)
class Unlisted:
    """A book whose 单位编码 is not on the roster (included in the summary or not)."""

    code: str
    name: str
    supervisor: str
    path: str
    status: str
    """纳入汇总, or why not (the 未纳入汇总 category)."""
    note: str


INCLUDED = "已纳入汇总"


def unit_named_in(path: str | Path, entries) -> RosterEntry | None:
    """The roster unit whose 单位名称 a file's name contains (the longest such name), for a file
    that could not be read and so has no known 单位编码: its name often names the unit. The one
    rule by which 未报送单位 and the 审核意见 tie such a file to its unit."""
    name = Path(path).name
    found = [e for e in entries if e.name and e.name in name]
    return max(found, key=lambda e: len(e.name)) if found else None


def not_on_roster(entries: list[RosterEntry], books: list[tuple[str, str, str, str, str]]) -> list[Unlisted]:
    """The books, given as ``(code, name, supervisor, path, status)``, whose 单位编码 the roster
    lacks; a roster unit of the same name is pointed out (a mistyped code, most likely)."""
    if not entries:
        return []
    codes = {e.code for e in entries}
    by_name = {e.name: e.code for e in entries if e.name}
    out = []
    for code, name, supervisor, path, status in books:
        if not code or code in codes:
            continue
        other = by_name.get(name)
        note = (f"名册中有同名单位，单位编码为 {other}：请核对工作簿或名册中的单位编码" if other
                else "名册中没有此单位编码：请核对名册是否遗漏此单位，或单位编码是否填错")
        out.append(Unlisted(code, name, supervisor, path, status, note))
    return out
