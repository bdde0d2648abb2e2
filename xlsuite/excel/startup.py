"""Where Excel opens add-ins from at start, per user: the XLSTART folder ``xlsuite addin install``
fills, and where the buttons and worksheet functions look for the county's ``xlsuite.toml``."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..core.errors import XlsuiteError

ADDIN_FILENAME = "xlsuite.xlam"
"""The add-in's file name, by which the buttons also ask Excel where it is open from."""

MAC_STARTUP = ("Library/Group Containers/UBF8T346G9.Office/User Content.localized/"
               "Startup.localized/Excel")


class AddinError(XlsuiteError):
    """The add-in cannot be installed or removed here."""


def startup_dir(platform: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The per-user folder Excel opens every workbook of at start (XLSTART).

    Args:
        platform: ``sys.platform`` by default.
        env: the environment (``os.environ`` by default): ``APPDATA`` on Windows, ``HOME`` on
            macOS, so a test can point both at a temporary directory.

    Raises:
        AddinError: on a system without desktop Excel.
    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    if platform.startswith("win"):
        appdata = env.get("APPDATA") or str(Path(env.get("USERPROFILE", "~")).expanduser() / "AppData/Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return Path(env.get("HOME") or Path.home()) / MAC_STARTUP
    raise AddinError(None, "本机不是 Windows 或 macOS，没有 Excel 启动文件夹；可用 --dir 指定安装位置")
