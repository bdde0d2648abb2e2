"""A profile that scales the indicator block (预算执行率 worth 20, indicators to 80): the forms and
the report print what each row is worth in the evaluation, so the 分值 add up to 100."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from engine_fixtures import seed_book

from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import score_book
from xlsuite.forms.official import WEIGHT_HEADER, department_form, project_forms
from xlsuite.report.text import compose_report

PROFILE = Path(__file__).with_name("data") / "profiles" / "execution20.toml"


def _form_points(plan) -> list[tuple[list[Decimal], Decimal, list[tuple[Decimal, Decimal]]]]:
    """Each form of ``plan``: its rows' 分值, the 总分 row's 分值, and (分值, 得分) of each row."""
    at = {(cell.row, cell.col): cell.value for cell in plan.cells}
    forms, rows = [], []
    weight_col = next(cell.col for cell in plan.cells if cell.value == WEIGHT_HEADER)
    for (row, col), value in sorted(at.items()):
        if col == 0 and value == "总分":
            forms.append((rows, at[(row, weight_col)]))
            rows = []
        elif col == weight_col and isinstance(value, Decimal) and at.get((row, 0)) != "总分":
            rows.append((value, at.get((row, weight_col + 1))))  # (the money row's is its 执行率)
    return [([w for w, _ in r], total, r) for r, total in forms]


def test_the_forms_points_add_up_to_100_and_no_score_exceeds_its_points():
    profile = load_profile(PROFILE)
    book = seed_book()
    score = score_book(book, profile)
    plans = [department_form(book, score), project_forms(book, score)]
    forms = [form for plan in plans for form in _form_points(plan)]
    assert len(forms) == 1 + len(book.projects)
    for weights, total, rows in forms:
        assert sum(weights) == total == 100, (weights, total)
        assert all(isinstance(s, Decimal) and s <= w for w, s in rows), rows


def test_the_report_says_the_points_the_forms_print():
    profile = load_profile(PROFILE)
    book = seed_book()
    text = compose_report(book, score_book(book, profile)).text()
    assert "总分值100分" in text and "总分值110分" not in text
