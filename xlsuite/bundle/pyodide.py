"""Pyodide for the county server's bundle: Python in the WPS 加载项's page, never fetched at run time.

The add-in's page loads Pyodide from the county server (``xlsuite serve --pyodide DIR``), which
serves the ``pyodide/`` folder of the bundle. Its files come from the npm package ``pyodide`` at
the version the add-in's tests run (``macros/wps/package-lock.json``; a test holds the two
together), checked against the lock's sha512 before anything is unpacked: from a folder that
already holds the package (``macros/wps/node_modules/pyodide``), from its .tgz, or downloaded
from the npm registry when the bundle is built (the one download, like pip's).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
import urllib.request
from pathlib import Path

from ..core.errors import InputError

PYODIDE_VERSION = "314.0.8"
PYODIDE_INTEGRITY = "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ=="
REGISTRY_URL = f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
PAGE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
              "pyodide-lock.json", "package.json")
"""What a page needs of the package (the source maps, consoles and type declarations stay out)."""


def add_pyodide(dest: Path, source: str | Path | None = None) -> Path:
    """Write Pyodide's page files into ``dest`` (a new folder) from ``source`` (a folder holding the
    npm package, or its .tgz) or, without one, from the npm registry.

    Raises:
        InputError: the source is not this version of the package, or its bytes are not the
            locked ones, or the download failed.
    """
    if source is not None and Path(source).is_dir():
        _copy_folder(Path(source), dest)
    else:
        data = Path(source).read_bytes() if source is not None else _download()
        _check_integrity(data, source or REGISTRY_URL)
        _unpack(data, dest)
    return dest


def _copy_folder(folder: Path, dest: Path) -> None:
    try:
        version = json.loads((folder / "package.json").read_text("utf-8")).get("version")
    except (OSError, ValueError):
        version = None
    if version != PYODIDE_VERSION:
        raise InputError(folder, f"不是 Pyodide {PYODIDE_VERSION} 的文件夹（版本：{version or '未知'}）")
    dest.mkdir(parents=True)
    for name in PAGE_FILES:
        shutil.copy2(folder / name, dest / name)


def _download() -> bytes:
    try:
        with urllib.request.urlopen(REGISTRY_URL, timeout=120) as response:
            return response.read()
    except OSError as exc:
        raise InputError(None, f"下载 Pyodide 失败（{exc}）：可用 --with-pyodide 指定已下载的文件夹或 .tgz") from None


def _check_integrity(data: bytes, where) -> None:
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != PYODIDE_INTEGRITY:
        raise InputError(where, f"不是锁定的 Pyodide {PYODIDE_VERSION}（校验值不符），已拒绝")


def _unpack(data: bytes, dest: Path) -> None:
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in PAGE_FILES:
            member = tar.getmember(f"package/{name}")
            extracted = tar.extractfile(member)
            if extracted is None:
                raise InputError(None, f"Pyodide 包中缺少 {name}")
            (dest / name).write_bytes(extracted.read())
