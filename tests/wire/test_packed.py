"""Packed encoding: a shared case table, the vectors, a pycapnp oracle, Hypothesis."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.wire.framing import MAX_SEGMENTS, decode_message, encode_message, table_size
from capnp_lite.wire import packed
from capnp_lite.wire.segments import DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
from capnp_lite.wire.packed import (
    PackedMessageDecoder,
    Unpacker,
    pack,
    pack_message,
    unpack,
    unpack_message,
)

_REPO = Path(__file__).resolve().parents[2]
_VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", _REPO.parent / "shared" / "vectors"))


def _manifest_cases() -> List[Dict[str, Any]]:
    path = _VECTORS / "manifest.json"
    if not path.is_file():
        return []
    cases: List[Dict[str, Any]] = json.loads(path.read_text())["cases"]
    return cases


PACKED_CASES = [
    c
    for c in _manifest_cases()
    if c["category"] != "hostile" and "packed" in c["files"] and "binary" in c["files"]
]

FULL = bytes(range(1, 9))  # no zero byte: tag 0xff
ONE_ZERO = b"\x01\x02\x03\x04\x05\x06\x07\x00"  # one zero byte: may join a literal run
TWO_ZERO = b"\x00\x02\x03\x04\x05\x06\x07\x00"  # two zero bytes: ends a literal run
Z = bytes(8)

# (name, unpacked, packed): pack() must give the packed bytes and unpack()
# the unpacked ones. Worked out by hand from the encoding rules.
TABLE: List[Tuple[str, bytes, bytes]] = [
    ("empty", b"", b""),
    (
        "spec example",
        bytes.fromhex("0800000003000200" "19000000aa010000"),
        bytes.fromhex("51080302" "3119aa01"),
    ),
    ("one zero word", Z, b"\x00\x00"),
    ("two zero words", Z * 2, b"\x00\x01"),
    ("256 zero words", Z * 256, b"\x00\xff"),
    ("257 zero words", Z * 257, b"\x00\xff\x00\x00"),
    ("512 zero words", Z * 512, b"\x00\xff\x00\xff"),
    ("one full word", FULL, b"\xff" + FULL + b"\x00"),
    ("full word then zero word", FULL + Z, b"\xff" + FULL + b"\x00\x00\x00"),
    (
        "literal run stops at two zeros",
        FULL + ONE_ZERO + ONE_ZERO + TWO_ZERO,
        b"\xff" + FULL + b"\x02" + ONE_ZERO * 2 + b"\x7e" + TWO_ZERO[1:7],
    ),
    ("one-zero word alone", ONE_ZERO, b"\x7f" + ONE_ZERO[:7]),
    ("one-zero word then full", ONE_ZERO + FULL, b"\x7f" + ONE_ZERO[:7] + b"\xff" + FULL + b"\x00"),
    ("257 full words", FULL * 257, b"\xff" + FULL + b"\xff" + FULL * 255 + b"\xff" + FULL + b"\x00"),
    ("single byte words", b"\x05" + bytes(7) + bytes(7) + b"\x09", b"\x01\x05\x80\x09"),
]


@pytest.mark.parametrize("name, raw, packed", TABLE, ids=[c[0] for c in TABLE])
def test_pack_table(name: str, raw: bytes, packed: bytes) -> None:
    assert pack(raw) == packed
    assert pack(bytearray(raw)) == packed
    assert pack(memoryview(raw)) == packed


@pytest.mark.parametrize("name, raw, packed", TABLE, ids=[c[0] for c in TABLE])
def test_unpack_table(name: str, raw: bytes, packed: bytes) -> None:
    assert unpack(packed) == raw
    unpacker = Unpacker()
    out = b""
    for i in range(len(packed)):
        unpacker.feed(packed[i : i + 1])
        out += unpacker.take()
    unpacker.close()
    assert out == raw


TRUNCATED = [
    ("zero tag without count", b"\x00"),
    ("ff tag without bytes", b"\xff"),
    ("ff tag with 5 of 8 bytes", b"\xff\x01\x01\x01\x01\x01"),
    ("ff tag without count", b"\xff" + FULL),
    ("literal run short", b"\xff" + FULL + b"\x02" + FULL),
    ("mixed word short", b"\x51\x08\x03"),
    ("after a whole word", b"\x00\x00\x03\x01"),
]


@pytest.mark.parametrize("name, data", TRUNCATED, ids=[c[0] for c in TRUNCATED])
def test_truncated_input(name: str, data: bytes) -> None:
    with pytest.raises(DecodeError, match="truncated"):
        unpack(data)
    unpacker = Unpacker()
    unpacker.feed(data)
    with pytest.raises(DecodeError, match="truncated"):
        unpacker.close()


def test_pack_rejects_partial_words() -> None:
    with pytest.raises(EncodeError):
        pack(b"123")
    with pytest.raises(EncodeError, match="segment 1 is 12 bytes, not a whole number of words"):
        pack_message([bytes(8), bytes(12)])


def test_output_limit() -> None:
    assert unpack(b"\x00\x03", max_words=4) == bytes(32)
    with pytest.raises(LimitError):
        unpack(b"\x00\x04", max_words=4)
    unpacker = Unpacker(max_words=300)
    unpacker.feed(b"\x00\xff")
    with pytest.raises(LimitError):
        unpacker.feed(b"\x00\xff")


def test_the_default_output_limit_is_a_message_at_the_traversal_limit_and_its_table() -> None:
    # What the readers accept by default, framed with the largest table there may be.
    assert packed.DEFAULT_MAX_WORDS == (DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
                                        + table_size(MAX_SEGMENTS) // 8)


def test_packed_message_decoder_is_bounded() -> None:
    # 64 KiB of empty messages (one zero word each): the decoder unpacks one
    # message per call, not the whole feed.
    decoder = PackedMessageDecoder()
    decoder.feed(b"\x00\x00" * 32768)
    for _ in range(32768):
        message = decoder.next_message()
        assert message is not None and [bytes(s) for s in message] == [b""]
        # What is unpacked at a time is a window of a few KiB, not the whole feed.
        assert len(decoder._window) - decoder._at <= 2 * packed._PACKED_STEP
    assert decoder.next_message() is None
    decoder.close()
    # 64 KiB of zero runs would unpack to 64 MiB; each message is unpacked
    # within its frame, so the first run (256 words) already fails.
    decoder = PackedMessageDecoder()
    decoder.feed(b"\x00\xff" * 32768)
    with pytest.raises(DecodeError, match="crosses the end of the segment table's first word"):
        decoder.next_message()


def test_packed_message_decoder_limit() -> None:
    decoder = PackedMessageDecoder(max_message_words=4)
    decoder.feed(pack(encode_message([bytes(40)])))
    with pytest.raises(LimitError):
        decoder.next_message()


# --- the conformance vectors -------------------------------------------------


@pytest.mark.parametrize("case", PACKED_CASES, ids=[c["id"] for c in PACKED_CASES])
def test_vector_packed(vectors: Path, case: Dict[str, Any]) -> None:
    binary = (vectors / case["files"]["binary"]).read_bytes()
    packed = (vectors / case["files"]["packed"]).read_bytes()
    segments = decode_message(binary)
    assert unpack(packed) == binary
    assert pack_message(segments) == packed
    assert unpack(pack(binary)) == binary
    assert [bytes(s) for s in unpack_message(packed)] == [bytes(s) for s in segments]
    decoder = PackedMessageDecoder()
    got = None
    for i in range(len(packed)):
        decoder.feed(packed[i : i + 1])
        got = decoder.next_message()
        assert (got is None) == (i < len(packed) - 1)
    assert got is not None and [bytes(s) for s in got] == [bytes(s) for s in segments]
    decoder.close()


def test_whole_stream_packing_differs_where_runs_cross_pieces(vectors: Path) -> None:
    # The reference packs the table and each segment separately; packing the
    # framed bytes as one buffer may merge runs across those boundaries.
    case = vectors / "multiseg/lists/ListBag/double_far_everywhere_lists_of_lists"
    binary = (case / "message.bin").read_bytes()
    packed = (case / "message.packed.bin").read_bytes()
    assert pack(binary) != packed
    assert pack_message(decode_message(binary)) == packed


# --- pycapnp as an oracle on random data -------------------------------------


@pytest.mark.interop
def test_pack_matches_pycapnp_on_random_blobs(vectors: Path) -> None:
    capnp = pytest.importorskip("capnp")
    scalars = capnp.load(str(vectors / "schemas" / "primitives.capnp")).Scalars
    rng = random.Random(20240601)
    for _ in range(60):
        size = rng.randrange(0, 3000)
        zero_bias = rng.random()
        blob = bytes(0 if rng.random() < zero_bias else rng.randrange(1, 256) for _ in range(size))
        message = scalars.new_message(blob=blob, i64=rng.randrange(-(2**63), 2**63))
        framed = message.to_bytes()
        message.clear_write_flag()
        expected = message.to_bytes_packed()
        assert pack_message(decode_message(framed)) == expected
        assert unpack(expected) == framed


# --- Hypothesis ----------------------------------------------------------------

# Words drawn from a few shapes so that runs of every kind occur.
words = st.one_of(
    st.just(Z),
    st.just(FULL),
    st.binary(min_size=8, max_size=8),
    st.lists(st.sampled_from([0, 0, 0, 1, 255]), min_size=8, max_size=8).map(bytes),
)
word_strings = st.lists(words, max_size=600).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(word_strings)
def test_round_trip(raw: bytes) -> None:
    packed = pack(raw)
    assert unpack(packed) == raw
    # A literal run costs 2 bytes beyond its words; a new run can start at most every other
    # word, and the word between saves at least one byte, so the overhead is 1 byte per 2 words.
    assert len(packed) <= len(raw) + len(raw) // 16 + 2


@settings(max_examples=60, deadline=None)
@given(word_strings, st.lists(st.integers(min_value=1, max_value=50), min_size=1))
def test_incremental_unpacker_any_chunking(raw: bytes, chunks: List[int]) -> None:
    packed = pack(raw)
    unpacker = Unpacker()
    pos = 0
    out = []
    while pos < len(packed):
        for size in chunks:
            unpacker.feed(packed[pos : pos + size])
            out.append(unpacker.take())
            pos += size
    unpacker.close()
    assert b"".join(out) == raw


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(word_strings, min_size=1, max_size=4), min_size=1, max_size=3))
def test_message_round_trip(messages: List[List[bytes]]) -> None:
    stream = b"".join(pack_message(m) for m in messages)
    decoder = PackedMessageDecoder()
    decoder.feed(stream)
    for expected in messages:
        got = decoder.next_message()
        assert got is not None and [bytes(s) for s in got] == expected
    assert decoder.next_message() is None
    decoder.close()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    try:
        out = unpack(data)
    except DecodeError:
        return
    # A zero run is the largest expansion: 256 words from 2 bytes.
    assert len(out) <= 1024 * len(data)
    assert len(out) % 8 == 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_as_packed_messages(data: bytes) -> None:
    try:
        unpack_message(data)
    except DecodeError:
        pass
    decoder = PackedMessageDecoder(max_message_words=1000)
    decoder.feed(data)
    try:
        while decoder.next_message() is not None:
            pass
        decoder.close()
    except DecodeError:
        pass
