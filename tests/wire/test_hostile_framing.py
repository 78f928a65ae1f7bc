"""Hostile vectors at the framing and packing level: clean errors, bounded memory."""

from __future__ import annotations

import io
import json
import os
import platform
from pathlib import Path
from typing import Any, Dict, List

import pytest

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire.framing import MessageDecoder, decode_message, encode_message, read_message
from capnp_lite.wire.packed import PackedMessageDecoder, Unpacker, unpack, unpack_message

_REPO = Path(__file__).resolve().parents[2]
_VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", _REPO.parent / "shared" / "vectors"))


def _hostile_cases() -> List[Dict[str, Any]]:
    path = _VECTORS / "manifest.json"
    if not path.is_file():
        return []
    cases = json.loads(path.read_text())["cases"]
    return [c for c in cases if c["category"] == "hostile"]


HOSTILE = _hostile_cases()
# Framing errors: (expected class, text in the message). Every other hostile
# binary input is well framed; its problem lies in the pointers or the schema.
FRAMING_ERRORS = {
    "hostile/segment_table_truncated": (DecodeError, "segment table"),
    "hostile/segment_count_huge": (LimitError, "4294967296 segments"),
    "hostile/segment_size_beyond_input": (DecodeError, "segment 0: it needs 1000 words"),
}
PACKED_ERRORS = {
    "hostile/packed_truncated_zero_run": "zero-run tag without its count byte",
    "hostile/packed_truncated_ff_run": "0xff tag with 5 of 8 bytes",
}
BINARY = [c for c in HOSTILE if "binary" in c["files"]]
PACKED = [c for c in HOSTILE if "packed" in c["files"]]


def test_expectations_cover_the_vectors() -> None:
    ids = {c["id"] for c in HOSTILE}
    assert set(FRAMING_ERRORS) <= ids and set(PACKED_ERRORS) <= ids


@pytest.mark.parametrize("case", BINARY, ids=[c["id"] for c in BINARY])
def test_hostile_binary(vectors: Path, case: Dict[str, Any]) -> None:
    data = (vectors / case["files"]["binary"]).read_bytes()
    expected = FRAMING_ERRORS.get(case["id"])
    if expected is None:
        segments = decode_message(data)
        assert encode_message(segments) == data[: len(encode_message(segments))]
        return
    cls, text = expected
    with pytest.raises(cls, match=text):
        decode_message(data)
    with pytest.raises(cls):
        read_message(io.BytesIO(data))
    decoder = MessageDecoder()
    with pytest.raises(cls):
        for i in range(len(data)):
            decoder.feed(data[i : i + 1])
            assert decoder.next_message() is None
        decoder.close()


@pytest.mark.parametrize("case", PACKED, ids=[c["id"] for c in PACKED])
def test_hostile_packed(vectors: Path, case: Dict[str, Any]) -> None:
    data = (vectors / case["files"]["packed"]).read_bytes()
    text = PACKED_ERRORS[case["id"]]
    with pytest.raises(DecodeError, match=text):
        unpack(data)
    with pytest.raises(DecodeError, match=text):
        unpack_message(data)
    unpacker = Unpacker()
    for i in range(len(data)):
        unpacker.feed(data[i : i + 1])
    with pytest.raises(DecodeError, match=text):
        unpacker.close()
    decoder = PackedMessageDecoder()
    decoder.feed(data)
    with pytest.raises(DecodeError):
        assert decoder.next_message() is None
        decoder.close()


def _peak_bytes(action: Any) -> int:
    import tracemalloc  # not available on PyPy

    tracemalloc.start()
    try:
        try:
            action()
        except DecodeError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.skipif(
    platform.python_implementation() != "CPython", reason="tracemalloc traces CPython only"
)
def test_huge_announcements_allocate_nothing_big() -> None:
    huge_count = b"\xff\xff\xff\xff" + bytes(60)
    huge_size = b"\x00\x00\x00\x00\xff\xff\xff\xff" + bytes(8)
    for data in (huge_count, huge_size):
        for action in (
            lambda: decode_message(data),
            lambda: read_message(io.BytesIO(data)),
            lambda: _feed_all(data),
        ):
            assert _peak_bytes(action) < 1 << 20


def _feed_all(data: bytes) -> None:
    decoder = MessageDecoder()
    decoder.feed(data)
    decoder.next_message()
    decoder.close()


def test_huge_segment_size_is_a_limit_error_on_streams() -> None:
    data = b"\x00\x00\x00\x00\xff\xff\xff\xff" + bytes(8)
    with pytest.raises(LimitError):
        read_message(io.BytesIO(data))
    decoder = MessageDecoder()
    decoder.feed(data)
    with pytest.raises(LimitError):
        decoder.next_message()
    with pytest.raises(DecodeError, match="ends prematurely in segment 0"):
        decode_message(data)
