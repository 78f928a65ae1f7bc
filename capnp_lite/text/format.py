"""Scalar formatting of the Cap'n Proto text format.

These functions reproduce, byte for byte, how ``capnp decode`` writes numbers,
Text and Data: the shortest of two fixed precisions that round-trips, an
exponent without ``+`` (its digits as printf writes them, at least two), and
C-style escapes.
"""

from __future__ import annotations

import math
import re
import struct
from typing import List

__all__ = [
    "format_float64",
    "format_float32",
    "format_bool",
    "escape_text",
    "escape_data",
    "quote_text",
    "quote_texts",
    "quote_data",
]

_F32 = struct.Struct("<f")
_FLT_MIN = 1.1754943508222875e-38  # smallest normal float32


def format_float64(value: float) -> str:
    """Format a Float64 as ``%.15g``, or ``%.17g`` when 15 digits do not round-trip.

    (``%g`` writes ``nan``, ``inf`` and ``-inf`` as the reference does: a NaN never
    round-trips and stays ``nan``.)"""
    text = "%.15g" % value
    if float(text) != value:
        text = "%.17g" % value
    return text.replace("e+", "e", 1) if "e+" in text else text


_F32_PACK = _F32.pack
_F32_UNPACK = _F32.unpack


def format_float32(value: float) -> str:
    """Format a Float32 as ``%.6g``, or ``%.8g`` when 6 digits do not round-trip as float32."""
    text = "%.6g" % value
    parsed = float(text)
    try:
        back = _F32_UNPACK(_F32_PACK(parsed))[0]
    except OverflowError:
        back = math.inf if parsed > 0 else -math.inf
    # The reference parses with strtof and treats ERANGE (a subnormal result) as
    # a failed round trip, so float32 subnormals always get 8 digits.
    if back != value or (parsed != 0.0 and -_FLT_MIN < parsed < _FLT_MIN):
        text = "%.8g" % value
    return text.replace("e+", "e", 1) if "e+" in text else text


def format_bool(value: bool) -> str:
    return "true" if value else "false"


# Escapes shared by Text and Data; every other control byte becomes octal.
_NAMED_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x0B: "\\v",
    0x27: "\\'",
    0x22: '\\"',
    0x5C: "\\\\",
}


def _escape_table(raw_high: bool) -> list[str]:
    table: list[str] = []
    for byte in range(256):
        named = _NAMED_ESCAPES.get(byte)
        if named is not None:
            table.append(named)
        elif byte < 0x20 or byte == 0x7F or (byte >= 0x80 and not raw_high):
            table.append("\\%03o" % byte)
        else:
            table.append(chr(byte))
    return table


_TEXT_TABLE = _escape_table(raw_high=True)
_DATA_TABLE = _escape_table(raw_high=False)


# Bytes that print escaped: control bytes, quotes, backslash, DEL (and for Data, bytes >= 0x80).
_TEXT_ESCAPED = re.compile(b"[\x00-\x1f\"'\\\\\x7f]")
_DATA_ESCAPED = re.compile(b"[\x00-\x1f\"'\\\\\x7f-\xff]")


def _needs_escape(raw: bytes, raw_high: bool) -> bool:
    found = (_TEXT_ESCAPED if raw_high else _DATA_ESCAPED).search(raw)
    return found is not None


def escape_text(raw: bytes) -> bytes:
    """Escape Text bytes; bytes >= 0x80 pass through raw (UTF-8 or not)."""
    if not _needs_escape(raw, True):
        return raw
    table = _TEXT_TABLE
    # Bytes >= 0x80 map to themselves via latin-1 below.
    return "".join([table[b] for b in raw]).encode("latin-1")


def escape_data(raw: bytes) -> bytes:
    """Escape Data bytes; bytes >= 0x80 become octal."""
    if not _needs_escape(raw, False):
        return raw
    table = _DATA_TABLE
    return "".join([table[b] for b in raw]).encode("ascii")


_TEXT_ESCAPE_SEARCH = _TEXT_ESCAPED.search


def quote_text(raw: bytes) -> bytes:
    if _TEXT_ESCAPE_SEARCH(raw) is None:  # (escape_text's test, one call fewer: most texts)
        return b'"' + raw + b'"'
    return b'"' + escape_text(raw) + b'"'


def quote_texts(raws: List[bytes]) -> List[bytes]:
    """``quote_text`` of each, the test for escapes made once for all of them (it looks at
    single bytes, so the texts can be tested joined)."""
    if _TEXT_ESCAPE_SEARCH(b"".join(raws)) is None:
        return [b'"' + raw + b'"' for raw in raws]
    return [quote_text(raw) for raw in raws]


def quote_data(raw: bytes) -> bytes:
    return b'"' + escape_data(raw) + b'"'
