"""Write output files atomically: a temporary file beside the target, then one rename.

A reader (Excel, Word, the county's sync tool) never sees a half-written file, and a failed or
interrupted write (Ctrl-C included) leaves any earlier file as it was and no temporary behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import InputError


def write_via_temp(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` for a temporary path in ``path``'s folder, then rename it onto ``path``.

    Raises:
        InputError: the target cannot be written (a read-only folder, or the file open in Excel).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=f"{path.suffix}.tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(path, f"无法写入输出文件（{exc.strerror or exc}）") from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(path, f"无法写入输出文件（{exc.strerror or exc}），如已在 Excel 或 Word 中打开请先关闭") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return write_via_temp(path, lambda tmp: tmp.write_bytes(data))
