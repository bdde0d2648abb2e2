"""xlsuite's own Python, as one zip for Python in the page (Pyodide).

The button actions import nothing outside the standard library and xlsuite (``excel.host`` is
the book they act on), so the page needs only xlsuite's modules and its data files: no wheel
resolution, no package index. Pyodide unpacks the zip into its site-packages.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from importlib import resources

_SKIPPED_DIRS = {"__pycache__", "macros"}
"""The VBA and the add-in's own files are not Python the page runs."""
_KEPT_SUFFIXES = (".py", ".toml")


@lru_cache(maxsize=1)
def sources_zip() -> bytes:
    """The zip (the same bytes for the same xlsuite: fixed times, sorted names)."""
    package = resources.files("xlsuite")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(_files(package, "xlsuite")):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


def _files(folder, prefix: str):
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name not in _SKIPPED_DIRS:
                yield from _files(entry, f"{prefix}/{entry.name}")
        elif entry.name.endswith(_KEPT_SUFFIXES):
            yield f"{prefix}/{entry.name}", entry.read_bytes()
