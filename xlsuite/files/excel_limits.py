"""Check a written workbook file against Excel's specification limits.

LibreOffice (the stand-in the tests recalculate with) accepts formulas of any length and depth and
functions Excel 2010 lacks; Excel, on opening a file that breaks one of its limits, offers to repair
it and drops what it cannot load. ``check_file`` reads the package itself (``zipfile`` and
``xml.etree``, never a spreadsheet library, whose leniency would hide what Excel refuses) and
returns every violation it finds, so a test can hold every writer's output to the limits:

- every XML part of the package is well-formed;
- a formula (a cell's, a defined name's, a conditional format's, a data validation's) is at most
  8,192 characters, nests function calls at most 64 deep, passes at most 255 arguments to one
  function and calls no function newer than Excel 2010 or missing from WPS (``NEWER_FUNCTIONS``);
- a sheet name is 1–31 characters without ``: \\ / ? * [ ]`` and not quoted at either end;
- a defined name is 1–255 characters, begins with a letter, ``_`` or ``\\``, holds only letters,
  digits, ``_``, ``.`` and ``\\``, and cannot be read as a cell reference (``A1``, ``XFD1048576``)
  or an R1C1 one (``R``, ``C``, ``RC``, ``R1C1``): Excel and WPS would take the reference;
- a cell's text is at most 32,767 characters; a data-validation list at most 255; a hyperlink
  target (a link's location or external address, or HYPERLINK's literal first argument) at most
  255;
- cells lie within 1,048,576 rows × 16,384 columns; the cell styles number at most 64,000.

Pure reading: nothing is written, nothing raised for a bad book (a violation says what is wrong).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

MAX_FORMULA_CHARS = 8192
MAX_NESTING = 64
MAX_ARGUMENTS = 255
MAX_SHEET_NAME = 31
SHEET_NAME_FORBIDDEN = frozenset(':\\/?*[]')
MAX_CELL_TEXT = 32767
MAX_LIST_CHARS = 255
MAX_LINK_CHARS = 255
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_STYLES = 64_000
MAX_NAME_CHARS = 255
"""Excel's specification and limits (Excel 2010 onwards; WPS keeps the same)."""

NEWER_FUNCTIONS = frozenset("""
ACOT ACOTH ARABIC BASE BINOM.DIST.RANGE BITAND BITLSHIFT BITOR BITRSHIFT BITXOR CEILING.MATH
COMBINA COT COTH CSC CSCH DAYS DECIMAL ENCODEURL FILTERXML FLOOR.MATH FORMULATEXT GAMMA GAUSS
IFNA IMCOSH IMCOT IMCSC IMCSCH IMSEC IMSECH IMSINH IMTAN ISFORMULA ISOWEEKNUM MUNIT NUMBERVALUE
PDURATION PERMUTATIONA PHI RRI SEC SECH SHEET SHEETS SKEW.P UNICHAR UNICODE WEBSERVICE XOR
CONCAT IFS MAXIFS MINIFS SWITCH TEXTJOIN FORECAST.ETS FORECAST.ETS.CONFINT
FORECAST.ETS.SEASONALITY FORECAST.ETS.STAT FORECAST.LINEAR
LET LAMBDA FILTER XLOOKUP XMATCH SORT SORTBY UNIQUE SEQUENCE RANDARRAY BYROW BYCOL MAP REDUCE
SCAN MAKEARRAY ISOMITTED CHOOSECOLS CHOOSEROWS DROP TAKE EXPAND HSTACK VSTACK TOCOL TOROW
WRAPCOLS WRAPROWS TEXTBEFORE TEXTAFTER TEXTSPLIT ARRAYTOTEXT VALUETOTEXT STOCKHISTORY IMAGE
GROUPBY PIVOTBY PERCENTOF REGEXTEST REGEXEXTRACT REGEXREPLACE TRIMRANGE TRANSLATE
DETECTLANGUAGE COPILOT PY FIELDVALUE
""".split())
"""Functions added in Excel 2013 and later (365 included): a book using one shows #NAME? in Excel
2010 and in the WPS many county PCs run. The one list of them: a formula writer that needs another
function checks it here first."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FUNCTION_PREFIXES = ("_xlfn._xlws.", "_xlfn.", "_xlws.")
"""How a file spells functions newer than Excel 2007 (``_xlfn.IFS``): stripped before the lookup."""
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


@dataclass(frozen=True)
class Violation:
    """One breach of Excel's limits: the part of the package, where in it (a cell, a sheet name,
    a defined name; "" for the part as a whole), which limit and what was found."""

    part: str
    where: str
    limit: str
    found: str

    def __str__(self) -> str:
        place = f"{self.part}!{self.where}" if self.where else self.part
        return f"{place}: {self.limit} ({self.found})"


def check_file(path: str | Path) -> list[Violation]:
    """Every violation of Excel's limits in the .xlsx/.xlsm/.xlam at ``path`` ([] for a clean
    book). A file that is not a zip at all is one violation of the part ``(package)``."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        return [Violation("(package)", "", "a zip package", str(exc))]
    found: list[Violation] = []
    with zf:
        parts = {}
        for name in zf.namelist():
            if name.lower().endswith(_XML_SUFFIXES):
                data = zf.read(name)
                try:
                    parts[name] = ElementTree.fromstring(data)
                except ElementTree.ParseError as exc:
                    found.append(Violation(name, "", "well-formed XML", str(exc)))
    for name, root in parts.items():
        if root.tag == f"{_MAIN}worksheet":
            found += _check_sheet(name, root, parts.get(_rels_of(name)))
        elif root.tag == f"{_MAIN}workbook":
            found += _check_workbook(name, root)
        elif root.tag == f"{_MAIN}sst":
            found += _check_shared_strings(name, root)
        elif root.tag == f"{_MAIN}styleSheet":
            xfs = root.find(f"{_MAIN}cellXfs")
            count = 0 if xfs is None else len(xfs)
            if count > MAX_CELL_STYLES:
                found.append(Violation(name, "cellXfs", f"at most {MAX_CELL_STYLES:,} cell styles", f"{count:,}"))
    return found


def formula_violations(formula: str) -> list[str]:
    """What breaks Excel's limits in one formula (with or without its leading ``=``): its length,
    its nesting of function calls, a function's arguments, a function newer than Excel 2010."""
    text = formula if formula.startswith("=") else "=" + formula
    problems = []
    if len(text) > MAX_FORMULA_CHARS:
        problems.append(f"formula of {len(text):,} characters, over {MAX_FORMULA_CHARS:,}")
    shape = formula_shape(text)
    if shape.depth > MAX_NESTING:
        problems.append(f"functions nested {shape.depth} deep, over {MAX_NESTING}")
    if shape.most_arguments > MAX_ARGUMENTS:
        problems.append(f"a function given {shape.most_arguments} arguments, over {MAX_ARGUMENTS}")
    newer = sorted(shape.functions & NEWER_FUNCTIONS)
    if newer:
        problems.append(f"functions Excel 2010 and WPS lack: {', '.join(newer)}")
    long_links = [link for link in shape.links if len(link) > MAX_LINK_CHARS]
    if long_links:
        problems.append(f"a HYPERLINK target of {len(long_links[0]):,} characters, over {MAX_LINK_CHARS}")
    return problems


@dataclass(frozen=True)
class FormulaShape:
    """What the checks need of a formula: the deepest nesting of function calls, the most
    arguments one call gets, the functions called (upper case, no ``_xlfn.``), and the literal
    first arguments of HYPERLINK."""

    depth: int
    most_arguments: int
    functions: frozenset[str]
    links: tuple[str, ...]


def formula_shape(formula: str) -> FormulaShape:
    """Tokenise ``formula`` just enough for ``FormulaShape``: string literals ("a""b") and quoted
    sheet names ('it''s'!A1) are skipped whole, so a comma or parenthesis in them counts for
    nothing; array constants ({1,2;3,4}) separate nothing either."""
    stack: list[list] = []  # per open parenthesis: [function name or None, commas, first literal]
    depth = most = braces = 0
    functions, links = set(), []
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            j = i + 1
            while j < n:
                if formula[j] == ch:
                    if j + 1 < n and formula[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            if ch == '"' and stack and stack[-1][0] == "HYPERLINK" and stack[-1][1] == 0 and stack[-1][2] is None:
                stack[-1][2] = formula[i + 1:j].replace('""', '"')
            i = j + 1
            continue
        if ch == "{":
            braces += 1
        elif ch == "}":
            braces -= 1
        elif ch == "(":
            name = _name_before(formula, i)
            stack.append([name, 0, None])
            if name is not None:
                functions.add(name)
                depth = max(depth, sum(1 for frame in stack if frame[0] is not None))
        elif ch == ")" and stack:
            name, commas, link = stack.pop()
            if name is not None:
                most = max(most, commas + 1)
                if name == "HYPERLINK" and link is not None:
                    links.append(link)
        elif ch == "," and stack and braces == 0:
            stack[-1][1] += 1
        i += 1
    return FormulaShape(depth, most, frozenset(functions), tuple(links))


def _name_before(formula: str, paren: int) -> str | None:
    """The function name ending just before the ``(`` at ``paren``, upper case and without its
    ``_xlfn.`` prefix; None for a parenthesis that only groups."""
    j = paren
    while j > 0 and (formula[j - 1].isalnum() or formula[j - 1] in "._"):
        j -= 1
    name = formula[j:paren].upper()
    if not name or not (name[0].isalpha() or name[0] == "_"):
        return None
    for prefix in _FUNCTION_PREFIXES:
        if name.startswith(prefix.upper()):
            return name[len(prefix):]
    return name


def sheet_name_violation(name: str) -> str:
    """Why Excel refuses ``name`` as a sheet name ("" when it accepts it)."""
    if not name or len(name) > MAX_SHEET_NAME:
        return f"a sheet name of {len(name)} characters, not 1–{MAX_SHEET_NAME}"
    bad = sorted(set(name) & SHEET_NAME_FORBIDDEN)
    if bad:
        return f"a sheet name with {' '.join(bad)}"
    if name[0] == "'" or name[-1] == "'":
        return "a sheet name quoted at an end"
    return ""


_NAME = re.compile(r"[^\W\d][\w.\\]*|\\[\w.\\]*")
_A1 = re.compile(r"([A-Za-z]{1,3})(\d+)")
_R1C1 = re.compile(r"[Rr]\d*([Cc]\d*)?|[Cc]\d*")


def defined_name_violation(name: str) -> str:
    """Why Excel refuses ``name`` as a defined name ("" when it accepts it); the built-in names
    (``_xlnm.Print_Area``) pass."""
    if not name or len(name) > MAX_NAME_CHARS:
        return f"a defined name of {len(name)} characters, not 1–{MAX_NAME_CHARS}"
    if not _NAME.fullmatch(name):
        return f"a defined name with characters Excel refuses: {name!r}"
    cell = _A1.fullmatch(name)
    if cell and _column_number(cell.group(1)) <= MAX_COLUMNS and 0 < int(cell.group(2)) <= MAX_ROWS:
        return f"a defined name that reads as the cell {name}"
    if _R1C1.fullmatch(name):
        return f"a defined name that reads as an R1C1 reference: {name}"
    return ""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _rels_of(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels"


def _text_of(element) -> str:
    """The text of an inline or shared string: its ``<t>`` and its runs' ``<t>``, not the phonetic
    runs (``<rPh>``), which Excel does not count as the cell's text."""
    if element is None:
        return ""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            t = child.find(f"{_MAIN}t")
            parts.append("" if t is None else t.text or "")
    return "".join(parts)


def _position(ref: str) -> tuple[int, int] | None:
    match = _CELL.fullmatch(ref)
    if match is None:
        return None
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)), col


def _check_formula(part: str, where: str, text: str | None) -> list[Violation]:
    if not text:
        return []
    return [Violation(part, where, "Excel's formula limits", problem) for problem in formula_violations(text)]


def _check_sheet(part: str, root, rels) -> list[Violation]:
    found = []
    for cell in root.iter(f"{_MAIN}c"):
        ref = cell.get("r", "")
        position = _position(ref) if ref else None
        if position is not None and (position[0] > MAX_ROWS or position[1] > MAX_COLUMNS):
            found.append(Violation(part, ref, f"within {MAX_ROWS:,} rows × {MAX_COLUMNS:,} columns", ref))
        formula = cell.find(f"{_MAIN}f")
        if formula is not None:
            found += _check_formula(part, ref, formula.text)
        kind = cell.get("t")
        text = _text_of(cell.find(f"{_MAIN}is")) if kind == "inlineStr" else None
        if kind == "str":
            value = cell.find(f"{_MAIN}v")
            text = "" if value is None else value.text or ""
        if text is not None and len(text) > MAX_CELL_TEXT:
            found.append(Violation(part, ref, f"cell text of at most {MAX_CELL_TEXT:,} characters", f"{len(text):,}"))
    for row in root.iter(f"{_MAIN}row"):
        if int(row.get("r", "0") or 0) > MAX_ROWS:
            found.append(Violation(part, f"row {row.get('r')}", f"at most {MAX_ROWS:,} rows", row.get("r")))
    for col in root.iter(f"{_MAIN}col"):
        if int(col.get("max", "0") or 0) > MAX_COLUMNS:
            found.append(Violation(part, f"column {col.get('max')}", f"at most {MAX_COLUMNS:,} columns", col.get("max")))
    for conditional in root.iter(f"{_MAIN}conditionalFormatting"):
        for formula in conditional.iter(f"{_MAIN}formula"):
            found += _check_formula(part, conditional.get("sqref", "conditional format"), formula.text)
    for validation in root.iter(f"{_MAIN}dataValidation"):
        where = validation.get("sqref", "data validation")
        for tag in ("formula1", "formula2"):
            formula = validation.find(f"{_MAIN}{tag}")
            text = None if formula is None else formula.text
            found += _check_formula(part, where, text)
            if validation.get("type") == "list" and text and len(text) > MAX_LIST_CHARS:
                found.append(Violation(part, where, f"a data-validation list of at most {MAX_LIST_CHARS} characters",
                                       f"{len(text):,}"))
    targets = {}
    if rels is not None:
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")
                   if rel.get("TargetMode") == "External"}
    for link in root.iter(f"{_MAIN}hyperlink"):
        target = (link.get("location") or "") + targets.get(link.get(f"{_REL}id"), "")
        if len(target) > MAX_LINK_CHARS:
            found.append(Violation(part, link.get("ref", ""), f"a hyperlink of at most {MAX_LINK_CHARS} characters",
                                   f"{len(target):,}"))
    return found


def _check_workbook(part: str, root) -> list[Violation]:
    found = []
    for sheet in root.iter(f"{_MAIN}sheet"):
        name = sheet.get("name", "")
        problem = sheet_name_violation(name)
        if problem:
            found.append(Violation(part, name, "Excel's sheet names", problem))
    for defined in root.iter(f"{_MAIN}definedName"):
        name = defined.get("name", "")
        problem = defined_name_violation(name)
        if problem:
            found.append(Violation(part, name, "Excel's defined names", problem))
        found += _check_formula(part, name, defined.text)
    return found


def _check_shared_strings(part: str, root) -> list[Violation]:
    found = []
    for i, item in enumerate(root.iter(f"{_MAIN}si")):
        length = len(_text_of(item))
        if length > MAX_CELL_TEXT:
            found.append(Violation(part, f"string {i}", f"cell text of at most {MAX_CELL_TEXT:,} characters",
                                   f"{length:,}"))
    return found


__all__ = ["NEWER_FUNCTIONS", "FormulaShape", "Violation", "check_file", "defined_name_violation", "formula_shape", "formula_violations",
           "sheet_name_violation"]
