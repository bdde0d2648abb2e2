"""The texts of a bundle: 安装.bat, 卸载.bat, 安装说明.txt and requirements.txt.

The .bat files are read by cmd.exe in the console's code page, which on a Chinese Windows is
GBK (936), not UTF-8: they are written in GBK, with CRLF line ends, so their Chinese messages
show as written. 安装说明.txt is UTF-8 with a byte-order mark, which Notepad of every Windows
version opens correctly.

Both scripts act for the user who runs them: pip installs into that user's Python (one installed
"for me" by python.org's installer needs no administrator; into one installed for all users, pip
falls back to the user's own site-packages by itself), and both add-ins go into the user's
XLSTART folder. Tools are run as ``python -m …``, never as ``xlsuite.exe``: a user install puts
those in a Scripts folder that is not on PATH.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__

INSTALL_BAT = "安装.bat"
UNINSTALL_BAT = "卸载.bat"
README_FILE = "安装说明.txt"
PROFILE_FILE = "评分方案.toml"
"""A county profile IT puts beside 安装.bat becomes every PC's setting (``addin install --profile``)."""

TEMPLATES_DIR = "模板"
"""The bundle's folder of blank templates and samples."""

BAT_ENCODING = "gbk"

_XLWINGS_CLI = '-c "import xlwings.cli as c; c.main()"'
"""``xlwings addin …`` as a module call: xlwings has no ``python -m xlwings``."""


def requirements_text(requirements: list[str]) -> str:
    return "# 安装.bat 安装的软件包（都在 wheels 文件夹中，安装时不需要网络）\n" + "\n".join(requirements) + "\n"


def write_scripts(folder: Path, pythons: tuple[str, ...]) -> None:
    """Write the two scripts and the instructions into ``folder``."""
    _write_bat(folder / INSTALL_BAT, install_bat(pythons))
    _write_bat(folder / UNINSTALL_BAT, uninstall_bat(pythons))
    (folder / README_FILE).write_bytes(b"\xef\xbb\xbf" + _crlf(readme(pythons)).encode("utf-8"))


OWN_PYTHON = r"%LOCALAPPDATA%\xlsuite\python"
"""The user's own Python environment (a venv) that 安装.bat installs into: pip puts xlwings' DLL
at its root, where xlwings' VBA looks for it from the venv's python.exe (``excel.interpreter``),
whatever kind of Python the PC has (one for all users makes pip fall back to a per-user install,
whose DLL xlwings never finds)."""


def install_bat(pythons: tuple[str, ...]) -> str:
    return "\n".join([
        *_header("安装", pythons),
        "echo 正在为当前用户建立 xlsuite 专用的 Python 环境……",
        f'%PY% -m venv "{OWN_PYTHON}"',
        "if errorlevel 1 goto venvfailed",
        rf'set PY="{OWN_PYTHON}\Scripts\python.exe"',
        "echo 正在安装 xlsuite（不需要网络，也不需要管理员权限），请稍候……",
        '%PY% -m pip install --disable-pip-version-check --no-index --find-links "%~dp0wheels" '
        '-r "%~dp0requirements.txt"',
        "if errorlevel 1 goto pipfailed",
        "echo.",
        "echo 正在安装 xlwings 加载项……",
        f"%PY% {_XLWINGS_CLI} addin install",
        "if errorlevel 1 goto addinfailed",
        "echo 正在安装“绩效自评”加载项……",
        f'if exist "%~dp0{PROFILE_FILE}" goto withprofile',
        "%PY% -m xlsuite addin install",
        "goto checked",
        ":withprofile",
        f'%PY% -m xlsuite addin install --profile "%~dp0{PROFILE_FILE}"',
        ":checked",
        "rem Exit code 3: the add-in is in place, but worksheet functions will not find xlwings' DLL (said above).",
        "if errorlevel 3 goto udfwarning",
        "if errorlevel 1 goto addinfailed",
        "goto done",
        ":udfwarning",
        "echo 注意：上面说明了工作表函数不能使用的原因；四个按钮仍可使用。",
        ":done",
        "echo.",
        "echo 安装完成。请重新启动 Excel：功能区会出现“绩效自评”选项卡（校验 / 评分 / 生成自评表 / 生成报告）。",
        "echo 打开工作簿时如提示“启用内容”，请点击启用。",
        "goto end",
        ":venvfailed",
        ":pipfailed",
        "echo.",
        "echo 安装失败。请把本窗口中的信息截图，发给县财政局绩效股或单位信息管理员。",
        "goto end",
        ":addinfailed",
        "echo.",
        "echo 加载项安装失败：请先关闭所有 Excel 窗口，再重新运行 安装.bat。",
        "goto end",
        *_no_python(pythons),
        ":end",
        "pause",
        "",
    ])


def uninstall_bat(pythons: tuple[str, ...]) -> str:
    return "\n".join([
        *_header("卸载", pythons),
        rf'if exist "{OWN_PYTHON}\Scripts\python.exe" set PY="{OWN_PYTHON}\Scripts\python.exe"',
        "echo 正在卸载“绩效自评”加载项和 xlwings 加载项……",
        "%PY% -m xlsuite addin remove",
        f"%PY% {_XLWINGS_CLI} addin remove",
        "echo 正在删除 xlsuite 专用的 Python 环境……",
        f'if exist "{OWN_PYTHON}" rmdir /s /q "{OWN_PYTHON}"',
        "echo.",
        "echo 卸载完成（本机的 Python 保留）。请重新启动 Excel。",
        "goto end",
        *_no_python(pythons),
        ":end",
        "pause",
        "",
    ])


def readme(pythons: tuple[str, ...]) -> str:
    versions = "、".join(pythons)
    return f"""xlsuite {__version__} 预算绩效自评工具 —— 离线安装包

一、给信息管理员
  1. 把整个文件夹复制到各单位电脑上（U 盘或共享文件夹均可），不要只复制其中的文件。
  2. 如果县里使用本省的评分方案，把方案文件命名为“{PROFILE_FILE}”放进本文件夹，
     安装时会设为这台电脑上按钮和工作表函数的评分方案。
  3. 安装不需要网络，也不需要管理员权限；每个使用 Excel 的 Windows 用户各运行一次 安装.bat。

二、给会计人员
  1. 先关闭所有 Excel 窗口。
  2. 双击“{INSTALL_BAT}”，等待窗口中出现“安装完成”，按任意键关闭。
  3. 重新打开 Excel：功能区出现“绩效自评”选项卡，有 校验、评分、生成自评表、生成报告 四个按钮。
     打开工作簿时如出现黄色的“启用内容”提示，请点击启用。
  4. 卸载：关闭 Excel，双击“{UNINSTALL_BAT}”。

三、没有 Python 怎么办
  安装.bat 需要本机装有 Python {versions} 中的一个（64 位）。如果窗口提示“未找到 Python”：
  向单位信息管理员或县财政局绩效股索取 Python 安装程序（python.org 的 Windows installer (64-bit)），
  双击后勾选“Add python.exe to PATH”，点击“Install Now”（只为当前用户安装，不需要管理员权限），
  装好后重新双击 安装.bat。

四、空白模板和填报样例
  本文件夹中的“{TEMPLATES_DIR}”文件夹：预算绩效自评模板.xlsx（填报用，不含宏，报送的就是它）、
  预算绩效自评模板.xlsx 的带按钮版本 预算绩效自评模板.xlsm、自评报告模板.docx，以及 samples 中的
  填报样例（永昌县工业和信息化局 2021 年）。复制一份模板到自己的文件夹再填写。

五、不装 Python 也能做的事
  标准模板（.xlsx）在 Excel、WPS 和 LibreOffice 中都能填报；下拉列表、合计和得分公式是普通的
  表格公式，不需要 Python。只有 评分 / 生成自评表 等按钮和“得分（自动计算）”列需要本安装包。
  WPS 和信创电脑（麒麟、统信）上不能运行这些按钮，请把工作簿报送财政局，由财政局统一评分汇总。

六、常见问题
  · 点击按钮提示“未找到 xlwings 加载项”：重新运行 安装.bat，并重新启动 Excel。
  · 点击按钮没有反应或提示无法启动程序：单位电脑的安全策略可能禁止 Office 启动其他程序
    （“阻止 Office 应用程序创建子进程”规则），按钮需要 Excel 启动 Python。请信息管理员为
    Excel 放开该规则，或改由财政局用命令行统一评分。
  · 评分或生成自评表要替换已有的自评表或得分时，会先询问，并在工作簿旁保存一份备份（文件名含“修改前备份”），
    需要找回原来的内容时打开它即可；汇总时财政局会跳过这些备份。
"""


def _header(action: str, pythons: tuple[str, ...]) -> list[str]:
    """Finds a usable Python into %PY%: the py launcher's newest fitting version, else python."""
    newest_first = " ".join(sorted(pythons, key=lambda v: tuple(int(p) for p in v.split(".")), reverse=True))
    fits = ", ".join(f"({v.replace('.', ', ')})" for v in pythons)
    return [
        "@echo off",
        "setlocal",
        f"title xlsuite 预算绩效自评工具 {action}",
        'cd /d "%~dp0"',
        'set "PY="',
        "rem The py launcher that python.org's installer brings, asking for each version we have wheels for.",
        f'for %%V in ({newest_first}) do if not defined PY py -%%V -c "import sys" >nul 2>nul && set "PY=py -%%V"',
        "if defined PY goto found",
        "rem Else python on PATH, if it is one of those versions (the Microsoft Store stub is not).",
        f'python -c "import sys; sys.exit(sys.version_info[:2] not in ({fits},))" >nul 2>nul || goto nopython',
        'set "PY=python"',
        ":found",
    ]


def _no_python(pythons: tuple[str, ...]) -> list[str]:
    versions = "、".join(pythons)
    return [
        ":nopython",
        "echo.",
        f"echo 未找到可用的 Python（需要 64 位 Python {versions} 中的一个）。",
        "echo 请向单位信息管理员或县财政局绩效股索取 Python 安装程序，安装时勾选“Add python.exe to PATH”，",
        "echo 点击“Install Now”（不需要管理员权限），然后重新运行本文件。详见 安装说明.txt。",
        "goto end",
    ]


def _write_bat(path: Path, text: str) -> None:
    path.write_bytes(_crlf(text).encode(BAT_ENCODING))


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
