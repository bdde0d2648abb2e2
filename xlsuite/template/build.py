"""Build the standard workbook (预算绩效自评模板.xlsx) from the contract, empty or filled.

The same code writes the empty template an accountant fills and the filled sample, so the two
can never differ in layout. Everything a user typed is written with ``write_string`` or
``write_number``: a unit name beginning with ``=`` stays text.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..adapters.xlsxwriter_internals import write_shared_formula, write_uncached_formula
from ..core import contract as c
from ..core.errors import InputError
from ..core.model import Amounts, DepartmentBook
from ..core.profile import Profile, load_profile
from ..files.plaintext_xlsx import PlainTextWorkbook
from ..files.reproducible import FIXED_CREATED
from ..layout import style
from .checks import Checks
from .formulas import Compiler, Layout, compiler_for, no_formulas_reason

TEMPLATE_FILENAME = "预算绩效自评模板.xlsx"

TITLE_ROW, HEADER_ROW = c.TITLE_ROW, c.HEADER_ROW

MONEY_FORMAT = style.MONEY_FORMAT

FORMULA_NOTE = (
    f"10. 本模板用普通公式自动计算得分（Excel、WPS、LibreOffice 均可，无需 Python）：“{c.INDICATOR_SHEET}”表的"
    f"“计算得分”“得分核对”，“{c.PROJECT_SHEET}”表的“自评得分”“自评等级”，“{c.SUMMARY_SHEET}”表的部门整体得分和等级；"
    "“得分”列仍由填报人填写（定性指标必填），与计算得分不一致时“得分核对”列提示。"
    "公式能读“9分”这样带“分”字的得分，但不从文字中读数：年度指标值、实际完成值写成“≥95%”“2023年12月”的，"
    "“计算得分”显示“请核对指标值”；分值写成“10分”的，“校验”列提示分值有误。这两种写法“评分”按钮仍按其中的数值计分。"
    "正式得分以“评分”结果为准。")
"""The 说明 line on the formula columns (templates whose profile compiles to formulas)."""

README_LINES = (
    "预算绩效自评工作簿（标准模板）",
    "",
    "填写说明：",
    "1. 金额单位均为万元，保留两位小数。灰底单元格为标题或公式，不需填写；白底单元格为填写区。",
    "2. “部门信息”：填写年度、单位编码、单位名称、主管部门、人员编制和部门职能、年度总体目标；"
    "自评报告的“部门基本情况”还用到自评通知的名称和文号、内设机构、分类编制数和实有人数、退休和临时用工人数，"
    "有则填写，空白的不写入报告。"
    f"“填报范围”空白即“{c.SCOPE_FULL}”；只对项目自评、不报部门预算的单位选“{c.SCOPE_PROJECTS}”，"
    "此时不填“收支情况”，也不评价部门整体。",
    "3. “收支情况”：按科目在固定行填写年初预算数、全年预算数、全年执行数；合计行自动求和，请勿改动。",
    "4. “项目支出”：每个项目一行，填写资金合计及其来源（本年财政拨款、上年结转、其他资金）。"
    "项目类别按评分方案填写（可不填）；已有自评表的，可在“自评执行率得分”填写表上的预算执行率得分，以便核对。",
    "5. “绩效指标”：每个指标一行。评价对象填“部门整体”或项目编码；一级、二级指标从下拉列表选择；"
    "方向选 ≥ / ≤ / = / 定性；定量指标填写数值型的年度指标值和实际完成值，定性指标选择定性等级并填写得分。"
    "指标性质可选 正向（方向 ≥）或 反向（方向 ≤）。",
    "6. “问题与措施”：逐条填写存在的问题和对应的改进措施。评价对象空白即部门整体，也可填项目编码；"
    "评价结论填该评价对象的总体结论（可单独一行，不填问题），评分方案要求时列入自评表。",
    f"7. “{c.WORK_SHEET}”：每个工作主题一行（如“工业经济稳中有进”），填写全年完成情况；"
    "自评报告按此逐条写入“年度整体工作和重点工作任务”。",
    "8. 可以插入行；请勿修改表头文字和工作表名称，汇总程序按表头识别数据。",
    "9. 装有 xlsuite 加载项时，可使用“绩效自评”选项卡上的 校验 / 评分 / 生成自评表 / 生成报告 按钮。",
)


class _Formats:
    """The workbook's cell formats, created once per workbook."""

    def __init__(self, wb: xlsxwriter.Workbook):
        locked = {**style.CELL, "locked": True, "bg_color": style.LABEL_FILL}
        unlocked = {**style.CELL, "locked": False}
        self.title = wb.add_format(style.TITLE)
        self.header = wb.add_format({**locked, **style.HEADER})
        self.label = wb.add_format({**locked, "text_wrap": True})
        self.label_bold = wb.add_format({**locked, "bold": True, "text_wrap": True})
        self.total_money = wb.add_format({**locked, "bold": True, "num_format": MONEY_FORMAT})
        self.text = wb.add_format({**unlocked, "text_wrap": True})
        self.money = wb.add_format({**unlocked, "num_format": MONEY_FORMAT})
        self.int = wb.add_format({**unlocked, "num_format": style.INTEGER_FORMAT})
        self.number = wb.add_format({**unlocked, "num_format": style.DECIMAL_FORMAT})
        self.rate = wb.add_format({**unlocked, "num_format": style.PERCENT_FORMAT})
        # A 年度指标值 / 实际完成值 may be a 定性 indicator's words: they wrap (a number never does).
        self.value = wb.add_format({**unlocked, "num_format": "General", "text_wrap": True})
        # Computed cells carry no border or fill of their own: every row of the capacity holds a
        # formula, and a bordered empty row would be printed. Conditional formats (``_frame``)
        # draw them on the rows in use.
        bare = {"font_name": style.SONGTI, "font_size": 10, "valign": "vcenter", "locked": True}
        self.computed = wb.add_format({**bare, "num_format": style.DECIMAL_FORMAT})
        self.computed_text = wb.add_format({**bare, "text_wrap": True})
        self.summary = wb.add_format({**locked, "num_format": style.DECIMAL_FORMAT, "bold": True})
        self.summary_text = wb.add_format({**locked, "text_wrap": True, "bold": True})
        self.summary_count = wb.add_format({**locked, "num_format": style.INTEGER_FORMAT, "bold": True})
        self.flag = wb.add_format({"bg_color": style.ERROR_FILL})
        self.percent = wb.add_format({**locked, "num_format": style.PERCENT_FORMAT})
        self.note = wb.add_format(style.NOTE)
        self.note_title = wb.add_format({"font_name": style.HEITI, "font_size": 16, "bold": True})

    def for_kind(self, kind: str):
        return {"money": self.money, "int": self.int, "number": self.number, "percent": self.rate,
                "value": self.value}.get(kind, self.text)

    def for_computed(self, kind: str):
        return self.computed if kind == "number" else self.computed_text


def build_workbook(path: str | Path, book: DepartmentBook | None = None,
                   profile: Profile | None = None, notes: tuple[str, ...] = (), *,
                   macros: bool = False) -> Path:
    """Write the standard workbook to ``path``.

    Args:
        path: the .xlsx file to write (.xlsm with ``macros``).
        book: the department's data to fill in; ``None`` gives the empty template.
        profile: scoring profile whose indicator hierarchy feeds the dropdowns.
        notes: extra lines for the 说明 sheet (e.g. that a sample is illustrative).
        macros: add the VBA project, the 校验 / 评分 / 生成自评表 / 生成报告 buttons on 说明, the
            ``xlwings.conf`` sheet and the live-score UDF column (``xlsuite.excel.macro_book``).
            Without it the workbook holds no macro and no UDF, so it works without Python.

    Returns:
        The path written.
    """
    path = Path(path)
    profile = profile or load_profile()
    wb = PlainTextWorkbook(str(path), style.WORKBOOK_OPTIONS)
    wb.set_properties({"title": "预算绩效自评工作簿", "author": "xlsuite",
                       "created": FIXED_CREATED})
    fmt = _Formats(wb)
    # Formulas for every row of the sheets' capacity, or of the book when it has more rows.
    layout = Layout.of_template(len(book.indicators) if book else 0, len(book.projects) if book else 0)
    formulas = compiler_for(profile, layout)
    checks = Checks(formulas) if formulas is not None else None
    if formulas is None:
        notes = (*notes, f"本评分方案（{profile.name}）{no_formulas_reason(profile)}，模板不自动计算得分；"
                         "请使用“评分”按钮或 xlsuite score 计分。")
    _write_readme(wb, fmt, notes, formulas is not None)
    if formulas is not None:
        _write_summary(wb, fmt, formulas, checks)
    _write_info(wb, fmt, book, checks)
    _write_budget(wb, fmt, book, checks)
    _write_projects(wb, fmt, book, profile, formulas, checks)
    _write_indicators(wb, fmt, book, formulas, checks)
    _write_problems(wb, fmt, book)
    _write_work(wb, fmt, book)
    _write_meta(wb, profile)
    _write_lists(wb, profile, checks)
    if macros:
        from ..excel.macro_book import add_macros

        add_macros(wb, fmt.header)
    wb.close()
    return path


def build_template(out_dir: str | Path, profile: Profile | None = None) -> Path:
    """Build the empty template as ``预算绩效自评模板.xlsx`` in ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return build_workbook(out_dir / TEMPLATE_FILENAME, None, profile)


def build_macro_template(out_dir: str | Path, profile: Profile | None = None) -> Path:
    """Build the template with buttons and macros as ``预算绩效自评模板.xlsm`` in ``out_dir``."""
    from ..excel.macro_book import MACRO_NOTES, MACRO_TEMPLATE_FILENAME

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return build_workbook(out_dir / MACRO_TEMPLATE_FILENAME, None, profile, MACRO_NOTES, macros=True)


# --- sheets ------------------------------------------------------------------------------------


def _protect(ws) -> None:
    # No password: protection guards labels and formulas against slips, not against people.
    ws.protect("", {"insert_rows": True, "delete_rows": True, "format_columns": True,
                    "format_rows": True, "autofilter": True, "sort": True})


PROJECT_PRINT_PAGES_WIDE = 2
"""项目支出 prints two landscape pages wide, each led by 项目编码 and 项目名称: its 26 columns on
one page printed at 38%, text some 4 pt high; on two, about 67%."""


REPEATED_COLUMNS = (0, 1)
"""Columns that start every page of a sheet printed several pages wide (项目编码, 项目名称 on
项目支出), so each page's figures are read against their project."""


def _print_setup(ws, header_rows: int, landscape: bool, pages_wide: int = 1) -> None:
    style.print_a4(ws, landscape=landscape, repeat=(0, header_rows - 1), margins=style.TEMPLATE_MARGINS,
                   pages_wide=pages_wide, repeat_columns=REPEATED_COLUMNS if pages_wide > 1 else None)


def _title(ws, fmt: _Formats, text: str, ncols: int, pages_wide: int = 1) -> None:
    # Printed several pages wide, a title centred over every column lands on the seam between
    # pages; over the repeated columns it heads each page whole.
    last = REPEATED_COLUMNS[-1] if pages_wide > 1 else ncols - 1
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last, text, fmt.title)
    ws.set_row(TITLE_ROW, style.TITLE_ROW_HEIGHT)


README_WIDTH = 98
"""说明's one column: wrapped lines, narrow enough to print on A4 portrait at full size."""


def _write_readme(wb, fmt: _Formats, notes: tuple[str, ...], formulas: bool = False) -> None:
    ws = wb.add_worksheet(c.README_SHEET)
    ws.set_column(0, 0, README_WIDTH)
    ws.write_string(0, 0, README_LINES[0], fmt.note_title)
    lines = [*README_LINES[1:], "", f"模板版本：{c.TEMPLATE_VERSION}"]
    if formulas:
        lines[-2:-2] = [FORMULA_NOTE]
    if notes:
        lines += ["", *notes]
    for row, line in enumerate(lines, start=1):
        ws.write_string(row, 0, line, fmt.note)
        style.fit_row(ws, row, [(line, README_WIDTH)], style.NOTE["font_size"])
    if formulas:  # the first line under the title: the live count of failed checks
        write_uncached_formula(ws, 1, 0, _failed_checks_text(), fmt.note)
        style.fit_row(ws, 1, [(_FAILED_CHECKS_LINE.format(c.MAX_SHEET_ROWS), README_WIDTH)], style.NOTE["font_size"])
    ws.protect("")
    style.print_a4(ws)


def _write_info(wb, fmt: _Formats, book: DepartmentBook | None, checks: Checks | None = None) -> None:
    ws = wb.add_worksheet(c.INFO_SHEET)
    widths = (24, 80)
    ws.set_column(0, 0, widths[0])
    ws.set_column(1, 1, widths[1], fmt.text)
    _title(ws, fmt, "部门基本信息", 3 if checks else 2)
    ws.write_string(HEADER_ROW, 0, c.INFO_LABEL_HEADER, fmt.header)
    ws.write_string(HEADER_ROW, 1, c.INFO_VALUE_HEADER, fmt.header)
    if checks is not None:
        ws.set_column(2, 2, c.CHECKS_COLUMN.width)
        ws.write_string(HEADER_ROW, 2, c.CHECKS_COLUMN.header, fmt.header)
        _flag_when_filled(ws, fmt, HEADER_ROW + 1, HEADER_ROW + len(c.INFO_FIELDS), 2)
    for i, f in enumerate(c.INFO_FIELDS):
        row = HEADER_ROW + 1 + i
        shown = ""  # the longest 校验 text the row can show: its height holds it
        if checks is not None:
            formula = checks.info_row(f, xl_rowcol_to_cell(row, 1))
            write_uncached_formula(ws, row, 2, formula, fmt.computed_text)
            shown = checks.longest(formula)
        label = f"{f.label}（必填）" if f.required else f.label
        ws.write_string(row, 0, label, fmt.label_bold if f.required else fmt.label)
        value = getattr(book.info, f.key) if book else None
        if value not in (None, ""):
            if f.kind in ("int", "number", "percent"):
                ws.write_number(row, 1, value, fmt.for_kind(f.kind))
            else:
                ws.write_string(row, 1, str(value), fmt.text)
        elif f.kind in ("number", "percent"):
            ws.write_blank(row, 1, None, fmt.for_kind(f.kind))  # typed 86.2% keeps its format
        if f.kind == "int":
            ws.data_validation(row, 1, row, 1, {
                "validate": "integer", "criteria": "between", "minimum": 0,
                "maximum": 100000, "error_title": "输入有误", "error_message": "请填写整数。"})
        elif f.kind in ("number", "percent"):
            ws.data_validation(row, 1, row, 1, {
                "validate": "decimal", "criteria": ">=", "value": -1e12, "error_title": "输入有误",
                "error_message": "请填写数字。"})
        if f.choices:
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(f.choices)})
        # Room to type the long answers in the empty template; a filled one as tall as its text.
        minimum = 60 if f.key in ("functions", "goal_expected", "goal_actual") else 0
        minimum = 30 if f.key in ("internal_unit_names", "staff_note") else minimum
        style.fit_row(ws, row, [(label, widths[0]), (value if isinstance(value, str) else "", widths[1]),
                                (shown, c.CHECKS_COLUMN.width)], minimum=minimum)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    _print_setup(ws, HEADER_ROW + 1, landscape=False)
    _protect(ws)


def _amount(amounts: Amounts | None, key: str) -> Decimal | None:
    return getattr(amounts, key) if amounts is not None else None


def _write_budget(wb, fmt: _Formats, book: DepartmentBook | None, checks: Checks | None = None) -> None:
    ws = wb.add_worksheet(c.BUDGET_SHEET)
    cols = c.BUDGET_COLUMNS
    for i, col in enumerate(cols):
        ws.set_column(i, i, col.width, fmt.for_kind(col.kind) if col.kind == "money" else None)
    ws.set_column(len(cols) - 1, len(cols) - 1, cols[-1].width, fmt.text)
    _title(ws, fmt, "部门收支情况（单位：万元）", len(cols) + (1 if checks else 0))
    for i, col in enumerate(cols):
        ws.write_string(HEADER_ROW, i, col.header, fmt.header)
    rows = c.budget_rows()
    row_of = {r.key: HEADER_ROW + 1 + i for i, r in enumerate(rows)}
    shown = {}  # per row, the longest 校验 text it can show: its height holds it
    if checks is not None:
        check_col = len(cols)
        ws.set_column(check_col, check_col, BUDGET_CHECKS_WIDTH)
        ws.write_string(HEADER_ROW, check_col, c.CHECKS_COLUMN.header, fmt.header)
        _flag_when_filled(ws, fmt, HEADER_ROW + 1, HEADER_ROW + len(rows), check_col)
        for r in rows:
            formula = checks.budget_row(r, row_of[r.key] + 1, HEADER_ROW + 2)
            write_uncached_formula(ws, row_of[r.key], check_col, formula, fmt.computed_text)
            shown[r.key] = checks.longest(formula)
    first_amount = next(i for i, col in enumerate(cols) if col.kind == "money")
    values = _budget_values(book)
    for r in rows:
        row = row_of[r.key]
        label = fmt.label_bold if r.is_total else fmt.label
        ws.write_string(row, 0, r.section, label)
        ws.write_string(row, 1, r.code, label)
        ws.write_string(row, 2, r.name, label)
        for j, amount_col in enumerate(c.AMOUNT_COLUMNS):
            col = first_amount + j
            if r.is_total:
                refs = _sum_args([row_of[k] for k in r.total_of], col)
                ws.write_formula(row, col, f"=SUM({refs})", fmt.total_money,
                                 _as_cached(values.get((r.key, amount_col.key))))
            else:
                value = values.get((r.key, amount_col.key))
                if value is not None:
                    ws.write_number(row, col, float(value), fmt.money)
        note = book.budget[r.key].note if book and r.key in book.budget else ""
        if note:
            ws.write_string(row, len(cols) - 1, note, fmt.text)
        style.fit_row(ws, row, [(r.name, cols[2].width), (note, cols[-1].width),
                                (shown.get(r.key, ""), BUDGET_CHECKS_WIDTH)])
    ws.freeze_panes(HEADER_ROW + 1, 3)
    _print_setup(ws, HEADER_ROW + 1, landscape=False)
    _protect(ws)


BUDGET_CHECKS_WIDTH = 36
"""收支情况's 校验 column: the three labels an amount row can show on two lines (at 30, three)."""


def _budget_values(book: DepartmentBook | None) -> dict[tuple[str, str], Decimal]:
    """Each input row's amounts from ``book``, and each total computed from them bottom-up."""
    if book is None:
        return {}
    values: dict[tuple[str, str], Decimal] = {}
    for r in c.budget_rows():
        line = book.budget.get(r.key)
        for a in c.AMOUNT_COLUMNS:
            v = _amount(line.amounts if line else None, a.key)
            if v is not None and not r.is_total:
                values[(r.key, a.key)] = v

    def total(key: str, amount: str) -> Decimal | None:
        r = c.budget_row(key)
        if not r.is_total:
            return values.get((key, amount))
        parts = [total(k, amount) for k in r.total_of]
        present = [p for p in parts if p is not None]
        return sum(present, Decimal(0)) if present else None

    for r in c.budget_rows():
        if r.is_total:
            for a in c.AMOUNT_COLUMNS:
                v = total(r.key, a.key)
                if v is not None:
                    values[(r.key, a.key)] = v
    return values


def _as_cached(value: Decimal | None):
    # The cached result a spreadsheet shows before it recalculates; readers without a
    # calculation engine (calamine) see exactly this.
    return float(value) if value is not None else 0


def _sum_args(rows: list[int], col: int) -> str:
    """SUM arguments for ``rows`` of ``col``: one range when contiguous, else a list."""
    rows = sorted(rows)
    if rows == list(range(rows[0], rows[-1] + 1)):
        first, last = xl_rowcol_to_cell(rows[0], col), xl_rowcol_to_cell(rows[-1], col)
        return first if first == last else f"{first}:{last}"
    return ",".join(xl_rowcol_to_cell(r, col) for r in rows)


def _table_sheet(wb, fmt: _Formats, sheet: c.TableSheet, first_row: int, landscape: bool,
                 formulas: bool = False, pages_wide: int = 1):
    """A sheet with title, header, column formats and dropdowns for ``sheet.capacity`` rows
    from ``first_row`` (and the computed columns' headers with ``formulas``); returns it."""
    ws = wb.add_worksheet(sheet.name)
    columns = (*sheet.columns, *sheet.formula_columns) if formulas else sheet.columns
    for i, col in enumerate(sheet.columns):
        ws.set_column(i, i, col.width, fmt.for_kind(col.kind))
    for i, col in enumerate(columns[len(sheet.columns):], start=len(sheet.columns)):
        ws.set_column(i, i, col.width)
    visible = len(columns) - (len(sheet.helpers) if formulas else 0)  # the helpers are hidden
    _title(ws, fmt, sheet.title, visible, pages_wide)
    for i, col in enumerate(columns):
        ws.write_string(HEADER_ROW, i, col.header, fmt.header)
    style.fit_row(ws, HEADER_ROW, [(col.header, col.width) for col in columns], minimum=32)
    last_row = first_row + sheet.capacity - 1
    for i, col in enumerate(sheet.columns):
        if col.choices:
            ws.data_validation(first_row, i, last_row, i,
                               {"validate": "list", "source": list(col.choices)})
        elif col.kind in ("money", "number", "percent"):
            ws.data_validation(first_row, i, last_row, i, {
                "validate": "decimal", "criteria": ">=", "value": -1e12, "error_title": "输入有误",
                "error_message": "请填写数字（金额单位：万元）。" if col.kind == "money" else "请填写数字。"})
    _print_setup(ws, HEADER_ROW + 1, landscape, pages_wide)
    return ws


def _write_cell(ws, fmt: _Formats, row: int, col: int, kind: str, value) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), fmt.for_kind(kind))
    else:
        ws.write_string(row, col, str(value), fmt.for_kind(kind))


def _record_value(record, key: str):
    """A column key such as ``total.executed`` (or ``extra:单位资金.executed``) read off a model
    record."""
    obj = record
    if key.startswith(c.EXTRA_SOURCE_PREFIX):
        label, amount = key[len(c.EXTRA_SOURCE_PREFIX):].rsplit(".", 1)
        return getattr(record.extra_sources.get(label, Amounts()), amount)
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


_UNWRAPPED = ("money", "int", "number", "percent")
"""Column kinds whose cells do not wrap (``_Formats.for_kind``)."""


def _write_records(ws, fmt: _Formats, sheet: c.TableSheet, records, first_row: int) -> None:
    for n, record in enumerate(records):
        texts = []
        for i, col in enumerate(sheet.columns):
            value = _record_value(record, col.key)
            _write_cell(ws, fmt, first_row + n, i, col.kind, value)
            if isinstance(value, str) and col.kind not in _UNWRAPPED:  # wrapped: the row must hold it
                texts.append((value, col.width))
        style.fit_row(ws, first_row + n, texts)


def _write_projects(wb, fmt: _Formats, book: DepartmentBook | None, profile: Profile,
                    formulas: Compiler | None = None, checks: Checks | None = None) -> None:
    sheet = profile.project_sheet
    total_row = HEADER_ROW + 1
    first, last = total_row + 1, total_row + max(sheet.capacity, len(book.projects) if book else 0)
    ws = _table_sheet(wb, fmt, sheet, first, landscape=True, formulas=formulas is not None,
                      pages_wide=PROJECT_PRINT_PAGES_WIDE)
    if categories := profile.categories():
        # Only the types the profile weighs differently are offered; any other text is allowed
        # (a warning in Excel, not a stop): such a project takes the profile's 项目 weights.
        column = sheet.index("category")
        ws.data_validation(first, column, last, column, {
            "validate": "list", "source": categories, "error_type": "information",
            "error_title": sheet.column("category").header,
            "error_message": "该类别在评分方案中没有单独的指标权重，将按一般项目评分。"})
    if formulas is not None:
        _write_computed(ws, fmt, sheet, first, last - first + 1, {
            "execution_score": formulas.project_execution, "self_score": formulas.project_score,
            "self_grade": formulas.project_grade, "checks": checks.project_row})
        for i in range(len(sheet.columns), len(sheet.columns) + len(sheet.computed)):
            ws.write_blank(total_row, i, None, fmt.label)
        # Every row of the capacity holds formulas, and spreadsheets print every cell that
        # holds one: a book prints its own rows (the empty template its title and header, not
        # pages of empty grid); an accountant who fills rows in sets a print area.
        ws.print_area(0, 0, max(total_row, first + (len(book.projects) if book else 0) - 1),
                      len(sheet.columns) + len(sheet.computed) - 1)
    ws.write_string(total_row, 0, c.PROJECT_TOTAL_LABEL, fmt.label_bold)
    projects = book.projects if book else []
    for i, col in enumerate(sheet.columns):
        if col.kind == "money":
            letter = xl_col_to_name(i)
            cached = sum((_record_value(p, col.key) or Decimal(0) for p in projects), Decimal(0))
            ws.write_formula(total_row, i, f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                             fmt.total_money, float(cached))
        elif i:
            ws.write_blank(total_row, i, None, fmt.label)
    _write_records(ws, fmt, sheet, projects, first)
    ws.freeze_panes(first, 2)
    _protect(ws)


def _write_indicators(wb, fmt: _Formats, book: DepartmentBook | None,
                      formulas: Compiler | None = None, checks: Checks | None = None) -> None:
    sheet = c.INDICATOR_SHEET_DEF
    first, last = HEADER_ROW + 1, HEADER_ROW + sheet.capacity
    ws = _table_sheet(wb, fmt, sheet, first, landscape=True, formulas=formulas is not None)
    width = len(sheet.columns)
    if formulas is not None:
        _write_computed(ws, fmt, sheet, first, formulas.layout.indicator_last - first, {
            "computed_score": formulas.indicator_score, "score_check": formulas.indicator_check,
            "checks": checks.indicator_row, **formulas.indicator_helpers()})
        width += len(sheet.computed)
    level1 = sheet.index("level1")
    level2 = sheet.index("level2")
    name1, name2 = sheet.columns[level1].header, sheet.columns[level2].header
    ws.data_validation(first, level1, last, level1, {
        "validate": "list", "source": f"='{c.LISTS_SHEET}'!$A$2:$A$50",
        "error_title": name1, "error_message": f"请从下拉列表选择{name1}。"})
    # 二级 lists only the names under the row's 一级: the pairs sheet is sorted by 一级, so
    # OFFSET/MATCH/COUNTIF picks that block. Works in Excel, WPS and LibreOffice without names.
    l1 = xl_rowcol_to_cell(first, level1, col_abs=True)
    pairs = f"'{c.LISTS_SHEET}'!$C:$C"
    ws.data_validation(first, level2, last, level2, {
        "validate": "list",
        "source": f"=OFFSET('{c.LISTS_SHEET}'!$D$1,MATCH({l1},{pairs},0)-1,0,"
                  f"MAX(1,COUNTIF({pairs},{l1})),1)",
        "error_title": name2, "error_message": f"{name2}须属于所选{name1}，请从下拉列表选择。"})
    ws.autofilter(HEADER_ROW, 0, last, width - 1)
    if formulas is not None:  # as on 项目支出: the book's own rows, the empty template's header
        ws.print_area(0, 0, max(HEADER_ROW, first + (len(book.indicators) if book else 0) - 1), width - 1)
    _write_records(ws, fmt, sheet, book.indicators if book else [], first)
    ws.freeze_panes(first, 0)
    _protect(ws)


def _write_computed(ws, fmt: _Formats, sheet: c.TableSheet, first: int, rows: int, compile_row) -> None:
    """The computed columns' formulas in ``rows`` rows from ``first`` (0-based; the sheet's
    capacity, or the book's rows when more): a row the accountant fills is computed as soon
    as it is typed, and rows inserted inside the table are inside every range added up."""
    columns = {col.key: len(sheet.columns) + i for i, col in enumerate(sheet.formula_columns)}
    for col in sheet.helpers:  # intermediate values: out of sight, locked with the sheet
        ws.set_column(columns[col.key], columns[col.key], col.width, None, {"hidden": True})
    for key, compile_formula in compile_row.items():
        col = columns[key]
        cell_format = fmt.for_computed(sheet.computed_column(key).kind)
        # Stored once for the column, as Excel stores a filled-down formula: every reader then
        # parses one formula, not one per row of the capacity.
        write_shared_formula(ws, first, first + rows - 1, col, compile_formula(first + 1), cell_format, None)
    for key in ("score_check", "checks"):
        if key in columns:  # a flag: coloured when it says something
            _flag_when_filled(ws, fmt, first, first + rows - 1, columns[key])


def _flag_when_filled(ws, fmt: _Formats, first: int, last: int, col: int) -> None:
    """Colour the cells of a flag or 校验 column (rows ``first``–``last``) that say something."""
    ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "!=", "value": '""',
                                                  "format": fmt.flag})


SUMMARY_VALUE_WIDTH = 40
"""评分汇总's value column (B)."""

COVERAGE_LABEL = "公式完整性"
"""评分汇总's row warning of filled rows without formulas (rows inserted in Excel)."""


def _write_summary(wb, fmt: _Formats, formulas: Compiler, checks: Checks) -> None:
    """评分汇总: 部门整体's live score and grade, and the count of failed checks, as formulas."""
    ws = wb.add_worksheet(c.SUMMARY_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, SUMMARY_VALUE_WIDTH)
    _title(ws, fmt, "评分汇总（公式自动计算）", 2)
    ws.write_string(HEADER_ROW, 0, c.INFO_LABEL_HEADER, fmt.header)
    ws.write_string(HEADER_ROW, 1, c.INFO_VALUE_HEADER, fmt.header)
    row = HEADER_ROW + 1
    ws.write_string(row, 0, c.FAILED_CHECKS_NAME, fmt.label_bold)
    check_row = row + 1 + len(c.SUMMARY_LABELS)
    write_uncached_formula(ws, row, 1, checks.failed(_check_ranges(check_row, formulas)), fmt.summary_count)
    wb.define_name(c.FAILED_CHECKS_NAME, _absolute(c.SUMMARY_SHEET, row, 1))
    ws.write_string(check_row, 0, f"{c.WHOLE_DEPARTMENT}{c.CHECKS_COLUMN.header}", fmt.label_bold)
    department = checks.department()
    write_uncached_formula(ws, check_row, 1, department, fmt.summary_text)
    _flag_when_filled(ws, fmt, check_row, check_row, 1)
    ws.write_string(check_row + 1, 0, COVERAGE_LABEL, fmt.label_bold)
    write_uncached_formula(ws, check_row + 1, 1, formulas.coverage(), fmt.summary_text)
    # Each as tall as the longest text its formula can show (printed at its set height).
    style.fit_row(ws, check_row, [(checks.longest(department), SUMMARY_VALUE_WIDTH)])
    style.fit_row(ws, check_row + 1, [(formulas.coverage_longest(), SUMMARY_VALUE_WIDTH)])
    _flag_when_filled(ws, fmt, check_row + 1, check_row + 1, 1)
    budget, executed = formulas.department_amounts()
    cells = {}
    for i, label in enumerate(c.SUMMARY_LABELS, start=row + 1):
        ws.write_string(i, 0, label, fmt.label_bold)
        cells[label] = xl_rowcol_to_cell(i, 1)
    execution, total = cells["预算执行得分"], cells[c.SUMMARY_TOTAL_LABEL]
    values = {
        "全年预算数（部门整体）": (f"={budget}", fmt.total_money),
        "全年执行数（部门整体）": (f"={executed}", fmt.total_money),
        "预算执行得分": (formulas.department_execution(), fmt.summary),
        "指标得分合计": (formulas.department_indicator_sum(), fmt.summary),
        c.SUMMARY_TOTAL_LABEL: (formulas.department_score(execution), fmt.summary),
        c.SUMMARY_GRADE_LABEL: (formulas.department_grade(total), fmt.summary_text),
    }
    for i, label in enumerate(c.SUMMARY_LABELS, start=row + 1):
        write_uncached_formula(ws, i, 1, *values[label])
    for name, label in ((c.DEPARTMENT_SCORE_NAME, c.SUMMARY_TOTAL_LABEL), (c.DEPARTMENT_GRADE_NAME, c.SUMMARY_GRADE_LABEL)):
        wb.define_name(name, _absolute(c.SUMMARY_SHEET, row + 1 + c.SUMMARY_LABELS.index(label), 1))
    note_row = check_row + 3
    ws.merge_range(note_row, 0, note_row, 1, f"评分方案：{formulas.profile.name}", fmt.note)
    ws.set_row(note_row + 1, 45)
    ws.merge_range(note_row + 1, 0, note_row + 1, 1, "本表和各表的“计算得分”“自评得分”由公式按评分方案自动计算，随填随算，仅供核对；"
                                     "正式得分以“评分”按钮或县财政局汇总的结果为准。", fmt.note)
    ws.conditional_format(row, 1, row, 1, {"type": "cell", "criteria": ">", "value": 0,
                                           "format": fmt.flag})
    _print_setup(ws, HEADER_ROW + 1, landscape=False)
    _protect(ws)


def _check_ranges(summary_row: int, formulas: Compiler) -> list[str]:
    """Every 校验 cell of the book (0-based ``summary_row`` is 评分汇总's own)."""
    layout = formulas.layout
    def column(sheet: str, col: int, first: int, last: int) -> str:
        a, b = (xl_rowcol_to_cell(r, col, row_abs=True, col_abs=True) for r in (first, last))
        return f"'{sheet}'!{a}:{b}"

    project, indicator = formulas.projects, c.INDICATOR_SHEET_DEF
    first_project = layout.project_first - 1
    return [
        column(c.INFO_SHEET, 2, HEADER_ROW + 1, HEADER_ROW + len(c.INFO_FIELDS)),
        column(c.BUDGET_SHEET, len(c.BUDGET_COLUMNS), HEADER_ROW + 1, HEADER_ROW + len(c.budget_rows())),
        column(c.PROJECT_SHEET, len(project.columns) + len(project.computed) - 1, first_project,
               layout.project_last - 1),
        column(c.INDICATOR_SHEET, len(indicator.columns) + len(indicator.computed) - 1, HEADER_ROW + 1,
               layout.indicator_last - 1),
        column(c.SUMMARY_SHEET, 1, summary_row, summary_row),
    ]


def _absolute(sheet: str, row: int, col: int) -> str:
    return f"='{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


_FAILED_CHECKS_LINE = (f"{c.FAILED_CHECKS_NAME}：{{}}（公式自动核对，详见各表“校验”列和“{c.SUMMARY_SHEET}”表；"
                       "0 表示公式能核对的规则均已通过）")
"""说明's first line, ``{}`` the live count."""


def _failed_checks_text() -> str:
    before, after = _FAILED_CHECKS_LINE.split("{}")
    return f'="{before}"&{c.FAILED_CHECKS_NAME}&"{after}"'


def _write_problems(wb, fmt: _Formats, book: DepartmentBook | None) -> None:
    _write_text_table(wb, fmt, c.PROBLEM_SHEET_DEF, book.problems if book else [], landscape=True)


def _write_work(wb, fmt: _Formats, book: DepartmentBook | None) -> None:
    """主要工作 (v1.2): one theme a row, printed portrait (two columns of text)."""
    _write_text_table(wb, fmt, c.WORK_SHEET_DEF, book.work if book else [], landscape=False)


def _write_text_table(wb, fmt: _Formats, sheet: c.TableSheet, records, landscape: bool) -> None:
    """A table sheet of typed text only (no formulas): its records, the header frozen, protected."""
    ws = _table_sheet(wb, fmt, sheet, HEADER_ROW + 1, landscape=landscape)
    _write_records(ws, fmt, sheet, records, HEADER_ROW + 1)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    _protect(ws)


def _write_meta(wb, profile: Profile) -> None:
    ws = wb.add_worksheet(c.META_SHEET)
    if len(profile.source) > c.MAX_CELL_TEXT:
        raise InputError(None, f"评分方案文件过长（{len(profile.source)} 个字符），"
                               f"超过单元格上限 {c.MAX_CELL_TEXT}，无法记录在模板中")
    rows = ((c.META_KIND_KEY, c.META_KIND_VALUE), (c.META_VERSION_KEY, c.TEMPLATE_VERSION),
            ("built_by", "xlsuite"), (c.META_PROFILE_NAME_KEY, profile.name),
            (c.META_PROFILE_SOURCE_KEY, profile.source))
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.hide()
    ws.protect("")


def _write_lists(wb, profile: Profile, checks: Checks | None = None) -> None:
    ws = wb.add_worksheet(c.LISTS_SHEET)
    level1, level2 = (c.INDICATOR_SHEET_DEF.column(key).header for key in ("level1", "level2"))
    ws.write_string(0, 0, level1)
    ws.write_string(0, 2, level1)
    ws.write_string(0, 3, level2)
    for r, name in enumerate(profile.level1_names(), start=1):
        ws.write_string(r, 0, name)
    r = 1
    for name in profile.level1_names():
        for level2 in profile.level2_names(name):
            ws.write_string(r, 2, name)
            ws.write_string(r, 3, level2)
            r += 1
    if checks is not None:  # what the formulas refer to by name (template_formulas.Names)
        names = checks.names
        ws.write_string(names.header, names.col, c.CHECKS_COLUMN.header)
        for i, text in enumerate(names.items, start=names.header + 1):
            ws.write_string(i, names.col, text)
        for name, words in names.lists.items():
            col = names.list_column(name)
            ws.write_string(names.header, col, name)
            for i, word in enumerate(words, start=names.header + 1):
                ws.write_string(i, col, word)
        for name, reference in names.defined().items():
            wb.define_name(name, f"={reference}")
    ws.hide()
    ws.protect("")


__all__ = ["build_workbook", "build_template", "build_macro_template", "TEMPLATE_FILENAME"]
