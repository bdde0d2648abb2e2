"""Which scoring profile the Excel buttons and UDFs use: the county's setting, else the book's.

Order of precedence, first found wins (``docs/excel-install.md`` tells accountants the same):

1. ``xlsuite.toml`` in the add-in's folder (the folder of xlsuite.xlam, or of the .xlsm whose
   buttons were pressed), with ``profile = "省评分方案.toml"``: a path, relative to that folder;
2. the key ``XLSUITE_PROFILE`` in the workbook's ``xlwings.conf`` sheet (first column the key,
   second the path, relative to the workbook's folder);
3. the profile recorded in the workbook's hidden ``_meta`` sheet, i.e. the one its template was
   built for (``profile.resolve_profile``);
4. the national default.

1 and 2 are the county's setting and override what a book says about itself, as ``--profile``
does on the command line. A setting that names a file that cannot be read is an error the user
sees, never a silent fall back to another profile's scores.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..core import contract as c
from ..core.errors import InputError, os_reason, toml_reason
from ..core.profile import Profile, load_profile, recorded_profile
from ..reader.parse import meta_value
from . import bookio
from .startup import AddinError, startup_dir

CONF_SHEET = "xlwings.conf"
"""The sheet xlwings reads a workbook's settings from (its UDF modules, …)."""
SETTINGS_FILE = "xlsuite.toml"
"""The county's settings beside the add-in."""
SETTINGS_PROFILE_KEY = "profile"
CONF_PROFILE_KEY = "XLSUITE_PROFILE"
"""The key in a workbook's ``xlwings.conf`` sheet naming its profile file."""


def chosen_profile(addin_dir: str | Path | None, conf_grid: list[list] | None,
                   book_dir: Path | None) -> Profile | None:
    """The profile the county's settings choose (1 and 2 above), or ``None`` for none.

    Args:
        addin_dir: the add-in's folder (``None`` when unknown).
        conf_grid: the values of the workbook's ``xlwings.conf`` sheet, if it has one.
        book_dir: the workbook's folder, for a relative path in ``xlwings.conf``.

    Raises:
        InputError: a setting is unreadable or names a profile file that cannot be read.
    """
    if addin_dir is not None:
        path = _from_settings_file(Path(addin_dir) / SETTINGS_FILE)
        if path is not None:
            return load_profile(path)
    path = _from_conf(conf_grid, book_dir)
    return load_profile(path) if path is not None else None


def open_book_profile(book, addin_dir: str | Path | None = None) -> Profile:
    """The profile for ``book`` (an open xlwings Book) in the order above, reading only its meta
    and xlwings.conf sheets: what a worksheet function needs, without the whole book.

    Raises:
        InputError, ContractError: a setting, or the profile recorded in the book, is unusable.
    """
    grids = bookio.read_grids(book, (c.META_SHEET, CONF_SHEET))
    chosen = chosen_profile(addin_dir, grids.get(CONF_SHEET), bookio.book_folder(book))
    if chosen is not None:
        return chosen
    return recorded_profile(meta_value(grids.get(c.META_SHEET), c.META_PROFILE_SOURCE_KEY), book.name)


def default_addin_dir() -> Path | None:
    """Where ``xlsuite addin install`` puts the add-in on this PC (None off Windows/macOS)."""
    try:
        return startup_dir()
    except AddinError:
        return None


COUNTY_PROFILE_FILE = "评分方案.toml"
"""Where ``xlsuite addin install --profile`` copies the county's profile, beside the add-in."""


def install_profile(folder: str | Path, profile_path: str | Path) -> Profile:
    """Copy the profile file beside the add-in and point ``xlsuite.toml`` at it (setting 1).

    The file is read and checked first, so a broken profile never becomes the county's setting.

    Raises:
        InputError: the profile cannot be read, or the folder cannot be written.
    """
    from ..files.atomic import write_bytes

    source = Path(profile_path)
    profile = load_profile(source)
    folder = Path(folder)
    write_bytes(folder / COUNTY_PROFILE_FILE, profile.source.encode("utf-8"))
    _set_line(folder / SETTINGS_FILE, SETTINGS_PROFILE_KEY,
              f'{SETTINGS_PROFILE_KEY} = "{COUNTY_PROFILE_FILE}"  # 评分方案：{profile.name}')
    return profile


SETTINGS_SERVER_KEY = "server"
"""The county's xlsuite serve, which the add-in's buttons then call (macros/XlsuiteServer.bas)."""


def install_server(folder: str | Path, url: str) -> str:
    """Point the add-in's buttons at the county's server (``server = "…"`` in ``xlsuite.toml``).

    Raises:
        InputError: not an http(s) address, or the folder cannot be written.
    """
    url = url.strip().rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[\w./-]*)?", url):
        raise InputError(None, f"服务地址“{url}”不可用：应写成 http://10.1.2.3:8765 这样")
    _set_line(Path(folder) / SETTINGS_FILE, SETTINGS_SERVER_KEY,
              f'{SETTINGS_SERVER_KEY} = "{url}"  # 县里的 xlsuite 服务（没有 Python 的电脑也能用按钮）')
    return url


def _set_line(settings: Path, key: str, line: str) -> None:
    """Write ``line`` as the settings file's ``key``, keeping its other lines."""
    from ..files.atomic import write_bytes

    try:
        kept = [x for x in settings.read_text("utf-8").splitlines()
                if not re.match(rf"\s*{key}\s*=", x)]
    except (FileNotFoundError, UnicodeDecodeError):
        kept = []
    write_bytes(settings, ("\n".join([*kept, line]) + "\n").encode("utf-8"))


def _from_settings_file(settings: Path) -> Path | None:
    try:
        text = settings.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(settings, "无法读取加载项设置文件：" + (os_reason(exc) if isinstance(exc, OSError) else "不是 UTF-8 编码的文本")) from None
    try:
        value = tomllib.loads(text).get(SETTINGS_PROFILE_KEY)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(settings, f"加载项设置文件格式有误：{toml_reason(exc)}") from None
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(settings, f"加载项设置文件中 {SETTINGS_PROFILE_KEY} 应为评分方案文件的路径")
    return settings.parent / value.strip()


def _from_conf(grid: list[list] | None, book_dir: Path | None) -> Path | None:
    for line in grid or ():
        if len(line) >= 2 and str(line[0]).strip() == CONF_PROFILE_KEY:
            value = str(line[1] or "").strip()
            if not value:
                return None
            path = Path(value)
            if not path.is_absolute() and book_dir is not None:
                path = book_dir / path
            return path
    return None


__all__ = ["chosen_profile", "install_profile", "COUNTY_PROFILE_FILE", "open_book_profile", "default_addin_dir", "SETTINGS_FILE", "SETTINGS_PROFILE_KEY", "CONF_PROFILE_KEY", "CONF_SHEET"]
