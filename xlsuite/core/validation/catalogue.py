"""The validation rule catalogue: every rule with its stable id, severity, family and message.

The checks build findings only through ``rule(id).finding(...)``, so a message always follows
the template written here, and ``docs/rules.md`` is generated from this table
(``python -m xlsuite.core.validation`` rewrites it; a test fails when it is stale).
Rule ids are stable: the county's summaries and users' notes refer to them. Never reuse an id.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..model import CellRef
from .findings import ERROR, HINT, WARNING, Finding

BALANCE, CROSS, INDICATOR, PLAUSIBILITY = "表内平衡", "表间核对", "绩效指标", "合理性"
FAMILIES = (BALANCE, CROSS, INDICATOR, PLAUSIBILITY)


@dataclass(frozen=True)
class Rule:
    """One validation rule.

    Attributes:
        id: stable identifier, ``family.name``.
        family: 表内平衡, 表间核对, 绩效指标 or 合理性.
        severity: 错误, 警告 or 提示.
        title: what the rule demands, in a few Chinese words.
        template: the message, ``str.format`` placeholders filled by the check.
        problem: the kind of problem a finding of this rule is, as a Chinese phrase that reads
            in a sentence of a report (项目未设置绩效指标): reports name problems by it, never
            by the rule id or the title.
        name: the rule's short Chinese name, unique within its family: with the family it is
            what every sheet and letter shows before (or instead of) the id (``label``), since
            the people who read them read no English ids.
        per_column: for a rule checked in every amount column, how the numbers of one column
            read; ``template``'s ``{columns}`` joins them for all the columns that differ. One
            gap between two figures shows in several columns at once (253 against 281 in both
            全年预算数 and 全年执行数): it is one finding, never one per column.
    """

    id: str
    family: str
    severity: str
    title: str
    template: str
    problem: str
    name: str
    per_column: str = ""

    @property
    def label(self) -> str:
        """``表间核对·项目合计``: the family and the name, as sheets and letters show a rule."""
        return f"{self.family}·{self.name}"

    def finding(self, cell: CellRef | None = None, subject: str = "", /, *,
                columns: list[tuple[str, dict]] | None = None, **values) -> Finding:
        """Args:
            columns: for a ``per_column`` rule, (column label, that column's values) of each
                column that differs, in sheet order.
        """
        # Positional-only, so that a template may use placeholders named ``cell`` or ``subject``.
        if columns is not None:
            values["columns"] = self._columns(columns, values)
        return Finding(self.id, self.severity, self.template.format(**values), cell, subject)

    def _columns(self, columns: list[tuple[str, dict]], shared: dict) -> str:
        # Columns with the same numbers are named together (全年预算数、全年执行数均为 …), so
        # the usual case, one amount missing from every column alike, reads as the one gap it is.
        groups: list[tuple[list[str], dict]] = []
        for label, numbers in columns:
            same = next((g for g in groups if g[1] == numbers), None)
            if same is None:
                groups.append(([label], numbers))
            else:
                same[0].append(label)
        return "；".join(
            self.per_column.format(**shared, **numbers,
                                   column="、".join(labels) + ("均" if len(labels) > 1 else ""))
            for labels, numbers in groups)


_TOTAL = "“{row}”与{parts_label}之和不符：{columns}"
_TOTAL_COLUMN = "{column}为合计 {total} 万元、{parts_label}之和 {parts} 万元，相差 {diff} 万元"

RULES: tuple[Rule, ...] = (
    # --- 表内平衡 (收支情况) ------------------------------------------------------------------
    Rule("balance.income", BALANCE, ERROR, "收入合计 = 各项收入之和", _TOTAL,
         name="收入合计", problem="收入合计与各项收入之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.function", BALANCE, ERROR, "支出合计（按功能分类）= 各功能分类之和", _TOTAL,
         name="功能分类合计", problem="按功能分类的支出合计与各功能分类之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.economic", BALANCE, ERROR, "支出合计（按经济分类）= 各经济分类之和", _TOTAL,
         name="经济分类合计", problem="按经济分类的支出合计与各经济分类之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.structure", BALANCE, ERROR, "支出合计（按支出性质）= 基本支出 + 项目支出", _TOTAL,
         name="支出性质合计", problem="支出合计与基本支出、项目支出之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.basic", BALANCE, ERROR, "基本支出 = 人员经费 + 公用经费", _TOTAL,
         name="基本支出构成", problem="基本支出与人员经费、公用经费之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.sangong", BALANCE, ERROR, "“三公”经费合计 = 各项之和", _TOTAL,
         name="三公经费合计", problem="“三公”经费合计与各项之和不符", per_column=_TOTAL_COLUMN),
    Rule("balance.views", BALANCE, ERROR, "按功能分类、按经济分类、按支出性质的支出合计相等",
         "“{row}”与“{other_row}”不一致：{columns}",
         name="三种口径支出合计", problem="按功能分类、经济分类和支出性质统计的支出合计互不一致",
         per_column="{column}为 {total} 万元与 {other} 万元，相差 {diff} 万元"),
    # --- 表间核对 -----------------------------------------------------------------------------
    Rule("cross.projects_total", CROSS, ERROR, "各项目合计 = 收支情况的项目支出（每一金额列）",
         "项目支出表中 {count} 个项目的合计与收支情况表“项目支出”不一致：{columns}",
         name="项目合计", problem="项目支出表各项目合计与收支情况表的项目支出不一致",
         per_column="{column}为项目合计 {projects} 万元、收支情况表 {line} 万元，相差 {diff} 万元"),
    Rule("cross.project_sources", CROSS, ERROR, "项目合计 = 本年财政拨款 + 上年结转 + 其他资金（+ 评分方案增设的资金来源）",
         "项目“{name}”的资金合计与{sources}之和不符：{columns}",
         name="项目资金来源", problem="项目资金合计与各资金来源之和不符",
         per_column="{column}为合计 {total} 万元、各来源之和 {parts} 万元，相差 {diff} 万元"),
    # --- 绩效指标 -----------------------------------------------------------------------------
    Rule("indicator.subject", INDICATOR, ERROR, "评价对象是部门整体或已列项目",
         "指标“{level3}”的评价对象“{subject}”既不是“部门整体”，也不是项目支出表中的项目编码",
         name="评价对象", problem="绩效指标的评价对象既不是部门整体，也不是所列项目"),
    Rule("indicator.weight", INDICATOR, ERROR, "分值为不超过 100 的正数",
         "指标“{level3}”的分值{problem}，该指标记 0 分",
         name="指标分值", problem="指标分值不是不超过100的正数"),
    Rule("indicator.weight_total", INDICATOR, ERROR, "每个评价对象的指标分值加预算执行率分值共 100 分",
         "{subject_name}的指标分值合计 {weights}，加预算执行率 {execution} 分共 {total}，应为 100，"
         "相差 {diff}",
         name="分值合计", problem="指标分值与预算执行率分值合计不是100分"),
    Rule("indicator.level1_weight", INDICATOR, WARNING, "一级指标分值与评分方案默认权重一致",
         "{subject_name}的“{level1}”分值合计 {weight}，评分方案默认为 {default}；"
         "如确有特殊情况调整权重，请在自评报告中说明",
         name="一级指标权重", problem="一级指标分值与评分方案的默认权重不一致"),
    Rule("indicator.level1", INDICATOR, ERROR, "一级指标属于评分方案中该类评价对象的指标体系",
         "一级指标“{level1}”不在评分方案“{profile}”的{kind}指标体系中（应为：{allowed}）",
         name="一级指标", problem="一级指标不在评分方案的指标体系中"),
    Rule("indicator.level2", INDICATOR, ERROR, "二级指标属于其一级指标",
         "二级指标“{level2}”不属于一级指标“{level1}”（应为：{allowed}）",
         name="二级指标", problem="二级指标与所属一级指标不对应"),
    Rule("indicator.direction", INDICATOR, ERROR, "方向为 ≥、≤、= 或 定性",
         "指标“{level3}”的方向“{direction}”无效，应为 ≥、≤、= 或 定性",
         name="指标方向", problem="指标方向填写无效"),
    Rule("indicator.quantitative", INDICATOR, ERROR, "定量指标的年度指标值和实际完成值均为数值",
         "定量指标“{level3}”的{field}{problem}，无法计分（记 0 分）",
         name="定量指标数值", problem="定量指标的年度指标值或实际完成值不是数值"),
    Rule("indicator.deviation", INDICATOR, WARNING, "未完成的指标须填写偏差原因",
         "指标“{level3}”未完成（{detail}），请填写偏差原因分析及改进措施",
         name="偏差原因", problem="未完成的指标没有填写偏差原因"),
    Rule("indicator.overachieved", INDICATOR, WARNING, "实际完成值远超目标时核实目标是否偏低",
         "指标“{level3}”实际完成值 {actual} 为年度指标值 {target} 的 {percent}%，超过 {threshold}%，"
         "请核实目标是否设置偏低{deduction}",
         name="超额完成", problem="实际完成值远超年度指标值、目标可能设置偏低"),
    Rule("indicator.cached_score", INDICATOR, WARNING, "文件中已有的定量指标得分与重新计算的得分一致",
         "定量指标“{level3}”文件中的得分为 {reported}，按评分方案“{profile}”重新计算为 {score}，"
         "以重新计算的 {score} 为准",
         name="定量得分核对", problem="工作簿中的定量指标得分与重新计算的得分不一致"),
    Rule("indicator.formula_result", INDICATOR, WARNING, "模板公式在文件中留下的得分和等级与重新计算的一致",
         "{what}的{column}在文件中为 {cached}，按评分方案“{profile}”重新计算为 {value}，以重新计算的为准"
         "（公式的结果被改写，或由其他评分方案的模板算出）",
         name="公式结果核对", problem="模板公式留下的得分或等级与重新计算的不一致"),
    Rule("indicator.qualitative_grade", INDICATOR, ERROR, "定性指标选择了等级并填写了得分",
         "定性指标“{level3}”{problem}，该指标记 0 分",
         name="定性等级", problem="定性指标未选择等级或未填写得分"),
    Rule("indicator.qualitative_band", INDICATOR, ERROR, "定性指标得分在所选等级的分值区间内",
         "定性指标“{level3}”等级为“{grade}”，得分 {score} 应在 {band}（分值 {weight}）内，"
         "按 {clamped} 计分",
         name="定性得分区间", problem="定性指标得分不在所选等级的分值区间内"),
    Rule("indicator.nature", INDICATOR, WARNING, "指标性质与方向一致（正向 ≥，反向 ≤）",
         "指标“{level3}”的指标性质为“{nature}”，{problem}",
         name="指标性质", problem="指标性质与方向不一致"),
    Rule("indicator.printed_execution", INDICATOR, WARNING, "自评执行率得分与按评分方案计算的一致",
         "{who}的自评执行率得分 {printed}，按评分方案“{profile}”计算为 {score}（{why}），"
         "以重新计算的 {score} 为准",
         name="执行率得分核对", problem="自评执行率得分与按评分方案计算的不一致"),
    Rule("indicator.printed_rate", INDICATOR, WARNING, "自评执行率与金额算出的一致",
         "{who}的自评执行率 {printed}，按{budget}和全年执行数计算为 {rate}，以计算的 {rate} 为准",
         name="执行率核对", problem="自评执行率与金额算出的不一致"),
    Rule("indicator.printed_weight", INDICATOR, WARNING, "执行率分值与评分方案的一致",
         "{who}的执行率分值 {printed}，评分方案“{profile}”为 {weight}：请确认所用评分方案",
         name="执行率分值核对", problem="执行率分值与评分方案不一致"),
    Rule("indicator.printed_total", INDICATOR, WARNING, "自评总分与按评分方案计算的一致",
         "{who}的自评总分 {printed}，按评分方案“{profile}”计算为 {score}，以重新计算的 {score} 为准",
         name="总分核对", problem="自评总分与按评分方案计算的不一致"),
    Rule("indicator.qualitative_inferred", INDICATOR, HINT, "未选定性等级时按得分所在区间推定等级",
         "定性指标“{level3}”未选择定性等级，按得分 {score}（分值 {weight}）推定为“{grade}”",
         name="定性等级推定", problem="定性指标未选择等级、按得分推定"),
    Rule("indicator.qualitative_empty", INDICATOR, WARNING, "定性指标填写了年度指标值和实际完成值",
         "定性指标“{level3}”的{field}未填写，无法据以判断完成情况（仍按所填得分 {score} 计分）",
         name="定性指标内容", problem="定性指标未填写年度指标值或实际完成值"),
    Rule("indicator.value_text", INDICATOR, HINT, "文字形式的指标值按其中的数值或日期计分",
         "指标“{level3}”的{field}“{text}”按 {value} 计分（计量单位 {unit}）",
         name="文字指标值", problem="指标值以文字填写、按其中的数值计分"),
    Rule("indicator.percent_scale", INDICATOR, WARNING, "百分数的年度指标值与实际完成值写法一致",
         "指标“{level3}”的年度指标值 {target} 与实际完成值 {actual} 相差约 100 倍（计量单位 %），"
         "疑似一处按小数（如 0.9）、一处按百分数（如 90）填写，请统一；现按所填数值计分为 {score}",
         name="百分数写法", problem="百分数指标的年度指标值与实际完成值写法不一致"),
    Rule("indicator.actual_compared", INDICATOR, WARNING, "实际完成值填写实际达到的数，不带比较符号",
         "指标“{level3}”的实际完成值“{text}”带有比较符号，应填写实际达到的数值；现按 {value} 计分（计量单位 {unit}）",
         name="完成值带比较符", problem="实际完成值带有比较符号"),
    Rule("indicator.cost_over_spent", INDICATOR, WARNING, "成本指标不超过评价对象的全年执行数",
         "成本指标“{level3}”实际完成值 {actual}，超过{subject_name}全年执行数 {executed} 万元 {diff} 万元；"
         "成本不会多于实际支出，请核对数值或计量单位",
         name="成本超过支出", problem="成本指标超过实际支出"),
    Rule("indicator.execution_twice", INDICATOR, WARNING, "预算执行率不作为绩效指标重复计分",
         "指标“{level3}”与评分方案单列计分的预算执行率（{weight} 分）重复，{subject_name}的预算执行率被计分两次；"
         "请删除该指标，或将其分值并入其他指标",
         name="执行率重复计分", problem="预算执行率作为绩效指标重复计分"),
    Rule("indicator.level2_time", INDICATOR, HINT, "时间要求的指标列在时效指标下",
         "指标“{level3}”的年度指标值“{target}”是时间要求，却列在“{level2}”下，是否应列为“时效指标”",
         name="时效指标归类", problem="时间要求的指标未列在时效指标下"),
    Rule("indicator.degenerate_target", INDICATOR, HINT, "比率的目标可以达到，并能区分完成好坏",
         "指标“{level3}”的年度指标值为 ≥{target}%，{problem}；建议设定可衡量的目标（如 ≥95%）",
         name="比率目标", problem="比率指标的目标值为 ≥100% 或超过 100%"),
    # --- 合理性 -------------------------------------------------------------------------------
    Rule("plausibility.overspent", PLAUSIBILITY, WARNING, "全年执行数不超过全年预算数",
         "“{what}”全年执行数 {executed} 万元超过全年预算数 {budget} 万元，超出 {diff} 万元",
         name="超预算执行", problem="全年执行数超过全年预算数"),
    Rule("plausibility.negative", PLAUSIBILITY, ERROR, "金额不为负数",
         "“{what}”{column}为负数 {value} 万元",
         name="负数金额", problem="金额为负数"),
    Rule("plausibility.decimals", PLAUSIBILITY, HINT, "金额以万元计，精确到元（最多四位小数）",
         "“{what}”{column}为 {value} 万元，超过四位小数（不足 1 元），请核实是否以万元为单位",
         name="金额小数位", problem="金额精确到元以下（可能未以万元为单位）"),
    Rule("plausibility.no_budget", PLAUSIBILITY, WARNING, "有全年预算数才能计算预算执行率",
         "{subject_name}{budget_label}为 {budget}（全年执行数 {executed}），无法计算预算执行率，执行率记 0 分",
         name="无预算数", problem="没有全年预算数、无法计算预算执行率"),
    Rule("plausibility.year", PLAUSIBILITY, ERROR, "年度已填写且合理",
         "部门信息的年度{problem}",
         name="年度", problem="年度未填写或不合理"),
    Rule("plausibility.unit_code", PLAUSIBILITY, ERROR, "单位编码已填写",
         "部门信息的单位编码未填写，县级汇总无法识别本单位",
         name="单位编码", problem="单位编码未填写"),
    Rule("plausibility.scope", PLAUSIBILITY, ERROR, "填报范围为“部门整体和项目”或“仅项目”",
         "部门信息的填报范围“{value}”无效，应为 {allowed}（按部门整体和项目校验）",
         name="填报范围", problem="填报范围填写无效"),
    Rule("plausibility.count", PLAUSIBILITY, ERROR, "人数、机构数为不小于 0 的整数",
         "部门信息的“{field}”为 {value}，人数和机构数不能为负数，请填写实际数",
         name="人数", problem="部门信息的人数或机构数为负数"),
    Rule("plausibility.staff_sum", PLAUSIBILITY, WARNING, "编制人数、实有人数与分类人数之和一致",
         "部门信息的“{total_label}”为 {total}，而{kinds}为 {parts}，请核实",
         name="人数合计", problem="部门信息的人数合计与分类人数之和不符"),
    Rule("plausibility.required", PLAUSIBILITY, ERROR, "必填项已填写",
         "{sheet}的“{field}”为必填项，未填写{where}",
         name="必填项", problem="必填项未填写"),
    Rule("plausibility.hidden_characters", PLAUSIBILITY, WARNING, "文字中没有不可见的控制字符",
         "单元格中有不可见的控制字符（多由复制粘贴带入），已按 Excel 的写法显示为“{shown}”，请删除后重新保存",
         name="不可见字符", problem="文字中夹有不可见的控制字符"),
    Rule("plausibility.duplicate_project", PLAUSIBILITY, ERROR, "项目编码不重复",
         "项目编码“{code}”重复（另见 {other}），指标无法对应到唯一项目",
         name="项目编码重复", problem="项目编码重复"),
    Rule("plausibility.problem_subject", PLAUSIBILITY, WARNING, "问题与措施的评价对象是部门整体或已列项目",
         "评价对象“{subject}”既不是“部门整体”，也不是项目支出表中的项目编码，这一行不会列入任何自评表",
         name="问题的评价对象", problem="问题与措施的评价对象既不是部门整体，也不是所列项目"),
    Rule("plausibility.unit_in_cell", PLAUSIBILITY, HINT, "数字单元格只填数字，不带单位",
         "{problem}，建议只填数字",
         name="数字带单位", problem="数字单元格中带有单位"),
    Rule("plausibility.text_in_number", PLAUSIBILITY, ERROR, "数字单元格填写数字",
         "{problem}，按空白处理",
         name="数字格填文字", problem="数字单元格中填写了文字"),
    Rule("plausibility.placeholder", PLAUSIBILITY, WARNING, "模板说明文字已替换为实际内容",
         "仍是模板的填写说明“{text}”，请改为实际内容",
         name="填写说明未替换", problem="模板的填写说明文字未替换为实际内容"),
    Rule("plausibility.no_department_indicators", PLAUSIBILITY, WARNING, "部门整体设置了绩效指标",
         "未设置评价对象为“部门整体”的绩效指标，部门整体只有预算执行率得分，不评定等级",
         name="部门整体无指标", problem="部门整体未设置绩效指标"),
    Rule("plausibility.no_indicators", PLAUSIBILITY, HINT, "项目设置了绩效指标",
         "项目“{name}”未设置绩效指标，只计算预算执行率，不评定等级",
         name="项目无指标", problem="项目未设置绩效指标"),
    Rule("plausibility.goal_sum", PLAUSIBILITY, WARNING, "目标文字中写明的算式成立",
         "{where}中的“{text}”：{parts} 之和为 {total}，不是 {stated}",
         name="目标数字合计", problem="目标文字中的算式不成立"),
)

TEMPLATE_CHECKS: dict[str, str] = {
    "balance.income": "合计行即求和公式",
    "balance.function": "合计行即求和公式",
    "balance.economic": "合计行即求和公式",
    "balance.structure": "合计行即求和公式",
    "balance.basic": "合计行即求和公式",
    "balance.sangong": "合计行即求和公式",
    "balance.views": "收支情况“校验”列",
    "cross.projects_total": "收支情况“校验”列（项目支出行）",
    "cross.project_sources": "项目支出“校验”列",
    "indicator.subject": "绩效指标“校验”列",
    "indicator.weight": "绩效指标“校验”列",
    "indicator.weight_total": "项目支出“校验”列、评分汇总",
    "indicator.direction": "绩效指标“校验”列",
    "indicator.quantitative": "绩效指标“校验”列",
    "indicator.deviation": "绩效指标“校验”列",
    "indicator.overachieved": "绩效指标“校验”列",
    "indicator.cached_score": "绩效指标“得分核对”列（不计入校验未通过数）",
    "indicator.qualitative_grade": "绩效指标“校验”列",
    "indicator.qualitative_band": "绩效指标“校验”列",
    "indicator.nature": "绩效指标“校验”列",
    "indicator.printed_execution": "部门信息、项目支出“校验”列",
    "indicator.printed_rate": "部门信息、项目支出“校验”列",
    "indicator.printed_weight": "部门信息、项目支出“校验”列",
    "indicator.printed_total": "部门信息、项目支出“校验”列",
    "indicator.execution_twice": "绩效指标“校验”列",
    "indicator.cost_over_spent": "绩效指标“校验”列",
    "plausibility.overspent": "收支情况、项目支出“校验”列",
    "plausibility.negative": "收支情况、项目支出“校验”列",
    "plausibility.decimals": "收支情况、项目支出“校验”列",
    "plausibility.no_budget": "评分汇总",
    "plausibility.year": "部门信息“校验”列",
    "plausibility.unit_code": "部门信息“校验”列",
    "plausibility.scope": "部门信息“校验”列",
    "plausibility.required": "部门信息、项目支出、绩效指标“校验”列",
    "plausibility.duplicate_project": "项目支出“校验”列",
    "plausibility.no_department_indicators": "评分汇总",
    "plausibility.no_indicators": "项目支出“校验”列",
}
"""Rules the template also checks by its own formulas (rule id → where the result shows), so an
accountant sees them as they type with no Python; every other rule only xlsuite checks. The
formula compiler (``xlsuite.template.formulas``) implements exactly these, a test holds it to
that, and ``docs/rules.md`` shows the column."""

_BY_ID = {r.id: r for r in RULES}
assert len(_BY_ID) == len(RULES), "duplicate rule id"
assert len({r.label for r in RULES}) == len(RULES), "duplicate rule name"


def rule(rule_id: str) -> Rule:
    return _BY_ID[rule_id]


LONGEST_ID = max((r.id for r in RULES), key=len)
"""The id a 规则编号 column must hold on one line (writers size the column for it)."""


def rule_label(rule_id: str) -> str:
    """The Chinese label of ``rule_id`` (``表间核对·项目合计``); an id no longer in the catalogue
    (a summary written by another version) shows as itself."""
    found = _BY_ID.get(rule_id)
    return found.label if found is not None else rule_id


def render_rules_markdown() -> str:
    """The rule table of ``docs/rules.md``, generated from ``RULES``."""
    lines = [
        "# 校验规则（Validation rules）",
        "",
        "<!-- 本文件由 `python -m xlsuite.core.validation` 从 xlsuite/core/validation/catalogue.py 生成，"
        "请勿手工修改。 -->",
        "",
        "严重程度：**错误** 必须改正；**警告** 请核实，确有原因可保留；**提示** 仅供参考。",
        "同一处不符出现在几个金额列时只报一项，消息列出每一不符的列。",
        "消息中的 `{…}` 在校验时替换为具体数值（金额以万元计，保留两位小数，带“万元”；比率带“%”）和名称。",
        "“模板公式核对”：模板自身用普通公式核对该规则（Excel、WPS、LibreOffice 均可，无需 Python），"
        "结果显示在所列位置并计入“校验未通过数”；“否”表示只有 xlsuite（校验按钮或县级汇总）核对。",
        "",
    ]
    for family in FAMILIES:
        lines += [f"## {family}", "", "| 规则 | 规则编号 | 严重程度 | 要求 | 模板公式核对 | 消息 |",
                  "|---|---|---|---|---|---|"]
        for r in RULES:
            if r.family == family:
                template = r.template
                if r.per_column:
                    template += ("<br>`{columns}`：不符的每一金额列（数字相同的列合并列出），"
                                 f"每列为“{r.per_column}”")
                template = template.replace("|", "\\|")
                where = f"是：{TEMPLATE_CHECKS[r.id]}" if r.id in TEMPLATE_CHECKS else "否（仅 xlsuite 校验）"
                lines.append(f"| {r.label} | `{r.id}` | {r.severity} | {r.title} | {where} | {template} |")
        lines.append("")
    return "\n".join(lines)


def rules_doc_path() -> Path:
    """``docs/rules.md`` of the source tree this package sits in."""
    return Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def main(argv: list[str] | None = None) -> int:
    """Write the rule table to ``docs/rules.md`` (or to the path given)."""
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else rules_doc_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_rules_markdown(), "utf-8")
    print(path)
    return 0
