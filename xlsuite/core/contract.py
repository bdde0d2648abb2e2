"""The workbook contract (v1): the one definition of the standard workbook.

The template builder, the readers, the writers and the docs all read their sheet names, column
headers, prefilled rows and dropdown lists from here, so they cannot drift apart. Changing a
header or a sheet name is a contract change: bump ``TEMPLATE_VERSION`` and keep the reader able
to read older books.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

TEMPLATE_VERSION = "1.2"
"""Version written into the hidden meta sheet of every template built by this xlsuite."""
READ_VERSION = "1.2"
"""The newest contract version the reader reads. v1.1 books carry what published forms print:
the lines and columns marked ``since="1.1"`` (``V11_INFO_FIELDS``, ``V11_COLUMNS``). v1.2 books
add what a report's 部门基本情况 states (``V12_INFO_FIELDS``: the notice the self-evaluation
answers, 内设机构, 编制 and 实有人数 by kind, 退休, 临时用工), the sheet 主要工作
(``WORK_SHEET_DEF``), and the rest of what a printed project form states: its 执行率, the 分值 of
the execution rate and its 总分. Older books have none of them (none is required), and read and
score as before."""
V10, V11, V12 = "1.0", "1.1", "1.2"

WHOLE_DEPARTMENT = "部门整体"
"""The 评价对象 value of department-level indicators; project indicators carry a 项目编码."""

AT_LEAST, AT_MOST, EQUAL, QUALITATIVE = "≥", "≤", "=", "定性"
QUANTITATIVE_DIRECTIONS = (AT_LEAST, AT_MOST, EQUAL)
DIRECTIONS = (*QUANTITATIVE_DIRECTIONS, QUALITATIVE)
"""The 方向 of an indicator: a number to reach, not exceed or meet, or a qualitative grade."""
QUALITATIVE_GRADES = ("达成", "部分达成", "未达成")
POSITIVE, NEGATIVE = "正向", "反向"
"""指标性质 (v1.1): 正向 more is better (方向 ≥), 反向 less is better (方向 ≤)."""
NATURE_DIRECTIONS = {POSITIVE: AT_LEAST, NEGATIVE: AT_MOST}

MAX_AMOUNT = 1e12
"""Amounts (万元) must lie strictly between -MAX_AMOUNT and MAX_AMOUNT, or the cell is rejected.

10^12 万元 is 10^16 元, some 370 times China's whole national general public budget spending
(about 2.7 × 10^9 万元 a year): no county department's figure comes near it, so a larger one is a
slip (an exponent typed by accident, a figure pasted from elsewhere) or a file written by some
other program. Below it an amount keeps its 分 (0.01 万元) within the 15 significant digits
Excel stores, and sums and cent-rounding stay far inside ``Decimal``'s 28 digits, which
overflow from about 10^26 (where validation and forms could no longer print the amount).
"""


UNIT_WORDS = {"money": ("万元", "万"), "number": ("分",), "percent": ("%", "％")}
"""Units a number typed with its unit may carry in a column of each kind (「150万」 in a 万元
column, 「10分」 as a 分值): the unit the contract itself states, read with a 提示. Any other text
in such a cell is an error."""


@dataclass(frozen=True)
class Column:
    """One column of a table sheet.

    Attributes:
        key: attribute name in the model.
        header: the Chinese header text, which is how readers find the column.
        kind: ``text``, ``money`` (万元, 2 decimals), ``int``, ``number`` (a score or weight),
            ``percent`` (a rate, shown as 86.20%), or ``value`` (a number or a text, as
            indicator targets are).
        required: whether a data row must fill it.
        choices: a fixed dropdown list, if any.
        width: column width in the template.
        since: the contract version that added the column; a book of an older version lacks
            it, and it reads as empty there (so a column added later is never ``required``).
    """

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    width: float = 12
    since: str = V10


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one record per row under a header row."""

    name: str
    title: str
    columns: tuple[Column, ...]
    capacity: int
    """Rows prepared in the template (unlocked, with dropdowns); more may be inserted."""
    computed: tuple[Column, ...] = ()
    """Columns the template fills with formulas, right of ``columns``: worked out by the
    spreadsheet from the input columns (``xlsuite.template.formulas`` compiles them from the
    scoring profile). Readers never read them and a book without them reads the same."""
    helpers: tuple[Column, ...] = ()
    """Hidden, locked columns right of ``computed`` holding intermediate values the computed
    columns share (a row's 得分 as a number, its grade, …), each worked out once per row so that
    no formula repeats another's sub-expression: Excel caps a formula at 8,192 characters, and a
    program that writes each formula out per cell (LibreOffice, openpyxl) pays for every repeat
    in every row. Like ``computed``, never read, and "" on an empty row."""

    @property
    def formula_columns(self) -> tuple[Column, ...]:
        """The columns the template fills with formulas, in sheet order: computed, then helpers."""
        return (*self.computed, *self.helpers)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def index(self, key: str) -> int:
        """0-based position of the input column ``key``."""
        return self.columns.index(self.column(key))

    def computed_column(self, key: str) -> Column:
        for col in self.formula_columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def read_columns(self) -> tuple[Column, ...]:
        """Every column the reader looks for: every input column (never the computed ones).
        Those ``since`` a version newer than a book's are missing from it and read as empty."""
        return self.columns


@dataclass(frozen=True)
class Field:
    """One key-value line of the 部门信息 sheet."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    """A fixed dropdown list, if any."""
    since: str = V10
    """The contract version that added the line (as ``Column.since``)."""


@dataclass(frozen=True)
class BudgetRow:
    """One fixed row of the 收支情况 sheet.

    ``total_of`` names the keys this row sums (a SUM formula in the template); input rows have
    none. Rows are found by ``code`` when they have one, else by ``name``.
    """

    key: str
    section: str
    code: str
    name: str
    total_of: tuple[str, ...] = ()

    @property
    def is_total(self) -> bool:
        return bool(self.total_of)


# --- sheet names -------------------------------------------------------------------------------

TITLE_ROW, HEADER_ROW = 0, 1
"""Every data sheet of the template has its title in row 1 and its header in row 2 (0-based 0
and 1). Readers find a header by its text, so a book whose rows moved still reads."""

README_SHEET = "说明"
INFO_SHEET = "部门信息"
BUDGET_SHEET = "收支情况"
PROJECT_SHEET = "项目支出"
INDICATOR_SHEET = "绩效指标"
PROBLEM_SHEET = "问题与措施"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"

DEPARTMENT_FORM_SHEET = "部门整体自评表"
PROJECT_FORM_SHEET = "项目自评表"
FINDINGS_SHEET = "校验结果"
SCORE_CHECK_SHEET = "得分对照"
"""Every score the book prints beside the recomputed one (not the 绩效指标 column 得分核对, which
holds a formula's verdict per row)."""
GENERATED_SHEETS = (DEPARTMENT_FORM_SHEET, PROJECT_FORM_SHEET, FINDINGS_SHEET, SCORE_CHECK_SHEET)
"""Sheets ``xlsuite score`` writes into a copy of the book; scoring again replaces them."""

FORM_TOTAL_ROW = "年度资金总额"
PROJECT_FORM_FUNDS = (FORM_TOTAL_ROW, "当年财政拨款", "上年结转资金", "其他资金")
DEPARTMENT_FORM_FUNDS = (FORM_TOTAL_ROW, "基本支出", "项目支出")
"""The money rows of each official form as the national form names them, in its order (a project
form adds a row per fund source a profile adds). The total carries the execution rate's 分值 and
得分; a profile's ``[forms]`` picks, orders and renames the rows by these names."""
FORM_EXECUTION_RATE, FORM_TOTAL, FORM_GRADE, FORM_INDICATOR_BLOCK = "执行率", "总分", "等级", "绩效指标"
FORM_METHOD = "得分计算方法"
"""The column some provinces print beside each indicator: how its score was computed."""
FORM_GOAL_HEADINGS = ("年度总体目标", "预期目标", "实际完成情况")

FINDING_NUMBER, FINDING_SEVERITY, FINDING_LOCATION, FINDING_MESSAGE, FINDING_RULE = (
    "序号", "严重程度", "位置", "说明", "规则编号")
"""Headers of the columns of 校验结果; the next 校验 reads 位置 back (the cells it coloured). The
validate command and the county summary's 审核问题清单 head the same facts alike."""
FINDING_RULE_NAME = "规则"
"""The rule's Chinese label (``表间核对·项目合计``), shown before its id wherever findings are
listed: readers of the sheets and letters read no English ids, the id stays for reference."""
NOT_RATED = "未评定（无指标）"
"""What every paper shows for the grade of a department or project with no indicators, in
place of a score too: the execution rate's points alone are no evaluation, and would stand
among full scores as if they were one."""

REQUIRED_SHEETS = (INFO_SHEET, BUDGET_SHEET, PROJECT_SHEET, INDICATOR_SHEET, PROBLEM_SHEET)
"""Sheets a workbook must have to be read; 说明 and the hidden sheets are optional."""

# --- 部门信息 ----------------------------------------------------------------------------------

INFO_LABEL_HEADER = "项目"
INFO_VALUE_HEADER = "内容"

UNIT_TYPES = ("行政单位", "参公事业单位", "全额拨款事业单位", "差额拨款事业单位", "自收自支事业单位", "其他")

SCOPE_FULL, SCOPE_PROJECTS = "部门整体和项目", "仅项目"
SCOPES = (SCOPE_FULL, SCOPE_PROJECTS)
"""填报范围: a department's whole evaluation, or only its projects (most published self-evaluations
are per project, from units that submit no department budget: such a book needs no 收支情况 and
gets no department-level findings). Empty reads as the full scope, as every v1.0 book is."""

INFO_FIELDS = (
    Field("year", "年度", "int", required=True),
    Field("unit_code", "单位编码", required=True),
    Field("unit_name", "单位名称", required=True),
    Field("supervisor", "主管部门", required=True),
    Field("unit_type", "单位类型", choices=UNIT_TYPES),
    Field("staff_authorized", "编制人数", "int"),
    Field("staff_actual", "实有人数", "int"),
    Field("functions", "部门职能"),
    Field("goal_expected", "年度总体目标（预期）"),
    Field("goal_actual", "年度总体目标（实际完成）"),
    Field("contact", "联系人"),
    Field("phone", "联系电话"),
    Field("filled_date", "填报日期", since=V11),
    # Last, so that every line of a v1.0 book keeps its cell in a v1.1 one.
    Field("scope", "填报范围", choices=SCOPES, since=V11),
    # v1.2, after v1.1's lines for the same reason: what a report's 部门基本情况 says of the
    # notice, the organisation and its people (the seed report's 二（二）). The totals 编制人数
    # and 实有人数 stay above; these give them by kind. Counts only, no sum is enforced: a unit
    # may state some kinds and not others.
    Field("notice_title", "自评通知名称", since=V12),
    Field("notice_number", "自评通知文号", since=V12),
    Field("internal_units", "内设机构数", "int", since=V12),
    Field("internal_unit_names", "内设机构名称", since=V12),
    Field("staff_admin", "行政编制数", "int", since=V12),
    Field("staff_institution", "事业编制数", "int", since=V12),
    Field("staff_worker", "工勤编制数", "int", since=V12),
    Field("actual_admin", "实有行政人员数", "int", since=V12),
    Field("actual_institution", "实有事业人员数", "int", since=V12),
    Field("actual_worker", "实有工勤人员数", "int", since=V12),
    Field("actual_other", "实有其他人员数", "int", since=V12),
    Field("retired", "退休人员数", "int", since=V12),
    Field("temporary", "临时用工人数", "int", since=V12),
    Field("staff_note", "人员情况说明", since=V12),
    # v1.2: what the printed 部门整体支出绩效自评表 states beside its scores, as 项目支出's columns
    # of the same names for each project; each checked against the amounts, profile and engine.
    Field("printed_execution", "部门整体自评执行率得分", "number", since=V12),
    Field("printed_rate", "部门整体自评执行率", "percent", since=V12),
    Field("printed_weight", "部门整体执行率分值", "number", since=V12),
    Field("printed_total", "部门整体自评总分", "number", since=V12),
)
"""The lines of 部门信息, in sheet order (the template's rows under the header)."""

V11_INFO_FIELDS = tuple(f for f in INFO_FIELDS if f.since == V11)
"""The 部门信息 lines contract v1.1 added (a v1.0 book has none of them)."""
V12_INFO_FIELDS = tuple(f for f in INFO_FIELDS if f.since == V12)
"""The 部门信息 lines contract v1.2 added (v1.0 and v1.1 books have none of them)."""
COUNT_FIELDS = tuple(f for f in INFO_FIELDS if f.kind == "int" and f.key != "year")
"""The 部门信息 lines that count people or offices: whole numbers, never negative."""
STAFF_KINDS = {
    "staff_authorized": ("staff_admin", "staff_institution", "staff_worker"),
    "staff_actual": ("actual_admin", "actual_institution", "actual_worker", "actual_other"),
}
"""Each staff total of 部门信息 and the lines giving it by kind (v1.2)."""


def info_field(key: str) -> Field:
    """The 部门信息 line with model key ``key`` (``KeyError`` if there is none)."""
    for f in INFO_FIELDS:
        if f.key == key:
            return f
    raise KeyError(key)

# --- 收支情况 ----------------------------------------------------------------------------------

AMOUNT_COLUMNS = (
    Column("initial", "年初预算数", "money", width=13),
    Column("adjusted", "全年预算数", "money", width=13),
    Column("executed", "全年执行数", "money", width=13),
)
"""The three amounts every budget line and project carries, in this order."""

BUDGET_COLUMNS = (
    Column("section", "类别", width=14),
    Column("code", "科目编码", width=10),
    Column("name", "科目名称", width=28),
    *AMOUNT_COLUMNS,
    Column("note", "备注", width=20),
)


INCOME, FUNCTION, ECONOMIC, STRUCTURE, SANGONG, CONTROLLED = (
    "income", "function", "economic", "structure", "sangong", "controlled")
"""Key prefixes of the 收支情况 row groups: a row's key is ``prefix.科目编码`` (or ``prefix.科目名称``)."""

INCOME_TOTAL, FUNCTION_TOTAL, ECONOMIC_TOTAL = f"{INCOME}.total", f"{FUNCTION}.total", f"{ECONOMIC}.total"
STRUCTURE_TOTAL, SANGONG_TOTAL = f"{STRUCTURE}.total", f"{SANGONG}.total"
"""Keys of the total rows (收入合计, the three 支出合计, “三公”经费合计)."""
BASIC_SPENDING, PROJECT_SPENDING = f"{STRUCTURE}.基本支出", f"{STRUCTURE}.项目支出"
"""基本支出 (a total of 人员经费 and 公用经费) and 项目支出 (checked against the 项目支出 sheet)."""
FISCAL_INCOME = f"{INCOME}.财政拨款收入"
"""收入: 财政拨款收入 (its name comes from ``data/classifications.toml``)."""


CHECKS_COLUMN = Column("checks", "校验", width=30)
"""The computed column right of 收支情况's and 部门信息's own columns where the template's formulas
name every rule a row fails (``【rule.id】…``); 项目支出 and 绩效指标 end with one too."""


def budget_column(key: str) -> Column:
    """The 收支情况 column with key ``key`` (``KeyError`` if there is none)."""
    for col in BUDGET_COLUMNS:
        if col.key == key:
            return col
    raise KeyError(key)


@cache
def classifications() -> dict[str, list[dict]]:
    """The prefilled classification rows, from ``data/classifications.toml``."""
    text = resources.files("xlsuite").joinpath("data/classifications.toml").read_text("utf-8")
    return tomllib.loads(text)


def _input_rows(group: str, section: str, prefix: str) -> list[BudgetRow]:
    rows = []
    for item in classifications()[group]:
        code = item.get("code", "")
        key = f"{prefix}.{code or item['name']}"
        rows.append(BudgetRow(key, section, code, item["name"]))
    return rows


@cache
def budget_rows() -> tuple[BudgetRow, ...]:
    """Every fixed row of 收支情况, in sheet order, totals before their parts."""
    income = _input_rows("income", "收入", INCOME)
    function = _input_rows("function", "支出功能分类", FUNCTION)
    economic = _input_rows("economic", "支出经济分类", ECONOMIC)
    structure = {r.name: r for r in _input_rows("structure", "支出结构", STRUCTURE)}
    sangong = _input_rows("sangong", "三公经费", SANGONG)
    controlled = _input_rows("other_controlled", "其他", CONTROLLED)
    basic_parts = (structure["人员经费"], structure["公用经费"])
    basic = BudgetRow(BASIC_SPENDING, "支出结构", "", "基本支出", tuple(r.key for r in basic_parts))
    project = structure["项目支出"]
    return (
        BudgetRow(INCOME_TOTAL, "收入", "", "收入合计", tuple(r.key for r in income)),
        *income,
        BudgetRow(FUNCTION_TOTAL, "支出功能分类", "", "支出合计（按功能分类）",
                  tuple(r.key for r in function)),
        *function,
        BudgetRow(ECONOMIC_TOTAL, "支出经济分类", "", "支出合计（按经济分类）",
                  tuple(r.key for r in economic)),
        *economic,
        BudgetRow(STRUCTURE_TOTAL, "支出结构", "", "支出合计（按支出性质）", (basic.key, project.key)),
        basic,
        *basic_parts,
        project,
        BudgetRow(SANGONG_TOTAL, "三公经费", "", "“三公”经费合计", tuple(r.key for r in sangong)),
        *sangong,
        *controlled,
    )


def budget_row(key: str) -> BudgetRow:
    """The row with contract key ``key`` (``KeyError`` if there is none)."""
    # Looked up for every amount of every book in a batch: a dict, not a scan.
    return _budget_rows_by_key()[key]


@cache
def _budget_rows_by_key() -> dict[str, BudgetRow]:
    return {row.key: row for row in budget_rows()}


# --- 项目支出 ----------------------------------------------------------------------------------

FUND_SOURCES = (
    ("total", "合计"),
    ("fiscal", "本年财政拨款"),
    ("carryover", "上年结转"),
    ("other", "其他资金"),
)
"""A project's amounts: its total and the three sources that must add up to it."""
EXTRA_SOURCE_PREFIX = "extra:"
"""Key prefix of a fund source a profile adds (``[funds] extra_sources``): ``extra:单位资金``."""


def fund_sources(extra: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """(key, label) of the total and every source: the contract's three, then ``extra``."""
    return (*FUND_SOURCES, *((f"{EXTRA_SOURCE_PREFIX}{label}", label) for label in extra))


def source_header(amount: Column, source_label: str) -> str:
    """The header of one amount of one source: 全年预算数（本年财政拨款）."""
    return f"{amount.header}（{source_label}）"


def _project_amount_columns(extra: tuple[str, ...]) -> tuple[Column, ...]:
    cols = []
    for source, source_label in fund_sources(extra):
        for amount in AMOUNT_COLUMNS:
            cols.append(Column(f"{source}.{amount.key}", source_header(amount, source_label),
                               "money", required=source == "total", width=13,
                               since="1.1" if source.startswith(EXTRA_SOURCE_PREFIX) else V10))
    return tuple(cols)


PROJECT_TOTAL_LABEL = "合计"
"""Text in the first column of the SUM row under the 项目支出 header; readers skip that row."""

@cache
def project_sheet(extra_sources: tuple[str, ...] = ()) -> TableSheet:
    """项目支出 with the fund sources a profile adds after the contract's three (their columns
    follow 其他资金's, so only the columns right of them move; readers find every column by its
    header, and a book's extra sources by theirs)."""
    return TableSheet(
        PROJECT_SHEET,
        "项目支出情况（单位：万元）",
        (
            Column("code", "项目编码", required=True, width=16),
            Column("name", "项目名称", required=True, width=30),
            Column("supervisor", "主管部门", width=16),
            Column("implementer", "实施单位", width=16),
            *_project_amount_columns(extra_sources),
            Column("goal_expected", "年度目标（预期）", width=36),
            Column("goal_actual", "年度目标（实际完成）", width=36),
            # v1.1's columns follow v1.0's, so a v1.0 column keeps its letter; the printed execution
            # score stands beside the computed 预算执行得分 it is checked against.
            Column("category", "项目类别", width=12, since="1.1"),
            Column("printed_execution", "自评执行率得分", "number", width=10, since="1.1"),
            # v1.2: the rest of what a printed form states of the project, each checked against
            # what the amounts and the profile give.
            Column("printed_rate", "自评执行率", "percent", width=10, since=V12),
            Column("printed_weight", "执行率分值", "number", width=9, since=V12),
            Column("printed_total", "自评总分", "number", width=9, since=V12),
        ),
        capacity=200,
        computed=(
            Column("execution_score", "预算执行得分", "number", width=9),
            Column("self_score", "自评得分", "number", width=9),
            Column("self_grade", "自评等级", width=8),
            Column("checks", "校验", width=30),
        ),
    )


PROJECT_SHEET_DEF = project_sheet()
"""项目支出 with the contract's fund sources only (every v1.0 book, and the national template)."""

# --- 绩效指标 ----------------------------------------------------------------------------------

INDICATOR_SHEET_DEF = TableSheet(
    INDICATOR_SHEET,
    "绩效指标",
    (
        Column("subject", "评价对象", required=True, width=16),
        Column("level1", "一级指标", required=True, width=12),
        Column("level2", "二级指标", required=True, width=14),
        Column("level3", "三级指标", required=True, width=30),
        Column("direction", "方向", required=True, choices=DIRECTIONS, width=7),
        Column("target", "年度指标值", "value", width=12),
        Column("unit", "计量单位", width=9),
        Column("actual", "实际完成值", "value", width=12),
        Column("grade", "定性等级", choices=QUALITATIVE_GRADES, width=10),
        Column("weight", "分值", "number", required=True, width=7),
        Column("score", "得分", "number", width=7),
        Column("deviation", "偏差原因分析及改进措施", width=36),
        # After v1.0's columns, as on 项目支出.
        Column("nature", "指标性质", choices=tuple(NATURE_DIRECTIONS), width=8, since="1.1"),
    ),
    capacity=1000,
    computed=(
        Column("computed_score", "计算得分", "number", width=9),
        Column("score_check", "得分核对", width=18),
        Column("checks", "校验", width=30),
    ),
    helpers=(
        Column("score_value", "得分（数值）", "number", width=9),
        Column("valid_weight", "有效分值", "number", width=9),
        Column("direction_code", "方向代码", "number", width=9),
        Column("score_band", "得分所在等级代码", "number", width=9),
        Column("scored_grade", "评定等级代码", "number", width=9),
    ),
)

# --- 问题与措施 --------------------------------------------------------------------------------

PROBLEM_SHEET_DEF = TableSheet(
    PROBLEM_SHEET,
    "存在的主要问题及改进措施",
    (
        Column("problem", "存在问题", required=True, width=44),
        Column("measure", "改进措施", width=44),
        # v1.1: whose problem it is (empty: 部门整体) and the 评价结论 the forms print for it, so
        # each project's 自评表 can carry its own 评价结论 / 存在问题 / 改进措施. After v1.0's
        # columns, as on the other sheets. A row may hold a 评价结论 alone (no problem found).
        Column("subject", "评价对象", width=16, since="1.1"),
        Column("conclusion", "评价结论", width=36, since="1.1"),
    ),
    capacity=50,
)

# --- 主要工作 (v1.2) -----------------------------------------------------------------------------

WORK_SHEET = "主要工作"
WORK_SHEET_DEF = TableSheet(
    WORK_SHEET,
    "年度主要工作完成情况",
    (
        # One row a theme, as a report's 年度整体工作和重点工作任务 lists them (工业经济稳中有进, …).
        Column("theme", "工作主题", required=True, width=22, since=V12),
        Column("content", "完成情况", width=72, since=V12),
    ),
    capacity=20,
)
"""Optional: a book of v1.0 or v1.1 has no such sheet and reads with no main work."""

TABLE_SHEETS = (PROJECT_SHEET_DEF, INDICATOR_SHEET_DEF, PROBLEM_SHEET_DEF, WORK_SHEET_DEF)

V11_COLUMNS = {sheet.name: tuple(col for col in sheet.columns if col.since == "1.1") for sheet in TABLE_SHEETS}
"""Per table sheet, the columns contract v1.1 added (a v1.0 book has none of them)."""

# --- 评分汇总 (formulas only) ----------------------------------------------------------------

SUMMARY_SHEET = "评分汇总"
"""A sheet of formulas only: 部门整体's live score and grade and the count of failed checks.
``xlsuite score`` recomputes everything it shows; readers take only the results its formulas
left (cached), to report those that differ from the recomputed ones."""
SUMMARY_TOTAL_LABEL, SUMMARY_GRADE_LABEL = "自评得分", "自评等级"
SUMMARY_LABELS = ("全年预算数（部门整体）", "全年执行数（部门整体）", "预算执行得分", "指标得分合计",
                  SUMMARY_TOTAL_LABEL, SUMMARY_GRADE_LABEL)
"""The labels of 评分汇总's rows for 部门整体, in column A, their formulas in column B."""
DEPARTMENT_SCORE_NAME = "部门整体得分"
DEPARTMENT_GRADE_NAME = "部门整体等级"
FAILED_CHECKS_NAME = "校验未通过数"
"""Workbook defined names of the summary's cells (the template's formulas compute them)."""

READ_SHEETS = (*REQUIRED_SHEETS, WORK_SHEET, META_SHEET, SUMMARY_SHEET)
"""The sheets every reader reads (a file, or a book open in Excel): the contract's, 主要工作 when
there (v1.2), the meta sheet and, when there, 评分汇总 (only for the results its formulas left)."""

# --- meta --------------------------------------------------------------------------------------

META_VERSION_KEY = "template_version"
META_KIND_KEY = "template"
META_KIND_VALUE = "xlsuite 预算绩效自评"
MAX_CELL_TEXT = 32767
"""The most characters a cell holds in Excel, WPS and LibreOffice."""
META_PROFILE_NAME_KEY = "profile"
META_PROFILE_SOURCE_KEY = "profile_source"
"""The scoring profile the template was built for: its name, and its whole TOML text, so the
book carries its rules wherever it goes (``profile.resolve_profile`` reads it back)."""
META_SCORE_PREFIX = "score."
"""Keys of the score stamp ``xlsuite score`` writes into the meta sheet (``score.total``, …)."""

# --- limits of a book that is read -------------------------------------------------------------

MAX_SHEET_ROWS = 20 * max(sheet.capacity for sheet in TABLE_SHEETS)
"""Rows (to the last used one) a sheet the reader loads may reach: twenty times the rows the
largest table sheet prepares (1,000 indicators), which no department's book comes near. Both
engines build a sheet as a whole rectangle from A1, so one value in a far cell (XFD1048576)
would make them allocate billions of cells; the extent is checked from the sheet's XML first."""
MAX_SHEET_COLUMNS = 256
"""Columns (to the last used one, column IV) a sheet the reader loads may reach: the widest
sheet of the contract has 24 (项目支出's 20 and its 4 computed), and Excel 2003 stopped at 256."""
MAX_PART_BYTES = 128 * 2**20
"""The most bytes any one part of the package (a sheet, the shared strings) may inflate to.
Sized from the heaviest sheet a real application saves: LibreOffice and openpyxl write every
formula out per cell, and a 绩效指标 row of this template then weighs about 3.8 KB (measured by
``benchmarks/recalc.py``), so the 200-project, 4,000-indicator book of ``tests/test_big_book.py``
has a 15 MB sheet, and a full ``MAX_SHEET_ROWS`` sheet of such rows about 77 MB: a margin of 8×
over the first and 1.6× over the second. (The previous template's rows weighed 34 KB written out:
a book of it reads up to some 3,700 indicators once saved so.)"""
MAX_BOOK_BYTES = 512 * 2**20
"""The most bytes all parts of the package together may inflate to."""
MAX_ZIP_RATIO = 200
"""A part inflating to more than ``ZIP_RATIO_FROM_BYTES`` may be at most this many times its
compressed size (spreadsheet XML reaches 10–50; a zip bomb approaches deflate's 1,032)."""
ZIP_RATIO_FROM_BYTES = 8 * 2**20
