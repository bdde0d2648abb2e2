"""The county's summary report (部门预算绩效自评汇总报告), composed from a consolidation summary.

Pure: a ``CountySummary`` (``county_reader``) in, a ``ReportDraft`` out, drawn by the same Word
writer and template as a department's report. Every number comes from the summary; a part with
nothing to list says so in one plain sentence instead of an empty list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from ..core.validation import ERROR, SEVERITIES, rule
from ..county.headers import FINDINGS, NOT_RATED, REJECTED, UNGRADED
from .county_reader import CountySummary, Scored
from .text import OutlineWriter, ReportDraft
from .wording import date_line, is_nonzero, join, percent, points, score, wan, year_label

SECTIONS = ("自评材料报送情况", "自评资金情况", "自评等级分布", "得分较低的部门和项目", "审核发现的主要问题",
            "下一步工作安排")
LOWEST_DEPARTMENTS = 3
LOWEST_PROJECTS = 5
TOP_RULES = 5
NAMED_MISSING = 10
"""Missing units named in the text; more are counted (the summary's 未报送单位 lists them all)."""


def compose_county_report(summary: CountySummary, *, signature: bool = True,
                          today: dt.date | None = None) -> ReportDraft:
    """The county report of ``summary``: title, opening and five headed sections, signed
    (``signature``) by the county's finance bureau with ``today``'s date (default: the system's)."""
    year, county = year_label(summary.year), summary.county or "本县"
    w = OutlineWriter()
    w.body([f"根据预算绩效管理工作安排，{county}财政局对各部门（单位）报送的{year}预算绩效自评工作簿"
            "进行了汇总和审核，现将有关情况报告如下。"])
    for heading, body in zip(SECTIONS[:3], (_submissions(summary), _money(summary), _grades(summary)),
                             strict=True):
        w.heading(heading)
        w.body(body)
    w.heading(SECTIONS[3])
    if not summary.departments:
        w.body(["没有纳入汇总的单位，无得分排序。"])
    w.subsection("部门整体自评得分", _lowest(summary.departments, LOWEST_DEPARTMENTS, "单位", _department))
    w.subsection("项目自评得分", _lowest(summary.projects, LOWEST_PROJECTS, "项目", _project))
    w.heading(SECTIONS[4])
    w.body(_findings(summary))
    w.heading(SECTIONS[5])
    w.body(_next_steps(summary))
    signed = (f"{county}财政局", date_line("", today)) if signature else ()
    return ReportDraft((county, f"{year}部门预算绩效自评汇总报告"), tuple(w.out), (), (), signed)


# --- 一、报送 ------------------------------------------------------------------------------------

def _submissions(s: CountySummary) -> list[str]:
    included, rejected = len(s.departments), len(s.rejected)
    if s.submitted == 0:
        text = "本次汇总未收到部门（单位）报送的自评工作簿。"
    elif rejected == 0:
        text = f"本次共收到部门（单位）报送的自评工作簿{s.submitted}份，全部纳入汇总，涉及{included}个单位。"
    else:
        reasons = join(f"{category}{n}份" for category, n in Counter(s.rejected).most_common())
        split = (f"其中{included}个单位的工作簿纳入汇总，{rejected}份未纳入汇总（{reasons}）" if included
                 else f"均未能纳入汇总（{reasons}）")
        text = (f"本次共收到部门（单位）报送的自评工作簿{s.submitted}份，{split}，"
                f"汇总表“{REJECTED}”逐一列明了原因和需要单位补正的事项。")
    if not s.roster_given:
        return [text, "本次汇总未提供单位名册，未核对未报送单位。"]
    if not s.missing:
        return [text, "对照单位名册，名册内单位均已报送并纳入汇总。"]
    named = join(s.missing[:NAMED_MISSING])
    more = f"等{len(s.missing)}个单位" if len(s.missing) > NAMED_MISSING else ""
    return [text, f"对照单位名册，尚有{len(s.missing)}个单位未报送或报送后未纳入汇总：{named}{more}。"]


# --- 二、资金 ------------------------------------------------------------------------------------

def _money(s: CountySummary) -> list[str]:
    """The money the evaluation covers, in 万元 as the seed writes it: budget, execution and
    project funds of all included units and of each 主管部门, and the share of project funds
    evaluated against indicators (the rest have none: 未评定)."""
    if not s.departments:
        return ["没有纳入汇总的单位，无资金情况。"]
    out = [f"纳入汇总的{len(s.departments)}个单位{_funds(s.departments, s.projects)}"]
    groups: dict[str, list[Scored]] = {}
    for d in s.departments:
        groups.setdefault(d.unit or "（未填主管部门）", []).append(d)
    if len(groups) > 1:
        out.append("按主管部门：")
        for i, (supervisor, members) in enumerate(groups.items(), 1):
            names = {d.name for d in members}
            projects = [p for p in s.projects if p.unit in names]
            out.append(f"（{i}）{supervisor}（{len(members)}个单位）{_funds(members, projects)}")
    return out


def _funds(departments: list[Scored], projects: list[Scored]) -> str:
    """Budget, execution, project funds and their evaluated share, one sentence (no subject)."""
    # An amount of 0 is not stated (a sentence of 「0万元」 says nothing a reader can use).
    budget, spent = _sum(d.budget for d in departments), _sum(d.spent for d in departments)
    project_spent = _sum(d.project_spent for d in departments)
    if not is_nonzero(budget) and not is_nonzero(spent):
        text = "未填报支出预算数和执行数。"
    else:
        parts = [f"全年支出预算数{wan(budget)}" if is_nonzero(budget) else "未填报支出预算数",
                 f"全年执行数{wan(spent)}"]
        if is_nonzero(budget):
            parts.append(f"预算执行率{percent(spent / budget)}")
        text = "，".join(parts) + (f"；其中项目支出{wan(project_spent)}。" if is_nonzero(project_spent) else "。")
    if not projects:
        return text + "未列示项目。"
    listed = _sum(p.spent for p in projects)
    rated = [p for p in projects if p.grade]
    covered = _sum(p.spent for p in rated)
    text += f"列示项目{len(projects)}个"
    if is_nonzero(listed):
        text += f"，全年预算数{wan(_sum(p.budget for p in projects))}、执行数{wan(listed)}"
    text += f"；设置绩效指标并评定等级的项目{len(rated)}个"
    if is_nonzero(covered):
        text += f"，执行数{wan(covered)}，占项目执行数的{percent(covered / listed)}"
    unrated = len(projects) - len(rated)
    return text + (f"；其余{unrated}个项目未设置绩效指标，{NOT_RATED}。" if unrated else "。")


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


# --- 三、等级 ------------------------------------------------------------------------------------

def _grades(s: CountySummary) -> list[str]:
    n = len(s.departments)
    if n == 0:
        return ["没有纳入汇总的单位，无等级分布。"]
    grades = [g for g in s.grades if g != UNGRADED]
    counted = [(g, s.grades[g]) for g in grades if s.grades[g]]
    ungraded = s.grades.get(UNGRADED, 0)
    if not counted:
        out = [f"纳入汇总的{n}个单位均未填报部门整体绩效指标，未评定等级。"]
    else:
        shares = "、".join(f"“{g}”{k}个（占{percent(Decimal(k) / n)}）" for g, k in counted)
        text = f"纳入汇总的{n}个单位中，部门整体自评等级为{shares}"
        zero = [f"“{g}”" for g in grades if not s.grades[g]]
        text += f"，没有评定为{join(zero, '或')}的单位。" if zero else "。"
        if ungraded:
            text += f"另有{ungraded}个单位未填报部门整体绩效指标，{NOT_RATED}。"
        graded = [d.score for d in s.departments if d.grade]
        mean = score(sum(graded, Decimal(0)) / len(graded))
        out = [text + f"评定等级的单位平均得分{points(mean)}。"]
    out.append(_project_grades(s, grades))
    return out


def _project_grades(s: CountySummary, grades: list[str]) -> str:
    total = len(s.projects)
    if total == 0:
        return "纳入汇总的单位均未列示项目支出。"
    counts = Counter(p.grade for p in s.projects if p.grade)
    graded = sum(counts.values())
    if graded == 0:
        return f"纳入汇总的单位共有项目{total}个，均未设置绩效指标，只计算预算执行率，{NOT_RATED}。"
    order = [g for g in grades if counts[g]] + sorted(g for g in counts if g not in grades)
    listed = "、".join(f"“{g}”{counts[g]}个" for g in order)
    text = f"纳入汇总的单位共有项目{total}个，其中{graded}个评定了等级：{listed}"
    if graded < total:
        return text + f"；其余{total - graded}个项目未设置绩效指标，只计算预算执行率，{NOT_RATED}。"
    return text + "。"


# --- 四、得分较低 --------------------------------------------------------------------------------

def lowest(items: list[Scored], k: int) -> list[Scored]:
    """The ``k`` lowest-scoring graded items, lowest first (ties by name). Ungraded ones are
    left out: their score is the execution rate's alone, not comparable with a full score."""
    return sorted((x for x in items if x.grade), key=lambda x: (x.score, x.name))[:k]


def _lowest(items: list[Scored], k: int, what: str, line) -> list[str]:
    chosen = lowest(items, k)
    if not chosen:
        return [f"没有评定等级的{what}，不作得分排序。"] if items else []
    head = (f"得分最低的{what}是" if len(chosen) == 1 else f"得分最低的{len(chosen)}个{what}是：")
    if len(chosen) == 1:
        return [f"评定等级的{what}中，{head}{line(chosen[0])}。"]
    return [f"评定等级的{what}中，{head}", *(f"（{i}）{line(x)}。" for i, x in enumerate(chosen, 1))]


def _department(d: Scored) -> str:
    supervisor = f"（主管部门：{d.unit}）" if d.unit and d.unit != d.name else ""
    return f"{d.name}{supervisor}，得分{points(d.score)}，等级“{d.grade}”"


def _project(p: Scored) -> str:
    return f"{p.unit}“{p.name}”，得分{points(p.score)}，等级“{p.grade}”"


# --- 五、问题 ------------------------------------------------------------------------------------

def _findings(s: CountySummary) -> list[str]:
    if not s.findings:
        return ["审核未发现问题。"]
    severities = Counter(severity for _, severity, _ in s.findings)
    kinds = "、".join(f"{sev}{severities[sev]}个" for sev in SEVERITIES if severities[sev])
    units = len({code for _, _, code in s.findings})
    top = s.rule_counts()[:TOP_RULES]
    text = f"审核共发现问题{len(s.findings)}个（{kinds}），涉及{units}个单位。"
    if len(top) == 1:
        return [text + f"全部为{_rule_line(*top[0])}。"]
    return [text + f"出现最多的{len(top)}类问题是：",
            *(f"（{i}）{_rule_line(*item)}。" for i, item in enumerate(top, 1))]


def _rule_line(rule_id: str, count: int, units: int) -> str:
    """One kind of problem in words: the rule's ``problem`` phrase, never its id (the ids stay
    in the summary's 审核问题清单, where the county looks a finding up)."""
    try:
        what = rule(rule_id).problem
    except KeyError:  # a summary written by another version of the catalogue
        what = f"其他问题（见汇总表“{FINDINGS}”）"
    return f"{what}，共{count}个，涉及{units}个单位"


# --- 六、下一步 ----------------------------------------------------------------------------------

def _next_steps(s: CountySummary) -> list[str]:
    out = []
    if s.missing:
        out.append(f"督促未报送或未纳入汇总的{len(s.missing)}个单位按标准模板尽快报送自评工作簿。")
    if s.rejected:
        out.append(f"对未纳入汇总的文件，按汇总表“{REJECTED}”所列事项通知单位补正后重新汇总。")
    with_errors = len({code for _, severity, code in s.findings if severity == ERROR})
    if with_errors:
        out.append(f"对审核发现错误的{with_errors}个单位，退回修改后重新报送；警告事项请单位核实说明。")
    if lowest(s.departments, 1) or lowest(s.projects, 1):
        out.append("对得分较低的单位和项目，督促其分析原因、落实整改，并将自评结果作为以后年度预算安排的参考。")
    out.append("进一步加强预算绩效管理，提高绩效目标编制和绩效自评的质量。")
    return [f"（{i}）{text}" for i, text in enumerate(out, 1)]
