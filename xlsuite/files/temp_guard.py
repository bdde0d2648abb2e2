"""Remove this process's temporary files even when it is killed outright.

``atomic.write_via_temp`` removes its temporary on any error, Ctrl-C and SIGTERM; a process
killed by SIGKILL (the OOM killer, ``kill -9``, a scheduler's timeout) runs no code at all, and
left ``.summary-<pid>-….xlsx.tmp`` beside the county's summary. Here a small watcher process,
started with the first temporary, holds the read end of a pipe whose write end only this process
holds: each temporary is announced before it is created and withdrawn once renamed or removed.
When the pipe closes — this process ended, however — the watcher removes whatever is still
announced, and exits. It runs in its own session, so Ctrl-C in the terminal does not stop it
before it has done so.

POSIX only (on Windows a process killed from Task Manager still leaves its temporary, which the
next write to the same folder cannot tell from a live one's); where no watcher can be started
(no ``subprocess``, as in Pyodide) nothing changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

_WATCHER = r"""
import os, sys
announced = set()
for line in sys.stdin.buffer:
    sign, name = line[:1], bytes.fromhex(line[1:].decode())
    (announced.add if sign == b"+" else announced.discard)(name)
for name in announced:
    try:
        os.unlink(name)
    except OSError:
        pass
"""

_lock = threading.Lock()
_watcher: subprocess.Popen | None = None
_pipe = None
_owner = None
"""The process id that started the watcher: a forked child (a county worker) has its own."""


def announce(path: str | os.PathLike) -> None:
    """Have ``path`` removed if this process ends before ``withdraw(path)``."""
    _send(b"+", path)


def withdraw(path: str | os.PathLike) -> None:
    """``path`` was renamed or removed: nothing to do for it any more."""
    _send(b"-", path)


def _send(sign: bytes, path) -> None:
    global _watcher, _pipe, _owner
    if os.name != "posix":
        return
    with _lock:
        if _owner != os.getpid():
            _watcher, _owner = _start(), os.getpid()
            _pipe = None if _watcher is None else _watcher.stdin
        if _pipe is None:
            return
        try:
            # One line each, far below PIPE_BUF: written whole even with forked children writing.
            _pipe.write(sign + os.fsencode(os.path.abspath(path)).hex().encode() + b"\n")
            _pipe.flush()
        except OSError:
            _pipe = None  # the watcher is gone: temporaries are then removed as before


def _start() -> subprocess.Popen | None:
    try:
        return subprocess.Popen([sys.executable, "-S", "-c", _WATCHER], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except Exception:  # noqa: BLE001 - no watcher (Pyodide has no processes): writing goes on as before
        return None
