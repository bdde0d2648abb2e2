"""Each adapter's hold on its library's private parts (``xlsuite/adapters``).

A test per adapter checks that what the adapter relies on is still there and still behaves as
relied on; when a new version of a library has moved something, the failure says which library,
what is gone and which adapter module to update.
"""

from __future__ import annotations

import inspect
import re
from importlib.metadata import version

import pytest


def _needs(ok: bool, dist: str, what: str, adapter: str) -> None:
    """Fail, naming the library version, what it no longer has and the module to update."""
    if not ok:
        pytest.fail(f"{dist} {version(dist)} no longer has {what}; update xlsuite/adapters/{adapter}.py",
                    pytrace=False)


def _has(owner, name: str, params: tuple[str, ...] = ()) -> bool:
    """``owner.name`` exists and, if a function, takes ``params`` (after ``self``)."""
    attr = inspect.getattr_static(owner, name, None)
    if attr is None:
        return False
    if not params:
        return True
    names = list(inspect.signature(getattr(owner, name)).parameters)
    return names[1:1 + len(params)] == list(params) or names[:len(params)] == list(params)


# --- argparse (standard library) ----------------------------------------------------------------

def test_argparse_words_its_texts_through_what_the_adapter_swaps():
    import argparse

    from xlsuite.cli.common import CHINESE, PLURALS

    source = inspect.getsource(argparse)
    assert callable(getattr(argparse, "_", None)) and callable(getattr(argparse, "ngettext", None)), \
        "argparse no longer looks texts up through _ and ngettext; update xlsuite/adapters/argparse_texts.py"
    # Every text argparse words must be one xlsuite translates (ids of other Python versions may
    # be among the translations too).
    worded = set(re.findall(r"""\b_\((['"])(.*?)\1\)""", source))
    missing = {text for _, text in worded if text.encode().decode("unicode_escape") not in CHINESE
               and not text.startswith(("%r is not callable", "conflicting", "cannot", "dest=", "'required'",
                                        "argument \"-\"", ".__call__", "invalid conflict", "mutually",
                                        "unexpected option string"))}
    assert not missing, f"argparse words texts xlsuite does not translate: {missing}"
    assert "expected %s argument" in source and set(PLURALS) == {"expected %s argument"}


# --- xlsxwriter --------------------------------------------------------------------------------

def test_xlsxwriter_has_what_the_adapter_relies_on():
    import xlsxwriter
    import xlsxwriter.workbook
    from xlsxwriter.format import Format
    from xlsxwriter.packager import Packager
    from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable
    from xlsxwriter.worksheet import Worksheet

    need = lambda ok, what: _needs(ok, "xlsxwriter", what, "xlsxwriter_internals")  # noqa: E731
    need(_has(Worksheet, "_write_rows"), "Worksheet._write_rows")
    need(_has(Worksheet, "_check_dimensions", ("row", "col")), "Worksheet._check_dimensions(row, col)")
    need(_has(Format, "_get_xf_index"), "Format._get_xf_index")
    need(inspect.getattr_static(xlsxwriter.Workbook, "worksheet_class", None) is Worksheet,
         "Workbook.worksheet_class")
    need(_has(Worksheet, "_write_cell", ("row", "col", "cell")), "Worksheet._write_cell(row, col, cell)")
    need("cell.__class__.__name__" in inspect.getsource(Worksheet._write_cell)
         or "type(cell).__name__" in inspect.getsource(Worksheet._write_cell),
         "Worksheet._write_cell dispatching on the cell tuple's class name")
    for name in ("_xml_start_tag", "_xml_data_element", "_xml_empty_tag", "_xml_end_tag"):
        need(_has(Worksheet, name), f"Worksheet.{name}")
    need(isinstance(inspect.getattr_static(Worksheet(), "table", None), dict), "Worksheet.table")
    need(_has(SharedStringTable, "_get_shared_string_index", ("string",)),
         "SharedStringTable._get_shared_string_index(string)")
    need(_has(xlsxwriter.Workbook, "_get_packager"), "Workbook._get_packager")
    need(_has(Packager, "_write_shared_strings_file") and _has(Packager, "_filename"),
         "Packager._write_shared_strings_file / Packager._filename")
    for name in ("_set_xml_writer", "_assemble_xml_file", "_write_sst_strings"):
        need(_has(SharedStrings, name), f"SharedStrings.{name}")
    store = xlsxwriter.Workbook._store_workbook
    need("ZipFile" in store.__code__.co_names and store.__closure__ is None
         and xlsxwriter.workbook.ZipFile is __import__("zipfile").ZipFile,
         "Workbook._store_workbook making its package with the module's ZipFile")


def test_xlsxwriter_adapter_behaves_as_relied_on(tmp_path):
    """Its rows, shared strings and styles end up in the file; the package is deflated at the
    workbook's level while xlsxwriter's ZipFile and other workbooks are left as they were."""
    import zipfile
    import zlib

    import xlsxwriter.workbook
    from python_calamine import CalamineWorkbook

    from xlsuite.adapters import xlsxwriter_internals as xw

    class Book(xw.Workbook):
        zip_level = 1
        shared_string_xml = staticmethod(lambda text: f"<si><t>{text.upper()}</t></si>")

    path = tmp_path / "a.xlsx"
    wb = Book(str(path))
    ws = wb.add_worksheet("表", worksheet_class=xw.RowsXmlWorksheet)
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, "head")
    strings = xw.shared_strings(wb)
    index = xw.string_index(strings, "body")
    ws.add_rows_xml(1, 1, 1, f'<row r="2"><c r="A2" s="{xw.style_index(bold)}" t="s"><v>{index}</v></c>'
                             '<c r="B2"><v>2.5</v></c></row>', 1)
    ws.write_number(2, 0, 3)
    xw.write_shared_formula(ws, 2, 3, 1, "=SUM(A3,1)", bold, 4)
    ws.write_number(3, 0, 5)
    wb.close()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()
    problem = "" if rows == [["HEAD", ""], ["BODY", 2.5], [3.0, 4.0], [5.0, 4.0]] else f"read back {rows}"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    if ('<f t="shared" ref="B3:B4" si="0">SUM(A3,1)</f>' not in sheet
            or '<c r="B4" s="1"><f t="shared" si="0"/><v>4</v></c>' not in sheet):
        problem += f" shared formula not stored as Excel stores it: {sheet[sheet.find('<sheetData'):][:400]}"
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
        info = z.getinfo("xl/worksheets/sheet1.xml")
        data = z.read(info)
    with open(path, "rb") as f:
        f.seek(info.header_offset + 26)
        skip = int.from_bytes(f.read(2), "little") + int.from_bytes(f.read(2), "little")
        f.seek(info.header_offset + 30 + skip)
        stored = f.read(info.compress_size)
    level1 = zlib.compressobj(1, zlib.DEFLATED, -15)
    if 'count="2" uniqueCount="2"' not in sst:
        problem += f" shared strings counted wrong: {sst[:200]}"
    if stored != level1.compress(data) + level1.flush():
        problem += " package not deflated at zip_level 1"
    _needs(not problem, "xlsxwriter", f"the behaviour relied on ({problem.strip()})", "xlsxwriter_internals")
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # never swapped, not even for a while


def test_rows_yielded_as_utf8_land_between_xlsxwriter_s_own(tmp_path):
    """Rows a function yields as UTF-8 when the sheet is written go into the sheet's file in
    their place, after the rows xlsxwriter wrote before them (its text file flushed first) and
    before those after them, CJK text whole."""
    from python_calamine import CalamineWorkbook

    from xlsuite.adapters import xlsxwriter_internals as xw

    path = tmp_path / "a.xlsx"
    wb = xw.Workbook(str(path))
    ws = wb.add_worksheet("表", worksheet_class=xw.RowsXmlWorksheet)
    ws.write_string(0, 0, "表头" * 3000)  # more than a buffer's worth of text before the rows
    rows = [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>第{r}行</t></is></c></row>'.encode() for r in (2, 3)]
    ws.add_rows_xml(1, 2, 0, lambda: iter(rows), 0)
    ws.write_string(3, 0, "末行")
    wb.close()
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()
    problem = "" if grid == [["表头" * 3000], ["第2行"], ["第3行"], ["末行"]] else f"read back {grid[1:]}"
    _needs(not problem, "xlsxwriter", f"rows written as UTF-8 ({problem})", "xlsxwriter_internals")


def test_zipfile_has_what_taking_in_a_deflated_member_relies_on():
    """``xlsxwriter_internals._ApartZipFile.write_deflated`` writes a member as
    ``ZipFile._open_to_write`` and ``_ZipWriteFile.close`` do (Python's own zipfile)."""
    import sys
    import zipfile

    with zipfile.ZipFile(__import__("io").BytesIO(), "w") as zf:
        missing = [name for name in ("fp", "start_dir", "_lock", "_didModify", "filelist", "NameToInfo",
                                     "_strict_timestamps") if not hasattr(zf, name)]
    missing += [f"ZipFile.{name}" for name in ("_writecheck",) if not _has(zipfile.ZipFile, name, ("zinfo",))]
    missing += [f"ZipInfo.{name}" for name in ("FileHeader", "from_file") if not _has(zipfile.ZipInfo, name)]
    if missing:
        pytest.fail(f"Python {sys.version.split()[0]}'s zipfile no longer has {', '.join(missing)}; "
                    "update xlsuite/adapters/xlsxwriter_internals.py", pytrace=False)


def test_a_member_deflated_apart_is_the_member_zipfile_writes(tmp_path):
    """The same bytes, header and directory entry as ``ZipFile.write`` at that level, for a
    member written between two others."""
    import os
    import zipfile

    from xlsuite.adapters import xlsxwriter_internals as xw

    part = tmp_path / "sheet.xml"
    part.write_text("".join(f'<row r="{i}"><c r="A{i}"><v>{i * 7 % 1000}</v></c></row>' for i in range(60000)) + "表",
                    encoding="utf-8")
    os.utime(part, (xw._MEMBER_TIME, xw._MEMBER_TIME))
    crc, size, deflated = xw.deflate_file(str(part), str(tmp_path / "sheet.z"), 1)
    for name, apart in (("plain.zip", False), ("apart.zip", True)):
        with xw._ApartZipFile(tmp_path / name, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            # Fixed times: stamped "now", the two archives differ when a second ticks between them.
            zf.writestr(zipfile.ZipInfo("a.xml", (1980, 1, 31, 0, 0, 0)), "<a/>")
            if apart:
                zf.write_deflated(str(part), "xl/worksheets/sheet1.xml", str(tmp_path / "sheet.z"), crc, size, deflated)
            else:
                zf.write(str(part), "xl/worksheets/sheet1.xml")
            zf.writestr(zipfile.ZipInfo("b.xml", (1980, 1, 31, 0, 0, 0)), "<b/>")
    plain, apart = (tmp_path / "plain.zip").read_bytes(), (tmp_path / "apart.zip").read_bytes()
    problem = "" if plain == apart else f"{len(apart)} bytes, not the {len(plain)} zipfile writes"
    with zipfile.ZipFile(tmp_path / "apart.zip") as zf:
        if zf.testzip() is not None or zf.read("xl/worksheets/sheet1.xml") != part.read_bytes():
            problem += " and the member does not read back"
    assert not problem, problem


# --- ms-ovba -----------------------------------------------------------------------------------

def test_ms_ovba_has_what_the_adapter_relies_on():
    import importlib

    need = lambda ok, what: _needs(ok, "ms-ovba", what, "ovba")  # noqa: E731
    classes = {"ms_ovba.vbaProject": "VbaProject", "ms_ovba.Models.Entities.doc_module": "DocModule",
               "ms_ovba.Models.Entities.std_module": "StdModule",
               "ms_ovba.Models.Entities.reference": "Reference",
               "ms_ovba.Models.Entities.reference_registered": "ReferenceRegistered",
               "ms_ovba.Models.Fields.libid_reference": "LibidReference",
               "ms_ovba.Views.project_ole_file": "ProjectOleFile",
               "ms_ovba_compression.ms_ovba": "MsOvba"}
    found = {}
    for module, name in classes.items():
        try:
            found[name] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            need(False, f"{module}.{name}")
    for name in ("add_file", "add_guid", "normalize_file"):
        need(_has(found["DocModule"], name) and _has(found["StdModule"], name), f"DocModule/StdModule.{name}")
    need(_has(found["VbaProject"], "add_module") and _has(found["VbaProject"], "add_reference"),
         "VbaProject.add_module / add_reference")
    need(_has(found["ProjectOleFile"], "write_file", ("project",)), "ProjectOleFile.write_file(project)")
    need(_has(found["MsOvba"], "compress"), "ms_ovba_compression MsOvba.compress")


@pytest.mark.slow  # builds the VBA twice in fresh processes
def test_vba_build_leaves_the_process_as_it_was_and_is_reproducible(tmp_path):
    """The .xlsm build changes neither the working directory nor the global random state (ms-ovba
    runs in a child process), and two builds give the same vbaProject.bin."""
    import os
    import random
    import zipfile

    from xlsuite.excel import vba
    from xlsuite.template.build import build_macro_template

    random.seed(7)
    state, cwd = random.getstate(), os.getcwd()
    book = build_macro_template(tmp_path)
    assert os.getcwd() == cwd
    assert random.getstate() == state
    with zipfile.ZipFile(book) as z:
        in_book = z.read("xl/vbaProject.bin")
    assert in_book[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # a compound file
    again = vba.build_vba_project(vba.sources((vba.BUTTONS_MODULE,)), ("Sheet1",))
    assert again == vba.build_vba_project(vba.sources((vba.BUTTONS_MODULE,)), ("Sheet1",))
    assert (os.getcwd(), random.getstate()) == (cwd, state)


# --- openpyxl ----------------------------------------------------------------------------------

def test_openpyxl_has_what_the_adapter_relies_on():
    need = lambda ok, what: _needs(ok, "openpyxl", what, "openpyxl_internals")  # noqa: E731
    try:
        from openpyxl.reader.excel import ExcelReader
    except ImportError:
        need(False, "openpyxl.reader.excel.ExcelReader")
    params = list(inspect.signature(ExcelReader).parameters)
    need(params[:2] == ["fn", "read_only"] and "data_only" in params,
         "ExcelReader(fn, read_only, ..., data_only)")
    need(_has(ExcelReader, "read"), "ExcelReader.read")


def test_openpyxl_adapter_behaves_as_relied_on(tmp_path):
    """A package named anything reads from memory; a listed sheet without its part is listed."""
    import io
    import zipfile

    import openpyxl

    from xlsuite.adapters.openpyxl_internals import open_read_only

    wb = openpyxl.Workbook()
    wb.active.title = "甲"
    wb.active["A1"] = 1
    wb.create_sheet("乙")
    buffer = io.BytesIO()
    wb.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(info, src.read(info))
    book, listed = open_read_only(io.BytesIO(damaged.getvalue()))
    try:
        got = (listed, book.sheetnames, [r for r in book["甲"].iter_rows(values_only=True)])
    finally:
        book.close()
    _needs(got == (["甲", "乙"], ["甲"], [(1,)]), "openpyxl",
           f"the reader behaviour relied on (read back {got})", "openpyxl_internals")


def test_openpyxl_has_what_loading_shared_formulas_relies_on():
    need = lambda ok, what: _needs(ok, "openpyxl", what, "openpyxl_internals")  # noqa: E731
    import openpyxl.cell._writer as cell_writer
    import openpyxl.reader.excel
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._reader import WorkSheetParser, WorksheetReader
    from openpyxl.worksheet.formula import ArrayFormula

    need("WorksheetReader" in ExcelReader.read_worksheets.__code__.co_names
         and ExcelReader.read_worksheets.__closure__ is None
         and openpyxl.reader.excel.WorksheetReader is WorksheetReader,
         "ExcelReader.read_worksheets making WorksheetReader under that module name")
    need(list(inspect.signature(WorksheetReader).parameters)
         == ["ws", "xml_source", "shared_strings", "data_only", "rich_text"]
         and "self.parser = WorkSheetParser(" in inspect.getsource(WorksheetReader.__init__),
         "WorksheetReader(ws, xml_source, shared_strings, data_only, rich_text) making .parser")
    need(_has(WorkSheetParser, "parse_formula", ("element",))
         and "self.shared_formulae" in inspect.getsource(WorkSheetParser.__init__),
         "WorkSheetParser.parse_formula(element) and .shared_formulae")
    need(list(inspect.signature(ArrayFormula).parameters) == ["ref", "text"], "ArrayFormula(ref, text)")
    for writer in (cell_writer.etree_write_cell, cell_writer.lxml_write_cell):
        need("isinstance(value, ArrayFormula)" in inspect.getsource(writer)
             and "dict(value)" in inspect.getsource(writer),
             f"{writer.__name__} writing an ArrayFormula's attributes from its iteration")


def test_openpyxl_keeps_shared_formulas_as_they_were(tmp_path):
    """A copy saved after ``load_keeping_shared_formulas`` stores each shared formula once and
    holds, cell by cell, the formulas openpyxl's own reading of the original gives."""
    import openpyxl
    from xlsxwriter.utility import xl_rowcol_to_cell

    from xlsuite.adapters import xlsxwriter_internals as xw
    from xlsuite.adapters.openpyxl_internals import load_keeping_shared_formulas

    source, copy = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    wb = xw.Workbook(str(source))
    ws = wb.add_worksheet("表")
    for row in range(50):
        ws.write_number(row, 0, row)
    xw.write_shared_formula(ws, 1, 40, 1, "=IF(A2>$A$1,SUM(A2:A3)&\"行\",\"\")", None, None)
    xw.write_shared_formula(ws, 0, 9, 2, "=B1&C$1", None, None)
    wb.close()
    loaded = load_keeping_shared_formulas(source)
    loaded["表"]["D1"] = "新"
    loaded.save(copy)

    def formulas(path):
        sheet = openpyxl.load_workbook(path)["表"]
        return {xl_rowcol_to_cell(r, c): sheet.cell(r + 1, c + 1).value for r in range(50) for c in (1, 2)}

    expected, got = formulas(source), formulas(copy)
    assert got == expected and expected["B41"] == '=IF(A41>$A$1,SUM(A41:A42)&"行","")'
    assert expected["C10"] == "=B10&C$1"
    with __import__("zipfile").ZipFile(copy) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("SUM(") == 1 and xml.count('t="shared"') == 40 + 10


def test_openpyxl_style_ids_and_merges_behave_as_relied_on(tmp_path):
    """A copied ``Cell._style`` is the whole style; a ``MultiCellRange`` set at once is saved."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    from xlsuite.adapters.openpyxl_internals import set_merges, share_style

    need = lambda ok, what: _needs(ok, "openpyxl", what, "openpyxl_internals")  # noqa: E731
    wb = openpyxl.Workbook()
    ws = wb.active
    styled = ws["A1"]
    thin = Side(style="thin")
    styled.font, styled.alignment = Font(name="宋体", bold=True), Alignment(wrap_text=True)
    styled.border, styled.number_format = Border(left=thin, right=thin, top=thin, bottom=thin), "0.00"
    need(hasattr(styled, "_style"), "Cell._style")
    share_style(styled, ws["C3"])
    set_merges(ws, [(1, 1, 2, 2), (3, 3, 3, 5)])
    wb.save(tmp_path / "book.xlsx")
    back = openpyxl.load_workbook(tmp_path / "book.xlsx").active
    cell = back["C3"]
    got = (cell.font.name, cell.font.bold, cell.alignment.wrap_text, cell.border.left.style, cell.number_format)
    need(got == ("宋体", True, True, "thin", "0.00"), f"a style copied through Cell._style (read back {got})")
    merged = sorted(str(r) for r in back.merged_cells.ranges)
    need(merged == ["A1:B2", "C3:E3"], f"Worksheet.merged_cells saved as set (read back {merged})")


# --- python-docx -------------------------------------------------------------------------------

def test_python_docx_has_what_the_adapter_relies_on():
    import importlib

    need = lambda ok, what: _needs(ok, "python-docx", what, "docx_oxml")  # noqa: E731
    names = {"docx.oxml": ["OxmlElement"], "docx.oxml.ns": ["qn"], "docx.oxml.simpletypes": ["ST_Merge"],
             "docx.table": ["_Cell", "Table"], "docx.text.paragraph": ["Paragraph"], "docx.oxml.table": ["CT_Tbl", "CT_Row", "CT_Tc"],
             "docx.oxml.styles": ["CT_Style"], "docx.oxml.text.font": ["CT_RPr"],
             "docx.oxml.text.paragraph": ["CT_P"], "docx.parts.document": ["DocumentPart"]}
    found = {}
    for module, attrs in names.items():
        for attr in attrs:
            try:
                found[attr] = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                need(False, f"{module}.{attr}")
    for owner, attrs in (("CT_Tbl", ["tr_lst", "new_tbl"]), ("CT_Row", ["tc_lst", "get_or_add_trPr"]),
                         ("CT_Tc", ["width", "p_lst", "grid_span", "vMerge", "_add_width_of"]),
                         ("CT_Style", ["get_or_add_rPr", "get_or_add_pPr"]), ("CT_RPr", ["get_or_add_rFonts"]),
                         ("CT_P", ["style"]), ("DocumentPart", ["get_style_id"])):
        for attr in attrs:
            need(_has(found[owner], attr), f"{owner}.{attr}")
    need(hasattr(found["ST_Merge"], "RESTART") and hasattr(found["ST_Merge"], "CONTINUE"),
         "ST_Merge.RESTART / CONTINUE")

    from docx import Document

    doc = Document()
    need(hasattr(doc.add_paragraph(), "_p"), "Paragraph._p")
    need(hasattr(doc.add_table(rows=1, cols=1), "_tbl"), "Table._tbl")
    need(hasattr(doc, "_body"), "Document._body")


def test_python_docx_adapter_behaves_as_relied_on():
    """A grid merge reads back through python-docx's own ``table.cell``; a style id set on a
    paragraph is the one its style answers to; a cleared body keeps its section."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm

    from xlsuite.adapters import docx_oxml as dx

    doc = Document()
    heading = doc.styles["Heading 1"]
    ident = dx.style_id(doc, heading, WD_STYLE_TYPE.PARAGRAPH)
    table = doc.add_table(rows=1, cols=3)
    grid = dx.TableGrid(table, 3, [Mm(20), Mm(30), Mm(40)], ident)
    grid.merge(0, 0, 1, 1)
    grid.cell(0, 0).paragraphs[0].add_run("合并")
    grid.cell(2, 2).paragraphs[0].add_run("末")
    paragraph = doc.add_paragraph()
    dx.set_style_id(paragraph, ident)
    got = {"merged": [table.cell(r, c).text for r in (0, 1) for c in (0, 1)],
           "last": table.cell(2, 2).text, "rows": len(table.rows),
           "cell style": table.cell(2, 0).paragraphs[0].style.name, "style": paragraph.style.name}
    want = {"merged": ["合并"] * 4, "last": "末", "rows": 3, "cell style": "Heading 1", "style": "Heading 1"}
    _needs(got == want, "python-docx", f"the behaviour relied on (got {got})", "docx_oxml")
    end = dx.BodyEnd(doc)
    end.paragraph().add_run("段")
    end.table(2, 3, Mm(90)).cell(1, 2).paragraphs[0].add_run("表")
    body = [child.tag.split("}")[1] for child in doc.element.body]
    _needs((body[-3:], doc.paragraphs[-1].text, doc.tables[-1].cell(1, 2).text) == (["p", "tbl", "sectPr"], "段", "表"),
           "python-docx", f"BodyEnd appends before the final section (got {body[-3:]})", "docx_oxml")
    section_width = doc.sections[0].page_width
    dx.clear_body(doc)
    assert (len(doc.paragraphs), len(doc.tables), doc.sections[0].page_width) == (0, 0, section_width)


# --- the adapters' own layering ----------------------------------------------------------------

ADAPTER_LIBRARIES = {"xlsxwriter_internals": {"xlsxwriter"}, "openpyxl_internals": {"openpyxl"},
                     "docx_oxml": {"docx"}, "ovba": {"ms_ovba", "ms_ovba_compression"},
                     "argparse_texts": {"argparse"}}


def _imports(path) -> set[str]:
    """The modules a file imports, relative ones with their dots (``..adapters.ovba``)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_each_adapter_imports_only_its_library_and_the_standard_library():
    import sys
    from pathlib import Path

    import xlsuite.adapters

    folder = Path(xlsuite.adapters.__file__).parent
    assert {p.stem for p in folder.glob("*.py")} - {"__init__"} == set(ADAPTER_LIBRARIES)
    for name, libraries in ADAPTER_LIBRARIES.items():
        tops = {m.split(".")[0] for m in _imports(folder / f"{name}.py")}
        others = tops - libraries - set(sys.stdlib_module_names) - {"__future__"}
        assert others == set(), f"adapters/{name}.py imports {others}"


def test_the_core_imports_no_adapter():
    from pathlib import Path

    import xlsuite

    files = sorted((Path(xlsuite.__file__).parent / "core").rglob("*.py"))
    assert len(files) > 10
    for path in files:
        used = {m for m in _imports(path) if "adapters" in m.split(".")}
        assert used == set(), f"{path} must not import xlsuite.adapters ({used})"


def test_openpyxl_rows_are_read_as_iter_rows_gives_them(sample_path):
    # read_only_values reads each sheet as iter_rows(values_only=True) does, padded to one width
    # (it refuses a row numbered out of order, which that call drops, and takes each row as wide
    # as its cells, not the sheet's <dimension>, which that call trusts).
    from xlsuite.adapters.openpyxl_internals import open_read_only, read_only_values

    def padded(rows):
        width = max(map(len, rows), default=0)
        return [tuple(row) + (None,) * (width - len(row)) for row in rows]

    wb, names = open_read_only(sample_path)
    try:
        for name in names:
            ws = wb[name]
            assert padded(read_only_values(ws)) == padded(list(ws.iter_rows(min_row=1, min_col=1, values_only=True))), \
                name
    finally:
        wb.close()
