"""The Python that xlwings starts for the buttons and the worksheet functions, and its DLL.

xlwings' VBA reads the interpreter from its settings (``INTERPRETER_WIN``: a workbook's
``xlwings.conf`` sheet, a ``xlwings.conf`` beside it, or the user's ``%USERPROFILE%\\.xlwings\\
xlwings.conf``). A worksheet function then loads ``xlwings64-<version>.dll`` from the
interpreter's folder or that folder's parent only (``XLPyLoadDLL`` in xlwings.bas), while pip puts
the DLL in its "data" folder: the Python's own folder, a venv's root, or, when pip fell back to a
per-user install under a Python installed for all users, ``%APPDATA%\\Python``, where xlwings never
looks. So ``xlsuite addin install`` (run by the Python 安装.bat installed into) writes that Python
into the user's xlwings settings and says whether its DLL is where xlwings will look; 安装.bat
installs into a Python environment of the user's own (a venv), where it always is.
"""

from __future__ import annotations

import locale
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from ..files.atomic import write_bytes

INTERPRETER_KEY = "INTERPRETER_WIN"
"""xlwings' setting naming the interpreter on Windows."""


def user_config_file(home: Path | None = None) -> Path:
    """xlwings' per-user settings file (``xlwings.USER_CONFIG_FILE``)."""
    return (home or Path.home()) / ".xlwings" / "xlwings.conf"


def dll_name() -> str:
    """The DLL the embedded xlwings module declares (64-bit Excel)."""
    from .udf_vba import xlwings_vba_version

    return f"xlwings64-{xlwings_vba_version()}.dll"


def loader_folders(interpreter: str) -> tuple[str, str]:
    """Where xlwings' VBA looks for the DLL: the interpreter's folder, then its parent."""
    folder = _path(interpreter).parent
    return str(folder), str(folder.parent)


def _path(text: str) -> PurePath:
    # Windows paths are judged as Windows judges them wherever this runs (the tests run on Linux).
    return PureWindowsPath(text) if "\\" in text or text[1:2] == ":" else PurePosixPath(text)


def data_folders() -> list[Path]:
    """Where pip may have put the DLL for this Python: its data folder, and the user's."""
    folders = [Path(sysconfig.get_path("data"))]
    user_scheme = f"{os.name}_user"
    if user_scheme in sysconfig.get_scheme_names():
        folders.append(Path(sysconfig.get_path("data", user_scheme)))
    return folders


@dataclass(frozen=True)
class Setting:
    """The interpreter written into xlwings' settings, and where its DLL is."""

    interpreter: str
    dll: str | None
    """The DLL found among ``data_folders``, or None."""

    @property
    def dll_reachable(self) -> bool:
        """Whether xlwings' VBA will find the DLL from the interpreter."""
        if self.dll is None:
            return False
        folder = str(_path(self.dll).parent).lower()
        return folder in (f.lower() for f in loader_folders(self.interpreter))

    def report(self) -> str:
        """What the user is told, in Chinese."""
        if self.dll is None:
            return (f"没有找到 xlwings 的 {dll_name()}：工作表函数（“得分（自动计算）”列）将无法使用，"
                    "按钮不受影响。请用财政局离线安装包的 安装.bat 重新安装。")
        if not self.dll_reachable:
            first, second = loader_folders(self.interpreter)
            dll = _path(self.dll)
            return (f"xlwings 的 {dll.name} 装在 {dll.parent}，而 Excel 只在 {first} 和 {second} 中查找："
                    "工作表函数（“得分（自动计算）”列）将无法使用，按钮不受影响。"
                    "请用财政局离线安装包的 安装.bat 重新安装（它为当前用户建立单独的 Python 环境）。")
        return f"工作表函数使用的 xlwings 组件：{self.dll}"


def this_python() -> str:
    """The interpreter running xlsuite: the one 安装.bat installed into."""
    return sys.executable


def current_setting() -> Setting:
    """This Python and the DLL pip installed for it."""
    name = dll_name()
    found = next((str(folder / name) for folder in data_folders() if (folder / name).is_file()), None)
    return Setting(this_python(), found)


def write_interpreter(config_file: Path, interpreter: str) -> Path:
    """Set ``INTERPRETER_WIN`` in xlwings' settings file, keeping every other line.

    The file is read by VBA's ``Input #`` in the ANSI code page, as xlwings itself writes it.
    """
    encoding = locale.getpreferredencoding(False)
    lines = _other_lines(config_file, encoding)
    lines.append(f'"{INTERPRETER_KEY}","{interpreter}"')
    return write_bytes(config_file, ("\n".join(lines) + "\n").encode(encoding, errors="strict"))


def forget_interpreter(config_file: Path, interpreter: str) -> bool:
    """Remove the ``INTERPRETER_WIN`` line if it names ``interpreter``; whether it did."""
    encoding = locale.getpreferredencoding(False)
    try:
        text = config_file.read_text(encoding)
    except (OSError, UnicodeDecodeError):
        return False
    if f'"{INTERPRETER_KEY}","{interpreter}"' not in text.splitlines():
        return False
    write_bytes(config_file, "".join(f"{line}\n" for line in _other_lines(config_file, encoding)).encode(encoding))
    return True


def _other_lines(config_file: Path, encoding: str) -> list[str]:
    try:
        text = config_file.read_text(encoding)
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines()
            if line.strip() and not line.strip().upper().startswith(f'"{INTERPRETER_KEY}"')]
