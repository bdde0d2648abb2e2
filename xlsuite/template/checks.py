"""Compile the rules a formula can check into the template's 校验 columns.

Each 校验 cell names every rule its row fails, as ``【合理性·单位编码】要求；`` (the rule's Chinese
label and title from the catalogue: the accountant reads no English ids; ``docs/rules.md`` gives
the id beside each label), and ``校验未通过数`` counts the 【 marks of all of them: one per failure,
as validation counts findings. The rules compiled here are exactly the catalogue's
``TEMPLATE_CHECKS`` (a test holds them to it), each written to mirror its check in
``xlsuite.core.validation``; the rest only xlsuite checks. Like the scoring formulas they use only
functions Excel 2010+, WPS and LibreOffice all have, nothing volatile, and show "" on empty rows.

Pure: text in, text out.
"""

from __future__ import annotations

import re

from ..core import contract as c
from ..core.amounts import YUAN
from ..core.model import column_letters
from ..core.scoring.reconcile import EXECUTION, RATE_TOLERANCE
from ..core.validation.catalogue import TEMPLATE_CHECKS, rule
from ..core.validation.consistency_checks import COST, COST_UNITS
from .formulas import (
    DIRECTION_CODES,
    EMPTY,
    NO_GRADE,
    OUT_OF_BAND,
    Compiler,
    _letter,
    _num,
    _numeric,
    _sheet_ref,
    _text,
    _times,
)

_YUAN_PLACES = -YUAN.as_tuple().exponent  # 4: amounts are kept to the 元

MARK = "【"
"""Opens each failure in a 校验 cell; 校验未通过数 counts them."""


def marked(rule_id: str) -> str:
    """How a 校验 cell names the rule ``rule_id``: ``【合理性·单位编码】``."""
    return f"{MARK}{rule(rule_id).label}】"


def failed_rules(text: str) -> list[str]:
    """The ids of the rules a 校验 cell's ``text`` names, one per failure, in order."""
    ids = {marked(rule_id): rule_id for rule_id in TEMPLATE_CHECKS}
    return [ids[m] for m in re.findall(f"{MARK}[^】]*】", text)]

_AMOUNTS = tuple(col.key for col in c.AMOUNT_COLUMNS)
_PRINTED_FORM = ("printed_execution", "printed_rate", "printed_weight", "printed_total")
"""部门信息's lines of what the department's printed form states (checked as a project's are)."""
_AMOUNT_LABELS = {col.key: col.header for col in c.AMOUNT_COLUMNS}
_BY_NAME_ONLY = ("balance.income", "balance.function", "balance.economic", "balance.structure",
                 "balance.basic", "balance.sangong", "indicator.cached_score")
"""Rules of ``TEMPLATE_CHECKS`` that need no 校验 formula: the 合计 rows are SUM formulas, and
得分核对 (``template.formulas``) flags a 得分 that differs."""


class Checks:
    """The 校验 formulas of one profile (``formulas`` supplies the scoring parameters and ranges).
    ``row`` arguments are 1-based sheet rows."""

    def __init__(self, formulas: Compiler):
        self.formulas = formulas
        self.rules = formulas.rules
        self.used: set[str] = set(_BY_NAME_ONLY)
        self._gaps: set[str] = set()
        """The names of gaps' marks, which the names of the amount columns follow (``longest``)."""
        """Rule ids the compiled formulas check (for the test against ``TEMPLATE_CHECKS``)."""
        self.names = formulas.names
        """Where the failure texts go: with the compiler's own names (``template_formulas.Names``)."""

    # --- 收支情况 and 部门信息 ------------------------------------------------------------------

    def budget_row(self, row: c.BudgetRow, number: int, project_total_row: int) -> str:
        """校验 of one 收支情况 row; ``project_total_row`` is 项目支出's 合计 row (1-based).
        Nothing in a book of projects only, which has no department budget to check. Each failure
        is its rule's label alone (``short``): every one of the sheet's forty rows is as tall as
        all it can report, and with each rule's requirement too they would print four pages."""
        cols = [col.key for col in c.BUDGET_COLUMNS]
        cell = {key: f"{column_letters(cols.index(key))}{number}" for key in _AMOUNTS}
        items = []
        if row.key in (c.ECONOMIC_TOTAL, c.STRUCTURE_TOTAL):
            function_row = c.HEADER_ROW + 2 + [r.key for r in c.budget_rows()].index(c.FUNCTION_TOTAL)
            items.append(self._gap_item("balance.views", short=True, differs={
                key: f"ROUND(N({cell[key]})-N({column_letters(cols.index(key))}{function_row}),2)<>0"
                for key in _AMOUNTS}))
        if not row.is_total:
            items += self._amount_items(f"{cell['initial']}:{cell['executed']}", short=True)
            items.append(self._overspent(cell["adjusted"], cell["executed"], short=True))
        if row.key == c.PROJECT_SPENDING:
            p = self.formulas.projects
            sheet = _sheet_ref(c.PROJECT_SHEET)
            items.append(self._gap_item("cross.projects_total", short=True, differs={
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
        elif field.key in _PRINTED_FORM:
            # 部门整体's printed figures (v1.2), as a project's on its row; nothing in a book of
            # projects only, which evaluates no 部门整体.
            return f'=IF({self.formulas.projects_only()},"",{self._department_printed(field.key, value)})'
        elif field.required:
            item = self._item("plausibility.required", empty, field.label)
        else:
            return '=""'
        return "=" + item

    def _department_printed(self, key: str, value: str) -> str:
        budget, executed = self.formulas.department_amounts(self.formulas._denominator)
        if key == "printed_execution":
            execution = self.formulas.execution(budget, executed)
            return self._item("indicator.printed_execution", self.formulas.printed_differs(value, execution))
        if key == "printed_rate":
            return self._item("indicator.printed_rate", self._rate_differs(value, executed, budget))
        if key == "printed_weight":
            return self._item("indicator.printed_weight",
                              self._printed_differs(value, _num(self.rules.execution.weight)))
        return self._item("indicator.printed_total", self._printed_differs(value, f"N({c.DEPARTMENT_SCORE_NAME})"))

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
        weight = _num(self.rules.execution.weight)
        return [
            self._item("indicator.printed_rate", self._rate_differs(cell["printed_rate"], cell["total.executed"], budget)),
            self._item("indicator.printed_weight", self._printed_differs(cell["printed_weight"], weight)),
            self._item("indicator.printed_total", self._printed_differs(cell["printed_total"], total)),
        ]

    @staticmethod
    def _rate_differs(printed: str, executed: str, budget: str) -> str:
        """A printed 执行率 is not the amounts' (as ``scoring.reconcile.rate_agrees``: the nearer
        reading, to six places). N(budget) > 0 settles a text or empty budget before anything is
        divided by it."""
        rate = f"N({executed})/{budget}"
        off = f"ROUND(MIN(ABS({printed}-{rate}),ABS({printed}/100-{rate})),6)"
        return f"IF(AND(ISNUMBER({printed}),N({budget})>0),{off}>{_num(RATE_TOLERANCE)},FALSE())"

    def _printed_differs(self, printed: str, computed: str) -> str:
        """A printed number, rounded as the profile rounds a total, differs from ``computed``
        (IF, not AND: rounding a text is #VALUE!)."""
        return f"IF(ISNUMBER({printed}),{self.formulas._round(printed)}<>{computed},FALSE())"

    # --- 绩效指标 -----------------------------------------------------------------------------

    def indicator_row(self, row: int) -> str:
        s = c.INDICATOR_SHEET_DEF
        f = self.formulas
        cell = {col.key: f"{_letter(s, col.key)}{row}" for col in s.columns}
        subject, t, a = (cell[k] for k in ("subject", "target", "actual"))
        given = f._indicator_cells(row)["score"]  # 「9分」 is 9, as the reader takes it
        whole = f'TRIM({subject})={self.names.ref(c.WHOLE_DEPARTMENT)}'
        codes = self.names.range("_codes", f.project_range("code"))
        known = f"COUNTIF({codes},{subject})+({whole})"  # as a condition: either holds
        items = [self._item("plausibility.required", f"TRIM({cell[col.key]})={EMPTY}", col.header)
                 for col in s.columns if col.required and col.key != "weight"]
        unknown = self._item("indicator.subject", f"TRIM({subject})<>{EMPTY}")
        # The row's 方向 and 定性等级 come as codes from helper columns (template_formulas).
        quant, qualitative = f.is_quantitative(row), f.is_qualitative(row)
        at_least = f.is_direction(row, c.AT_LEAST)
        # 计算得分 is a number on a quantitative row exactly when 年度指标值 and 实际完成值 are.
        scored = _numeric(f"{_letter(s, 'computed_score')}{row}")
        numeric = f"AND({quant},{scored})"
        flag = f"{_letter(s, 'score_check')}{row}"
        met = f.met(row)
        partial = [f.grade_code(g) for g, band in self.rules.qualitative.items() if band.high < 1]
        grade = f._helper(row, "scored_grade")
        if partial and partial == list(range(partial[0], len(self.rules.qualitative) + 1)):
            short_grade = f"N({grade})>={partial[0]}"  # the grades from the first partial one down
        else:
            short_grade = "OR(" + ",".join(f"{grade}={code}" for code in partial) + ")" if partial else "FALSE()"
        no_reason = f"TRIM({cell['deviation']})={EMPTY}"
        nature = f"TRIM({cell['nature']})"
        # 正向 wants ≥, 反向 ≤, and = suits either (as validation's ``_nature``); any other word is
        # wrong. The pairs that agree are listed as 指标性质 followed by 方向代码 (「正向2」).
        # An empty 指标性质 suits every 方向: 「2」, 「3」, 「4」 are listed too.
        pairs = (*(f"{word}{DIRECTION_CODES[d]}" for word, wanted in c.NATURE_DIRECTIONS.items()
                   for d in (wanted, c.EQUAL)),
                 *(str(DIRECTION_CODES[d]) for d in c.QUANTITATIVE_DIRECTIONS))
        agreeing = f.names.word_list("_natures", pairs)
        direction = f._helper(row, "direction_code")
        checks = [
            self._item("indicator.weight", f"{f._weight_ok(row)}=0"),
            self._item("indicator.direction", f.direction_unknown(row)),
            self._item("indicator.quantitative", f"AND({quant},{_numeric(t)}=0)", "年度指标值"),
            self._item("indicator.quantitative", f"AND({quant},{_numeric(a)}=0)", "实际完成值"),
            self._item("indicator.overachieved",
                       f"IF(AND({at_least},{scored}),"
                       f"AND({t}>0,{a}>{_num(self.rules.overachievement)}*{t}))"),
            # 得分核对 already says these two, on exactly these conditions (a 定性 row without a
            # grade of the profile or a numeric 得分; one whose 得分 lies outside its grade's band).
            self._item("indicator.qualitative_grade", f"{flag}={f.names.ref(NO_GRADE)}"),
            self._item("indicator.qualitative_band", f"{flag}={f.names.ref(OUT_OF_BAND)}"),
            self._item("indicator.deviation",
                       f"AND({no_reason},IF({numeric},NOT({met}),"
                       f"AND({qualitative},{short_grade},{_numeric(given)})))"),
            self._item("indicator.nature",
                       f"IF({quant},SUMPRODUCT(--({nature}&{direction}={agreeing}))=0)"),
        ]
        if self.rules.execution.weight > 0:  # as validation's ``consistency_checks``: scored on its own already
            # The name holds 预算执行率 (FIND: case-sensitive, no wildcards, as Python's ``in``).
            checks.append(self._item("indicator.execution_twice",
                                     f'ISNUMBER(FIND({self.names.ref(EXECUTION)},{cell["level3"]}))'))
        checks.append(self._item("indicator.cost_over_spent", self._cost_over_spent(cell, whole, codes)))
        # Checks of a row's values run for indicators of 部门整体 or of a listed project only.
        # CONCATENATE, not &: an & is five bytes (&amp;) in the XML of every row written out.
        body = _joined([*items, f"IF({known},{_joined(checks)},{unknown})"])
        return f"=IF({f._filled_indicator(row)},{body},{EMPTY})"

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

    def longest(self, formula: str) -> str:
        """Every failure text ``formula`` (compiled here) can show, one after the other: each once,
        a gap with every amount column named. What a row holding a 校验 cell of a fixed row
        (部门信息, 收支情况, 评分汇总) is sized for, since LibreOffice and WPS print a row at its
        set height. (A failure found in several amount columns of one row repeats its text.)"""
        parts = []
        for name in dict.fromkeys(re.findall(r"(?<![\w.])_\d+(?![\w.])", formula)):
            text = self.names.items[int(name[1:]) - 1]
            parts.append(f"{text}（{'、'.join(_AMOUNT_LABELS.values())}）；" if name in self._gaps else text)
        return "".join(parts)

    @staticmethod
    def failed(ranges: list[str]) -> str:
        """校验未通过数: the 【 marks in ``ranges`` (the 校验 cells), one per failed check."""
        parts = [f'SUMPRODUCT(LEN({r})-LEN(SUBSTITUTE({r},"{MARK}","")))' for r in ranges]
        return "=" + "+".join(parts)

    # --- pieces ----------------------------------------------------------------------------------

    def _item(self, rule_id: str, condition: str, detail: str = "", short: bool = False) -> str:
        # REPT(text, TRUE) is the text, REPT(text, FALSE) "": as IF(condition, text, "") in fewer
        # characters, which every row of a book written out per cell pays for.
        return f"REPT({self._message(rule_id, detail, short=short)},{condition})"

    def _gap_item(self, rule_id: str, differs: dict[str, str], short: bool = False) -> str:
        """One failure for a gap whatever the number of amount columns it shows in (as
        validation reports it), naming those columns: ``differs`` is column key → condition."""
        named = "&".join(f'IF({condition},{_text("、" + _AMOUNT_LABELS[key])},"")'
                         for key, condition in differs.items())
        # 「（、全年预算数、全年执行数」 loses its first 、 by SUBSTITUTE, a function the
        # template already relies on in every spreadsheet program; and the text with no column
        # named (「…（）；」) is no failure: it is replaced by "", so each condition is written once.
        mark = self._message(rule_id, end="", short=short)
        self._gaps.add(mark)
        listed = f'SUBSTITUTE({mark}&"（"&{named}&"）；","（、","（")'
        return f'SUBSTITUTE({listed},{mark}&"（）；","")'

    def _message(self, rule_id: str, detail: str = "", end: str = "；", short: bool = False) -> str:
        """A reference to the cell holding the failure text of ``rule_id`` (and ``detail``): its
        label and what it requires, or with ``short`` the label alone (the requirement is in
        docs/rules.md and in xlsuite's 校验结果)."""
        if rule_id not in TEMPLATE_CHECKS:
            raise KeyError(f"{rule_id} is not in TEMPLATE_CHECKS")
        self.used.add(rule_id)
        detail = f"（{detail}）" if detail else ""
        if short:
            return self.names.ref(f"{marked(rule_id)}{detail}")
        return self.names.ref(f"{marked(rule_id)}{rule(rule_id).title}{detail}{end}")

    def _amount_items(self, cells: str, short: bool = False) -> list[str]:
        """Negative amounts and amounts with digits below 元 (``amounts.YUAN``) in the range
        ``cells``, one failure per cell (a cell holding text, which no reader accepts either,
        counts none)."""
        return [f'REPT({self._message("plausibility.negative", short=short)},COUNTIF({cells},"<0"))',
                f'REPT({self._message("plausibility.decimals", short=short)},'
                f"IFERROR(SUMPRODUCT(--(ROUND({cells},{_YUAN_PLACES})<>{cells})),0))"]

    def _overspent(self, budget: str, executed: str, short: bool = False) -> str:
        return self._item("plausibility.overspent",
                          f"AND(ISNUMBER({budget}),ISNUMBER({executed}),N({executed})>N({budget}))", short=short)

    def _cost_over_spent(self, cell: dict[str, str], whole: str, codes: str) -> str:
        """As validation's ``consistency_checks._cost``: a 成本 indicator's actual in 万元 or 元
        above its subject's 全年执行数 (``whole``: the subject is 部门整体; a project's only when
        its code is listed once in ``codes``)."""
        level2, unit, actual, subject = cell["level2"], f'TRIM({cell["unit"]})', cell["actual"], cell["subject"]
        executed = self.names.range("_spent", self.formulas.project_range("total.executed"))
        department = self.names.range("_whole_spent", self.formulas.department_amounts()[1])
        spent = (f"IF({whole},N({department}),"
                 f"IF(COUNTIF({codes},{subject})=1,SUMIFS({executed},{codes},{subject}),0))")
        # Another unit scales the actual to 0, which is never above what was spent.
        scales = "+".join(_times(scale, f"({unit}={self.names.ref(name)})") for name, scale in COST_UNITS.items())
        is_cost = f"ISNUMBER(FIND({self.names.ref(COST)},{level2}))"
        # IF, not AND: AND evaluates every argument, and a text actual times a number is #VALUE!.
        # EXP(LN(spent)) is the amount spent when it is above 0 and an error (FALSE) otherwise:
        # the long lookup of what was spent is written once, as every written-out row pays for it.
        return (f"IF(AND({is_cost},{_numeric(actual)}),"
                f"IFERROR(ROUND({actual}*({scales})-EXP(LN({spent})),6)>0,0))")


def _joined(parts: list[str]) -> str:
    """The texts ``parts`` joined: one CONCATENATE (Excel 2010 takes up to 255 arguments)."""
    return parts[0] if len(parts) == 1 else f"CONCATENATE({','.join(parts)})"


__all__ = ["MARK", "Checks", "failed_rules", "marked"]
