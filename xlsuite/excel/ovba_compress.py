"""The compression of VBA streams ([MS-OVBA] 2.4.1), written out because ms-ovba's is wrong.

ms-ovba-compression 1.0.1 corrupts some inputs: the dir stream of a project with a dozen modules
decompresses (by its own decompressor, by oletools and by LibreOffice alike) to garbled module
names, so neither Excel nor LibreOffice could load the project. This is the specification's
algorithm, plainly: 4096-byte chunks, each a run of flag bytes with 8 tokens (a literal byte or a
copy token pointing back into the chunk), a raw chunk when compression does not pay.
"""

from __future__ import annotations

CHUNK = 4096
_SIGNATURE = 0x01


def compress(data: bytes) -> bytes:
    """Compress ``data`` as a CompressedContainer."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)


def _chunk(data: bytes, start: int, end: int) -> bytes:
    body = bytearray()
    pos = start
    while pos < end:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            offset, length = _match(data, start, pos, end)
            if length >= 3:
                body += _copy_token(start, pos, offset, length).to_bytes(2, "little")
                flags |= 1 << bit
                pos += length
            else:
                body.append(data[pos])
                pos += 1
        body[flag_at] = flags
    if len(body) > CHUNK:
        # Raw chunk: the 4096 bytes as they are (a short last chunk padded, as the spec says).
        raw = data[start:end].ljust(CHUNK, b"\x00")
        return _header(CHUNK, compressed=False) + raw
    return _header(len(body), compressed=True) + bytes(body)


def _header(size: int, compressed: bool) -> bytes:
    value = (size + 2 - 3) | (0b011 << 12) | (0x8000 if compressed else 0)
    return value.to_bytes(2, "little")


def _bit_count(start: int, pos: int) -> int:
    difference = pos - start
    bits = 4
    while (1 << bits) < difference:
        bits += 1
    return bits


def _match(data: bytes, start: int, pos: int, end: int) -> tuple[int, int]:
    """The longest earlier match in the chunk: (offset back from ``pos``, length)."""
    bits = _bit_count(start, pos)
    maximum = (0xFFFF >> bits) + 3
    best_len, best_offset = 0, 0
    for candidate in range(pos - 1, start - 1, -1):
        length = 0
        while (pos + length < end and length < maximum
               and data[candidate + length] == data[pos + length]):
            length += 1
        if length > best_len:
            best_len, best_offset = length, pos - candidate
            if length == maximum:
                break
    return best_offset, best_len


def _copy_token(start: int, pos: int, offset: int, length: int) -> int:
    bits = _bit_count(start, pos)
    return ((offset - 1) << (16 - bits)) | (length - 3)
