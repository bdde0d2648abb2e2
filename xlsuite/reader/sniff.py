"""Tell what kind of file a path holds from its bytes, not its name.

Departments send files that merely look like workbooks: an empty attachment, a download cut
short, a password-protected book, an old .xls saved under a new name. Each gets its own
Chinese reason here, before any spreadsheet library sees the file.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from ..core.errors import REMOVE_PASSWORD, RESEND, SAVE_AS_XLSX, SEND_THE_BOOK, InputError, os_reason
from ..files.regular_files import open_regular

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# An encrypted OOXML file is an OLE container holding these two streams; the names are stored
# in UTF-16 in the OLE directory.
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def check_workbook_file(path: Path) -> None:
    """Raise ``InputError`` with the reason unless ``path`` starts like an .xlsx/.xlsm package.

    Only the first bytes are read; ``diagnose_package`` looks deeper once opening has failed.
    """
    _read_checked(path, whole=False)


def read_workbook_file(path: Path) -> bytes:
    """``check_workbook_file``, then the whole file's bytes, so that a reader opens the file once."""
    return _read_checked(path, whole=True)


def _read_checked(path: Path, whole: bool) -> bytes:
    try:
        with open_regular(path) as f:  # never a pipe or a device: they would block or never end
            size = os.fstat(f.fileno()).st_size
            data = f.read(8)
            # The rest only of a package to be read, or of an OLE file to be searched for its
            # encryption streams: never of a large file that is no workbook at all.
            if size and ((whole and data.startswith(ZIP_SIGNATURE)) or data.startswith(OLE_SIGNATURE)):
                data += f.read()
    except FileNotFoundError:
        raise InputError(path, "文件不存在") from None
    except IsADirectoryError:
        raise InputError(path, "这是文件夹，不是 Excel 工作簿") from None
    except OSError as exc:
        raise InputError(path, f"无法打开文件（{os_reason(exc)}）") from None
    if size == 0:
        raise InputError(path, "文件是空的（0 字节）", RESEND)
    if data.startswith(OLE_SIGNATURE):
        if all(name in data for name in _ENCRYPTION_STREAMS):
            raise InputError(path, "工作簿设置了打开密码（已加密），无法读取", REMOVE_PASSWORD)
        raise InputError(path, "这是旧版 Excel 97-2003 工作簿（.xls）", SAVE_AS_XLSX)
    if not data.startswith(ZIP_SIGNATURE):
        raise InputError(path, "不是 Excel 工作簿（文件内容不是 .xlsx 格式）", SEND_THE_BOOK)
    return data


def diagnose_package(path: Path) -> None:
    """Explain why a zip-signed file failed to open: raise ``InputError`` if a cause is found."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, EOFError, OSError):
        raise InputError(path, "文件已损坏或不完整（压缩包无法解开）", RESEND) from None
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "其他压缩文件"
        raise InputError(path, f"不是 Excel 工作簿（这是{kind}）", SEND_THE_BOOK)
