"""Read, validate and score many workbooks in parallel processes, losing none.

Each file becomes either a ``Department`` or a ``Rejected`` record (plain data, cheap to pickle).
No file stops the batch: a bad workbook is rejected with its Chinese reason, an unexpected
exception is rejected as 程序异常, and a worker process that dies takes only its own file with it
(the files it did not finish are retried one by one in fresh processes). Files are always read
in worker processes, a single one for a few files or ``workers=1``, so that a native abort (a
library crashing on a file) can never take the batch down. Workers end as soon as the process
that started them does, however it ends (SIGKILL included), and are stopped, not waited for,
when the batch is interrupted.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..core import contract as c
from ..core.errors import CellValueError, ContractError, XlsuiteError
from ..core.evaluation import Evaluation, evaluate
from ..core.profile import Profile
from ..core.scoring import BookScore
from ..reader import read_book
from . import columns
from .own_files import generated_kind, own_reason
from .results import (
    BAD_CELLS,
    CRASHED,
    NOT_STANDARD,
    SKIPPED,
    UNREADABLE,
    Department,
    Issue,
    ProjectRow,
    Rejected,
)

Result = Department | Rejected
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` as files finish."""
OnResult = Callable[[Result], None]
"""Called with each result as it arrives (in the order files finish)."""

SERIAL_BELOW = 8
"""Fewer files than this are read by one worker process: starting more would cost more."""

CHUNK_MAX = 2
"""At most this many files per task sent to a worker. A task's results go back through a pipe
the size of a memory page or sixteen (64 KB on Linux): a batch that fits is written at once,
while a larger one keeps its worker waiting until the main process reads. For ``consolidate``
a file's result holds its rendered summary rows (some 30 KB); at 1,000 books two files a task
cost no more than six."""

AHEAD = 4
"""Tasks sent ahead per worker: enough that none waits for the next, few enough that results
never pile up in the main process."""


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def collect(paths: list[Path], profile: Profile | None, workers: int | None = None,
            progress: Progress | None = None, on_result: OnResult | None = None) -> list[Result]:
    """One result per path, in the order of ``paths`` (see ``stream``, which keeps none).

    Args:
        paths: workbook files.
        profile: the scoring profile every book is validated and scored against; ``None``
            evaluates each book under the profile it records (else national).
        workers: worker processes (default ``min(cpu, 4)``); with 1, or fewer than
            ``SERIAL_BELOW`` files, one worker reads them all, file by file.
        progress: called as files finish (after each file, or each batch of files when
            reading in parallel).
        on_result: called with each result as it arrives, so the caller can work on it while
            the workers read on.
    """
    results: dict[int, Result] = {}

    def keep(index: int, result: Result) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    stream(paths, profile, workers, progress, keep)
    return [results[i] for i in range(len(paths))]


IndexedResult = Callable[[int, Result], None]
"""Called as ``on_result(index, result)``: the result of ``paths[index]``."""


def stream(paths: list[Path], profile: Profile | None, workers: int | None, progress: Progress | None,
           on_result: IndexedResult, prepare: Prepare | None = None) -> None:
    """Read, validate and score ``paths`` as ``collect`` does, handing each result to
    ``on_result`` as it arrives (in the order files finish) and keeping none: the caller keeps
    what it needs, so memory need not grow with the number of files.

    ``prepare``, when given, is called in the worker process on each ``Department``, and what it
    returns is handed on instead: the work a caller would do on each result is then spread over
    the workers. It must pickle (a worker may be a fresh interpreter) and never raise (it may
    return a ``Rejected``)."""
    workers = workers or default_workers()
    total = len(paths)
    if not paths:
        return
    serial = workers <= 1 or total < SERIAL_BELOW
    done = _Delivered(total)

    def deliver(index: int, result: Result) -> None:
        done.mark(index)
        on_result(index, result)

    setup = (profile, prepare)
    broken = _pool_pass(paths, range(total), setup, 1 if serial else min(workers, total), done, deliver,
                        progress, total, one_by_one=serial)
    for index in broken:  # each alone, so a file that kills its worker only rejects itself
        _pool_pass(paths, [index], setup, 1, done, deliver, progress, total)
        if index not in done:
            deliver(index, Rejected(str(paths[index]), CRASHED, "读取此文件时程序意外退出"))
            if progress:
                progress(len(done), total)


def collect_one(path: Path, profile: Profile | None) -> Result:
    """Read, validate and score one file; never raises (except on Ctrl-C)."""
    try:
        book = read_book(path)
    except CellValueError as exc:
        return Rejected(str(path), BAD_CELLS, exc.reason, advice=exc.advice)
    except ContractError as exc:
        kind = generated_kind(path)  # an earlier summary or a 审核意见 kept among the submissions
        if kind:
            return Rejected(str(path), SKIPPED, own_reason(kind))
        return Rejected(str(path), NOT_STANDARD, exc.reason, advice=exc.advice)
    except XlsuiteError as exc:
        return Rejected(str(path), UNREADABLE, exc.reason, advice=exc.advice)
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop the county's batch
        return Rejected(str(path), CRASHED, f"读取时出现意外错误（{type(exc).__name__}: {exc}）")
    try:
        evaluation = evaluate(book, profile)
    except ContractError as exc:  # the profile the book records is unusable
        return Rejected(str(path), NOT_STANDARD, exc.reason, book.info.unit_code, book.info.unit_name)
    try:
        return summarise(evaluation, str(path))
    except Exception as exc:  # noqa: BLE001
        return Rejected(str(path), CRASHED, f"校验或评分时出现意外错误（{type(exc).__name__}: {exc}）",
                        book.info.unit_code, book.info.unit_name)


def summarise(evaluation: Evaluation, path: str) -> Department:
    """The plain-data record of an evaluated book: its amounts, projects, indicators, findings
    and scores."""
    book, scores, lines, findings = evaluation.book, evaluation.score, evaluation.amounts, evaluation.findings
    # As floats, the values the summary shows and adds up as a spreadsheet does: a Decimal
    # travels between processes as text to be parsed again, the costliest part of a result.
    amounts = {key: (None if budget is None else float(budget), None if spent is None else float(spent))
               for key, (_, budget, spent) in lines.items()}
    info = book.info
    dept = scores.department
    return Department(
        path=path, code=str(info.unit_code).strip(), name=info.unit_name, supervisor=info.supervisor,
        year=info.year, amounts=amounts, rate=dept.execution.rate, score=dept.total, grade=dept.grade,
        profile=scores.profile,
        projects=_projects(book, scores),
        indicators=_indicators(scores),
        issues=[Issue(f.rule_id, f.severity, f.message, f.location, f.subject) for f in findings],
        filled=info.filled_date, copy_of=book.score_stamp.get("input_sha256", ""),
    )


def _projects(book, scores: BookScore) -> list[ProjectRow]:
    """Each project's record: the values of ``columns.PROJECT``."""
    values = [col.value for col in columns.PROJECT]
    return [ProjectRow._make([value(p, s) for value in values])
            for p, s in zip(book.projects, scores.projects, strict=True)]


def _indicators(scores: BookScore) -> list[tuple]:
    """Rows with ``IndicatorRow``'s fields (``columns.INDICATOR``), as plain tuples (see there why)."""
    values = [col.value for col in columns.INDICATOR]
    rows = []
    for subject in scores.subjects():
        name = c.WHOLE_DEPARTMENT if subject.kind == c.WHOLE_DEPARTMENT else subject.name
        rows += [tuple([value(s, name) for value in values]) for s in subject.indicators]
    return rows


# --- the process pool ----------------------------------------------------------------------------

Prepare = Callable[[Department], object]
"""See ``stream``."""

_profile: Profile | None = None
_prepare: Prepare | None = None


def _init_worker(profile: Profile | None, prepare: Prepare | None, parent: int) -> None:
    global _profile, _prepare
    _profile, _prepare = profile, prepare
    _die_with_parent(parent)
    # Reading a book makes thousands of small objects and no reference cycles (an exception's
    # traceback being the exception); the collector still scanned them about 5% of the time.
    # Objects inherited from the main process are frozen out of its scans, and it runs less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()  # the main process pauses it while gathering; a fork inherits that
    # Ctrl-C is the main process's to handle; workers just stop when it shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the main process's SIGTERM handler, which raises Terminated: the
    # pool's worker loop would send that back as a task's exception and go on with the next
    # task, so the main process's terminate() would not stop it. SIGTERM ends a worker.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


PARENT_POLL_SECONDS = 0.5
"""How often a worker looks whether the process that started it is still there."""

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` ends: on Linux the kernel sends SIGKILL the moment it
    does (prctl PR_SET_PDEATHSIG); elsewhere, and as a second guard, a thread notices that the
    worker's parent changed (it was adopted) within ``PARENT_POLL_SECONDS``."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the guard was in place
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="xlsuite-parent-watch", daemon=True).start()


def _work(paths: list[Path]) -> list[bytes]:
    """The results of ``paths`` (each ``prepare``d, see ``stream``), each pickled here: the main
    process holds a result it has not yet taken as one bytes object (some 6 KB for a
    ``Department``, 30 KB with its rendered summary rows), not as the thousand objects it
    unpickles into, and unpickles each only as it takes it."""
    return [pickle.dumps(_prepared(collect_one(path, _profile)), pickle.HIGHEST_PROTOCOL) for path in paths]


def _prepared(result: Result):
    return _prepare(result) if _prepare is not None and isinstance(result, Department) else result


def _chunks(indices: Sequence[int], workers: int) -> Iterator[Sequence[int]]:
    """Files in batches: one task per file costs a round trip between processes each; a few
    batches per worker keep both workers busy and the progress bar moving. The last files go
    in batches of a quarter the size, so no worker is left alone with a whole batch at the end.
    Made as they are sent, each a slice of ``indices`` (of a ``range``, a range): the batches
    of a county's files cost nothing a file before they are sent."""
    size = max(1, min(CHUNK_MAX, len(indices) // (workers * 4)))
    tail = min(len(indices), workers * size)
    head = len(indices) - tail
    for i in range(0, head, size):
        yield indices[i:min(i + size, head)]
    small = max(1, size // 4)
    for i in range(head, len(indices), small):
        yield indices[i:i + small]


class _Delivered:
    """Which files' results were delivered: a flag a file (a set of indices would cost some
    fifty bytes each), and how many."""

    def __init__(self, total: int):
        self._flags = bytearray(total)
        self._count = 0

    def mark(self, index: int) -> None:
        if not self._flags[index]:
            self._flags[index] = 1
            self._count += 1

    def __contains__(self, index: int) -> bool:
        return bool(self._flags[index])

    def __len__(self) -> int:
        return self._count


def _pool_pass(paths, indices, setup: tuple[Profile | None, Prepare | None], workers, done: _Delivered,
               deliver: IndexedResult, progress, total, one_by_one: bool = False) -> list[int]:
    """Run ``indices`` through a pool, each result to ``deliver``; return those lost to a dead
    worker. ``setup`` is the workers' profile and ``prepare``; ``done`` holds the indices
    delivered. ``one_by_one`` sends one file per task (a few files, or one worker: progress per
    file)."""
    broken = []
    before = {id(p) for p in multiprocessing.active_children()}
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(*setup, os.getpid()))
    chunks = ([i] for i in indices) if one_by_one else _chunks(indices, workers)
    try:
        # Finished tasks come through a queue rather than ``as_completed``, which holds every
        # future, and so every result, to the end: here each is let go of once delivered. At
        # most ``AHEAD`` tasks per worker are out at a time, so that results the main process
        # has not yet taken cannot pile up when it is the slower side.
        arrived: queue.SimpleQueue[Future] = queue.SimpleQueue()
        futures: dict[Future, list[int]] = {}
        todo = iter(chunks)

        def submit_next() -> None:
            chunk = next(todo, None)
            if chunk is None:
                return
            try:
                future = pool.submit(_work, [paths[i] for i in chunk])
            except BrokenProcessPool:  # a worker died: what is left is retried file by file
                broken.extend(chunk)
                for rest in todo:
                    broken.extend(rest)
                return
            futures[future] = chunk
            future.add_done_callback(arrived.put)

        for _ in range(AHEAD * workers):
            submit_next()
        while futures:
            future = arrived.get()
            chunk = futures.pop(future)
            submit_next()  # the workers read on while this batch is taken in
            try:
                batch = future.result()
            except BrokenProcessPool:
                broken += chunk
                continue
            for index, result in zip(chunk, batch, strict=True):
                deliver(index, pickle.loads(result))
            del batch, future
            if progress:
                progress(len(done), total)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failing: stop the workers rather than wait for them
        # to finish the files they hold, and do not wait on a pool the interruption may have
        # caught halfway through a call.
        _stop_workers(before)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(broken)


def _stop_workers(before: set[int]) -> None:
    """Terminate the child processes started since ``before`` (the ids of those alive then):
    the pool's workers (Python 3.14 has ``terminate_workers``; earlier, only the executor's
    private ``_processes`` name them)."""
    for process in multiprocessing.active_children():
        if id(process) in before:
            continue
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
