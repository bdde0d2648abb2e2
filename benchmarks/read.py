"""How fast the reader is, as ratios against baselines measured in the same run.

    python benchmarks/read.py [--n 1000] [--pandas-n 100]

Makes N sample-sized workbooks (copies of the seed sample under distinct names), then times:
  reader    xlsuite.reader.read_book on every file (validated model, Decimal money, cell refs)
  calamine  python-calamine merely loading every cell of every sheet of the same files
  pandas    pandas.read_excel(engine="openpyxl") of every sheet, on the first --pandas-n files
            (it is slow; per-file means are compared)
Targets: reader/calamine <= 1.5; pandas/reader >= 10.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "workbook_templates" / "samples" / "永昌县工信局-2021.xlsx"


def make_files(folder: Path, n: int) -> list[Path]:
    files = []
    for i in range(n):
        path = folder / f"单位{i:04d}.xlsx"
        shutil.copyfile(SAMPLE, path)
        files.append(path)
    return files


def per_file(fn, files: list[Path]) -> float:
    """One pass over ``files``, seconds per file."""
    start = time.perf_counter()
    for path in files:
        fn(path)
    return (time.perf_counter() - start) / len(files)


def paired(fn, baseline, files: list[Path], rounds: int) -> tuple[float, float, list[float]]:
    """Median per-file times of ``fn`` and ``baseline`` and their per-round ratios.

    The two alternate round by round, so a noisy neighbour slows both alike.
    """
    pairs = []
    for _ in range(rounds):
        a, b = per_file(fn, files), per_file(baseline, files)
        pairs.append((a, b, a / b))
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs), [p[2] for p in pairs]


def calamine_all_cells(path: Path) -> None:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()


def pandas_openpyxl(path: Path) -> None:
    import pandas as pd

    pd.read_excel(path, sheet_name=None, engine="openpyxl")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pandas-n", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from xlsuite.reader import read_book

    with tempfile.TemporaryDirectory(prefix="xlsuite-bench-") as tmp:
        files = make_files(Path(tmp), args.n)
        for path in files[:5]:  # warm imports and the page cache
            read_book(path), calamine_all_cells(path)
        reader, calamine, ratios = paired(read_book, calamine_all_cells, files, args.rounds)
        pandas = per_file(pandas_openpyxl, files[: args.pandas_n])

    print(f"files: {args.n} (pandas: {min(args.n, args.pandas_n)}), rounds: {args.rounds}, medians:")
    print(f"reader    {reader * 1000:8.2f} ms/file")
    print(f"calamine  {calamine * 1000:8.2f} ms/file")
    print(f"pandas    {pandas * 1000:8.2f} ms/file")
    r1, r2 = statistics.median(ratios), pandas / reader
    print(f"reader / calamine-load-all-cells = {r1:.2f} [{min(ratios):.2f} – {max(ratios):.2f}]  (target <= 1.5) "
          f"{'OK' if r1 <= 1.5 else 'MISSED'}")
    print(f"pandas-openpyxl / reader         = {r2:.1f}  (target >= 10) {'OK' if r2 >= 10 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
