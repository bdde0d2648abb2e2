"""``xlsuite consolidate``: many departments' workbooks into one county summary."""

from __future__ import annotations

from .common import add_command


def register(sub) -> None:
    p = add_command(sub, "consolidate", help="汇总多个单位的工作簿，生成县级汇总表",
                    description="读取文件夹（含子文件夹）中的全部 .xlsx/.xlsm 工作簿，逐一校验并按评分方案重新评分，\n"
                                "生成一个县级汇总工作簿。无法读取或重复的文件列在“未纳入汇总”工作表中，不会中断汇总。",
                    examples=['xlsuite consolidate 报送材料 -o 县级汇总-2021.xlsx --roster 名册.csv',
                              'xlsuite consolidate "D:\\绩效自评\\2021 报送" -o 汇总.xlsx --workers 2'])
    p.add_argument("paths", nargs="+", metavar="PATH", help="工作簿文件或文件夹（可多个）")
    p.add_argument("-o", "--output", required=True, metavar="SUMMARY.xlsx", help="汇总表文件")
    p.add_argument("--roster", metavar="FILE", help="单位名册（CSV 或 Excel，含“单位编码”列），用于核对未报送单位")
    p.add_argument("--profile", metavar="FILE", help="评分方案文件，用于所有工作簿（默认：各工作簿模板记录的方案，没有记录时用全国通用方案）")
    p.add_argument("--workers", type=int, metavar="N", help="并行进程数（默认 CPU 核数，最多 4）")
    p.add_argument("--county", metavar="NAME", help="县（区）名称，用于标题（默认从单位名称推断）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..county import consolidate
    from .progress import county_run

    with county_run() as bar:
        result = consolidate(args.paths, args.output, roster=args.roster, profile=args.profile,
                             workers=args.workers, progress=bar, county=args.county)
    report(result)
    return 0


def report(result) -> None:
    """What a county accountant needs to know after a run, in a few lines."""
    from ..county.headers import MISSING, REJECTED

    print(f"汇总表已生成：{result.output}")
    # No year when no book was included (every file rejected): no "年度" with nothing before it.
    scope = f"{result.county}{result.year}年度" if result.year else (result.county or "本次汇总")
    print(f"{scope}：收到工作簿 {result.received} 个，纳入汇总 {len(result.departments)} 个单位。")
    if result.rejected_count:
        print(f"未纳入汇总 {result.rejected_count} 个文件，原因见汇总表“{REJECTED}”工作表。")
    if result.skipped_count:
        print(f"跳过 {result.skipped_count} 个非工作簿文件（如 Excel 临时锁定文件 ~$…），"
              f"也列在“{REJECTED}”中。")
    if result.roster:
        print(f"名册 {len(result.roster)} 个单位，其中 {len(result.missing)} 个未纳入汇总，"
              f"见“{MISSING}”工作表。")
