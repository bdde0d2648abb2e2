"""``xlsuite bundle``: the offline install folder (``xlsuite.bundle.build_bundle``)."""

from __future__ import annotations

from .common import add_command


def register(sub) -> None:
    from ..bundle import DEFAULT_PYTHONS, NATIVE, WINDOWS_PLATFORM

    p = add_command(
        sub, "bundle", help="生成离线安装包（给信息管理员复制到各单位电脑）",
        description="生成一个离线安装文件夹：xlsuite 及全部依赖的安装文件（默认 Windows 64 位、"
                    "Python 3.11–3.13，含 pywin32）、加载项 xlsuite.xlam、模板/（空白模板、报告模板和填报样例）、"
                    "安装说明.txt、安装.bat 和 卸载.bat。\n"
                    "xlsuite 自身的安装文件由正在运行的源代码文件夹构建；从安装文件安装的 xlsuite 则用本机已安装的文件重新打包。\n"
                    "在单位电脑上双击 安装.bat 即安装到当前用户的 Python，不需要网络和管理员权限。\n"
                    f"生成时需要网络（或用 --find-links 和 --no-index 指定已有的安装文件）；--platform {NATIVE} "
                    "为本机生成。",
        examples=["xlsuite bundle -o xlsuite-安装包", "xlsuite bundle -o 安装包-py312 --python 3.12",
                  "xlsuite bundle -o 县服务器安装包 --with-pyodide",
                  "xlsuite bundle -o 安装包 --find-links 本地安装文件 --no-index"])
    p.add_argument("-o", "--output", metavar="DIR", default=None,
                   help="输出文件夹（须不存在或为空；默认 xlsuite-安装包-版本-平台）")
    p.add_argument("--platform", default=WINDOWS_PLATFORM, metavar="TAG",
                   help=f"目标平台（pip 的平台标记，默认 {WINDOWS_PLATFORM}；{NATIVE} 为本机）")
    p.add_argument("--python", nargs="+", default=list(DEFAULT_PYTHONS), metavar="VERSION", dest="pythons",
                   help="目标 Python 版本（默认 " + " ".join(DEFAULT_PYTHONS) + "）")
    p.add_argument("--find-links", action="append", default=[], metavar="DIR",
                   help="也从此文件夹取安装文件（可多次使用）")
    p.add_argument("--no-index", action="store_true", help="只用 --find-links 中的安装文件，不联网")
    p.add_argument("--with-pyodide", nargs="?", const=True, default=False, metavar="来源",
                   help="同时放入 Pyodide（县里 xlsuite serve 提供给 WPS 加载项，在网页内运行 Python）："
                        "不写来源则从 npm 下载锁定的版本；也可指定已有的 pyodide 文件夹或 .tgz")
    p.add_argument("--source", metavar="DIR", default=None,
                   help="从此 xlsuite 源代码文件夹构建（默认：正在运行的源代码文件夹，或本机已安装的 xlsuite）")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import __version__
    from ..bundle import build_bundle

    output = args.output or f"xlsuite-安装包-{__version__}-{args.platform}"
    bundle = build_bundle(output, args.platform, args.pythons, find_links=args.find_links,
                          no_index=args.no_index, source=args.source, pyodide=args.with_pyodide,
                          progress=print)
    print("包含：" + "、".join(bundle.requirements) + f"（Python {' / '.join(bundle.pythons)}）")
    print("把整个文件夹复制到单位电脑，双击其中的 安装.bat；说明见 安装说明.txt。"
          "空白模板和填报样例在其中的“模板”文件夹。")
    return 0
