"""Validate each XML part of a written package (.xlsx/.xlsm/.xlam/.docx) against the ECMA-376 schemas.

Excel and Word refuse or "repair" a part whose elements are out of the schema's order or carry an
attribute the schema does not know, however well-formed it is; ``xlsuite.files.excel_limits`` checks
well-formedness and Excel's limits, this module the schemas. The schemas are ECMA-376 5th edition's
own files, unmodified, under ``schemas/ecma-376/`` (its NOTICE.md gives their source and terms): Part 4's
Transitional set, the one Excel, Word, xlsxwriter, openpyxl and python-docx write, and Part 2's package
schemas. The three namespaces they import from outside (``xml:``, Dublin Core) are xlsuite's own small
stand-ins under ``schemas/stand-ins/``, resolved locally: the check never reaches the network.

Each part is matched to its schema by its content type in ``[Content_Types].xml``. A part of a content
type no vendored schema covers is reported as not covered (``NOT_COVERED`` says why for each kind
xlsuite writes); one of a content type named in neither table is refused, so no new kind of part is
passed silently.

Markup Compatibility (ECMA-376 Part 3) is applied first, as Excel and Word do: attributes and elements
of a namespace that an ``mc:Ignorable`` declares and no vendored schema defines (x14ac, xr, w14, …) are
removed, an ``mc:AlternateContent`` keeps its first ``mc:Choice`` whose ``Requires`` are all understood
or else its ``mc:Fallback``, and ``mc:MustUnderstand`` of an unknown namespace is refused. Elements of
an unknown namespace that is not declared ignorable stay, and the schema refuses them.

One defect of the schemas is worked around (``_xml_space_on_text``): sml.xsd types SpreadsheetML's text
element ``<t>`` as a plain string, so it refuses the ``xml:space="preserve"`` that keeps a text's leading
or trailing spaces, which Part 1's own examples of shared strings and every Excel write (XML 1.0 §2.10
lets any element carry it). It is checked here instead and removed before the schema sees the part.
libxml2 (XSD 1.0) compiles every vendored schema as it is.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

HERE = Path(__file__).parent / "schemas"
ECMA = HERE / "ecma-376"
STAND_INS = HERE / "stand-ins"

SML = "transitional/sml.xsd"
WML = "transitional/wml.xsd"
DML = "transitional/dml-main.xsd"
_OOXML = "application/vnd.openxmlformats-officedocument."

SCHEMA_OF = {
    # SpreadsheetML (Part 1 §18; the drawing part's xdr: schema is imported by sml.xsd)
    **{_OOXML + f"spreadsheetml.{kind}+xml": SML for kind in (
        "sheet.main", "template.main", "worksheet", "styles", "sharedStrings", "comments", "table",
        "calcChain", "chartsheet", "externalLink", "pivotTable", "pivotCacheDefinition", "queryTable")},
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": SML,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": SML,
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": SML,
    _OOXML + "drawing+xml": SML,
    # WordprocessingML (Part 1 §17)
    **{_OOXML + f"wordprocessingml.{kind}+xml": WML for kind in (
        "document.main", "template.main", "styles", "settings", "webSettings", "fontTable", "numbering",
        "footer", "header", "footnotes", "endnotes", "comments")},
    # Word 2010's copy of styles.xml (python-docx's default template carries it): a w:styles part
    # whose Word 2010 additions are mc:Ignorable, so WordprocessingML's schema covers it.
    "application/vnd.ms-word.stylesWithEffects+xml": WML,
    # DrawingML theme and charts (Part 1 §§20.1.6, 21.2), shared properties, custom XML
    _OOXML + "theme+xml": DML,
    _OOXML + "drawingml.chart+xml": "transitional/dml-chart.xsd",
    _OOXML + "extended-properties+xml": "transitional/shared-documentPropertiesExtended.xsd",
    _OOXML + "customXmlProperties+xml": "transitional/shared-customXmlDataProperties.xsd",
    # Open Packaging Conventions (Part 2)
    "application/vnd.openxmlformats-package.relationships+xml": "opc/opc-relationships.xsd",
    "application/vnd.openxmlformats-package.core-properties+xml": "opc/opc-coreProperties.xsd",
}
"""Content type → the vendored schema (relative to ``schemas/ecma-376/``) that covers its parts."""

CONTENT_TYPES_SCHEMA = "opc/opc-contentTypes.xsd"
"""``[Content_Types].xml`` itself has no content type (Part 2 §10.1.2)."""

CUSTOM_XML = {"http://schemas.openxmlformats.org/officeDocument/2006/bibliography":
              "transitional/shared-bibliography.xsd"}
"""A custom XML data part is typed only ``application/xml``; one whose root is in a namespace of
ECMA-376 is checked against that schema (Word's bibliography store, in python-docx's template)."""

RIBBON = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
"""The ribbon part (customUI.xml) has no content type of its own (``application/xml``): it is known by
the package relationship that names it, of this type (Office 2010's ends alike)."""

NOT_COVERED = {
    "application/vnd.ms-office.vbaProject": "binary VBA project (MS-OVBA), no XML",
    "application/vnd.openxmlformats-officedocument.vmlDrawing":
        "VML (the buttons' and comments' legacy drawing): its root <xml> is declared by no schema",
    "application/xml": "custom XML data (customXml/) in a namespace no ECMA-376 schema defines",
    RIBBON: "the ribbon (customUI.xml): Microsoft's MS-CUSTOMUI schema, not part of ECMA-376",
}
"""Kinds of part xlsuite writes that no vendored schema covers, and why. Any other part typed only
``application/xml`` (neither custom XML data nor the ribbon) is refused: a writer forgot its type."""

_SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_XML = "http://www.w3.org/XML/1998/namespace"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Refusal:
    """One way a part breaks its schema: where, and the schema validator's message."""

    part: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.message}"


@dataclass
class Report:
    """What ``check_package`` found in one file."""

    refusals: list[Refusal] = field(default_factory=list)
    checked: dict[str, str] = field(default_factory=dict)
    """Part → the schema it was held to."""
    not_covered: dict[str, str] = field(default_factory=dict)
    """Part → its content type (a key of ``NOT_COVERED``)."""


class _Local(etree.Resolver):
    """The schemas' imports from outside ECMA-376, answered from ``schemas/stand-ins/``."""

    STAND_IN = {"http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dc.xsd",
                "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dcterms.xsd",
                "http://www.w3.org/2001/xml.xsd": "xml.xsd"}

    def resolve(self, url, id, context):
        name = self.STAND_IN.get(url)
        if name is None and url.startswith("http"):
            raise LookupError(f"a schema import would reach the network: {url}")
        return self.resolve_filename(str(STAND_INS / name), context) if name else None


def _namespaces(schema: Path, seen: set[Path]) -> set[str]:
    """Target namespaces of ``schema`` and of every vendored schema it imports."""
    if schema in seen:
        return set()
    seen.add(schema)
    root = etree.parse(str(schema)).getroot()
    found = {root.get("targetNamespace")}
    for imp in root.iter("{http://www.w3.org/2001/XMLSchema}import"):
        location = imp.get("schemaLocation")
        if location and not location.startswith("http"):
            found |= _namespaces(schema.parent / location, seen)
    return found


@cache
def compiled(name: str) -> tuple[etree.XMLSchema, frozenset[str]]:
    """The schema ``name`` (relative to ``schemas/ecma-376/``) compiled once per session, and the
    namespaces it understands (its own, its imports', ``xml:``). The ECMA files import the ``xml:``
    namespace without a location: a wrapper imports it first from the stand-in, so that libxml2 finds
    it declared."""
    path = ECMA / name
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="{_XML}" schemaLocation="{(STAND_INS / "xml.xsd").as_uri()}"/>'
        f'<xs:import namespace="{etree.parse(str(path)).getroot().get("targetNamespace")}" '
        f'schemaLocation="{path.as_uri()}"/></xs:schema>')
    schema = etree.XMLSchema(etree.fromstring(wrapper, parser, base_url=(path.parent / "wrapper.xsd").as_uri()))
    return schema, frozenset(_namespaces(path, set()) | {_XML})


def _prefixes(element: etree._Element, value: str, part: str) -> set[str]:
    namespaces = set()
    for prefix in value.split():
        if prefix not in element.nsmap:
            raise ValueError(f"{part}:{element.sourceline}: mc: names an undeclared prefix {prefix!r}")
        namespaces.add(element.nsmap[prefix])
    return namespaces


def apply_markup_compatibility(root: etree._Element, understood: frozenset[str], part: str) -> None:
    """Reduce ``root`` in place to what a consumer that understands only ``understood`` sees
    (ECMA-376 Part 3 §§10–11): raises ValueError for a MustUnderstand it cannot honour."""

    def visit(element: etree._Element, ignorable: frozenset[str]) -> None:
        ignorable = ignorable | _prefixes(element, element.get(f"{{{_MC}}}Ignorable", ""), part)
        must = _prefixes(element, element.get(f"{{{_MC}}}MustUnderstand", ""), part) - understood
        if must:
            raise ValueError(f"{part}:{element.sourceline}: mc:MustUnderstand of {sorted(must)}")
        for name in list(element.attrib):
            namespace = etree.QName(name).namespace
            if namespace == _MC or (namespace in ignorable and namespace not in understood):
                del element.attrib[name]
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            namespace = etree.QName(child).namespace
            if namespace == _MC and etree.QName(child).localname == "AlternateContent":
                chosen = _chosen(child, understood, part)
                _replace(child, list(chosen) if chosen is not None else [])
                for grandchild in (chosen if chosen is not None else []):
                    visit(grandchild, ignorable)
            elif namespace in ignorable and namespace not in understood:
                element.remove(child)
            else:
                visit(child, ignorable)

    visit(root, frozenset())


def _chosen(alternate: etree._Element, understood: frozenset[str], part: str):
    for branch in alternate:
        if branch.tag == f"{{{_MC}}}Choice":
            if _prefixes(branch, branch.get("Requires", ""), part) <= understood:
                return branch
        elif branch.tag == f"{{{_MC}}}Fallback":
            return branch
    return None


def _replace(element: etree._Element, children: list[etree._Element]) -> None:
    parent = element.getparent()
    at = parent.index(element)
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)


def _validate(part: str, data: bytes, schema_name: str, report: Report) -> None:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        report.refusals.append(Refusal(part, err.lineno or 0, f"not well-formed XML: {err.msg}"))
        return
    schema, understood = compiled(schema_name)
    if schema_name == SML:
        _xml_space_on_text(root, part, report)
    if _MC.encode() in data:
        try:
            apply_markup_compatibility(root, understood, part)
        except ValueError as err:
            report.refusals.append(Refusal(part, 0, str(err)))
            return
    report.checked[part] = schema_name
    if not schema.validate(root):
        report.refusals.extend(Refusal(part, e.line, e.message) for e in schema.error_log)


def _xml_space_on_text(root: etree._Element, part: str, report: Report) -> None:
    """Check and remove ``xml:space`` on SpreadsheetML's ``<t>`` (the module's docstring says why)."""
    space = f"{{{_XML}}}space"
    for text in root.iter(f"{{{_SML_NS}}}t"):
        value = text.attrib.pop(space, None)
        if value not in (None, "preserve", "default"):
            report.refusals.append(Refusal(part, text.sourceline, f"xml:space={value!r} on <t>"))


def _content_types(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name (as a zip entry name) → content type, from ``[Content_Types].xml``."""
    root = etree.fromstring(zf.read("[Content_Types].xml"), _PARSER)
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(f"{_CT}Default")}
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in root.iter(f"{_CT}Override")}
    return {name: overrides.get(name) or defaults.get(posixpath.basename(name).rpartition(".")[2].lower(), "")
            for name in zf.namelist() if not name.endswith("/") and name != "[Content_Types].xml"}


def _ribbon_parts(zf: zipfile.ZipFile) -> set[str]:
    """Parts the package's own relationships name as its ribbon (customUI)."""
    rels = etree.fromstring(zf.read("_rels/.rels"), _PARSER) if "_rels/.rels" in zf.namelist() else None
    if rels is None:
        return set()
    return {r.get("Target").lstrip("/") for r in rels.iter(f"{_RELS}Relationship")
            if r.get("Type", "").endswith(RIBBON.rpartition("/relationships")[2])}


def check_package(path: Path) -> Report:
    """Every part of the package at ``path`` held to its ECMA-376 schema, or reported not covered."""
    report = Report()
    with zipfile.ZipFile(path) as zf:
        _validate("[Content_Types].xml", zf.read("[Content_Types].xml"), CONTENT_TYPES_SCHEMA, report)
        ribbon = _ribbon_parts(zf)
        for part, content_type in _content_types(zf).items():
            data = zf.read(part)
            schema = SCHEMA_OF.get(content_type)
            if content_type == "application/xml":
                if part in ribbon:
                    content_type = RIBBON
                elif part.startswith("customXml/"):
                    try:
                        schema = CUSTOM_XML.get(etree.QName(etree.fromstring(data, _PARSER)).namespace)
                    except etree.XMLSyntaxError as err:
                        report.refusals.append(Refusal(part, err.lineno or 0, f"not well-formed XML: {err.msg}"))
                        continue
                else:
                    content_type = "application/xml outside customXml/"
            if schema is not None:
                _validate(part, data, schema, report)
            elif content_type in NOT_COVERED:
                report.not_covered[part] = content_type
            else:
                report.refusals.append(Refusal(part, 0, f"content type {content_type!r} has no schema "
                                               "here and is not listed in NOT_COVERED"))
    return report
