"""What the template's formula columns cost LibreOffice: a ratio measured in the same run.

    python benchmarks/recalc.py [--copies 4] [--rounds 3]

Builds one book of 1,000 indicators (the seed department with 50 projects of 20 indicators,
its own 部门整体 indicators left out so the count is exactly 1,000) twice: as the template
builds it, with every computed column, 校验 column and 评分汇总 formula; and with them removed
(built for the same profile with a rounding mode no formula can express, which the builder
answers by writing no formula column). Round by round, so a noisy machine slows both alike,
LibreOffice headless loads ``--copies`` copies of each in one launch with every formula
recalculated on load and saves them (CSV of every sheet, as the differential test does), and a
launch converting a one-cell file measures soffice's own start-up. Prints the median seconds per
book of each, start-up taken off, and their ratio. Target: formulas/plain <= 3.

Beside it, what Excel's limits and the contract's size limits care about: the template's longest
formula (Excel refuses more than 8,192 characters; target <= 2,000) and the bytes of one 绩效指标
row once a program writes every formula out per cell, as LibreOffice and openpyxl save a book
(the last of the 1,000 rows, whose references carry four digits; target <= 3 KB).
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
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def books(folder: Path, copies: int) -> dict[str, list[Path]]:
    from xlsuite.core import contract as c
    from xlsuite.core.profile import national_profile, parse_profile
    from xlsuite.template.build import build_workbook
    from xlsuite.template.sample import scaled_sample

    book = scaled_sample(50, 20)
    book.indicators = [i for i in book.indicators if i.subject != c.WHOLE_DEPARTMENT]
    assert len(book.indicators) == 1000
    national = national_profile()
    plain = parse_profile(national.source.replace("ROUND_HALF_UP", "ROUND_HALF_EVEN"))
    made = {}
    for name, profile in (("formulas", national), ("plain", plain)):
        (folder / name).mkdir(parents=True)
        first = build_workbook(folder / name / f"{name}0.xlsx", book, profile)
        made[name] = [first]
        for n in range(1, copies):
            made[name].append(Path(shutil.copy(first, first.with_name(f"{name}{n}.xlsx"))))
    return made


def launch(paths: list[Path], out: Path) -> float:
    from formula_books import recalculated

    start = time.perf_counter()
    recalculated(paths, out)
    seconds = time.perf_counter() - start
    shutil.rmtree(out)
    return seconds


def _one_cell_book(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write_number(0, 0, 1)
    wb.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xlsuite-recalc-") as tmp:
        folder = Path(tmp)
        made = books(folder, args.copies)
        sizes = formula_sizes(made["formulas"][0], folder / "written-out")
        (folder / "empty").mkdir()
        empty = _one_cell_book(folder / "empty" / "empty.xlsx")
        times: dict[str, list[float]] = {"formulas": [], "plain": [], "start-up": []}
        for _ in range(args.rounds):
            for name in ("formulas", "plain"):
                times[name].append(launch(made[name], folder / f"{name}-out"))
            times["start-up"].append(launch([empty], folder / "empty-out"))
        startup = statistics.median(times["start-up"])
        per_book = {name: max(statistics.median(times[name]) - startup, 0.0) / args.copies
                    for name in ("formulas", "plain")}
    print(f"LibreOffice recalculation of a 1,000-indicator book, {args.copies} copies a launch, "
          f"median of {args.rounds} rounds (start-up {startup:.2f} s taken off):")
    for name in ("formulas", "plain"):
        print(f"  {name:9} {per_book[name]:.2f} s per book")
    ratio = per_book["formulas"] / per_book["plain"] if per_book["plain"] else float("inf")
    print(f"  ratio formulas/plain = {ratio:.2f} (target <= 3)")
    whole = statistics.median(times["formulas"]) / statistics.median(times["plain"])
    print(f"  whole launches, start-up included: formulas/plain = {whole:.2f}")
    print(f"  longest formula of the template: {sizes['longest']:,} characters (Excel's limit 8,192; target <= 2,000)")
    for name in ("LibreOffice", "openpyxl"):
        print(f"  one 绩效指标 row written out by {name}: {sizes[name]:,} bytes (target <= 3,072)")
    return 0


def formula_sizes(book: Path, folder: Path) -> dict[str, int]:
    """The longest formula in ``book`` and one indicator row's bytes as each program saves it."""
    from written_out import indicator_row_bytes, longest_formula, saved_by_libreoffice, written_out

    folder.mkdir()
    return {"longest": longest_formula(book),
            "LibreOffice": indicator_row_bytes(saved_by_libreoffice(book, folder / "lo"), 1000),
            "openpyxl": indicator_row_bytes(written_out(book, folder / "openpyxl.xlsx"), 1000)}


if __name__ == "__main__":
    raise SystemExit(main())
