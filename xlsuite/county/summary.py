"""The county summary workbook (县级汇总表), written with xlsxwriter.

One sheet per question the finance bureau asks: how it went (汇总说明), each department
(部门自评汇总, with subtotals per 主管部门), each project and indicator, spending by class, 三公
经费, every finding, every file left out and why, who did not submit, and how the grades fell.
"""

from __future__ import annotations

import io
import math
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from .. import __version__
from ..adapters.xlsxwriter_internals import can_assemble_apart
from ..core import contract as c
from ..core.validation import ERROR, HINT, WARNING
from ..files.atomic import target_of, write_bytes
from ..layout import style
from . import columns
from . import headers as h
from .charts import write_distribution
from .columns import SummaryColumn
from .exact import ExactSum
from .headers import (  # the sheet names, defined with the texts readers find them by
    ABOUT,
    DEPARTMENTS,
    ECONOMICS,
    FINDINGS,
    FUNCTIONS,
    GRADES,
    INDICATORS,
    MISSING,
    NOT_ON_ROSTER,
    PROJECTS,
    REJECTED,
    RETURNS,
    SANGONG,
)
from .memory import no_cycle_collection
from .rawrows import END_ROW, ROW, FastWorkbook
from .results import sentence
from .sheet import (
    FIRST_ROW,
    INT,
    MONEY,
    TEXT,
    Col,
    Formats,
    TableRows,
    TableSheet,
    a1,
    rate_formula,
    rate_value,
)
from .store import DepartmentStore, Heads, Packed, StoredDepartments, pack

if TYPE_CHECKING:
    from .results import ConsolidationResult, Department, Issue, ProjectRow


SHEET_GUIDE = {
    DEPARTMENTS: "每个纳入汇总的单位一行（收支为全年执行数），按主管部门小计，末行合计；可筛选",
    PROJECTS: "所有单位的全部项目：预算、执行、执行率、自评得分和等级",
    INDICATORS: "所有绩效指标：指标值、完成值、分值、重新计算的得分与文件中原有的得分",
    FUNCTIONS: "各单位按支出功能分类（类）的全年执行数，行末合计，末行合计",
    ECONOMICS: "各单位按支出经济分类（类）的全年执行数，行末合计，末行合计",
    SANGONG: "各单位“三公”经费、会议费、培训费的全年执行数",
    FINDINGS: "校验发现的全部问题：单位、严重程度、规则（中文名称）和规则编号、说明和单元格位置",
    REJECTED: "未纳入汇总的文件及原因、需请单位做什么（含重复报送、跳过的临时文件）",
    MISSING: "名册中没有纳入汇总的单位（未报送，或报送了但未纳入）",
    NOT_ON_ROSTER: "报送了工作簿、但单位编码不在名册中的单位（请核对名册或单位编码）",
    RETURNS: "应退回审核意见的单位：有错误或文件未纳入汇总（使用 --feedback-all 时含只有警告的单位）",
    GRADES: "部门整体自评等级分布和预算执行率分布（附图）",
}

DEPT_AMOUNTS = columns.DEPT_AMOUNTS


OPTIONS = style.WORKBOOK_OPTIONS


class DepartmentRows:
    """Renders a department's rows of the sheets with rows per department (``STORED``) and packs
    them, with what the total rows add up of it and its record, as its ``DepartmentStore`` keeps
    them (``store.pack``).

    It holds no workbook, only the layouts (``TableRows``, ``ClassRows``) with the style numbers
    of the ``SummaryBook`` that made it, and it pickles: a worker process (``collect.stream``'s
    ``prepare``) renders each department it reads, so the main process, which writes the summary,
    is left only to store the bytes (rendering is some 1.1 ms of a book's 8). Each process
    measures the texts it renders; ``pack`` hands on how wide the widest so far are.

    Args:
        shown: how a department's file is shown (relative to the input folder); picklable
            (a module's function, a ``functools.partial`` of one) for a worker to be given it.
    """

    def __init__(self, wb, fmt: Formats, shown: Callable[[str], str]):
        # Text inline in each cell: such rows need no shared string table, which would grow
        # with every department's names and messages, and can be rendered away from the book.
        self.tables = {name: TableRows(wb, fmt, cols, wrap, inline=True)
                       for name, (_, cols, wrap, _) in TABLES.items()}
        self.classes = {name: ClassRows(wb, fmt, prefix) for name, (prefix, _) in CLASS_SHEETS.items()}
        self.shown = shown

    def pack(self, d: Department) -> tuple[Packed, Widest]:
        """``d`` as the store keeps it, and the widest texts of each table rendered so far."""
        tables = self.tables
        projects, indicators, findings = (tables[name].render for name in (PROJECTS, INDICATORS, FINDINGS))
        unit, shown = _unit_values(d), self.shown(d.path)
        rows = {
            DEPARTMENTS: [tables[DEPARTMENTS].render(*_department_row(d, shown))],
            SANGONG: [tables[SANGONG].render(*_sangong_row(d))],
            PROJECTS: [projects(_project_row(unit, p), {PROJECT_RATE_COL: (PROJECT_RATE, rate_value(p.executed, p.budget))})
                       for p in d.projects],
            # The largest sheet: rows come from the reading in column order.
            INDICATORS: [indicators(unit[:2] + i) for i in d.indicators],
            FINDINGS: [findings(row) for row in _finding_rows(unit, d.issues, shown)],
            **{name: [classes.render(d)] for name, classes in self.classes.items()},
        }
        packed = pack(STORED, d, rows, _numbers(d, shown, self.classes), d.count(ERROR), d.count(WARNING))
        return packed, tuple(t.widest for t in tables.values())


Widest = tuple[dict[int, int], ...]
"""Per table of ``TABLES``, the widest texts of its unwrapped text columns (``TableRows.widest``)."""


class SummaryBook:
    """The summary workbook being built.

    The sheets with rows per department (``TABLES``: 部门自评汇总, 项目自评汇总, 绩效指标明细,
    三公经费汇总, 审核问题清单, and the ``CLASS_SHEETS`` 功能/经济分类汇总, see ``ClassRows``) hold
    most of the summary's cells. A department's rows of them are rendered as soon as its result
    is ready, by ``rows`` (``DepartmentRows``, in the worker that read the book, or by ``add``),
    while other books are still being read, and kept in the book's ``DepartmentStore`` (on disk)
    with the numbers its total rows need and its record (``take``); ``finish`` writes every sheet,
    in summary order, streaming each department's rows from the store into the sheet, so that
    neither the rows nor the file are ever held in memory whole.

    Args:
        shown: how a department's file is shown (relative to the input folder); see
            ``DepartmentRows``.
    """

    def __init__(self, shown: Callable[[str], str]):
        self.wb = FastWorkbook(None, OPTIONS)  # the file is named by ``finish``
        self.fmt = Formats(self.wb)
        self.shown = shown
        self.rows = DepartmentRows(self.wb, self.fmt, shown)
        self.store = DepartmentStore(STORED)
        self.full_lists = FullLists()

    def add(self, d: Department, key: int | None = None) -> int:
        """Render ``d``'s rows and store them with its head, under ``key`` (by default the next
        free one); returns the key (a department later left out is simply never placed)."""
        return self.take(*self.rows.pack(d), key)

    def take(self, packed: Packed, widest: Widest, key: int | None = None) -> int:
        """Store a department ``DepartmentRows.pack`` made (here or in a worker), under ``key``;
        returns the key. Each table's columns grow to the widest text any process rendered."""
        for table, widths in zip(self.rows.tables.values(), widest, strict=True):
            table.widen(widths)
        return self.store.put_packed(packed, key)

    def layout(self, name: str) -> TableRows:
        """The layout the rows of sheet ``name`` (one of ``TABLES``) are rendered with."""
        return self.rows.tables[name]

    def later_rows(self, name: str, keys: Sequence[int]) -> Callable[[], Iterable[bytes]]:
        """What yields the stored rows of departments ``keys`` on sheet ``name``, when the sheet
        is written."""
        return lambda: self.store.rows_of(keys, name)

    def keys(self, departments: Sequence[Department]) -> array:
        """The store's keys of ``departments``: those stored here, or each added now."""
        if isinstance(departments, StoredDepartments) and departments.store is self.store:
            return departments.keys
        return array("q", (self.add(d) for d in departments))

    def finish(self, result: ConsolidationResult, path: str | Path) -> None:
        """Write every sheet for ``result`` (its departments in summary order) to ``path``."""
        with no_cycle_collection():
            keys = self.keys(result.departments)
            self.wb.filename = str(path)
            _write(self, result, keys)


def write_summary(path: str | Path, result: ConsolidationResult, book: SummaryBook | None = None) -> Path:
    """Write the summary of ``result`` to ``path`` (the caller makes that atomic), with the rows
    ``book`` has rendered already."""
    book = book or SummaryBook(result.shown)
    book.full_lists.beside = target_of(Path(path))
    book.finish(result, path)
    book.full_lists.write()
    return Path(path)


EXCEL_MAX_ROWS = 1_048_576
"""Rows of a worksheet in Excel (and WPS, LibreOffice): no sheet of the summary goes past it."""
MAX_DETAIL_ROWS = EXCEL_MAX_ROWS - FIRST_ROW - 1
"""Data rows a detail sheet (审核问题清单, 绩效指标明细) shows; one row below them says how many
were left out and names the CSV file beside the summary that lists them all."""


class FullLists:
    """The detail sheets too long for Excel, each written in full to a CSV beside the summary."""

    def __init__(self):
        self.beside: Path | None = None
        self.tables: dict[str, tuple[list[str], list[tuple]]] = {}

    def path(self, name: str) -> Path | None:
        return None if self.beside is None else self.beside.with_name(f"{self.beside.stem}-{name}.csv")

    def write(self) -> None:
        import csv

        for name, (headers, rows) in self.tables.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows(rows)
            write_bytes(self.path(name), buffer.getvalue().encode("utf-8-sig"))  # Excel opens it as UTF-8


def _write(book: SummaryBook, r: ConsolidationResult, keys: array) -> None:
    wb, fmt = book.wb, book.fmt
    wb.set_properties({"title": f"{r.county}{r.year or ''}年度部门预算绩效自评汇总", "author": "xlsuite"})
    totals = _Totals(book, keys)
    _about(wb, fmt, r)
    _departments(book, keys, totals)
    _projects(book, keys, totals)
    _detail(book, INDICATORS, keys, totals)
    for name in CLASS_SHEETS:
        _classes(book, name, keys, totals)
    _sangong(book, keys, totals)
    _detail(book, FINDINGS, keys, totals)
    _rejected(wb, fmt, r)
    _missing(wb, fmt, r)
    _not_on_roster(wb, fmt, r)
    _returns(wb, fmt, r)
    write_distribution(wb, fmt, GRADES, Heads(book.store, keys), r.grades)
    wb.close()


def _numbers(d: Department, shown: str, classes: dict[str, ClassRows]) -> tuple:
    """What the total rows add up of ``d``: its 部门自评汇总 sums by column, its projects'
    全年预算数 and 全年执行数, its 三公经费汇总 amounts and its amount of each class."""
    dept = [(at, col.value(d, shown) or (0.0 if at in _AMOUNT_AT else 0)) for at, col in _SUMMED.items()]
    projects = ([p.budget or 0.0 for p in d.projects], [p.executed or 0.0 for p in d.projects])
    sangong = [v or 0.0 for v in _sangong_row(d)[0][SANGONG_BUDGET_COL:]]
    return dept, projects, sangong, {name: rows.amounts_of(d) for name, rows in classes.items()}


class _Totals:
    """The sums of the total rows, gathered in one pass over the included departments' stored
    numbers (each exactly rounded, as ``math.fsum`` and a spreadsheet sum), and how many rows
    each sheet gets."""

    def __init__(self, book: SummaryBook, keys: array):
        self.groups: dict[str, array] = {}
        """The keys of the departments of each 主管部门, in summary order."""
        self.rows: dict[str | None, list[int]] = {None: [0] * len(STORED)}
        """Rows of each stored sheet, of each 主管部门's departments (and of all: ``None``)."""
        self.scores: dict[str | None, list] = {None: [Decimal(0), 0]}
        """The sum and number of 部门整体 scores, of each 主管部门 (and of all: ``None``)."""
        self.dept: dict[str | None, dict[int, ExactSum | int]] = {None: _dept_sums()}
        """部门自评汇总 sums by column, of each 主管部门's departments (and of all: ``None``)."""
        budget, executed = ExactSum(), ExactSum()
        sangong = [ExactSum() for _ in range(len(_sangong_cols()) - SANGONG_BUDGET_COL)]
        classes = {name: ([ExactSum() for _ in rows.classes], [False] * len(rows.classes), ExactSum())
                   for name, rows in book.rows.classes.items()}
        for head in Heads(book.store, keys):
            supervisor = head.supervisor
            self.groups.setdefault(supervisor, array("q")).append(head.id)
            for rows in (self.rows[None], self.rows.setdefault(supervisor, [0] * len(STORED))):
                for i, n in enumerate(head.counts):
                    rows[i] += n
            for score in (self.scores[None], self.scores.setdefault(supervisor, [Decimal(0), 0])):
                if head.grade:  # an unrated department shows no score (_score_and_grade)
                    score[0] += head.score
                    score[1] += 1
            dept, (budgets, spent), three, amounts = book.store.numbers_of(head)
            for sums in (self.dept[None], self.dept.setdefault(supervisor, _dept_sums())):
                for col, value in dept:
                    if col in _AMOUNT_AT:
                        sums[col].add(value)
                    else:
                        sums[col] += value
            for value in budgets:
                budget.add(value)
            for value in spent:
                executed.add(value)
            for total, value in zip(sangong, three, strict=True):
                total.add(value)
            for name, line in amounts.items():
                column_sums, used, grand = classes[name]
                for j, value in enumerate(line):
                    if value:
                        column_sums[j].add(value)
                        used[j] = True
                        grand.add(value)
        self.projects = (budget.value(), executed.value())
        self.sangong = [total.value() for total in sangong]
        self.classes = {name: ([j for j, u in enumerate(used) if u] or [0], [x.value() for x in sums], grand.value())
                        for name, (sums, used, grand) in classes.items()}
        """Per class sheet: the classes used, each class's sum and the sum of them all."""

    def dept_sums(self, supervisor: str | None) -> dict[int, float | int]:
        return {col: (v.value() if isinstance(v, ExactSum) else v) for col, v in self.dept[supervisor].items()}

    def count(self, name: str, supervisor: str | None = None) -> int:
        """Rows of sheet ``name``, of a 主管部门's departments or of all."""
        return self.rows[supervisor][STORED_AT[name]]

    def mean_score(self, supervisor: str | None) -> Decimal | None:
        total, n = self.scores[supervisor]
        return total / n if n else None


def _dept_sums() -> dict[int, ExactSum | int]:
    return {at: ExactSum() if at in _AMOUNT_AT else 0 for at in _SUMMED}


def _unit_cols() -> list[SummaryColumn]:
    return list(columns.UNIT)


def _unit_values(d: Department) -> tuple:
    """The values of ``d``'s unit columns, which lead its rows."""
    return tuple(col.value(d) for col in columns.UNIT)


def _col_of(cols: list[Col], header: str) -> int:
    """The position of the column headed ``header``."""
    return [col.header for col in cols].index(header)


# The unit columns that lead most sheets: a total row's label goes under 单位名称, a subtotal's
# 主管部门 under 主管部门; the sheet's own columns start after them.
UNIT_NAME_COL, SUPERVISOR_COL = _col_of(_unit_cols(), h.UNIT_NAME), _col_of(_unit_cols(), h.SUPERVISOR)
AFTER_UNIT = len(_unit_cols())
FREEZE_UNIT = SUPERVISOR_COL
"""Columns frozen on most sheets: 单位编码 and 单位名称 stay in view."""


def _positions(cols: list[Col], *headers: str) -> tuple[int, ...]:
    """The positions of the columns headed ``headers`` (e.g. the columns whose text wraps)."""
    return tuple(_col_of(cols, header) for header in headers)


def _wrapped(cols: list[SummaryColumn]) -> tuple[int, ...]:
    """The positions of the declared columns whose text wraps."""
    return tuple(i for i, col in enumerate(cols) if col.wrap)


def _about(wb, fmt: Formats, r: ConsolidationResult) -> None:
    key_col, value_col = h.ABOUT_KEY_COL, h.ABOUT_VALUE_COL
    ws = wb.add_worksheet(ABOUT)
    ws.set_column(key_col, key_col, _ABOUT_KEY_WIDTH)
    ws.set_column(value_col, value_col, _ABOUT_VALUE_WIDTH)
    ws.merge_range(0, key_col, 0, value_col, f"{r.county}{r.year or ''}年度部门预算绩效自评汇总", fmt.title)
    lines = [
        (h.ABOUT_COUNTY, r.county), (h.ABOUT_YEAR, str(r.year or "")),
        (h.ABOUT_RECEIVED, f"{r.received} 个"), ("纳入汇总单位", f"{len(r.departments)} 个"),
        ("未纳入汇总文件", f"{r.rejected_count} 个（见“{REJECTED}”）"),
        ("跳过的文件", f"{r.skipped_count} 个（临时锁定文件、xlsuite 生成的文件 {r.own_count} 个等，见“{REJECTED}”）"),
        ("重复报送的处理", DUPLICATE_POLICY[r.duplicates]),
        (h.ABOUT_ROSTER, f"{len(r.roster)} 个" if r.roster else h.NO_ROSTER),
        (MISSING, f"{len(r.missing)} 个（见“{MISSING}”）" if r.roster else "未提供名册，无法核对"),
        (NOT_ON_ROSTER, f"{len(r.unlisted)} 个文件（见“{NOT_ON_ROSTER}”）" if r.roster else "未提供名册，无法核对"),
        (RETURNS, f"{len(r.returns)} 个单位（见“{RETURNS}”）"),
        ("评分方案", r.profile), ("汇总程序", f"xlsuite {__version__}"),
        ("汇总时间", r.created.strftime("%Y-%m-%d %H:%M")),
        ("读取路径", "；".join(r.inputs)),
        ("说明", "金额单位：万元。得分均按评分方案重新计算，工作簿中原有的得分仅作核对。"
                 "合计行为公式，筛选后只合计筛选出的行。"),
    ]
    row = 2
    for key, value in lines:
        ws.write_string(row, key_col, key, fmt.key)
        ws.write_string(row, value_col, value, fmt.plain)
        style.fit_row(ws, row, [(value, _ABOUT_VALUE_WIDTH)], style.NOTE["font_size"])
        row += 1
    row += 1
    ws.write_string(row, key_col, "工作表", fmt.key)
    ws.write_string(row, value_col, "内容", fmt.key)
    for name, text in SHEET_GUIDE.items():
        row += 1
        ws.write_string(row, key_col, name, fmt.plain)
        ws.write_string(row, value_col, text, fmt.plain)
        style.fit_row(ws, row, [(text, _ABOUT_VALUE_WIDTH)], style.NOTE["font_size"])
    style.print_a4(ws)


_ABOUT_KEY_WIDTH, _ABOUT_VALUE_WIDTH = 22, 90


EXECUTION_RATE, ERRORS, WARNINGS = columns.EXECUTION_RATE, columns.ERRORS, columns.WARNINGS


def _department_cols() -> list[SummaryColumn]:
    return list(columns.TABLES[DEPARTMENTS])


# 部门自评汇总 column numbers (from its columns), and a row's own 执行率.
AMOUNT_COLS = {(key, i): _col_of(_department_cols(), header) for header, key, i in DEPT_AMOUNTS}
"""(contract key, 0 budget / 1 executed) → the column of that amount."""
BUDGET_COL, SPENT_COL = AMOUNT_COLS[c.STRUCTURE_TOTAL, 0], AMOUNT_COLS[c.STRUCTURE_TOTAL, 1]
RATE_COL, COUNT_COL, SCORE_COL, ERRORS_COL, WARNINGS_COL = (
    AFTER_UNIT + columns.position(columns.DEPARTMENT, key)
    for key in ("rate", "project_count", "score", "errors", "warnings"))
DEPARTMENT_RATE = rate_formula(None, SPENT_COL, BUDGET_COL)


def _department_row(d: Department, shown: str) -> tuple[list, dict]:
    """A department's row of 部门自评汇总: values and its own 执行率 formula."""
    budget, spent = d.amounts[c.STRUCTURE_TOTAL]
    values = [*_unit_values(d), *(col.value and col.value(d, shown) for col in columns.DEPARTMENT)]
    return values, {RATE_COL: (DEPARTMENT_RATE, rate_value(spent, budget))}


_score_and_grade = columns.score_and_grade


def _table(book: SummaryBook, name: str) -> TableSheet:
    """The sheet of one of ``TABLES``, its rows still to be placed."""
    title, cols, wrap, freeze = TABLES[name]
    return TableSheet(book.wb, book.fmt, name, title, cols, wrap=wrap, freeze_cols=freeze, rows=book.layout(name))


def _departments(book: SummaryBook, keys: array, totals: _Totals) -> None:
    t = _table(book, DEPARTMENTS)
    first = t.row
    for supervisor, members in totals.groups.items():
        start = t.place_later(totals.count(DEPARTMENTS, supervisor), book.later_rows(DEPARTMENTS, members))
        _dept_total(t, start, totals, supervisor, h.SUBTOTAL, supervisor)
    _dept_total(t, first, totals, None, h.TOTAL, f"共 {len(keys)} 个单位")
    t.finish()


def _dept_total(t: TableSheet, start: int, totals: _Totals, group: str | None, label: str, supervisor: str) -> None:
    """The total row of a 主管部门's departments (``group``) or of all (``None``)."""
    row = t.row
    sums = totals.dept_sums(group)
    mean = totals.mean_score(group)
    last = row - 1
    extra = {RATE_COL: (rate_formula(row, SPENT_COL, BUDGET_COL), rate_value(sums[SPENT_COL], sums[BUDGET_COL]))}
    if mean is not None:
        extra[SCORE_COL] = (f"=SUBTOTAL(1,{a1(start, SCORE_COL)}:{a1(last, SCORE_COL)})", mean)
    t.total_row(UNIT_NAME_COL, label, start, last, sums, extra=extra)
    t.ws.write_string(row, SUPERVISOR_COL, supervisor, t.fmt.total[TEXT])


_SUMMED = {at: col for at, col in enumerate(_department_cols()) if col.total}
"""The columns 部门自评汇总's total rows add up, by position: each amount exactly rounded, the counts."""
_AMOUNT_AT = {at for at, col in _SUMMED.items() if col.kind == MONEY}


def _project_cols() -> list[SummaryColumn]:
    return list(columns.TABLES[PROJECTS])


# 项目自评汇总 column numbers, and a row's own 执行率 (全年执行数 / 全年预算数).
PROJECT_BUDGET_COL, PROJECT_SPENT_COL, PROJECT_RATE_COL, PROJECT_SCORE_COL, PROJECT_GRADE_COL = (
    AFTER_UNIT + columns.position(columns.PROJECT, key) for key in ("budget", "executed", "rate", "score", "grade"))
PROJECT_RATE = rate_formula(None, PROJECT_SPENT_COL, PROJECT_BUDGET_COL)


def _project_row(unit: tuple, p: ProjectRow) -> list:
    """A project's row of 项目自评汇总 (its 执行率 is its row's formula)."""
    values = [*unit, *p]
    values[PROJECT_RATE_COL] = None
    values[PROJECT_SCORE_COL], values[PROJECT_GRADE_COL] = _score_and_grade(p.score, p.grade)
    return values


def _indicator_cols() -> list[SummaryColumn]:
    return list(columns.TABLES[INDICATORS])


def _finding_cols() -> list[SummaryColumn]:
    return list(columns.TABLES[FINDINGS])


def _finding_rows(unit: tuple, issues: Iterable[Issue], shown: str) -> Iterable[tuple]:
    """The rows of 审核问题清单 of a department's ``issues``."""
    values = [col.value for col in columns.FINDING]
    for i in issues:
        yield (*unit, *[value(i, shown) for value in values])


def _detail(book: SummaryBook, name: str, keys: array, totals: _Totals) -> None:
    """A detail sheet without totals: each department's rendered rows in summary order, at most
    ``MAX_DETAIL_ROWS`` of them (the rest are counted below them and listed in a CSV).

    The two largest sheets of a summary, they are assembled and deflated apart, in a process
    forked as the package is written, while this one writes the others (where it can fork; see
    ``xlsxwriter_internals.can_assemble_apart``)."""
    t = _table(book, name)
    count = totals.count(name)
    t.ws.assemble_apart = can_assemble_apart()
    rows = book.store.rows_apart(keys, name) if t.ws.assemble_apart else book.later_rows(name, keys)
    if count <= MAX_DETAIL_ROWS:
        t.place_later(count, rows)
        t.finish()
        return
    limit = MAX_DETAIL_ROWS
    t.place_later(limit, lambda: _first_rows(rows(), limit))
    t.finish()
    csv_path = book.full_lists.path(name)
    records = book.store.records_of(keys)
    book.full_lists.tables[name] = ([col.header for col in TABLES[name][1]], list(_detail_values(book, name, records)))
    where = f"完整清单（{count:,} 行）见汇总表旁的 {csv_path.name}" if csv_path else "请分批汇总"
    t.ws.write_string(t.row, 0, f"另有 {count - MAX_DETAIL_ROWS:,} 行未列出（超出 Excel 每个工作表 "
                                f"{EXCEL_MAX_ROWS:,} 行的上限）；{where}", book.fmt.title)


def _first_rows(blocks: Iterable[bytes], limit: int) -> Iterable[bytes]:
    """The first ``limit`` rows of the runs of rendered rows ``blocks``."""
    for block in blocks:
        n = block.count(END_ROW)
        if n >= limit:
            yield b"".join(row + END_ROW for row in block.split(END_ROW)[:limit])
            return
        yield block
        limit -= n


def _detail_values(book: SummaryBook, name: str, departments: Iterable[Department]):
    """The values of a detail sheet's rows, as ``SummaryBook.add`` renders them."""
    for d in departments:
        unit = _unit_values(d)
        if name == FINDINGS:
            yield from _finding_rows(unit, d.issues, book.shown(d.path))
        else:
            for i in d.indicators:
                yield unit[:2] + tuple(i)


def _projects(book: SummaryBook, keys: array, totals: _Totals) -> None:
    t = _table(book, PROJECTS)
    t.place_later(totals.count(PROJECTS), book.later_rows(PROJECTS, keys))
    budget, executed = totals.projects  # exactly rounded, as a spreadsheet sums
    row = t.row
    t.total_row(UNIT_NAME_COL, h.TOTAL, FIRST_ROW, max(row - 1, FIRST_ROW),
                {PROJECT_BUDGET_COL: budget, PROJECT_SPENT_COL: executed},
                extra={PROJECT_RATE_COL: (rate_formula(row, PROJECT_SPENT_COL, PROJECT_BUDGET_COL),
                                          rate_value(executed, budget))})
    t.finish()


CLASS_SHEETS = {FUNCTIONS: (c.FUNCTION, "支出功能分类"), ECONOMICS: (c.ECONOMIC, "支出经济分类")}
"""The class sheets: name → (contract key prefix of their 收支情况 rows, what they classify)."""

_LETTER = 0xE000
"""Private-use characters from here stand for a class sheet's column letters (see ``ClassRows``)."""
_PLACEHOLDER = re.compile(rb"(?:\xee[\x80-\xbf]|\xef[\x80-\xa3])[\x80-\xbf]")
"""A private-use character (U+E000 to U+F8FF) in UTF-8, as a rendered row is kept: no other
character's bytes hold one (a UTF-8 lead byte never continues another character)."""


class ClassRows:
    """A class sheet's departments' rows, rendered as they arrive, before its columns are known.

    A class gets a column only if an included department spent on it, which is known only once
    every book is read. A row is rendered with a private-use character standing for each class
    column's letter (no text of a rendered row can hold one: inline text writes them as
    character references), replaced once the columns are known (``placer``). A zero is written as no cell, as
    an unused class is: the sheet shows where money was spent.
    """

    def __init__(self, wb, fmt: Formats, prefix: str):
        self.classes = [r for r in c.budget_rows() if r.key.startswith(prefix + ".") and not r.is_total]
        n = len(self.classes)
        self._total, self._last = chr(_LETTER + n), chr(_LETTER + n + 1)  # 合计, the last used class
        self._rows = TableRows(wb, fmt, [*_unit_cols(), *(Col(r.name, MONEY) for r in self.classes), Col(h.TOTAL, MONEY)],
                               inline=True, letters=[*map(xl_col_to_name, range(AFTER_UNIT)), *(chr(_LETTER + j) for j in range(n)),
                                        self._total])
        self._formula = f"=SUM({a1(None, AFTER_UNIT)}:{self._last}{ROW})"

    def amounts_of(self, d: Department) -> list[float | None]:
        """``d``'s 全年执行数 of each class (None for nothing or zero)."""
        none = (None, None)
        return [(d.amounts.get(r.key) or none)[1] or None for r in self.classes]

    def render(self, d: Department) -> str:
        amounts = self.amounts_of(d)
        total = math.fsum(filter(None, amounts))
        return self._rows.render([d.code, d.name, d.supervisor, *amounts, total],
                                 {AFTER_UNIT + len(amounts): (self._formula, total)})

    def placer(self, used: list[int]) -> Callable[[bytes], bytes]:
        """What puts the column letters into rendered rows (UTF-8) once the ``used`` classes are known."""
        letters = {chr(_LETTER + j): xl_col_to_name(AFTER_UNIT + k) for k, j in enumerate(used)}
        letters[self._total] = xl_col_to_name(AFTER_UNIT + len(used))
        letters[self._last] = xl_col_to_name(AFTER_UNIT + len(used) - 1)
        letters = {char.encode(): letter.encode() for char, letter in letters.items()}
        # A substitution per placeholder: str.translate with a table goes through every
        # character of the row in Python's slow path (multi-letter replacements), four times
        # the cost.
        return partial(_PLACEHOLDER.sub, lambda m: letters[m.group()])


def _classes(book: SummaryBook, name: str, keys: array, totals: _Totals) -> None:
    rows = book.rows.classes[name]
    what = CLASS_SHEETS[name][1]
    used, class_sums, grand = totals.classes[name]
    cols = [*_unit_cols(), *(Col(f"{rows.classes[j].code} {rows.classes[j].name}", MONEY, 12) for j in used),
            Col(h.TOTAL, MONEY, 13)]
    t = TableSheet(book.wb, book.fmt, name, f"{what}汇总（全年执行数，单位：万元；只列有数的科目）", cols,
                   freeze_cols=AFTER_UNIT)
    placer, stored = rows.placer(used), book.later_rows(name, keys)
    t.place_later(totals.count(name), lambda: map(placer, stored()))
    sums = [class_sums[j] for j in used]
    sums.append(grand)
    t.total_row(UNIT_NAME_COL, h.TOTAL, FIRST_ROW, max(t.row - 1, FIRST_ROW), dict(enumerate(sums, AFTER_UNIT)))
    t.finish()


SANGONG_PARTS, CONTROLLED = columns.SANGONG_PARTS, columns.CONTROLLED


def _sangong_cols() -> list[SummaryColumn]:
    return list(columns.TABLES[SANGONG])


# 三公经费汇总: the amounts start at 三公经费预算数; the parts lie between it and their 合计.
SANGONG_BUDGET_COL, SANGONG_TOTAL_COL = (AFTER_UNIT + columns.position(columns.SANGONG, key)
                                        for key in ("sangong.budget", "sangong.sum"))
SANGONG_TOTAL = f"=SUM({a1(None, SANGONG_BUDGET_COL + 1)}:{a1(None, SANGONG_TOTAL_COL - 1)})"


def _sangong_row(d: Department) -> tuple[list, dict]:
    """A department's row of 三公经费汇总: values (the 合计 included) and the 合计 formula."""
    values = [*_unit_values(d), *(col.value and col.value(d, "") for col in columns.SANGONG)]
    values[SANGONG_TOTAL_COL] = total = math.fsum(v or 0.0 for v in values[SANGONG_BUDGET_COL + 1:SANGONG_TOTAL_COL])
    return values, {SANGONG_TOTAL_COL: (SANGONG_TOTAL, total)}


def _sangong(book: SummaryBook, keys: array, totals: _Totals) -> None:
    t = _table(book, SANGONG)
    t.place_later(totals.count(SANGONG), book.later_rows(SANGONG, keys))
    sums = totals.sangong
    t.total_row(UNIT_NAME_COL, h.TOTAL, FIRST_ROW, max(t.row - 1, FIRST_ROW), dict(enumerate(sums, SANGONG_BUDGET_COL)))
    t.finish()


def _rejected(wb, fmt: Formats, r: ConsolidationResult) -> None:
    reason, request = h.REASON, h.REQUEST
    cols = [Col("序号", INT, 6), Col(h.FILE, TEXT, 40), Col(h.CATEGORY, TEXT, 14), Col(reason, TEXT, 50),
            Col(request, TEXT, 40), Col(h.UNIT_CODE, TEXT, 11), Col(h.UNIT_NAME, TEXT, 22)]
    t = TableSheet(wb, fmt, REJECTED, "未纳入汇总的文件", cols, freeze_cols=_col_of(cols, h.FILE) + 1,
                   wrap=_positions(cols, h.FILE, reason, request))
    for n, x in enumerate(r.rejected, 1):
        t.append([n, r.shown(x.path), x.category, sentence(x.reason), sentence(x.request), x.code, x.name])
    t.finish()


def _missing(wb, fmt: Formats, r: ConsolidationResult) -> None:
    note = "情况"
    cols = [Col(h.UNIT_CODE, TEXT, 11), Col(h.UNIT_NAME, TEXT, 30), Col(h.SUPERVISOR, TEXT, 22), Col(note, TEXT, 60)]
    t = TableSheet(wb, fmt, MISSING, "名册中未纳入汇总的单位" if r.roster else "未提供名册（--roster），无法核对未报送单位",
                   cols, landscape=False, freeze_cols=FREEZE_UNIT, wrap=_positions(cols, note))
    for m in r.missing:
        t.append([m.code, m.name, m.supervisor, m.note])
    t.finish()


def _not_on_roster(wb, fmt: Formats, r: ConsolidationResult) -> None:
    status, note = "是否纳入汇总", "情况"
    cols = [Col(h.UNIT_CODE, TEXT, 11), Col(h.UNIT_NAME, TEXT, 30), Col(h.SUPERVISOR, TEXT, 22),
            Col(h.FILE, TEXT, 36), Col(status, TEXT, 18), Col(note, TEXT, 50)]
    title = "报送了工作簿、但不在名册中的单位" if r.roster else "未提供名册（--roster），无法核对"
    t = TableSheet(wb, fmt, NOT_ON_ROSTER, title, cols, freeze_cols=FREEZE_UNIT,
                   wrap=_positions(cols, h.FILE, note))
    for u in r.unlisted:
        t.append([u.code, u.name, u.supervisor, r.shown(u.path), u.status, u.note])
    t.finish()


def _returns(wb, fmt: Formats, r: ConsolidationResult) -> None:
    why, files = "退回原因", "报送文件"
    cols = [Col("序号", INT, 6), Col(h.UNIT_CODE, TEXT, 11), Col(h.UNIT_NAME, TEXT, 30), Col(h.SUPERVISOR, TEXT, 22),
            Col("审核结论", TEXT, 10), Col(why, TEXT, 36), Col(ERRORS, INT, 7), Col(WARNINGS, INT, 7),
            Col(files, TEXT, 36), Col(h.FEEDBACK_FILE, TEXT, 36)]
    title = (f"退回清单：{len(r.returns)} 个单位，审核意见已写入 {Path(r.feedback[0]).parent}" if r.feedback
             else f"退回清单：{len(r.returns)} 个单位（用 --feedback 文件夹 生成各单位的审核意见）")
    t = TableSheet(wb, fmt, RETURNS, title, cols, freeze_cols=_col_of(cols, h.UNIT_NAME) + 1,
                   wrap=_positions(cols, why, files, h.FEEDBACK_FILE))
    for n, letter in enumerate(r.returns, 1):
        t.append([n, letter.code, letter.name, letter.supervisor, letter.verdict, letter.why,
                  letter.count(ERROR), letter.count(WARNING), "；".join(letter.files),
                  letter.file_name])
    t.finish()


DUPLICATE_POLICY = {"none": "同一单位编码的多份工作簿均不纳入汇总，列在“未纳入汇总”中（--duplicates none）",
                    "newest": "同一单位编码有多份工作簿时采用填报日期（未填时按文件修改时间）最新的一份（--duplicates newest）"}


# The sheets with rows per department, rendered as results arrive: name → (title, frozen columns).
_TITLED = {
    DEPARTMENTS: ("部门整体支出绩效自评汇总（单位：万元；收支为全年执行数）", FREEZE_UNIT),
    PROJECTS: ("项目支出绩效自评汇总（单位：万元）", FREEZE_UNIT),
    INDICATORS: ("绩效指标明细（得分按评分方案重新计算）", FREEZE_UNIT),
    SANGONG: ("“三公”经费及会议费、培训费汇总（全年执行数，单位：万元）", AFTER_UNIT),
    FINDINGS: (f"审核问题清单（{ERROR}须改正，{WARNING}请核实，{HINT}供参考）", FREEZE_UNIT),
}
TABLES = {name: (title, list(columns.TABLES[name]), _wrapped(columns.TABLES[name]), freeze)
          for name, (title, freeze) in _TITLED.items()}
"""name → (title, columns, wrapped columns, frozen columns); the columns as ``columns`` declares them."""

STORED = (*TABLES, *CLASS_SHEETS)
"""The sheets whose rows each department has, kept in the ``DepartmentStore`` until placed."""
STORED_AT = {name: i for i, name in enumerate(STORED)}
