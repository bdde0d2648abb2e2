"""``xlsuite score``: write a scored copy of a workbook with the official forms."""

from __future__ import annotations

from .common import add_command, add_force, check_output


def register(sub) -> None:
    p = add_command(
        sub, "score", help="评分并生成自评表（写入新的工作簿，不修改原文件）",
        description="按评分方案为部门整体和各项目评分，生成新的工作簿：原有内容不变，填写“绩效指标”的得分列，\n"
                    "并加入 部门整体自评表、项目自评表（A4 打印，每个项目一页）和 校验结果（可跳转到单元格）。\n"
                    "默认输出到原文件旁的 <文件名>-评分.xlsx；不会覆盖原文件，也不会替换不是 xlsuite 生成的已有文件（除非加 --force）。",
        examples=["xlsuite score 永昌县工信局-2021.xlsx",
                  "xlsuite score 永昌县工信局-2021.xlsx -o 评分结果/工信局-评分.xlsx"])
    p.add_argument("book", metavar="BOOK", help="工作簿文件（.xlsx/.xlsm）")
    p.add_argument("-o", "--output", metavar="OUT", default=None,
                   help="输出文件或文件夹（默认：原文件旁的 <文件名>-评分.xlsx）")
    p.add_argument("--profile", metavar="TOML", default=None, help="评分方案文件（默认：工作簿模板记录的方案，没有记录时用全国通用方案）")
    add_force(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..core import contract as c
    from ..core.amounts import money
    from ..core.profile import load_profile
    from ..core.validation import SEVERITIES
    from ..forms.scored_book import output_path, score_workbook

    target = check_output(output_path(args.book, args.output), args.force)
    result = score_workbook(args.book, target, load_profile(args.profile) if args.profile else None)
    score = result.score
    dept = score.department
    evaluation = result.evaluation
    print(f"已生成评分工作簿：{result.path}")
    print(f"评分方案：{score.profile}")
    if evaluation.book.projects_only:
        print(f"填报范围：{c.SCOPE_PROJECTS}（不评价部门整体）")
    else:
        print(f"部门整体：{money(dept.total)} 分，等级 {dept.grade or '未评定'}")
    for p in score.projects:
        shown = f"{money(p.total)} 分，等级 {p.grade}" if p.grade else f"{c.NOT_RATED}，预算执行率得分 {money(p.total)} 分"
        print(f"  项目 {p.code} {p.name}：{shown}")
    printed = list(evaluation.printed)
    for total in evaluation.printed_totals:
        print(f"自评得分：{total.sentence({p.code: p.name for p in evaluation.book.projects})}")
    _print_printed(printed, evaluation.profile.name)
    counts = "，".join(f"{s} {sum(1 for f in result.findings if f.severity == s)} 项"
                      for s in SEVERITIES)
    print(f"校验：{counts}（详见“{c.FINDINGS_SHEET}”工作表）")
    return 0


def _print_printed(printed, profile_name: str) -> None:
    """The scoring report: each score the book prints beside the engine's, and why they differ."""
    from ..core import contract as c
    from ..core.amounts import number
    from ..core.scoring.reconcile import summary

    if not printed:
        return
    print(f"{c.SCORE_CHECK_SHEET}：{summary(printed, profile_name)}（详见“{c.SCORE_CHECK_SHEET}”工作表）")
    for p in printed:
        where = p.cell if p.cell is not None else ""
        mark = "一致" if p.agrees else f"不一致：{p.explanation}"
        print(f"  {where} {p.subject} {p.what}：文件 {number(p.printed)}，重新计算 {number(p.engine)}，{mark}")
