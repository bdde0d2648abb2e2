"""The worksheet functions, called as plain functions with what Excel passes them.

Excel gives a number as ``float``, text as ``str`` and a blank cell as ``None``. Expected scores are
worked by hand from the national profile: met → full weight; ``≥`` short → weight × actual/target;
``≤`` over → weight × target/actual; 定性 → the given score, moved into its grade's band.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SAMPLE

from xlsuite.core import contract as c
from xlsuite.core.scoring import score_book
from xlsuite.core.scoring.targets import Target, parse_target
from xlsuite.excel import udfs
from xlsuite.excel.udfs import (
    XLSUITE_EXECUTION_SCORE,
    XLSUITE_GRADE,
    XLSUITE_SCORE,
    XLSUITE_SCORES,
    XLSUITE_TARGET,
)
from xlsuite.reader import read_book
from xlsuite.reader.engines import open_engine


@pytest.mark.parametrize(("args", "expected"), [
    (("≥", 100.0, 90.0, 10.0), 9.0),                   # 10 × 90/100
    (("≥", 100.0, 130.0, 10.0), 10.0),                 # over 120%: full marks (warning only)
    (("≤", 50.0, 60.0, 10.0), 8.33),                   # 10 × 50/60 = 8.333…
    (("≤", 50.0, 40.0, 10.0), 10.0),                   # under the ceiling: met
    (("=", 100.0, 100.0, 5.0), 5.0),
    (("≥", "95", "95", "10"), 10.0),                   # numbers typed as text read as numbers
    (("定性", None, None, 10.0, "达成", 9.0), 9.0),     # in the 达成 band 8–10
    (("定性", None, None, 10.0, "达成", 5.0), 8.0),     # below the band: its lower edge
    (("定性", None, None, 10.0, "部分达成", 9.0), 7.99),  # 部分达成 stops below 8
    # zero and negative
    (("≥", 100.0, 0.0, 10.0), 0.0),
    (("≥", 0.0, 0.0, 10.0), 10.0),                     # a target of 0 is met by 0
    (("≥", 100.0, 90.0, 0.0), 0.0),
    (("≥", 100.0, 90.0, -5.0), 0.0),                   # a negative weight counts as 0
    (("≤", -5.0, 3.0, 10.0), 0.0),                     # over a negative ceiling: nothing to pay
    (("≥", 100.0, -20.0, 10.0), 0.0),
    # huge
    (("≥", 1e300, 1e301, 10.0), 10.0),
    (("≥", 1e300, 1e299, 10.0), 1.0),
    (("≥", 100.0, 90.0, 1e300), "分值超过 100"),   # no indicator is worth more than 100
])
def test_score(args, expected):
    assert XLSUITE_SCORE(*args) == expected


@pytest.mark.parametrize(("args", "expected"), [
    ((None, None, None, None), ""),                    # a blank row stays blank
    (("", "  ", None, None), ""),
    (("≥", None, 90.0, 10.0), "缺少数值型年度指标值或实际完成值"),
    (("≥", "≥95%", 96.0, 10.0), 10.0),  # as the batch reads it: 「≥95%」 is 95
    (("≥", "约95", 96.0, 10.0), "缺少数值型年度指标值或实际完成值"),  # as the batch: text is no number
    (("≥", 100.0, 90.0, "十分"), "分值应为数字"),
    (("≥", 100.0, 90.0, True), "分值应为数字"),
    (("大于", 100.0, 90.0, 10.0), "方向无效"),
    ((None, 100.0, 90.0, 10.0), "缺少方向"),
    (("定性", None, None, 10.0, "", None), "缺少定性等级或得分"),
    (("定性", None, None, 10.0, "很好", 9.0), "缺少定性等级或得分"),
])
def test_score_says_why_it_cannot_score(args, expected):
    assert XLSUITE_SCORE(*args) == expected


def test_array_form_scores_the_sample_column_as_xlsuite_score_does():
    """The block 方向…得分 of the sample's 绩效指标 sheet, as Excel hands it to the UDF."""
    book = read_book(SAMPLE)
    engine = open_engine(SAMPLE)
    grid = engine.grid(c.INDICATOR_SHEET)
    engine.close()
    header = 1
    keys = [col.key for col in c.INDICATOR_SHEET_DEF.columns]
    first, last = keys.index("direction"), keys.index("score")
    rows = [[None if v == "" else v for v in line[first:last + 1]] for line in grid[header + 1:]]
    scores = XLSUITE_SCORES(rows)
    assert len(scores) == len(rows)
    expected = [float(s.score) for subject in score_book(book).subjects() for s in subject.indicators]
    got = [row[0] for row in scores if row[0] != ""]
    assert sorted(got) == sorted(expected)
    # Row by row: each indicator's cell holds its own score.
    by_row = {s.indicator.cells["direction"].row: float(s.score)
              for subject in score_book(book).subjects() for s in subject.indicators}
    for offset, (value,) in enumerate(scores):
        row = header + 1 + offset
        assert value == by_row.get(row, ""), row


def test_array_form_handles_ragged_empty_and_bad_rows():
    assert XLSUITE_SCORES([]) == [[""]]
    assert XLSUITE_SCORES([["≥", 100.0]]) == [["缺少数值型年度指标值或实际完成值"]]
    assert XLSUITE_SCORES([[None] * 7, ["≥", 100.0, "%", 50.0, None, 4.0, None]]) == [[""], [2.0]]
    assert XLSUITE_SCORES(None) == [[""]]


def test_array_form_makes_one_call_for_a_thousand_rows():
    rows = [["≥", 100.0, "%", float(i % 120), None, 5.0, None] for i in range(1000)]
    scores = XLSUITE_SCORES(rows)
    assert len(scores) == 1000
    assert scores[90] == [4.5] and scores[119] == [5.0]


@pytest.mark.parametrize(("budget", "executed", "expected"), [
    (100.0, 95.0, 9.5),
    (100.0, 120.0, 10.0),       # capped at the full 10
    (100.0, 0.0, 0.0),
    (100.0, None, 0.0),         # nothing spent
    (100.0, -10.0, 0.0),
    (1e300, 1e300, 10.0),
    (None, None, ""),
    (0.0, 5.0, "全年预算数应大于 0"),
    (-1.0, 5.0, "全年预算数应大于 0"),
    ("一百", 5.0, "全年预算数应为数字"),
])
def test_execution_score(budget, executed, expected):
    assert XLSUITE_EXECUTION_SCORE(budget, executed) == expected


@pytest.mark.parametrize(("total", "expected"), [
    (90.0, "优"), (89.99, "良"), (80.0, "良"), (60.0, "中"), (59.99, "差"), (0.0, "差"),
    (-5.0, "差"), (1e300, "优"), ("92.75", "优"), (None, ""), ("", ""), ("满分", "总分应为数字"),
])
def test_grade(total, expected):
    assert XLSUITE_GRADE(total) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("≥95%", Target("≥", Decimal(95), "%")),
    ("≤50万元", Target("≤", Decimal(50), "万元")),
    ("=100%", Target("=", Decimal(100), "%")),
    ("达成", Target("定性", None, "")),
    (">= 95 %", Target("≥", Decimal(95), "%")),
    ("＞＝９５％", Target("≥", Decimal(95), "%")),
    ("不低于98.5%", Target("≥", Decimal("98.5"), "%")),
    ("不超过1,200万元", Target("≤", Decimal(1200), "万元")),
    ("95%以上", Target("≥", Decimal(95), "%")),
    ("50万元以内", Target("≤", Decimal(50), "万元")),
    ("≤-3", Target("≤", Decimal(-3), "")),
    ("12个", Target("", Decimal(12), "个")),
    (12.0, Target("", Decimal(12), "")),
    (0.0, Target("", Decimal(0), "")),
    (1e300, Target("", Decimal("1e300"), "")),
    (float("inf"), Target("", None, "")),
    ("", Target("", None, "")),
    (None, Target("", None, "")),
    ("较好完成", Target("", None, "")),
    ("≥", Target("≥", None, "")),
])
def test_parse_target(text, expected):
    assert parse_target(text) == expected


def test_target_udf_returns_one_row_of_three_cells():
    assert XLSUITE_TARGET("≥95%") == [["≥", 95.0, "%"]]
    assert XLSUITE_TARGET("达成") == [["定性", "", ""]]
    assert XLSUITE_TARGET(None) == [["", "", ""]]
    assert XLSUITE_TARGET(-7.0) == [["", -7.0, ""]]


def test_udfs_never_raise(monkeypatch):
    def broken(*_):
        raise RuntimeError("boom")
    monkeypatch.setattr(udfs, "score_indicator", broken)
    assert XLSUITE_SCORE("≥", 100.0, 90.0, 10.0) == udfs.UNEXPECTED
    assert XLSUITE_SCORES([["≥", 100.0, "", 90.0, "", 10.0, ""]]) == [[udfs.UNEXPECTED]]


def test_udfs_score_with_the_profile_of_the_calling_book(tmp_path, monkeypatch):
    import host_books as host
    from conftest import SAMPLE
    from engine_fixtures import PROVINCE_PROFILE

    from xlsuite.core import contract as c
    from xlsuite.core.profile import load_profile
    from xlsuite.excel import udfs
    from xlsuite.excel.settings import SETTINGS_FILE
    from xlsuite.reader import read_book
    from xlsuite.template.build import build_workbook

    monkeypatch.setattr(udfs, "_BOOK_PROFILES", {})
    addin = tmp_path / "addin"
    addin.mkdir()
    monkeypatch.setattr(udfs, "default_addin_dir", lambda: addin)
    province = tmp_path / "province.xlsx"
    build_workbook(province, read_book(SAMPLE), load_profile(PROVINCE_PROFILE))

    def caller(path):
        return host.open_host_book(path).sheets[c.INDICATOR_SHEET].range("A1")

    # ≤ 10, actual 12.5, weight 20: national 20 × 10/12.5 = 16; province 20 × (1 − 2.5/10) = 15
    assert udfs.XLSUITE_SCORE("≤", 10, 12.5, 20) == 16.0
    assert udfs.XLSUITE_SCORE("≤", 10, 12.5, 20, caller=caller(SAMPLE)) == 16.0
    assert udfs.XLSUITE_SCORE("≤", 10, 12.5, 20, caller=caller(province)) == 15.0
    assert udfs.XLSUITE_SCORES([["≤", 10, None, 12.5, None, 20, None]], caller=caller(province)) == [[15.0]]
    # 92%: national capped 9.2, province banded (≥ 90% → 9)
    assert udfs.XLSUITE_EXECUTION_SCORE(100, 92, caller=caller(province)) == 9.0

    # The county's setting beside the add-in overrides what the book records ...
    monkeypatch.setattr(udfs, "_BOOK_PROFILES", {})
    (addin / "national.toml").write_text(load_profile().source, "utf-8")
    (addin / SETTINGS_FILE).write_text('profile = "national.toml"\n', "utf-8")
    assert udfs.XLSUITE_SCORE("≤", 10, 12.5, 20, caller=caller(province)) == 16.0
    # ... and a setting naming a missing file says so instead of scoring by another profile.
    monkeypatch.setattr(udfs, "_BOOK_PROFILES", {})
    (addin / SETTINGS_FILE).write_text('profile = "missing.toml"\n', "utf-8")
    answer = udfs.XLSUITE_SCORE("≤", 10, 12.5, 20, caller=caller(province))
    assert isinstance(answer, str) and answer.startswith("评分方案无法使用")
