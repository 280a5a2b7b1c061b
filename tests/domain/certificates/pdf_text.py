"""Just enough PDF reading for the tests (no PDF library in the project): a stream by object number, and the page's
text decoded through the font's ToUnicode map, as a PDF viewer's copy-paste would."""

from __future__ import annotations

import re
import zlib

_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)


def stream_of(data: bytes, number: int) -> bytes:
    """The (inflated) stream of object `number`."""
    start = data.index(b"\n%d 0 obj" % number)
    head_end = data.index(b"stream\n", start)
    found = re.search(rb"/Length (\d+)", data[start:head_end])
    assert found, f"object {number} has no /Length"
    raw = data[head_end + 7 : head_end + 7 + int(found.group(1))]
    return zlib.decompress(raw) if b"/FlateDecode" in data[start:head_end] else raw


def _unescape(literal: bytes) -> bytes:
    out, index = bytearray(), 0
    while index < len(literal):
        char = literal[index : index + 1]
        if char != b"\\":
            out += char
            index += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", literal[index + 1 : index + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            index += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(literal[index + 1 : index + 2], b"")
            index += 2
    return bytes(out)


def to_unicode_map(data: bytes) -> dict[int, str]:
    """Glyph code → text, from the font's ToUnicode CMap (bfchar pairs, as fpdf2 writes them)."""
    found = re.search(rb"/ToUnicode (\d+) 0 R", data)
    assert found, "no ToUnicode map: the text could not be copied"
    cmap = stream_of(data, int(found.group(1)))
    pairs = re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4,8})>", cmap)
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for code, text in pairs}


def page_text(data: bytes) -> list[str]:
    """Each text run of the first page, decoded."""
    found = re.search(rb"/Contents (\d+) 0 R", data)
    assert found
    content, glyphs = stream_of(data, int(found.group(1))), to_unicode_map(data)
    runs = []
    for match in _LITERAL.finditer(content):
        raw = _unescape(match.group(1))
        codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
        runs.append("".join(glyphs.get(code, "\ufffd") for code in codes))
    return runs
