"""The self-evaluation report: its sentences hold the workbook's numbers, worded as the seed is.

Expected strings are copied from the seed report (seed/000_9860fe92c8c79235.txt) and the sample
data file it was turned into; where the wording differs from the seed on purpose, the test says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from engine_fixtures import D, seed_book
from test_sample import SEED_PROJECTS

from xlsuite.cli import main
from xlsuite.core.errors import InputError
from xlsuite.core.model import Amounts, Project
from xlsuite.reader import read_book
from xlsuite.report import SECTIONS, draft_report, write_docx, write_report
from xlsuite.report.wording import chinese_number, date_line, join, percent, sentence, wan
from xlsuite.template.sample import book_from_data

SEED_HEADINGS = ["一、自评工作开展情况", "二、部门基本情况", "三、部门预算资金使用情况",
                 "四、部门预算资金绩效情况", "五、资金管理及绩效存在的主要问题", "六、下一步改进措施"]


@pytest.fixture(scope="module")
def seed_docx(sample_path, tmp_path_factory):
    return write_report(sample_path, tmp_path_factory.mktemp("report") / "seed.docx")


def _body(path) -> tuple[list[tuple[str, str]], str]:
    doc = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    return paragraphs, "\n".join(text for _, text in paragraphs)


# --- wording rules -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    ("581.67", "581.67万元"),
    ("28", "28万元"),          # whole amounts without decimals, as the seed writes 28万元
    ("28.00", "28万元"),
    ("25.1", "25.10万元"),     # otherwise two decimals, as the seed writes 25.10万元
    ("0.005", "0.01万元"),     # half up to the fen
    ("1234.5", "1234.50万元"),
    ("17.999", "18万元"),      # rounds to a whole amount, then drops the decimals
])
def test_amounts_are_written_as_the_seed_writes_them(value, text):
    assert wan(Decimal(value)) == text


@pytest.mark.parametrize("ratio, text", [
    ("0.9643", "96.4%"), ("1", "100.0%"), ("0.99951", "100.0%"), ("0.28571", "28.6%"), ("0.5", "50.0%"),
])
def test_percentages_have_one_decimal(ratio, text):
    assert percent(Decimal(ratio)) == text


def test_lists_numbers_and_sentences():
    assert join(["出国出境", "会议费", "培训费"], "及") == "出国出境、会议费及培训费"
    assert join(["会议费"], "及") == "会议费"
    assert join([], "及") == ""
    assert [chinese_number(n) for n in (1, 6, 10, 11, 20, 23)] == ["一", "六", "十", "十一", "二十", "二十三"]
    assert sentence("加强培训；") == "加强培训。"
    assert sentence("加强培训。") == "加强培训。"
    assert sentence("  ") == ""


# --- the seed department -----------------------------------------------------------------------

def test_seed_report_follows_the_six_sections(seed_docx):
    paragraphs, _ = _body(seed_docx)
    assert [text for style, text in paragraphs if style == "一级标题"] == SEED_HEADINGS
    assert [f"{chinese_number(i)}、{s}" for i, s in enumerate(SECTIONS, 1)] == SEED_HEADINGS
    title = paragraphs[0]
    assert title == ("报告标题", "永昌县工业和信息化局\n2021年度部门整体支出预算绩效自评报告")
    second = [text for style, text in paragraphs if style == "二级标题"]
    assert second[:3] == ["（一）自评工作的组织管理情况", "（二）绩效自评金额、项目数量、覆盖率等情况说明",
                          "（三）自评工作实施过程"]
    assert "（三）“三公”经费、会议费、培训费情况说明" in second


def test_seed_report_states_the_funds(seed_docx):
    _, text = _body(seed_docx)
    assert "2021年度财政拨付资金553.67万元" in text
    assert "收入总计581.67万元，其中财政拨款收入553.67万元、其他收入28万元。" in text
    # the six functional classes of the seed, with the contract's names (资源勘探工业信息等支出)
    assert ("决算支出581.67万元，其中一般公共服务支出52.18万元、社会保障和就业支出31.55万元、"
            "卫生健康支出17万元、农林水支出1万元、资源勘探工业信息等支出465.33万元、住房保障支出14.61万元。") in text
    # 300.67 = 275.57 + 25.10
    assert ("部门决算整体支出581.67万元，其中基本支出300.67万元（人员经费275.57万元、公用经费25.10万元），"
            "项目支出281万元。") in text
    assert ("按经济分类划分，工资福利支出184.83万元、商品和服务支出28.01万元、对个人和家庭的补助90.74万元、"
            "资本性支出4.09万元、对企业补助274万元。") in text


def test_seed_report_states_sangong_as_reception_and_names_what_was_not_spent(seed_docx):
    _, text = _body(seed_docx)
    assert "2021年“三公”经费支出1.17万元，全部为公务接待费。" in text
    assert "本年无因公出国（境）费、公务用车购置费、公务用车运行维护费、会议费及培训费支出。" in text


def test_seed_report_states_score_grade_and_every_project(seed_docx):
    _, text = _body(seed_docx)
    # 10 (执行率 100%) + 44.71 + 28.04 + 10 = 92.75, 优 (≥ 90): see tests/test_scoring.py
    assert "总分值100分，实得92.75分，自评等级为“优”" in text
    assert "产出指标得分44.71分（分值50分），效益指标得分28.04分（分值30分）" in text
    projects = SEED_PROJECTS
    for i, (name, amount) in enumerate(projects, 1):
        assert f"\n{i}、{name}{amount}万元。" in text
    # The seed says the 281 went "全部" to the 7 projects, which add up to 253: the draft
    # states both numbers instead of repeating that claim.
    assert "项目支出281万元；项目支出表列示本年度实施项目7个，执行金额合计253万元。" in text
    assert "全部用于本年度实施的7个项目" not in text


def test_seed_report_problems_measures_and_attachments(seed_docx):
    paragraphs, text = _body(seed_docx)
    assert "一是绩效目标的设定不够科学精细" in text and "四是实施项目县级财政资金配套比例偏低" in text
    assert "（4）在财务管理及预算执行中" in text
    assert ("附件说明", "附件：1、2021年部门整体支出绩效自评表\n2、2021年项目支出绩效自评表") in paragraphs
    assert [t for s, t in paragraphs if s == "附件标记"] == ["附件1", "附件2"]


def test_seed_report_is_signed_after_the_attachments(seed_docx):
    """The 落款 (单位名称, date) closes the body, right-aligned, before the appendix forms."""
    doc = docx.Document(str(seed_docx))
    texts = [p.text for p in doc.paragraphs]
    end = texts.index("附件1")
    unit, date = doc.paragraphs[end - 2], doc.paragraphs[end - 1]
    assert unit.text == "永昌县工业和信息化局" and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date.text)
    assert unit.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert texts[end - 3] == "" and texts[end - 4].startswith("附件：")


def test_the_signature_can_be_left_out(sample_path, tmp_path):
    book = read_book(sample_path)
    assert draft_report(book).signature[0] == "永昌县工业和信息化局"
    assert draft_report(book, signature=False).signature == ()
    out = tmp_path / "无落款.docx"
    assert main(["report", str(sample_path), "-o", str(out), "--no-signature"]) == 0
    assert "永昌县工业和信息化局" not in [p.text for p in docx.Document(str(out)).paragraphs]


def test_dates_are_written_as_official_documents_write_them():
    assert date_line("2022-03-15") == date_line("2022/3/15 00:00") == "2022年3月15日"
    assert date_line("", dt.date(2023, 1, 9)) == date_line("不详", dt.date(2023, 1, 9)) == "2023年1月9日"


def test_seed_report_forms_are_word_tables(seed_docx):
    doc = docx.Document(str(seed_docx))
    assert len(doc.tables) == 1 + 7  # the department form, then one per project
    # The appendix draws the official forms of xlsuite.forms (the workbook's 部门整体自评表), so
    # its wording is theirs: 部门名称, 总分 … 等级 优, money with two decimals, rates as 0.00%.
    dept = doc.tables[0]
    cells = {c.text for row in dept.rows for c in row.cells}
    assert {"部门名称", "永昌县工业和信息化局", "581.67", "92.75", "等级", "优", "≥6家", "3家"} <= cells
    steel = {c.text for row in doc.tables[4].rows for c in row.cells}
    assert {"金昌铁业（集团）有限责任公司2021年省级数据信息发展项目资金", "100.00", "10.00"} <= steel
    first = {c.text for row in doc.tables[1].rows for c in row.cells}
    assert {"获奖补的国家专精特新“小巨人”企业", "100.00", "优"} <= first


def test_department_form_merges_indicator_levels(seed_docx):
    table = docx.Document(str(seed_docx)).tables[0]
    header = next(i for i, row in enumerate(table.rows) if row.cells[1].text == "一级指标")

    def spans(col: int) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        previous = None
        for row in table.rows[header + 1:-1]:  # indicator rows, before 总分
            tc = row.cells[col]._tc
            if tc is previous:
                out[-1] = (out[-1][0], out[-1][1] + 1)
            else:
                out.append((row.cells[col].text, 1))
            previous = tc
        return out

    # sample: 产出 6 rows (数量 4, 质量 2), 效益 4 (经济 1, 社会 2, 生态 1), 满意度 1
    assert spans(1) == [("产出指标", 6), ("效益指标", 4), ("满意度指标", 1)]
    assert spans(2) == [("数量指标", 4), ("质量指标", 2), ("经济效益指标", 1), ("社会效益指标", 2),
                        ("生态效益指标", 1), ("服务对象满意度指标", 1)]
    total = next(row for row in table.rows if row.cells[1].text == "年度资金总额")
    # the seed states no 年初预算数: an empty cell, not the 0.00 a SUM of blanks caches; the
    # rate is written as the workbook's form formats it (0.00%; the old duplicate said 100.0%)
    assert [total.cells[i].text for i in (3, 4, 5, 7)] == ["", "581.67", "581.67", "100.00%"]


# --- a department with no 三公 and no projects --------------------------------------------------

SMALL = {
    "info": {"year": 2022, "unit_code": "401001", "unit_name": "某县档案馆", "supervisor": "某县档案馆"},
    "budget": {
        "income.财政拨款收入": {"adjusted": "120.00", "executed": "118.50"},
        "function.201": {"adjusted": "120.00", "executed": "118.50"},
        "economic.301": {"adjusted": "100.00", "executed": "100.00"},
        "economic.302": {"adjusted": "20.00", "executed": "18.50"},
        "structure.人员经费": {"adjusted": "100.00", "executed": "100.00"},
        "structure.公用经费": {"adjusted": "20.00", "executed": "18.50"},
        "structure.项目支出": {"adjusted": "0", "executed": "0"},
        "sangong.公务接待费": {"adjusted": "0", "executed": "0"},
    },
}

_EMPTY_PHRASES = ("：。", "，。", "其中。", "其中，", "（）", "、、", "全部为。", "全部为，", "：，", "、。", "、及", "None")
_ZERO_AMOUNT = re.compile(r"(?<![0-9.])0(\.0+)?万元")


def _assert_no_empty_sentences(text: str):
    assert not _ZERO_AMOUNT.search(text), _ZERO_AMOUNT.search(text)
    for phrase in _EMPTY_PHRASES:
        assert phrase not in text, phrase
    for line in text.splitlines():
        assert line.strip(), "empty paragraph"
        assert not line.endswith(("，", "、", "：")), line


def test_department_without_sangong_or_projects_reads_naturally(tmp_path):
    draft = draft_report(book_from_data(SMALL))
    text = draft.text()
    _assert_no_empty_sentences(text)
    assert "2022年度收入总计118.50万元，全部为财政拨款收入。" in text
    assert "决算支出118.50万元，全部为一般公共服务支出。" in text
    assert "部门决算整体支出118.50万元，全部为基本支出118.50万元（人员经费100万元、公用经费18.50万元）。" \
           "本年度无项目支出。" in text
    assert "本年无“三公”经费、会议费及培训费支出。" in text
    assert "本年度无项目支出，未开展项目自评。" in text
    assert "部门整体未填报绩效指标，仅预算执行率得分9.88分（执行率98.8%），未评定等级。" in text  # 118.5/120
    assert draft.attachments == ("2022年部门整体支出绩效自评表",)
    assert len(draft.forms) == 1
    headings = [p.text for p in draft.paragraphs if p.kind == "heading1"]
    assert headings == SEED_HEADINGS
    # a sub-heading is left out when it has nothing to say, and the numbering has no gap
    assert "（一）部门职能及主要工作" not in text and "（二）项目支出" not in text
    out = write_docx(draft, tmp_path / "small.docx")
    assert [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "附件标记"] == ["附件"]


def test_sangong_with_several_parts_lists_them():
    data = {**SMALL, "budget": {**SMALL["budget"],
                                "sangong.公务接待费": {"executed": "0.80"},
                                "sangong.公务用车运行维护费": {"executed": "2.5"},
                                "controlled.培训费": {"executed": "1"}}}
    text = draft_report(book_from_data(data)).text()
    # 2.5 + 0.8 = 3.3 as the stored total is empty (a file saved without calculating)
    assert "2022年“三公”经费支出3.30万元，其中公务用车运行维护费2.50万元、公务接待费0.80万元。" in text
    assert "培训费支出1万元。本年无因公出国（境）费、公务用车购置费及会议费支出。" in text
    _assert_no_empty_sentences(text)


# --- only facts the book supports --------------------------------------------------------------

NOTHING_FOUND, NO_MISUSE = "未发现突出问题", "未发生截留或挪用专项资金等违规行为"


def _seed_without_problems(balanced: bool):
    book = seed_book()
    book.problems = []
    if balanced:  # the 28 万元 the seed's project list leaves out: no 错误 left
        book.projects.append(Project("307001-2021-08", "煤炭配送体系建设奖补资金",
                                     total=Amounts(None, D(28), D(28)), fiscal=Amounts(None, D(28), D(28))))
    return book


def test_a_checked_book_without_errors_or_listed_problems_may_say_none_were_found():
    text = draft_report(_seed_without_problems(balanced=True)).text()
    assert NOTHING_FOUND in text and NO_MISUSE in text


def test_errors_found_are_stated_instead_of_none_found():
    text = draft_report(_seed_without_problems(balanced=False)).text()
    assert NOTHING_FOUND not in text
    assert "经校验，工作簿存在以下问题需核实改正：一是项目支出表各项目合计与收支情况表的项目支出不一致。" in text


def test_a_book_without_indicators_is_not_said_to_have_no_problems_or_misuse():
    text = draft_report(book_from_data(SMALL)).text()  # amounts, no indicators, no problems listed
    assert NOTHING_FOUND not in text and NO_MISUSE not in text
    assert "问题与措施表未填写存在的问题，请据实补充。" in text


def test_the_unfilled_template_is_refused_and_no_report_written(tmp_path, template_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = tmp_path / "模板.xlsx"
    shutil.copy(template_path, book)
    assert main(["report", str(book)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1
    assert "尚未填写" in err and "没有金额，也没有绩效指标" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx"]
    with pytest.raises(InputError):
        draft_report(read_book(book))


# --- the command -------------------------------------------------------------------------------

def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_writes_report_beside_the_book_and_leaves_the_book_alone(tmp_path, sample_path, capsys):
    book = tmp_path / sample_path.name
    shutil.copy(sample_path, book)
    before = _digest(book)
    assert main(["report", str(book)]) == 0
    out, err = capsys.readouterr()
    report = tmp_path / "永昌县工信局-2021-自评报告.docx"
    assert report.exists() and str(report) in out
    assert "校验错误" in err and "253.00" in err  # the draft quotes the book, so say it is inconsistent
    assert _digest(book) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("args, message", [
    (["report", "missing.xlsx", "-o", "r.docx"], "missing.xlsx"),
    (["report", "{book}", "-o", "report.pdf"], "报告文件名须以 .docx 结尾"),
    (["report", "{book}", "-o", "r.docx", "--template", "{book}"], "不是有效的 Word 报告模板"),
])
def test_cli_errors_are_one_chinese_line(tmp_path, sample_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    args = [a.replace("{book}", str(sample_path)) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and err.count("\n") == 1
    assert not (tmp_path / "r.docx").exists()


def test_cli_help_ends_with_a_runnable_example(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.rstrip().splitlines()[-1].strip().startswith("xlsuite report ")
