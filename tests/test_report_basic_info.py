"""The report's 二、部门基本情况 from contract v1.2's lines and sheet: the notice the
self-evaluation answers, 内设机构, 编制 and 实有人数 by kind, 退休, 临时用工, and the year's main work
theme by theme, so that the sample's section 二 carries the seed report's facts; a line left
blank says nothing (#28)."""

from __future__ import annotations

import docx
from book_parts import V11_SAMPLE
from conftest import SAMPLE
from engine_fixtures import seed_book
from test_contract_v12 import SEED_THEMES

from xlsuite.core import contract as c
from xlsuite.report import draft_report, write_report


def _section_two(text: str) -> str:
    return text[text.index("二、部门基本情况"):text.index("三、部门预算资金使用情况")]


def test_the_samples_report_states_the_seeds_section_two(tmp_path):
    # The seed report's 二（二） and 二（三） and its opening line, in substance (#28).
    path = write_report(SAMPLE, tmp_path / "seed.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert text.split("\n")[2].startswith(
        "根据《永昌县财政局关于开展2021年度县级预算执行情况绩效自评工作的通知》（永财函字〔2022〕3号）要求，")
    two = _section_two(text)
    for fact in ("内设机构6个：办公室（政务服务股）、产业规划发展股、经济运行股、循环经济创新股、企业服务股、节能服务股",
                 "核定编制18名，其中行政编制11名、事业编制6名、工勤编制1名",
                 "2021年末实有在职人员19人，其中行政人员10人、事业人员6人、工勤人员2人、其他人员1人",
                 "退休人员17人", "临时用工2人", "男16人，女3人"):
        assert fact in two, fact
    lines = two.split("\n")
    themes = [line.split("。")[0] for line in lines if line[:1].isdigit() and "．" in line[:3]]
    assert themes == [f"{i}．{t}" for i, t in enumerate(SEED_THEMES, 1)]
    # The themes' figures are the seed's, in the report as in the book.
    assert "开复工率达到96.4%" in two and "5G基站161座" in two and "核查人员活动轨迹信息1070条" in two


def test_blank_fields_say_nothing():
    book = seed_book()
    for f in c.V12_INFO_FIELDS:
        setattr(book.info, f.key, "" if f.kind == "text" else None)
    book.work = []
    text = draft_report(book).text()
    two = _section_two(text)
    for word in ("内设机构", "行政编制", "事业编制", "工勤编制", "行政人员", "退休", "临时用工", "1．"):
        assert word not in two, word
    assert "核定编制18名；2021年末实有在职人员19人。" in two
    assert "永财函字" not in text and "《" not in text.split("\n")[2]
    assert text.split("\n")[2].startswith("根据县财政局关于开展2021年度预算绩效自评工作的要求，")


def test_a_number_alone_and_kinds_without_a_total_are_said_as_given():
    book = seed_book()
    book.info.notice_title, book.info.staff_authorized, book.info.staff_worker = "", None, None
    book.info.internal_units = None
    text = draft_report(book).text()
    assert text.split("\n")[2].startswith("根据县财政局关于开展2021年度预算绩效自评工作的通知（永财函字〔2022〕3号）要求，")
    two = _section_two(text)
    assert "内设机构：办公室（政务服务股）" in two
    assert "核定行政编制11名、事业编制6名；2021年末实有在职人员19人" in two and "核定编制" not in two


def test_a_v11_books_report_says_only_what_it_has(tmp_path):
    # The same department's v1.1 book has none of the lines: its section 二 keeps to the totals.
    path = write_report(V11_SAMPLE, tmp_path / "v11.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    two = _section_two(text)
    assert "永昌县工业和信息化局为行政单位。核定编制18名；2021年末实有在职人员19人。" in two
    for word in ("内设机构", "行政编制", "退休", "临时用工", "1．", "永财函字"):
        assert word not in text, word
