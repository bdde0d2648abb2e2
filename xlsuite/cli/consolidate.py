"""``xlsuite consolidate``: many departments' workbooks into one county summary."""

from __future__ import annotations

from .common import add_command, add_force, check_output


def register(sub) -> None:
    p = add_command(sub, "consolidate", help="汇总多个单位的工作簿，生成县级汇总表",
                    description="读取文件夹（含子文件夹）中的全部 .xlsx/.xlsm 工作簿，逐一校验并按评分方案重新评分，\n"
                                "生成一个县级汇总工作簿。无法读取或重复的文件列在“未纳入汇总”工作表中，不会中断汇总；\n"
                                "xlsuite 自己生成的文件（以前的汇总表、审核意见、内容相同的 -评分 副本）跳过，不计为报送。\n"
                                "汇总表不会覆盖任何报送的工作簿，也不会替换不是 xlsuite 生成的已有文件（除非加 --force）。\n"
                                "用 --feedback 为有错误或文件未纳入汇总的单位各生成一份审核意见，\n"
                                "发回单位改正后重新报送。",
                    examples=['xlsuite consolidate 报送材料 -o 县级汇总-2021.xlsx --roster 名册.csv',
                              'xlsuite consolidate 报送材料 -o 汇总.xlsx --duplicates newest --feedback 审核意见 '
                              '--contact "绩效股 张三 0935-1234567" --deadline 2022-04-15',
                              'xlsuite consolidate "D:\\绩效自评\\2021 报送" -o 汇总.xlsx --workers 2'])
    p.add_argument("paths", nargs="+", metavar="PATH", help="工作簿文件或文件夹（可多个）")
    p.add_argument("-o", "--output", required=True, metavar="SUMMARY.xlsx", help="汇总表文件")
    p.add_argument("--roster", metavar="FILE", help="单位名册（CSV 或 Excel，含“单位编码”列），用于核对未报送单位")
    p.add_argument("--profile", metavar="FILE", help="评分方案文件，用于所有工作簿（默认：各工作簿模板记录的方案，没有记录时用全国通用方案）")
    p.add_argument("--workers", type=int, metavar="N", help="并行进程数，1 到 CPU 核数（默认 CPU 核数，最多 4）")
    p.add_argument("--county", metavar="NAME", help="县（区）名称，用于标题（默认从单位名称推断）")
    p.add_argument("--duplicates", choices=("none", "newest"), default="none",
                   help="同一单位报送多份工作簿时：none 均不纳入并列出（默认）；newest 采用“部门信息”填报日期最新的一份"
                        "（未填时按文件修改时间），其余列为“已有新版本”")
    add_feedback_options(p, "--feedback", "DIR", "为有错误或文件未纳入汇总的单位各生成一份审核意见（.xlsx）到此文件夹")
    add_force(p)
    p.set_defaults(func=run)


def add_feedback_options(p, flag: str, metavar: str, text: str) -> None:
    """The options ``consolidate`` and ``feedback`` share (named as the API's arguments)."""
    if flag.startswith("-"):
        p.add_argument(flag, metavar=metavar, help=text)
    p.add_argument("--feedback-all", action="store_true", help="只有警告的单位也生成审核意见")
    p.add_argument("--contact", default="", metavar="TEXT", help="审核意见上印的县财政局联系人和电话")
    p.add_argument("--deadline", default="", metavar="DATE", help="审核意见上印的重新报送截止日期")


def run(args) -> int:
    from ..county import consolidate
    from .progress import county_run

    output = check_output(args.output, args.force)
    with county_run() as bar:
        result = consolidate(args.paths, output, roster=args.roster, profile=args.profile,
                             workers=args.workers, progress=bar, county=args.county,
                             duplicates=args.duplicates, feedback=args.feedback,
                             feedback_all=args.feedback_all, contact=args.contact, deadline=args.deadline)
    report(result)
    return 0


def report(result) -> None:
    """What a county accountant needs to know after a run, in a few lines."""
    from ..county.headers import MISSING, NOT_ON_ROSTER, REJECTED, RETURNS

    print(f"汇总表已生成：{result.output}")
    # No year when no book was included (every file rejected): no "年度" with nothing before it.
    scope = f"{result.county}{result.year}年度" if result.year else (result.county or "本次汇总")
    print(f"{scope}：收到工作簿 {result.received} 个，纳入汇总 {len(result.departments)} 个单位。")
    if result.rejected_count:
        print(f"未纳入汇总 {result.rejected_count} 个文件，原因见汇总表“{REJECTED}”工作表。")
    if result.own_count:
        print(f"跳过 {result.own_count} 个 xlsuite 生成的文件（以前的汇总表、审核意见或评分副本），不计为报送。")
    if others := result.skipped_count - result.own_count:
        print(f"跳过 {others} 个非工作簿文件（如 Excel 临时锁定文件 ~$…），"
              f"也列在“{REJECTED}”中。")
    if result.roster:
        print(f"名册 {len(result.roster)} 个单位，其中 {len(result.missing)} 个未纳入汇总，"
              f"见“{MISSING}”工作表；另有 {len(result.unlisted)} 个报送的文件其单位不在名册中，"
              f"见“{NOT_ON_ROSTER}”工作表。")
    if result.feedback:
        print(f"已为 {len(result.feedback)} 个单位生成审核意见，在 {result.feedback[0].parent}，"
              f"名单见“{RETURNS}”工作表。")
    elif result.returns:
        print(f"{len(result.returns)} 个单位应退回修改，名单见“{RETURNS}”工作表"
              "（加 --feedback 文件夹 可为每个单位生成审核意见）。")
