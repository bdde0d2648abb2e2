"""Run LibreOffice headless with every formula recalculated on load.

Plain ``soffice --convert-to`` keeps the cached values stored in an .xlsx (xlsxwriter stores
whatever it was given, openpyxl none), so it proves nothing about formulas. Here soffice gets a
throw-away profile whose settings say "always recalculate" for OOXML and ODF files.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{recalc}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{recalc}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Font/Substitution"><prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>
{pairs}</oor:items>
"""

# The Windows fonts the forms name are not on Linux; without a replacement every CJK glyph
# falls back to a sans face. Map them to the nearest Noto CJK faces so the rendered pages look
# like what Excel prints (宋体/仿宋 are serif faces, 黑体 sans).
FONT_REPLACEMENTS = {"宋体": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC",
                     "黑体": "Noto Sans CJK SC", "楷体": "Noto Serif CJK SC"}
_PAIR = """<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs"><node oor:name="{name}" oor:op="replace">\
<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>\
<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>\
<prop oor:name="ReplaceFont" oor:op="fuse"><value>{font}</value></prop>\
<prop oor:name="SubstituteFont" oor:op="fuse"><value>{substitute}</value></prop></node></item>
"""
_SETTINGS_PLAIN = _SETTINGS.replace("{pairs}", "")
_SETTINGS = _SETTINGS.replace("{pairs}", "".join(
    _PAIR.format(name=f"xlsuite{i}", font=font, substitute=sub)
    for i, (font, sub) in enumerate(FONT_REPLACEMENTS.items())))


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
    return exe


ALWAYS_RECALCULATE, NEVER_RECALCULATE = "0", "1"
"""LibreOffice's choices for formulas on load; "never" (keep the cached values, compute only
cells that have none) is what a fresh installation does with an .xlsx."""


def run(arguments: list[str], timeout: int = 180, recalc: str = ALWAYS_RECALCULATE, *,
        substitute_fonts: bool = True) -> subprocess.CompletedProcess:
    """Run soffice headless with ``arguments`` under a throw-away profile that recalculates
    every formula on load, or as ``recalc`` says (one launch, however many files the arguments
    name). ``substitute_fonts=False`` leaves out ``FONT_REPLACEMENTS``: Latin letters and digits
    then take LibreOffice's fallback, DejaVu Sans, wider than 宋体's (the worst case for a
    number in a narrow column)."""
    with tempfile.TemporaryDirectory(prefix="xlsuite-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        settings = _SETTINGS if substitute_fonts else _SETTINGS_PLAIN
        (user / "registrymodifications.xcu").write_text(settings.replace("{recalc}", recalc), "utf-8")
        return subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *arguments],
            capture_output=True, text=True, timeout=timeout)


def convert(src: Path, out_dir: Path, to: str, timeout: int = 180) -> Path:
    """Convert ``src`` with formulas recalculated; ``to`` is e.g. ``xlsx`` or ``pdf``."""
    return convert_many([src], out_dir, to, timeout)[0]


def convert_many(sources: list[Path], out_dir: Path, to: str, timeout: int = 900, *,
                 substitute_fonts: bool = True) -> list[Path]:
    """Convert every file of ``sources`` with formulas recalculated, in one LibreOffice launch
    (starting soffice costs more than recalculating a book); returns the converted files in
    the order of ``sources``. Their stems must differ."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = run(["--convert-to", to, "--outdir", str(out_dir), *map(str, sources)], timeout,
                 substitute_fonts=substitute_fonts)
    targets = [out_dir / f"{src.stem}.{to.split(':')[0]}" for src in sources]
    missing = [t.name for t in targets if not t.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {missing}: {result.stdout}{result.stderr}")
    return targets
