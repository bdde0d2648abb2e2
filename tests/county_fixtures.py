"""A county folder holding every kind of file a county bureau receives, for the consolidation tests."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from book_parts import open_book
from libreoffice import convert

from xlsuite.core import contract as c
from xlsuite.demo.data import department
from xlsuite.template.build import build_workbook

HYPERLINK_NAME = '=HYPERLINK("http://127.0.0.1","x")'
SUM_NAME = "@SUM(1,2)"
MARKUP_NAME = "<r>永昌县<供销>合作社&联社</r>"
"""Characters XML must escape, shaped like xlsxwriter's rich-text markup (which it would write
into the file as markup): the summary must show them as typed."""


@dataclass
class County:
    folder: Path
    roster: Path
    good: dict[Path, str] = field(default_factory=dict)
    """Workbooks that must be included → their 单位编码."""
    bad: dict[Path, tuple[str, str]] = field(default_factory=dict)
    """Files that must be left out → (category, words the reason must hold)."""
    lock: Path | None = None


def _encrypt(src: Path, out: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as f, out.open("wb") as o:
        OOXMLFile(f).encrypt("secret", o)


def make_county(root: Path, sample: Path) -> County:
    folder = root / "报送 材料"  # a space and Chinese in the path, as on a Windows desktop
    sub = folder / "永昌县教育局"
    sub.mkdir(parents=True)
    county = County(folder, root / "名册.csv")
    seed = folder / "永昌县工信局-2021.xlsx"
    shutil.copy(sample, seed)
    county.good[seed] = "307001"
    rng = random.Random(5)
    units = [("500001", "永昌县第一中学", "永昌县教育局", set()),
             ("500002", "永昌县第二中学", "永昌县教育局", {"cached_score"}),
             ("500003", "永昌县城关第一小学", "永昌县教育局", {"projects_total"}),
             ("500004", HYPERLINK_NAME, "永昌县教育局", set()),
             ("500005", SUM_NAME, "永昌县民政局", set()),
             ("500006", "永昌县民政局", "永昌县民政局", {"function_balance"}),
             ("500007", MARKUP_NAME, "永昌县民政局", set())]
    for code, name, supervisor, faults in units:
        path = sub / f"{code}.xlsx"
        build_workbook(path, department(rng, code, name, supervisor, faults))
        county.good[path] = code
    # Two workbooks with one 单位编码: both left out as 重复.
    for n in (1, 2):
        path = folder / f"重复-{n}.xlsx"
        build_workbook(path, department(rng, "500009", "永昌县社会福利院", "永昌县民政局", set()))
        county.bad[path] = ("重复", "500009")
    first_good = sub / "500001.xlsx"
    data = first_good.read_bytes()
    bad = folder / "问题文件"
    bad.mkdir()
    (bad / "截断.xlsx").write_bytes(data[: len(data) // 2])
    county.bad[bad / "截断.xlsx"] = ("无法读取", "损坏")
    _encrypt(first_good, bad / "加密.xlsx")
    county.bad[bad / "加密.xlsx"] = ("无法读取", "密码")
    (bad / "文本.xlsx").write_text("单位,金额\n工信局,1\n", "utf-8")
    county.bad[bad / "文本.xlsx"] = ("无法读取", "不是 Excel 工作簿")
    (bad / "空.xlsx").write_bytes(b"")
    county.bad[bad / "空.xlsx"] = ("无法读取", "空的")
    xls = convert(first_good, root / "xls", "xls")
    shutil.copy(xls, bad / "旧版.xls")
    county.bad[bad / "旧版.xls"] = ("无法读取", "旧版 Excel 97-2003")
    wb = open_book(first_good)
    del wb[c.INDICATOR_SHEET]
    wb.save(bad / "缺表.xlsx")
    county.bad[bad / "缺表.xlsx"] = ("不是标准工作簿", "缺少工作表：绩效指标")
    county.lock = sub / "~$500001.xlsx"
    county.lock.write_bytes(b"\x06someone" + bytes(157))
    county.roster.write_text("单位编码,单位名称,主管部门\n307001,永昌县工业和信息化局,永昌县工业和信息化局\n"
                             "500001,永昌县第一中学,永昌县教育局\n599999,永昌县档案馆,永昌县档案馆\n", "utf-8")
    return county
