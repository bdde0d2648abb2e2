"""Open an input file only when it is a regular file, without ever blocking on it.

A submissions folder can hold what is not a file at all: a named pipe (FIFO) called ``f.xlsx``,
whose plain ``open()`` waits for a writer forever, or a link to ``/dev/zero``, which reads as
endless zero bytes. Every input file xlsuite reads is opened here: without blocking (opening a
FIFO with ``O_NONBLOCK`` returns at once), after following links, and refused unless it is a
regular file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..core.errors import InputError

_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "块设备文件"),
          (stat.S_ISSOCK, "套接字"), (stat.S_ISDIR, "文件夹"))


def open_regular(path: str | Path) -> BinaryIO:
    """``path`` opened for reading in binary, checked to be a regular file (links followed).

    Raises:
        InputError: it is a pipe, a device or a socket (the reason names which).
        OSError: it cannot be opened (missing, no permission, …; ``IsADirectoryError`` for a
            folder, as ``open()`` raises).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
            raise InputError(Path(path), f"不是普通文件（这是{kind}），无法作为工作簿读取")
        if hasattr(os, "O_NONBLOCK"):  # (POSIX; Windows has no such flag, nor blocking opens)
            os.set_blocking(fd, True)  # a regular file reads the same either way; say what is meant
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
