"""xlsuite's own wheel made again from an installed copy, for a bundle built without the source.

IT often has xlsuite from a wheel (``pip install .``, or a bundle's ``安装.bat``), not from a clone.
pip keeps, for every package it installs from a wheel, the list of the files it wrote with their
sha256 (the ``RECORD`` of the ``.dist-info`` folder, PEP 376/627): those files, put back into a
zip with a fresh ``RECORD``, are the wheel they came from. A file whose digest no longer matches
its record was changed after installing and is refused, so a bundle never spreads a local edit.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata
import io
import zipfile
from pathlib import Path

from ..core.errors import InputError

_NOT_PACKED = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
"""What pip adds to a .dist-info when installing; not part of the wheel."""
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def repack_installed(wheels: Path, name: str = "xlsuite") -> Path:
    """Write the wheel of the installed distribution ``name`` into ``wheels``; returns its path.

    Raises:
        InputError: ``name`` is not installed from a wheel (an editable install has no files to
            pack: build from its checkout instead), or an installed file was changed.
    """
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        raise InputError(None, f"本机没有安装 {name}") from None
    records = dist.files or []
    info = next((f.parts[0] for f in records if f.parts and f.parts[0].endswith(".dist-info")), None)
    packed = [f for f in records
              if f.parts and f.parts[0] in (name, info) and "__pycache__" not in f.parts
              and not (f.parts[0] == info and f.name in _NOT_PACKED)]
    if info is None or not any(f.parts[0] == name for f in packed):
        raise InputError(None, f"{name} 是以可编辑方式安装的（pip install -e）：请在它的源代码文件夹中运行，"
                               "或用 --source 指定源代码文件夹")
    tag = _tag(dist.read_text("WHEEL") or "")
    target = Path(wheels) / f"{name}-{dist.version}-{tag}.whl"
    rows = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(packed, key=lambda f: (f.parts[0] == info, str(f))):
            data = Path(dist.locate_file(file)).read_bytes()
            digest = _digest(data)
            if file.hash is not None and f"{file.hash.mode}={file.hash.value}" != digest:
                raise InputError(dist.locate_file(file), "安装后被改动过，不能据此生成安装包；请重新安装 xlsuite")
            zf.writestr(_entry(file.as_posix()), data)
            rows.append((file.as_posix(), digest, str(len(data))))
        record = f"{info}/RECORD"
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([*rows, (record, "", "")])
        zf.writestr(_entry(record), text.getvalue())
    return target


def _tag(wheel_metadata: str) -> str:
    tags = [line.split(":", 1)[1].strip() for line in wheel_metadata.splitlines() if line.startswith("Tag:")]
    if not tags:
        raise InputError(None, "已安装的 xlsuite 缺少 WHEEL 信息，无法重新打包")
    # Several tags (py2.py3-none-any) are written with dots between the parts that differ.
    parts = [t.split("-") for t in tags]
    return "-".join(".".join(dict.fromkeys(p[i] for p in parts)) for i in range(3))


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
