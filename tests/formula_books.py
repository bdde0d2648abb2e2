"""Books for the formula tests, and what LibreOffice computed in them.

``books()`` is a hypothesis strategy of department books built to reach every branch of the
compiled formulas: every direction (and none, and a wrong one), blanks, zeros, negative, tiny
and huge values, text targets, overachievement, 定性 scores in and out of their band, weights
out of range, execution above and below budget, printed 自评执行率得分 that agree or not, 指标性质
that suits its 方向 or not, either 填报范围 (and a wrong one), rows left blank between indicators
and rows at the very end of the sheet. ``draw_books`` draws a fixed number of them (derandomized, so CI
draws the same books every run); ``recalculated`` runs LibreOffice once over many files and
returns every sheet of each as a grid of what its formulas computed.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from libreoffice import ALWAYS_RECALCULATE, run

from xlsuite.core import contract as c
from xlsuite.core.model import Amounts, BudgetLine, DepartmentBook, DepartmentInfo, Indicator, Project

CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1"
"""LibreOffice's CSV export of every sheet (one file each, ``<stem>-<sheet>.csv``), UTF-8,
values as computed rather than as shown: much cheaper than saving an .xlsx again."""

CODES = ("P1", "P2", "P3", "2021-004")
_BASIC_PARTS = c.budget_row(c.BASIC_SPENDING).total_of


def _decimal(low, high, places: int):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places,
                       allow_nan=False, allow_infinity=False)


values = st.one_of(
    st.sampled_from([Decimal(0), Decimal(100), Decimal(95), Decimal(1), Decimal("0.5"),
                     Decimal(-10), Decimal("1E+12"), Decimal("0.00001"), Decimal(120), Decimal(121)]),
    _decimal(-50, 300, 0), _decimal(0, 200, 2), _decimal(-1000, 10**9, 3),
)
"""Targets and actuals: round and awkward, zero, negative, tiny and huge."""
texts = st.sampled_from(["≥95%", "100%", "达成", "较好"])
targets = st.one_of(values, values, values, texts, st.none())
weights = st.one_of(st.sampled_from([Decimal(10), Decimal(5), Decimal(20), Decimal("7.5"),
                                     Decimal("33.33"), Decimal(100), Decimal(0), Decimal(-5),
                                     Decimal(150)]),
                    _decimal(0, 40, 2), st.none())
given_scores = st.one_of(st.none(), _decimal(-5, 110, 2), _decimal(0, 20, 0),
                         st.sampled_from([Decimal(8), Decimal(6), Decimal("7.99"), Decimal(10)]),
                         # typed as printed: 「8分」 reads as 8, 「九分」 as no score
                         st.sampled_from(["8分", "7.5分", " 6分 ", "10 分", "九分", "分"]))
money = st.one_of(st.none(), st.just(Decimal(0)), _decimal(-100, 10**6, 2), _decimal(0, 500, 0))


@st.composite
def indicators(draw, subjects):
    direction = draw(st.sampled_from([c.AT_LEAST, c.AT_LEAST, c.AT_MOST, c.EQUAL, c.QUALITATIVE,
                                      c.QUALITATIVE, "", "≈"]))
    target = draw(targets)
    if direction == c.AT_LEAST and isinstance(target, Decimal) and draw(st.booleans()):
        # just past or well past the overachievement threshold
        target_actual = target * draw(st.sampled_from([Decimal("1.2"), Decimal("1.21"), Decimal(2)]))
        actual = target_actual
    else:
        actual = draw(st.one_of(targets, st.just(target)))
    grade = draw(st.sampled_from([*c.QUALITATIVE_GRADES, "", "好"]))
    # 预算执行率 listed as an indicator too: the template's indicator.execution_twice
    level3 = draw(st.sampled_from([f"指标{draw(st.integers(0, 99))}"] * 4 + ["预算执行率", "项目预算执行率"]))
    # a cost in 万元 or 元, held to what its subject spent: the template's indicator.cost_over_spent
    level2, unit = draw(st.sampled_from([("数量指标", "%")] * 3 + [("成本指标", "万元"), ("成本指标", "元"),
                                                                   ("数量指标", "万元")]))
    if level2 == "成本指标":  # often above what was spent
        actual = draw(st.one_of(st.just(actual), st.sampled_from([Decimal(500), Decimal(5000), Decimal(10**7)])))
    return Indicator(subject=draw(st.sampled_from(subjects)), level1="产出指标", level2=level2,
                     level3=level3, direction=direction, target=target,
                     unit=unit, actual=actual, grade=grade, weight=draw(weights),
                     score=draw(given_scores), deviation=draw(st.sampled_from(["", "原因"])),
                     nature=draw(st.sampled_from(["", "", c.POSITIVE, c.NEGATIVE, "正"])))


printed_executions = st.one_of(st.none(), st.none(), st.sampled_from([Decimal(0), Decimal(10), Decimal(9)]),
                               _decimal(0, 10, 2), _decimal(0, 10, 3))
"""自评执行率得分 as forms print it: often none, the full 10 or 0, any score, a third decimal."""
printed_weights = st.one_of(st.none(), st.none(), st.sampled_from([Decimal(10), Decimal(20), Decimal("9.995")]))
"""执行率分值 as forms print it: the profile's, another province's, one that rounds to it."""
printed_totals = st.one_of(st.none(), st.none(), _decimal(0, 100, 2), _decimal(0, 100, 3))


def _printed_rate(draw, total: Amounts) -> Decimal | None:
    """自评执行率 as forms print it: none, the rate of the amounts as a percentage cell holds it
    or as its percent (to 2 places or whole), or any number."""
    kind = draw(st.integers(0, 4))
    if kind <= 1:
        return None
    if kind == 2 and total.adjusted and total.adjusted > 0:
        rate = (total.executed or Decimal(0)) / total.adjusted
        return draw(st.sampled_from([rate.quantize(Decimal("0.0001")), (rate * 100).quantize(Decimal("0.01")),
                                     (rate * 100).quantize(Decimal(1))]))
    return draw(st.one_of(_decimal(0, 2, 4), _decimal(0, 150, 1)))


@st.composite
def _project(draw, n: int, code: str) -> Project:
    total = Amounts(draw(money), draw(money), draw(money))
    return Project(code=code, name=f"项目{n}", total=total, printed_execution=draw(printed_executions),
                   category=draw(st.sampled_from(["", "", "工程类", "其他类"])),
                   printed_rate=_printed_rate(draw, total), printed_weight=draw(printed_weights),
                   printed_total=draw(printed_totals))


@st.composite
def books(draw) -> tuple[DepartmentBook, list[int]]:
    """A book and, per indicator, how many blank rows stand before it in the sheet."""
    codes = draw(st.lists(st.sampled_from(CODES), max_size=4))
    # 年初预算数 too: a profile may divide by it (tests/data/profiles/initial_denominator.toml);
    # 项目类别 too: a profile may weigh a type of project differently (project_types.toml).
    projects = [draw(_project(n, code)) for n, code in enumerate(codes)]
    if draw(st.integers(0, 9)) == 0:
        projects.append(Project(code="", name="无编码项目", total=Amounts(None, draw(money), draw(money)),
                                printed_execution=draw(printed_executions)))
    subjects = [c.WHOLE_DEPARTMENT, c.WHOLE_DEPARTMENT, *codes, *CODES[:1], "Q9"]
    rows = draw(st.lists(indicators(subjects), max_size=12))
    budget = {key: BudgetLine(key, Amounts(draw(money), draw(money), draw(money)))
              for key in (*_BASIC_PARTS, c.PROJECT_SPENDING)}
    # 填报范围: empty or either scope, or a word that is neither (checked, and read as the full scope).
    scope = draw(st.sampled_from(["", "", c.SCOPE_FULL, c.SCOPE_PROJECTS, c.SCOPE_PROJECTS, "项目"]))
    # 部门整体's printed figures (v1.2), checked in 部门信息 as a project's on its row.
    info = DepartmentInfo(year=2021, unit_code="T001", unit_name="测试单位", supervisor="测试主管部门",
                          scope=scope, printed_execution=draw(printed_executions),
                          printed_rate=draw(st.one_of(st.none(), _decimal(0, 2, 4), _decimal(0, 150, 1))),
                          printed_weight=draw(printed_weights), printed_total=draw(printed_totals))
    gaps = [draw(st.sampled_from([0, 0, 0, 0, 1, 3])) for _ in rows]
    if rows and draw(st.integers(0, 4)) == 0:  # the last row at the very end of the sheet
        gaps[-1] = c.INDICATOR_SHEET_DEF.capacity - len(rows) - sum(gaps[:-1])
    return DepartmentBook(info=info, budget=budget, projects=projects, indicators=rows), gaps


def draw_books(n: int) -> list[tuple[DepartmentBook, list[int]]]:
    """``n`` books from ``books()``, the same ones every run."""
    drawn: list = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(books())
    def collect(book):
        drawn.append(book)

    collect()
    return drawn[:n]


def with_gaps(book: DepartmentBook, gaps: list[int]) -> DepartmentBook:
    """The book as the builder should lay it out: blank records where the rows are blank."""
    rows = []
    for indicator, gap in zip(book.indicators, gaps, strict=True):
        rows += [Indicator("", "", "", "", "") for _ in range(gap)]
        rows.append(indicator)
    return DepartmentBook(info=book.info, budget=book.budget, projects=book.projects,
                          indicators=rows, problems=book.problems)


def recalculated(sources: list[Path], out_dir: Path, timeout: int = 1200,
                 recalc: str = ALWAYS_RECALCULATE) -> list[dict[str, list[list[str]]]]:
    """Every sheet of every file, recalculated by one LibreOffice launch (or opened as ``recalc``
    says), as CSV grids of text (``sheet name → rows``), in the order of ``sources``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = run(["--convert-to", CSV_ALL_SHEETS, "--outdir", str(out_dir), *map(str, sources)], timeout, recalc)
    grids = []
    for src in sources:
        sheets = {}
        for path in out_dir.glob(f"{src.stem}-*.csv"):
            with path.open(encoding="utf-8", newline="") as f:
                sheets[path.stem[len(src.stem) + 1:]] = list(csv.reader(f))
        if not sheets:
            raise RuntimeError(f"LibreOffice did not convert {src}: {result.stdout}{result.stderr}")
        grids.append(sheets)
    return grids


ERROR_PREFIXES = ("#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#REF!", "#NUM!", "#NULL!", "Err:")


def error_cells(sheets: dict[str, list[list[str]]]) -> list[str]:
    """Cells holding an error value, as ``sheet!row,col`` with the value."""
    return [f"{name}!R{r + 1}C{col + 1}={value}" for name, grid in sheets.items()
            for r, line in enumerate(grid) for col, value in enumerate(line)
            if value.startswith(ERROR_PREFIXES)]
