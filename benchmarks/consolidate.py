"""How fast county consolidation is, as ratios against baselines measured in the same run.

    python benchmarks/consolidate.py [--n 1000] [--pandas-n 50] [--rounds 9] [--pandas-rounds 3] [--workers N]

Makes N distinct synthetic department workbooks (the demo county's generator, distinct 单位编码),
then, round by round so a noisy machine slows all alike (calamine just before and just after each
consolidate, the ratio against their mean; pandas in the first --pandas-rounds rounds), times:
  consolidate  `xlsuite consolidate DIR -o SUMMARY.xlsx` end to end, as a user runs it (a new
               process: discovery, parallel read + validate + score, the summary workbook)
  calamine     python-calamine merely loading every cell of every sheet of the same files
  pandas       pandas.read_excel(sheet_name=None, engine="openpyxl") of every file + concat of each
               sheet across files: the plain script a county might write; slow, so measured on the
               first --pandas-n files and scaled per file
Targets: consolidate/calamine <= 2; pandas/consolidate >= 10. Peak memory is the largest resident
set of the consolidate process or any of its workers (ru_maxrss of children).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_files(folder: Path, n: int) -> list[Path]:
    from xlsuite.demo_data import department, units
    from xlsuite.template import build_workbook

    rng = random.Random(1)
    files = []
    for i, (name, supervisor) in enumerate(units(rng, n)):
        path = folder / f"{i:04d}.xlsx"
        build_workbook(path, department(rng, f"{600000 + i}", name, supervisor, set()))
        files.append(path)
    return files


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_consolidate(folder: Path, out: Path, workers: int | None) -> None:
    cmd = [sys.executable, "-m", "xlsuite", "consolidate", str(folder), "-o", str(out)]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run(cmd, check=True, capture_output=True, env=env)


def calamine_all(files: list[Path]) -> None:
    import python_calamine

    for path in files:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        wb.close()


def pandas_gather(files: list[Path]) -> None:
    import pandas as pd

    frames: dict[str, list] = {}
    for path in files:
        for sheet, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            frame["来源文件"] = path.name
            frames.setdefault(sheet, []).append(frame)
    {sheet: pd.concat(parts, ignore_index=True) for sheet, parts in frames.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pandas-n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--pandas-rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="passed to consolidate (default: its own)")
    args = parser.parse_args()
    if args.rounds < 1 or args.pandas_rounds < 1:
        parser.error("--rounds and --pandas-rounds must be at least 1")

    # An installed xlsuite runs from compiled bytecode (pip compiles it); a checkout may not
    # have it, or have it stale, and a sandbox may forbid writing it (PYTHONDONTWRITEBYTECODE),
    # which would add compiling every module to every timed run.
    compileall.compile_dir(REPO / "xlsuite", quiet=1)
    with tempfile.TemporaryDirectory(prefix="xlsuite-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        start = time.perf_counter()
        files = make_files(folder, args.n)
        print(f"made {args.n} workbooks in {time.perf_counter() - start:.1f} s", flush=True)
        out = Path(tmp) / "summary.xlsx"
        calamine_all(files[:5])  # warm the page cache and imports
        subset = files[: args.pandas_n]
        rounds, pandas_ratios = [], []
        for n in range(args.rounds):
            # calamine before and after each consolidate: the machine's speed drifts, and the
            # ratio is taken against the mean of the two runs beside it.
            k1 = timed(lambda: calamine_all(files))
            c = timed(lambda: run_consolidate(folder, out, args.workers))
            k2 = timed(lambda: calamine_all(files))
            k = (k1 + k2) / 2
            rounds.append((c, k, c / k))
            line = f"  round: consolidate {c:.2f} s, calamine {k1:.2f} / {k2:.2f} s, ratio {c / k:.2f}"
            if n < args.pandas_rounds:  # slow, and far from its target: a few rounds suffice
                p = timed(lambda: pandas_gather(subset)) / len(subset) * len(files)
                pandas_ratios.append((p, p / c))
                line += f", pandas (scaled) {p:.1f} s"
            print(line, flush=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        size = out.stat().st_size / 1e6

    c, k, ratio = (statistics.median(r[i] for r in rounds) for i in range(3))
    p, p_ratio = (statistics.median(r[i] for r in pandas_ratios) for i in range(2))
    ratios = sorted(r[2] for r in rounds)
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    print(f"files: {args.n} (pandas: {len(subset)}, scaled), rounds: {args.rounds} (pandas: {len(pandas_ratios)}), "
          f"cpus: {os.cpu_count()}, medians:")
    print(f"consolidate  {c:7.2f} s  ({c / args.n * 1000:.2f} ms/file; summary {size:.1f} MB)")
    print(f"calamine     {k:7.2f} s  ({k / args.n * 1000:.2f} ms/file, one process)")
    print(f"pandas       {p:7.2f} s  ({p / args.n * 1000:.2f} ms/file, one process)")
    print(f"consolidate / calamine-load-all-cells = {ratio:.2f}  (target <= 2)  {'OK' if ratio <= 2 else 'MISSED'}"
          f"  [rounds: {ratios[0]:.2f} min, {quartiles[0]:.2f}-{quartiles[2]:.2f} middle half, {ratios[-1]:.2f} max]")
    print(f"pandas-openpyxl / consolidate         = {p_ratio:.1f}  (target >= 10) {'OK' if p_ratio >= 10 else 'MISSED'}")
    print(f"peak memory (largest process of consolidate): {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
