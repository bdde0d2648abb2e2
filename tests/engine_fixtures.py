"""Books and helpers shared by the scoring, validation and profile tests (not a conftest, so
the other test files of the project stay independent of these)."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import cache
from pathlib import Path

from xlsuite.core import contract as c
from xlsuite.core.model import Amounts, BudgetLine, DepartmentBook, DepartmentInfo, Indicator, Project
from xlsuite.reader import read_book

ROOT = Path(__file__).resolve().parents[1]
SEED_XLSX = ROOT / "workbook_templates" / "samples" / "永昌县工信局-2021.xlsx"
PROVINCE_PROFILE = Path(__file__).parent / "data" / "province_profile.toml"


def D(value) -> Decimal:
    return Decimal(str(value))


@cache
def _seed() -> DepartmentBook:
    return read_book(SEED_XLSX)


def seed_book() -> DepartmentBook:
    """A fresh copy of the seed sample as the reader gives it (tests may mutate it)."""
    return copy.deepcopy(_seed())


def indicator(subject="部门整体", level1="产出指标", level2="数量指标", level3="指标", direction="≥",
              target=None, actual=None, weight=None, grade="", score=None, deviation="", unit="",
              ) -> Indicator:
    """An indicator row; numbers (or numeric text) become Decimal as the reader makes them."""
    return Indicator(subject, level1, level2, level3, direction, _value(target), unit, _value(actual),
                     grade, None if weight is None else D(weight), None if score is None else D(score),
                     deviation)


def _value(v):
    if v is None:
        return None
    try:
        return D(v)
    except ArithmeticError:
        return v  # a word, as 定性 targets are


def budget(values: dict[str, tuple]) -> dict[str, BudgetLine]:
    """Every 收支情况 row, with (全年预算数, 全年执行数) for the keys given; totals uncalculated."""
    lines = {r.key: BudgetLine(r.key) for r in c.budget_rows()}
    for key, (adjusted, executed) in values.items():
        lines[key].amounts = Amounts(None, D(adjusted), D(executed))
    return lines


def province_case_book() -> DepartmentBook:
    """A small balanced department scored in test_profiles under both profiles.

    部门整体 uses the province's 投入/过程/产出/效果 system; project P-1 uses the national names,
    which the province keeps for projects.
    """
    project = Project("P-1", "示例项目", total=Amounts(None, D(100), D(92)),
                      fiscal=Amounts(None, D(100), D(92)))
    indicators = [
        indicator("部门整体", "投入", "预算配置", "“三公”经费变动率", "≤", 0, 0, 10, unit="%"),
        indicator("部门整体", "过程", "预算执行", "资金使用合规性", "定性", "合规", "合规", 20,
                  grade="达成", score=18),
        indicator("部门整体", "产出", "职责履行", "重点工作完成率", "≥", 100, 95, 30, unit="%",
                  deviation="1项工作跨年实施"),
        indicator("部门整体", "效果", "社会满意度", "服务对象满意度", "≥", 90, 90, 30, unit="%"),
        indicator("P-1", "产出指标", "数量指标", "培训人次", "≥", 100, 130, 20, unit="人次"),
        indicator("P-1", "产出指标", "成本指标", "人均培训成本", "≤", 10, "12.5", 20, unit="元",
                  deviation="物价上涨"),
        indicator("P-1", "产出指标", "质量指标", "结业人数", "=", 100, 97, 10, unit="人",
                  deviation="3人因病缺课"),
        indicator("P-1", "效益指标", "社会效益指标", "就业能力提升", "定性", "明显提升", "有所提升", 30,
                  grade="达成", score=24),
        indicator("P-1", "满意度指标", "服务对象满意度指标", "学员满意度", "≥", 90, 85, 10, unit="%",
                  deviation="场地偏远"),
    ]
    lines = budget({
        "income.财政拨款收入": (200, 190),
        "function.201": (200, 190),
        "economic.301": (100, 98),
        "economic.302": (100, 92),
        "structure.人员经费": (100, 98),
        "structure.公用经费": (0, 0),
        "structure.项目支出": (100, 92),
    })
    info = DepartmentInfo(year=2023, unit_code="999001", unit_name="示例局", supervisor="示例局")
    return DepartmentBook(info=info, budget=lines, projects=[project], indicators=indicators)
