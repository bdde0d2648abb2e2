"""Compile a scoring profile into ordinary worksheet formulas for the template.

The profile stays the one definition of the scoring rules: this module turns its parameters
(``≤`` formula, ``=`` tolerance, overachievement threshold and deduction, qualitative bands,
execution-rate method, grade thresholds, rounding) into the text of spreadsheet formulas, which
the template builder writes into the computed columns of 绩效指标 and 项目支出 and into 评分汇总.
Nothing here is written by hand per profile, and ``tests/test_formulas_differential.py`` holds
the formulas, recalculated by LibreOffice, to ``evaluate()`` on the same books.

The formulas use only functions Excel 2010+, WPS and LibreOffice all have (IF, AND, OR, ISNUMBER,
N, TRIM, COUNTA, COUNTIF, SUMIFS, MIN, MAX, MEDIAN, ABS, ROUND/ROUNDUP/ROUNDDOWN, and LEFT,
RIGHT, VALUE to read a 得分 typed as 「9分」), nothing volatile, and every division is guarded, so no cell shows an error value, on empty rows either.

How they mirror the engine (``xlsuite.scoring``):

* a row's weight counts only when it is a number in (0, 100]; otherwise the row scores 0;
* a ``≥ ≤ =`` row whose 年度指标值 or 实际完成值 is not a number shows 「请核对指标值」 (the engine
  scores it 0, and so do the sums, which skip text);
* a 定性 row's score is the evaluator's 得分 moved into its grade's band (the engine's clamp);
* totals add the rounded parts, as the engine does, and are rounded once more to the profile's
  places only to drop binary noise (the parts already have that many decimals).

Pure: text in, text out; no Excel library (the builder writes the formulas).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from . import contract as c
from .model import column_letters
from .profile import Profile, ScoringRules

CHECK_VALUES = "请核对指标值"
"""What a quantitative row's 计算得分 shows when its target or actual is not a number."""
SCORE_DIFFERS = "与计算得分不一致"
OUT_OF_BAND = "得分不在定性等级区间内"
NO_GRADE = "请选择定性等级并填写得分"
NO_DIRECTION = "请选择方向"
"""The 得分核对 flags."""

_ROUNDING_FUNCTIONS = {
    decimal.ROUND_HALF_UP: "ROUND",
    decimal.ROUND_DOWN: "ROUNDDOWN",
    decimal.ROUND_UP: "ROUNDUP",
    # Every value rounded here is a score, never below 0 (a negative 定性 得分 is moved up into
    # its band whichever way it was rounded): floor and ceiling act as down and up.
    decimal.ROUND_FLOOR: "ROUNDDOWN",
    decimal.ROUND_CEILING: "ROUNDUP",
}
"""Spreadsheet functions for the profile's rounding modes. ROUND rounds half away from zero,
which is ROUND_HALF_UP for the non-negative numbers scores are. ROUND_HALF_EVEN, ROUND_HALF_DOWN
and ROUND_05UP have no such function: a profile using them gets no formula scores."""


class UnsupportedProfile(ValueError):
    """The profile says something no ordinary formula can express (its rounding mode), or uses a
    rule family the formulas do not follow yet (``unsupported_rules``). The message completes
    「本评分方案（name）…」: ``的舍入方式 … 无法用表格公式表达``."""


def rounding_function(rules: ScoringRules) -> str:
    """The function rounding as the profile does.

    Raises:
        UnsupportedProfile: the rounding mode has no spreadsheet function.
    """
    try:
        return _ROUNDING_FUNCTIONS[rules.rounding]
    except KeyError:
        raise UnsupportedProfile(f"的舍入方式 {rules.rounding} 无法用表格公式表达") from None


def unsupported_rules(profile: Profile) -> list[str]:
    """The rule families of issue 16 (see docs/profiles.md) the formulas do not follow yet, named
    as a user reads them; a profile using any gets a template without formula scores (the batch
    and the buttons score it), rather than formulas that show other numbers."""
    names = []
    if profile.rules.execution.scale_indicators:
        # Each scaled score is rounded and the rounding differences given back to the largest
        # remainders, so the block adds up to its points: a ranking across rows that ordinary
        # formulas cannot do without helper columns.
        names.append("指标分值按比例折算")
    return names


def _typed_score(cell: str) -> str:
    """The 得分 ``cell`` as the reader takes it: a number, or a number typed with 分 (「9分」,
    read as 9 with a 提示); any other text or nothing is "" (no score), never a guess (VALUE alone
    would take 「50%」 or a date)."""
    unit = c.UNIT_WORDS["number"][0]
    trimmed = f"TRIM({cell})"
    return (f'IF(ISNUMBER({cell}),{cell},IF(RIGHT({trimmed})="{unit}",'
            f'IFERROR(VALUE(LEFT({trimmed},LEN({trimmed})-1)),""),""))')


def _num(value: Decimal | int) -> str:
    """A constant as formula text: ``0.8``, ``10``, ``1.2`` (never an exponent)."""
    text = format(Decimal(value).normalize(), "f")
    return text if text not in ("-0",) else "0"


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def _letter(sheet: c.TableSheet, key: str) -> str:
    keys = [col.key for col in sheet.columns] + [col.key for col in sheet.computed]
    return column_letters(keys.index(key))




def _sheet_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Layout:
    """Where the formulas look: the contract's rows and columns (1-based rows, as in A1)."""

    indicator_first: int
    indicator_last: int
    project_first: int
    project_last: int
    budget_row: int
    """The 收支情况 row of 支出合计（按支出性质）, 部门整体's budget and spending."""
    scope_row: int
    """The 部门信息 row of 填报范围 (its value in column B)."""

    @classmethod
    def of_template(cls, indicators: int = 0, projects: int = 0) -> Layout:
        """The template's layout with room for at least ``indicators`` and ``projects`` rows
        (the sheets' capacity, or more for a book that has more)."""
        first = c.HEADER_ROW + 2  # 1-based: the row under the header (項目支出: its 合计 row)
        keys = [r.key for r in c.budget_rows()]
        indicators = max(indicators, c.INDICATOR_SHEET_DEF.capacity)
        projects = max(projects, c.PROJECT_SHEET_DEF.capacity)
        return cls(first, first + indicators - 1, first + 1, first + projects,
                   c.HEADER_ROW + 2 + keys.index(c.STRUCTURE_TOTAL),
                   c.HEADER_ROW + 2 + [f.key for f in c.INFO_FIELDS].index("scope"))


class Compiler:
    """The formulas of one profile. ``row`` arguments are 1-based sheet rows.

    Raises (on creation):
        UnsupportedProfile: the profile cannot be expressed as formulas.
    """

    def __init__(self, profile: Profile, layout: Layout | None = None):
        self.profile = profile
        self.projects = profile.project_sheet
        self.rules = profile.rules
        self.layout = layout or Layout.of_template()
        self.round_fn = rounding_function(self.rules)
        self.places = self.rules.places
        self.item_places = self.places if self.rules.item_places is None else self.rules.item_places
        self._denominator = "initial" if self.rules.execution.denominator == "initial" else "adjusted"
        """The 预算执行率's denominator column: 全年预算数, or 年初预算数 where the profile says."""
        unsupported = unsupported_rules(profile)
        if unsupported:
            raise UnsupportedProfile(f"的{'、'.join(unsupported)}规则暂未用表格公式实现")

    # --- public --------------------------------------------------------------------------------

    def indicator_score(self, row: int) -> str:
        """计算得分 of one 绩效指标 row: "" on an empty row."""
        d = self._direction(row)
        body = (f'IF({d}="{c.QUALITATIVE}",{self._qualitative(row)},'
                f'IF(OR({d}="{c.AT_LEAST}",{d}="{c.AT_MOST}",{d}="{c.EQUAL}"),{self._quantitative(row)},0))')
        return f'=IF({self._blank_indicator(row)},"",{body})'

    def indicator_check(self, row: int) -> str:
        """得分核对 of one 绩效指标 row: a flag, or "" when there is nothing to say."""
        d = self._direction(row)
        i = self._indicator_cells(row)
        score = f"{_letter(c.INDICATOR_SHEET_DEF, 'computed_score')}{row}"
        qualitative = (f'IF(OR(NOT(ISNUMBER({i["score"]})),{self._no_band(row)}),{_text(NO_GRADE)},'
                       f'IF(AND({self._weight_ok(row)},NOT({self._in_band(row)})),{_text(OUT_OF_BAND)},""))')
        quantitative = (f'IF(ISNUMBER({score}),IF({self.printed_differs(i["score"], score)},'
                        f'{_text(SCORE_DIFFERS)},""),{_text(CHECK_VALUES)})')
        return (f'=IF({self._blank_indicator(row)},"",IF({d}="{c.QUALITATIVE}",{qualitative},'
                f'IF(OR({d}="{c.AT_LEAST}",{d}="{c.AT_MOST}",{d}="{c.EQUAL}"),{quantitative},'
                f'{_text(NO_DIRECTION)})))')

    def project_execution(self, row: int) -> str:
        """预算执行得分 of one 项目支出 row (its 合计 全年预算数 and 全年执行数)."""
        budget = self._project_cell(f"total.{self._denominator}", row)
        executed = self._project_cell("total.executed", row)
        return f'=IF({self._blank_project(row)},"",{self.execution(budget, executed)})'

    def project_score(self, row: int) -> str:
        """自评得分 of one 项目支出 row: 预算执行得分 + its indicators' 计算得分."""
        code, execution = self._project_cell("code", row), self._project_cell("execution_score", row)
        scores = f'IF(TRIM({code})="",0,SUMIFS({self._scores()},{self._subjects()},{code}))'
        return f'=IF({self._blank_project(row)},"",{self._round(f"N({execution})+{scores}")})'

    def project_grade(self, row: int) -> str:
        """自评等级 of one 项目支出 row: "" when the project has no indicator (as the engine)."""
        code, score = self._project_cell("code", row), self._project_cell("self_score", row)
        return (f'=IF(OR({self._blank_project(row)},TRIM({code})=""),"",'
                f'IF(COUNTIF({self._subjects()},{code})=0,"",{self.grade(score)}))')

    def projects_only(self) -> str:
        """True when 部门信息's 填报范围 is 仅项目: the book evaluates its projects only, and,
        as the engine, nothing is said of 部门整体's budget or score."""
        return f'TRIM({_sheet_ref(c.INFO_SHEET)}!$B${self.layout.scope_row})="{c.SCOPE_PROJECTS}"'

    def printed_differs(self, printed: str, computed: str) -> str:
        """True when a score the book prints (cell ``printed``) differs from the one computed
        (``computed``): compared as the engine compares them (``scoring.reconcile``), the printed
        one rounded to the places of an item's score, so 10.000 and 10 agree. IF, not AND: AND
        evaluates every argument, and rounding a text is #VALUE!."""
        return f"IF(ISNUMBER({printed}),{self._round_item(printed)}<>{computed},FALSE())"

    def department_execution(self) -> str:
        """部门整体's 预算执行得分, from 收支情况's 支出合计（按支出性质）; "" in a book of projects only."""
        budget, executed = self.department_amounts(self._denominator)
        return f'=IF({self.projects_only()},"",{self.execution(budget, executed)})'

    def department_amounts(self, budget: str = "adjusted") -> tuple[str, str]:
        """References of 部门整体's 全年预算数 (or the ``budget`` column given) and 全年执行数 on
        收支情况."""
        cols = [col.key for col in c.BUDGET_COLUMNS]
        sheet = _sheet_ref(c.BUDGET_SHEET)
        row = self.layout.budget_row
        return (f"{sheet}!${column_letters(cols.index(budget))}${row}",
                f"{sheet}!${column_letters(cols.index('executed'))}${row}")

    def department_indicator_sum(self) -> str:
        return f'=SUMIFS({self._scores()},{self._subjects()},"{c.WHOLE_DEPARTMENT}")'

    def department_score(self, execution_cell: str) -> str:
        scores = f'SUMIFS({self._scores()},{self._subjects()},"{c.WHOLE_DEPARTMENT}")'
        return f'=IF({self.projects_only()},"",{self._round(f"N({execution_cell})+{scores}")})'

    def department_grade(self, score_cell: str) -> str:
        return (f'=IF(OR({self.projects_only()},COUNTIF({self._subjects()},"{c.WHOLE_DEPARTMENT}")=0),"",'
                f'{self.grade(score_cell)})')

    def coverage(self) -> str:
        """A warning when filled 绩效指标 or 项目支出 rows have no formulas (rows inserted in Excel
        get none: the accountant copies them from the row above)."""
        parts = []
        for sheet, key, score, first, last in (
                (c.INDICATOR_SHEET_DEF, "subject", "computed_score", self.layout.indicator_first,
                 self.layout.indicator_last),
                (self.projects, "code", "self_score", self.layout.project_first, self.layout.project_last)):
            ref = _sheet_ref(sheet.name)
            filled = f"{ref}!${_letter(sheet, key)}${first}:${_letter(sheet, key)}${last}"
            computed = f"{ref}!${_letter(sheet, score)}${first}:${_letter(sheet, score)}${last}"
            missing = f"SUMPRODUCT(--(LEN(TRIM({filled}))>0))-SUMPRODUCT(--(LEN({computed})>0))"
            names = "、".join(f"“{col.header}”" for col in sheet.computed)
            parts.append(f'IF({missing}>0,"{sheet.name}有"&({missing})&"行缺少公式（插入的行请从上一行复制{names}列）；","")')
        return "=" + "&".join(parts)

    def execution(self, budget: str, executed: str) -> str:
        """The 预算执行率 score from a budget and a spending cell (0 without a positive budget)."""
        rule = self.rules.execution
        x = f"N({executed})"
        if rule.method == "capped":
            share = f"IF({x}>={budget},1,IF({x}<=0,0,{x}/{budget}))"
        elif rule.method == "linear":
            share = f"IF(OR({x}>=2*{budget},{x}<=0),0,1-ABS({x}/{budget}-1))"
        else:
            share = self._banded(budget, x)
        weight = _num(rule.weight)
        return f"IF(AND(ISNUMBER({budget}),{budget}>0),{self._round_item(f'{weight}*{share}')},0)"

    def grade(self, score: str) -> str:
        """The profile's grade of a total in cell ``score``."""
        grades = self.rules.grades  # highest first; below the last minimum is the last grade
        text = _text(grades[-1][1])
        for low, name in reversed(grades[:-1]):
            text = f"IF({score}>={_num(low)},{_text(name)},{text})"
        return text

    # --- pieces ----------------------------------------------------------------------------------

    def _round(self, expression: str) -> str:
        """A total rounded as the profile's ``places`` say."""
        return f"{self.round_fn}({expression},{self.places})"

    def _round_item(self, expression: str) -> str:
        """One item's score (an indicator, the execution rate) rounded as ``item_places`` say
        (whole points in some provinces), as ``scoring.rules.round_item``."""
        return f"{self.round_fn}({expression},{self.item_places})"

    def _indicator_cells(self, row: int) -> dict[str, str]:
        """Each input of a 绩效指标 row as the formulas read it: a cell, and the 得分 as a number
        (``_typed_score``)."""
        sheet = c.INDICATOR_SHEET_DEF
        cells = {col.key: f"{_letter(sheet, col.key)}{row}" for col in sheet.columns}
        cells["score"] = _typed_score(cells["score"])
        return cells

    def _direction(self, row: int) -> str:
        return f"TRIM({self._indicator_cells(row)['direction']})"

    def _blank_indicator(self, row: int) -> str:
        sheet = c.INDICATOR_SHEET_DEF
        first, last = _letter(sheet, sheet.columns[0].key), _letter(sheet, sheet.columns[-1].key)
        return f"COUNTA({first}{row}:{last}{row})=0"

    def _project_cell(self, key: str, row: int) -> str:
        """The 项目支出 cell of column ``key`` in ``row``."""
        return f"{_letter(self.projects, key)}{row}"

    def _blank_project(self, row: int) -> str:
        sheet = self.projects
        first, last = _letter(sheet, sheet.columns[0].key), _letter(sheet, sheet.columns[-1].key)
        return f"COUNTA({first}{row}:{last}{row})=0"

    def _weight_ok(self, row: int) -> str:
        w = self._indicator_cells(row)["weight"]
        return f"AND(ISNUMBER({w}),{w}>0,{w}<=100)"

    def _quantitative(self, row: int) -> str:
        i = self._indicator_cells(row)
        t, a, w = i["target"], i["actual"], i["weight"]
        d = self._direction(row)
        share = (f'IF({d}="{c.AT_LEAST}",{self._at_least(t, a)},'
                 f'IF({d}="{c.AT_MOST}",{self._at_most(t, a)},{self._equal(t, a)}))')
        return (f"IF(AND(ISNUMBER({t}),ISNUMBER({a})),"
                f"IF({self._weight_ok(row)},{self._round_item(f'{w}*{share}')},0),{_text(CHECK_VALUES)})")

    def _short(self, t: str, a: str) -> str:
        # Short of a positive target: in proportion (0 < a < t, so the ratio lies in (0, 1)).
        if self.rules.quant_method == "banded":
            return f"IF({t}>0,{self._quant_band(f'MAX(0,{a}/{t})')},0)"
        return f"IF(AND({t}>0,{a}>0),{a}/{t},0)"

    def _over(self, t: str, a: str) -> str:
        # Over a ceiling (a > t): 0 for a ceiling of 0 or below, else the profile's formula.
        banded = self.rules.quant_method == "banded"
        if self.rules.le_formula == "ratio":
            return f"IF({t}<=0,0,{self._quant_band(f'{t}/{a}') if banded else f'{t}/{a}'})"
        if banded:
            return f"IF({t}<=0,0,{self._quant_band(f'MAX(0,1-({a}-{t})/{t})')})"
        return f"IF({t}<=0,0,IF({a}-{t}>={t},0,1-({a}-{t})/{t}))"

    def _quant_band(self, share: str) -> str:
        """The share of the weight of the highest ``[quantitative] bands`` band a completion
        ``share`` in [0, 1] reaches (stepped scoring, as ``scoring.rules.short_share``)."""
        nested = "0"
        for low, band_share in reversed(self.rules.quant_bands):  # highest first in the profile
            nested = f"IF({share}>={_num(low)},{_num(_clamp(band_share))},{nested})"
        return nested

    def _at_least(self, t: str, a: str) -> str:
        rules = self.rules
        kept = _clamp(1 - rules.overachievement_deduction)
        met = "1"
        if kept != 1:
            met = f"IF(AND({t}>0,{a}>{_num(rules.overachievement)}*{t}),{_num(kept)},1)"
        return f"IF({a}>={t},{met},{self._short(t, a)})"

    def _at_most(self, t: str, a: str) -> str:
        return f"IF({a}<={t},1,{self._over(t, a)})"

    def _equal(self, t: str, a: str) -> str:
        tolerance = self.rules.eq_tolerance
        met = f"{a}={t}" if tolerance == 0 else f"ABS({a}-{t})<={_num(tolerance)}*ABS({t})"
        return f"IF({met},1,IF({a}<{t},{self._short(t, a)},{self._over(t, a)}))"

    def _grade(self, row: int) -> str:
        """The 定性等级 a row is scored under: the one chosen, or, when none is, the grade whose
        band holds the 得分 (as the engine reads a form that prints only the score)."""
        i = self._indicator_cells(row)
        chosen, given, w = f"TRIM({i['grade']})", i["score"], i["weight"]
        inferred = '""'
        for name, band in reversed(list(self.rules.qualitative.items())):
            upper = "<=" if band.high >= 1 else "<"
            inferred = (f"IF(AND({given}>={_num(band.low)}*{w},{given}{upper}{_num(band.high)}*{w}),"
                        f"{_text(name)},{inferred})")
        inferred = f'IF(AND(ISNUMBER({given}),{self._weight_ok(row)}),{inferred},"")'
        return f'IF({chosen}="",{inferred},{chosen})'

    def _qualitative(self, row: int) -> str:
        i = self._indicator_cells(row)
        grade, given, w = self._grade(row), i["score"], i["weight"]
        text = "0"
        step = _num(Decimal(1).scaleb(-self.item_places))
        for name, band in reversed(list(self.rules.qualitative.items())):
            if band.share is not None:  # the profile pays the grade a fixed share
                text = f"IF({grade}={_text(name)},{self._round_item(f'{_num(_clamp(band.share))}*{w}')},{text})"
                continue
            low = "0" if band.low == 0 else self._round_item(f"{_num(band.low)}*{w}")
            high = self._round_item(w if band.high == 1 else f"{_num(band.high)}*{w}")
            if band.high < 1:
                high = f"{high}-{step}"
            clamped = f"MEDIAN({low},{self._round_item(given)},MAX({high},{low}))"
            text = f"IF({grade}={_text(name)},{clamped},{text})"
        return f"IF(AND({self._weight_ok(row)},ISNUMBER({given})),{text},0)"

    def _no_band(self, row: int) -> str:
        grade = self._grade(row)
        names = ",".join(f"{grade}={_text(name)}" for name in self.rules.qualitative)
        return f"NOT(OR({names}))"

    def _in_band(self, row: int) -> str:
        i = self._indicator_cells(row)
        grade, given, w = self._grade(row), i["score"], i["weight"]
        tests = []
        for name, band in self.rules.qualitative.items():
            if band.share is not None:  # in its band: the grade's own share, as rounded
                tests.append(f"AND({grade}={_text(name)},"
                             f"{self._round_item(given)}={self._round_item(f'{_num(band.share)}*{w}')})")
                continue
            upper = "<=" if band.high >= 1 else "<"
            tests.append(f"AND({grade}={_text(name)},{given}>={_num(band.low)}*{w},"
                         f"{given}{upper}{_num(band.high)}*{w})")
        return f"OR({','.join(tests)})"

    def _banded(self, budget: str, x: str) -> str:
        bands = self.rules.execution.bands  # highest rate first
        top = max((low for low, _ in bands), default=Decimal(1))
        cap = max(top, Decimal(1)) + 1
        nested = "0"
        for low, share in reversed(bands):
            nested = f"IF({x}/{budget}>={_num(low)},{_num(_clamp(share))},{nested})"
        below = next((_clamp(share) for low, share in bands if low <= 0), Decimal(0))
        top_share = _clamp(bands[0][1]) if bands else Decimal(0)
        # Beyond cap × budget every band is reached; at or below 0 only a band from 0 or less
        # (the ratio is never taken there, so it cannot overflow).
        return (f"IF({x}>={_num(cap)}*{budget},{_num(top_share)},"
                f"IF({x}<=0,{_num(below)},{nested}))")

    def _subjects(self) -> str:
        return self._indicator_range("subject")

    def _scores(self) -> str:
        return self._indicator_range("computed_score")

    def _indicator_range(self, key: str) -> str:
        letter = _letter(c.INDICATOR_SHEET_DEF, key)
        first, last = self.layout.indicator_first, self.layout.indicator_last
        return f"{_sheet_ref(c.INDICATOR_SHEET)}!${letter}${first}:${letter}${last}"


def compiler_for(profile: Profile, layout: Layout | None = None) -> Compiler | None:
    """The profile's compiler, or ``None`` when it cannot be expressed as formulas."""
    try:
        return Compiler(profile, layout)
    except UnsupportedProfile:
        return None


def no_formulas_reason(profile: Profile) -> str:
    """Why ``profile`` gets no formulas, completing 「本评分方案（name）…」 ("" when it gets them)."""
    try:
        Compiler(profile)
    except UnsupportedProfile as exc:
        return str(exc)
    return ""


__all__ = ["CHECK_VALUES", "Compiler", "Layout", "UnsupportedProfile", "compiler_for",
           "no_formulas_reason", "rounding_function", "unsupported_rules"]
