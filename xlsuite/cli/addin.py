"""``xlsuite addin install|remove|status``: the 绩效自评 ribbon add-in in Excel's start-up folder."""

from __future__ import annotations

from .common import add_command


def register(sub) -> None:
    p = add_command(
        sub, "addin", help="安装、卸载或查看 Excel 加载项（“绩效自评”选项卡）",
        description="把 xlsuite 加载项 xlsuite.xlam 安装到本用户的 Excel 启动文件夹（XLSTART），"
                    "Excel 每次启动时自动打开，功能区出现“绩效自评”选项卡（校验 / 评分 / 生成自评表 / 生成报告）。\n"
                    "按钮通过 xlwings 加载项调用 Python，因此还需运行一次：xlwings addin install",
        examples=["xlsuite addin install", "xlsuite addin status", "xlsuite addin remove"])
    p.add_argument("action", choices=("install", "remove", "status"), metavar="操作",
                   help="install 安装 / remove 卸载 / status 查看")
    p.add_argument("--dir", metavar="DIR", help="安装到此文件夹，而不是 Excel 启动文件夹")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..excel import addin

    if args.action == "install":
        path = addin.install(args.dir)
        print(f"加载项已安装：{path}")
        print("请重新启动 Excel；如尚未安装 xlwings 加载项，请运行：xlwings addin install")
    elif args.action == "remove":
        path = addin.remove(args.dir)
        print(f"加载项已卸载：{path}" if path else "加载项未安装，无需卸载。")
    else:
        path, present = addin.status(args.dir)
        print(f"加载项已安装：{path}" if present else f"加载项未安装；安装位置将是：{path}")
    return 0
