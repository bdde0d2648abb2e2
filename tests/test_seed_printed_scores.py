"""The seed department's own scores: its report states 实得98分，被评为“优秀”; the national rules
compute 92.75. The sample carries the printed scores, and every paper shows both totals with the
rule behind each difference (issue #28, deliverable 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from book_parts import open_book
from engine_fixtures import D, seed_book

from xlsuite.core import contract as c
from xlsuite.core.evaluation import evaluate
from xlsuite.core.profile import load_profile
from xlsuite.core.scoring import rules as r
from xlsuite.core.scoring import score_book
from xlsuite.core.scoring.reconcile import printed_scores, printed_totals
from xlsuite.report import draft_report

PROFILES = Path(__file__).parent / "data" / "profiles"
REASON = "未完成目标按完成比例计分"


def test_the_sample_prints_the_seed_reports_98():
    book = seed_book()
    department = [i for i in book.indicators if i.subject == c.WHOLE_DEPARTMENT]
    assert all(i.score is not None for i in department)
    # 得分 column of 部门整体 plus the 预算执行率 score of its amounts: the report's 实得98分.
    assert sum(i.score for i in department) == D(88)
    evaluation = evaluate(book)
    (total,) = [t for t in printed_totals(book, evaluation.score, evaluation.profile)
                if t.subject == c.WHOLE_DEPARTMENT]
    assert (total.printed, total.indicators, total.execution, total.engine) == (D(98), D(88), D(10), D("92.75"))
    assert [p.what for p in total.differing] == [
        "新增规上企业", "县列重点工业投资项目开（复）工", "入企进厂收集的企业困难问题解决"]
    assert all(REASON in p.explanation for p in total.differing)
    assert "10 × 50% = 5" in total.differing[0].explanation


def test_a_judged_half_point_is_not_explained_by_whole_points():
    # 7.5 printed against 7.71 computed: rounding both to whole points gives 8 = 8, but 7.5 is no
    # whole-point score, so 「每项取整数分」 does not explain it.
    evaluation = evaluate(seed_book())
    (p,) = [p for p in printed_scores(evaluation.book, evaluation.score, evaluation.profile)
            if p.what == "县列重点工业投资项目开（复）工"]
    assert (p.printed, p.engine) == (D("7.5"), D("7.71"))
    assert "每项取整数分" not in p.explanation


def test_score_command_and_sheet_show_98_against_92_75(tmp_path, sample_path):
    out = tmp_path / "out.xlsx"
    result = subprocess.run([sys.executable, "-m", "xlsuite", "score", str(sample_path), "-o", str(out)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("自评得分："))
    assert "文件中的得分合计 98 分" in line and "重新计算为 92.75 分" in line and "相差 5.25 分" in line
    assert line.count(REASON) == 3
    ws = open_book(out)[c.SCORE_CHECK_SHEET]
    rows = [row for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None]
    # The total first, then its three differing items, each with the rule that explains it.
    assert rows[0][2] == c.WHOLE_DEPARTMENT and rows[0][3].startswith("自评得分合计")
    assert (rows[0][4], rows[0][5]) == (98, 92.75)
    assert rows[0][6] == "不一致：相差 5.25 分，来自下列 3 项"
    differing = [row for row in rows[1:] if row[6] != "一致"]
    assert [row[3] for row in differing] == [
        "新增规上企业", "县列重点工业投资项目开（复）工", "入企进厂收集的企业困难问题解决"]
    assert all(REASON in row[6] for row in differing)


def test_the_report_states_both_totals_and_why():
    text = "\n".join(p.text for p in draft_report(seed_book()).paragraphs)
    assert "实得92.75分" in text
    assert "单位自评表所填得分合计98分" in text and "相差5.25分" in text
    assert text.count(REASON) == 3


@pytest.mark.parametrize(("profile", "grade"), [(None, "优"), (PROFILES / "grade_words.toml", "优秀")])
def test_the_grade_word_of_98_and_92_75_is_the_profiles(profile, grade):
    # National prints 优; a province profile whose [[grades]] say 优秀 prints the seed's word.
    loaded = load_profile(profile) if profile else load_profile()
    assert score_book(seed_book(), loaded).department.grade == grade
    assert r.grade_of(D(98), loaded.rules) == grade
