"""How fast ``xlsuite report`` is on a big book, as a ratio against the seed sample in the same run.

    python benchmarks/report.py [--projects 50] [--indicators 20] [--rounds 3]

Builds a book of the sample department with PROJECTS projects of INDICATORS indicators each (the
book tests/test_excel_actions.py uses for the buttons' cost: 50 × 20 = 1,000 indicators), then
times ``write_report`` — what ``xlsuite report`` and the Excel 生成报告 button run: read, score,
compose and write the .docx with its appendix of forms — on it and on the seed sample, round by
round. The seed has 7 projects and 40 indicators; the appendix grows with them (one
项目支出绩效自评表 a project, one row an indicator), so a cost that grows with the document
keeps big / seed below their size ratio (about 25 in indicators), while drawing the forms
cell by cell through python-docx's lookups made it grow quadratically (over 3 minutes).
Target: the big book under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "workbook_templates" / "samples" / "永昌县工信局-2021.xlsx"
TARGET_SECONDS = 10.0


def big_book(folder: Path, projects: int, indicators: int) -> Path:
    """The book the Excel buttons' cost tests use (xlsuite.sample.scaled_sample)."""
    from xlsuite.sample import scaled_sample
    from xlsuite.template import build_workbook

    return build_workbook(folder / "big.xlsx", scaled_sample(projects, indicators))


def seconds(book: Path, out: Path) -> float:
    from xlsuite.report import write_report

    start = time.perf_counter()
    write_report(book, out)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--indicators", type=int, default=20, help="indicators per project")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xlsuite-bench-") as tmp:
        folder = Path(tmp)
        big = big_book(folder, args.projects, args.indicators)
        seconds(SAMPLE, folder / "warm.docx")  # imports and the page cache
        rounds = []
        for _ in range(args.rounds):  # alternating, so a noisy neighbour slows both alike
            seed, large = seconds(SAMPLE, folder / "seed.docx"), seconds(big, folder / "big.docx")
            rounds.append((seed, large, large / seed))
    seed, large, ratio = (statistics.median(r[i] for r in rounds) for i in range(3))

    indicators = args.projects * args.indicators
    print(f"rounds: {args.rounds}, medians:")
    print(f"seed sample                          {seed:7.2f} s")
    print(f"{args.projects} projects / {indicators} indicators     {large:7.2f} s  "
          f"(target < {TARGET_SECONDS:.0f} s) {'OK' if large < TARGET_SECONDS else 'MISSED'}")
    print(f"big / seed                           {ratio:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
