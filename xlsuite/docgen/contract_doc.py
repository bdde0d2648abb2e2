"""Render the workbook contract as Markdown (docs/workbook-contract.md), from the contract itself.

    python -m xlsuite.docgen.contract_doc > docs/workbook-contract.md

A test compares the committed file with this output, so the docs cannot drift from the code.
"""

from __future__ import annotations

from ..core import contract as c
from ..core.profile import load_profile

_KINDS = {"text": "文本", "money": "金额（万元，两位小数）", "int": "整数", "number": "数值", "percent": "百分比",
          "value": "数值或文本"}


_COMPUTED = {
    "computed_score": "按评分方案计算的指标得分；定量指标的年度指标值或实际完成值不是数值时显示“请核对指标值”",
    "score_check": "填报的“得分”与计算得分不一致、定性得分不在等级区间内、未选方向等时给出提示",
    "execution_score": "预算执行率得分（全年执行数（合计）/ 全年预算数（合计），按评分方案计分）",
    "self_score": "预算执行得分 + 该项目各指标的计算得分",
    "self_grade": "按评分方案的等级线评定的等级；项目没有指标时为空",
    "checks": "本行未通过的校验规则，每条写作“【规则名称】要求；”（收支情况只写“【规则名称】”；规则名称和编号见 rules.md，其“模板公式核对”列），计入校验未通过数",
}
"""What each computed column holds, for the contract page."""
_HELPERS = {
    "score_value": "“得分”按读取规则取得的数值（「9分」即 9）；不是数值时为空",
    "valid_weight": "“分值”为 0–100（不含 0）之间的数值时为该分值，否则为空",
    "direction_code": "“方向”的代码：定性 1、≥ 2、≤ 3、= 4，其他文字 0，未填为空",
    "score_band": "得分所在的定性等级代码（按评分方案的等级顺序，1 为最高；不在任何区间为 0）",
    "scored_grade": "计分所用的定性等级代码：填了“定性等级”取其代码（不是方案中的等级为 0），未填取得分所在等级",
}
"""What each helper column holds, for the contract page."""


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def _since(version: str) -> str:
    return "" if version == c.V10 else f"v{version}"


def render_contract_markdown() -> str:
    out = [
        f"# 工作簿规范（Workbook contract）v{c.TEMPLATE_VERSION}",
        "",
        "<!-- 本文件由 `python -m xlsuite.docgen.contract_doc` 从 xlsuite/core/contract.py 生成，请勿手工修改。 -->",
        "",
        "每个单位每年填写一本标准工作簿。程序按**工作表名称**和**表头文字**识别数据，"
        "不依赖行列位置：可以插入行、隐藏列、调整列顺序，但请勿修改表头文字和工作表名称。",
        "",
        "## 工作表",
        "",
    ]
    sheets = [
        [c.README_SHEET, "填写说明", "否"],
        [c.INFO_SHEET, "单位基本信息（项目—内容两列）", "是"],
        [c.BUDGET_SHEET, "收支情况，固定科目行", "是"],
        [c.PROJECT_SHEET, "项目支出，每个项目一行", "是"],
        [c.INDICATOR_SHEET, "绩效指标，每个指标一行", "是"],
        [c.PROBLEM_SHEET, "存在问题和改进措施", "是"],
        [c.WORK_SHEET, f"年度主要工作完成情况，每个工作主题一行（v{c.V12}；自评报告写入部门基本情况）", "否"],
        [c.SUMMARY_SHEET, "公式：部门整体得分和等级、校验未通过数（读取时忽略）", "否"],
        [c.META_SHEET, "隐藏：模板版本、评分记录", "否（缺少时视为 v1）"],
        [c.LISTS_SHEET, "隐藏：下拉列表来源", "否"],
    ]
    out += _table(["工作表", "内容", "必需"], sheets)
    out += ["", f"金额以万元为单位，绝对值须小于 {c.MAX_AMOUNT:.0E}（万元）；超出的视为填写错误，读取时指出单元格。",
            "", "数字单元格（金额、分值、得分）带规范单位的（如金额“150万”“150万元”、分值“10分”）按其中的数字读取并给出提示；"
            "其他文字按空白读取并报告错误，工作簿其余内容照常读取和校验。",
            "", f"**大小上限**（命令行、Excel/WPS 按钮和县财政局服务器一律如此，超出的在处理之前即拒绝，"
                f"并说明原因）：每张读取的工作表的已用区域不超过 {c.MAX_SHEET_ROWS:,} 行 × "
                f"{c.MAX_SHEET_COLUMNS} 列，即项目、指标各不超过约 {c.MAX_SHEET_ROWS:,} 个；"
                f"每个单元格的文字不超过 {c.MAX_CELL_TEXT:,} 字（Excel 的上限）。",
            "", f"下表“新增于”一栏标 v{c.V11}、v{c.V12} 的行和列是该版本增加的，均非必填；"
            "更早版本的工作簿没有它们，照常读取，读取和评分结果不变。"]
    out += ["", f"## {c.INFO_SHEET}", "", f"表头：“{c.INFO_LABEL_HEADER}”“{c.INFO_VALUE_HEADER}”。", ""]
    out += _table(["项目", "类型", "必填", "下拉选项", "新增于"],
                  [[f.label, _KINDS[f.kind], "是" if f.required else "", "、".join(f.choices), _since(f.since)]
                   for f in c.INFO_FIELDS])
    out += ["", f"填报范围可选：{'、'.join(c.SCOPES)}（空白视为{c.SCOPE_FULL}）。填“{c.SCOPE_PROJECTS}”的工作簿"
            f"可以没有“{c.BUDGET_SHEET}”表，也不做部门整体的校验和评价。"]
    out += ["", f"单位类型可选：{'、'.join(c.UNIT_TYPES)}。", "", f"## {c.BUDGET_SHEET}", "",
            "列：" + "、".join(col.header for col in c.BUDGET_COLUMNS) + "。合计行是 SUM 公式。"
            f"最右的“{c.CHECKS_COLUMN.header}”列（{c.INFO_SHEET}表同样）是公式：{_COMPUTED['checks']}。", ""]
    rows = []
    for r in c.budget_rows():
        parts = "、".join(c.budget_row(k).code or c.budget_row(k).name for k in r.total_of)
        rows.append([r.section, r.code, r.name, f"合计：{parts}" if r.is_total else "填写"])
    out += _table([*(c.budget_column(key).header for key in ("section", "code", "name")), "行"], rows)
    for sheet in c.TABLE_SHEETS:
        out += ["", f"## {sheet.name}", ""]
        if sheet is c.PROJECT_SHEET_DEF:
            out += [f"表头下第一行为“{c.PROJECT_TOTAL_LABEL}”行（SUM 公式），读取时跳过。", "",
                    "评分方案可增设资金来源（`[funds] extra_sources`，v1.1，如 财政专户管理资金、单位资金）："
                    "每个来源三列，表头为“年初预算数（来源）”“全年预算数（来源）”“全年执行数（来源）”，"
                    "紧接“其他资金”的三列之后；与其他来源一并合计为项目资金合计。读取时按表头识别，"
                    "三列缺一的不作为资金来源读取。", ""]
        if sheet is c.INDICATOR_SHEET_DEF:
            out += [f"评价对象填“{c.WHOLE_DEPARTMENT}”或项目编码。", ""]
        out += _table(["表头", "类型", "必填", "下拉选项", "新增于"],
                      [[col.header, _KINDS[col.kind], "是" if col.required else "", "、".join(col.choices),
                        _since(col.since)] for col in sheet.columns])
        if sheet.computed:
            out += ["", "以下各列是模板按评分方案生成的**公式**（随填随算，锁定、不需填写）；"
                        "读取和评分时忽略这些列，缺少它们的工作簿照常读取：", ""]
            out += _table(["表头", "类型", "内容"],
                          [[col.header, _KINDS[col.kind], _COMPUTED[col.key]] for col in sheet.computed])
        if sheet.helpers:
            out += ["", "其右还有以下**隐藏**的辅助列（锁定）：每行只算一次的中间值，供上面各列公式引用，"
                        "使每个公式远低于 Excel 的 8,192 字符上限；读取时同样忽略：", ""]
            out += _table(["表头", "类型", "内容"],
                          [[col.header, _KINDS[col.kind], _HELPERS[col.key]] for col in sheet.helpers])
    out += ["", f"## {c.SUMMARY_SHEET}", "",
            f"全部为公式：部门整体的预算执行得分、指标得分合计、自评得分和自评等级，以及校验未通过数。"
            f"工作簿名称 `{c.DEPARTMENT_SCORE_NAME}`、`{c.DEPARTMENT_GRADE_NAME}`、`{c.FAILED_CHECKS_NAME}` "
            "指向相应单元格。正式得分以 xlsuite 评分（批量汇总或“评分”按钮）为准，它从不采信这些公式的缓存值。"]
    profile = load_profile()
    out += ["", "## 指标层级（全国默认评分方案）", "",
            "一级、二级指标的下拉列表来自评分方案文件（xlsuite/profiles/national.toml）；"
            "二级指标只能选所选一级指标之下的名称。", ""]
    out += _table([c.INDICATOR_SHEET_DEF.column(key).header for key in ("level1", "level2")],
                  [[name, "、".join(profile.level2_names(name))] for name in profile.level1_names()])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_contract_markdown(), end="")
