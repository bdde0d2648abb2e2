"""Compile the rules a formula can check into the template's 校验 columns.

Each 校验 cell names every rule its row fails, as ``【rule.id】要求；`` (the rule's id and title
from the catalogue), and ``校验未通过数`` counts the 【 marks of all of them: one per failure,
as validation counts findings. The rules compiled here are exactly the catalogue's
``TEMPLATE_CHECKS`` (a test holds them to it), each written to mirror its check in
``xlsuite.core.validation``; the rest only xlsuite checks. Like the scoring formulas they use only
functions Excel 2010+, WPS and LibreOffice all have, nothing volatile, and show "" on empty rows.

Pure: text in, text out.
"""

from __future__ import annotations

from ..core import contract as c
from ..core.amounts import YUAN
from ..core.model import column_letters
from ..core.scoring.reconcile import EXECUTION, RATE_TOLERANCE
from ..core.validation.catalogue import TEMPLATE_CHECKS, rule
from ..core.validation.consistency_checks import COST, COST_UNITS
from .formulas import NO_GRADE, OUT_OF_BAND, Compiler, _letter, _num, _sheet_ref, _text

_YUAN_PLACES = -YUAN.as_tuple().exponent  # 4: amounts are kept to the 元

MARK = "【"
"""Opens each failure in a 校验 cell; 校验未通过数 counts them."""

_AMOUNTS = tuple(col.key for col in c.AMOUNT_COLUMNS)
_AMOUNT_LABELS = {col.key: col.header for col in c.AMOUNT_COLUMNS}
_BY_NAME_ONLY = ("balance.income", "balance.function", "balance.economic", "balance.structure",
                 "balance.basic", "balance.sangong", "indicator.cached_score")
"""Rules of ``TEMPLATE_CHECKS`` that need no 校验 formula: the 合计 rows are SUM formulas, and
得分核对 (``template_formulas``) flags a 得分 that differs."""


class Checks:
    """The 校验 formulas of one profile (``formulas`` supplies the scoring parameters and ranges).
    ``row`` arguments are 1-based sheet rows."""

    def __init__(self, formulas: Compiler):
        self.formulas = formulas
        self.rules = formulas.rules
        self.used: set[str] = set(_BY_NAME_ONLY)
        """Rule ids the compiled formulas check (for the test against ``TEMPLATE_CHECKS``)."""
        self.texts = formulas.texts
        """Where the failure texts go: with the compiler's own texts (``template_formulas.Texts``)."""

    # --- 收支情况 and 部门信息 ------------------------------------------------------------------

    def budget_row(self, row: c.BudgetRow, number: int, project_total_row: int) -> str:
        """校验 of one 收支情况 row; ``project_total_row`` is 项目支出's 合计 row (1-based).
        Nothing in a book of projects only, which has no department budget to check."""
        cols = [col.key for col in c.BUDGET_COLUMNS]
        cell = {key: f"{column_letters(cols.index(key))}{number}" for key in _AMOUNTS}
        items = []
        if row.key in (c.ECONOMIC_TOTAL, c.STRUCTURE_TOTAL):
            function_row = c.HEADER_ROW + 2 + [r.key for r in c.budget_rows()].index(c.FUNCTION_TOTAL)
            items.append(self._gap_item("balance.views", {
                key: f"ROUND(N({cell[key]})-N({column_letters(cols.index(key))}{function_row}),2)<>0"
                for key in _AMOUNTS}))
        if not row.is_total:
            items += self._amount_items(f"{cell['initial']}:{cell['executed']}")
            items.append(self._overspent(cell["adjusted"], cell["executed"]))
        if row.key == c.PROJECT_SPENDING:
            p = self.formulas.projects
            sheet = _sheet_ref(c.PROJECT_SHEET)
            items.append(self._gap_item("cross.projects_total", {
                key: f"ROUND(N({sheet}!${_letter(p, f'total.{key}')}${project_total_row})-N({cell[key]}),2)<>0"
                for key in _AMOUNTS}))
        if not items:
            return '=""'
        return f'=IF({self.formulas.projects_only()},"",{"&".join(items)})'

    def info_row(self, field: c.Field, value: str) -> str:
        """校验 of one 部门信息 line whose value is in cell ``value``."""
        empty = f"LEN(TRIM({value}))=0"
        if field.key == "year":
            item = self._item("plausibility.year", f"OR({empty},NOT(ISNUMBER({value})),"
                                                   f"N({value})<2000,N({value})>2100)")
        elif field.key == "unit_code":
            item = self._item("plausibility.unit_code", empty)
        elif field.key == "scope":  # empty is the full scope; the dropdown offers the rest
            allowed = ",".join(f"TRIM({value})={_text(s)}" for s in c.SCOPES)
            item = self._item("plausibility.scope", f"AND(NOT({empty}),NOT(OR({allowed})))")
        elif field.required:
            item = self._item("plausibility.required", empty, field.label)
        else:
            return '=""'
        return "=" + item

    # --- 项目支出 -----------------------------------------------------------------------------

    def project_row(self, row: int) -> str:
        p = self.formulas.projects
        cell = {col.key: f"{_letter(p, col.key)}{row}" for col in p.columns}
        sources = c.fund_sources(self.formulas.profile.extra_sources)
        code = cell["code"]
        items = [self._item("plausibility.required", f"LEN(TRIM({cell[col.key]}))=0", col.header)
                 for col in p.columns if col.required and col.key != "total.initial"]
        differs = {}
        for key in _AMOUNTS:
            total = cell[f"total.{key}"]
            parts_of = [cell[f"{source}.{key}"] for source, _ in sources[1:]]
            parts = "+".join(f"N({s})" for s in parts_of)
            counted = "+".join(f"COUNT({s})" for s in parts_of)
            differs[key] = f"AND(ISNUMBER({total}),{counted}>0,ROUND({total}-({parts}),2)<>0)"
        items.append(self._gap_item("cross.project_sources", differs))
        amounts = [cell[f"{source}.{key}"] for source, _ in sources for key in _AMOUNTS]
        items += self._amount_items(f"{amounts[0]}:{amounts[-1]}")
        items.append(self._overspent(cell["total.adjusted"], cell["total.executed"]))
        # The budget the execution rate divides by, as the profile says (``check_coverage``).
        budget = cell[f"total.{self.formulas._denominator}"]
        items.append(self._item("plausibility.no_budget", f"AND(ISNUMBER({budget}),{budget}<=0)"))
        execution = f"{_letter(p, 'execution_score')}{row}"
        items.append(self._item("indicator.printed_execution",
                                self.formulas.printed_differs(cell["printed_execution"], execution)))
        items += self._printed_form(cell, budget, f"{_letter(p, 'self_score')}{row}")
        first = f"${_letter(p, 'code')}${c.HEADER_ROW + 3}"
        seen = f"COUNTIF({first}:{code},{code})"
        named = f'TRIM({code})<>""'
        items.append(self._item("plausibility.duplicate_project", f"AND({named},{seen}>1)"))
        subjects, weights = self.formulas._subjects(), self.formulas._indicator_range("weight")
        has = f"COUNTIF({subjects},{code})"
        execution = _num(self.rules.execution.weight)
        weight_total = self._item("indicator.weight_total",
                                  f"AND({seen}=1,ROUND(SUMIFS({weights},{subjects},{code})+{execution}-100,2)<>0)")
        # One count of the project's indicators serves both: none, or do their weights add up.
        items.append(f'IF({named},IF({has}>0,{weight_total},{self._message("plausibility.no_indicators")}),"")')
        first_col, last_col = _letter(p, p.columns[0].key), _letter(p, p.columns[-1].key)
        return f'=IF(COUNTA({first_col}{row}:{last_col}{row})=0,"",{"&".join(items)})'

    def _printed_form(self, cell: dict[str, str], budget: str, total: str) -> list[str]:
        """The printed 执行率, 执行率分值 and 自评总分 of a project row (v1.2) against the amounts,
        the profile and the row's 自评得分, as ``validation.check_printed_form`` compares them."""
        rate, printed = f"N({cell['total.executed']})/{budget}", cell["printed_rate"]
        # As ``scoring.reconcile.rate_agrees``: the nearer reading, to six places. N(budget) > 0
        # settles a text or empty budget before anything is divided by it.
        off = f"ROUND(MIN(ABS({printed}-{rate}),ABS({printed}/100-{rate})),6)"
        rate_differs = f"IF(AND(ISNUMBER({printed}),N({budget})>0),{off}>{_num(RATE_TOLERANCE)},FALSE())"
        weight = _num(self.rules.execution.weight)
        return [
            self._item("indicator.printed_rate", rate_differs),
            self._item("indicator.printed_weight", self._printed_differs(cell["printed_weight"], weight)),
            self._item("indicator.printed_total", self._printed_differs(cell["printed_total"], total)),
        ]

    def _printed_differs(self, printed: str, computed: str) -> str:
        """A printed number, rounded as the profile rounds a total, differs from ``computed``
        (IF, not AND: rounding a text is #VALUE!)."""
        return f"IF(ISNUMBER({printed}),{self.formulas._round(printed)}<>{computed},FALSE())"

    # --- 绩效指标 -----------------------------------------------------------------------------

    def indicator_row(self, row: int) -> str:
        s = c.INDICATOR_SHEET_DEF
        f = self.formulas
        cell = {col.key: f"{_letter(s, col.key)}{row}" for col in s.columns}
        subject, t, a, w = (cell[k] for k in ("subject", "target", "actual", "weight"))
        given = f._indicator_cells(row)["score"]  # 「9分」 is 9, as the reader takes it
        codes = self._project_codes()
        items = [self._item("plausibility.required", f"LEN(TRIM({cell[col.key]}))=0", col.header)
                 for col in s.columns if col.required and col.key != "weight"]
        known = f'OR(TRIM({subject})="{c.WHOLE_DEPARTMENT}",COUNTIF({codes},{subject})>0)'
        unknown = self._item("indicator.subject", f"LEN(TRIM({subject}))>0")
        # The row's 方向 and 定性等级 come as codes from helper columns (template_formulas).
        quant, qualitative = f.is_quantitative(row), f.is_qualitative(row)
        at_least, equal_d = f.is_direction(row, c.AT_LEAST), f.is_direction(row, c.EQUAL)
        # 计算得分 is a number on a quantitative row exactly when 年度指标值 and 实际完成值 are.
        scored = f"ISNUMBER({_letter(s, 'computed_score')}{row})"
        numeric = f"AND({quant},{scored})"
        flag = f"{_letter(s, 'score_check')}{row}"
        met = f.met(row)
        partial = [g for g, band in self.rules.qualitative.items() if band.high < 1]
        short_grade = "OR(" + ",".join(f.is_grade(row, g) for g in partial) + ")" if partial else "FALSE()"
        no_reason = f"LEN(TRIM({cell['deviation']}))=0"
        nature = f"TRIM({cell['nature']})"
        # 正向 wants ≥, 反向 ≤, and = suits either (as validation's ``_nature``); any other word is wrong.
        suits = ",".join(f"AND({nature}={_text(word)},OR({f.is_direction(row, wanted)},{equal_d}))"
                         for word, wanted in c.NATURE_DIRECTIONS.items())
        checks = [
            self._item("indicator.weight", f"NOT({f._weight_ok(row)})"),
            self._item("indicator.direction", f.direction_unknown(row)),
            self._item("indicator.quantitative", f"AND({quant},NOT(ISNUMBER({t})))", "年度指标值"),
            self._item("indicator.quantitative", f"AND({quant},NOT(ISNUMBER({a})))", "实际完成值"),
            self._item("indicator.overachieved",
                       f"IF(AND({at_least},{scored}),"
                       f"AND({t}>0,{a}>{_num(self.rules.overachievement)}*{t}))"),
            # 得分核对 already says these two, on exactly these conditions (a 定性 row without a
            # grade of the profile or a numeric 得分; one whose 得分 lies outside its grade's band).
            self._item("indicator.qualitative_grade", f"{flag}={f.texts.ref(NO_GRADE)}"),
            self._item("indicator.qualitative_band", f"{flag}={f.texts.ref(OUT_OF_BAND)}"),
            self._item("indicator.deviation",
                       f"AND({no_reason},IF({numeric},NOT({met}),"
                       f"AND({qualitative},{short_grade},ISNUMBER({given}))))"),
            self._item("indicator.nature", f"IF(AND(LEN({nature})>0,{quant}),NOT(OR({suits})))"),
        ]
        if self.rules.execution.weight > 0:  # as validation's ``consistency_checks``: scored on its own already
            # The name holds 预算执行率 where removing it shortens it (exactly as Python's ``in``).
            level3 = cell["level3"]
            checks.append(self._item("indicator.execution_twice",
                                     f'LEN(SUBSTITUTE({level3},"{EXECUTION}",""))<LEN({level3})'))
        checks.append(self._item("indicator.cost_over_spent", self._cost_over_spent(cell)))
        # Checks of a row's values run for indicators of 部门整体 or of a listed project only.
        body = f'{"&".join(items)}&IF({known},{"&".join(checks)},{unknown})'
        first_col, last_col = _letter(s, s.columns[0].key), _letter(s, s.columns[-1].key)
        return f'=IF(COUNTA({first_col}{row}:{last_col}{row})=0,"",{body})'

    # --- 评分汇总 -----------------------------------------------------------------------------

    def department(self) -> str:
        """部门整体's own checks: its weights, that it has indicators, and a budget. A book of
        projects only needs neither of the last two (as validation's ``check_coverage``); the
        weights of 部门整体 indicators it does hold are checked all the same."""
        subjects, weights = self.formulas._subjects(), self.formulas._indicator_range("weight")
        has = f'COUNTIF({subjects},"{c.WHOLE_DEPARTMENT}")'
        execution = _num(self.rules.execution.weight)
        budget, _ = self.formulas.department_amounts(self.formulas._denominator)
        evaluated = f"NOT({self.formulas.projects_only()})"
        return "=" + "&".join([
            self._item("indicator.weight_total",
                       f'AND({has}>0,ROUND(SUMIFS({weights},{subjects},"{c.WHOLE_DEPARTMENT}")'
                       f"+{execution}-100,2)<>0)"),
            self._item("plausibility.no_department_indicators", f"AND({evaluated},{has}=0)"),
            self._item("plausibility.no_budget",
                       f"AND({evaluated},NOT(AND(ISNUMBER({budget}),N({budget})>0)))"),
        ])

    @staticmethod
    def failed(ranges: list[str]) -> str:
        """校验未通过数: the 【 marks in ``ranges`` (the 校验 cells), one per failed check."""
        parts = [f'SUMPRODUCT(LEN({r})-LEN(SUBSTITUTE({r},"{MARK}","")))' for r in ranges]
        return "=" + "+".join(parts)

    # --- pieces ----------------------------------------------------------------------------------

    def _item(self, rule_id: str, condition: str, detail: str = "") -> str:
        # REPT(text, TRUE) is the text, REPT(text, FALSE) "": as IF(condition, text, "") in fewer
        # characters, which every row of a book written out per cell pays for.
        return f"REPT({self._message(rule_id, detail)},{condition})"

    def _gap_item(self, rule_id: str, differs: dict[str, str]) -> str:
        """One failure for a gap whatever the number of amount columns it shows in (as
        validation reports it), naming those columns: ``differs`` is column key → condition."""
        named = "&".join(f'IF({condition},{_text("、" + _AMOUNT_LABELS[key])},"")'
                         for key, condition in differs.items())
        # 「（、全年预算数、全年执行数」 loses its first 、 by SUBSTITUTE, a function the
        # template already relies on in every spreadsheet program; and the text with no column
        # named (「…（）；」) is no failure: it is replaced by "", so each condition is written once.
        mark = self._message(rule_id, end="")
        listed = f'SUBSTITUTE({mark}&"（"&{named}&"）；","（、","（")'
        return f'SUBSTITUTE({listed},{mark}&"（）；","")'

    def _message(self, rule_id: str, detail: str = "", end: str = "；") -> str:
        """A reference to the cell holding the failure text of ``rule_id`` (and ``detail``)."""
        if rule_id not in TEMPLATE_CHECKS:
            raise KeyError(f"{rule_id} is not in TEMPLATE_CHECKS")
        self.used.add(rule_id)
        detail = f"（{detail}）" if detail else ""
        return self.texts.ref(f"{MARK}{rule_id}】{rule(rule_id).title}{detail}{end}")

    def _amount_items(self, cells: str) -> list[str]:
        """Negative amounts and amounts with digits below 元 (``amounts.YUAN``) in the range
        ``cells``, one failure per cell (a cell holding text, which no reader accepts either,
        counts none)."""
        return [f'REPT({self._message("plausibility.negative")},COUNTIF({cells},"<0"))',
                f'REPT({self._message("plausibility.decimals")},'
                f"IFERROR(SUMPRODUCT(--(ROUND({cells},{_YUAN_PLACES})<>{cells})),0))"]

    def _overspent(self, budget: str, executed: str) -> str:
        return self._item("plausibility.overspent",
                          f"AND(ISNUMBER({budget}),ISNUMBER({executed}),N({executed})>N({budget}))")

    def _cost_over_spent(self, cell: dict[str, str]) -> str:
        """As validation's ``consistency_checks._cost``: a 成本 indicator's actual in 万元 or 元
        above its subject's 全年执行数 (a project's only when its code is listed once)."""
        level2, unit, actual, subject = cell["level2"], f'TRIM({cell["unit"]})', cell["actual"], cell["subject"]
        codes, executed = self._project_codes(), self._project_range("total.executed")
        _, department = self.formulas.department_amounts()
        spent = (f'IF(TRIM({subject})="{c.WHOLE_DEPARTMENT}",N({department}),'
                 f"IF(COUNTIF({codes},{subject})=1,SUMIFS({executed},{codes},{subject}),0))")
        # Another unit scales the actual to 0, which is never above what was spent.
        scales = "+".join(f'{_num(scale)}*({unit}="{name}")' for name, scale in COST_UNITS.items())
        is_cost = f'LEN(SUBSTITUTE({level2},"{COST}",""))<LEN({level2})'
        # IF, not AND: AND evaluates every argument, and a text actual times a number is #VALUE!.
        # EXP(LN(spent)) is the amount spent when it is above 0 and an error (FALSE) otherwise:
        # the long lookup of what was spent is written once, as every written-out row pays for it.
        return (f"IF(AND({is_cost},ISNUMBER({actual})),"
                f"IFERROR(ROUND({actual}*({scales})-EXP(LN({spent})),6)>0,FALSE))")

    def _project_codes(self) -> str:
        return self._project_range("code")

    def _project_range(self, key: str) -> str:
        """The column ``key`` of 项目支出 over every project row."""
        letter = _letter(self.formulas.projects, key)
        layout = self.formulas.layout
        return f"{_sheet_ref(c.PROJECT_SHEET)}!${letter}${layout.project_first}:${letter}${layout.project_last}"


__all__ = ["MARK", "Checks"]
