"""``xlsuite report``: draft the 部门整体支出预算绩效自评报告 (.docx) from a workbook, or with
``--county`` the county's summary report from a consolidation summary."""

from __future__ import annotations

import sys

from ..core.errors import InputError
from .common import add_command, add_force, check_output


def register(sub) -> None:
    p = add_command(
        sub, "report", help="根据工作簿生成部门整体支出预算绩效自评报告（Word），或根据县级汇总表生成汇总报告",
        description="读取一个已填写的标准工作簿，评分，并生成自评报告初稿（.docx）：\n"
                    "正文六部分的数字全部取自工作簿，附件为部门整体和项目支出绩效自评表。\n"
                    "用 --county 汇总表 则根据 xlsuite consolidate 生成的县级汇总表生成县级汇总报告：\n"
                    "报送、纳入、未纳入和未报送单位数，等级分布，得分最低的部门和项目，最常见的审核问题。\n"
                    "输入文件本身不会被修改。报告版式来自 Word 模板，可用 --template 指定修改过样式的模板。",
        examples=["xlsuite report workbook_templates/samples/永昌县工信局-2021.xlsx -o 自评报告.docx",
                  "xlsuite report --county 县级汇总-2021.xlsx -o 汇总报告.docx",
                  "xlsuite report 永昌县工信局-2021.xlsx --template workbook_templates/自评报告模板.docx"])
    p.add_argument("book", metavar="BOOK", nargs="?", help="工作簿文件（与 --county 二选一）")
    p.add_argument("--county", metavar="SUMMARY.xlsx",
                   help="县级汇总表（xlsuite consolidate 的输出）：生成县级汇总报告")
    p.add_argument("-o", "--output", metavar="REPORT.docx",
                   help="报告文件（默认：输入文件旁的 文件名-自评报告.docx 或 文件名-汇总报告.docx）")
    p.add_argument("--template", metavar="TEMPLATE.docx",
                   help="报告模板（默认：内置模板，与 workbook_templates/自评报告模板.docx 相同）")
    p.add_argument("--profile", metavar="PROFILE.toml", help="评分方案文件（默认：工作簿模板记录的方案，没有记录时用全国通用方案；不用于 --county）")
    p.add_argument("--no-signature", dest="signature", action="store_false",
                   help="正文末尾不加落款（默认加：单位名称和日期，汇总报告为县财政局和日期）")
    add_force(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if (args.book is None) == (args.county is None):
        raise InputError(None, "请给出一个工作簿，或用 --county 给出县级汇总表（二者选一）")
    if args.county is not None:
        from ..report import default_county_report_path, write_county_report

        if args.profile:
            raise InputError(None, "--county 汇总报告沿用汇总时的评分结果，不接受 --profile")
        out = check_output(args.output or default_county_report_path(args.county), args.force)
        path = write_county_report(args.county, out, template=args.template, signature=args.signature)
        print(f"县级汇总报告已生成：{path}")
        return 0
    from ..core.errors import ContractError
    from ..report import default_report_path, write_book_report

    out = check_output(args.output or default_report_path(args.book), args.force)
    try:
        path, evaluation = write_book_report(args.book, out, template=args.template,
                                             profile=args.profile, signature=args.signature)
    except ContractError:
        _not_a_book(args.book)
        raise
    print(f"自评报告已生成：{path}")
    errors = evaluation.errors
    if errors:
        print(f"注意：工作簿有 {len(errors)} 个校验错误，报告按工作簿原样引用数字，请核对后修正工作簿"
              f"（第一个：{errors[0].location} {errors[0].message}）", file=sys.stderr)
    return 0


def _not_a_book(path: str) -> None:
    """Raise a clearer error when ``path`` is one of xlsuite's own outputs, not a department's book."""
    from ..county.own_files import SUMMARY, generated_kind

    kind = generated_kind(path)
    if kind == SUMMARY:
        raise InputError(path, f"这是 xlsuite consolidate 生成的县级汇总表，不是单位的工作簿；"
                               f"生成县级汇总报告请用：xlsuite report --county \"{path}\"")
    if kind:
        raise InputError(path, f"这是 xlsuite 生成的{kind}，不是单位的工作簿；请给出单位报送的工作簿")
