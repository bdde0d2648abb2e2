"""The report's text, composed from the model and the scores: pure functions, no Word.

``compose_report`` returns a ``ReportDraft``: the title lines, the paragraphs in order (each
tagged with its kind: heading or body), the appendix list and the forms. Its six sections and
their sub-headings follow the seed report (部门整体支出预算绩效自评报告 of 永昌县工业和信息化局).
Sub-headings are numbered as they are emitted, so one left out for lack of data leaves no gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..core import contract as c
from ..core.model import DepartmentBook
from ..core.profile import FormLayout
from ..core.scoring import BookScore, IndicatorScore, SubjectScore
from ..core.scoring.reconcile import PrintedTotal
from ..core.validation import ERROR, Finding, rule
from ..forms.official import (
    DEPARTMENT_FORM_TITLE,
    NATIONAL_LAYOUT,
    PROJECT_FORM_TITLE,
    actual_text,
    target_text,
)
from ..forms.plan import SheetPlan
from . import budget_text as bt
from .forms import appendix_forms
from .wording import (
    chinese_number,
    clause,
    date_line,
    is_nonzero,
    percent,
    plain,
    points,
    sentence,
    wan,
    year_label,
)

TITLE, HEADING1, HEADING2, BODY = "title", "heading1", "heading2", "body"

SECTIONS = ("自评工作开展情况", "部门基本情况", "部门预算资金使用情况", "部门预算资金绩效情况",
            "资金管理及绩效存在的主要问题", "下一步改进措施")
"""The six first-level headings, as the seed report words them."""

FORM_NAMES = (DEPARTMENT_FORM_TITLE, PROJECT_FORM_TITLE)


@dataclass(frozen=True)
class Paragraph:
    kind: str
    text: str


@dataclass(frozen=True)
class ReportDraft:
    title: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    attachments: tuple[str, ...]
    """The 附件 list, e.g. ``2021年部门整体支出绩效自评表``."""
    forms: tuple[SheetPlan, ...]
    """The appendix forms as sheet plans: 部门整体, then 项目 (when there are projects)."""
    signature: tuple[str, ...] = ()
    """The 落款 after the body and the 附件 list: who signs (单位名称) and the date, a line
    each; empty when the report is to carry none."""

    def text(self) -> str:
        """All the words, one paragraph a line (for tests and for a quick look)."""
        return "\n".join([*self.title, *(p.text for p in self.paragraphs), *self.attachments,
                          *self.signature])


class OutlineWriter:
    """Collects a report's paragraphs, numbering headings 一、二、… and sub-headings （一）… as
    they are emitted."""

    def __init__(self):
        self.out: list[Paragraph] = []
        self.section = 0
        self.sub = 0

    def heading(self, text: str) -> None:
        self.section += 1
        self.sub = 0
        self.out.append(Paragraph(HEADING1, f"{chinese_number(self.section)}、{text}"))

    def subsection(self, text: str, body: list[str]) -> None:
        """A numbered sub-heading and its paragraphs; nothing at all when ``body`` is empty."""
        body = [b for b in body if b]
        if not body:
            return
        self.sub += 1
        self.out.append(Paragraph(HEADING2, f"（{chinese_number(self.sub)}）{text}"))
        self.body(body)

    def body(self, paragraphs: list[str]) -> None:
        self.out.extend(Paragraph(BODY, p) for p in paragraphs if p)


def compose_report(book: DepartmentBook, scores: BookScore, *, signature: bool = True,
                   today: dt.date | None = None, layout: FormLayout = NATIONAL_LAYOUT,
                   findings: Sequence[Finding] | None = None,
                   printed: Sequence[PrintedTotal] = ()) -> ReportDraft:
    """The whole report of ``book`` as scored by ``scores`` (see ``xlsuite.core.scoring.score_book``),
    signed (``signature``) by the unit with its 填报日期, else ``today``'s date; its appendix
    forms laid out as ``layout`` (the profile's ``forms``) asks.

    ``findings`` are the book's validation findings (``evaluate``); without them, or for a book
    with no amounts or no indicators, the report asserts nothing the checks would have to
    support (no 「未发现突出问题」, no 「未发生截留或挪用…」).

    ``printed`` are the totals the book prints itself (``scoring.reconcile.printed_totals``): the
    report states the unit's own 部门整体 total beside the computed one, with the reasons."""
    info = book.info
    checked = findings is not None and book.has_amounts and bool(book.indicators)
    year = year_label(info.year)
    unit = info.unit_name or "本单位"
    w = OutlineWriter()
    w.body([f"根据{_notice(info, year)}要求，{unit}对{year}部门整体支出预算绩效进行了自评，现将有关情况报告如下。"])

    w.heading(SECTIONS[0])
    w.subsection("自评工作的组织管理情况", [
        "为确保自评工作符合工作实际，本着实事求是的原则，单位加强组织领导，成立了自评工作小组，"
        "各股室紧密配合，确保自评工作顺利开展。"])
    w.subsection("绩效自评金额、项目数量、覆盖率等情况说明", [_coverage(book, scores)])
    w.subsection("自评工作实施过程", [_process(scores)])

    w.heading(SECTIONS[1])
    w.subsection("部门职能及主要工作", [sentence(info.functions)])
    w.subsection("部门预算单位构成及在职人员情况", _staff(book))
    w.subsection("年度整体工作和重点工作任务", [*_tasks(book), *_work(book), *_indicators(scores.department)])

    w.heading(SECTIONS[2])
    w.subsection("部门预算资金整体收支情况", bt.income_and_spending(book))
    w.subsection("部门预算资金整体支出及使用情况", bt.spending_structure(book))
    w.subsection("“三公”经费、会议费、培训费情况说明", bt.controlled_spending(book))
    w.subsection("资金管理情况", bt.fund_management(checked))

    w.heading(SECTIONS[3])
    w.body([_total_score(year, scores.department), _printed_total(printed)])
    basic = bt.executed(book, c.BASIC_SPENDING)
    if is_nonzero(basic):
        w.subsection("基本支出", [
            f"全年基本支出{wan(basic)}，主要用于保障单位正常运转的日常支出，包括基本工资、津贴补贴等"
            "人员经费以及办公费、印刷费、水电费等日常公用经费。"])
    w.subsection("项目支出", _projects(book, scores))

    w.heading(SECTIONS[4])
    w.body([_problems(book, year, unit, findings if checked else None)])
    w.heading(SECTIONS[5])
    w.body(_measures(book))

    short_year = f"{info.year}年" if info.year else ""
    names = FORM_NAMES if book.projects else FORM_NAMES[:1]
    attachments = tuple(f"{short_year}{n}" for n in names)
    title = (unit, f"{year}部门整体支出预算绩效自评报告")
    signed = (info.unit_name, date_line(info.filled_date, today)) if signature else ()
    return ReportDraft(title, tuple(w.out), attachments, appendix_forms(book, scores, layout),
                       tuple(line for line in signed if line))


# --- 一、自评工作开展情况 ----------------------------------------------------------------------

def _with_indicators(scores: BookScore) -> list[SubjectScore]:
    return [p for p in scores.projects if p.indicators]


def _coverage(book: DepartmentBook, scores: BookScore) -> str:
    year = bt.year_of(book)
    fiscal = bt.executed(book, c.FISCAL_INCOME)
    total = bt.executed(book, c.STRUCTURE_TOTAL)
    text = ""
    if is_nonzero(fiscal):
        text += f"{year}财政拨付资金{wan(fiscal)}。"
    if is_nonzero(total):
        text += f"本次自评覆盖部门整体支出{wan(total)}"
    else:
        text += "本次自评覆盖部门整体支出"
    n = len(book.projects)
    if n == 0:
        return text + "，本年度无项目支出，未开展项目自评。"
    text += f"及本年度实施的{n}个项目"
    graded = len(_with_indicators(scores))
    if graded == n:
        text += f"，{n}个项目均填报了绩效指标，项目自评覆盖率{percent(Decimal(1))}"
    elif graded:
        text += f"，其中{graded}个项目填报了绩效指标，项目自评覆盖率{percent(Decimal(graded) / n)}"
    else:
        text += "，各项目均未填报绩效指标"
    return text + "；从资金拨付执行情况、产出和效益指标、满意度指标等方面开展了自评。"


def _process(scores: BookScore) -> str:
    dept = len(scores.department.indicators)
    projects = _with_indicators(scores)
    counts = []
    if dept:
        counts.append(f"部门整体{dept}项绩效指标")
    if projects:
        counts.append(f"{len(projects)}个项目的{sum(len(p.indicators) for p in projects)}项绩效指标")
    what = "和".join(counts) if counts else "各项工作"
    return (f"对照年度工作目标及计划，对{what}的完成情况做了系统分析，根据年度指标值和全年实际完成值"
            "逐项评分，对工作中出现的问题及拟采取的改进措施做了说明。")


# --- 二、部门基本情况 --------------------------------------------------------------------------

def _notice(info, year: str) -> str:
    """The notice the self-evaluation answers, as the book names it: 《名称》（文号）, either
    alone, or the bureau's request in general words when the book names neither."""
    title = clause(info.notice_title).strip("《》")
    number = clause(info.notice_number).strip("（）()")
    if title:
        return f"《{title}》（{number}）" if number else f"《{title}》"
    generic = f"县财政局关于开展{year}预算绩效自评工作的"
    return f"{generic}通知（{number}）" if number else generic


def _count(value: int | None, unit: str, noun: str = "") -> str:
    """「行政编制11名」; "" for a count the book leaves empty (0 is a count, and said)."""
    return "" if value is None else f"{noun}{value}{unit}"


def _kinds(lead: str, total: str, parts: list[str]) -> str:
    """「核定编制18名，其中行政编制11名、…」: the total when given, the kinds when any, after
    ``lead``; "" when neither is given."""
    parts = [p for p in parts if p]
    if total and parts:
        return f"{lead}{total}，其中{'、'.join(parts)}"
    return f"{lead}{total or '、'.join(parts)}" if total or parts else ""


def _staff(book: DepartmentBook) -> list[str]:
    """二（二）: the unit, its offices, its 编制 and its people, each only as far as the book says."""
    info = book.info
    unit = info.unit_name or "本单位"
    facts = []
    if info.unit_type:
        facts.append(f"为{info.unit_type}")
    if info.supervisor and info.supervisor != info.unit_name:
        facts.append(f"主管部门为{info.supervisor}")
    names = clause(info.internal_unit_names)
    if info.internal_units is not None:
        facts.append(f"内设机构{info.internal_units}个" + (f"：{names}" if names else ""))
    elif names:
        facts.append(f"内设机构：{names}")
    out = [f"{unit}{'，'.join(facts)}。"] if facts else []
    authorized = _kinds("核定", _count(info.staff_authorized, "名", "编制"),
                        [_count(info.staff_admin, "名", "行政编制"), _count(info.staff_institution, "名", "事业编制"),
                         _count(info.staff_worker, "名", "工勤编制")])
    year = f"{info.year}年末" if info.year else "年末"
    actual = _kinds(f"{year}实有", _count(info.staff_actual, "人", "在职人员"),
                    [_count(info.actual_admin, "人", "行政人员"), _count(info.actual_institution, "人", "事业人员"),
                     _count(info.actual_worker, "人", "工勤人员"), _count(info.actual_other, "人", "其他人员")])
    people = [p for p in (authorized, actual, _count(info.retired, "人", "退休人员"),
                          _count(info.temporary, "人", "临时用工")) if p]
    if people:  # led by the unit's name when no sentence above names it
        out.append(("" if out else unit) + "；".join(people) + "。")
    out.append(sentence(info.staff_note))
    return ["".join(out)] if any(out) else []


def _tasks(book: DepartmentBook) -> list[str]:
    info = book.info
    out = []
    if info.goal_expected.strip():
        out.append(f"根据年初工作安排，{bt.year_of(book)}重点工作任务为：{sentence(info.goal_expected)}")
    if info.goal_actual.strip():
        out.append(f"全年完成情况：{sentence(info.goal_actual)}")
    return out


def _work(book: DepartmentBook) -> list[str]:
    """The year's main work theme by theme (主要工作), numbered 1．2．… below the sub-heading as
    the seed report runs its themes in: the theme, then what was done."""
    items = [(clause(w.theme), sentence(w.content)) for w in book.work if clause(w.theme)]
    return [f"{i}．{theme}。{content}" for i, (theme, content) in enumerate(items, 1)]


def _indicators(department: SubjectScore) -> list[str]:
    scored = department.indicators
    if not scored:
        return []
    met = sum(1 for s in scored if _met(s))
    n = len(scored)
    summary = (f"部门整体{n}项绩效指标均达到年度指标值。" if met == n else
               f"部门整体{n}项绩效指标中，{met}项达到年度指标值，{n - met}项未达到。" if met else
               f"部门整体{n}项绩效指标均未达到年度指标值。")
    return [summary + "主要绩效指标完成情况如下：",
            *(f"（{i}）{_indicator_line(s)}" for i, s in enumerate(scored, 1))]


def _met(s: IndicatorScore) -> bool:
    return s.points > 0 and s.score >= s.points


def _indicator_line(s: IndicatorScore) -> str:
    ind = s.indicator
    if ind.direction == c.QUALITATIVE:
        target, actual = clause(_text(ind.target)), clause(_text(ind.actual))
        parts = [f"年度目标为{target}" if target else "未填报年度目标",
                 f"完成情况为{actual}" if actual else "未填报完成情况"]
        if ind.grade:
            parts.append(f"评定为“{ind.grade}”")
        return f"{clause(ind.level3)}：{'，'.join(parts)}。"
    target, actual = target_text(ind), actual_text(ind)
    parts = [f"年度指标值{target}" if target else "未填报年度指标值",
             f"实际完成{actual}" if actual else "未填报实际完成值"]
    if not _met(s) and s.completion is not None:
        parts.append(f"完成率{percent(s.completion)}")
    return f"{clause(ind.level3)}：{'，'.join(parts)}。"


def _text(value) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


# --- 四、部门预算资金绩效情况 ------------------------------------------------------------------

def _total_score(year: str, dept: SubjectScore) -> str:
    head = ("按照独立、公正、客观的原则，根据部门整体支出绩效评价指标体系和绩效指标完成情况，"
            f"对{year}部门整体支出开展了自评。")
    execution = dept.execution
    rate = "无全年预算数" if execution.rate is None else f"执行率{percent(execution.rate)}"
    if dept.grade is None:
        return (head + f"部门整体未填报绩效指标，仅预算执行率得分{points(execution.score)}（{rate}），"
                "未评定等级。")
    levels = [f"{level.name}得分{points(level.score)}（分值{plain(level.points)}分）"
              for level in dept.levels if level.points > 0]
    return (head + f"部门整体支出预算绩效评价指标总分值{plain(dept.points)}分，实得{points(dept.total)}，"
            f"自评等级为“{dept.grade}”。其中预算执行率得分{points(execution.score)}（{rate}），"
            + "，".join(levels) + "。")


def _printed_total(printed: Sequence[PrintedTotal]) -> str:
    """The unit's own 部门整体 total (the 得分 it typed) beside the computed one: a county reads
    both, and why they differ, rather than wondering which is right."""
    own = next((t for t in printed if t.subject == c.WHOLE_DEPARTMENT), None)
    if own is None:
        return ""
    if own.agrees:
        return f"单位自评表所填得分合计{points(own.printed)}，与按评分方案计算的得分一致。"
    parts = [f"“{p.what}”自评{plain(p.printed)}分、按评分方案计算{plain(p.engine)}分（{p.explanation}）"
             for p in own.differing]
    return (f"单位自评表所填得分合计{points(own.printed)}（指标得分{plain(own.indicators)}分，预算执行率得分"
            f"{plain(own.execution)}分），按评分方案计算为{points(own.engine)}，相差{plain(abs(own.printed - own.engine))}分"
            + ("，原因是：" + "；".join(parts) if parts else "") + "。以按评分方案计算的得分为准。")


def _projects(book: DepartmentBook, scores: BookScore) -> list[str]:
    spending = bt.executed(book, c.PROJECT_SPENDING)
    projects = list(zip(book.projects, scores.projects, strict=True))
    if not projects:
        return [f"项目支出{wan(spending)}，项目支出表未列示具体项目。"] if is_nonzero(spending) else []
    listed = sum((p.total.executed or Decimal(0) for p, _ in projects), Decimal(0))
    n = len(projects)
    if is_nonzero(spending) and listed == spending:
        out = [f"项目支出{wan(spending)}，全部用于本年度实施的{n}个项目。"]
    elif is_nonzero(spending):
        out = [f"项目支出{wan(spending)}；项目支出表列示本年度实施项目{n}个，执行金额合计{wan(listed)}。"]
    else:
        out = [f"项目支出表列示本年度实施项目{n}个，执行金额合计{wan(listed)}。"]
    for i, (project, score) in enumerate(projects, 1):
        out.append(f"{i}、{_project_line(project, score)}")
    return out


def _project_line(project, score: SubjectScore) -> str:
    name = clause(project.name)
    executed, budget = project.total.executed, project.total.adjusted
    text = f"{name}{wan(executed)}。" if is_nonzero(executed) else f"{name}，本年度无执行金额。"
    rate = score.execution.rate
    if rate is not None and rate != 1 and is_nonzero(budget):
        text += f"全年预算数{wan(budget)}，执行率{percent(rate)}。"
    text += sentence(project.goal_actual)
    if score.grade is not None:
        text += f"该项目自评得分{points(score.total)}，自评等级为“{score.grade}”。"
    else:
        text += f"该项目未设置绩效指标，{c.NOT_RATED}。"
    return text


# --- 五、六 ------------------------------------------------------------------------------------

def _problems(book: DepartmentBook, year: str, unit: str, findings: Sequence[Finding] | None) -> str:
    """The problems the unit lists; if none, what validation found (``findings`` of a book
    checked on real data, else None: then nothing is claimed either way)."""
    problems = [clause(p.problem) for p in book.problems if clause(p.problem)]
    if not problems:
        if findings is None:
            return "问题与措施表未填写存在的问题，请据实补充。"
        found = list(dict.fromkeys(rule(f.rule_id).problem for f in findings if f.severity == ERROR))
        if not found:
            return "经自评，本年度资金管理及绩效方面未发现突出问题。"
        listed = "".join(f"{chinese_number(i)}是{p}。" for i, p in enumerate(found, 1))
        return f"问题与措施表未填写存在的问题；经校验，工作簿存在以下问题需核实改正：{listed}"
    listed = "".join(f"{chinese_number(i)}是{p}。" for i, p in enumerate(problems, 1))
    return (f"通过对整体支出情况的分析，{year}{unit}整体支出保证了单位的正常运行、职能履行及项目的实施，"
            f"但在预算编制、执行和管理以及绩效执行方面仍存在一些问题：{listed}")


def _measures(book: DepartmentBook) -> list[str]:
    measures = [clause(p.measure) for p in book.problems if clause(p.measure)]
    if not measures:
        return ["继续加强预算编制、执行和绩效管理，严格各项开支，提高财政资金使用效益。"]
    return ["为切实履行职责，在今后的工作中进一步做好预算编制、财务管理、绩效评价等工作。",
            *(f"（{i}）{m}。" for i, m in enumerate(measures, 1))]


__all__ = ["compose_report", "ReportDraft", "Paragraph", "OutlineWriter", "SECTIONS", "FORM_NAMES",
           "TITLE", "HEADING1", "HEADING2", "BODY"]
