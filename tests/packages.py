"""Compare Office packages (.xlsx, .docx) part by part, as XlsxWriter's tests do."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.dom import minidom


def package_parts(path: Path) -> dict[str, str]:
    """Each part of the package as pretty-printed XML, so a mismatch reads as a diff."""
    with zipfile.ZipFile(path) as zf:
        out = {}
        for name in sorted(zf.namelist()):
            data = zf.read(name)
            try:
                out[name] = minidom.parseString(data).toprettyxml(indent=" ")
            except Exception:
                out[name] = repr(data)
        return out
