"""``xlsuite addin install|remove|status``: the 绩效自评 ribbon add-in in Excel's start-up folder."""

from __future__ import annotations

import sys

from .common import add_command

DLL_UNREACHABLE = 3
"""Exit code of ``addin install`` when the add-in is in place but worksheet functions will not
load xlwings' DLL (安装.bat tells the user, and goes on: the buttons work)."""


def register(sub) -> None:
    p = add_command(
        sub, "addin", help="安装、卸载或查看 Excel 加载项（“绩效自评”选项卡）",
        description="把 xlsuite 加载项 xlsuite.xlam 安装到本用户的 Excel 启动文件夹（XLSTART），"
                    "Excel 每次启动时自动打开，功能区出现“绩效自评”选项卡（校验 / 评分 / 生成自评表 / 生成报告）。\n"
                    "按钮通过 xlwings 加载项调用 Python，因此还需运行一次：xlwings addin install\n"
                    "在 Windows 上，install 还把运行本命令的 Python 写入 xlwings 的用户设置（INTERPRETER_WIN），"
                    "并检查工作表函数所需的 xlwings DLL 能否被找到；找不到时退出码为 3。",
        examples=["xlsuite addin install", "xlsuite addin install --profile 省评分方案.toml",
                  "xlsuite addin install --dir 加载项文件夹 --server http://10.1.2.3:8765",
                  "xlsuite addin status", "xlsuite addin remove"])
    p.add_argument("action", choices=("install", "remove", "status"), metavar="操作",
                   help="install 安装 / remove 卸载 / status 查看")
    p.add_argument("--dir", metavar="DIR", help="安装到此文件夹，而不是 Excel 启动文件夹")
    p.add_argument("--profile", metavar="TOML",
                   help="与 install 一起用：把本县评分方案复制到加载项旁并设为按钮和工作表函数的评分方案"
                        "（优先于工作簿记录的方案）")
    p.add_argument("--server", metavar="URL",
                   help="与 install 一起用：让按钮调用县里的 xlsuite 服务（如 http://10.1.2.3:8765），"
                        "本机不需要 Python")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..core.errors import InputError
    from ..core.profile import load_profile
    from ..excel import addin, interpreter, settings

    if args.profile and args.action != "install":
        raise InputError(None, "--profile 只能与 install 一起使用")
    if args.server and args.action != "install":
        raise InputError(None, "--server 只能与 install 一起使用")
    if args.action == "install":
        if args.profile:
            load_profile(args.profile)  # a broken profile stops the install before anything is written
        path = addin.install(args.dir)
        print(f"加载项已安装：{path}")
        if args.profile:
            profile = settings.install_profile(path.parent, args.profile)
            print(f"评分方案已设置：{profile.name}（{path.parent / settings.SETTINGS_FILE}）")
        if args.server:
            url = settings.install_server(path.parent, args.server)
            print(f"按钮将调用县里的 xlsuite 服务：{url}（{path.parent / settings.SETTINGS_FILE}）")
        print("请重新启动 Excel；如尚未安装 xlwings 加载项，请运行：xlwings addin install")
        if sys.platform.startswith("win"):
            return _set_interpreter()
    elif args.action == "remove":
        path = addin.remove(args.dir)
        print(f"加载项已卸载：{path}" if path else "加载项未安装，无需卸载。")
        this = interpreter.this_python()
        if sys.platform.startswith("win") and interpreter.forget_interpreter(interpreter.user_config_file(), this):
            print(f"已从 xlwings 设置中删除本 Python：{this}")
    else:
        path, present = addin.status(args.dir)
        print(f"加载项已安装：{path}" if present else f"加载项未安装；安装位置将是：{path}")
        chosen = settings.chosen_profile(path.parent, None, None)
        print(f"评分方案：{chosen.name}（{path.parent / settings.SETTINGS_FILE}）" if chosen else
              "评分方案：未设置，按工作簿记录的方案（没有记录时用全国通用方案）")
    return 0


def _set_interpreter() -> int:
    """Point xlwings at this Python and say whether its DLL is where xlwings looks."""
    from ..excel import interpreter

    setting = interpreter.current_setting()
    config = interpreter.write_interpreter(interpreter.user_config_file(), setting.interpreter)
    print(f"按钮和工作表函数使用的 Python：{setting.interpreter}（已写入 xlwings 设置 {config}）")
    print(setting.report())
    return 0 if setting.dll_reachable else DLL_UNREACHABLE
