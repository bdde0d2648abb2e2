"""How fast and how lean county consolidation is, as ratios against baselines in the same run.

    python benchmarks/consolidate.py [--n 1000] [--pandas-n 50] [--rounds 7] [--pandas-rounds 2]
                                     [--workers N] [--cache DIR]

Makes N distinct synthetic department workbooks (the demo county's generator, distinct 单位编码),
(with --cache, made once into DIR and reused by later runs: 10,000 books take minutes to make),
then, round by round (a noisy machine slows every contender of a round alike), runs each of these
as a process of its own and takes its wall time and CPU seconds (user + system, workers included):
  consolidate    `xlsuite consolidate DIR -o SUMMARY.xlsx --workers W`, as a user runs it
  calamine       python-calamine loading every cell of every sheet of the same files, in one
                 process, and in W processes (the same number consolidate uses)
  unzip          inflating every part of every file, in one process: the floor any reader pays
  pandas         pandas.read_excel(sheet_name=None) of every file, each sheet concatenated across
                 files and written to one workbook: the plain script a county might write, with the
                 calamine engine and with openpyxl; slow, so run on the first --pandas-n files and
                 scaled per file
Every ratio is printed as its median over the rounds with min and max. Targets (issue 18):
  consolidate CPU / calamine CPU (one process)            <= 1.6
  consolidate wall / calamine wall (W processes)          <= 1.6
  pandas-calamine wall / consolidate wall                  >= 10
  largest process of consolidate (itself or a worker)     <= 150 MiB
and, as earlier sessions measured it, consolidate wall / calamine wall (one process) <= 2.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SELF = Path(__file__).resolve()


def make_files(folder: Path, n: int) -> list[Path]:
    from xlsuite.demo.data import department, units
    from xlsuite.template.build import build_workbook

    rng = random.Random(1)
    files = []
    for i, (name, supervisor) in enumerate(units(rng, n)):
        path = folder / f"{i:05d}.xlsx"
        build_workbook(path, department(rng, f"{600000 + i}", name, supervisor, set()))
        files.append(path)
    return files


def cached_files(cache: Path, n: int) -> Path:
    """The folder of ``n`` books under ``cache``, made unless an earlier run finished making them
    (a marker written last says so; the generator is seeded, so the books are the same)."""
    folder = cache / f"books-{n}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.xlsx"):
            old.unlink()
        make_files(folder, n)
        done.write_text(f"{n}\n")
    return folder


# --- the contenders, each run in a process of its own ------------------------------------------

def calamine_load(files: list[str]) -> None:
    import python_calamine

    for path in files:
        wb = python_calamine.CalamineWorkbook.from_path(path)
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        wb.close()


def calamine_parallel(files: list[str], procs: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[i::procs] for i in range(procs)]
    with ProcessPoolExecutor(max_workers=procs) as pool:
        list(pool.map(calamine_load, chunks))


def unzip_all(files: list[str]) -> None:
    for path in files:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                zf.read(info)


def pandas_script(files: list[str], engine: str, out: str) -> None:
    import pandas as pd

    frames: dict[str, list] = {}
    for path in files:
        for sheet, frame in pd.read_excel(path, sheet_name=None, engine=engine).items():
            frame["来源文件"] = Path(path).name
            frames.setdefault(sheet, []).append(frame)
    with pd.ExcelWriter(out) as writer:
        for sheet, parts in frames.items():
            pd.concat(parts, ignore_index=True).to_excel(writer, sheet_name=sheet[:31], index=False)


def _baseline(args) -> None:
    files = [str(p) for p in sorted(Path(args.folder).glob("*.xlsx"))][: args.limit or None]
    if args.baseline == "calamine":
        calamine_load(files)
    elif args.baseline == "calamine-parallel":
        calamine_parallel(files, args.procs)
    elif args.baseline == "unzip":
        unzip_all(files)
    else:
        pandas_script(files, args.baseline.removeprefix("pandas-"), args.out)


# --- measuring -----------------------------------------------------------------------------------

_PROBE = ("import json, resource, subprocess, sys, time\n"
          "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
          "wall = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
          "print(json.dumps([wall, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024]))\n")


def measured(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the largest resident set (MiB) of ``cmd`` and every process
    it started and waited for, taken by a small process that does nothing else."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", _PROBE, *cmd], check=True, capture_output=True,
                         text=True, env=env).stdout
    wall, cpu, peak = json.loads(out)
    return wall, cpu, peak


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}  [{min(values):.2f} – {max(values):.2f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pandas-n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pandas-rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None,
                        help="consolidate's workers and calamine's processes (default: consolidate's own)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="a folder to keep the generated books in, reused by later runs")
    # A contender's own process (used by the benchmark itself).
    parser.add_argument("--baseline", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--procs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        _baseline(args)
        return 0
    if args.rounds < 1 or args.pandas_rounds < 1 or args.n < 1:
        parser.error("--n, --rounds and --pandas-rounds must be at least 1")
    sys.path.insert(0, str(REPO))
    from xlsuite.county.collect import default_workers

    workers = args.workers or default_workers()
    # An installed xlsuite runs from compiled bytecode (pip compiles it); a checkout may not have
    # it, or have it stale, and a sandbox may forbid writing it (PYTHONDONTWRITEBYTECODE).
    compileall.compile_dir(REPO / "xlsuite", quiet=1)
    with tempfile.TemporaryDirectory(prefix="xlsuite-bench-") as tmp:
        start = time.perf_counter()
        if args.cache:
            folder = cached_files(args.cache, args.n)
        else:
            folder = Path(tmp) / "in"
            folder.mkdir()
            make_files(folder, args.n)
        print(f"{args.n} workbooks ready in {time.perf_counter() - start:.1f} s; {workers} workers", flush=True)
        py, me = sys.executable, [sys.executable, str(SELF), "--folder", str(folder)]
        commands = {
            "consolidate": [py, "-m", "xlsuite", "consolidate", str(folder), "-o", str(Path(tmp) / "s.xlsx"),
                            "--workers", str(workers)],
            "calamine": [*me, "--baseline", "calamine"],
            f"calamine ×{workers}": [*me, "--baseline", "calamine-parallel", "--procs", str(workers)],
            "unzip": [*me, "--baseline", "unzip"],
        }
        pandas = {f"pandas-{engine}": [*me, "--baseline", f"pandas-{engine}", "--limit", str(args.pandas_n),
                                       "--out", str(Path(tmp) / f"p-{engine}.xlsx")]
                  for engine in ("calamine", "openpyxl")}
        measured(commands["calamine"])  # the page cache and the first imports, outside the timing
        results: dict[str, list[tuple[float, float, float]]] = {}
        for r in range(args.rounds):
            todo = dict(commands, **(pandas if r < args.pandas_rounds else {}))
            for name, cmd in todo.items():
                wall, cpu, peak = measured(cmd)
                if name in pandas:  # scaled from the first --pandas-n files to all of them
                    scale = args.n / min(args.pandas_n, args.n)
                    wall, cpu = wall * scale, cpu * scale
                results.setdefault(name, []).append((wall, cpu, peak))
            print(f"  round {r + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s" for k, v in results.items()
                                                    if len(v) == r + 1), flush=True)

    def ratio(a: str, b: str, i: int) -> list[float]:
        return [x[i] / y[i] for x, y in zip(results[a], results[b], strict=False)]

    par = f"calamine ×{workers}"
    print(f"\nfiles: {args.n} (pandas: first {args.pandas_n}, scaled), rounds: {args.rounds}, "
          f"workers: {workers}, cpus: {os.cpu_count()}; medians [min – max]:")
    for name, rows in results.items():
        print(f"  {name:16} wall {spread([w for w, _, _ in rows])} s   cpu {spread([c for _, c, _ in rows])} s   "
              f"peak {max(p for _, _, p in rows):.0f} MiB")
    checks = [
        ("consolidate CPU / calamine CPU (one process)", ratio("consolidate", "calamine", 1), "<=", 1.6),
        (f"consolidate wall / calamine wall ({workers} processes)", ratio("consolidate", par, 0), "<=", 1.6),
        ("consolidate wall / calamine wall (one process)", ratio("consolidate", "calamine", 0), "<=", 2.0),
        ("pandas-calamine wall / consolidate wall", ratio("pandas-calamine", "consolidate", 0), ">=", 10),
        ("pandas-openpyxl wall / consolidate wall", ratio("pandas-openpyxl", "consolidate", 0), ">=", 10),
        ("consolidate CPU / unzip CPU (the floor)", ratio("consolidate", "unzip", 1), None, None),
    ]
    print()
    for label, values, op, target in checks:
        median = statistics.median(values)
        verdict = "" if op is None else (
            "OK" if (median <= target if op == "<=" else median >= target) else "MISSED")
        goal = f"(target {op} {target})" if op else ""
        print(f"  {label:52} = {spread(values)}  {goal} {verdict}")
    peak = max(p for _, _, p in results["consolidate"])
    print(f"  {'largest process of consolidate':52} = {peak:.0f} MiB  (target <= 150) {'OK' if peak <= 150 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
