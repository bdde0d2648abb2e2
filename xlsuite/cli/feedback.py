"""``xlsuite feedback``: the 审核意见 of each department, from a county summary written earlier."""

from __future__ import annotations

from .common import add_command
from .consolidate import add_feedback_options


def register(sub) -> None:
    p = add_command(sub, "feedback", help="根据县级汇总表，为每个需退回的单位生成审核意见",
                    description="读取 xlsuite consolidate 生成的县级汇总表，为有错误或文件未纳入汇总的单位各生成一份\n"
                                "审核意见工作簿（以单位名称命名）：单位和文件、每个问题的规则、说明和单元格位置、处理要求、\n"
                                "县财政局联系人和截止日期，可直接发回单位。汇总时也可用 consolidate --feedback 一并生成。",
                    examples=['xlsuite feedback 县级汇总-2021.xlsx -o 审核意见',
                              'xlsuite feedback 县级汇总-2021.xlsx -o 审核意见 --feedback-all '
                              '--contact "绩效股 张三 0935-1234567" --deadline 2022-04-15'])
    p.add_argument("summary", metavar="SUMMARY.xlsx", help="xlsuite consolidate 生成的县级汇总表")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="审核意见的输出文件夹")
    add_feedback_options(p, "", "", "")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..county.feedback import write_feedback

    written = write_feedback(args.summary, args.output, feedback_all=args.feedback_all,
                       contact=args.contact, deadline=args.deadline)
    if written:
        print(f"已为 {len(written)} 个单位生成审核意见，在 {written[0].parent}。")
    else:
        print("没有需要退回的单位（无错误，也没有未纳入汇总的文件）；未生成审核意见。")
    return 0
