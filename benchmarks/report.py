"""How ``xlsuite report`` grows with projects, as ratios against a 100-project book in the same run.

    python benchmarks/report.py [--projects 100 1000 3000] [--indicators 3] [--rounds 1]

Builds books of the sample department with each number of projects, INDICATORS indicators each
(``xlsuite.template.sample.scaled_sample``; 3,000 × 3 stays within the contract's 20,000 rows a sheet), then
times ``write_report`` — what ``xlsuite report`` and the Excel 生成报告 button run: read, score,
compose and write the .docx with its appendix of one 项目支出绩效自评表 a project — on each, round
by round (every round times all sizes, so a noisy neighbour slows them alike). A cost linear in
projects keeps each time / baseline near its size ratio (10, 30); per-lookup scans of the plan's
merges and python-docx's search of the whole body on every appended table made it quadratic
(1,000 projects 60 s, 3,000 projects 338 s). The first size is the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def book(folder: Path, projects: int, indicators: int) -> Path:
    from xlsuite.template.build import build_workbook
    from xlsuite.template.sample import scaled_sample

    return build_workbook(folder / f"{projects}.xlsx", scaled_sample(projects, indicators))


def seconds(path: Path, out: Path) -> float:
    from xlsuite.report import write_report

    out.unlink(missing_ok=True)
    start = time.perf_counter()
    write_report(path, out)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--indicators", type=int, default=3, help="indicators per project")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xlsuite-bench-") as tmp:
        folder = Path(tmp)
        books = {n: book(folder, n, args.indicators) for n in args.projects}
        seconds(books[args.projects[0]], folder / "warm.docx")  # imports and the page cache
        times: dict[int, list[float]] = {n: [] for n in args.projects}
        for _ in range(args.rounds):
            for n, path in books.items():
                times[n].append(seconds(path, folder / f"{n}.docx"))
    base_n = args.projects[0]
    base = statistics.median(times[base_n])
    print(f"rounds: {args.rounds}, medians; {args.indicators} indicators a project")
    print(f"{'projects':>9} {'seconds':>9} {'ratio':>7} {'size ratio':>11} {'ratio / size ratio':>19}")
    for n in args.projects:
        t = statistics.median(times[n])
        print(f"{n:>9,} {t:>9.2f} {t / base:>7.1f} {n / base_n:>11.1f} {t / base / (n / base_n):>19.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
