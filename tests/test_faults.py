"""Faults: a consolidate killed mid-read leaves no worker and no temporary behind and the previous
summary intact; reading is isolated even with one worker; outputs honour the umask; a full disk
is one clean line with no destructor noise after it."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from xlsuite.files.atomic import remove_stale_temps, write_bytes


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _books(folder: Path, sample: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        shutil.copyfile(sample, folder / f"单位{i:03d}.xlsx")
    return folder


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.slow  # starts and kills four consolidations
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.parametrize("after", [0.0, 0.3])
def test_consolidate_killed_mid_read_leaves_no_worker_no_temp_and_the_old_summary(
        tmp_path, sample_path, sig, after):
    # Enough books that the workers are still reading when the signal comes, on any machine.
    books = _books(tmp_path / "报送", sample_path, 1000)
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"previous summary")  # not a workbook xlsuite knows as its own: hence --force
    proc = subprocess.Popen([sys.executable, "-m", "xlsuite", "consolidate", str(books), "-o", str(out),
                             "--workers", "2", "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers |= _children(proc.pid)
        time.sleep(0.02)
    time.sleep(after)  # the workers are reading: kill now, or a little later
    assert proc.poll() is None, "the run finished before it could be killed: give it more books"
    workers |= _children(proc.pid)
    assert workers, "no worker was seen"
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)  # the workers hold no pipe of ours open
    end = time.monotonic() + 5
    while time.monotonic() < end and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "a worker outlived its parent by 5 s"
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()
        assert b"Traceback" not in stderr
    assert out.read_bytes() == b"previous summary"
    left = sorted(p.name for p in out.parent.iterdir() if p != out)
    if sig == signal.SIGKILL and left:
        # Killed while writing the summary: its temporary, which the next run removes.
        assert left == [p.name for p in remove_stale_temps(out)]
        assert all(name.startswith(f".汇总-{proc.pid}-") for name in left)
    else:
        assert left == []
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_a_temp_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    target = tmp_path / "汇总.xlsx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    stale = tmp_path / f".汇总-{dead}-abcd1234.xlsx.tmp"
    live = tmp_path / f".汇总-{os.getppid()}-efgh5678.xlsx.tmp"  # a run still writing
    other = tmp_path / f".其他-{dead}-abcd1234.xlsx.tmp"
    for p in (stale, live, other):
        p.write_bytes(b"half")
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale_temps(target) == []


def test_outputs_honour_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        mode = stat.S_IMODE(write_bytes(tmp_path / "a.xlsx", b"x").stat().st_mode)
        os.umask(0o027)
        mode_027 = stat.S_IMODE(write_bytes(tmp_path / "b.xlsx", b"x").stat().st_mode)
    finally:
        os.umask(previous)
    assert (mode, mode_027) == (0o644, 0o640)


def test_a_full_disk_is_one_line_and_no_destructor_noise(tmp_path, sample_path):
    """The summary's rows find the disk full (its temporary data, a department's some 30 KB):
    the run ends with one Chinese line naming the summary, blames no department and leaves
    nothing behind. (A summary that cannot be written itself: ``test_atomic``.)"""
    books = _books(tmp_path / "报送", sample_path, 2)

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))

    out = tmp_path / "out" / "汇总.xlsx"
    result = subprocess.run([sys.executable, "-m", "xlsuite", "consolidate", str(books), "-o", str(out)],
                            capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"错误：{out}：无法写入汇总表的临时数据（文件过大或磁盘空间不足；"
                                          f"临时文件夹为 {tempfile.gettempdir()}）"]
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


_ISOLATION_SCRIPT = """
import faulthandler, multiprocessing, os, sys
from pathlib import Path
from xlsuite.county import collect
from xlsuite.core.profile import load_profile

real = collect.read_book

def dying(path):
    if Path(path).name == "1.xlsx":
        faulthandler.disable()
        os.abort()  # as calamine's failed allocation ends the process
    return real(path)

collect.read_book = dying
multiprocessing.set_start_method("fork", force=True)  # workers inherit the patched reader
files = [Path(p) for p in sys.argv[2:]]
results = collect.collect(files, load_profile(), workers=int(sys.argv[1]))
print(",".join(getattr(r, "category", "纳入") for r in results))
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_a_small_batch_still_isolates_a_file_that_aborts_its_process(tmp_path, sample_path, workers):
    """A native abort on one file of a batch under 8 files, or with --workers 1, rejects only
    that file (run in a child process: before isolation, the abort ended the whole run)."""
    files = [tmp_path / f"{i}.xlsx" for i in range(3)]
    for f in files:
        shutil.copyfile(sample_path, f)
    result = subprocess.run([sys.executable, "-c", _ISOLATION_SCRIPT, str(workers), *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["纳入,程序异常,纳入"]
