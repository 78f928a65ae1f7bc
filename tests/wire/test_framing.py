"""Stream framing: one case table for encoder and decoders, the vectors, Hypothesis."""

from __future__ import annotations

import io
import json
import os
import struct
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.wire.framing import (
    FEW_SEGMENTS,
    MessageDecoder,
    decode_flat,
    decode_message,
    decode_message_at,
    encode_message,
    few_segments,
    read_message,
    write_message,
)

_REPO = Path(__file__).resolve().parents[2]
_VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", _REPO.parent / "shared" / "vectors"))


def _manifest_cases() -> List[Dict[str, Any]]:
    path = _VECTORS / "manifest.json"
    if not path.is_file():
        return []
    cases: List[Dict[str, Any]] = json.loads(path.read_text())["cases"]
    return cases


FRAMED_CASES = [
    c for c in _manifest_cases() if c["category"] != "hostile" and "binary" in c["files"]
]


def u32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


W1 = bytes(range(1, 9))
W2 = bytes(range(9, 17))
W3 = b"\xff" * 8

# (name, framed bytes, segments or (error class, text in the message)).
# The encoder must produce the bytes from the segments; every decoder must
# produce the segments (or the error) from the bytes.
TABLE: List[Tuple[str, bytes, Any]] = [
    ("one empty segment", u32(0, 0), [b""]),
    ("one segment of one word", u32(0, 1) + W1, [W1]),
    ("one segment of two words", u32(0, 2) + W1 + W2, [W1 + W2]),
    ("two segments, table padded", u32(1, 1, 2, 0) + W1 + W2 + W3, [W1, W2 + W3]),
    ("three segments, no padding", u32(2, 1, 0, 1) + W1 + W2, [W1, b"", W2]),
    ("four segments", u32(3, 0, 1, 0, 1, 0) + W1 + W2, [b"", W1, b"", W2]),
    ("511 segments (the most C++ accepts)", u32(510, *([0] * 511)), [b""] * 511),
    ("empty input", b"", (DecodeError, "segment table")),
    ("three bytes", b"\x00\x00\x00", (DecodeError, "segment table")),
    ("count without sizes", u32(0), (DecodeError, "segment table")),
    ("table truncated", u32(2, 1), (DecodeError, "segment table")),
    ("padding missing", u32(1, 0, 0), (DecodeError, "segment table")),
    ("512 segments", u32(511, *([0] * 512)), (LimitError, "512 segments")),
    ("count 0xffffffff", u32(0xFFFFFFFF) + bytes(60), (LimitError, "4294967296 segments")),
    ("segment beyond input", u32(0, 1000) + W1, (DecodeError, "segment 0")),
    ("second segment short", u32(1, 1, 2, 0) + W1 + W2, (DecodeError, "segment 1")),
    ("partial word", u32(0, 1) + W1[:7], (DecodeError, "segment 0")),
]

VALID = [(name, data, segs) for name, data, segs in TABLE if isinstance(segs, list)]
INVALID = [(name, data, err) for name, data, err in TABLE if not isinstance(err, list)]


def _as_bytes(segments: Optional[Sequence[memoryview]]) -> List[bytes]:
    assert segments is not None
    return [bytes(s) for s in segments]


@pytest.mark.parametrize("name, data, segments", VALID, ids=[c[0] for c in VALID])
def test_encode_table(name: str, data: bytes, segments: List[bytes]) -> None:
    assert encode_message(segments) == data
    assert encode_message([bytearray(s) for s in segments]) == data
    assert encode_message([memoryview(s) for s in segments]) == data


@pytest.mark.parametrize("name, data, segments", VALID, ids=[c[0] for c in VALID])
def test_decode_table(name: str, data: bytes, segments: List[bytes]) -> None:
    for buf in (data, bytearray(data), memoryview(data)):
        assert _as_bytes(decode_message(buf)) == segments
    got, end = decode_message_at(data + b"tail!", 0)
    assert _as_bytes(got) == segments and end == len(data)


@pytest.mark.parametrize("name, data, segments", VALID, ids=[c[0] for c in VALID])
def test_decoders_agree_on_table(name: str, data: bytes, segments: List[bytes]) -> None:
    assert _as_bytes(read_message(io.BytesIO(data))) == segments
    decoder = MessageDecoder()
    for i in range(len(data)):
        assert decoder.next_message() is None
        decoder.feed(data[i : i + 1])
    assert _as_bytes(decoder.next_message()) == segments
    assert decoder.next_message() is None
    decoder.close()


@pytest.mark.parametrize("name, data, segments", VALID, ids=[c[0] for c in VALID])
def test_few_segments_table(name: str, data: bytes, segments: List[bytes]) -> None:
    """The shortcut for frames of a few segments reads what decode_message reads, as bytes,
    or declines (a frame under 16 bytes, more than FEW_SEGMENTS segments)."""
    got = few_segments(data + b"tail!", 1 << 20)
    if len(data) + 5 < 16 or len(segments) > FEW_SEGMENTS:
        assert got is None
    else:
        assert got == segments and all(type(s) is bytes for s in got)
    if len(segments) <= FEW_SEGMENTS and len(data) >= 16:
        assert few_segments(data, len(data)) == segments
        assert few_segments(data, len(data) - 1) is None  # over the limit: the general decoder


@pytest.mark.parametrize("name, data, error", INVALID, ids=[c[0] for c in INVALID])
def test_few_segments_declines_what_is_wrong(name: str, data: bytes, error: Any) -> None:
    assert few_segments(data, 1 << 20) is None


@pytest.mark.parametrize("name, data, error", INVALID, ids=[c[0] for c in INVALID])
def test_decode_table_errors(name: str, data: bytes, error: Any) -> None:
    cls, text = error
    with pytest.raises(cls, match=text):
        decode_message(data)
    if not data:
        # A stream may end cleanly between messages.
        assert read_message(io.BytesIO(data)) is None
        MessageDecoder().close()
        return
    with pytest.raises(cls):
        read_message(io.BytesIO(data))
    decoder = MessageDecoder()
    with pytest.raises(cls):
        for i in range(len(data)):
            decoder.feed(data[i : i + 1])
            assert decoder.next_message() is None
        decoder.close()


def test_read_message_clean_eof_and_sequence() -> None:
    one = u32(0, 1) + W1
    two = u32(1, 0, 1, 0) + W2
    stream = io.BytesIO(one + two)
    assert _as_bytes(read_message(stream)) == [W1]
    assert _as_bytes(read_message(stream)) == [b"", W2]
    assert read_message(stream) is None


def test_write_message() -> None:
    out = io.BytesIO()
    write_message(out, [W1, W2 + W3])
    assert out.getvalue() == u32(1, 1, 2, 0) + W1 + W2 + W3


def test_trailing_bytes() -> None:
    data = u32(0, 1) + W1
    assert _as_bytes(decode_message(data + b"xyz")) == [W1]
    with pytest.raises(DecodeError, match="3 trailing bytes"):
        decode_message(data + b"xyz", allow_trailing=False)
    segs, end = decode_message_at(data + data, len(data))
    assert _as_bytes(segs) == [W1] and end == 2 * len(data)


def test_decode_is_zero_copy() -> None:
    data = bytearray(u32(0, 1) + W1)
    (segment,) = decode_message(data)
    data[8] = 0x99
    assert segment[0] == 0x99


def test_limits() -> None:
    data = u32(0, 4) + bytes(32)
    with pytest.raises(LimitError, match="exceeds the limit of 3 words"):
        decode_message(data, max_message_words=3)
    assert len(decode_message(data, max_message_words=4)[0]) == 32
    with pytest.raises(LimitError):
        decode_message(u32(1, 0, 0, 0), max_segments=2)
    with pytest.raises(LimitError):
        read_message(io.BytesIO(data), max_message_words=3)


def test_encode_errors() -> None:
    with pytest.raises(EncodeError):
        encode_message([])
    with pytest.raises(EncodeError):
        encode_message([b"1234567"])


def test_flat() -> None:
    assert _as_bytes(decode_flat(W1 + W2)) == [W1 + W2]
    with pytest.raises(DecodeError):
        decode_flat(b"123")


def test_incremental_decoder_does_not_allocate_announced_size() -> None:
    decoder = MessageDecoder()
    header = u32(0, 1_000_000)
    decoder.feed(header)
    assert decoder.next_message() is None
    assert decoder.buffered == len(header)
    decoder.feed(b"\x01" * 16)
    assert decoder.next_message() is None
    assert decoder.buffered == len(header) + 16
    with pytest.raises(DecodeError, match="stream ended inside a message"):
        decoder.close()


def test_incremental_decoder_limit_fails_as_soon_as_table_is_complete() -> None:
    decoder = MessageDecoder(max_message_words=10)
    decoder.feed(u32(0, 11))
    with pytest.raises(LimitError):
        decoder.next_message()
    with pytest.raises(LimitError):  # stays broken
        decoder.feed(b"x")
    huge = MessageDecoder()
    huge.feed(b"\xff\xff\xff\xff")
    with pytest.raises(LimitError):
        huge.next_message()


def test_incremental_decoder_several_messages_in_one_feed() -> None:
    messages = [[W1], [b"", W2], [W1 + W2 + W3]]
    decoder = MessageDecoder()
    decoder.feed(b"".join(encode_message(m) for m in messages))
    for expected in messages:
        assert _as_bytes(decoder.next_message()) == expected
    assert decoder.next_message() is None
    assert decoder.buffered == 0


# --- the conformance vectors -------------------------------------------------


@pytest.mark.parametrize("case", FRAMED_CASES, ids=[c["id"] for c in FRAMED_CASES])
def test_vector_framing(vectors: Path, case: Dict[str, Any]) -> None:
    data = (vectors / case["files"]["binary"]).read_bytes()
    segments = decode_message(data, allow_trailing=False)
    if "segments" in case:
        assert [len(s) // 8 for s in segments] == case["segments"]
    assert encode_message(segments) == data
    assert _as_bytes(read_message(io.BytesIO(data))) == _as_bytes(segments)
    decoder = MessageDecoder()
    for i in range(len(data)):
        decoder.feed(data[i : i + 1])
        got = decoder.next_message()
        assert (got is None) == (i < len(data) - 1)
    assert got is not None and _as_bytes(got) == _as_bytes(segments)
    if "flat" in case["files"] and len(segments) == 1:
        # Single-segment messages: the flat file is that segment, unframed.
        flat = (vectors / case["files"]["flat"]).read_bytes()
        assert bytes(decode_flat(flat)[0]) == bytes(segments[0])


# --- Hypothesis ----------------------------------------------------------------

word_data = st.integers(min_value=0, max_value=8).flatmap(
    lambda n: st.binary(min_size=8 * n, max_size=8 * n)
)
segment_lists = st.lists(word_data, min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(segment_lists, st.lists(st.integers(min_value=1, max_value=20), min_size=1))
def test_round_trip_random_segments(segments: List[bytes], chunks: List[int]) -> None:
    data = encode_message(segments)
    assert _as_bytes(decode_message(data)) == segments
    decoder = MessageDecoder()
    pos = 0
    got = None
    for size in chunks * (len(data) // sum(chunks) + 1):
        if pos >= len(data):
            break
        decoder.feed(data[pos : pos + size])
        pos += size
        got = decoder.next_message() or got
    assert got is not None and _as_bytes(got) == segments


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    readers: List[Callable[[], Optional[List[memoryview]]]] = [
        lambda: decode_message(data),
        lambda: read_message(io.BytesIO(data)),
    ]
    for decode in readers:
        try:
            result = decode()
        except DecodeError:
            continue
        if result is not None:
            assert sum(len(s) for s in result) <= len(data)


@settings(max_examples=300, deadline=None)
@given(segment_lists, st.data())
def test_few_segments_agrees_with_decode_message(segments: List[bytes], data: Any) -> None:
    """On intact frames, cut ones and ones whose table was changed: whenever the shortcut
    reads a frame, decode_message reads the same segments from it."""
    framed = bytearray(encode_message(segments) + bytes(data.draw(st.integers(0, 24))))
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        index = data.draw(st.integers(min_value=0, max_value=min(len(framed), 40) - 1))
        framed[index] = data.draw(st.integers(min_value=0, max_value=255))
    mutated = bytes(framed[:data.draw(st.integers(min_value=0, max_value=len(framed)))])
    got = few_segments(mutated, 1 << 20)
    if got is not None:
        assert got == _as_bytes(decode_message(mutated))
    elif mutated == bytes(framed) == encode_message(segments) and len(mutated) >= 16:
        assert len(segments) > FEW_SEGMENTS  # an intact frame of a few is never declined


@settings(max_examples=200, deadline=None)
@given(segment_lists, st.data())
def test_mutated_messages_raise_only_decode_error(segments: List[bytes], data: Any) -> None:
    framed = bytearray(encode_message(segments))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        index = data.draw(st.integers(min_value=0, max_value=len(framed) - 1))
        framed[index] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=0, max_value=len(framed)))
    mutated = bytes(framed[:cut])
    decoder = MessageDecoder()
    try:
        decoder.feed(mutated)
        result = decoder.next_message()
        if result is not None:
            assert sum(len(s) for s in result) <= len(mutated)
        decode_message(mutated)
    except DecodeError:
        pass
    assert decoder.buffered <= len(mutated)
