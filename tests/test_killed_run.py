"""A consolidation killed outright (SIGKILL) while writing its summary leaves nothing in the
output folder: no summary, no temporary."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

# The summary is written, then held: the run is killed while its temporary exists.
_HELD_WHILE_WRITING = """
import sys, time
from xlsuite import cli
from xlsuite.county import summary

write = summary.write_summary

def held(path, *args, **kwargs):
    write(path, *args, **kwargs)
    print("writing", path, flush=True)
    time.sleep(120)

summary.write_summary = held
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_killed_run_leaves_no_temporary(tmp_path, sample_path):
    folder, out = tmp_path / "报送", tmp_path / "汇总"
    folder.mkdir()
    out.mkdir()
    shutil.copy(sample_path, folder / "工信局.xlsx")
    run = subprocess.Popen([sys.executable, "-c", _HELD_WHILE_WRITING, "consolidate", str(folder),
                            "-o", str(out / "县级汇总.xlsx"), "--workers", "2"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = run.stdout.readline()
        assert line.startswith("writing"), run.stderr.read()
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "the temporary exists while writing"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    deadline = time.monotonic() + 15
    while list(out.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.iterdir()) == []
