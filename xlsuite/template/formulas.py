"""Compile a scoring profile into ordinary worksheet formulas for the template.

The profile stays the one definition of the scoring rules: this module turns its parameters
(``≤`` formula, ``=`` tolerance, overachievement threshold and deduction, qualitative bands,
execution-rate method, grade thresholds, rounding) into the text of spreadsheet formulas, which
the template builder writes into the computed columns of 绩效指标 and 项目支出 and into 评分汇总.
Nothing here is written by hand per profile, and ``tests/test_formulas_differential.py`` holds
the formulas, recalculated by LibreOffice, to ``evaluate()`` on the same books.

The formulas use only functions Excel 2010+, WPS and LibreOffice all have (IF, AND, OR, ISNUMBER,
N, TRIM, COUNT, COUNTA, COUNTIF, SUMIFS, SUMPRODUCT, MIN, MAX, ABS, ROUND/ROUNDUP/ROUNDDOWN,
CHOOSE, REPT, CONCATENATE, FIND, and LEFT, RIGHT, VALUE to read a 得分 typed as 「9分」), nothing
volatile, and every division is guarded, so no cell shows an error value, on empty rows either.

Each formula stays far below Excel's 8,192 characters (``xlsuite.files.excel_limits``): what several
formulas of a 绩效指标 row need (the 得分 as a number, the valid 分值, the 方向 and the grade as
codes, the band the 得分 lies in) is worked out once per row in hidden helper columns
(``contract.TableSheet.helpers``) that the others refer to, and the texts they show, the word
lists they look up and the ranges of other sheets they read are workbook names (``Names``). That
also keeps a row small where a program writes every formula out per cell (LibreOffice, openpyxl):
issue 24 asks for at most 3 KB a 绩效指标 row (``tests/test_big_book.py``), so the 绩效指标
formulas prefer the shorter of equal spellings (COUNT for ISNUMBER of cells, CONCATENATE for &,
REPT for IF(…, text, ""), the name ``EMPTY`` for "").

How they mirror the engine (``xlsuite.core.scoring``):

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

from ..core import contract as c
from ..core.model import column_letters
from ..core.profile import Profile, ScoringRules
from ..core.scoring.rules import execution_column

CHECK_VALUES = "请核对指标值"
"""What a quantitative row's 计算得分 shows when its target or actual is not a number."""
SCORE_DIFFERS = "与计算得分不一致"
OUT_OF_BAND = "得分不在定性等级区间内"
NO_GRADE = "请选择定性等级并填写得分"
NO_DIRECTION = "请选择方向"
"""The 得分核对 flags."""

DIRECTION_CODES = {c.QUALITATIVE: 1, c.AT_LEAST: 2, c.AT_MOST: 3, c.EQUAL: 4}
"""The number 绩效指标's helper 方向代码 shows for each 方向 (0 for any other text, "" for none):
the quantitative ones above 1, so one comparison tells them from 定性 and from other text."""

EMPTY = "_E"
"""The name of the empty text "" (``Names``): two characters where "" is twelve bytes in the XML
of every row LibreOffice writes out (each quote is &quot;)."""

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


def _typed_score(cell: str, names: Names) -> str:
    """The 得分 ``cell`` as the reader takes it: a number, or a number typed with 分 (「9分」,
    read as 9 with a 提示); any other text or nothing is "" (no score), never a guess (VALUE alone
    would take 「50%」 or a date)."""
    unit = names.ref(c.UNIT_WORDS["number"][0])
    trimmed = f"TRIM({cell})"
    # Divided by (last character = 分): by 1 it is the number, by 0 an error, and so "".
    return (f'IF(COUNT({cell}),{cell},'
            f'IFERROR(VALUE(LEFT({trimmed},LEN({trimmed})-1))/(RIGHT({trimmed})={unit}),{EMPTY}))')


def _num(value: Decimal | int) -> str:
    """A constant as formula text: ``0.8``, ``10``, ``1.2`` (never an exponent)."""
    text = format(Decimal(value).normalize(), "f")
    return text if text not in ("-0",) else "0"


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _code_of(text: str, words: str, codes: list[int]) -> str:
    """The code of the text ``text`` in the named word list ``words`` (``codes`` in its order),
    0 for any other: each comparison TRUE for one word at most. Not MATCH or COUNTIF, which
    would read * ? ~ (and COUNTIF a leading = or <) in what was typed as wildcards or operators."""
    return f"SUMPRODUCT(({text}={words})*{{{';'.join(map(str, codes))}}})"


def _numeric(*cells: str) -> str:
    """True when each of the ``cells`` holds a number: COUNT, shorter than ISNUMBER for each
    (a cell of text, a logical value, an error or nothing counts none, as ISNUMBER says)."""
    return f"COUNT({','.join(cells)})" + (f"={len(cells)}" if len(cells) > 1 else "")


def _times(share: Decimal, weight: str) -> str:
    """``share`` × ``weight`` as formula text (the weight alone for a share of 1, 0 for 0)."""
    return weight if share == 1 else "0" if share == 0 else f"{_num(share)}*{weight}"


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def _letter(sheet: c.TableSheet, key: str) -> str:
    keys = [col.key for col in (*sheet.columns, *sheet.formula_columns)]
    return column_letters(keys.index(key))




def _sheet_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class Names:
    """What the formulas refer to by a workbook name rather than spell out in every row: the
    texts they show and the word lists they look up, each written once in the hidden sheet
    ``sheet``, and ranges of other sheets. A name is shorter than the text, the list or a
    reference to another sheet, and a program that writes every formula out per cell
    (LibreOffice, openpyxl) pays for each character in every row.

    Every name begins with ``_`` (a text's is ``_`` and its number, ``_7``), so none can be read
    as a cell (``A1``, ``XFD1``) or an R1C1 reference (``R1C1``, ``RC``) in Excel 2010, WPS or
    LibreOffice (``excel_limits`` checks every name). The builder writes ``items``
    in column ``col`` (0-based) one a row under the header row ``header`` (0-based), each word
    list of ``lists`` in a column of its own to the right, and defines ``defined()``."""

    def __init__(self, sheet: str = c.LISTS_SHEET, header: int = 0, col: int = 5):
        self.sheet, self.header, self.col = sheet, header, col
        self.items: list[str] = []
        self.lists: dict[str, tuple[str, ...]] = {}
        """Word lists by name, in the order the builder writes them."""
        self.ranges: dict[str, str] = {}
        """Names of ranges of the template's sheets, by name (absolute references)."""

    def ref(self, text: str) -> str:
        """The name of the cell holding ``text`` (added to ``items`` if new)."""
        if text not in self.items:
            self.items.append(text)
        return f"_{self.items.index(text) + 1}"

    def word_list(self, name: str, words: tuple[str, ...]) -> str:
        """``name``, naming the column that holds ``words`` one a cell (added if new)."""
        assert self.lists.setdefault(name, words) == words, name
        return name

    def range(self, name: str, reference: str) -> str:
        """``name``, naming the absolute ``reference``."""
        assert self.ranges.setdefault(name, reference) == reference, name
        return name

    def list_column(self, name: str) -> int:
        """The 0-based column of the word list ``name``."""
        return self.col + 1 + list(self.lists).index(name)

    def defined(self) -> dict[str, str]:
        """Every name with the reference it stands for."""
        sheet = _sheet_ref(self.sheet)
        found = {self.ref(text): f"{sheet}!${column_letters(self.col)}${self.header + 2 + i}"
                 for i, text in enumerate(self.items)}
        for name, words in self.lists.items():
            col = column_letters(self.list_column(name))
            found[name] = f"{sheet}!${col}${self.header + 2}:${col}${self.header + 1 + len(words)}"
        return found | self.ranges | {EMPTY: '""'}


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
        self.names = Names()
        """What the formulas refer to by name (the 得分核对 flags, ``template.checks``' failure
        texts, word lists, ranges), for the builder to write and define."""
        self.round_fn = rounding_function(self.rules)
        self.places = self.rules.places
        self.item_places = self.places if self.rules.item_places is None else self.rules.item_places
        self._denominator = execution_column(self.rules.execution)
        """The 预算执行率's denominator column: 全年预算数, or 年初预算数 where the profile says."""
        unsupported = unsupported_rules(profile)
        if unsupported:
            raise UnsupportedProfile(f"的{'、'.join(unsupported)}规则暂未用表格公式实现")

    # --- public --------------------------------------------------------------------------------

    def indicator_score(self, row: int) -> str:
        """计算得分 of one 绩效指标 row: "" on an empty row."""
        body = (f'IF({self.is_qualitative(row)},{self._qualitative(row)},'
                f'IF({self.is_quantitative(row)},{self._quantitative(row)},0))')
        return f"=IF({self._filled_indicator(row)},{body},{EMPTY})"

    def indicator_check(self, row: int) -> str:
        """得分核对 of one 绩效指标 row: a flag, or "" when there is nothing to say."""
        i = self._indicator_cells(row)
        score = f"{_letter(c.INDICATOR_SHEET_DEF, 'computed_score')}{row}"
        # REPT(text, condition) is IF(condition, text, ""), shorter (see template_checks._item);
        # IF(…) without an else is FALSE where it does not hold.
        qualitative = (f'IF(AND({_numeric(i["score"])},{self.grade_known(row)}),'
                       f'REPT({self.names.ref(OUT_OF_BAND)},IF({self._weight_ok(row)},NOT({self._in_band(row)}))),'
                       f'{self.names.ref(NO_GRADE)})')
        quantitative = (f'IF({_numeric(score)},REPT({self.names.ref(SCORE_DIFFERS)},'
                        f'{self.printed_differs(i["score"], score)}),{self.names.ref(CHECK_VALUES)})')
        return (f'=IF({self._filled_indicator(row)},IF({self.is_qualitative(row)},{qualitative},'
                f'IF({self.is_quantitative(row)},{quantitative},{self.names.ref(NO_DIRECTION)})),{EMPTY})')

    def indicator_helpers(self) -> dict:
        """The compilers of 绩效指标's helper columns (``contract.TableSheet.helpers``), by key:
        each value worked out once per row and referenced by 计算得分, 得分核对 and 校验."""
        return {"score_value": self.score_value, "valid_weight": self.valid_weight,
                "direction_code": self.direction_code, "score_band": self.score_band,
                "scored_grade": self.scored_grade}

    def direction_code(self, row: int) -> str:
        """方向代码: the 方向 as a number (``DIRECTION_CODES``), so that the other formulas test
        it without repeating TRIM and the symbols' text."""
        d = f"TRIM({self._input(row, 'direction')})"
        words = self.names.word_list("_directions", tuple(DIRECTION_CODES))
        return f"=IF(LEN({d}),{_code_of(d, words, list(DIRECTION_CODES.values()))},{EMPTY})"

    def is_direction(self, row: int, symbol: str) -> str:
        """True when the row's 方向 is ``symbol``."""
        return f"{self._helper(row, 'direction_code')}={DIRECTION_CODES[symbol]}"

    def is_quantitative(self, row: int) -> str:
        """True when the row's 方向 is ≥, ≤ or = (codes above 1; N turns "" into 0)."""
        return f"N({self._helper(row, 'direction_code')})>1"

    def is_qualitative(self, row: int) -> str:
        return self.is_direction(row, c.QUALITATIVE)

    def direction_unknown(self, row: int) -> str:
        """True when the 方向 holds text that is no direction ("" = 0 is FALSE)."""
        return f"{self._helper(row, 'direction_code')}=0"

    def is_grade(self, row: int, name: str) -> str:
        """True when the row is scored under the 定性等级 ``name``."""
        return f"{self._grade(row)}={self.grade_code(name)}"

    def grade_known(self, row: int) -> str:
        """True, as a condition of AND, when the row is scored under one of the profile's 定性等级:
        a code above 0 (N turns "" into 0)."""
        return f"N({self._grade(row)})"

    def grade_code(self, name: str) -> int:
        """The number 评定等级 shows for the grade ``name``: its place in the profile (1 the best)."""
        return list(self.rules.qualitative).index(name) + 1

    def score_value(self, row: int) -> str:
        """得分（数值）: the row's 得分 as the reader takes it (``_typed_score``), "" when none."""
        return "=" + _typed_score(self._input(row, "score"), self.names)

    def valid_weight(self, row: int) -> str:
        """有效分值: the 分值 when it is a number in (0, 100] (the only weights that score), else ""."""
        w = self._input(row, "weight")
        return f"=IF(AND({_numeric(w)},{w}>0,{w}<=100),{w},{EMPTY})"

    def score_band(self, row: int) -> str:
        """得分所在等级: the ``grade_code`` of the first 定性等级 whose band holds the 得分 (0 for
        none), "" without a numeric 得分 and a valid 分值."""
        i = self._indicator_cells(row)
        given, w = i["score"], i["weight"]
        nested = "0"
        if self._disjoint_bands():
            # From the highest band down, the first whose low the 得分 reaches is the only one
            # that can hold it; its high needs testing only where no band starts right there.
            bands = sorted(self.rules.qualitative.items(), key=lambda item: item[1].low)
            lows = {band.low for _, band in bands}
            for name, band in bands:  # lowest first: the highest ends outermost
                code = str(self.grade_code(name))
                if band.high not in lows:
                    upper = "<=" if band.high >= 1 else "<"
                    code = f"{code}*({given}{upper}{_times(band.high, w)})"
                nested = f"IF({given}>={_times(band.low, w)},{code},{nested})"
        else:
            for name in reversed(list(self.rules.qualitative)):
                nested = f"IF({self._band_holds(row, name)},{self.grade_code(name)},{nested})"
        return f"=IF({_numeric(given, w)},{nested},{EMPTY})"

    def scored_grade(self, row: int) -> str:
        """评定等级代码: the 定性等级 a row is scored under, as its ``grade_code``: the one chosen
        (0 for text that is no grade of the profile), or, when none is, the grade whose band
        holds the 得分 (as the engine reads a form that prints only the score)."""
        chosen = f"TRIM({self._input(row, 'grade')})"
        grades = self.names.word_list("_grades", tuple(self.rules.qualitative))
        code = _code_of(chosen, grades, [self.grade_code(name) for name in self.rules.qualitative])
        return f'=IF(LEN({chosen}),{code},{self._helper(row, "score_band")})'

    def project_range(self, key: str) -> str:
        """The column ``key`` of 项目支出 over every project row."""
        letter = _letter(self.projects, key)
        first, last = self.layout.project_first, self.layout.project_last
        return f"{_sheet_ref(c.PROJECT_SHEET)}!${letter}${first}:${letter}${last}"

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
        evaluates every argument, and rounding a text is #VALUE!; IF without an else is FALSE."""
        return f"IF({_numeric(printed)},{self._round_item(printed)}<>{computed})"

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
        return "=" + "&".join(f'IF({missing}>0,"{before}"&({missing})&"{after}","")'
                              for missing, before, after in self._coverage_parts())

    def coverage_longest(self) -> str:
        """The longest text ``coverage`` can show: every sheet's rows without formulas."""
        return "".join(f"{before}{c.MAX_SHEET_ROWS}{after}" for _, before, after in self._coverage_parts())

    def _coverage_parts(self) -> list[tuple[str, str, str]]:
        """Per sheet: the count of filled rows without formulas, and the texts around it."""
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
            # Hidden helper columns are copied only with the whole row.
            how = "整行复制上一行" if sheet.helpers else f"从上一行复制{names}列"
            parts.append((missing, f"{sheet.name}有", f"行缺少公式（插入的行请{how}）；"))
        return parts

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
        """Each input of a 绩效指标 row as the formulas read it: a cell, the 得分 as a number
        (its helper column) and the 分值 when valid ("" otherwise; its helper column)."""
        sheet = c.INDICATOR_SHEET_DEF
        cells = {col.key: f"{_letter(sheet, col.key)}{row}" for col in sheet.columns}
        cells["score"] = self._helper(row, "score_value")
        cells["weight"] = self._helper(row, "valid_weight")
        return cells

    @staticmethod
    def _input(row: int, key: str) -> str:
        """The 绩效指标 input cell of column ``key`` in ``row``, as typed."""
        return f"{_letter(c.INDICATOR_SHEET_DEF, key)}{row}"

    @staticmethod
    def _helper(row: int, key: str) -> str:
        """The 绩效指标 helper cell of ``key`` in ``row``."""
        return f"{_letter(c.INDICATOR_SHEET_DEF, key)}{row}"

    def _filled_indicator(self, row: int) -> str:
        """The count of the row's filled input cells: TRUE as a condition when any is."""
        sheet = c.INDICATOR_SHEET_DEF
        first, last = _letter(sheet, sheet.columns[0].key), _letter(sheet, sheet.columns[-1].key)
        return f"COUNTA({first}{row}:{last}{row})"

    def _project_cell(self, key: str, row: int) -> str:
        """The 项目支出 cell of column ``key`` in ``row``."""
        return f"{_letter(self.projects, key)}{row}"

    def _blank_project(self, row: int) -> str:
        sheet = self.projects
        first, last = _letter(sheet, sheet.columns[0].key), _letter(sheet, sheet.columns[-1].key)
        return f"COUNTA({first}{row}:{last}{row})=0"

    def _weight_ok(self, row: int) -> str:
        return _numeric(self._helper(row, "valid_weight"))

    def _quantitative(self, row: int) -> str:
        i = self._indicator_cells(row)
        t, a, w = i["target"], i["actual"], i["weight"]
        at_least = self.is_direction(row, c.AT_LEAST)
        rules = self.rules
        kept = _clamp(1 - rules.overachievement_deduction)
        full = "1"  # met: full weight, but for a ≥ far over its target where the profile deducts
        if kept != 1:
            full = f"IF(AND({at_least},{t}>0,{a}>{_num(rules.overachievement)}*{t}),{_num(kept)},1)"
        # Not met: short of a ≥ (or below an =) scores in proportion, over a ≤ (or above an =)
        # by the profile's ≤ formula. One expression for the three directions, not one each.
        # Unmet, a ≥ is below its target, a ≤ above it, and an = either: below is short.
        share = f"IF({self.met(row)},{full},IF({a}<{t},{self._short(t, a)},{self._over(t, a)}))"
        # N(分值): 0 points without a valid 分值 (its helper is "" then).
        return (f"IF({_numeric(t, a)},"
                f"{self._round_item(f'N({w})*{share}')},{self.names.ref(CHECK_VALUES)})")

    def _short(self, t: str, a: str) -> str:
        # Short (a < t, so a > 0 means t > 0): in proportion, the ratio in (0, 1).
        if self.rules.quant_method == "banded":
            return f"IF({t}>0,{self._quant_band(f'MAX(0,{a}/{t})')},0)"
        return f"IF({a}>0,{a}/{t},0)"

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

    def met(self, row: int) -> str:
        """True when a quantitative row's 实际完成值 meets its 年度指标值 as its 方向 asks (= within
        the profile's tolerance). Only asked with both numbers and a quantitative 方向."""
        i = self._indicator_cells(row)
        t, a = i["target"], i["actual"]
        tolerance = self.rules.eq_tolerance
        equal = f"{a}={t}" if tolerance == 0 else f"ABS({a}-{t})<={_num(tolerance)}*ABS({t})"
        tests = {c.AT_LEAST: f"{a}>={t}", c.AT_MOST: f"{a}<={t}", c.EQUAL: equal}
        # 方向代码 - 1 numbers ≥ ≤ = from 1 (DIRECTION_CODES).
        assert [DIRECTION_CODES[d] - 1 for d in tests] == [1, 2, 3]
        return f"CHOOSE({self._helper(row, 'direction_code')}-1,{','.join(tests.values())})"

    def _grade(self, row: int) -> str:
        """The 定性等级 a row is scored under (``scored_grade``'s helper cell)."""
        return self._helper(row, "scored_grade")

    def _qualitative(self, row: int) -> str:
        """The 得分 moved into the band of the grade scored under (rounded bounds; the high one a
        step below the next band's low), or the grade's fixed share: one clamp between the bounds
        CHOOSE picks by the grade's code, not one per grade."""
        i = self._indicator_cells(row)
        given, w = i["score"], i["weight"]
        step = _num(Decimal(1).scaleb(-self.item_places))
        lows, highs, steps = [], [], []
        for band in self.rules.qualitative.values():  # in grade_code order
            if band.share is not None:  # the profile pays the grade a fixed share
                lows.append(_clamp(band.share))
                highs.append(lows[-1])
                steps.append("0")
                continue
            lows.append(band.low)
            highs.append(band.high)
            steps.append(step if band.high < 1 else "0")
        grade = self._grade(row)

        def bound(factors: list[Decimal]) -> str:
            # The factor × 分值, rounded: the same product as for each grade on its own.
            return self._round_item(f"CHOOSE({grade},{','.join(_num(f) for f in factors)})*{w}")

        high = bound(highs)
        stepped = [n for n, s in enumerate(steps, start=1) if s != "0"]
        if stepped and stepped == list(range(stepped[0], len(steps) + 1)) and len(set(steps[stepped[0] - 1:])) == 1:
            high += f"-{step}*({grade}>={stepped[0]})"  # the grades from the first partial one down
        elif stepped:
            high += f"-CHOOSE({grade},{','.join(steps)})"
        # The low bound wins where a tiny 分值 rounds the high one below it.
        clamped = f"MAX({bound(lows)},MIN({self._round_item(given)},{high}))"
        return f"IF(AND({_numeric(w, given)},{self.grade_known(row)}),{clamped},0)"

    def _in_band(self, row: int) -> str:
        """True when the 得分 lies in the band of the grade scored under. Only asked with a
        known grade, a numeric 得分 and a valid 分值 (it multiplies the 分值)."""
        grade, band = self._grade(row), self._helper(row, "score_band")
        bands = self.rules.qualitative
        if self._disjoint_bands():
            return f"{band}={grade}"  # one band holds a score at most: the one 得分所在等级 names
        tests = []
        for name, rule in bands.items():
            if rule.share is not None:  # in its band: the grade's own share, as rounded
                i = self._indicator_cells(row)
                inside = f"{self._round_item(i['score'])}={self._round_item(_times(rule.share, i['weight']))}"
            else:
                inside = self._band_holds(row, name)
            tests.append(f"AND({self.is_grade(row, name)},{inside})")
        return f"OR({','.join(tests)})"

    def _band_holds(self, row: int, name: str) -> str:
        """True when the 得分 lies in the band of grade ``name`` (low inclusive; high inclusive
        only at the full weight)."""
        i = self._indicator_cells(row)
        given, w, band = i["score"], i["weight"], self.rules.qualitative[name]
        upper = "<=" if band.high >= 1 else "<"
        return f"AND({given}>={_times(band.low, w)},{given}{upper}{_times(band.high, w)})"

    def _disjoint_bands(self) -> bool:
        """No score lies in two bands, and no grade pays a fixed share (whose test is its own)."""
        bands = sorted(self.rules.qualitative.values(), key=lambda b: b.low)
        if any(b.share is not None for b in bands):
            return False
        return all(a.high < b.low or (a.high == b.low and a.high < 1) for a, b in zip(bands, bands[1:], strict=False))

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


__all__ = ["CHECK_VALUES", "Compiler", "Layout", "Names", "UnsupportedProfile", "compiler_for",
           "no_formulas_reason", "rounding_function", "unsupported_rules"]
