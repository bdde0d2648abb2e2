"""``xlsuite demo``: generate a demo county and consolidate it."""

from __future__ import annotations

from .common import add_command


def register(sub) -> None:
    p = add_command(sub, "demo", help="生成演示县（约 60 个单位）并汇总",
                    description="在 DIR 中生成一个演示县：样例单位（永昌县工信局）和约 60 个模拟单位的工作簿、\n"
                                "单位名册（其中 2 个单位未报送，1 个报送了的单位漏列）以及几份有问题的文件（含一个报送了两版的单位\n"
                                "和一份 -评分 副本），然后汇总成县级汇总表，并在 DIR/审核意见 中为需退回的单位生成审核意见。",
                    examples=["xlsuite demo demo-county"])
    p.add_argument("folder", nargs="?", default="demo-county", metavar="DIR", help="输出文件夹（默认 demo-county）")
    p.add_argument("--seed", type=int, default=2021, help="随机种子（同一种子生成相同的演示县）")
    p.add_argument("--workers", type=int, metavar="N", help="并行进程数")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..demo.county import run_demo
    from .consolidate import report
    from .progress import county_run

    with county_run() as bar:
        county, result = run_demo(args.folder, args.seed, workers=args.workers, progress=bar)
    print(f"演示县已生成：{county.submissions}（{len(county.good) + len(county.bad)} 个文件），"
          f"单位名册：{county.roster}")
    report(result)
    print(f"用 Excel 或 WPS 打开 {result.output} 查看汇总；各工作表的含义见 docs/county-guide.md。")
    return 0
