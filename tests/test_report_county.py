"""The county summary report (xlsuite report --county): its numbers are the summary workbook's.

Expected values are read from the summary independently of the report's reader (openpyxl, by
header text) and worked into the report's wording here; the demo county has grades 优/良/中,
rejected files of several kinds, roster units missing and findings of many rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import docx
import openpyxl
import pytest
from book_parts import open_book
from libreoffice import convert
from test_report import _assert_no_empty_sentences
from test_report_docx import _keep_png, _pages, _squash

from xlsuite.cli import main
from xlsuite.core.validation import RULES, rule
from xlsuite.county import headers as h
from xlsuite.county.summary import ABOUT, DEPARTMENTS, FINDINGS, GRADES
from xlsuite.demo.county import run_demo
from xlsuite.report.county_reader import CountySummary, Scored
from xlsuite.report.county_text import compose_county_report

pytestmark = pytest.mark.slow  # generates and consolidates a demo county of its own; LibreOffice


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("county-report")
    _, result = run_demo(root / "演示县")
    out = root / "县级汇总报告.docx"
    assert main(["report", "--county", str(result.output), "-o", str(out)]) == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    return result, out, text


def _rows(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if "单位编码" in r)
    return [dict(zip(rows[at], r, strict=True)) for r in rows[at + 1:]]


def _pct(k: int, n: int) -> str:
    return f"{(Decimal(k) * 100 / n).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _score(value: float) -> str:
    return format(Decimal(str(round(value, 2))).normalize(), "f")


def test_counts_are_the_summarys(county):
    result, out, text = county
    about = {r[0].value: r[1].value for r in open_book(result.output)[ABOUT].iter_rows()}
    received = int(re.match(r"\d+", about["收到工作簿文件"]).group())
    included = [r for r in _rows(result.output, DEPARTMENTS) if r["单位编码"]]
    assert (received, len(included)) == (68, 59)  # the demo: 68 books read, 9 of them left out
    assert f"自评工作簿{received}份，其中{len(included)}个单位的工作簿纳入汇总，{result.rejected_count}份未纳入汇总" in text
    assert f"尚有{len(result.missing)}个单位未报送或报送后未纳入汇总：" in text
    assert all(m.name in text for m in result.missing)


def test_grade_distribution_is_the_summarys(county):
    result, _, text = county
    ws = openpyxl.load_workbook(result.output, data_only=True)[GRADES]
    rows = list(ws.iter_rows(min_row=3, max_col=2, values_only=True))
    counts = {g: int(n) for g, n in rows[:rows.index(next(r for r in rows if r[0] == "合计"))]}
    n = len(result.departments)
    assert sum(counts.values()) == n
    shown = [f"“{g}”{k}个（占{_pct(k, n)}）" for g, k in counts.items() if k and g != h.UNGRADED]
    assert "部门整体自评等级为" + "、".join(shown) in text
    assert counts["差"] == 0 and "没有评定为“差”的单位" in text


def test_three_lowest_departments_by_name_and_score(county):
    result, _, text = county
    graded = [r for r in _rows(result.output, DEPARTMENTS) if r["单位编码"] and r["等级"] and r["等级"] != h.NOT_RATED]
    lowest = sorted(graded, key=lambda r: (r["自评得分"], r["单位名称"]))[:3]
    assert "得分最低的3个单位是：" in text
    for i, r in enumerate(lowest, 1):
        line = next(x for x in text.splitlines() if x.startswith(f"（{i}）{r['单位名称']}"))
        assert f"得分{_score(r['自评得分'])}分，等级“{r['等级']}”" in line


def test_most_frequent_findings_by_rule_with_counts(county):
    result, _, text = county
    rules = Counter(r["规则编号"] for r in _rows(result.output, FINDINGS))
    assert f"审核共发现问题{sum(rules.values())}个" in text
    (first, n), = rules.most_common(1)
    assert f"（1）{rule(first).problem}，共{n}个，涉及" in text


def test_the_report_names_problems_in_words_not_rule_ids(county):
    """Rule ids and the rules' formula-like titles stay in the spreadsheet (审核问题清单)."""
    result, _, text = county
    assert not re.search(r"[A-Za-z_]{3,}", text)
    for r in RULES:
        assert r.id not in text and r.title not in text


def test_both_reports_end_with_a_signature_unless_told_not_to(county):
    _, _, text = county
    assert re.search(r"\n永昌县财政局\n\d{4}年\d{1,2}月\d{1,2}日$", text)
    summary = CountySummary("某县", "2022")
    assert compose_county_report(summary, today=dt.date(2022, 4, 1)).signature == ("某县财政局", "2022年4月1日")
    assert compose_county_report(summary, signature=False).signature == ()


@pytest.mark.libreoffice
def test_libreoffice_renders_the_county_report(county, tmp_path):
    _, out, _ = county
    pdf = convert(out, tmp_path, "pdf")
    pages = [_squash(p) for p in _pages(pdf)]
    assert pages[0].startswith("永昌县2021年度部门预算绩效自评汇总报告")
    assert "—1—" in pages[0] and "一、自评材料报送情况" in pages[0]
    assert "六、下一步工作安排" in "".join(pages)
    assert _keep_png(pdf, "report-county").stat().st_size > 0


# --- empty parts read naturally ----------------------------------------------------------------

def test_a_quiet_county_says_so_in_plain_sentences():
    summary = CountySummary("某县", "2022", departments=[Scored("某县档案馆", "某县档案馆", Decimal("9.88"), "")],
                            roster_given=True, grades={"优": 0, "良": 0, "中": 0, "差": 0, h.UNGRADED: 1})
    text = compose_county_report(summary).text()
    _assert_no_empty_sentences(text)
    assert "自评工作簿1份，全部纳入汇总，涉及1个单位。" in text
    assert "名册内单位均已报送并纳入汇总。" in text
    assert "纳入汇总的1个单位均未填报部门整体绩效指标，未评定等级。" in text
    assert "纳入汇总的单位均未列示项目支出。" in text
    assert "没有评定等级的单位，不作得分排序。" in text
    assert "（二）项目自评得分" not in text  # no projects: no sub-heading at all
    assert "审核未发现问题。" in text
    assert "（1）进一步加强预算绩效管理" in text  # the only next step left


def test_one_of_each_is_not_written_as_a_list():
    summary = CountySummary(
        "", "", departments=[Scored("甲局", "甲局", Decimal("91"), "优")],
        projects=[Scored("乙项目", "甲局", Decimal("70.5"), "中"), Scored("丙项目", "甲局", Decimal("10"), "")],
        rejected=["重复"], grades={"优": 1, "良": 0}, findings=[("balance.basic", "错误", "001")])
    text = compose_county_report(summary).text()
    _assert_no_empty_sentences(text)
    assert "本县\n本年度部门预算绩效自评汇总报告" in text
    assert "1份未纳入汇总（重复1份）" in text and "未提供单位名册" in text
    assert "评定等级的单位中，得分最低的单位是甲局，得分91分，等级“优”。" in text
    assert "其中1个评定了等级：“中”1个；其余1个项目未设置绩效指标" in text
    assert "审核共发现问题1个（错误1个），涉及1个单位。全部为基本支出与人员经费、公用经费之和不符，共1个" in text


def test_a_county_whose_every_file_was_left_out():
    summary = CountySummary("某县", "2022", rejected=["无法读取", "无法读取"], roster_given=True,
                            missing=["甲局", "乙局"])
    draft = compose_county_report(summary)
    _assert_no_empty_sentences(draft.text())
    # every heading has a paragraph under it
    kinds = [p.kind for p in draft.paragraphs]
    assert all(b != "heading1" for a, b in zip(kinds, kinds[1:], strict=False) if a == "heading1")
    text = draft.text()
    assert "自评工作簿2份，均未能纳入汇总（无法读取2份），" in text
    assert "没有纳入汇总的单位，无等级分布。" in text and "没有纳入汇总的单位，无得分排序。" in text
    assert "尚有2个单位未报送或报送后未纳入汇总：甲局、乙局。" in text


@pytest.mark.parametrize("args, message", [
    (["report", "{book}", "--county", "{book}"], "二者选一"),
    (["report", "--county", "{book}", "-o", "r.docx"], "不是 xlsuite consolidate 生成的汇总表"),
    (["report", "--county", "无.xlsx", "-o", "r.docx"], "无.xlsx"),
])
def test_county_cli_errors_are_one_chinese_line(tmp_path, sample_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main([a.replace("{book}", str(sample_path)) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and err.count("\n") == 1
    assert not (tmp_path / "r.docx").exists()


def test_the_mean_score_is_rounded_half_up_as_every_score():
    # 92.74 and 92.75 average 92.745: the summary's cell shows 92.745, the engine rounds half up
    departments = [Scored("甲局", "甲局", Decimal("92.74"), "优"), Scored("乙局", "乙局", Decimal("92.75"), "优")]
    summary = CountySummary("某县", "2022", departments=departments, grades={"优": 2, "良": 0})
    text = compose_county_report(summary).text()
    assert "评定等级的单位平均得分92.75分" in text
