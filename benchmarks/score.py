"""How ``xlsuite score`` grows with the projects of a book, as ratios measured in the same run.

    python benchmarks/score.py [--indicators 20] [--rounds 3]

Times ``score_workbook`` — what ``xlsuite score`` runs, and what the Excel 评分 / 生成自评表
buttons lay their forms out with — on the seed sample (7 projects) and on books of 50, 100 and
200 projects of INDICATORS indicators each (``xlsuite.template.sample.scaled_sample``), round by round so a
noisy machine slows all alike. Each project is one A4 项目支出绩效自评表 with some forty merges, so
the work should grow linearly; laying the forms out through openpyxl's ``merge_cells`` and per-cell
style objects made it quadratic (a 200-project book took minutes).
Targets: the 100-project book within 4× the seed book; 200 projects within 2.4× of 100.

Then the same 200-project book with 20 indicators a project (4,000 indicators) as LibreOffice
saves it, every formula written out per cell (the contract's size limits are sized from such
books): its score time is printed as a ratio to the seed book's (issue 24.6; no target yet).
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
SIZES = (50, 100, 200)
TARGETS = (("+100 / seed", 100, None, 4.0), ("+200 / +100", 200, 100, 2.4))
SAVED = "4,000 indicators saved by LibreOffice"


def seconds(book: Path, out: Path) -> float:
    from xlsuite.forms.scored_book import score_workbook

    start = time.perf_counter()
    score_workbook(book, out)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.rounds < 1 or args.indicators < 1:
        parser.error("--rounds and --indicators must be at least 1")
    sys.path[:0] = [str(REPO), str(REPO / "tests")]
    from written_out import big_book, saved_by_libreoffice

    from xlsuite.template.build import build_workbook
    from xlsuite.template.sample import scaled_sample

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = {None: SAMPLE}
        for n in SIZES:
            books[n] = build_workbook(folder / f"p{n}.xlsx", scaled_sample(n, args.indicators))
        big = build_workbook(folder / "big.xlsx", big_book())
        books[SAVED] = saved_by_libreoffice(big, folder / "libreoffice")
        seconds(SAMPLE, folder / "warm.xlsx")  # imports and caches, outside the timing
        times: dict = {n: [] for n in books}
        for r in range(args.rounds):
            for n, book in books.items():
                times[n].append(seconds(book, folder / f"out-{n}.xlsx"))
            print(f"  round {r + 1}: " + ", ".join(f"{n or 'seed'} {times[n][-1]:.2f} s" for n in books))
    median = {n: statistics.median(t) for n, t in times.items()}
    print(f"rounds: {args.rounds}, medians: " + ", ".join(f"{n or 'seed'} projects {median[n]:.2f} s" for n in books))
    print(f"{SAVED} = {median[SAVED] / median[None]:.2f} × the seed book")
    ok = True
    for label, big, small, target in TARGETS:
        ratio = median[big] / median[small]
        ok &= ratio <= target
        print(f"{label:12} = {ratio:.2f}  (target <= {target})  {'OK' if ratio <= target else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
