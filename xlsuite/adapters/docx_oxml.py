"""python-docx's internals that xlsuite relies on, all of them (python-docx 1.1 – 1.2).

python-docx's public API covers documents, paragraphs, runs, tables and styles, not every
property Word has, nor speed for tables of a thousand rows. What xlsuite uses beyond it:

- ``docx.oxml``: ``OxmlElement(tag)``, ``docx.oxml.ns.qn(prefixed_tag)`` and
  ``docx.oxml.simpletypes.ST_Merge``; re-exported here, so that XML the public API cannot
  write (East Asian fonts, outline levels, table borders and cell margins, the page-number
  field) is built from this module's names. Elements are then handled through lxml's own API.
- python-docx's element classes: ``CT_Style.get_or_add_rPr()`` / ``get_or_add_pPr()``,
  ``CT_RPr.get_or_add_rFonts()``; ``CT_Tbl.tr_lst``, ``CT_Row.tc_lst`` and
  ``get_or_add_trPr()``, ``CT_Tc.width``, ``p_lst``, ``grid_span``, ``vMerge`` and
  ``_add_width_of(other)`` (the XML steps of ``CT_Tc.merge``); ``CT_P.style`` (a style id).
- the element behind a proxy: ``Paragraph._p``, ``Table._tbl``; ``docx.table._Cell(tc, table)``
  wrapping a ``w:tc`` as the cell proxy ``table.cell`` gives.
- ``Document._body`` (the body's block container), ``CT_Tbl.new_tbl(rows, cols, width)`` and
  the proxies ``Paragraph(p, parent)`` and ``Table(tbl, parent)``, to append at the body's end
  (``BodyEnd``) without python-docx's search for the final ``w:sectPr`` on every append.
- ``DocumentPart.get_style_id(style, type)`` (``Document.part``) and the package's
  relationships (``Document.part.package.rels``).

Tables are built on a grid of ``w:tc`` elements read once (``TableGrid``): python-docx finds a
cell (``table.cell``) by walking the whole table and re-measures it around every merge, which
made a 1,000-row appendix take minutes.

``pyproject.toml`` pins python-docx below 1.3; ``tests/test_adapters.py`` checks each of these
and names this module when a new version has moved one.
"""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.oxml.table import CT_Tbl
from docx.shared import Emu
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

__all__ = ["OxmlElement", "qn", "BodyEnd", "TableGrid", "append_to_paragraph", "clear_body", "drop_relationships",
           "no_wrap", "set_style_id", "style_id", "style_paragraph_properties", "style_run_fonts"]


def style_id(doc, style, style_type) -> str | None:
    """The id python-docx writes for ``style`` of ``style_type`` (``None`` for the default)."""
    return doc.part.get_style_id(style, style_type)


def set_style_id(paragraph, style_id: str | None) -> None:
    """What ``paragraph.style = style`` writes, given the style's id (``style_id``)."""
    paragraph._p.style = style_id


def append_to_paragraph(paragraph, element) -> None:
    """Append an XML element (a field, say) at the end of ``paragraph``."""
    paragraph._p.append(element)


def style_run_fonts(style):
    """A style's ``w:rFonts`` element, added if missing."""
    return style.element.get_or_add_rPr().get_or_add_rFonts()


def style_paragraph_properties(style):
    """A paragraph style's ``w:pPr`` element, added if missing."""
    return style.element.get_or_add_pPr()


def clear_body(doc) -> None:
    """Remove the document's content, keeping its final section (page setup, footers)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


class BodyEnd:
    """Appends paragraphs and tables at the end of a document's body, before its final section.

    ``Document.add_paragraph`` and ``add_table`` look for the body's final ``w:sectPr`` among all
    its children on every call, and ``add_table`` reads every paragraph of the body for the
    section's width: per element of the appendix, which made ``xlsuite report`` quadratic in
    projects. Here the section is found once, and a table's width is given.
    """

    def __init__(self, doc):
        self._parent = doc._body
        self._body = doc.element.body
        self._end = self._body.find(qn("w:sectPr"))

    def paragraph(self) -> Paragraph:
        return Paragraph(self._append(OxmlElement("w:p")), self._parent)

    def table(self, rows: int, cols: int, width: int) -> Table:
        """A table of ``rows`` × ``cols`` whose columns share ``width`` (EMU) evenly."""
        return Table(self._append(CT_Tbl.new_tbl(rows, cols, Emu(width))), self._parent)

    def _append(self, element):
        if self._end is not None:
            self._end.addprevious(element)
        else:
            self._body.append(element)
        return element


def drop_relationships(doc, reltype: str) -> None:
    """Remove the package's relationships of ``reltype`` (a thumbnail, say)."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == reltype]:
        del rels[r_id]


def no_wrap(cell) -> None:
    """Keep a table cell's text on one line (``w:noWrap``): an amount or a rate must not
    break as ``100.00`` over ``%``."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:noWrap")) is None:  # in schema order, before the elements that follow it
        tc_pr.insert_element_before(tc_pr.makeelement(qn("w:noWrap"), {}),
                                    "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


class TableGrid:
    """A table of ``rows`` rows made up of copies of one blank row, its cells found on a grid.

    Every cell starts with one paragraph in the style ``text_style_id``, its column's width
    (EMU), and no row splits across pages; the first ``header_rows`` rows repeat at the top of
    every page the table runs onto (``w:tblHeader``). ``merge`` and ``cell`` work on the grid
    read once.
    """

    def __init__(self, table, rows: int, widths: list[int], text_style_id: str | None,
                 header_rows: int = 1):
        self.table = table
        tbl = table._tbl
        tr = tbl.tr_lst[0]
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = Emu(width)
            tc.p_lst[0].style = text_style_id
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        for _ in range(rows - 1):
            tbl.append(copy.deepcopy(tr))
        for header in tbl.tr_lst[:header_rows]:
            tr_pr = header.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        self._grid = [tr.tc_lst for tr in tbl.tr_lst]

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge the range as ``CT_Tc.merge`` does, and point every grid position of the range
        at its top-left ``w:tc`` (as ``table.cell`` then answers).

        Each row's cell at ``c1`` swallows the cells to its right (their widths added, a
        gridSpan, the swallowed ``w:tc`` removed) and is marked as the start or a continuation
        of a vertical merge. The cells must still be empty: no content is moved.
        """
        grid = self._grid
        top = grid[r1][c1]
        for r in range(r1, r2 + 1):
            tc = grid[r][c1]
            for c in range(c1 + 1, c2 + 1):
                swallowed = grid[r][c]
                tc._add_width_of(swallowed)
                tc.grid_span += swallowed.grid_span
                swallowed.getparent().remove(swallowed)
            tc.vMerge = None if r1 == r2 else ST_Merge.RESTART if r == r1 else ST_Merge.CONTINUE
            grid[r][c1:c2 + 1] = [top] * (c2 - c1 + 1)

    def cell(self, row: int, col: int):
        """The cell at (``row``, ``col``) of the grid, as python-docx's ``table.cell`` gives it."""
        return _Cell(self._grid[row][col], self.table)
