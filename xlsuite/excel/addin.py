"""The xlsuite add-in (xlsuite.xlam): build it from ``macros/`` and install it per user.

The add-in carries the ribbon tab 绩效自评 whose buttons run 校验 / 评分 / 生成自评表 / 生成报告 on the
active workbook, so the department's workbook stays a macro-free .xlsx that mail gateways and
Office's Mark-of-the-Web blocking leave alone.

The package is what Excel writes for a ribbon add-in (as xlwings' ``quickstart_addin_ribbon.xlam``):
the workbook part typed as an add-in, a vbaProject, and a ``customUI/customUI.xml`` part related
from the package root. xlsxwriter writes the workbook with its VBA project; the add-in content
type and the ribbon part are put in afterwards.

Installing copies the file into the per-user Excel start-up folder (XLSTART), where Excel opens
it on every start, as ``xlwings addin install`` does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import xlsxwriter

from ..files.atomic import write_bytes
from ..files.reproducible import FIXED_CREATED
from . import vba
from .startup import ADDIN_FILENAME as ADDIN_FILENAME  # re-exported: the add-in's file name
from .startup import MAC_STARTUP as MAC_STARTUP  # re-exported: where install puts the add-in on a Mac
from .startup import AddinError, startup_dir

ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
MACRO_WORKBOOK_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CUSTOM_UI_PART = "customUI/customUI.xml"
CUSTOM_UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"

def build_addin(path: str | Path) -> Path:
    """Write the add-in to ``path`` (written to a temporary file, then renamed into place).

    Returns:
        The path written.
    """
    path = Path(path)
    data = _with_ribbon(_workbook_bytes())
    return write_bytes(path, data)


def install(folder: str | Path | None = None) -> Path:
    """Build the add-in into Excel's start-up folder (or ``folder``); returns its path."""
    folder = Path(folder) if folder is not None else startup_dir()
    try:
        return build_addin(folder / ADDIN_FILENAME)
    except PermissionError:
        raise AddinError(folder, "无法写入（Excel 正在使用加载项？请退出 Excel 后重试）") from None


def remove(folder: str | Path | None = None) -> Path | None:
    """Delete the installed add-in; returns the path removed, ``None`` if it was not there."""
    path = (Path(folder) if folder is not None else startup_dir()) / ADDIN_FILENAME
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise AddinError(path, "无法删除（Excel 正在使用加载项？请退出 Excel 后重试）") from None
    return path


def status(folder: str | Path | None = None) -> tuple[Path, bool]:
    """Where the add-in goes, and whether it is there."""
    path = (Path(folder) if folder is not None else startup_dir()) / ADDIN_FILENAME
    return path, path.is_file()


# --- package ------------------------------------------------------------------------------------


ADDIN_SHEET = "xlsuite"
"""The add-in's one (hidden, as every add-in's) sheet: a workbook must have one. It holds no
``xlwings.conf`` (it had one, never read): the xlwings add-in, whose RunPython the buttons call,
reads that sheet from the active workbook and from xlwings.xlam itself, never from another
add-in. The county's settings for xlsuite are the ``xlsuite.toml`` file beside it (``settings``)."""
ADDIN_NOTE = "xlsuite 加载项：Excel 功能区的“绩效自评”选项卡。本县评分方案的设置在本文件旁的 xlsuite.toml。"


def _workbook_bytes() -> bytes:
    """The add-in's workbook as xlsxwriter writes it: one sheet with a note, and the VBA."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"title": "xlsuite 预算绩效自评加载项", "author": "xlsuite",
                       "created": FIXED_CREATED})
    ws = wb.add_worksheet(ADDIN_SHEET)
    ws.write_string(0, 0, ADDIN_NOTE)
    ws.set_vba_name("Sheet1")
    wb.set_vba_name("ThisWorkbook")
    project = vba.build_vba_project(vba.sources((vba.BUTTONS_MODULE, vba.RIBBON_MODULE, vba.SERVER_MODULE)), ("Sheet1",))
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    wb.close()
    return buffer.getvalue()


def _with_ribbon(workbook: bytes) -> bytes:
    """Retype the workbook as an add-in and add the ribbon part with its root relationship."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        stamp = None
        for info in src.infolist():
            data = src.read(info)
            stamp = info.date_time
            if info.filename == "[Content_Types].xml":
                text = data.decode("utf-8")
                if MACRO_WORKBOOK_CONTENT_TYPE not in text:
                    raise RuntimeError("xlsxwriter wrote no macro-enabled workbook part")
                data = text.replace(MACRO_WORKBOOK_CONTENT_TYPE, ADDIN_CONTENT_TYPE).encode("utf-8")
            elif info.filename == "_rels/.rels":
                text = data.decode("utf-8")
                rel = f'<Relationship Id="rIdXlsuiteUI" Type="{CUSTOM_UI_REL}" Target="{CUSTOM_UI_PART}"/>'
                data = text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
            dst.writestr(_entry(info.filename, info.date_time), data)
        dst.writestr(_entry(CUSTOM_UI_PART, stamp or (1980, 1, 1, 0, 0, 0)), vba.custom_ui())
    return out.getvalue()


def _entry(name: str, date_time) -> zipfile.ZipInfo:
    # Fixed times and attributes: two builds of the add-in are byte for byte the same.
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info
