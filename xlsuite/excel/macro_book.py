"""What the macro-enabled template (.xlsm) adds to the standard workbook.

``template.build_workbook(..., macros=True)`` calls ``add_macros`` after writing every sheet:
the VBA project built from ``macros/`` (with xlwings' VBA module and the worksheet functions'
wrappers embedded, ``udf_vba``), Form buttons on 说明 bound to its four macros, an
``xlwings.conf`` sheet naming the UDF module (read by the embedded module), and a live-score
column on 绩效指标 holding one array formula of ``XLSUITE_SCORES`` over the whole indicator block.

The live scores sit in a column of their own, right of the contract's columns, not in 得分: for a
定性 row 得分 is what the evaluator types, and no cell of an array formula can be typed over.
Readers find columns by header, so the extra column changes nothing for them.
"""

from __future__ import annotations

import io

from xlsxwriter.utility import xl_rowcol_to_cell

from ..core import contract as c
from . import udf_vba, vba
from .settings import CONF_SHEET
from .udf_vba import UDF_MODULE
from .udfs import SCORES_COLUMNS

MACRO_TEMPLATE_FILENAME = "预算绩效自评模板.xlsm"
LIVE_SCORE_HEADER = "得分（自动计算）"
"""Header of the live-score column; not a contract header, so readers pass over it."""

MACRO_NOTES = (
    "本文件（.xlsm）带有按钮和宏：右侧的 校验 / 评分 / 生成自评表 / 生成报告 按钮",
    "需要本机装有财政局离线安装包中的 Python 组件，打开文件时请点击“启用内容”。",
    "评分、生成自评表要替换已有的自评表或得分时会先询问，并在本文件旁保存“修改前备份”。",
    f"“绩效指标”表最右的“{LIVE_SCORE_HEADER}”列由 xlsuite 函数实时计算（Windows 版 Excel）；",
    "未启用宏或没有 Python 时显示 #NAME? 或出错信息，Mac 版显示 #N/A，都不影响填报和汇总。",
)

BUTTON_COLUMN = 1
"""说明 column B, right of the text column A."""


def add_macros(wb, header_format) -> None:
    """Add the VBA project, buttons, ``xlwings.conf`` and the live-score column to ``wb``.

    Call after every contract sheet has been written: the VBA project needs one document module
    per sheet, named by the sheets' code names (``Sheet1`` …, which xlsxwriter assigns).
    """
    _buttons(wb.get_worksheet_by_name(c.README_SHEET))
    _live_scores(wb.get_worksheet_by_name(c.INDICATOR_SHEET), header_format)
    _conf_sheet(wb)
    codenames = tuple(f"Sheet{i + 1}" for i in range(len(wb.worksheets())))
    for ws, name in zip(wb.worksheets(), codenames, strict=True):
        ws.set_vba_name(name)
    wb.set_vba_name("ThisWorkbook")
    modules = [*vba.sources((vba.BUTTONS_MODULE, vba.SERVER_MODULE)),
               (udf_vba.XLWINGS_MODULE, udf_vba.xlwings_module()),
               (udf_vba.WRAPPERS_MODULE, udf_vba.wrappers_module())]
    project = vba.build_vba_project(modules, codenames)
    wb.add_vba_project(io.BytesIO(project), is_stream=True)


def _buttons(ws) -> None:
    ws.set_column(BUTTON_COLUMN, BUTTON_COLUMN, 18)
    for i, (caption, macro) in enumerate(vba.BUTTON_MACROS):
        ws.insert_button(2 + 3 * i, BUTTON_COLUMN, {
            "macro": macro, "caption": caption, "width": 120, "height": 40,
            "description": f"{caption}（运行宏 {macro}）"})


def _live_scores(ws, header_format) -> None:
    sheet = c.INDICATOR_SHEET_DEF
    keys = [col.key for col in sheet.columns]
    first_col, last_col = keys.index(SCORES_COLUMNS[0]), keys.index(SCORES_COLUMNS[-1])
    header_row = 1
    first, last = header_row + 1, header_row + sheet.capacity
    col = len(sheet.columns) + len(sheet.formula_columns)
    ws.set_column(col, col, 12)
    ws.write_string(header_row, col, LIVE_SCORE_HEADER, header_format)
    block = f"{xl_rowcol_to_cell(first, first_col, True, True)}:{xl_rowcol_to_cell(last, last_col, True, True)}"
    # One legacy array formula over the column: one UDF call scores every row, and it works
    # in every Excel version (no dynamic arrays needed).
    ws.write_array_formula(first, col, last, col, f"{{=XLSUITE_SCORES({block})}}", None, "")


def _conf_sheet(wb) -> None:
    """The embedded xlwings module reads its settings from this workbook's ``xlwings.conf`` sheet
    (``ThisWorkbook``): ``UDF Modules`` is what "Import Functions" would import, should anyone press it."""
    ws = wb.add_worksheet(CONF_SHEET)
    ws.write_string(0, 0, "UDF Modules")
    ws.write_string(0, 1, UDF_MODULE)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 24)
    ws.hide()
