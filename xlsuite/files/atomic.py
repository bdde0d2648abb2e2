"""Write output files atomically: a temporary file beside the target, then one rename.

A reader (Excel, Word, the county's sync tool) never sees a half-written file, and a failed or
interrupted write (Ctrl-C and SIGTERM included) leaves any earlier file as it was and no
temporary behind. A run killed outright (SIGKILL) runs no code: ``temp_guard``'s watcher process
removes its temporaries when it is gone. Should that fail too (a power cut), a temporary carries
its process id, and the next write to the same folder removes it once that process is gone. The output gets the permissions the user's umask gives a new file (0644 under 022), not
the 0600 of a temporary file, so colleagues on a shared folder can open it.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from ..core.errors import InputError, os_reason
from . import temp_guard

TEMP_SUFFIX = ".tmp"


def write_via_temp(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` for a temporary path in ``path``'s folder, then rename it onto ``path``.

    Raises:
        InputError: the target cannot be written (a read-only folder, a full disk, or the file
            open in Excel).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(path) + f"{os.getpid()}-",
                                    suffix=f"{path.suffix}{TEMP_SUFFIX}", dir=path.parent)
    except OSError as exc:
        raise InputError(path, f"无法写入输出文件（{os_reason(exc)}）") from None
    os.close(fd)
    tmp = Path(name)
    temp_guard.announce(tmp)  # removed by a watcher if this process is killed outright
    failed = None
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except Exception as exc:
        failed = _os_error(exc)
        if failed is None:
            raise
    finally:
        tmp.unlink(missing_ok=True)
        temp_guard.withdraw(tmp)
    if failed is not None:
        reason = os_reason(failed)
        _quietly_collect(failed)
        failed = None
        raise InputError(path, f"无法写入输出文件（{reason}），如已在 Excel 或 Word 中打开请先关闭")
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return write_via_temp(path, lambda tmp: tmp.write_bytes(data))


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporaries of ``path`` left by runs that were killed (whose process is gone);
    return them. A temporary of a run still writing is left alone."""
    removed = []
    prefix = _temp_prefix(path)
    try:
        candidates = [p for p in path.parent.iterdir()
                      if p.name.startswith(prefix) and p.name.endswith(f"{path.suffix}{TEMP_SUFFIX}")]
    except OSError:
        return removed
    for tmp in candidates:
        pid = tmp.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass
    return removed


def _os_error(exc: BaseException) -> OSError | None:
    """``exc`` if it is an OSError, or the one it wraps (xlsxwriter's FileCreateError holds the
    OSError of a full disk as its argument)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None


def target_of(path: Path) -> Path:
    """The file a temporary of ``write_via_temp`` will become (``path`` itself if it is none):
    for writers that put companion files beside their output."""
    name = path.name
    if name.startswith(".") and name.endswith(TEMP_SUFFIX):
        stem_and_rest = name[1:-len(TEMP_SUFFIX)]
        suffix = Path(stem_and_rest).suffix
        parts = stem_and_rest[:-len(suffix) if suffix else None].rsplit("-", 2)
        if len(parts) == 3 and parts[1].isdigit():
            return path.with_name(parts[0] + suffix)
    return path


_NAME_MAX = 255
"""The longest file name, in bytes, of the usual file systems (ext4, NTFS in UTF-16 units, APFS)."""
_TEMP_EXTRA = len(f".--{9_999_999}-{'x' * 8}{TEMP_SUFFIX}")
"""What a temporary's name adds to its target's stem and suffix: a dot, a process id of up to seven
digits, mkstemp's eight random characters, the temporary suffix."""


def _temp_prefix(path: Path) -> str:
    """``.{stem}-``, the stem cut short when the temporary's name would pass ``_NAME_MAX``
    bytes: an output name that fits must not fail for its temporary's. (``target_of`` then
    gives the shortened name; only companion files of so long a summary get it.)"""
    stem, room = path.stem, _NAME_MAX - _TEMP_EXTRA - len(os.fsencode(path.suffix))
    while len(os.fsencode(stem)) > room and stem:
        stem = stem[:-1]
    return f".{stem}-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # no cheap check there: a stale temporary stays, as before
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _quietly_collect(failed: BaseException | None = None) -> None:
    """Collect what a failed write left behind (a zip file object of xlsxwriter or openpyxl
    whose destructor would try to write again) now, with its destructor errors silenced,
    rather than as "Exception ignored … OSError" after the clean error message. The frames of
    ``failed`` hold that file: cleared here, as their last reference may be what frees it."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        if failed is not None:
            traceback.clear_frames(failed.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = previous
