"""Reading the seed sample gives exactly the amounts of the seed report."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from xlsuite.reader import ENGINES, read_book

# 2021年度部门整体支出预算绩效自评报告, 永昌县工业和信息化局: every amount it states, in 万元.
SEED_EXECUTED = {
    "income.total": "581.67",
    "income.财政拨款收入": "553.67",
    "income.其他收入": "28",
    "function.total": "581.67",
    "function.201": "52.18",   # 一般公共服务支出
    "function.208": "31.55",   # 社会保障和就业支出
    "function.210": "17",      # 卫生健康支出
    "function.213": "1",       # 农林水支出
    "function.215": "465.33",  # 资源勘探工业信息等支出
    "function.221": "14.61",   # 住房保障支出
    "economic.total": "581.67",
    "economic.301": "184.83",  # 工资福利支出
    "economic.302": "28.01",   # 商品和服务支出
    "economic.303": "90.74",   # 对个人和家庭的补助
    "economic.310": "4.09",    # 资本性支出
    "economic.312": "274",     # 对企业补助
    "structure.total": "581.67",
    "structure.基本支出": "300.67",
    "structure.人员经费": "275.57",
    "structure.公用经费": "25.10",
    "structure.项目支出": "281",
    "sangong.total": "1.17",
    "sangong.公务接待费": "1.17",
    "sangong.因公出国（境）费": "0",
    "sangong.公务用车购置费": "0",
    "sangong.公务用车运行维护费": "0",
    "controlled.会议费": "0",
    "controlled.培训费": "0",
}

SEED_PROJECTS = [
    ("甘肃施可丰生态科技有限公司国家专精特新“小巨人”企业奖补资金", "50"),
    ("甘肃润牧生物工程有限责任公司省级专精特新中小企业奖补资金", "30"),
    ("甘肃元生农牧科技有限公司省级企业技术中心奖补资金", "50"),
    ("金昌铁业（集团）有限责任公司2021年省级数据信息发展项目资金", "100"),
    ("疫情防控工作经费", "17"),
    ("驻村帮扶工作队员补助资金", "1"),
    ("办公设备购置经费", "5"),
]


@pytest.fixture(scope="module", params=sorted(ENGINES))
def book(request, sample_path):
    return read_book(sample_path, engine=request.param)


def test_budget_amounts_are_the_seeds(book):
    executed = {k: line.amounts.executed for k, line in book.budget.items()
                if line.amounts.executed is not None and k in SEED_EXECUTED}
    assert executed == {k: D(v) for k, v in SEED_EXECUTED.items()}
    # nothing else was spent: every other line is empty
    others = [k for k, line in book.budget.items() if k not in SEED_EXECUTED and line.amounts.executed]
    assert others == []


def test_projects_are_the_seven_of_the_report_keeping_its_253_vs_281(book):
    assert [(p.name, p.total.executed) for p in book.projects] == [(n, D(a)) for n, a in SEED_PROJECTS]
    assert sum(p.total.executed for p in book.projects) == D("253")
    assert book.budget["structure.项目支出"].amounts.executed == D("281")
    assert all(p.fiscal.executed == p.total.executed for p in book.projects)


def test_department_info(book):
    info = book.info
    assert (info.year, info.unit_name, info.staff_actual) == (2021, "永昌县工业和信息化局", 19)
    assert "工业和信息化" in info.functions
    assert "新增规上企业6家" in info.goal_expected and "10.3%" in info.goal_actual


def test_indicators_carry_the_reports_targets_and_results(book):
    dept = {i.level3: i for i in book.indicators if i.subject == "部门整体"}
    pairs = {name: (i.direction, i.target, i.actual) for name, i in dept.items()}
    assert pairs["新增规上企业"] == ("≥", D(6), D(3))
    assert pairs["盘活闲置工业企业"] == ("≥", D(6), D(6))
    assert pairs["规模以上工业增加值增长"] == ("≥", D(10), D("10.3"))
    assert pairs["县列重点工业投资项目开（复）工"] == ("≥", D(28), D(27))
    assert pairs["民用煤炭质量抽检合格率"] == ("≥", D(100), D(100))
    assert pairs["安全生产检查发现隐患整改"] == ("≥", D(35), D(35))
    assert sum(i.weight for i in dept.values()) == D(90)  # + 10 for 预算执行率
    assert dept["新增规上企业"].deviation  # a shortfall explains itself


def test_problems_and_measures(book):
    assert len(book.problems) == 4
    assert book.problems[0].problem.startswith("绩效目标的设定不够科学精细")
    assert all(p.measure for p in book.problems)


def test_every_value_knows_its_cell(book):
    assert str(book.budget["structure.项目支出"].cells["executed"]) == "收支情况!F43"
    assert str(book.projects[0].cells["total.executed"]).startswith("项目支出!")
    assert str(book.info.cells["unit_name"]) == "部门信息!B5"
    assert str(book.indicators[0].cells["actual"]) == "绩效指标!H3"
