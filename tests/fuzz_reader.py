"""A seeded campaign of damaged workbooks: byte, zip and XML mutations of the sample.

    python tests/fuzz_reader.py SAMPLE OUT_DIR SEED COUNT [structured]

Writes COUNT mutated books (with ``structured``: combinations of the named mutations of
``structured_mutations.py``, each perhaps with a seeded XML edit on top) into OUT_DIR, reads each with both engines and prints one JSON line
per book: ``{"case", "kind", "calamine", "openpyxl"}``, each outcome ``["ok", digest]`` or
``[error class, reason]`` or ``["crash", traceback]``. A line is printed before each book is
read too (``{"start": case}``), so the parent knows which book a native abort or hang took.
Run as a child process by ``test_fuzz.py`` under a memory limit.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import sys
import traceback
import zipfile
from pathlib import Path

SHEETS = [f"xl/worksheets/sheet{i}.xml" for i in range(2, 8)]
TEXT_PARTS = ["xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
              "[Content_Types].xml"]
VALUES = [b"1e400", b"-1e400", b"9" * 400, b"NaN", b"inf", b"", b"abc", b"1E+26", b"0.000000001",
          b"-0", b"12345678901234567890", b"1" * 5000, b"#DIV/0!", b"#REF!", b"#N/A", b"_x0001_",
          b"99999999", b"-1", b"1.5", b"&#1;", b"\xe4\xb8\xad"]
TYPES = [b"s", b"b", b"e", b"str", b"inlineStr", b"n", b"d", b"x"]
REFS = [b"XFD1048576", b"A1048576", b"XFD1", b"IV20000", b"IW1", b"A20001", b"A0", b"0", b"", b"AAAA1", b"A1"]


def mutate(sample: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["bytes", "zip", "xml", "xml", "xml"])
    if kind == "bytes":
        data = bytearray(sample)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        return kind, bytes(data)
    with zipfile.ZipFile(io.BytesIO(sample)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    if kind == "zip":
        name = rng.choice(sorted(parts))
        action = rng.choice(["drop", "truncate", "flip", "empty", "duplicate"])
        if action == "drop":
            del parts[name]
        elif action == "truncate":
            parts[name] = parts[name][: rng.randrange(len(parts[name]) + 1)]
        elif action == "flip":
            part = bytearray(parts[name])
            for _ in range(rng.randint(1, 4)):
                part[rng.randrange(len(part))] = rng.randrange(256)
            parts[name] = bytes(part)
        elif action == "empty":
            parts[name] = b""
        kind = f"zip-{action}:{name}"
    else:
        name = rng.choice(SHEETS + SHEETS + TEXT_PARTS)
        xml = parts[name]
        for _ in range(rng.randint(1, 3)):
            xml = _xml_edit(xml, rng)
        parts[name] = xml
        kind = f"xml:{name}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        if kind.startswith("zip-duplicate"):
            zf.writestr(kind.split(":", 1)[1], parts.get(kind.split(":", 1)[1], b""))
    return kind, out.getvalue()


def _xml_edit(xml: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:  # a value
        values = list(re.finditer(rb"<v>[^<]*</v>", xml))
        if values:
            m = rng.choice(values)
            return xml[:m.start()] + b"<v>" + rng.choice(VALUES) + b"</v>" + xml[m.end():]
    elif choice == 1:  # a cell's type
        cells = list(re.finditer(rb'<c r="[A-Z]+\d+"', xml))
        if cells:
            m = rng.choice(cells)
            return xml[:m.end()] + b' t="' + rng.choice(TYPES) + b'"' + xml[m.end():]
    elif choice == 2:  # a reference
        refs = list(re.finditer(rb'r="[A-Z]*\d*"', xml))
        if refs:
            m = rng.choice(refs)
            ref = rng.choice(REFS)
            if rng.random() < 0.5 and b"<row" in xml[max(0, m.start() - 5):m.start()]:
                ref = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return xml[:m.start()] + b'r="' + ref + b'"' + xml[m.end():]
    elif choice == 3:  # cut
        return xml[: rng.randrange(len(xml) + 1)]
    elif choice == 4:  # a text
        texts = list(re.finditer(rb"<t[^>]*>[^<]*</t>", xml))
        if texts:
            m = rng.choice(texts)
            text = rng.choice([b"_x0001_", b"\x01", b"&#1;", b"=HYPERLINK(\"x\")", b"\xff\xfe", b"a" * 40000,
                               b"1" * 5000, b""])
            return xml[:m.start()] + b"<t>" + text + b"</t>" + xml[m.end():]
    # an element dropped
    tags = list(re.finditer(rb"<(\w+)[^>]*/>", xml))
    if tags:
        m = rng.choice(tags)
        return xml[:m.start()] + xml[m.end():]
    return xml


def structured(sample: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One to three of the named structured mutations, and perhaps a seeded XML edit of a sheet."""
    import structured_mutations as sm

    with zipfile.ZipFile(io.BytesIO(sample)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    names = []
    for name in rng.sample(sorted(sm.MUTATIONS), rng.randint(1, 3)):
        try:
            parts = sm.MUTATIONS[name](parts)
        except (AssertionError, AttributeError, KeyError, TypeError):
            continue  # an earlier mutation took away what this one changes
        names.append(name)
    sheets = [name for name in SHEETS if name in parts]
    if sheets and rng.random() < 0.5:
        sheet = rng.choice(sheets)
        parts[sheet] = _xml_edit(parts[sheet], rng)
        names.append(f"xml:{sheet}")
    return "structured:" + "+".join(names), sm.package(parts)


def outcome(path: Path, engine: str):
    from xlsuite.core.errors import CellValueError, XlsuiteError
    from xlsuite.reader import read_book

    try:
        book = read_book(path, engine=engine)
    except CellValueError as exc:
        return ["CellValueError", sorted(exc.cells)]
    except XlsuiteError as exc:
        return [type(exc).__name__, exc.reason]
    except Exception:  # noqa: BLE001 - what the campaign looks for
        return ["crash", traceback.format_exc()]
    model = repr((book.info, book.budget, book.projects, book.indicators, book.problems, book.template_version))
    return ["ok", hashlib.sha256(model.encode()).hexdigest()]


def main(sample: str, out_dir: str, seed: str, count: str, kind: str = "") -> None:
    rng = random.Random(int(seed))
    make = structured if kind == "structured" else mutate
    data = Path(sample).read_bytes()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(int(count)):
        kind, mutated = make(data, rng)
        path = folder / f"fuzz-{n:04d}.xlsx"
        path.write_bytes(mutated)
        print(json.dumps({"start": path.name}), flush=True)
        line = {"case": path.name, "kind": kind}
        for engine in ("calamine", "openpyxl"):
            line[engine] = outcome(path, engine)
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
