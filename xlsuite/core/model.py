"""The department's workbook as plain data: what readers produce and the engine consumes.

No Excel library is imported here. Money is ``Decimal`` (万元). Every record remembers where each
of its values came from (``cells``: field → ``CellRef``) so that findings can point at cells;
``cells`` takes no part in equality, so two books with the same content compare equal however
their rows are laid out.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from . import contract as c


def column_letters(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class CellRef(NamedTuple):
    """A cell of a sheet; ``row`` and ``col`` are 0-based.

    A named tuple rather than a dataclass: readers make one per cell, and tuples are cheap.
    """

    sheet: str
    row: int
    col: int

    @property
    def a1(self) -> str:
        return f"{column_letters(self.col)}{self.row + 1}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1}"


Value = Decimal | str | None
"""An indicator target or actual: a number, a text (for 定性), or nothing."""


class RowCells(Mapping[str, CellRef]):
    """Where each field of one table row sits: the row, and a column map shared by all rows.

    Readers make one per record instead of one ``CellRef`` per cell, which keeps reading fast.
    """

    __slots__ = ("sheet", "row", "columns")

    def __init__(self, sheet: str, row: int, columns: Mapping[str, int]):
        self.sheet, self.row, self.columns = sheet, row, columns

    def __getitem__(self, key: str) -> CellRef:
        return CellRef(self.sheet, self.row, self.columns[key])

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)


Cells = MutableMapping[str, CellRef] | RowCells


def _cells() -> dict[str, CellRef]:
    return field(default_factory=dict, compare=False, repr=False)


@dataclass
class Amounts:
    """年初预算数, 全年预算数 and 全年执行数 of one line."""

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None


@dataclass
class DepartmentInfo:
    year: int | None = None
    unit_code: str = ""
    unit_name: str = ""
    supervisor: str = ""
    unit_type: str = ""
    staff_authorized: int | None = None
    staff_actual: int | None = None
    functions: str = ""
    goal_expected: str = ""
    goal_actual: str = ""
    contact: str = ""
    phone: str = ""
    filled_date: str = ""
    """填报日期 as written (a date cell reads as ISO text); optional, absent from v1.0 books."""
    scope: str = ""
    """填报范围 (v1.1): ``contract.SCOPE_PROJECTS`` for a book of projects only; empty or
    ``SCOPE_FULL`` for the whole department."""
    # v1.2 (``contract.V12_INFO_FIELDS``): empty in older books, and the report then says nothing of them.
    notice_title: str = ""
    """自评通知名称: the finance bureau's notice the self-evaluation answers."""
    notice_number: str = ""
    """自评通知文号 (永财函字〔2022〕3号)."""
    internal_units: int | None = None
    internal_unit_names: str = ""
    staff_admin: int | None = None
    staff_institution: int | None = None
    staff_worker: int | None = None
    """行政 / 事业 / 工勤编制 (``staff_authorized`` is the total)."""
    actual_admin: int | None = None
    actual_institution: int | None = None
    actual_worker: int | None = None
    actual_other: int | None = None
    """实有 by kind (``staff_actual`` is the total)."""
    retired: int | None = None
    temporary: int | None = None
    staff_note: str = ""
    printed_execution: Decimal | None = None
    """部门整体自评执行率得分 (v1.2) as the department's form prints it; the next three likewise:
    its 执行率 (0.862 typed as 86.2%, or 86.2), the 分值 of the execution rate, its 总分."""
    printed_rate: Decimal | None = None
    printed_weight: Decimal | None = None
    printed_total: Decimal | None = None
    """人员情况说明: what the counts do not say (职级, 男女, …), as the unit writes it."""
    cells: Cells = _cells()


@dataclass
class BudgetLine:
    """One fixed row of 收支情况; ``key`` names it in the contract (e.g. ``function.201``).

    For a total row the amounts are the values stored in the file, which are ``None`` when the
    program that saved it did not calculate its formulas.
    """

    key: str
    amounts: Amounts = field(default_factory=Amounts)
    note: str = ""
    cells: Cells = _cells()


@dataclass
class Project:
    code: str
    name: str
    supervisor: str = ""
    implementer: str = ""
    total: Amounts = field(default_factory=Amounts)
    fiscal: Amounts = field(default_factory=Amounts)
    carryover: Amounts = field(default_factory=Amounts)
    other: Amounts = field(default_factory=Amounts)
    extra_sources: dict[str, Amounts] = field(default_factory=dict)
    """Fund sources a profile adds beyond the three (v1.1, ``[funds] extra_sources``): label →
    amounts, in the sheet's order; they add up to ``total`` with the others."""
    goal_expected: str = ""
    goal_actual: str = ""
    printed_execution: Decimal | None = None
    printed_rate: Decimal | None = None
    """自评执行率 (v1.2) as the form prints it: 0.862 typed as 86.2%, or 86.2."""
    printed_weight: Decimal | None = None
    """执行率分值 (v1.2): the points the form gives the execution rate."""
    printed_total: Decimal | None = None
    """自评总分 (v1.2): the project's total as the form prints it."""
    """自评执行率得分 (v1.1): the execution score the form prints, checked against the engine's."""
    category: str = ""
    """项目类别 (v1.1): picks the profile's first-level weights for this kind of project, if any."""
    cells: Cells = _cells()
    """Keys are column keys such as ``name`` or ``total.executed``."""

    def sources(self) -> list[tuple[str, str, Amounts]]:
        """(column key, label, amounts) of every fund source, the contract's three first: what
        must add up to ``total``."""
        own = {"fiscal": self.fiscal, "carryover": self.carryover, "other": self.other}
        return [(key, label, own[key]) for key, label in c.FUND_SOURCES[1:]] + [
            (f"{c.EXTRA_SOURCE_PREFIX}{label}", label, amounts) for label, amounts in self.extra_sources.items()]


@dataclass
class Indicator:
    """One performance indicator of the department as a whole (``subject`` 部门整体) or of a
    project (``subject`` is its 项目编码)."""

    subject: str
    level1: str
    level2: str
    level3: str
    direction: str
    target: Value = None
    unit: str = ""
    actual: Value = None
    grade: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str = ""
    nature: str = ""
    """指标性质 (v1.1): 正向 / 反向, checked against ``direction``; empty in v1.0 books."""
    cells: Cells = _cells()


@dataclass
class WorkItem:
    """One theme of the year's main work (主要工作, v1.2): 工业经济稳中有进 and what was done."""

    theme: str
    content: str = ""
    cells: Cells = _cells()


@dataclass
class Problem:
    problem: str
    measure: str = ""
    subject: str = ""
    """评价对象 (v1.1): 部门整体 or a 项目编码; empty is 部门整体 (every v1.0 book's problems)."""
    conclusion: str = ""
    """评价结论 (v1.1) of that 评价对象, printed on its 自评表 where the profile's forms ask."""
    cells: Cells = _cells()

    def concerns(self, subject: str) -> bool:
        """Whether this row belongs to ``subject`` (部门整体 or a 项目编码)."""
        return (self.subject or c.WHOLE_DEPARTMENT) == subject



class FormulaResult(NamedTuple):
    """The result a template formula left in its cell when the book was last saved (Excel, WPS
    and LibreOffice store one with every formula): never trusted, only compared with the
    recomputed score."""

    cell: CellRef
    key: str
    """The computed column's key (``computed_score``, ``execution_score``, ``self_score``,
    ``self_grade``), or ``department.total`` / ``department.grade`` for 评分汇总's cells."""
    value: float | str


class CellNote(NamedTuple):
    """A cell whose typed text the reader had to interpret; validation reports each one.

    Attributes:
        kind: ``unit``: a number with the contract's unit (「150万」 in a 万元 column), read as
            ``value``; ``text``: no number at all, read as empty.
        cell: where it is.
        text: what the cell holds.
        problem: the reader's words for it (``应填金额（全年预算数），实为“五十万”``).
        value: the number read, for ``unit``; ``None`` for ``text``.
    """

    kind: str
    cell: CellRef
    text: str
    problem: str
    value: Decimal | None = None


UNIT_NOTE, TEXT_NOTE = "unit", "text"


@dataclass
class DepartmentBook:
    """Everything one department's workbook says."""

    info: DepartmentInfo = field(default_factory=DepartmentInfo)
    budget: dict[str, BudgetLine] = field(default_factory=dict)
    """Every fixed row of 收支情况 by contract key, in contract order."""
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    work: list[WorkItem] = field(default_factory=list)
    """主要工作 (v1.2), one theme a row; empty for an older book."""
    template_version: str = ""
    profile_source: str = ""
    """The TOML text of the scoring profile recorded in the meta sheet ("" for none)."""
    source: str = field(default="", compare=False)
    """The file this book was read from, if any."""
    formula_results: tuple[FormulaResult, ...] = field(default=(), compare=False)
    """The results the template's score formulas left in the file (empty for a book whose
    formulas were never calculated, or one without them)."""
    hidden_characters: tuple[tuple[CellRef, str], ...] = field(default=(), compare=False)
    """Cells whose text held characters no workbook can show (control characters), read with each
    written out as ``_xHHHH_``; with each cell, the forms it shows (``_x0001_、_x0002_``)."""
    cell_notes: list[CellNote] = field(default_factory=list)
    """Cells whose text was read as a number with its unit dropped, or as empty (no number):
    the book is still read, and validation reports every one of them."""
    score_stamp: dict[str, str] = field(default_factory=dict, compare=False)
    """The score stamp ``xlsuite score`` left in the meta sheet, keys without their prefix
    (``input_sha256``, ``total``, …); empty for a book never scored."""

    def line(self, key: str) -> BudgetLine:
        return self.budget[key]

    @property
    def projects_only(self) -> bool:
        """填报范围 仅项目: no department budget, no department-level evaluation."""
        return self.info.scope == c.SCOPE_PROJECTS

    @property
    def has_amounts(self) -> bool:
        """Whether any amount other than 0 is filled in on 收支情况 or 项目支出. The unfilled
        template has none: its 合计 formulas are stored as 0, which says nothing about money."""
        lines = [line.amounts for line in self.budget.values()]
        lines += [a for p in self.projects for a in (p.total, *(s for _, _, s in p.sources()))]
        return any(v for a in lines for v in (a.initial, a.adjusted, a.executed))
