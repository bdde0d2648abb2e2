"""The template's formulas, recalculated by LibreOffice, equal the engine on the same books.

Hypothesis draws ``BOOKS`` books for each profile (different books for each) (see ``formula_books.books`` for what they hold);
the template builder writes each, LibreOffice recalculates them all in one launch per profile
(both profiles at once), and for every file: each 绩效指标 row's 计算得分 equals the engine's
score of that row (or shows 「请核对指标值」 where the engine has no numbers to score, scoring 0),
its 得分核对 flags exactly the rows validation reports as ``indicator.cached_score`` and
``indicator.qualitative_band``, each project's 预算执行得分 / 自评得分 / 自评等级 and 部门整体's
score and grade on 评分汇总 equal ``evaluate()``'s, and no cell of any sheet holds an error
value. A mismatch prints the book and the cell.

``XLSUITE_FORMULA_BOOKS`` sets the number of books per profile (default 100, so 200 books; the
fast tier, ``pytest -m "not slow"``, sets it to conftest's ``FAST_FORMULA_BOOKS``).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PROFILES as TEST_PROFILES
from formula_books import draw_books, error_cells, recalculated, with_gaps

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.core.profile import load_profile, national_profile
from xlsuite.core.scoring.engine import score_indicator
from xlsuite.core.validation.catalogue import TEMPLATE_CHECKS
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook
from xlsuite.template.checks import _BY_NAME_ONLY, failed_rules
from xlsuite.template.formulas import CHECK_VALUES, OUT_OF_BAND, SCORE_DIFFERS

pytestmark = pytest.mark.libreoffice

BOOKS = int(os.environ.get("XLSUITE_FORMULA_BOOKS", "100"))
PROVINCE = Path(__file__).parent / "data" / "province_profile.toml"
PROFILES = {"national": national_profile, "province": lambda: load_profile(PROVINCE),
            # Issue 16's rule families the formulas follow (scale_indicators builds no formula
            # scores: tests/test_province_rules.py); a quarter of the books each.
            **{name: (lambda name=name: load_profile(TEST_PROFILES / f"{name}.toml"))
               for name in ("grade_words", "free_level1", "banded_indicators", "whole_points",
                            "initial_denominator", "project_types")}}
COUNTS = {name: BOOKS if name in ("national", "province") else max(1, BOOKS // 4) for name in PROFILES}


def _headers(grid: list[list[str]]) -> dict[str, int]:
    return {text: i for i, text in enumerate(grid[c.HEADER_ROW])}


def _cell(grid, row: int, col: int) -> str:
    line = grid[row] if row < len(grid) else []
    return line[col] if col < len(line) else ""


def _same(shown: str, expected: Decimal | None) -> bool:
    if expected is None:
        return shown == ""
    try:
        return abs(Decimal(shown) - expected) < Decimal("1E-9")
    except ArithmeticError:
        return False


def _describe(book) -> str:
    lines = ["budget: " + ", ".join(f"{k}={line.amounts.adjusted}/{line.amounts.executed}"
                                    for k, line in book.budget.items()
                                    if line.amounts.adjusted is not None or line.amounts.executed is not None)]
    lines = [f"填报范围 {book.info.scope!r}", *lines]
    lines += [f"project {p.code!r}: {p.total.adjusted}/{p.total.executed} 自评执行率得分={p.printed_execution}"
              for p in book.projects]
    lines += [f"row {i.cells['subject'].row + 1}: {i.subject} {i.direction!r} target={i.target!r} "
              f"actual={i.actual!r} grade={i.grade!r} weight={i.weight} 得分={i.score} 指标性质={i.nature!r}"
              for i in book.indicators]
    return "\n    ".join(lines)


def _compare(path: Path, sheets: dict[str, list[list[str]]]) -> list[str]:
    """Every difference between the formulas' results and the engine's, for one book."""
    book = read_book(path)
    evaluation = evaluate(book)
    rules = evaluation.profile.rules
    problems = [f"error value {cell}" for cell in error_cells(sheets)]
    grid = sheets[c.INDICATOR_SHEET]
    cols = _headers(grid)
    score_col, check_col = cols["计算得分"], cols["得分核对"]
    flagged = {(f.rule_id, f.cell.row) for f in evaluation.findings if f.cell is not None
               and f.rule_id in ("indicator.cached_score", "indicator.qualitative_band")}
    subjects = {c.WHOLE_DEPARTMENT, *(p.code for p in book.projects if p.code)}
    # The formulas read no number out of a text (「≥95%」, 「2023年12月」): such a row shows
    # 「请核对指标值」 and counts 0 there, while the engine reads it (indicator.value_text) and the
    # batch reports the totals the formulas leave it out of (indicator.formula_result).
    unread: Counter = Counter()
    text_fields = Counter()
    read_rows = set()
    for indicator in book.indicators:
        row = indicator.cells["subject"].row
        scored = score_indicator(indicator, rules)
        expected = scored.score
        if scored.read_as:
            if indicator.subject in subjects:  # the rows the totals and the 校验 column count
                unread[indicator.subject] += expected
                text_fields.update({"indicator.quantitative": len(scored.read_as)})
                read_rows.add(row)
            expected = Decimal(0)
        shown = _cell(grid, row, score_col)
        if shown == CHECK_VALUES:
            numeric = isinstance(indicator.target, Decimal) and isinstance(indicator.actual, Decimal)
            if expected != 0 or numeric or indicator.direction not in c.QUANTITATIVE_DIRECTIONS:
                problems.append(f"{c.INDICATOR_SHEET}!R{row + 1} 计算得分 {shown}, engine {expected}")
        elif not _same(shown, expected):
            problems.append(f"{c.INDICATOR_SHEET}!R{row + 1} 计算得分 {shown!r}, engine {expected}")
        if indicator.subject in subjects and row not in read_rows:
            flag = _cell(grid, row, check_col)
            for rule_id, text in (("indicator.cached_score", SCORE_DIFFERS),
                                  ("indicator.qualitative_band", OUT_OF_BAND)):
                if ((rule_id, row) in flagged) != (flag == text):
                    problems.append(f"{c.INDICATOR_SHEET}!R{row + 1} 得分核对 {flag!r}, "
                                    f"engine {'reports' if (rule_id, row) in flagged else 'no'} {rule_id}")
    grid = sheets[c.PROJECT_SHEET]
    cols = _headers(grid)
    for project, scored in zip(book.projects, evaluation.score.projects, strict=True):
        row = project.cells["code"].row
        total = scored.total - unread[project.code]
        for header, expected in (("预算执行得分", scored.execution.score), ("自评得分", total)):
            shown = _cell(grid, row, cols[header])
            if not _same(shown, expected):
                problems.append(f"{c.PROJECT_SHEET}!R{row + 1} {header} {shown!r}, engine {expected}")
        shown = _cell(grid, row, cols["自评等级"])
        if not unread[project.code] and shown != (scored.grade or ""):
            problems.append(f"{c.PROJECT_SHEET}!R{row + 1} 自评等级 {shown!r}, engine {scored.grade}")
    summary = {line[0]: line[1] for line in sheets[c.SUMMARY_SHEET] if len(line) > 1}
    department = evaluation.score.department
    # A book of projects only evaluates no 部门整体 (the score command shows none): nor does 评分汇总.
    evaluated = not book.projects_only
    for label, expected in (("预算执行得分", department.execution.score),
                            ("自评得分", department.total - unread[c.WHOLE_DEPARTMENT])):
        if not _same(summary[label], expected if evaluated else None):
            problems.append(f"{c.SUMMARY_SHEET} {label} {summary[label]!r}, engine {expected}, "
                            f"填报范围 {book.info.scope!r}")
    grade = (department.grade or "") if evaluated else ""
    if not unread[c.WHOLE_DEPARTMENT] and summary["自评等级"] != grade:
        problems.append(f"{c.SUMMARY_SHEET} 自评等级 {summary['自评等级']!r}, engine {grade!r}")
    assert set(c.SUMMARY_LABELS) <= summary.keys()
    # 校验: every rule the template checks by formula fails as often as validation reports it.
    checked = set(TEMPLATE_CHECKS) - set(_BY_NAME_ONLY)
    # On a row read from text the formulas see no numbers: no shortfall, no overachievement.
    engine = Counter(f.rule_id for f in evaluation.findings if f.rule_id in checked and not (
        f.cell is not None and f.cell.row in read_rows and f.cell.sheet == c.INDICATOR_SHEET
        and f.rule_id in ("indicator.deviation", "indicator.overachieved"))) + text_fields
    formulas = Counter(failed_rules("".join(
        value for name in (c.INFO_SHEET, c.BUDGET_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, c.SUMMARY_SHEET)
        for line in sheets[name] for value in line)))
    if engine != formulas:
        problems.append(f"校验 by formula {dict(formulas - engine)} beyond validation, "
                        f"validation {dict(engine - formulas)} beyond formula")
    if not _same(summary[c.FAILED_CHECKS_NAME], Decimal(sum(formulas.values()))):
        problems.append(f"{c.FAILED_CHECKS_NAME} {summary[c.FAILED_CHECKS_NAME]} for {sum(formulas.values())}")
    if problems:
        return [f"{path.name}:\n    {_describe(book)}\n  " + "\n  ".join(problems)]
    return []


def _run(names: list[str], shares: dict[str, list], tmp: Path) -> dict[str, tuple[list[str], int, float]]:
    """Build each profile's books, recalculate those of ``names`` in one LibreOffice launch, and
    compare: profile → (mismatches, books, seconds of the launch)."""
    paths = {}
    for name in names:
        profile = PROFILES[name]()
        src = tmp / name
        src.mkdir()
        paths[name] = [build_workbook(src / f"{name}{n:04d}.xlsx", with_gaps(book, gaps), profile)
                       for n, (book, gaps) in enumerate(shares[name])]
    start = time.perf_counter()
    grids = iter(recalculated([p for name in names for p in paths[name]], tmp / f"{names[0]}-lo"))
    seconds = time.perf_counter() - start
    return {name: ([m for path in paths[name] for m in _compare(path, next(grids))], len(paths[name]), seconds)
            for name in names}


ONE_LAUNCH = 25
"""Up to this many books in all, one LibreOffice launch recalculates every profile's (the fast
tier's few books: a launch costs seconds, a book a fraction of one); more, one launch per profile."""


def test_formulas_recalculated_by_libreoffice_equal_the_engine(tmp_path):
    drawn = draw_books(sum(COUNTS.values()))  # each profile its own books
    starts = {name: sum(list(COUNTS.values())[:i]) for i, name in enumerate(PROFILES)}
    shares = {name: drawn[starts[name]:starts[name] + COUNTS[name]] for name in PROFILES}
    launches = [list(PROFILES)] if sum(COUNTS.values()) <= ONE_LAUNCH else [[name] for name in PROFILES]
    with ThreadPoolExecutor(min(4, len(launches))) as pool:  # one soffice per launch, four at a time
        results = {name: outcome for done in pool.map(lambda names: _run(names, shares, tmp_path), launches)
                   for name, outcome in done.items()}
    report = []
    for name, (mismatches, count, seconds) in results.items():
        print(f"{name}: {count} books recalculated by LibreOffice in {seconds:.1f} s")
        assert count == COUNTS[name]
        report += [f"[{name}] {m}" for m in mismatches]
    assert not report, f"{len(report)} books differ:\n" + "\n".join(report[:15])
