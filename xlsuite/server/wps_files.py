"""Where the WPS 加载项's files are, and the two XML files that tell WPS where to load it from.

The add-in is a web page with a ribbon (``macros/wps/``: ``ribbon.xml``, ``index.html`` and its
scripts); WPS loads it "online" from a URL. Two files point WPS at that URL (the format the wpsjs
tool writes, ``<jspluginonline name=… type="et" url=…/>``, type ``et`` being the spreadsheet):

- ``publish.xml`` in the user's ``jsaddons`` folder: one PC, no administrator;
- ``jsplugins.xml`` served by the county, named once per WPS install by ``oem.ini``
  (``[Server] JSPluginsServer=<url>/jsplugins.xml``, ``[Support] JsApiPlugin=true``).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

CONFIG_JS = "xlsuite-config.js"
"""The page's settings: where the county server is, where Pyodide and xlsuite's Python are. The
file shipped beside the page is for a folder install (IT edits it); the server answers its own."""
SOURCES_ZIP = "xlsuite-py.zip"
"""xlsuite's Python for Pyodide (``sources.sources_zip``)."""

ADDIN_NAME = "xlsuite"
"""The add-in's name in WPS (its folder name under jsaddons when installed offline)."""


def addin_dir() -> Path:
    """The add-in's files as shipped (``macros/wps``; the wheel's ``xlsuite/macros/wps``)."""
    from ..excel.vba import macros_dir

    return macros_dir() / "wps"


def _entry(base_url: str) -> str:
    url = base_url.rstrip("/") + "/wps/"
    return (f"  <jspluginonline name={quoteattr(ADDIN_NAME)} type=\"et\" url={quoteattr(url)} "
            "debug=\"\" enable=\"enable_dev\" install=\"null\"/>\n")


def publish_xml(base_url: str) -> str:
    """The ``publish.xml`` of one PC whose add-in comes from the server at ``base_url``."""
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<jsplugins>\n' + _entry(base_url) + "</jsplugins>\n"


def jsplugins_xml(base_url: str) -> str:
    """The county's ``jsplugins.xml``, which every PC's ``oem.ini`` names."""
    return publish_xml(base_url)


def config_js(*, server: str, pyodide: str, sources: str) -> str:
    """The page's settings as the script ``CONFIG_JS`` (JSON inside: no text is code)."""
    import json

    settings = json.dumps({"server": server, "pyodide": pyodide, "sources": sources}, ensure_ascii=False)
    return f"/* xlsuite 加载项的设置（由 xlsuite serve 生成） */\nself.XLSUITE_CONFIG = {settings};\n"
