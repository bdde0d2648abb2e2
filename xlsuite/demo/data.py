"""Synthetic departments for the demo county: plausible, balanced books with deliberate faults.

Everything comes from one seeded ``random.Random``, so the same seed gives the same county.
Amounts are built in integer hundredths of 万元 and spread exactly, so a book balances unless a
fault is put in on purpose.
"""

from __future__ import annotations

import random
from decimal import Decimal

from ..core import contract as c
from ..core.model import Amounts, BudgetLine, DepartmentBook, DepartmentInfo, Indicator, Problem, Project

COUNTY = "永昌县"
YEAR = 2021

# 主管部门 → (功能分类 codes its spending falls under, its subordinate units)
SUPERVISORS = {
    "教育局": (("205", "208", "221"), ("第一高级中学", "第二高级中学", "第一中学", "第二中学", "第三中学",
                                       "城关第一小学", "城关第二小学", "河西堡中学", "职业教育中心", "第一幼儿园",
                                       "特殊教育学校")),
    "卫生健康局": (("210", "208", "221"), ("人民医院", "中医医院", "疾病预防控制中心", "妇幼保健计划生育服务中心",
                                           "河西堡中心卫生院", "新城子卫生院", "卫生健康综合监督执法队")),
    "农业农村局": (("213", "208"), ("农业技术推广中心", "畜牧兽医服务中心", "农业机械化技术推广服务中心",
                                    "农产品质量安全监督管理站")),
    "水务局": (("213", "208"), ("水利管理站", "西大河水库管理所", "皇城水库管理所")),
    "自然资源局": (("220", "208"), ("不动产登记中心", "林业和草原服务中心")),
    "住房和城乡建设局": (("212", "221"), ("城市管理综合执法局", "市政公用事业服务中心")),
    "民政局": (("208", "201"), ("社会福利院", "殡葬管理所")),
    "人力资源和社会保障局": (("208", "201"), ("就业服务中心", "社会保险事业管理局")),
    "文化广电和旅游局": (("207", "208"), ("图书馆", "文化馆", "博物馆")),
    "交通运输局": (("214", "208"), ("公路管理段", "道路运输服务中心")),
    "财政局": (("201", "208"), ("国库支付中心", "财政投资评审中心")),
    "市场监督管理局": (("201", "210"), ("食品药品检验检测中心",)),
}
TOWNS = ("城关镇", "河西堡镇", "新城子镇", "朱王堡镇", "东寨镇", "水源镇", "红山窑镇", "焦家庄镇", "六坝镇", "南坝乡")
UNIT_TYPES = ("行政单位", "参公事业单位", "全额拨款事业单位", "差额拨款事业单位")

# (二级, 三级, 方向, 计量单位, target range) for generated indicators
OUTPUTS = (("数量指标", "完成重点工作任务数", "≥", "项", (5, 30)),
           ("数量指标", "服务覆盖人数", "≥", "人次", (500, 20000)),
           ("质量指标", "工作任务验收合格率", "≥", "%", (90, 100)),
           ("时效指标", "任务按期完成率", "≥", "%", (90, 100)),
           ("成本指标", "公用经费控制率", "≤", "%", (95, 100)))
EFFECTS = (("社会效益指标", "群众办事便利程度提升", "定性", "", None),
           ("社会效益指标", "公共服务水平提升率", "≥", "%", (5, 20)),
           ("可持续影响指标", "长效管理机制建立健全", "定性", "", None))
SATISFACTION = ("服务对象满意度指标", "服务对象满意度", "≥", "%", (85, 95))
PROJECT_NAMES = ("业务工作经费", "设备购置项目", "维修改造项目", "专项补助资金", "信息化建设项目", "人才培训经费",
                 "公共服务提升项目", "安全生产专项经费")


def units(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(unit name, 主管部门) for ``count`` units: each 主管部门's own office, its units, the towns."""
    pool: list[tuple[str, str]] = []
    for dept, (_, subs) in SUPERVISORS.items():
        supervisor = COUNTY + dept
        pool.append((supervisor, supervisor))
        pool += [(COUNTY + s, supervisor) for s in subs]
    pool += [(COUNTY + t, COUNTY + t) for t in TOWNS]
    if count > len(pool):  # a benchmark asks for more: number further units
        pool += [(f"{COUNTY}第{n}服务中心", f"{COUNTY}{list(SUPERVISORS)[n % len(SUPERVISORS)]}")
                 for n in range(1, count - len(pool) + 1)]
    rng.shuffle(pool)
    return sorted(pool[:count], key=lambda u: (u[1], u[0]))


def functions_of(supervisor: str) -> tuple[str, ...]:
    for dept, (codes, _) in SUPERVISORS.items():
        if supervisor == COUNTY + dept:
            return codes
    return ("201", "213", "208")  # towns


def spread(total: int, keys: list[str], rng: random.Random) -> dict[str, int]:
    """``total`` hundredths spread over ``keys`` at random shares, adding up exactly."""
    weights = [rng.randint(1, 10) for _ in keys]
    weights[0] += 10  # the first key is the main one
    share = [total * w // sum(weights) for w in weights]
    share[0] += total - sum(share)
    return dict(zip(keys, share, strict=True))


def money(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


def _staff_kinds(info: DepartmentInfo, rng: random.Random) -> None:
    """v1.2's staff lines: 编制 by kind (an administrative unit's mostly 行政, any other's 事业, a
    few 工勤), 退休 and 临时用工. Drawn from a stream of the unit's own, so every other value of
    the demo stays as it was before these lines existed."""
    worker = rng.randint(0, max(1, info.staff_authorized // 10))
    main = info.staff_authorized - worker
    if info.unit_type == "行政单位":  # the other kind left blank, as a unit without it leaves it
        info.staff_admin = main
    else:
        info.staff_institution = main
    info.staff_worker = worker
    info.retired = rng.randint(0, info.staff_authorized // 2)
    info.temporary = rng.randint(0, 3)


def department(rng: random.Random, code: str, name: str, supervisor: str, faults: set[str]) -> DepartmentBook:
    """A balanced book for one unit; ``faults`` names the mistakes to put in (see ``FAULTS``)."""
    info = DepartmentInfo(year=YEAR, unit_code=code, unit_name=name, supervisor=supervisor,
                          unit_type=rng.choice(UNIT_TYPES), staff_authorized=rng.randint(8, 120),
                          functions=f"{name}依法履行本单位职能，完成县委、县政府交办的各项工作任务。",
                          goal_expected="保障单位正常运转，完成年度重点工作任务。",
                          goal_actual="单位运转正常，年度重点工作任务基本完成。", contact="财务室",
                          scope=c.SCOPE_FULL)
    info.staff_actual = info.staff_authorized - rng.randint(0, 3)
    _staff_kinds(info, random.Random(f"{code}-staff"))
    budget_total = rng.randint(80_00, 4000_00)
    rate = Decimal(rng.choice((100, 100, 99, 98, 97, 95, 92, 88, 80, 70))) / 100
    executed_total = int(budget_total * rate)
    lines = {r.key: BudgetLine(r.key) for r in c.budget_rows()}
    project_names = rng.sample(PROJECT_NAMES, rng.randint(2, 5))
    projects = [Project(f"{code}-{YEAR}-{n:02d}", f"{name.removeprefix(COUNTY)}{p}", supervisor=supervisor,
                        implementer=name) for n, p in enumerate(project_names, 1)]
    funcs = list(functions_of(supervisor))
    shares_seed = rng.random()  # the same shares in both columns: execution scales every line alike
    for column, total in (("adjusted", budget_total), ("executed", executed_total)):
        r2 = random.Random(shares_seed)
        project = total * r2.randint(20, 55) // 100
        basic = total - project
        people = basic * r2.randint(75, 92) // 100
        other_income = total * r2.randint(0, 8) // 100
        project_economic = spread(project, ["economic.302", "economic.303", "economic.310"], r2)
        values = {
            "structure.人员经费": people, "structure.公用经费": basic - people, "structure.项目支出": project,
            "income.财政拨款收入": total - other_income, "income.其他收入": other_income,
            **{f"function.{k}": v for k, v in spread(total, funcs, r2).items()},
            **project_economic,
            "economic.301": people, "economic.302": basic - people + project_economic["economic.302"],
            **spread(min(basic - people, total // 50), ["sangong.公务用车运行维护费", "sangong.公务接待费"], r2),
        }
        for key, value in values.items():
            setattr(lines[key].amounts, column, money(value))
        parts = spread(project, [p.code for p in projects], r2)
        for p in projects:
            for amounts in (p.total, p.fiscal):
                setattr(amounts, column, money(parts[p.code]))
                if column == "adjusted":
                    amounts.initial = money(parts[p.code])
    for key in ("controlled.会议费", "controlled.培训费", "sangong.因公出国（境）费", "sangong.公务用车购置费"):
        lines[key].amounts = Amounts(None, Decimal(0), Decimal(0))
    for line in lines.values():
        if line.amounts.adjusted is not None and line.amounts.initial is None:
            line.amounts.initial = line.amounts.adjusted
    book = DepartmentBook(info=info, budget=lines, projects=projects, template_version=c.TEMPLATE_VERSION)
    quality = rng.choice((1.0, 1.0, 0.95, 0.9, 0.8, 0.65, 0.5, 0.3))
    book.indicators = _indicators(rng, c.WHOLE_DEPARTMENT, quality, (20, 10, 10, 10), (10, 10, 10))
    for p in projects[:2]:
        book.indicators += _indicators(rng, p.code, quality, (25, 25), (30,))
    book.problems = [Problem("部分项目资金支付进度偏慢。", "加强项目管理，加快资金支付进度。")]
    _break(rng, book, faults)
    return book


def _indicators(rng, subject: str, quality: float, output_weights, effect_weights) -> list[Indicator]:
    rows = []
    chosen = rng.sample(OUTPUTS, len(output_weights))
    for (l2, l3, direction, unit, span), weight in zip(chosen, output_weights, strict=True):
        rows.append(_quant(rng, subject, "产出指标", l2, l3, direction, unit, span, weight, quality))
    for (l2, l3, direction, unit, span), weight in zip(rng.sample(EFFECTS, len(effect_weights)),
                                                     effect_weights, strict=True):
        if direction == "定性":
            grade = "达成" if quality >= 0.9 else "部分达成" if quality >= 0.6 else "未达成"
            share = {"达成": Decimal("0.9"), "部分达成": Decimal("0.7"), "未达成": Decimal("0.5")}[grade]
            rows.append(Indicator(subject, "效益指标", l2, l3, "定性", "", "", "", grade, Decimal(weight),
                                  Decimal(weight) * share,
                                  "" if grade == "达成" else "受客观条件影响，部分目标未完全实现，下一步加强管理。"))
        else:
            rows.append(_quant(rng, subject, "效益指标", l2, l3, direction, unit, span, weight, quality))
    l2, l3, direction, unit, span = SATISFACTION
    rows.append(_quant(rng, subject, "满意度指标", l2, l3, direction, unit, span, 10, quality))
    return rows


def _quant(rng, subject, l1, l2, l3, direction, unit, span, weight, quality) -> Indicator:
    target = Decimal(rng.randint(*span))
    met = rng.random() < quality
    if direction == "≤":
        actual = target - rng.randint(0, 3) if met else target + rng.randint(1, 10)
    else:
        factor = Decimal(str(rng.choice((1, 1.02, 1.05)))) if met else Decimal(str(quality)) * Decimal("0.9")
        actual = (target * factor).quantize(Decimal(1))
    deviation = "" if met or rng.random() < 0.3 else "受疫情等因素影响未完成，已制定整改措施。"
    return Indicator(subject, l1, l2, l3, direction, target, unit, max(actual, Decimal(0)), "", Decimal(weight),
                     None, deviation, nature=_NATURES.get(direction, ""))


_NATURES = {direction: nature for nature, direction in c.NATURE_DIRECTIONS.items()}
"""指标性质 as an accountant marks it beside the 方向 (≥ 正向, ≤ 反向; = and 定性 left empty)."""


FAULTS = ("projects_total", "function_balance", "overspent", "cached_score", "weights")


def _break(rng, book: DepartmentBook, faults: set[str]) -> None:
    if "projects_total" in faults:  # a project left off the list: Σ projects < 项目支出
        book.projects.pop()
    if "function_balance" in faults:  # one functional class overstated: the three views disagree
        key = next(k for k, line in book.budget.items() if k.startswith("function.") and line.amounts.executed)
        line = book.budget[key].amounts
        extra = Decimal(rng.randint(1, 50))
        line.adjusted, line.executed = line.adjusted + extra, line.executed + extra
    if "overspent" in faults:
        p = book.projects[0]
        p.total.executed = p.fiscal.executed = (p.total.adjusted or Decimal(0)) + Decimal(5)
    if "cached_score" in faults:  # a full score typed over a shortfall
        quant = [i for i in book.indicators if i.direction in ("≥", "≤")]
        quant[0].score = quant[0].weight
        quant[0].actual = quant[0].target * Decimal("0.5") if quant[0].direction == "≥" else quant[0].target * 2
    if "weights" in faults:
        book.indicators[0].weight += 5
