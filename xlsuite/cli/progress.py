"""How a command runs a county's consolidation: a progress bar, and the collector tuned for it.

``xlsuite consolidate`` and ``xlsuite demo`` both gather a county; both go through
``county_run`` so the progress display and the garbage-collector settings are made once.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

from ..county.memory import no_cycle_collection

READING = "读取工作簿"


@contextmanager
def county_run(label: str = READING):
    """A progress bar to pass as ``consolidate(progress=...)``, with the cyclic collector paused.

    The command ends once the summary is written: the department records it holds live to the
    end and make no reference cycles, so a collection when consolidation resumes the collector
    (a full scan of all of them, ~0.05 s per 1,000 departments) would buy nothing. For the same
    reason, what is alive at the end is frozen out of later collections before the collector is
    back: the interpreter's last one as the process exits would scan it all (0.1 s of a
    1,000-book run's 3 s). A program running the command in its own process gets its collector
    back as it was; what it held at this point is never scanned again.
    """
    with no_cycle_collection():
        try:
            with ProgressBar(label) as bar:
                yield bar
        finally:
            gc.freeze()


class ProgressBar:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, pipes)."""

    WIDTH = 30

    def __init__(self, label: str, stream=None):
        self.label, self.stream = label, stream or sys.stderr
        self.active = self.stream.isatty()
        self.shown = False

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        filled = self.WIDTH * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def __exit__(self, *exc) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
