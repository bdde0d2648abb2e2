"""``xlsuite report``: draft the 部门整体支出预算绩效自评报告 (.docx) from a workbook."""

from __future__ import annotations

import sys

from .common import add_command


def register(sub) -> None:
    p = add_command(
        sub, "report", help="根据工作簿生成部门整体支出预算绩效自评报告（Word）",
        description="读取一个已填写的标准工作簿，评分，并生成自评报告初稿（.docx）：\n"
                    "正文六部分的数字全部取自工作簿，附件为部门整体和项目支出绩效自评表。\n"
                    "工作簿本身不会被修改。报告版式来自 Word 模板，可用 --template 指定修改过样式的模板。",
        examples=["xlsuite report workbook_templates/samples/永昌县工信局-2021.xlsx -o 自评报告.docx",
                  "xlsuite report 永昌县工信局-2021.xlsx --template workbook_templates/自评报告模板.docx"])
    p.add_argument("book", metavar="BOOK", help="工作簿文件")
    p.add_argument("-o", "--output", metavar="REPORT.docx",
                   help="报告文件（默认：工作簿旁的 工作簿名-自评报告.docx）")
    p.add_argument("--template", metavar="TEMPLATE.docx",
                   help="报告模板（默认：内置模板，与 workbook_templates/自评报告模板.docx 相同）")
    p.add_argument("--profile", metavar="PROFILE.toml", help="评分方案文件（默认：全国通用方案）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..reader import read_book
    from ..report import write_report
    from ..validation import ERROR, validate_book

    path = write_report(args.book, args.output, template=args.template, profile=args.profile)
    print(f"自评报告已生成：{path}")
    errors = [f for f in validate_book(read_book(args.book)) if f.severity == ERROR]
    if errors:
        print(f"注意：工作簿有 {len(errors)} 个校验错误，报告按工作簿原样引用数字，请核对后修正工作簿"
              f"（第一个：{errors[0].location} {errors[0].message}）", file=sys.stderr)
    return 0
