"""Structured mutations of the sample (``structured_mutations.py``): one reading or one refusal.

Each mutation is something an engine trusts or reads its own way. Read by both engines in a
child process (a native abort must not take the test run with it): neither aborts, and either
both read the same book or both refuse it with the same Chinese reason.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import structured_mutations as sm

TESTS = Path(__file__).parent
_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from fuzz_reader import outcome
for path in sys.argv[2:]:
    print(json.dumps([outcome(Path(path), e) for e in ("calamine", "openpyxl")], ensure_ascii=False), flush=True)
"""

REFUSED = {
    "encoding of the shared strings": "文件已损坏（其中的 xl/sharedStrings.xml 声明的字符编码“x-unknown-8”不是 Excel 使用的 UTF-8）",
    "encoding of the workbook": "文件已损坏（其中的 xl/workbook.xml 声明的字符编码“x-unknown-8”不是 Excel 使用的 UTF-8）",
    "encoding of a sheet": "文件已损坏（其中的 xl/worksheets/sheet4.xml 声明的字符编码“x-unknown-8”不是 Excel 使用的 UTF-8）",
    "encoding UTF-16 declared": "文件已损坏（其中的 xl/worksheets/sheet4.xml 声明的字符编码“UTF-16”不是 Excel 使用的 UTF-8）",
    "cell outside its row": "工作表“收支情况”已损坏（单元格 E5 写在第 4 行中）",
    "digits with underscores": "工作表“收支情况”已损坏（单元格 F4 的数值“1_000”无法识别）",
    "rows out of order": "工作表“收支情况”已损坏（第 4 行排在第 5 行之后）",
    "cell given twice": "工作表“收支情况”已损坏（单元格 F4 重复或排在同一行靠右的单元格之后）",
    "upper-case entry names": "文件已损坏（压缩包中的部件名称大小写不符，如 xl/workbook.xml 写成了大写）",
    "dimension no range": "工作表“收支情况”已损坏（已用区域标记“ZZZZ1”不是单元格区域）",
    "one sheet's entry name in upper case":
        "文件已损坏（工作表“绩效指标”的部件名 XL/WORKSHEETS/SHEET6.XML 与工作簿所列的 xl/worksheets/sheet6.xml 大小写不符）",
}
"""Mutations refused, with the reason both engines give. The others read as the sample does."""
READ_AS_THE_SAMPLE = ("uniqueCount", "count", "negative uniqueCount", "dimension", "dimension smaller than the sheet",
                      "style counts")


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, sample_path) -> dict[str, list]:
    folder = tmp_path_factory.mktemp("structured")
    names = [*sm.MUTATIONS, "sample"]
    paths = [sm.write(sample_path, name, folder / f"{n}.xlsx") if name != "sample" else sample_path
             for n, name in enumerate(names)]
    child = subprocess.run([sys.executable, "-c", _CHILD, str(TESTS), *map(str, paths)],
                           capture_output=True, text=True, timeout=300)
    lines = child.stdout.splitlines()
    assert child.returncode == 0, f"died on {names[len(lines)]} (rc {child.returncode}): {child.stderr[-1500:]}"
    return dict(zip(names, map(json.loads, lines), strict=True))


@pytest.mark.parametrize("name", [*REFUSED])
def test_refused_alike_by_both_engines(outcomes, name):
    assert outcomes[name] == [["InputError", REFUSED[name]]] * 2


@pytest.mark.parametrize("name", READ_AS_THE_SAMPLE)
def test_counts_an_engine_might_trust_change_nothing(outcomes, name):
    assert outcomes[name] == outcomes["sample"]
    assert outcomes["sample"][0][0] == "ok"


def test_every_mutation_is_read_one_way(outcomes):
    for name, (calamine, openpyxl) in outcomes.items():
        assert calamine == openpyxl, name


def test_a_huge_unique_count_neither_aborts_nor_changes_the_reading(tmp_path, sample_path):
    """uniqueCount="999999999" in a 47 KB book made calamine reserve 24 GB and abort the
    process (SIGABRT, a Rust backtrace) wherever memory is not promised beyond what exists (here:
    3 GB of address space, as on a county office PC); the reader gives calamine the true count."""
    path = sm.write(sample_path, "uniqueCount", tmp_path / "counts.xlsx")
    run = subprocess.run([sys.executable, "-m", "xlsuite", "read", str(path), "--format", "json"],
                         capture_output=True, text=True, timeout=120, preexec_fn=_limit_memory)
    sample = subprocess.run([sys.executable, "-m", "xlsuite", "read", str(sample_path), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (0, "")
    read, expected = json.loads(run.stdout), json.loads(sample.stdout)
    assert read | {"source": ""} == expected | {"source": ""}
