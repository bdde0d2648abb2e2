"""The exceptions xlsuite raises for bad input, each carrying a Chinese message for the user.

``str(error)`` is the whole message the user sees: the file, and the reason. The CLI prints it
without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class XlsuiteError(Exception):
    """Base of every error xlsuite reports to a user.

    Attributes:
        path: the file, or None.
        reason: what is wrong, as a Chinese clause (文件是空的（0 字节）).
        advice: what to do about it, addressed to the unit (``RESEND`` …), or "" when the
            error's kind says it (the county summary then asks what its category asks).
    """

    def __init__(self, path: str | Path | None, reason: str, advice: str = ""):
        self.path = str(path) if path is not None else None
        self.reason = reason
        self.advice = advice
        super().__init__(self._worded(advice))

    def for_user(self) -> str:
        """The message for whoever runs the command (an accountant scoring a book, the bureau
        checking a file): the advice the county summary gives a unit (请单位…重新报送), addressed
        to them instead."""
        return self._worded(_FOR_USER.get(self.advice, self.advice))

    def _worded(self, advice: str) -> str:
        message = f"{self.reason}，{advice}" if advice else self.reason
        return f"{self.path}：{message}" if self.path else message


# What a unit is asked to do about a file that cannot be read: one sentence per kind of damage,
# so the county summary's 未纳入汇总 gives each reason its own advice.
RESEND = "请单位重新发送该文件"
RESAVE = "请单位在 Excel 中打开、另存为 .xlsx 后重新发送"
REMOVE_PASSWORD = "请单位取消打开密码后重新报送"
SAVE_AS_XLSX = "请单位在 Excel 中另存为 .xlsx 后重新报送"
SEND_THE_BOOK = "请单位报送填好的预算绩效自评工作簿（.xlsx）"
TRIM_SHEET = "请单位删除表中远处多余的内容或格式后重新报送"

_FOR_USER = {
    RESEND: "请重新获取完整的文件（如重新下载或复制）后再试",
    RESAVE: "请在 Excel 中打开、另存为 .xlsx 后再试",
    REMOVE_PASSWORD: "请取消打开密码后再试",
    SAVE_AS_XLSX: "请在 Excel 或 WPS 中另存为 .xlsx 后再试",
    SEND_THE_BOOK: "请给出填好的预算绩效自评工作簿（.xlsx）",
    TRIM_SHEET: "请删除表中远处多余的内容或格式后再试",
}
"""Each advice to a unit, as said to the person at the keyboard (``XlsuiteError.for_user``)."""


class InputError(XlsuiteError):
    """The file cannot be opened as a workbook: empty, corrupt, encrypted, legacy .xls, …"""


class ContractError(XlsuiteError):
    """The workbook opens but is not a standard xlsuite workbook of a version this xlsuite reads."""


class CellValueError(XlsuiteError):
    """Cells hold values of the wrong kind (text where an amount belongs, …).

    Attributes:
        cells: ``(cell reference, problem)`` pairs, e.g. ``("收支情况!E12", "…")``.
    """

    def __init__(self, path: str | Path | None, cells: list[tuple[str, str]]):
        self.cells = cells
        shown = "；".join(f"{ref} {problem}" for ref, problem in cells[:10])
        more = f"（另有 {len(cells) - 10} 处）" if len(cells) > 10 else ""
        super().__init__(path, f"单元格内容有误：{shown}{more}")


# --- library errors in Chinese -------------------------------------------------------------------
# A clean error is one Chinese line: the English text of a library or of the operating system
# (“invalid Zip archive: …”, “No such file or directory”, a TOML parser's message) never goes in.

_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOSPC": "磁盘空间不足",
    "EFBIG": "文件过大或磁盘空间不足",
    "EDQUOT": "磁盘配额已用完",
    "EROFS": "磁盘或文件夹只读",
    "EISDIR": "这是文件夹",
    "ENOTDIR": "路径中有一段不是文件夹",
    "ENAMETOOLONG": "文件名过长",
    "EBUSY": "文件正被其他程序使用",
    "EEXIST": "文件已存在",
    "EIO": "磁盘读写出错",
    "EINVAL": "文件名或路径无效",
}


def os_reason(exc: OSError) -> str:
    """The reason of an operating-system error in Chinese."""
    import errno
    import sys

    if isinstance(exc, PermissionError) and sys.platform == "win32":
        return "没有权限，或文件正被其他程序（如 Excel、Word）打开"
    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误 {exc.errno}" if exc.errno else "系统错误")


def toml_reason(exc: Exception) -> str:
    """Where a TOML text is malformed, in Chinese (``tomllib`` says it in English)."""
    import re

    where = re.search(r"at line (\d+), column (\d+)", str(exc))
    return f"TOML 格式有误（第 {where[1]} 行第 {where[2]} 列）" if where else "TOML 格式有误"


def library_reason(exc: BaseException) -> str:
    """What a spreadsheet or zip library's error means, in Chinese, by its kind."""
    import zipfile
    import zlib

    kind = type(exc).__name__
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
        return os_reason(exc)
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError) or "Zip" in kind:
        return "压缩数据损坏"
    if isinstance(exc, SyntaxError) or "Xml" in kind or "XML" in kind:
        return "XML 内容格式有误"
    if isinstance(exc, KeyError):
        return "缺少必要的部件"
    if isinstance(exc, IndexError):
        return "引用了不存在的共享文本或样式"
    if isinstance(exc, UnicodeError):
        return "文字编码有误"
    return "内容无法识别"
